"""Words for what the screens show: effects, requirements, choices, cards and the event log.

Plain strings, no textual: the screens style them. Nothing here decides anything; legality comes from
the engine (`refusal`), chances from `success_chance`, what a seat may know from `engine.views`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from attrs import frozen

from wargame.engine.adversary import targets as card_targets
from wargame.engine.views import FACILITATOR, event_view
from wargame.model import HIDDEN, Card, Condition, Deck, Effect, Incident, PostureLevel, Response
from wargame.model.events import (
    AdversaryStatMoved,
    AttributionRevealed,
    CardDrawn,
    CardInjected,
    CardPlayed,
    CardVetoed,
    Cause,
    CauseKind,
    ClaimProved,
    ConsultationOpened,
    ConsultationRequested,
    ConsultationResolved,
    CouncilConcluded,
    Event,
    GameEnded,
    HandFilled,
    Invested,
    Narrated,
    NoteAdded,
    PositionTaken,
    PostureSet,
    ProposalAnswered,
    ProposalMade,
    ResponseChosen,
    RollForced,
    RollMade,
    RoundEnded,
    RoundStarted,
    StatMoved,
    TrackMoved,
    VoteCast,
    VotesRevealed,
)

__all__ = [
    "PUBLIC",
    "DefeatBound",
    "attribution_facts",
    "attribution_text",
    "card_facts",
    "card_source",
    "condition_text",
    "consultation_lines",
    "cost_text",
    "defeat_thresholds",
    "effect_text",
    "event_lines",
    "incident_of",
    "nation_name",
    "price_text",
    "quoted",
    "reveal_text",
    "seat_name",
    "signed",
    "stat_name",
    "subject_name",
    "target_names",
    "targets_text",
    "truth_text",
]

#: What every nation may know, for `event_lines`: no seat of the game, so every secret stays hidden
#: (the adversary's hand, every sealed vote); the view a hot-seat table shares between decisions.
PUBLIC = "public"


def quoted(text: str) -> str:
    """A title in quotation marks: `“Boiling the frog”`; a title that is itself a quotation (a card
    called `"De facto at war"`) keeps one pair, not two."""
    if len(text) > 1 and text[0] in '"“' and text[-1] in '"”':
        text = text[1:-1]
    return f"“{text}”"


def signed(number: int) -> str:
    """`+2`, `-1`, `0`."""
    return f"{number:+d}" if number else "0"


def nation_name(deck: Deck, nation: str | None) -> str:
    """A nation's name, or "the alliance" for none."""
    return "the alliance" if nation is None else deck.nation(nation).name


def seat_name(deck: Deck, seat: str | None) -> str:
    """Whoever sits at a seat: a nation's name, the adversary's name ("Moscow"), "the facilitator"."""
    if seat is None:
        return "the alliance"
    return "the facilitator" if seat == FACILITATOR else deck.seat_name(seat)


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
    red = deck.adversary
    if effect.adversary and red is not None and any(effect.adversary.values()):
        names = {key: stat.name for key, stat in red.stats.items()}
        parts.append(f"{red.name}: {_deltas(names, effect.adversary)}")
    for posture_id, level_id in effect.postures.items():
        parts.append(f"sets {posture_level_text(deck, posture_id, level_id)}")
    return "; ".join(part for part in parts if part)


def subject_name(deck: Deck, condition: Condition) -> str:
    """What a condition reads: `Cohesion`, `Readiness`, `target's Readiness`, `round`,
    `Moscow's Leverage`; for a fact, the fact: `the attribution revealed as state-directed`,
    `the latest Article 4 split`."""
    if condition.track is not None:
        return deck.tracks[condition.track].name
    if condition.actor is not None:
        return deck.stats[condition.actor].name
    if condition.target is not None:
        return f"target's {deck.stats[condition.target].name}"
    red = deck.adversary
    if condition.adversary is not None:
        if red is None or condition.adversary not in red.stats:
            return f"the adversary's {condition.adversary}"
        return f"{red.name}'s {red.stats[condition.adversary].name}"
    if condition.attribution is not None:
        return f"the attribution revealed as {truth_text(condition.attribution)}"
    if condition.consultation is not None:
        return f"the latest {deck.consultation.label} {condition.consultation}"
    if condition.posture is not None:
        return posture_level_text(deck, condition.posture, condition.level or "")
    return "round"


