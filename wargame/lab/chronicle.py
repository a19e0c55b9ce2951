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
    FACILITATOR_ACTIONS,
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
    Persona,
    PlayCard,
    PlayDecision,
    RedPersona,
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
    ConsultationRequested,
    ConsultationResolved,
    CouncilConcluded,
    Event,
    GameEnded,
    HandFilled,
    Invested,
    Narrated,
    PositionTaken,
    PostureSet,
    ProposalAnswered,
    ProposalMade,
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
    `facilitator`, `note`, `story`, `position` (a nation's position in a consultation), `reaction` (its
    government's reaction at home), `round` or `ending`."""
    text: str
    effects: tuple[tuple[str, int], ...] = ()
    """How the decision told on this line moved the tracks: (track id, delta), in the deck's order."""


@frozen
class Decision:
    """One decision of a seat (a response, a vote, a position, an investment, the adversary's play) or
    one of the facilitator's interventions, and how it moved the tracks."""

    round: int
    seat: str | None
    """The nation or the adversary; None for the facilitator."""
    kind: str
    """`choice`, `vote`, `position`, `investment`, `play` or `facilitator`."""
    text: str
    """What was decided, in words (`chose "Scramble fighters" on "Jets against cheap drones"`)."""
    effects: tuple[tuple[str, int], ...] = ()
    """(track id, delta) of what the decision itself did to the tracks, in the deck's order."""
    roll: str | None = None
    """The roll the decision called for, in words."""


@frozen
class ConsultationStory:
    """A consultation: who invoked it on which card, each nation's position, and what it did."""

    round: int
    invoker: str
    card: str
    positions: tuple[tuple[str, str], ...]
    """(nation, position), in the order they were taken."""
    reactions: tuple[tuple[str, str], ...]
    """(position, the line told at home), each distinct line once."""
    result: str | None
    """`unified`, `restrained` or `split`; None while the consultation was still open."""
    effects: tuple[tuple[str, int], ...]
    """(track id, delta) of its result and fatigue."""


@frozen
class CouncilStory:
    """An alliance council: the card, each nation's vote, and the response the council chose."""

    round: int
    card: str
    votes: tuple[tuple[str, str], ...]
    """(nation, response id), in the order they were cast."""
    chosen: str | None
    """The response id the council chose; None while it was still voting."""
    effects: tuple[tuple[str, int], ...]
    roll: str | None = None
    consensus: bool = False
    """A consensus council: `votes` holds the chair's proposal alone, `answers` the others'."""
    answers: tuple[tuple[str, str], ...] = ()
    """(nation, "accept" or "object"), in turn order: a consensus council's answers to the proposal."""
    adopted: bool | None = None
    """Whether the council decided without a deadlock (a plurality council always does); None while
    it was still deciding."""


@frozen
class PostureChange:
    """A posture moved to another level."""

    round: int
    posture: str
    before: str
    after: str
    cause: str
    """What set it, in words."""


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
    decisions: tuple[Decision, ...] = ()
    """Every decision and intervention, in order (a nation's pass is none)."""
    consultations: tuple[ConsultationStory, ...] = ()
    councils: tuple[CouncilStory, ...] = ()
    blow: Swing | None = None
    """The swing that ended the game in a defeat (one of `swings`); None otherwise."""
    postures: tuple[PostureChange, ...] = ()
    """Every posture's moves, in order (none for a deck without postures)."""

    def turning_points(self, per_track: int = 3) -> dict[str, list[Swing]]:
        """The largest swings of each track, largest first (ties: earliest first); the blow that ended
        the game is among its track's, last if it is not one of the largest."""
        points: dict[str, list[Swing]] = {}
        for track in self.state.deck.tracks:
            swings = [s for s in self.swings if s.track == track]
            swings.sort(key=lambda s: -abs(s.delta))
            points[track] = swings[:per_track]
            blow = self.blow
            if blow is not None and blow.track == track and not any(s is blow for s in points[track]):
                points[track].append(blow)
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
        state,
        teller.told_entries(),
        tuple(teller.swings),
        tuple(teller.plays),
        teller.incidents(state),
        tuple(decision.told(deck) for decision in teller.decisions),
        tuple(consultation.told(deck) for consultation in teller.consultations),
        tuple(council.told(deck) for council in teller.councils),
        teller.blow,
        tuple(teller.postures),
    )


