"""The state of a game in progress, and the decision it is waiting for.

A state is a value: the engine never changes one, it returns a new one. Chance lives inside it (`rng`),
so a game is fully given by its deck, its seed and its actions.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import define, frozen

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
    """Who decides now: the target, or the next voter of an alliance council."""
    votes: tuple[tuple[str, str], ...] = ()
    """Alliance council votes cast so far, as (nation, response)."""

    @property
    def is_vote(self) -> bool:
        """Whether this is a vote in an alliance council."""
        return self.target is None


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


@frozen
class InvestDecision:
    """A nation may buy investments, then passes."""

    nation: str
    """Who decides now."""
    bought: Mapping[str, int]
    """Investment id to how many this nation bought this round."""


Decision = RespondDecision | PositionDecision | InvestDecision


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
    ending: str | None = None
    """Id of the ending once the game is over."""
    turn: int = 0
    """How many actions have been applied."""

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
