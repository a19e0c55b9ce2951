"""A played game told round by round: what `wargame replay` prints and the after-action report uses.

The chronicle is made by replaying the game's actions through the engine and reading the events,
so it tells exactly what the engine did — rolls, positions, purchases, the facilitator's steering.
It is the facilitator's record: it tells what was hidden from the nations too (the adversary's hand,
the truths of incidents never revealed), and why the AI adversary chose each play, asking the red
AI to appraise the plays it had, from its own view, at each of its decisions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from attrs import define, evolve, field, frozen

from wargame.ai.adversary import Appraisal, appraise_plays, choose_play
from wargame.engine import apply, start_game
from wargame.engine.views import view
from wargame.model import (
    Action,
    AddNote,
    AdjustStat,
    AdjustTrack,
    Controller,
    Decider,
    Deck,
    ForceRoll,
    GameState,
    InjectCard,
    PlayCard,
    PlayDecision,
    Scripted,
    VetoCard,
    seat_of,
)
from wargame.model.events import (
    AttributionRevealed,
    CardDrawn,
    CardPlayed,
    CardVetoed,
    Cause,
    CauseKind,
    ClaimProved,
    ConsultationOpened,
    ConsultationResolved,
    Event,
    GameEnded,
    HandFilled,
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
    """`card`, `hand`, `choice`, `vote`, `roll`, `consultation`, `investment`, `attribution`,
    `facilitator`, `note`, `story`, `round` or `ending`."""
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
class RedPlay:
    """A card the adversary played, and why."""

    round: int
    seat: str
    """The adversary's id."""
    controller: Controller
    """Who chose: the red AI's persona (`Scripted`), or a red-cell team (`Human`)."""
    card: str
    target: str | None
    """The nation it aimed at; None for an alliance card."""
    seen: GameState
    """The game as the adversary saw it when it chose (its view)."""
    appraisal: Appraisal | None = None
    """What the AI's persona saw in this play; None when a person chose."""
    ranked: tuple[Appraisal, ...] = ()
    """Every play it had, best first (the AI's order: a tie goes to the first); empty for a person."""

    @property
    def is_ai_choice(self) -> bool:
        """Whether the AI chose this play itself (not a red-cell team, nor the facilitator for it)."""
        return self.appraisal is not None and self.ranked[0] == self.appraisal


@frozen
class ClaimStory:
    """A claim about an incident's truth (a response that `claims` one), and what became of it."""

    nation: str | None
    """Who claimed it (None for an alliance council)."""
    response: str
    claimed: str
    round: int
    """The round it was made."""
    proved: int | None
    """The round the revealed truth met it; None if the truth was never revealed in play."""
    wrong: bool
    """Whether it differs from the truth (known to the facilitator even when never revealed)."""


@frozen
class IncidentStory:
    """An incident (a card with an attribution that came into play), its truth and its claims."""

    card: str
    round: int
    target: str | None
    truth: str
    revealed: int | None
    """The round its truth was revealed; None if never revealed in play."""
    revealed_by: str | None
    """What revealed it, in words."""
    claims: tuple[ClaimStory, ...]


@frozen
class Chronicle:
    """A whole game, told."""

    state: GameState
    """The final state."""
    entries: tuple[Entry, ...]
    swings: tuple[Swing, ...]
    plays: tuple[RedPlay, ...] = ()
    """The adversary's plays, in order (none for a deck without an adversary)."""
    incidents: tuple[IncidentStory, ...] = ()
    """Every incident, in order, as `state.incidents` holds them."""

    def turning_points(self, per_track: int = 3) -> dict[str, list[Swing]]:
        """The largest swings of each track, largest first (ties: earliest first)."""
        points: dict[str, list[Swing]] = {}
        for track in self.state.deck.tracks:
            swings = [s for s in self.swings if s.track == track]
            swings.sort(key=lambda s: -abs(s.delta))
            points[track] = swings[:per_track]
        return points