def posture_level_text(deck: Deck, posture_id: str, level_id: str) -> str:
    """A posture at a level in words: `Rules of engagement: Loose`."""
    posture = deck.postures.get(posture_id)
    if posture is None:
        return f"{posture_id}: {level_id}"
    label = next((level.label for level in posture.levels if level.id == level_id), level_id)
    return f"{posture.name}: {label}"


def posture_changes(deck: Deck, level: PostureLevel) -> str:
    """What a posture's level changes, in words: `Shoot them down: chance +20, cost +1`; empty
    for a level that changes nothing."""
    # A response id may be shared by several cards under different labels ("shoot" on three cards):
    # then it is named by its id and how many cards have it, not by one card's label.
    labels: dict[str, set[str]] = {}
    for card in deck.cards:
        for response in card.responses:
            labels.setdefault(response.id, set()).add(response.label)
    cards = {rid: sum(1 for c in deck.cards if any(r.id == rid for r in c.responses)) for rid in labels}

    def named(response_id: str) -> str:
        found = labels.get(response_id, set())
        if len(found) == 1:
            return next(iter(found))
        return f"“{response_id}” ({cards.get(response_id, 0)} cards)" if found else response_id

    parts = []
    for response_id in dict.fromkeys([*level.chance, *level.cost]):
        changes = []
        if level.chance.get(response_id):
            changes.append(f"chance {signed(level.chance[response_id])}")
        if level.cost.get(response_id):
            changes.append(f"cost {signed(level.cost[response_id])}")
        if changes:
            parts.append(f"{named(response_id)}: {', '.join(changes)}")
    return "; ".join(parts)


def condition_text(deck: Deck, condition: Condition) -> str:
    """A condition in words: `Readiness ≥ 2`, `Cohesion 3-6`, `round ≥ 4`, `target's Pressure ≤ 3`,
    `Moscow's Leverage ≥ 4`, `the attribution revealed as state-directed` (a fact has no bounds)."""
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


# --- the adversary's cards and attribution ----------------------------------------------------------

#: The usual truths of an attribution, in words; a deck's own truths are quoted as they are.
_TRUTHS = {"state": "state-directed", "proxy": "the work of a proxy", "accident": "an accident"}


def truth_text(truth: str) -> str:
    """A truth of an attribution in words: `state-directed`, `an accident`, `“insiders”`."""
    return _TRUTHS.get(truth, f"“{truth}”")


def target_names(deck: Deck, card: Card) -> list[str]:
    """The names of the nations a card may aim at, in the deck's order; `["the alliance"]` for an
    alliance card."""
    return [nation_name(deck, target) for target in card_targets(deck, card)]


def council_words(deck: Deck) -> str:
    """How the deck's council decides an alliance card, in a few words."""
    return "a council decides by consensus" if deck.council.is_consensus else "a council votes"


def targets_text(deck: Deck, card: Card) -> str:
    """Where a card may land, in words: `any nation`, `a frontline nation (Poland, Estonia)`,
    `Poland or Estonia`, `the whole alliance (a council votes)`."""
    names = target_names(deck, card)
    words = card.targets
    if words == ("alliance",):
        return f"the whole alliance ({council_words(deck)})"
    if words == ("any",):
        return "any nation"
    listed = ", ".join(names)
    if words == ("frontline",):
        return f"a frontline nation ({listed})"
    if len(names) > 1:
        return f"{', '.join(names[:-1])} or {names[-1]}"
    return listed or "nowhere"


