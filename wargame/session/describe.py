"""Words for what the screens show: effects, requirements, choices and the event log.

Plain strings, no textual: the screens style them. Nothing here decides anything; legality comes from
the engine (`refusal`), chances from `success_chance`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from attrs import frozen

from wargame.model import Condition, Deck, Effect
from wargame.model.events import (
    CardDrawn,
    CardInjected,
    Cause,
    CauseKind,
    ConsultationOpened,
    ConsultationResolved,
    Event,
    GameEnded,
    Invested,
    Narrated,
    NoteAdded,
    PositionTaken,
    ResponseChosen,
    RollForced,
    RollMade,
    RoundEnded,
    RoundStarted,
    StatMoved,
    TrackMoved,
    VoteCast,
)

__all__ = [
    "DefeatBound",
    "condition_text",
    "consultation_lines",
    "defeat_thresholds",
    "effect_text",
    "event_lines",
    "nation_name",
    "signed",
    "subject_name",
]


def signed(number: int) -> str:
    """`+2`, `-1`, `0`."""
    return f"{number:+d}" if number else "0"


def nation_name(deck: Deck, nation: str | None) -> str:
    """A nation's name, or "the alliance" for none."""
    return "the alliance" if nation is None else deck.nation(nation).name


def _deltas(names: Mapping[str, str], deltas: Mapping[str, int]) -> str:
    return ", ".join(f"{names.get(key, key)} {signed(delta)}" for key, delta in deltas.items() if delta)


def effect_text(deck: Deck, effect: Effect, actor: str = "you", target: str | None = None) -> str:
    """An effect in words: `Escalation +1; you: Readiness +1; every other nation: Treasury -1`.

    `actor` and `target` are how to call the acting and the target nation ("you", "Poland"); a target
    called like the actor is merged with it.
    """
    tracks = {key: track.name for key, track in deck.tracks.items()}
    stats = {key: stat.name for key, stat in deck.stats.items()}
    parts = [_deltas(tracks, effect.tracks)]
    own = dict(effect.actor)
    if target is None or target == actor:
        for key, delta in effect.target.items():
            own[key] = own.get(key, 0) + delta
    elif effect.target:
        parts.append(f"{target}: {_deltas(stats, effect.target)}")
    if any(own.values()):
        parts.insert(1, f"{actor}: {_deltas(stats, own)}")
    if effect.all:
        parts.append(f"every nation: {_deltas(stats, effect.all)}")
    if effect.others:
        parts.append(f"every other nation: {_deltas(stats, effect.others)}")
    return "; ".join(part for part in parts if part)


def subject_name(deck: Deck, condition: Condition) -> str:
    """What a condition reads: `Cohesion`, `Readiness`, `target's Readiness`, `round`."""
    if condition.track is not None:
        return deck.tracks[condition.track].name
    if condition.actor is not None:
        return deck.stats[condition.actor].name
    if condition.target is not None:
        return f"target's {deck.stats[condition.target].name}"
    return "round"


def condition_text(deck: Deck, condition: Condition) -> str:
    """A condition in words: `Readiness ≥ 2`, `Cohesion 3-6`, `round ≥ 4`, `target's Pressure ≤ 3`."""
    name = subject_name(deck, condition)
    low, high = condition.min, condition.max
    if low is not None and high is not None:
        return f"{name} {low}" if low == high else f"{name} {low}-{high}"
    if low is not None:
        return f"{name} ≥ {low}"
    return f"{name} ≤ {high}" if high is not None else name


def conditions_text(deck: Deck, conditions: Iterable[Condition]) -> str:
    """Several conditions joined by "and"."""
    return " and ".join(condition_text(deck, condition) for condition in conditions)


@frozen
class DefeatBound:
    """Where on one track a defeat ending lies: `≥ 10: Open conflict`."""

    bound: str
    """The track's side of the condition, in words: `≥ 10`, `≤ 0`, `3-6`."""
    title: str
    """The ending's title."""
    alone: bool
    """Whether the ending reads this track alone (else it needs more conditions)."""

    @property
    def place(self) -> str:
        """The bound, and whether more is needed: `≥ 10`, `≤ 2 (with more)`."""
        return self.bound if self.alone else f"{self.bound} (with more)"

    def __str__(self) -> str:
        return f"{self.place}: {self.title}"


def defeat_thresholds(deck: Deck) -> dict[str, list[DefeatBound]]:
    """For each track, where a defeat ending lies: `{"escalation": [DefeatBound("≥ 10", ...)]}`."""
    found: dict[str, list[DefeatBound]] = {track: [] for track in deck.tracks}
    for ending in deck.defeats:
        for condition in ending.when:
            if condition.track is None:
                continue
            bound = condition_text(deck, condition).removeprefix(deck.tracks[condition.track].name + " ")
            found[condition.track].append(DefeatBound(bound, ending.title, len(ending.when) == 1))
    return found


# --- the event log ------------------------------------------------------------------------------


#: A note on why a value moved, for causes the line before does not already explain.
_NOTES = {CauseKind.DRIFT: " (round end)", CauseKind.FATIGUE: " (fatigue)"}