def tell(
    deck: Deck,
    seed: int,
    controllers: Mapping[str, Controller | str],
    actions: Sequence[Action],
    deciders: Sequence[Decider] | None = None,
) -> Chronicle:
    """Replay a game and tell it. Raises the engine's errors if the actions do not replay.

    `deciders` (parallel to `actions`, from the save's record) names who really made a decision
    where it was not the seat's own controller: the AI on a team's timeout, or the facilitator."""
    state, opening = start_game(deck, seed, controllers)
    teller = _Teller(deck, state.controllers)
    teller.read(state, opening, None)
    for number, action in enumerate(actions):
        before = state
        state, events = apply(state, action)
        teller.by = (seat_of(action), deciders[number]) if deciders else None
        teller.read(before, events, action)
    return Chronicle(
        state, tuple(teller.entries), tuple(teller.swings), tuple(teller.plays), teller.incidents(state)
    )


#: Who decided instead of a seat's own controller, in the timeline's words.
_OVERRULED: dict[str, str] = {"ai-timeout": "the AI, on the team's timeout", "facilitator": "the facilitator"}


@define
class _Claim:
    nation: str | None
    response: str
    claimed: str
    round: int
    proved: int | None = None


@define
class _Incident:
    card: str
    round: int
    target: str | None
    revealed: int | None = None
    revealed_by: str | None = None
    claims: list[_Claim] = field(factory=list)


