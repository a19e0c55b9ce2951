"""The state of a game in progress, and the decision it is waiting for.

A state is a value: the engine never changes one, it returns a new one. Chance lives inside it (`rng`),
so a game is fully given by its deck, its seed and its actions.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import define, field, frozen

from wargame.model.actions import Position
from wargame.model.controllers import Controller, Human, persona_in
from wargame.model.deck import Deck


@frozen
class RespondDecision:
    """A nation must answer the card in play, or cast its vote in an alliance council."""

    card: str
    """Id of the card in play."""
    target: str | None
    """The nation the card landed on, or None for an alliance card."""
    nation: str
    """Who decides now: the target, or the next voter of an alliance council (under a consensus
    council, the chair, who proposes)."""
    votes: tuple[tuple[str, str], ...] = ()
    """Alliance council votes cast so far, as (nation, response); in a seat's view of sealed votes,
    the others' responses are `HIDDEN`."""

    @property
    def is_vote(self) -> bool:
        """Whether this is a vote in an alliance council."""
        return self.target is None

    @property
    def seat(self) -> str:
        """Who decides now."""
        return self.nation


@frozen
class PositionDecision:
    """A nation must take its position in an open consultation."""

    card: str
    """Id of the card whose response invoked the consultation."""
    invoker: str
    """The nation that invoked it."""
    nation: str
    """Who decides now."""
    positions: tuple[tuple[str, Position], ...] = ()
    """Positions taken so far, as (nation, position)."""

    @property
    def seat(self) -> str:
        """Who decides now."""
        return self.nation


@frozen
class FollowUpDecision:
    """The target of a card with `article4_after` has responded: it may also request consultations."""

    card: str
    """Id of the card in play."""
    nation: str
    """The nation the card landed on: who decides now."""

    @property
    def seat(self) -> str:
        """Who decides now."""
        return self.nation


@frozen
class ProposalDecision:
    """Under a consensus council, a nation accepts the chair's proposal or objects to it."""

    card: str
    """Id of the alliance card in play."""
    proposal: str
    """The response the chair proposed."""
    chair: str
    """The nation that proposed it (the first in turn order)."""
    nation: str
    """Who answers now."""
    answers: tuple[tuple[str, str], ...] = ()
    """Answers given so far, as (nation, "accept" or "object"); in a seat's view of sealed votes,
    the others' answers are `HIDDEN`."""

    @property
    def seat(self) -> str:
        """Who decides now."""
        return self.nation


@frozen
class InvestDecision:
    """A nation may buy investments, then passes."""

    nation: str
    """Who decides now."""
    bought: Mapping[str, int]
    """Investment id to how many this nation bought this round."""

    @property
    def seat(self) -> str:
        """Who decides now."""
        return self.nation


@frozen
class PlayDecision:
    """The adversary must play a card from its hand (the hand is the state's `hand`)."""

    seat: str
    """The adversary's id."""
    only: str | None = None
    """The one card it may play, when the facilitator injected it; else any affordable card."""


Decision = (
    RespondDecision | PositionDecision | FollowUpDecision | ProposalDecision | InvestDecision | PlayDecision
)

#: What a seat's view shows in place of what it may not see: a card in the adversary's hand, a
#: sealed vote.
HIDDEN = "?"


@frozen
class Claim:
    """A response that asserted a truth of an incident's attribution, waiting for the reveal."""

    nation: str | None
    """Who claimed it (None for an alliance council)."""
    response: str
    """Id of the response, of the incident's card."""


@frozen
class Incident:
    """A card with an attribution that came into play, and its secret truth."""

    card: str
    """Id of the card."""
    round: int
    """The round it came into play."""
    truth: str | None
    """Who really sent it: one of the card's declared truths (None in a view that may not see it)."""
    revealed: int | None = None
    """The round its truth was revealed, if it was."""
    claims: tuple[Claim, ...] = ()
    """Claims made while the truth was hidden; each wrong one costs its `if_wrong` at the reveal."""

    @property
    def is_revealed(self) -> bool:
        """Whether everyone knows the truth."""
        return self.revealed is not None