def cost_text(deck: Deck, cost: int, stat_costs: Mapping[str, int]) -> str:
    """What a nation pays for a response or an investment: `cost 3` in treasury alone, else each
    stat by name, `cost 2 Treasury, 1 Interceptors`."""
    if not stat_costs:
        return f"cost {cost}"
    parts = [f"{cost} {stat_name(deck, 'treasury')}"] if cost else []
    parts.extend(f"{amount} {stat_name(deck, stat)}" for stat, amount in stat_costs.items())
    return "cost " + ", ".join(parts)


def stat_name(deck: Deck, stat: str) -> str:
    """A nation stat's name, or its id when the deck does not declare it."""
    declared = deck.stats.get(stat)
    return declared.name if declared is not None else stat


def price_text(deck: Deck, card: Card) -> str:
    """What the adversary pays to play a card: `price 2 Leverage`, `free`."""
    red = deck.adversary
    if card.price <= 0:
        return "free"
    if red is None or red.budget is None:
        return f"price {card.price}"
    stat = red.stats.get(red.budget)
    return f"price {card.price} {stat.name if stat is not None else red.budget}"


def incident_of(incidents: Sequence[Incident], card: str) -> Incident | None:
    """The latest incident of a card (the one in play, when it is in play), if it had an attribution."""
    return next((incident for incident in reversed(incidents) if incident.card == card), None)


def attribution_text(card: Card, incident: Incident | None = None, *, secret: bool = False) -> str:
    """Who sent a card, as far as it is known: `Attribution: unknown (state 50 · proxy 30 · accident
    20)`, then `Revealed: proxy` once revealed; "" for a card that declares no truths.

    The declared truths and their weights are public; the truth drawn is shown before its reveal only
    with `secret` (the facilitator's eyes), marked as such.
    """
    if not card.attribution:
        return ""
    weights = " · ".join(f"{truth} {weight}" for truth, weight in card.attribution.items())
    if incident is not None and incident.is_revealed and incident.truth is not None:
        return f"Revealed: {incident.truth} ({truth_text(incident.truth)})"
    text = f"Attribution: unknown ({weights})"
    if secret and incident is not None and incident.truth is not None:
        text += f"; in truth {incident.truth}, not yet revealed"
    return text


def reveal_text(chance: int | None, what: str = "who sent it") -> str:
    """A chance to reveal a truth, in words: `reveals who sent it`, `60% chance to reveal who sent it`;
    "" for none."""
    if chance is None or chance <= 0:
        return ""
    return f"reveals {what}" if chance >= 100 else f"{chance}% chance to reveal {what}"


def attribution_facts(
    deck: Deck, card: Card, response: Response, actor: str = "you"
) -> tuple[list[str], str]:
    """What a response does about its card's attribution: facts to know before choosing (`60% chance
    to reveal who sent it`, `claims it was state-directed`), and what a wrong claim costs, in words
    (`if the claim is wrong: Credibility -2`; "" when it makes none)."""
    if not card.attribution:
        return [], ""
    facts = [reveal_text(response.reveal)] if response.reveal else []
    wrong = ""
    if response.claims is not None:
        facts.append(f"claims it was {truth_text(response.claims)}")
        cost = effect_text(deck, response.if_wrong, actor)
        wrong = f"if the claim is wrong: {cost or 'nothing'}"
    return facts, wrong


def card_facts(deck: Deck, card: Card) -> list[str]:
    """What the adversary weighs about a card in its hand: price, targets, attribution."""
    facts = [price_text(deck, card), f"on {targets_text(deck, card)}"]
    if card.attribution:
        facts.append(attribution_text(card).replace("Attribution: unknown", "attribution"))
    return facts


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


#: A `source` that names a file (`000_af93ed9a7868d827.txt`, `sources/x.md`), not an address.
_FILE_NAME = re.compile(r"(?!\w+://)\S+\.[A-Za-z0-9]{1,5}")


