"""What players and the facilitator can do: each decision is one action, and a game is its seed
plus its actions.

Player actions answer the pending decision and are listed by `engine.legal_actions`: a nation's, or
the adversary's (`PlayCard`). Facilitator actions steer the game and are accepted whenever a decision
is pending.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from attrs import field, frozen

from wargame.model.controllers import Controller, Human

Position = Literal["support", "restrain", "abstain"]
POSITIONS: tuple[Position, ...] = ("support", "restrain", "abstain")

#: Who really made a decision, for the record: the seat's team (or, for an AI seat, its AI), the
#: AI deciding for a team whose time ran out, or the facilitator (its own actions, and a play it
#: made for the adversary).
Decider = Literal["team", "ai", "ai-timeout", "facilitator"]
DECIDERS: tuple[Decider, ...] = ("team", "ai", "ai-timeout", "facilitator")

#: The metadata of a field added to an action or an event after saves and digests were written:
#: while it holds its default None it is left out of a game's digest (and of the fingerprints), so
#: the games played before it keep theirs.
LATER_FIELD = {"later": True}


@frozen
class ChooseResponse:
    """A nation answers the current card, or votes for a response in an alliance council."""

    nation: str
    """The nation deciding."""
    response: str
    """Id of the chosen response."""


@frozen
class TakePosition:
    """A nation takes its position in a consultation."""

    nation: str
    """The nation deciding."""
    position: Position
    """`support`, `restrain` or `abstain`."""


@frozen
class RequestConsultation:
    """After its own response to a card that allows it, a nation requests consultations, or not."""

    nation: str
    """The nation deciding."""
    request: bool
    """Whether it requests them (Article 4)."""


@frozen
class Object:
    """Under a consensus council, a nation objects to the chair's proposal, or accepts it."""

    nation: str
    """The nation answering."""
    objects: bool
    """Whether it objects (one objection deadlocks the council)."""


@frozen
class Invest:
    """A nation buys one investment."""

    nation: str
    """The buyer."""
    investment: str
    """Id of the investment."""


@frozen
class Pass:
    """A nation ends its investment turn."""

    nation: str
    """The nation passing."""


@frozen
class PlayCard:
    """The adversary plays a card from its hand at a target the card allows."""

    seat: str
    """The adversary's id."""
    card: str
    """Id of the card, from its hand."""
    target: str | None
    """The nation it aims at; None for an alliance card."""


@frozen
class InjectCard:
    """Facilitator: put a card on top of the draw pile."""

    card: str
    """Id of the card."""


@frozen
class VetoCard:
    """Facilitator: take a card out of the adversary's hand, onto the discard pile, before it plays."""

    card: str
    """Id of the card."""


@frozen
class ForceRoll:
    """Facilitator: the next roll (of one nation, or of whoever rolls next) succeeds or fails,
    whatever the dice say."""

    success: bool
    """Whether the roll succeeds."""
    seat: str | None = field(default=None, metadata=LATER_FIELD)
    """The nation whose next roll it is; None: whoever rolls next (an AI's roll or a council's too),
    as before seats could be named."""


@frozen
class AdjustTrack:
    """Facilitator: move a track by a delta."""

    track: str
    """Id of the track."""
    delta: int
    """How much to add (negative to lower)."""
    reason: str
    """Why, for the record."""


@frozen
class AdjustStat:
    """Facilitator: move one nation's stat by a delta."""

    nation: str
    """Id of the nation."""
    stat: str
    """Id of the stat."""
    delta: int
    """How much to add (negative to lower)."""
    reason: str
    """Why, for the record."""


@frozen
class AddNote:
    """Facilitator: write a note into the game's record."""

    text: str
    """The note."""


PlayerAction = ChooseResponse | TakePosition | Invest | Pass | PlayCard | RequestConsultation | Object
FacilitatorAction = InjectCard | ForceRoll | AdjustTrack | AdjustStat | AddNote | VetoCard
Action = PlayerAction | FacilitatorAction

#: The classes of `PlayerAction` and of `FacilitatorAction` (a test holds them equal), as tuples:
#: `isinstance(action, FACILITATOR_ACTIONS)` is faster than with the union, and runs for every
#: candidate action.
PLAYER_ACTIONS = (ChooseResponse, TakePosition, Invest, Pass, PlayCard, RequestConsultation, Object)
FACILITATOR_ACTIONS = (InjectCard, ForceRoll, AdjustTrack, AdjustStat, AddNote, VetoCard)


def seat_of(action: Action) -> str | None:
    """The seat that took a player's action (a nation's id, the adversary's for a play); None for
    the facilitator's actions."""
    if isinstance(action, PlayCard):
        return action.seat
    if isinstance(action, PLAYER_ACTIONS):
        return action.nation
    return None


def decider_of(controllers: Mapping[str, Controller], action: Action) -> Decider:
    """Who made a decision when nothing else is known (a save from before the record said): the
    facilitator for its own actions, else the seat's team when people play it, its AI when not."""
    seat = seat_of(action)
    if seat is None:
        return "facilitator"
    return "team" if isinstance(controllers.get(seat), Human) else "ai"


#: Every action class, for formats that need to name them.
ACTION_TYPES: tuple[type[Action], ...] = (*PLAYER_ACTIONS, *FACILITATOR_ACTIONS)
