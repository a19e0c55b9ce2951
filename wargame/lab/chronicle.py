"""A played game told round by round: what `wargame replay` prints and the after-action report uses.

The chronicle is made by replaying the game's actions through the engine and reading the events,
so it tells exactly what the engine did — rolls, positions, purchases, the facilitator's steering.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from attrs import frozen

from wargame.engine import apply, start_game
from wargame.model import (
    Action,
    AddNote,
    AdjustStat,
    AdjustTrack,
    Controller,
    Deck,
    ForceRoll,
    GameState,
    InjectCard,
)
from wargame.model.events import (
    CardDrawn,
    Cause,
    CauseKind,
    ConsultationOpened,
    ConsultationResolved,
    Event,
    GameEnded,
    Invested,
    Narrated,
    PositionTaken,
    ResponseChosen,
    RollMade,
    RoundEnded,
    RoundStarted,
    TrackMoved,
    VoteCast,
)


@frozen
class Entry:
    """One line of the timeline."""

    round: int
    kind: str
    """`card`, `choice`, `vote`, `roll`, `consultation`, `investment`, `facilitator`, `note`, `story`,
    `round` or `ending`."""
    text: str


@frozen
class Swing:
    """How far one decision moved one track."""

    track: str
    delta: int
    round: int
    cause: str
    """What moved it, in words."""


@frozen
class Chronicle:
    """A whole game, told."""

    state: GameState
    """The final state."""
    entries: tuple[Entry, ...]
    swings: tuple[Swing, ...]

    def turning_points(self, per_track: int = 3) -> dict[str, list[Swing]]:
        """The largest swings of each track, largest first (ties: earliest first)."""
        points: dict[str, list[Swing]] = {}
        for track in self.state.deck.tracks:
            swings = [s for s in self.swings if s.track == track]
            swings.sort(key=lambda s: -abs(s.delta))
            points[track] = swings[:per_track]
        return points


def tell(
    deck: Deck, seed: int, controllers: Mapping[str, Controller | str], actions: Sequence[Action]
) -> Chronicle:
    """Replay a game and tell it. Raises the engine's errors if the actions do not replay."""
    state, opening = start_game(deck, seed, controllers)
    teller = _Teller(deck, state.controllers)
    teller.read(state, opening, None)
    for action in actions:
        before = state
        state, events = apply(state, action)
        teller.read(before, events, action)
    return Chronicle(state, tuple(teller.entries), tuple(teller.swings))