#: Who decided instead of a seat's own controller, in the timeline's words.
_OVERRULED: dict[str, str] = {"ai-timeout": "the AI, on the team's timeout", "facilitator": "the facilitator"}


def quoted(title: str) -> str:
    """A title in quotes, unless it is quoted already (`"Shoot them down"` is a quotation in the deck):
    never two pairs of quotes."""
    if len(title) > 1 and title[0] in _OPENING_QUOTES and title[-1] in _CLOSING_QUOTES:
        return title
    return f'"{title}"'


_OPENING_QUOTES = frozenset("\"\u201c\u201e\u00ab'")
_CLOSING_QUOTES = frozenset("\"\u201d\u00bb'")


def controller_words(deck: Deck, seat: str, controller: Controller | None, *, nested: bool = False) -> str:
    """Who plays a seat, in words: "team" (people at the table), "AI (Hawk)" (the persona's name);
    `nested`, for a text already in parentheses: "AI Hawk"."""
    if controller is None:
        return "?"
    if not isinstance(controller, Scripted):
        return "team"
    red = deck.adversary
    personas: Mapping[str, Persona | RedPersona] = (
        red.personas if red is not None and red.id == seat else deck.personas
    )
    persona = personas.get(controller.persona)
    name = controller.persona if persona is None else persona.name
    return f"AI {name}" if nested else f"AI ({name})"


