"""What happened: `engine.apply` returns these, in order, for the log and the after-action report.

`cause` strings say what moved a value, in the form `card:<id>`, `response:<card>/<response>`,
`roll:<card>/<response>`, `consultation:<result>`, `fatigue`, `position:<position>`,
`investment:<id>`, `income`, `drift` or `facilitator`.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from wargame.model.actions import Position


@frozen
class RoundStarted:
    """A new round began."""

    round: int


@frozen
class CardDrawn:
    """An incursion card was drawn; `target` is the nation it lands on, or None for the alliance."""

    card: str
    target: str | None


@frozen
class ResponseChosen:
    """A nation answered a card (`nation` is None when an alliance council decided)."""

    card: str
    response: str
    nation: str | None


@frozen
class VoteCast:
    """A nation voted for a response in an alliance council."""

    card: str
    response: str
    nation: str


@frozen
class RollMade:
    """A response's roll: `roll` (1-100) succeeds when at most `chance`."""

    card: str
    response: str
    chance: int
    roll: int
    success: bool
    forced: bool


@frozen
class ConsultationOpened:
    """A nation invoked a consultation."""

    nation: str
    card: str


@frozen
class PositionTaken:
    """A nation took its position in the open consultation."""

    nation: str
    position: Position


@frozen
class ConsultationResolved:
    """A consultation ended: `result` is `unified`, `restrained` or `split`."""

    nation: str
    result: str
    support: int
    restrain: int
    abstain: int
    fatigue: int
    """Consultations held within the fatigue window before this one."""


@frozen
class Invested:
    """A nation bought an investment."""

    nation: str
    investment: str


@frozen
class Passed:
    """A nation ended its investment turn."""

    nation: str


@frozen
class TrackMoved:
    """A track changed (after clamping)."""

    track: str
    before: int
    after: int
    cause: str


@frozen
class StatMoved:
    """A nation's stat changed (after clamping)."""

    nation: str
    stat: str
    before: int
    after: int
    cause: str


@frozen
class Narrated:
    """A line of narrative from an effect."""

    text: str
    cause: str


@frozen
class CardInjected:
    """The facilitator put a card on top of the draw pile."""

    card: str


@frozen
class RollForced:
    """The facilitator fixed the outcome of the next roll."""

    success: bool


@frozen
class NoteAdded:
    """The facilitator wrote a note."""

    text: str


@frozen
class RoundEnded:
    """A round ended; `tracks` are the values recorded in the history."""

    round: int
    tracks: Mapping[str, int]


@frozen
class GameEnded:
    """The game is over."""

    ending: str
    defeat: bool


Event = (
    RoundStarted
    | CardDrawn
    | ResponseChosen
    | VoteCast
    | RollMade
    | ConsultationOpened
    | PositionTaken
    | ConsultationResolved
    | Invested
    | Passed
    | TrackMoved
    | StatMoved
    | Narrated
    | CardInjected
    | RollForced
    | NoteAdded
    | RoundEnded
    | GameEnded
)