class _Teller:
    def __init__(self, deck: Deck, controllers: Mapping[str, Controller]) -> None:
        self.deck = deck
        self.controllers = controllers
        self.entries: list[Entry] = []
        self.swings: list[Swing] = []
        self.actor: str | None = None
        self.plays: list[RedPlay] = []
        self.stories: list[_Incident] = []
        self.revealer: str | None = None
        """What may reveal a truth in this step (the response chosen, the investment bought)."""
        self.just_revealed: _Incident | None = None
        self.by: tuple[str | None, Decider] | None = None
        """The seat of the action being told and who really made it, from the save's record."""

    def name(self, seat: str | None) -> str:
        if seat is None:
            return "the alliance"
        red = self.deck.adversary
        if red is not None and red.id == seat:
            return red.name
        return self.deck.nation(seat).name

    def incidents(self, state: GameState) -> tuple[IncidentStory, ...]:
        """The incidents told, with their truths from the final state (which holds them all)."""
        told = []
        for story, incident in zip(self.stories, state.incidents, strict=True):
            truth = incident.truth
            assert truth is not None and incident.card == story.card
            claims = tuple(
                ClaimStory(c.nation, c.response, c.claimed, c.round, c.proved, c.claimed != truth)
                for c in story.claims
            )
            told.append(
                IncidentStory(
                    story.card, story.round, story.target, truth, story.revealed, story.revealed_by, claims
                )
            )
        return tuple(told)

    def who(self, nation: str) -> str:
        """A seat's name and who decided for it: its controller, unless the record says the AI
        decided on the team's timeout, or the facilitator decided for it."""
        if self.by is not None and self.by[0] == nation and self.by[1] in _OVERRULED:
            return f"{self.name(nation)} ({_OVERRULED[self.by[1]]})"
        return f"{self.name(nation)} ({self.controllers.get(nation, '?')})"

    def say(self, round_number: int, kind: str, text: str) -> None:
        self.entries.append(Entry(round_number, kind, text))

    def read(self, before: GameState, events: list[Event], action: Action | None) -> None:
        round_number = before.round
        self.revealer, self.just_revealed = None, None
        if isinstance(action, PlayCard):
            self._appraise(before, action)
        elif action is not None:
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

    def _appraise(self, before: GameState, action: PlayCard) -> None:
        """Why the adversary played this card there: the red AI's appraisal of every play it had,
        from its own view (a red-cell team's choice has no appraisal)."""
        seat = action.seat
        seen = view(before, seat)
        controller = before.controllers[seat]
        play = RedPlay(before.round, seat, controller, action.card, action.target, seen)
        if isinstance(controller, Scripted) and isinstance(before.pending, PlayDecision):
            appraisals = appraise_plays(seen, seat)
            # The AI's own pick first (ties go to the first in its order), then the rest by value.
            pick = choose_play(seen, seat)
            ranked = sorted(appraisals, key=lambda a: (a.action != pick, -a.value))
            chosen = next(a for a in appraisals if a.action == action)
            play = evolve(play, appraisal=chosen, ranked=tuple(ranked))
        self.plays.append(play)

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
        if kind is CauseKind.CLAIM:
            assert cause.card is not None and cause.response is not None
            card = deck.card(cause.card)
            label = card.response(cause.response).label
            return f'the claim "{label}" on "{card.title}" turned out wrong'
        return str(cause)

    def _steering(self, round_number: int, action: Action) -> None:
        red = self.deck.adversary
        if isinstance(action, InjectCard):
            title = self.deck.card(action.card).title
            where = "on top of the draw pile" if red is None else f"in {red.name}'s hand as its next play"
            self.say(round_number, "facilitator", f'Facilitator put "{title}" {where}')
        elif isinstance(action, VetoCard):
            title = self.deck.card(action.card).title
            owner = "the adversary" if red is None else red.name
            self.say(round_number, "facilitator", f'Facilitator vetoed "{title}" from {owner}\'s hand')
        elif isinstance(action, ForceRoll):
            outcome = "succeed" if action.success else "fail"
            whose = "the next roll" if action.seat is None else f"{self.name(action.seat)}'s next roll"
            self.say(round_number, "facilitator", f"Facilitator forced {whose} to {outcome}")
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
            if isinstance(event, CardPlayed):
                self.say(round_number, "card", f'{self.who(event.seat)} played "{card.title}" {where}')
            else:
                self.say(round_number, "card", f'Card "{card.title}" {where}')
            if card.attribution:
                self.stories.append(_Incident(card.id, round_number, event.target))
        elif isinstance(event, HandFilled):
            titles = ", ".join(f'"{deck.card(card).title}"' for card in event.cards)
            self.say(round_number, "hand", f"{self.name(event.seat)} drew {titles} (hidden from the nations)")
        elif isinstance(event, AttributionRevealed):
            self._revealed(round_number, event)
        elif isinstance(event, ClaimProved):
            self._proved(round_number, event)
        elif isinstance(event, VoteCast):
            label = deck.card(event.card).response(event.response).label
            self.say(round_number, "vote", f'{self.who(event.nation)} voted "{label}"')
        elif isinstance(event, ResponseChosen):
            card = deck.card(event.card)
            response = card.response(event.response)
            actor = "The council chose" if event.nation is None else f"{self.who(event.nation)} chose"
            self.say(round_number, "choice", f'{actor} "{response.label}"')
            self.revealer = "the council" if event.nation is None else self.who(event.nation)
            self.revealer += f' chose "{response.label}"'
            if response.claims is not None and card.attribution and self.stories:
                # The card in play's incident is the latest: it was drawn as the card came into play.
                claim = _Claim(event.nation, response.id, response.claims, round_number)
                self.stories[-1].claims.append(claim)
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
            self.revealer = f'{self.who(event.nation)} bought "{name}"'
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
        elif isinstance(event, CardVetoed):
            pass  # told with the facilitator's action
        return round_number

    def _revealed(self, round_number: int, event: AttributionRevealed) -> None:
        title = self.deck.card(event.card).title
        by = f" ({self.revealer})" if self.revealer else ""
        self.say(
            round_number,
            "attribution",
            f'Revealed: "{title}" of round {event.round} was {event.truth}{by}',
        )
        for story in self.stories:
            if story.card == event.card and story.round == event.round and story.revealed is None:
                story.revealed, story.revealed_by = round_number, self.revealer
                self.just_revealed = story
                return

    def _proved(self, round_number: int, event: ClaimProved) -> None:
        card = self.deck.card(event.card)
        label = card.response(event.response).label
        who = "the council" if event.nation is None else self.name(event.nation)
        verdict = "wrong" if event.wrong else "right"
        self.say(
            round_number,
            "attribution",
            f'{who}\'s claim "{label}" ({event.claimed}) on "{card.title}" proved {verdict}',
        )
        # Claims are settled when their incident is revealed, or at once when it already was (the
        # card in play's incident, the latest of its card).
        story = self.just_revealed
        if story is None or story.card != event.card:
            story = next(s for s in reversed(self.stories) if s.card == event.card)
        for claim in story.claims:
            if claim.proved is None and claim.response == event.response and claim.nation == event.nation:
                claim.proved = round_number
                return