def card_source(deck: Deck, card: Card) -> str | None:
    """The card's source as the room reads it: a declared source's outlet, title and date
    (`Outlet, “Title”, 2025-10-02`), or the deck's free text as written; None when the deck names
    none, or only a file (the deck author's reference, meaningless on a projector)."""
    declared = deck.source_of(card)
    if declared is not None:
        return declared.citation
    source = " ".join(card.source.split())
    if not source or _FILE_NAME.fullmatch(source):
        return None
    return source


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
_NOTES = {CauseKind.DRIFT: " (round end)", CauseKind.FATIGUE: " (fatigue)", CauseKind.DEADLOCK: " (deadlock)"}


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


def event_lines(deck: Deck, events: Sequence[Event], seat: str = FACILITATOR) -> list[str]:
    """The event log's lines for these events as `seat` may see them (`engine.views.event_view`; the
    facilitator sees all, `PUBLIC` what every nation may), in order; effects are indented under
    their cause.

    Income and passes are left out (every nation has them every round); one stat moving alike for
    several nations is one line; what the adversary pays for a card comes under the card's line.
    """
    if deck.has_secrets:
        events = [event_view(event, seat, deck) for event in events]
    lines: list[str] = []
    price: list[str] = []  # the price of a play comes before the play: kept for the line after it
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
        elif isinstance(event, AdversaryStatMoved) and event.cause.kind is CauseKind.PLAY:
            price.append(f"{_adversary_stat_line(deck, event)} (its price)")
        else:
            line = event_line(deck, event, seat)
            if line is not None:
                lines.append(line)
            if isinstance(event, CardPlayed):
                lines.extend(price)
                price = []
        index += 1
    return lines + price


def _adversary_stat_line(deck: Deck, event: AdversaryStatMoved) -> str:
    red = deck.adversary
    name = red.name if red is not None else "The adversary"
    stat = red.stats[event.stat].name if red is not None and event.stat in red.stats else event.stat
    return f"  {name}: {stat} {event.before} → {event.after}"


def _sees_hand(deck: Deck, seat: str) -> bool:
    """Whether this seat may know the cards in the adversary's hand."""
    return seat == FACILITATOR or deck.is_adversary(seat)


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


