"""What happened: `engine.apply` returns these, in order, for the log and the after-action report.

A `Cause` says what moved a value; its text (`str`) is the form older logs and fingerprints know:
`card:<id>`, `response:<card>/<response>`, `roll:<card>/<response>`, `consultation:<result>`,
`fatigue`, `position:<position>`, `investment:<id>`, `income`, `drift` or `facilitator: <reason>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from attrs import field, frozen

from wargame.model.actions import LATER_FIELD, Position
from wargame.model.deck import ConsultationResult


class CauseKind(StrEnum):
    """What kind of thing moved a value."""

    CARD = "card"
    """A card as it was drawn (`card`)."""
    RESPONSE = "response"
    """A response's effects and cost (`card`, `response`)."""
    ROLL = "roll"
    """The outcome of a response's roll (`card`, `response`)."""
    CONSULTATION = "consultation"
    """A consultation's result (`result`)."""
    FATIGUE = "fatigue"
    """Consultations held too often."""
    POSITION = "position"
    """A position taken in a consultation, at home (`position`)."""
    INVESTMENT = "investment"
    """An investment bought (`investment`)."""
    INCOME = "income"
    """A round's income."""
    DRIFT = "drift"
    """The drift at a round's end."""
    FACILITATOR = "facilitator"
    """The facilitator's adjustment (`reason`)."""
    PLAY = "play"
    """The adversary's price for playing a card (`card`)."""
    CLAIM = "claim"
    """A claim about an attribution that turned out wrong (`card`, `response`)."""
    DEADLOCK = "deadlock"
    """A consensus council that deadlocked (`card`)."""


@frozen
class Cause:
    """What moved a value: a kind, and the fields that kind names (the others are None).

    The engine makes the causes of a card, a response or an investment once and reuses them.
    """

    kind: CauseKind
    card: str | None = None
    response: str | None = None
    investment: str | None = None
    result: ConsultationResult | None = None
    position: Position | None = None
    reason: str | None = None
    """The facilitator's reason."""

    def __str__(self) -> str:
        kind = self.kind
        if kind is CauseKind.RESPONSE or kind is CauseKind.ROLL:
            return f"{kind}:{self.card}/{self.response}"
        if kind is CauseKind.CARD or kind is CauseKind.PLAY or kind is CauseKind.DEADLOCK:
            return f"{kind}:{self.card}"
        if kind is CauseKind.CLAIM:
            return f"claim:{self.card}/{self.response}"
        if kind is CauseKind.CONSULTATION:
            return f"consultation:{self.result}"
        if kind is CauseKind.POSITION:
            return f"position:{self.position}"
        if kind is CauseKind.INVESTMENT:
            return f"investment:{self.investment}"
        if kind is CauseKind.FACILITATOR:
            return f"facilitator: {self.reason}"
        return str(kind)

    @property
    def is_steering(self) -> bool:
        """Whether the facilitator moved the value."""
        return self.kind is CauseKind.FACILITATOR


#: The causes that name nothing more than their kind.
INCOME = Cause(CauseKind.INCOME)
DRIFT = Cause(CauseKind.DRIFT)
FATIGUE = Cause(CauseKind.FATIGUE)


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
class CardPlayed(CardDrawn):
    """The adversary played a card from its hand (a kind of `CardDrawn`: the card is in play)."""

    seat: str
    """The adversary's id."""


@frozen
class HandFilled:
    """The adversary drew cards into its hand; `cards` are `HIDDEN` in a nation's view."""

    seat: str
    cards: tuple[str, ...]


@frozen
class CardVetoed:
    """The facilitator took a card out of the adversary's hand."""

    card: str


@frozen
class AttributionRevealed:
    """The truth of an incident's attribution became known to all."""

    card: str
    truth: str
    round: int
    """The round the incident came into play."""


@frozen
class ClaimProved:
    """A claim about an attribution met the revealed truth: `wrong` when it differed."""

    card: str
    response: str
    nation: str | None
    claimed: str
    truth: str
    wrong: bool


@frozen
class VotesRevealed:
    """The sealed votes of a council, shown together once every nation has voted."""

    card: str
    votes: tuple[tuple[str, str], ...]


@frozen
class ProposalMade:
    """The chair of a consensus council proposed a response to the alliance card in play."""

    card: str
    response: str
    chair: str


@frozen
class ProposalAnswered:
    """A nation accepted the chair's proposal or objected to it ("accept" or "object"; with sealed
    votes, `HIDDEN` in the other nations' views until every nation has answered)."""

    card: str
    nation: str
    answer: str


@frozen
class CouncilConcluded:
    """A consensus council ended: adopted when no nation objected, else deadlocked (the deck's
    deadlock effects, then its fallback response)."""

    card: str
    proposal: str
    objectors: tuple[str, ...]
    """The nations that objected, in turn order: none when the proposal was adopted."""
    resolved: str
    """The response resolved: the proposal, or the fallback."""

    @property
    def adopted(self) -> bool:
        """Whether no nation objected."""
        return not self.objectors


@frozen
class AdversaryStatMoved:
    """One of the adversary's stats changed (after clamping)."""

    stat: str
    before: int
    after: int
    cause: Cause


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
class ConsultationRequested:
    """After its own response, the target of a card that allows it requested consultations, or not."""

    card: str
    nation: str
    request: bool


@frozen
class PositionTaken:
    """A nation took its position in the open consultation."""

    nation: str
    position: Position


@frozen
class ConsultationResolved:
    """A consultation ended."""

    nation: str
    result: ConsultationResult
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
    cause: Cause


@frozen
class PostureSet:
    """A posture moved to another level."""

    posture: str
    before: str
    after: str
    cause: Cause


@frozen
class StatMoved:
    """A nation's stat changed (after clamping)."""

    nation: str
    stat: str
    before: int
    after: int
    cause: Cause


@frozen
class Narrated:
    """A line of narrative from an effect."""

    text: str
    cause: Cause


@frozen
class CardInjected:
    """The facilitator put a card on top of the draw pile."""

    card: str


@frozen
class RollForced:
    """The facilitator fixed the outcome of the next roll (of `seat`, when it names one)."""

    success: bool
    seat: str | None = field(default=None, metadata=LATER_FIELD)


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
    | CardPlayed
    | HandFilled
    | CardVetoed
    | AttributionRevealed
    | ClaimProved
    | VotesRevealed
    | AdversaryStatMoved
    | ResponseChosen
    | VoteCast
    | ProposalMade
    | ProposalAnswered
    | CouncilConcluded
    | RollMade
    | ConsultationOpened
    | ConsultationRequested
    | PositionTaken
    | ConsultationResolved
    | Invested
    | Passed
    | TrackMoved
    | StatMoved
    | PostureSet
    | Narrated
    | CardInjected
    | RollForced
    | NoteAdded
    | RoundEnded
    | GameEnded
)