class _Teller:
    def __init__(self, deck: Deck, controllers: Mapping[str, Controller]) -> None:
        self.deck = deck
        self.controllers = controllers
        self.entries: list[Entry] = []
        self.swings: list[Swing] = []
        self.actor: str | None = None

    def name(self, nation: str | None) -> str:
        return "the alliance" if nation is None else self.deck.nation(nation).name

    def who(self, nation: str) -> str:
        return f"{self.name(nation)} ({self.controllers.get(nation, '?')})"

    def say(self, round_number: int, kind: str, text: str) -> None:
        self.entries.append(Entry(round_number, kind, text))

    def read(self, before: GameState, events: list[Event], action: Action | None) -> None:
        round_number = before.round
        if action is not None:
            self._steering(round_number, action)
        # One decision can move a track for several reasons (its response, then the next card drawn,
        # then the round's drift): each swing is credited to the event's own cause.
        moved: dict[tuple[str, str, int], int] = {}
        for event in events:
            if isinstance(event, TrackMoved):
                key = (event.track, self._cause(event.cause), round_number)
                moved[key] = moved.get(key, 0) + event.after - event.before
            round_number = self._event(round_number, event)
        for (track, cause, at_round), delta in moved.items():
            if delta:
                self.swings.append(Swing(track, delta, at_round, cause))

    def _cause(self, cause: Cause) -> str:
        """An event's cause in words, naming who acted."""
        deck, kind = self.deck, cause.kind
        if kind is CauseKind.RESPONSE or kind is CauseKind.ROLL:
            assert cause.card is not None and cause.response is not None
            card = deck.card(cause.card)
            who = "the council" if self.actor is None else self.name(self.actor)
            roll = " (its roll)" if kind is CauseKind.ROLL else ""
            return f'{who} chose "{card.response(cause.response).label}" on "{card.title}"{roll}'
        if kind is CauseKind.CARD:
            assert cause.card is not None
            return f'the card "{deck.card(cause.card).title}" as it was drawn'
        if kind is CauseKind.CONSULTATION:
            return f"{deck.consultation.label} ended {cause.result}, invoked by {self.name(self.actor)}"
        if kind is CauseKind.FATIGUE:
            return f"{deck.consultation.label} invoked too often"
        if kind is CauseKind.POSITION:
            return f"{self.name(self.actor)}'s position ({cause.position})"
        if kind is CauseKind.INVESTMENT:
            assert cause.investment is not None
            return f'{self.name(self.actor)} bought "{deck.investment(cause.investment).name}"'
        if kind is CauseKind.DRIFT:
            return "the drift at the round's end"
        if kind is CauseKind.FACILITATOR:
            return f"the facilitator: {cause.reason}"
        return str(cause)

    def _steering(self, round_number: int, action: Action) -> None:
        if isinstance(action, InjectCard):
            title = self.deck.card(action.card).title
            self.say(round_number, "facilitator", f'Facilitator put "{title}" on top of the draw pile')
        elif isinstance(action, ForceRoll):
            outcome = "succeed" if action.success else "fail"
            self.say(round_number, "facilitator", f"Facilitator forced the next roll to {outcome}")
        elif isinstance(action, AdjustTrack):
            self.say(
                round_number,
                "facilitator",
                f"Facilitator moved {action.track} by {action.delta:+d}: {action.reason}",
            )
        elif isinstance(action, AdjustStat):
            self.say(
                round_number,
                "facilitator",
                f"Facilitator moved {self.name(action.nation)}'s {action.stat} by {action.delta:+d}: "
                f"{action.reason}",
            )
        elif isinstance(action, AddNote):
            self.say(round_number, "note", f"Note: {action.text}")

    def _event(self, round_number: int, event: Event) -> int:
        deck = self.deck
        if isinstance(event, ResponseChosen | PositionTaken | Invested | ConsultationOpened):
            self.actor = event.nation  # who the effects that follow belong to
        if isinstance(event, CardDrawn):
            card = deck.card(event.card)
            where = "for the alliance to decide" if event.target is None else f"on {self.name(event.target)}"
            self.say(round_number, "card", f'Card "{card.title}" {where}')
        elif isinstance(event, VoteCast):
            label = deck.card(event.card).response(event.response).label
            self.say(round_number, "vote", f'{self.who(event.nation)} voted "{label}"')
        elif isinstance(event, ResponseChosen):
            label = deck.card(event.card).response(event.response).label
            actor = "The council chose" if event.nation is None else f"{self.who(event.nation)} chose"
            self.say(round_number, "choice", f'{actor} "{label}"')
        elif isinstance(event, RollMade):
            outcome = "success" if event.success else "failure"
            forced = ", forced by the facilitator" if event.forced else ""
            self.say(round_number, "roll", f"Roll {event.roll} against {event.chance}%: {outcome}{forced}")
        elif isinstance(event, ConsultationOpened):
            label = deck.consultation.label
            self.say(round_number, "consultation", f"{self.name(event.nation)} invoked {label}")
        elif isinstance(event, PositionTaken):
            self.say(round_number, "consultation", f"  {self.who(event.nation)}: {event.position}")
        elif isinstance(event, ConsultationResolved):
            fatigue = f", weakened by {event.fatigue} recent consultation(s)" if event.fatigue else ""
            self.say(
                round_number,
                "consultation",
                f"{deck.consultation.label} result: {event.result} ({event.support} support, "
                f"{event.restrain} restrain, {event.abstain} abstain){fatigue}",
            )
        elif isinstance(event, Invested):
            name = deck.investment(event.investment).name
            self.say(round_number, "investment", f'{self.who(event.nation)} bought "{name}"')
        elif isinstance(event, Narrated):
            self.say(round_number, "story", event.text)
        elif isinstance(event, RoundStarted):
            return event.round
        elif isinstance(event, RoundEnded):
            values = ", ".join(f"{track} {value}" for track, value in event.tracks.items())
            self.say(event.round, "round", f"End of round {event.round}: {values}")
        elif isinstance(event, GameEnded):
            ending = deck.ending(event.ending)
            self.say(round_number, "ending", f"Game over: {ending.title}")
        return round_number