def event_line(deck: Deck, event: Event, seat: str = FACILITATOR) -> str | None:
    """One event in words, or None for events the log leaves out; `event` as `seat` may see it
    (see `event_lines`), and the facilitator's vetoes and injections said as that seat may know."""
    if isinstance(event, RoundStarted):
        return f"── Round {event.round} of {deck.info.rounds} ──"
    line = _adversary_line(deck, event, seat)
    if line is not None:
        return line
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
        if event.response == HIDDEN:
            return f"{nation_name(deck, event.nation)} has voted (sealed)"
        label = deck.card(event.card).response(event.response).label
        return f"{nation_name(deck, event.nation)} votes: {label}"
    if isinstance(event, VotesRevealed):
        card = deck.card(event.card)
        votes = ", ".join(
            f"{nation_name(deck, nation)} {card.response(response).label}" for nation, response in event.votes
        )
        return f"Votes revealed: {votes}"
    if isinstance(event, RollMade):
        outcome = "success" if event.success else "failure"
        forced = " (forced by the facilitator)" if event.forced else ""
        return f"  Roll {event.roll} against {event.chance}%: {outcome}{forced}"
    if isinstance(event, ConsultationOpened):
        return f"{nation_name(deck, event.nation)} invokes {deck.consultation.label}"
    if isinstance(event, ProposalMade):
        label = deck.card(event.card).response(event.response).label
        return f"{nation_name(deck, event.chair)} proposes “{label}” to the council"
    if isinstance(event, ProposalAnswered):
        said = {"accept": "accepts", "object": "objects"}.get(event.answer, "answers (sealed)")
        return f"  {nation_name(deck, event.nation)} {said}"
    if isinstance(event, CouncilConcluded):
        resolved = deck.card(event.card).response(event.resolved).label
        if event.adopted:
            return f"The council adopts “{resolved}”"
        objectors = ", ".join(nation_name(deck, nation) for nation in event.objectors)
        return f"The council deadlocks ({objectors} objected): it falls back to “{resolved}”"
    if isinstance(event, ConsultationRequested):
        asks = "requests consultations" if event.request else "does not request consultations"
        return f"{nation_name(deck, event.nation)} {asks} ({deck.consultation.label})"
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
    if isinstance(event, PostureSet):
        posture = deck.postures[event.posture]
        before, after = posture.level(event.before).label, posture.level(event.after).label
        return f"  {posture.name}: {before} → {after}{_cause(event.cause)}"
    if isinstance(event, Narrated):
        return f"  “{event.text}”"
    if isinstance(event, CardInjected):
        red = deck.adversary
        if red is None:
            return f"Facilitator: {deck.card(event.card).title} goes on top of the draw pile"
        if _sees_hand(deck, seat):
            return f"Facilitator: {red.name} must play {quoted(deck.card(event.card).title)} next"
        return f"Facilitator: chooses the card {red.name} plays next"
    if isinstance(event, RollForced):
        whose = "the next roll" if event.seat is None else f"{nation_name(deck, event.seat)}'s next roll"
        return f"Facilitator: {whose} will {'succeed' if event.success else 'fail'}"
    if isinstance(event, NoteAdded):
        return f"Note: {event.text}"
    if isinstance(event, RoundEnded):
        values = " · ".join(f"{deck.tracks[key].name} {value}" for key, value in event.tracks.items())
        return f"Round {event.round} ends: {values}"
    if isinstance(event, GameEnded):
        title = deck.ending(event.ending).title
        return f"GAME OVER: {title}"
    return None


def _adversary_line(deck: Deck, event: Event, seat: str) -> str | None:
    """The adversary's and the attribution's events in words; None for the others (and for the
    adversary's income, which it gains every round)."""
    red = deck.adversary
    name = red.name if red is not None else "The adversary"
    if isinstance(event, CardPlayed):
        card = deck.card(event.card)
        where = (
            nation_name(deck, event.target) if event.target else f"the whole alliance ({council_words(deck)})"
        )
        return f"{name} plays {quoted(card.title)} at {where}"
    if isinstance(event, HandFilled):
        count = f"{len(event.cards)} card{'s' if len(event.cards) != 1 else ''}"
        if all(card == HIDDEN for card in event.cards):
            return f"{name} draws {count}"
        return f"{name} draws {count}: " + ", ".join(f"“{deck.card(card).title}”" for card in event.cards)
    if isinstance(event, CardVetoed):
        if _sees_hand(deck, seat):
            return f"Facilitator: vetoes “{deck.card(event.card).title}”, out of {name}'s hand"
        return f"Facilitator: vetoes a card in {name}'s hand"
    if isinstance(event, AttributionRevealed):
        title = deck.card(event.card).title
        return f"Revealed: “{title}” (round {event.round}) was {truth_text(event.truth)}"
    if isinstance(event, ClaimProved):
        who = "the council" if event.nation is None else nation_name(deck, event.nation)
        label = deck.card(event.card).response(event.response).label
        if event.wrong:
            return (
                f"  ✗ WRONG CLAIM: {who}'s “{label}” said {truth_text(event.claimed)};"
                f" it was {truth_text(event.truth)}"
            )
        return f"  ✓ {who}'s claim “{label}” was right: {truth_text(event.truth)}"
    if isinstance(event, AdversaryStatMoved):
        if event.cause.kind is CauseKind.INCOME:
            return None
        return _adversary_stat_line(deck, event) + _cause(event.cause)
    return None
