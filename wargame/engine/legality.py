"""Which actions the game accepts now, and why it refuses the others.

`legal_actions` and `apply` share `refusal`, so the engine never offers what it would reject.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from functools import lru_cache

from attrs import frozen

from wargame.engine.adversary import playable, targets
from wargame.engine.conditions import holds_all
from wargame.engine.postures import extra_cost, modifiers
from wargame.model import (
    FACILITATOR_ACTIONS,
    POSITIONS,
    Action,
    AddNote,
    AdjustStat,
    AdjustTrack,
    Board,
    ChooseResponse,
    Deck,
    FacilitatorAction,
    FollowUpDecision,
    ForceRoll,
    InjectCard,
    Invest,
    InvestDecision,
    Investment,
    Object,
    Pass,
    PlayCard,
    PlayDecision,
    PositionDecision,
    ProposalDecision,
    RequestConsultation,
    RespondDecision,
    Response,
    TakePosition,
    VetoCard,
)
from wargame.model.deck import ANY_TREASURY


class RefusalCode(Enum):
    """Why the game refuses an action."""

    GAME_OVER = "game over"
    NOT_YOUR_DECISION = "not your decision"
    NO_CARD_WAITING = "no card waiting"
    UNKNOWN_RESPONSE = "unknown response"
    NO_CONSULTATION = "no consultation open"
    UNKNOWN_POSITION = "unknown position"
    NOT_INVESTMENT_PHASE = "not the investment phase"
    UNAFFORDABLE = "unaffordable"
    REQUIREMENTS_NOT_MET = "requirements not met"
    LIMIT_REACHED = "limit reached"
    UNKNOWN_INVESTMENT = "unknown investment"
    UNKNOWN_CARD = "unknown card"
    CARD_IN_PLAY = "card in play"
    NO_REASON = "adjustment without reason"
    UNKNOWN_TRACK = "unknown track"
    UNKNOWN_NATION = "unknown nation"
    UNKNOWN_STAT = "unknown stat"
    EMPTY_NOTE = "empty note"
    NOT_ADVERSARY_TURN = "not the adversary's turn"
    NOT_IN_HAND = "not in hand"
    CARD_FORCED = "card forced"
    UNPAYABLE = "unpayable"
    TARGET_NOT_ALLOWED = "target not allowed"
    NO_ADVERSARY = "no adversary"
    NO_FOLLOW_UP = "no follow-up decision"
    NO_PROPOSAL = "no proposal"


#: Each refusal in words, from its fields.
_WORDS = {
    RefusalCode.GAME_OVER: "the game is over",
    RefusalCode.NOT_YOUR_DECISION: "it is {nation}'s decision, not {actor}'s",
    RefusalCode.NO_CARD_WAITING: "no card is waiting for a response",
    RefusalCode.UNKNOWN_RESPONSE: 'card "{card}" has no response "{subject}"',
    RefusalCode.NO_CONSULTATION: "no consultation is open",
    RefusalCode.UNKNOWN_POSITION: 'unknown position "{subject}"',
    RefusalCode.NOT_INVESTMENT_PHASE: "this is not the investment phase",
    RefusalCode.UNAFFORDABLE: '"{subject}" costs {cost}, treasury is {treasury}',
    RefusalCode.REQUIREMENTS_NOT_MET: 'the requirements of "{subject}" are not met',
    RefusalCode.LIMIT_REACHED: '"{subject}" may be bought {limit} time(s) a round',
    RefusalCode.UNKNOWN_INVESTMENT: 'unknown investment "{subject}"',
    RefusalCode.UNKNOWN_CARD: 'unknown card "{subject}"',
    RefusalCode.CARD_IN_PLAY: 'every copy of "{subject}" is in play',
    RefusalCode.NO_REASON: "an adjustment needs a reason",
    RefusalCode.UNKNOWN_TRACK: 'unknown track "{subject}"',
    RefusalCode.UNKNOWN_NATION: 'unknown nation "{subject}"',
    RefusalCode.UNKNOWN_STAT: 'unknown stat "{subject}"',
    RefusalCode.EMPTY_NOTE: "a note needs text",
    RefusalCode.NOT_ADVERSARY_TURN: "it is not the adversary's turn to play a card",
    RefusalCode.NOT_IN_HAND: '"{subject}" is not in the adversary\'s hand',
    RefusalCode.CARD_FORCED: 'the facilitator injected "{card}": it is the one to play',
    RefusalCode.UNPAYABLE: '"{subject}" costs {cost}, the budget is {treasury}',
    RefusalCode.TARGET_NOT_ALLOWED: 'card "{card}" cannot aim at {subject}',
    RefusalCode.NO_ADVERSARY: "the deck has no adversary",
    RefusalCode.NO_FOLLOW_UP: "no nation may request consultations now",
    RefusalCode.NO_PROPOSAL: "no proposal of the council's chair is waiting for answers",
}

#: An unaffordable price in words, when the stat that is short is not the treasury.
_SHORT_OF_STAT = '"{subject}" costs {cost} {stat}, {stat} is {held}'


@frozen
class Refusal:
    """Why the game refuses an action: a code and the fields it names (the others are None).

    `str()` gives it in words, e.g. `"jets" costs 3, treasury is 1`.
    """

    code: RefusalCode
    subject: str | None = None
    """The id concerned: a response, investment, card, track, nation, stat or position."""
    card: str | None = None
    """The card in play, for a response it has not got."""
    nation: str | None = None
    """Whose decision it is."""
    actor: str | None = None
    """Who tried to decide instead."""
    cost: int | None = None
    treasury: int | None = None
    """The nation's treasury, when it cannot pay `cost`."""
    limit: int | None = None
    """How many times a round an investment may be bought."""
    stat: str | None = None
    """The stat that is short, when a price asks for more of a stat other than the treasury than the
    nation holds: `cost` is what the price asks of it, `held` what the nation has."""
    held: int | None = None
    """What the nation holds of `stat`."""

    def __str__(self) -> str:
        words = _SHORT_OF_STAT if self.stat is not None else _WORDS[self.code]
        return words.format(
            subject=self.subject,
            card=self.card,
            nation=self.nation,
            actor=self.actor,
            cost=self.cost,
            treasury=self.treasury,
            limit=self.limit,
            stat=self.stat,
            held=self.held,
        )


