"""Which actions the game accepts now, and why it refuses the others.

`legal_actions` and `apply` share `refusal`, so the engine never offers what it would reject.
"""

from __future__ import annotations

from collections.abc import Mapping

from wargame.engine.conditions import holds_all
from wargame.model import (
    POSITIONS,
    Action,
    AddNote,
    AdjustStat,
    AdjustTrack,
    ChooseResponse,
    ForceRoll,
    GameView,
    InjectCard,
    Invest,
    InvestDecision,
    Investment,
    Pass,
    PositionDecision,
    RespondDecision,
    Response,
    TakePosition,
)


class IllegalActionError(ValueError):
    """An action the game does not accept now; the state is unchanged."""

    def __init__(self, action: Action, reason: str) -> None:
        super().__init__(f"illegal action {action!r}: {reason}")
        self.action = action
        self.reason = reason


def legal_actions(state: GameView) -> list[Action]:
    """The players' choices for the pending decision, in the deck's order (empty once over).

    Facilitator actions are not listed: any of them is accepted while a decision is pending.
    """
    decision = state.pending
    if decision is None:
        return []
    nation = decision.nation
    if isinstance(decision, RespondDecision):
        return [ChooseResponse(nation, response.id) for response in legal_responses(state, decision)]
    if isinstance(decision, PositionDecision):
        return [TakePosition(nation, position) for position in POSITIONS]
    actions: list[Action] = [Invest(nation, item.id) for item in legal_investments(state, decision)]
    actions.append(Pass(nation))
    return actions


def legal_responses(state: GameView, decision: RespondDecision) -> list[Response]:
    """The responses the deciding nation may choose, in the deck's order: all of them in a council."""
    responses = state.deck.card(decision.card).responses
    if decision.is_vote:
        return list(responses)
    tracks, stats, round_number, nation = state.tracks, state.stats, state.round, decision.nation
    return [r for r in responses if response_refusal(r, tracks, stats, round_number, nation) is None]


def legal_investments(state: GameView, decision: InvestDecision) -> list[Investment]:
    """The investments the deciding nation may buy now, in the deck's order."""
    nation, bought = decision.nation, decision.bought
    return [item for item in state.deck.investments if is_purchasable(state, nation, bought, item)]


def is_purchasable(state: GameView, nation: str, bought: Mapping[str, int], investment: Investment) -> bool:
    """Whether the nation may buy this investment now, having bought `bought` this round."""
    stats = state.stats
    # The price first, without building a refusal: it rules out as many as all the rest.
    return is_affordable(investment, stats[nation]["treasury"]) and (
        investment_refusal(investment, state.tracks, stats, state.round, nation, bought) is None
    )


def is_legal(state: GameView, action: Action) -> bool:
    """Whether the game accepts this action now."""
    return refusal(state, action) is None


# A tuple, not a union: isinstance is faster with it, and refusal runs for every candidate action.
_STEERING = (InjectCard, ForceRoll, AdjustTrack, AdjustStat, AddNote)


def refusal(state: GameView, action: Action) -> str | None:
    """Why the game refuses this action now, or None when it accepts it."""
    decision = state.pending
    if decision is None:
        return "the game is over"
    if isinstance(action, _STEERING):
        return _facilitator_refusal(state, action)
    if action.nation != decision.nation:
        return f"it is {decision.nation}'s decision, not {action.nation}'s"
    if isinstance(action, ChooseResponse):
        return _response_refusal(state, action)
    if isinstance(action, TakePosition):
        if not isinstance(decision, PositionDecision):
            return "no consultation is open"
        return None if action.position in POSITIONS else f'unknown position "{action.position}"'
    if not isinstance(decision, InvestDecision):
        return "this is not the investment phase"
    if isinstance(action, Pass):
        return None
    return _investment_refusal(state, decision, action)


def _response_refusal(state: GameView, action: ChooseResponse) -> str | None:
    decision = state.pending
    if not isinstance(decision, RespondDecision):
        return "no card is waiting for a response"
    card = state.deck.card(decision.card)
    try:
        response = card.response(action.response)
    except KeyError:
        return f'card "{card.id}" has no response "{action.response}"'
    if decision.is_vote:
        return None
    return response_refusal(response, state.tracks, state.stats, state.round, action.nation)


def response_refusal(
    response: Response,
    tracks: Mapping[str, int],
    stats: Mapping[str, Mapping[str, int]],
    round_number: int,
    nation: str,
) -> str | None:
    """Why this nation cannot answer its card with this response now, or None when it can."""
    treasury = stats[nation]["treasury"]
    if response.cost > 0 and response.cost > treasury:  # what is free stays free, even in debt
        return f'"{response.id}" costs {response.cost}, treasury is {treasury}'
    if not holds_all(response.requires, tracks, stats, round_number, nation, nation):
        return f'the requirements of "{response.id}" are not met'
    return None


def _investment_refusal(state: GameView, decision: InvestDecision, action: Invest) -> str | None:
    try:
        investment = state.deck.investment(action.investment)
    except KeyError:
        return f'unknown investment "{action.investment}"'
    return investment_refusal(
        investment, state.tracks, state.stats, state.round, action.nation, decision.bought
    )


def is_affordable(investment: Investment, treasury: int) -> bool:
    """Whether a treasury pays for an investment: a first look that rules out most investments.

    What is free stays free, even in debt.
    """
    return investment.cost <= treasury or investment.cost <= 0


def investment_refusal(
    investment: Investment,
    tracks: Mapping[str, int],
    stats: Mapping[str, Mapping[str, int]],
    round_number: int,
    nation: str,
    bought: Mapping[str, int],
) -> str | None:
    """Why this nation cannot buy this investment now, or None when it can."""
    treasury = stats[nation]["treasury"]
    if not is_affordable(investment, treasury):
        return f'"{investment.id}" costs {investment.cost}, treasury is {treasury}'
    if bought.get(investment.id, 0) >= investment.limit:
        return f'"{investment.id}" may be bought {investment.limit} time(s) a round'
    if not holds_all(investment.requires, tracks, stats, round_number, nation):
        return f'the requirements of "{investment.id}" are not met'
    return None


def _facilitator_refusal(
    state: GameView, action: InjectCard | ForceRoll | AdjustTrack | AdjustStat | AddNote
) -> str | None:
    deck = state.deck
    if isinstance(action, InjectCard):
        if all(card.id != action.card for card in deck.cards):
            return f'unknown card "{action.card}"'
        if action.card not in state.discard and action.card not in state.draw_pile:
            return f'every copy of "{action.card}" is in play'
    elif isinstance(action, AdjustTrack | AdjustStat):
        if not action.reason.strip():
            return "an adjustment needs a reason"
        if isinstance(action, AdjustTrack) and action.track not in deck.tracks:
            return f'unknown track "{action.track}"'
        if isinstance(action, AdjustStat):
            if action.nation not in state.stats:
                return f'unknown nation "{action.nation}"'
            if action.stat not in deck.stats:
                return f'unknown stat "{action.stat}"'
    elif isinstance(action, AddNote) and not action.text.strip():
        return "a note needs text"
    return None