@define
class Board:
    """What the rules and the AI read of a game: its fields, written once, here.

    A `GameState` is a frozen board; the engine's working `Table`, on which the lab plays in place
    (see `engine.play`), is a mutable one. Both are built field by field from `attrs.fields`, so a
    new field is declared here and nowhere else. Fields with a default are what a new game starts
    with; `engine.start_game` gives the others.
    """

    deck: Deck
    """The deck being played."""
    seed: int
    """The seed the game started from."""
    controllers: Mapping[str, Controller]
    """Nation id to who decides for it: `Human()` or `Scripted(persona)`."""
    rng: int
    """The engine's PRNG state (splitmix64), a 64-bit unsigned integer."""
    tracks: Mapping[str, int]
    """Track id to value."""
    stats: Mapping[str, Mapping[str, int]]
    """Nation id to stat id to value."""
    history: Mapping[str, tuple[int, ...]]
    """Track id to its value at the start and at the end of every round played."""
    round: int = 1
    """The current round, from 1."""
    draw_pile: tuple[str, ...] = ()
    """Card ids still to draw; the first is the top."""
    discard: tuple[str, ...] = ()
    """Card ids already resolved."""
    draws_left: int = 0
    """Cards still to draw this round after the one in play."""
    card: str | None = None
    """Id of the card in play, if any."""
    target: str | None = None
    """The nation the card in play landed on (None for an alliance card or no card)."""
    pending: Decision | None = None
    """The decision the game waits for; None once it is over."""
    consultations: tuple[int, ...] = ()
    """The round of every consultation held so far."""
    forced_roll: bool | None = None
    """A facilitator-forced outcome for the next roll, if any."""
    forced_seat: str | None = None
    """The nation whose roll `forced_roll` is for; None: whoever rolls next."""
    ending: str | None = None
    """Id of the ending once the game is over."""
    turn: int = 0
    """How many actions have been applied."""
    hand: tuple[str, ...] = ()
    """The adversary's hand, card ids in the order drawn (`HIDDEN` each, in a nation's view)."""
    adversary_stats: Mapping[str, int] = field(factory=dict)
    """The adversary's stat id to value."""
    incidents: tuple[Incident, ...] = ()
    """Every card with an attribution that came into play, in order; the card in play's is last."""
    results: tuple[str, ...] = ()
    """The result of every consultation held so far, in order (as `consultations` has their rounds)."""
    let_go: frozenset[str] = frozenset()
    """Nations whose latest answer to a card aimed at them let it go (no cost, roll or consultation)."""
    forced_card: str | None = None
    """A card the facilitator injected: the adversary's next play."""
    dissent: Mapping[str, int] = field(factory=dict)
    """Nation id to how many times it stood against a consultation's or council's outcome."""
    postures: Mapping[str, str] = field(factory=dict)
    """Posture id to its level, for each posture set since the start (the others stand at their
    deck's `start`): empty in a deck without postures, so such a game's state is as before."""

    def is_over(self) -> bool:
        """Whether the game has ended."""
        return self.ending is not None

    def is_human(self, nation: str) -> bool:
        """Whether a person decides for this nation."""
        return isinstance(self.controllers[nation], Human)

    def persona_of(self, nation: str) -> str | None:
        """The AI persona controlling this nation, or None for a human."""
        return persona_in(self.controllers[nation])


@frozen
class GameState(Board):
    """Everything about a game at one moment: a value, never changed (its fields are `Board`'s)."""


@frozen
class Score:
    """One nation's score: the points of the objectives it met."""

    nation: str
    points: int
    met: tuple[str, ...]
    """Ids of the objectives met."""
    missed: tuple[str, ...]
    """Ids of the objectives missed."""


@frozen
class Result:
    """How a finished game ended and how each nation scored."""

    ending: str
    """Id of the ending."""
    defeat: bool
    """Whether the alliance lost together (then every nation scores 0)."""
    scores: tuple[Score, ...]
    """One per nation, in the deck's order."""
    adversary: Score | None = None
    """The adversary's score (its `nation` is the adversary's id), when the deck has one: its
    objectives count at every ending, a defeat of the alliance included."""