# The refusals that depend on an id alone are made once: the AI and the auto-pass ask about every
# investment at every investment turn, and most of them are refused.
@lru_cache(maxsize=4096)
def _unmet(subject: str) -> Refusal:
    return Refusal(RefusalCode.REQUIREMENTS_NOT_MET, subject=subject)


@lru_cache(maxsize=4096)
def _unaffordable(subject: str, cost: int, treasury: int) -> Refusal:
    return Refusal(RefusalCode.UNAFFORDABLE, subject=subject, cost=cost, treasury=treasury)


@lru_cache(maxsize=4096)
def _limit_reached(subject: str, limit: int) -> Refusal:
    return Refusal(RefusalCode.LIMIT_REACHED, subject=subject, limit=limit)


#: The refusals that name nothing more than their code.
_GAME_OVER = Refusal(RefusalCode.GAME_OVER)
_NO_CARD_WAITING = Refusal(RefusalCode.NO_CARD_WAITING)
_NO_CONSULTATION = Refusal(RefusalCode.NO_CONSULTATION)
_NOT_INVESTMENT_PHASE = Refusal(RefusalCode.NOT_INVESTMENT_PHASE)
_NO_FOLLOW_UP = Refusal(RefusalCode.NO_FOLLOW_UP)
_NO_PROPOSAL = Refusal(RefusalCode.NO_PROPOSAL)
_NO_REASON = Refusal(RefusalCode.NO_REASON)
_EMPTY_NOTE = Refusal(RefusalCode.EMPTY_NOTE)
_NOT_ADVERSARY_TURN = Refusal(RefusalCode.NOT_ADVERSARY_TURN)
_NO_ADVERSARY = Refusal(RefusalCode.NO_ADVERSARY)


class IllegalActionError(ValueError):
    """An action the game does not accept now; the state is unchanged."""

    def __init__(self, action: Action, reason: Refusal) -> None:
        super().__init__(f"illegal action {action!r}: {reason}")
        self.action = action
        self.reason = reason


def legal_actions(state: Board) -> list[Action]:
    """The players' choices for the pending decision, in the deck's order (empty once over).

    Facilitator actions are not listed: any of them is accepted while a decision is pending.
    """
    decision = state.pending
    if decision is None:
        return []
    if isinstance(decision, PlayDecision):
        return list(legal_plays(state, decision))
    nation = decision.nation
    if isinstance(decision, RespondDecision):
        return [ChooseResponse(nation, response.id) for response in legal_responses(state, decision)]
    if isinstance(decision, PositionDecision):
        return [TakePosition(nation, position) for position in POSITIONS]
    if isinstance(decision, FollowUpDecision):
        return [RequestConsultation(nation, True), RequestConsultation(nation, False)]
    if isinstance(decision, ProposalDecision):
        return [Object(nation, False), Object(nation, True)]
    actions: list[Action] = [Invest(nation, item.id) for item in legal_investments(state, decision)]
    actions.append(Pass(nation))
    return actions