def _cause(cause: Cause) -> str:
    return _NOTES.get(cause.kind, "")


#: What a consultation's result moves: its own effects and the fatigue's.
_CONSULTATION_CAUSES = frozenset({CauseKind.CONSULTATION, CauseKind.FATIGUE})


def consultation_lines(deck: Deck, events: Sequence[Event]) -> list[str]:
    """What a consultation's result did, among these events (picked by their causes), as log lines."""
    moved = [
        event
        for event in events
        if isinstance(event, TrackMoved | StatMoved | Narrated) and event.cause.kind in _CONSULTATION_CAUSES
    ]
    return [line.strip() for line in event_lines(deck, moved)]


def event_lines(deck: Deck, events: Sequence[Event]) -> list[str]:
    """The event log's lines for these events, in order; effects are indented under their cause.

    Income and passes are left out (every nation has them every round); one stat moving alike for
    several nations is one line.
    """
    lines: list[str] = []
    index = 0
    while index < len(events):
        event = events[index]
        if isinstance(event, StatMoved):
            group = [event]
            while index + 1 < len(events):
                after = events[index + 1]
                if not (
                    isinstance(after, StatMoved)
                    and (after.stat, after.cause, after.after - after.before)
                    == (event.stat, event.cause, event.after - event.before)
                ):
                    break
                group.append(after)
                index += 1
            lines.extend(_stat_lines(deck, group))
        else:
            line = event_line(deck, event)
            if line is not None:
                lines.append(line)
        index += 1
    return lines


def _stat_lines(deck: Deck, group: list[StatMoved]) -> list[str]:
    first = group[0]
    if first.cause.kind is CauseKind.INCOME:
        return []
    stat = deck.stats[first.stat].name
    if first.cause.is_steering:
        who = nation_name(deck, first.nation)
        return [f"Facilitator: {who}'s {stat} {first.before} → {first.after} ({first.cause.reason})"]
    if len(group) == 1:
        return [
            f"  {nation_name(deck, first.nation)}: {stat} {first.before} → {first.after}{_cause(first.cause)}"
        ]
    who = ", ".join(moved.nation for moved in group)
    return [f"  {stat} {signed(first.after - first.before)}: {who}{_cause(first.cause)}"]


def event_line(deck: Deck, event: Event) -> str | None:
    """One event in words, or None for events the log leaves out."""
    if isinstance(event, RoundStarted):
        return f"── Round {event.round} of {deck.info.rounds} ──"
    if isinstance(event, CardDrawn):
        card = deck.card(event.card)
        where = "council of the whole alliance" if event.target is None else nation_name(deck, event.target)
        return f"Card: {card.title} ({where})"
    if isinstance(event, ResponseChosen):
        label = deck.card(event.card).response(event.response).label
        return (
            f"The council decides: {label}"
            if event.nation is None
            else f"{nation_name(deck, event.nation)}: {label}"
        )
    if isinstance(event, VoteCast):
        label = deck.card(event.card).response(event.response).label
        return f"{nation_name(deck, event.nation)} votes: {label}"
    if isinstance(event, RollMade):
        outcome = "success" if event.success else "failure"
        forced = " (forced by the facilitator)" if event.forced else ""
        return f"  Roll {event.roll} against {event.chance}%: {outcome}{forced}"
    if isinstance(event, ConsultationOpened):
        return f"{nation_name(deck, event.nation)} invokes {deck.consultation.label}"
    if isinstance(event, PositionTaken):
        return f"  {nation_name(deck, event.nation)}: {event.position}"
    if isinstance(event, ConsultationResolved):
        fatigue = f", fatigue x{event.fatigue}" if event.fatigue else ""
        counts = f"{event.support} support, {event.restrain} restrain, {event.abstain} abstain"
        return f"{deck.consultation.label}: {event.result.upper()} ({counts}{fatigue})"
    if isinstance(event, Invested):
        return f"{nation_name(deck, event.nation)} buys {deck.investment(event.investment).name}"
    if isinstance(event, TrackMoved):
        name = deck.tracks[event.track].name
        if event.cause.is_steering:
            return f"Facilitator: {name} {event.before} → {event.after} ({event.cause.reason})"
        return f"  {name} {event.before} → {event.after}{_cause(event.cause)}"
    if isinstance(event, StatMoved):
        return _stat_lines(deck, [event])[0] if event.cause.kind is not CauseKind.INCOME else None
    if isinstance(event, Narrated):
        return f"  “{event.text}”"
    if isinstance(event, CardInjected):
        return f"Facilitator: {deck.card(event.card).title} goes on top of the draw pile"
    if isinstance(event, RollForced):
        return f"Facilitator: the next roll will {'succeed' if event.success else 'fail'}"
    if isinstance(event, NoteAdded):
        return f"Note: {event.text}"
    if isinstance(event, RoundEnded):
        values = " · ".join(f"{deck.tracks[key].name} {value}" for key, value in event.tracks.items())
        return f"Round {event.round} ends: {values}"
    if isinstance(event, GameEnded):
        title = deck.ending(event.ending).title
        return f"GAME OVER: {title}"
    return None
