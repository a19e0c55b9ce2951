"""Why a host refuses a seat something, as a type: `SeatRefusalCode` and `SeatRefusal` (like
python-chess's `Termination` and `Outcome`), the sentence the team reads made from them.

A `refused` message carries both: `code` (the enum's value, for programs) and `reason` (the
sentence). When the engine refuses the action itself, the engine's `Refusal` is kept in `rule`.
"""

from __future__ import annotations

from enum import StrEnum

from attrs import frozen

from wargame.engine.legality import Refusal

__all__ = ["SeatRefusal", "SeatRefusalCode"]


class SeatRefusalCode(StrEnum):
    """Why the host refuses a connection's hello or a seat's action."""

    # A connection, before it holds a seat.
    FOREIGN_PAGE = "foreign-page"
    FOREIGN_NAME = "foreign-name"
    NO_HELLO = "no-hello"
    OTHER_PROTOCOL = "other-protocol"
    WRONG_CODE = "wrong-code"
    SHUT_OUT = "shut-out"
    FULL = "full"
    BUSY = "busy"
    # A seat's action.
    SPECTATOR = "spectator"
    FACILITATOR_ONLY = "facilitator-only"
    OTHER_SEAT = "other-seat"
    GAME_OVER = "game-over"
    ALREADY_IN = "already-in"
    STALE = "stale"
    NOT_YOUR_TURN = "not-your-turn"
    RULES = "rules"
    # An early decision (a sealed vote, a position) the host held.
    NO_LONGER_APPLIES = "no-longer-applies"
    CLOSED_BEFORE_TURN = "closed-before-turn"


#: Each refusal in words, from its fields.
_WORDS = {
    SeatRefusalCode.FOREIGN_PAGE: "a page of {other} may not connect to this host ({seat})",
    SeatRefusalCode.FOREIGN_NAME: "{other} is not this machine's name: open the host by its address",
    SeatRefusalCode.NO_HELLO: "a seat first sends its code (hello)",
    SeatRefusalCode.OTHER_PROTOCOL: (
        "this host speaks protocol {protocol}, the seat {other}: use the same wargame version"
    ),
    SeatRefusalCode.WRONG_CODE: "wrong seat code: check it with the facilitator",
    SeatRefusalCode.SHUT_OUT: "too many wrong codes from this address: try again in {minutes} minutes",
    SeatRefusalCode.FULL: "the host serves no more spectators now: ask the facilitator",
    SeatRefusalCode.BUSY: "too many connections are waiting to take a seat: try again in a few seconds",
    SeatRefusalCode.SPECTATOR: "a spectator watches: it makes no decisions",
    SeatRefusalCode.FACILITATOR_ONLY: "only the facilitator steers the game: a seat cannot",
    SeatRefusalCode.OTHER_SEAT: "you play {seat}: you cannot decide for {other}",
    SeatRefusalCode.GAME_OVER: "the game is over",
    SeatRefusalCode.ALREADY_IN: "your decision is in already: it counts when your turn comes",
    SeatRefusalCode.STALE: "the game has moved on since you decided: look again and decide",
    SeatRefusalCode.NOT_YOUR_TURN: "it is not {seat}'s decision: {other} decides now",
    SeatRefusalCode.RULES: "{rule}",
    SeatRefusalCode.NO_LONGER_APPLIES: "your early decision no longer applies: decide again",
    SeatRefusalCode.CLOSED_BEFORE_TURN: "the decision closed before your turn came: it was not counted",
}


@frozen
class SeatRefusal:
    """Why the host refuses a hello or an action: a code and the fields it names (the others None).

    `str()` gives it in words, e.g. `you play Poland: you cannot decide for Estonia`.
    """

    code: SeatRefusalCode
    seat: str | None = None
    """The seat refused, by name (or, for a foreign page, the host's own address)."""
    other: str | None = None
    """The other party: the seat deciding now or acted for, the page's origin, the seat's protocol."""
    rule: Refusal | None = None
    """The engine's refusal, when the rules refuse the action (`RULES`)."""
    minutes: int | None = None
    """How long an address stays shut out."""
    protocol: int | None = None
    """The host's protocol (`OTHER_PROTOCOL`)."""

    def __str__(self) -> str:
        return _WORDS[self.code].format(
            seat=self.seat, other=self.other, rule=self.rule, minutes=self.minutes, protocol=self.protocol
        )