def legal_plays(state: Board, decision: PlayDecision) -> list[PlayCard]:
    """The adversary's choices: each card it may play, at each target the card allows, in the hand's
    order and the deck's order of nations."""
    return [
        PlayCard(decision.seat, card, target)
        for card in playable(state.deck, state.hand, _budget(state), decision.only)
        for target in targets(state.deck, state.deck.card(card))
    ]


def _budget(state: Board) -> int | None:
    red = state.deck.adversary
    return None if red is None or red.budget is None else state.adversary_stats[red.budget]


def legal_responses(state: Board, decision: RespondDecision) -> list[Response]:
    """The responses the deciding nation may choose, in the deck's order: all of them in a council."""
    deck = state.deck
    responses = deck.card(decision.card).responses
    if decision.is_vote:
        return list(responses)
    tracks, stats, round_number, nation = state.tracks, state.stats, state.round, decision.nation
    own = stats[nation]
    treasury = own["treasury"]
    # `response_refusal`'s tests in its order, without building a refusal, and with the postures'
    # costs looked up once: the AI and the lab ask this at every response decision.
    extras = modifiers(deck, state.postures)[1] if deck.postures else None
    legal = []
    for response in responses:
        if extras:
            extra = extras.get(response.id, 0)
            if extra and response.cost + extra > treasury:
                continue
        if response.least_treasury > treasury:
            continue
        if response.stat_costs and short_of(response.stat_costs, own) is not None:
            continue
        if response.requires and not holds_all(
            response.requires, tracks, stats, round_number, nation, nation, state
        ):
            continue
        legal.append(response)
    return legal


def always_legal(deck: Deck, response: Response) -> bool:
    """Whether a nation may choose this response whatever the state: it asks nothing of any stat,
    requires nothing, and no posture adds to its cost."""
    return (
        response.least_treasury == ANY_TREASURY
        and all(amount <= 0 for amount in response.stat_costs.values())
        and not response.requires
        and not any(
            response.id in level.cost for posture in deck.postures.values() for level in posture.levels
        )
    )


def legal_investments(state: Board, decision: InvestDecision) -> list[Investment]:
    """The investments the deciding nation may buy now, in the deck's order."""
    nation, bought = decision.nation, decision.bought
    return [item for item in state.deck.investments if is_purchasable(state, nation, bought, item)]


def is_purchasable(state: Board, nation: str, bought: Mapping[str, int], investment: Investment) -> bool:
    """Whether the nation may buy this investment now, having bought `bought` this round."""
    # `investment_refusal`'s tests in its order, without building a refusal: the engine asks this of
    # every investment at every investment turn, and the AI of the one it would buy.
    own = state.stats[nation]
    if investment.least_treasury > own["treasury"]:
        return False
    if investment.stat_costs and short_of(investment.stat_costs, own) is not None:
        return False
    if bought.get(investment.id, 0) >= investment.limit:
        return False
    requires = investment.requires
    return not requires or holds_all(requires, state.tracks, state.stats, state.round, nation, None, state)


_NOTHING_BOUGHT: Mapping[str, int] = {}


def offered(state: Board, nation: str) -> tuple[str, ...]:
    """The ids of the investments the nation could buy now had it bought nothing this round, in the
    deck's order (`is_purchasable` with nothing bought; what it bought is then a matter of limits)."""
    # One answer, remembered on the deck by the values that decide it, for those that ask at each
    # investment turn: the engine (whether to offer a turn a price does not decide) and the lab's tally.
    deck = state.deck
    readers = deck.offer_readers
    if readers is None:
        return tuple(
            item.id for item in deck.investments if is_purchasable(state, nation, _NOTHING_BOUGHT, item)
        )
    own_at, tracks_at, by_round = readers
    key = (
        nation,
        own_at(state.stats[nation]),
        None if tracks_at is None else tracks_at(state.tracks),
        state.round if by_round else 0,
    )
    found = deck.offers.get(key)
    if found is None:
        if len(deck.offers) >= 8192:
            deck.offers.clear()
        found = deck.offers[key] = tuple(
            item.id for item in deck.investments if is_purchasable(state, nation, _NOTHING_BOUGHT, item)
        )
    return found