def _effects(deck: Deck, moved: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple((track, moved[track]) for track in deck.tracks if moved.get(track))


@define
class _Claim:
    nation: str | None
    response: str
    claimed: str
    round: int
    proved: int | None = None


@define
class _Decision:
    round: int
    seat: str | None
    kind: str
    text: str
    entry: int | None
    """The index of its line in the timeline."""
    moved: dict[str, int] = field(factory=dict)
    roll: str | None = None

    def told(self, deck: Deck) -> Decision:
        return Decision(self.round, self.seat, self.kind, self.text, _effects(deck, self.moved), self.roll)


@define
class _Consultation:
    round: int
    invoker: str
    card: str
    positions: list[tuple[str, str]] = field(factory=list)
    reactions: dict[tuple[str, str], None] = field(factory=dict)
    result: str | None = None
    moved: dict[str, int] = field(factory=dict)
    entry: int | None = None
    """The index of its result's line in the timeline."""

    def told(self, deck: Deck) -> ConsultationStory:
        return ConsultationStory(
            self.round,
            self.invoker,
            self.card,
            tuple(self.positions),
            tuple(self.reactions),
            self.result,
            _effects(deck, self.moved),
        )


@define
class _Council:
    round: int
    card: str
    votes: list[tuple[str, str]] = field(factory=list)
    chosen: str | None = None
    moved: dict[str, int] = field(factory=dict)
    roll: str | None = None
    entry: int | None = None
    """The index of its choice's line in the timeline."""
    consensus: bool = False
    answers: list[tuple[str, str]] = field(factory=list)
    adopted: bool | None = None

    def told(self, deck: Deck) -> CouncilStory:
        return CouncilStory(
            self.round,
            self.card,
            tuple(self.votes),
            self.chosen,
            _effects(deck, self.moved),
            self.roll,
            self.consensus,
            tuple(self.answers),
            # A plurality council always decides: it was adopted once it chose.
            self.adopted if self.consensus else (True if self.chosen is not None else None),
        )


#: What moves the tracks on behalf of each kind of decision (the rest: the next card, the drift...).
_OWN_CAUSES = {
    "choice": {CauseKind.RESPONSE, CauseKind.ROLL},
    "position": {CauseKind.POSITION},
    "investment": {CauseKind.INVESTMENT},
    "play": {CauseKind.CARD},
    "facilitator": {CauseKind.FACILITATOR},
}


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
        self.decisions: list[_Decision] = []
        self.deciding: _Decision | None = None
        """The decision whose effects are being told (they follow it in the events)."""
        self.consultations: list[_Consultation] = []
        self.councils: list[_Council] = []
        self.council: _Council | None = None
        """The council voting on the card in play."""
        self.blow: Swing | None = None
        self.postures: list[PostureChange] = []

    def told_entries(self) -> tuple[Entry, ...]:
        """The timeline, each decision's line with its effects on the tracks."""
        entries = list(self.entries)
        told: list[_Decision | _Consultation | _Council] = [
            *self.decisions,
            *self.consultations,
            *self.councils,
        ]
        for decision in told:
            if decision.entry is not None and decision.moved:
                entries[decision.entry] = evolve(
                    entries[decision.entry], effects=_effects(self.deck, decision.moved)
                )
        return tuple(entries)

    def decide(self, round_number: int, seat: str | None, kind: str, text: str) -> None:
        """A decision told on the timeline's latest line: the effects that follow are its own."""
        self.deciding = _Decision(round_number, seat, kind, text, len(self.entries) - 1)
        self.decisions.append(self.deciding)

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
        """A seat and who decided for it: who plays it ("Estonia (AI Hawk)", "Poland (team)", no
        parentheses in parentheses), unless the record says the AI decided on the team's timeout or
        the facilitator decided for it."""
        if self.by is not None and self.by[0] == nation and self.by[1] in _OVERRULED:
            return f"{self.name(nation)} ({_OVERRULED[self.by[1]]})"
        words = controller_words(self.deck, nation, self.controllers.get(nation), nested=True)
        return f"{self.name(nation)} ({words})"

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
        last: tuple[str, str, int] | None = None
        blow: tuple[str, str, int] | None = None
        for event in events:
            if isinstance(event, TrackMoved):
                key = (event.track, self._cause(event.cause), round_number)
                moved[key] = moved.get(key, 0) + event.after - event.before
                self._credit(event)
                last = key if event.after != event.before else last
            elif isinstance(event, GameEnded) and event.defeat:
                blow = last  # the defeat is checked after each move: the last one crossed its line
            round_number = self._event(round_number, event)
        for key, delta in moved.items():
            if delta:
                track, cause, at_round = key
                self.swings.append(Swing(track, delta, at_round, cause))
                if key == blow:
                    self.blow = self.swings[-1]

    def _credit(self, event: TrackMoved) -> None:
        """A track's move, to the decision, consultation or council it belongs to."""
        delta, kind = event.after - event.before, event.cause.kind
        if kind in (CauseKind.CONSULTATION, CauseKind.FATIGUE) and self.consultations:
            owner = self.consultations[-1].moved
        elif self.councils and (
            (kind in (CauseKind.RESPONSE, CauseKind.ROLL) and self.actor is None)
            or kind is CauseKind.DEADLOCK
        ):
            owner = self.councils[-1].moved
        elif self.deciding is not None and kind in _OWN_CAUSES.get(self.deciding.kind, ()):
            owner = self.deciding.moved
        else:
            return
        owner[event.track] = owner.get(event.track, 0) + delta

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
            return f"{who} chose {quoted(card.response(cause.response).label)} on {quoted(card.title)}{roll}"
        if kind is CauseKind.CARD:
            assert cause.card is not None
            return f"the card {quoted(deck.card(cause.card).title)} as it was drawn"
        if kind is CauseKind.CONSULTATION:
            return f"{deck.consultation.label} ended {cause.result}, invoked by {self.name(self.actor)}"
        if kind is CauseKind.FATIGUE:
            return f"{deck.consultation.label} invoked too often"
        if kind is CauseKind.POSITION:
            return f"{self.name(self.actor)}'s position ({cause.position})"
        if kind is CauseKind.INVESTMENT:
            assert cause.investment is not None
            return f"{self.name(self.actor)} bought {quoted(deck.investment(cause.investment).name)}"
        if kind is CauseKind.DRIFT:
            return "the drift at the round's end"
        if kind is CauseKind.FACILITATOR:
            return f"the facilitator: {cause.reason}"
        if kind is CauseKind.DEADLOCK:
            assert cause.card is not None
            return f"the council's deadlock on {quoted(deck.card(cause.card).title)}"
        if kind is CauseKind.CLAIM:
            assert cause.card is not None and cause.response is not None
            card = deck.card(cause.card)
            label = card.response(cause.response).label
            return f"the claim {quoted(label)} on {quoted(card.title)} turned out wrong"
        return str(cause)

    def _steering(self, round_number: int, action: Action) -> None:
        self._steer(round_number, action)
        if isinstance(action, FACILITATOR_ACTIONS) and not isinstance(action, AddNote):
            text = self.entries[-1].text.removeprefix("Facilitator ")
            self.decide(round_number, None, "facilitator", text)

    def _steer(self, round_number: int, action: Action) -> None:
        red = self.deck.adversary
        if isinstance(action, InjectCard):
            title = quoted(self.deck.card(action.card).title)
            where = "on top of the draw pile" if red is None else f"in {red.name}'s hand as its next play"
            self.say(round_number, "facilitator", f"Facilitator put {title} {where}")
        elif isinstance(action, VetoCard):
            title = quoted(self.deck.card(action.card).title)
            owner = "the adversary" if red is None else red.name
            self.say(round_number, "facilitator", f"Facilitator vetoed {title} from {owner}'s hand")
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
        elif isinstance(event, ConsultationResolved):
            # The result's effects are the invoker's: the positions taken since named other nations.
            self.actor = event.nation
        if isinstance(event, CardDrawn):
            card = deck.card(event.card)
            where = "for the alliance to decide" if event.target is None else f"on {self.name(event.target)}"
            if isinstance(event, CardPlayed):
                played = f"played {quoted(card.title)} {where}"
                self.say(round_number, "card", f"{self.who(event.seat)} {played}")
                self.decide(round_number, event.seat, "play", played)
            else:
                self.say(round_number, "card", f"Card {quoted(card.title)} {where}")
                self.deciding = None  # a card dealt blind is nobody's decision
            if card.attribution:
                self.stories.append(_Incident(card.id, round_number, event.target))
        elif isinstance(event, HandFilled):
            titles = ", ".join(quoted(deck.card(card).title) for card in event.cards)
            self.say(round_number, "hand", f"{self.name(event.seat)} drew {titles} (hidden from the nations)")
        elif isinstance(event, AttributionRevealed):
            self._revealed(round_number, event)
        elif isinstance(event, ClaimProved):
            self._proved(round_number, event)
        elif isinstance(event, PostureSet):
            posture = deck.postures[event.posture]
            level = posture.level(event.after).label
            self.say(round_number, "posture", f"{posture.name} set to {quoted(level)}")
            change = PostureChange(
                round_number, event.posture, event.before, event.after, self._cause(event.cause)
            )
            self.postures.append(change)
        elif isinstance(event, ProposalMade):
            card = deck.card(event.card)
            label = quoted(card.response(event.response).label)
            self.say(round_number, "vote", f"{self.who(event.chair)} proposed {label} to the council")
            self.decide(round_number, event.chair, "vote", f"proposed {label} on {quoted(card.title)}")
            self.council = _Council(round_number, event.card, consensus=True)
            self.councils.append(self.council)
            self.council.votes.append((event.chair, event.response))
        elif isinstance(event, ProposalAnswered):
            if self.council is not None and self.council.card == event.card:
                self.council.answers.append((event.nation, event.answer))
            said = "objected" if event.answer == "object" else "accepted"
            self.say(round_number, "vote", f"{self.who(event.nation)} {said}")
            self.decide(
                round_number,
                event.nation,
                "vote",
                f"{'objected to' if event.answer == 'object' else 'accepted'} the proposal on"
                f" {quoted(deck.card(event.card).title)}",
            )
        elif isinstance(event, CouncilConcluded):
            if self.council is not None and self.council.card == event.card:
                self.council.adopted = event.adopted
            label = quoted(deck.card(event.card).response(event.resolved).label)
            if event.adopted:
                self.say(round_number, "vote", f"The council adopted {label}")
            else:
                objectors = ", ".join(self.name(nation) for nation in event.objectors)
                self.say(
                    round_number, "vote", f"The council deadlocked ({objectors} objected): fallback {label}"
                )
        elif isinstance(event, VoteCast):
            card = deck.card(event.card)
            label = quoted(card.response(event.response).label)
            self.say(round_number, "vote", f"{self.who(event.nation)} voted {label}")
            self.decide(round_number, event.nation, "vote", f"voted {label} on {quoted(card.title)}")
            if self.council is None or self.council.card != event.card:
                self.council = _Council(round_number, event.card)
                self.councils.append(self.council)
            self.council.votes.append((event.nation, event.response))
        elif isinstance(event, ResponseChosen):
            card = deck.card(event.card)
            response = card.response(event.response)
            label = quoted(response.label)
            actor = "The council chose" if event.nation is None else f"{self.who(event.nation)} chose"
            self.say(round_number, "choice", f"{actor} {label}")
            if event.nation is None:
                self.deciding = None
                if self.council is not None and self.council.card == event.card:
                    self.council.chosen, self.council.entry = event.response, len(self.entries) - 1
                self.council = None
            else:
                self.decide(round_number, event.nation, "choice", f"chose {label} on {quoted(card.title)}")
            self.revealer = "the council" if event.nation is None else self.who(event.nation)
            self.revealer += f" chose {label}"
            if response.claims is not None and card.attribution and self.stories:
                # The card in play's incident is the latest: it was drawn as the card came into play.
                claim = _Claim(event.nation, response.id, response.claims, round_number)
                self.stories[-1].claims.append(claim)
        elif isinstance(event, RollMade):
            outcome = "success" if event.success else "failure"
            forced = ", forced by the facilitator" if event.forced else ""
            roll = f"Roll {event.roll} against {event.chance}%: {outcome}{forced}"
            self.say(round_number, "roll", roll)
            if self.actor is None and self.councils:
                self.councils[-1].roll = roll
            elif self.deciding is not None:
                self.deciding.roll = roll
        elif isinstance(event, ConsultationRequested):
            label = deck.consultation.label
            asked = f"requested consultations ({label})" if event.request else f"did not request {label}"
            self.say(round_number, "consultation", f"{self.who(event.nation)} {asked}")
            self.decide(round_number, event.nation, "follow-up", asked)
        elif isinstance(event, ConsultationOpened):
            label = deck.consultation.label
            self.say(round_number, "consultation", f"{self.name(event.nation)} invoked {label}")
            self.consultations.append(_Consultation(round_number, event.nation, event.card))
        elif isinstance(event, PositionTaken):
            self.say(round_number, "position", f"  {self.who(event.nation)}: {event.position}")
            invoked = (
                f" when {self.name(self.consultations[-1].invoker)} invoked {deck.consultation.label}"
                if self.consultations
                else ""
            )
            self.decide(
                round_number, event.nation, "position", f'took the position "{event.position}"{invoked}'
            )
            if self.consultations:
                self.consultations[-1].positions.append((event.nation, event.position))
        elif isinstance(event, ConsultationResolved):
            fatigue = f", weakened by {event.fatigue} recent consultation(s)" if event.fatigue else ""
            self.say(
                round_number,
                "consultation",
                f"{deck.consultation.label} result: {event.result} ({event.support} support, "
                f"{event.restrain} restrain, {event.abstain} abstain){fatigue}",
            )
            self.deciding = None
            if self.consultations:
                self.consultations[-1].result = str(event.result)
                self.consultations[-1].entry = len(self.entries) - 1
        elif isinstance(event, Invested):
            name = quoted(deck.investment(event.investment).name)
            self.say(round_number, "investment", f"{self.who(event.nation)} bought {name}")
            self.decide(round_number, event.nation, "investment", f"bought {name}")
            self.revealer = f"{self.who(event.nation)} bought {name}"
        elif isinstance(event, Narrated):
            if (
                event.cause.kind is CauseKind.POSITION
                and self.consultations
                and self.consultations[-1].positions
            ):
                # A government's reaction at home to its position: told once per line, in its table.
                position = self.consultations[-1].positions[-1][1]
                self.consultations[-1].reactions[(position, event.text)] = None
                self.say(round_number, "reaction", event.text)
            else:
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
            f"Revealed: {quoted(title)} of round {event.round} was {event.truth}{by}",
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
            f"{who}'s claim {quoted(label)} ({event.claimed}) on {quoted(card.title)} proved {verdict}",
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