def is_legal(state: Board, action: Action) -> bool:
    """Whether the game accepts this action now."""
    return refusal(state, action) is None


def refusal(state: Board, action: Action) -> Refusal | None:
    """Why the game refuses this action now, or None when it accepts it."""
    decision = state.pending
    if decision is None:
        return _GAME_OVER
    if isinstance(action, FACILITATOR_ACTIONS):
        return _facilitator_refusal(state, action)
    if isinstance(action, PlayCard) or isinstance(decision, PlayDecision):
        return _play_refusal(state, action)
    if action.nation != decision.nation:
        return Refusal(RefusalCode.NOT_YOUR_DECISION, nation=decision.nation, actor=action.nation)
    if isinstance(action, ChooseResponse):
        return _response_refusal(state, action)
    if isinstance(action, TakePosition):
        if not isinstance(decision, PositionDecision):
            return _NO_CONSULTATION
        if action.position in POSITIONS:
            return None
        return Refusal(RefusalCode.UNKNOWN_POSITION, subject=action.position)
    if isinstance(action, RequestConsultation):
        return None if isinstance(decision, FollowUpDecision) else _NO_FOLLOW_UP
    if isinstance(action, Object):
        return None if isinstance(decision, ProposalDecision) else _NO_PROPOSAL
    if not isinstance(decision, InvestDecision):
        return _NOT_INVESTMENT_PHASE
    if isinstance(action, Pass):
        return None
    return _investment_refusal(state, decision, action)


def _play_refusal(state: Board, action: Action) -> Refusal | None:
    decision = state.pending
    actor = action.seat if isinstance(action, PlayCard) else getattr(action, "nation", None)
    if not isinstance(decision, PlayDecision):
        if decision is not None and actor != decision.seat:
            return Refusal(RefusalCode.NOT_YOUR_DECISION, nation=decision.seat, actor=actor)
        return _NOT_ADVERSARY_TURN
    if actor != decision.seat:
        return Refusal(RefusalCode.NOT_YOUR_DECISION, nation=decision.seat, actor=actor)
    if not isinstance(action, PlayCard):
        # The adversary's seat, the wrong kind of action: what a nation is told at its own decision.
        if isinstance(action, ChooseResponse):
            return _NO_CARD_WAITING
        if isinstance(action, RequestConsultation):
            return _NO_FOLLOW_UP
        if isinstance(action, Object):
            return _NO_PROPOSAL
        return _NO_CONSULTATION if isinstance(action, TakePosition) else _NOT_INVESTMENT_PHASE
    if action.card not in state.hand:
        return Refusal(RefusalCode.NOT_IN_HAND, subject=action.card)
    if decision.only is not None and action.card != decision.only:
        return Refusal(RefusalCode.CARD_FORCED, subject=action.card, card=decision.only)
    card = state.deck.card(action.card)
    budget = _budget(state)
    if card.price > 0 and budget is not None and card.price > budget:
        return Refusal(RefusalCode.UNPAYABLE, subject=card.id, cost=card.price, treasury=budget)
    if action.target not in targets(state.deck, card):
        return Refusal(RefusalCode.TARGET_NOT_ALLOWED, subject=str(action.target), card=card.id)
    return None


def _response_refusal(state: Board, action: ChooseResponse) -> Refusal | None:
    decision = state.pending
    if not isinstance(decision, RespondDecision):
        return _NO_CARD_WAITING
    card = state.deck.card(decision.card)
    try:
        response = card.response(action.response)
    except KeyError:
        return Refusal(RefusalCode.UNKNOWN_RESPONSE, subject=action.response, card=card.id)
    if decision.is_vote:
        return None
    return response_refusal(response, state.tracks, state.stats, state.round, action.nation, state)


def response_refusal(
    response: Response,
    tracks: Mapping[str, int],
    stats: Mapping[str, Mapping[str, int]],
    round_number: int,
    nation: str,
    board: Board | None = None,
) -> Refusal | None:
    """Why this nation cannot answer its card with this response now, or None when it can."""
    own = stats[nation]
    treasury = own["treasury"]
    if board is not None and board.deck.postures:
        extra = extra_cost(board, response.id)
        if extra and response.cost + extra > treasury:
            return _unaffordable(response.id, response.cost + extra, treasury)
    if response.least_treasury > treasury:  # what is free stays free, even in debt
        return _unaffordable(response.id, response.cost, treasury)
    if response.stat_costs:
        stat = short_of(response.stat_costs, own)
        if stat is not None:
            return _short(response.id, stat, response.stat_costs[stat], own[stat])
    if not holds_all(response.requires, tracks, stats, round_number, nation, nation, board):
        return _unmet(response.id)
    return None


def _investment_refusal(state: Board, decision: InvestDecision, action: Invest) -> Refusal | None:
    try:
        investment = state.deck.investment(action.investment)
    except KeyError:
        return Refusal(RefusalCode.UNKNOWN_INVESTMENT, subject=action.investment)
    return investment_refusal(
        investment, state.tracks, state.stats, state.round, action.nation, decision.bought, state
    )


def short_of(stat_costs: Mapping[str, int], own: Mapping[str, int]) -> str | None:
    """The first stat other than the treasury, in the price's order, that a nation holding `own`
    cannot pay; None when it can pay them all. What is free stays free, even in debt, in every stat."""
    for stat, amount in stat_costs.items():
        if amount > 0 and amount > own[stat]:
            return stat
    return None


def _short(subject: str, stat: str, cost: int, held: int) -> Refusal:
    return Refusal(RefusalCode.UNAFFORDABLE, subject=subject, cost=cost, stat=stat, held=held)


def is_affordable(investment: Investment, treasury: int) -> bool:
    """Whether a treasury pays the treasury part of an investment's price: a first look that rules
    out most investments (`short_of` looks at the other stats).

    What is free stays free, even in debt.
    """
    return investment.least_treasury <= treasury


def investment_refusal(
    investment: Investment,
    tracks: Mapping[str, int],
    stats: Mapping[str, Mapping[str, int]],
    round_number: int,
    nation: str,
    bought: Mapping[str, int],
    board: Board | None = None,
) -> Refusal | None:
    """Why this nation cannot buy this investment now, or None when it can."""
    own = stats[nation]
    treasury = own["treasury"]
    if not is_affordable(investment, treasury):
        return _unaffordable(investment.id, investment.cost, treasury)
    if investment.stat_costs:
        stat = short_of(investment.stat_costs, own)
        if stat is not None:
            return _short(investment.id, stat, investment.stat_costs[stat], own[stat])
    if bought.get(investment.id, 0) >= investment.limit:
        return _limit_reached(investment.id, investment.limit)
    if not holds_all(investment.requires, tracks, stats, round_number, nation, None, board):
        return _unmet(investment.id)
    return None


def _facilitator_refusal(state: Board, action: FacilitatorAction) -> Refusal | None:
    deck = state.deck
    if isinstance(action, InjectCard):
        if all(card.id != action.card for card in deck.cards):
            return Refusal(RefusalCode.UNKNOWN_CARD, subject=action.card)
        unplayed = (*state.discard, *state.draw_pile, *state.hand)
        if action.card not in unplayed:
            return Refusal(RefusalCode.CARD_IN_PLAY, subject=action.card)
        if isinstance(state.pending, PlayDecision):
            # At the adversary's turn the card becomes its only play: one it must be able to pay for.
            price, budget = deck.card(action.card).price, _budget(state)
            if price > 0 and budget is not None and price > budget:
                return Refusal(RefusalCode.UNPAYABLE, subject=action.card, cost=price, treasury=budget)
    elif isinstance(action, VetoCard):
        if deck.adversary is None:
            return _NO_ADVERSARY
        if not isinstance(state.pending, PlayDecision):
            return _NOT_ADVERSARY_TURN
        if action.card not in state.hand:
            return Refusal(RefusalCode.NOT_IN_HAND, subject=action.card)
    elif isinstance(action, AdjustTrack | AdjustStat):
        if not action.reason.strip():
            return _NO_REASON
        if isinstance(action, AdjustTrack) and action.track not in deck.tracks:
            return Refusal(RefusalCode.UNKNOWN_TRACK, subject=action.track)
        if isinstance(action, AdjustStat):
            if action.nation not in state.stats:
                return Refusal(RefusalCode.UNKNOWN_NATION, subject=action.nation)
            if action.stat not in deck.stats:
                return Refusal(RefusalCode.UNKNOWN_STAT, subject=action.stat)
    elif isinstance(action, ForceRoll):
        if action.seat is not None and all(nation.id != action.seat for nation in deck.nations):
            return Refusal(RefusalCode.UNKNOWN_NATION, subject=action.seat)
    elif isinstance(action, AddNote) and not action.text.strip():
        return _EMPTY_NOTE
    return None
