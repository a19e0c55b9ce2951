"""The options of the pending decision, each with what it costs, needs, risks and does.

Every response, position and investment is listed, legal or not: an option the engine refuses carries
the engine's reason (`refusal`) and is shown disabled. So is every play of the adversary's hand, for
a red-cell team: each card it holds at each target the card allows. No textual here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wargame.engine import success_chance
from wargame.engine.adversary import targets
from wargame.engine.conditions import value_of
from wargame.engine.legality import RefusalCode, refusal
from wargame.engine.postures import extra_cost
from wargame.model import (
    POSITIONS,
    Action,
    ChooseResponse,
    Condition,
    ConsultationResult,
    FollowUpDecision,
    GameState,
    Invest,
    InvestDecision,
    Object,
    Pass,
    PlayCard,
    PlayDecision,
    PositionDecision,
    ProposalDecision,
    RequestConsultation,
    RespondDecision,
    TakePosition,
)
from wargame.session.describe import (
    condition_text,
    cost_text,
    effect_text,
    nation_name,
    quoted,
    seat_name,
    signed,
    stat_name,
    subject_name,
)
from wargame.session.facilitator import play_place

__all__ = ["POSITION_MEANING", "Choice", "choices", "decision_title"]

#: What each consultation position stands for.
POSITION_MEANING = {
    "support": "back a firm collective answer",
    "restrain": "urge de-escalation",
    "abstain": "stay out of it",
}


@dataclass
class Choice:
    """One option of a decision."""

    action: Action
    title: str
    facts: list[str] = field(default_factory=list)
    """Cost, chance, requirements: what to know before choosing."""
    effects: str = ""
    """What it does, in words."""
    text: str = ""
    """What it means, in a sentence or two."""
    reason: str | None = None
    """Why it cannot be chosen now; None when it can."""

    @property
    def enabled(self) -> bool:
        """Whether the engine accepts it now."""
        return self.reason is None


def decision_title(state: GameState) -> str:
    """Who decides what: `Poland answers the card`, `Estonia votes in the alliance council`,
    `Moscow plays a card (Leverage 3)`."""
    decision, deck = state.pending, state.deck
    if decision is None:
        return "The game is over"
    who = seat_name(deck, decision.seat)
    if isinstance(decision, PlayDecision):
        purse = _purse(state)
        if decision.only is not None:
            title = quoted(deck.card(decision.only).title)
            return f"{who} must play {title}, injected by the facilitator{purse}"
        return f"{who} plays a card from its hand{purse}"
    if isinstance(decision, RespondDecision):
        if decision.is_vote and deck.council.is_consensus:
            return f"{who} chairs the alliance council: propose a response (one objection deadlocks it)"
        if decision.is_vote:
            return f"{who} votes in the alliance council ({len(decision.votes)} of {len(deck.nations)} voted)"
        return f"{who} answers the card"
    if isinstance(decision, FollowUpDecision):
        return f"{who} may also request {deck.consultation.label}"
    if isinstance(decision, ProposalDecision):
        proposal = deck.card(decision.card).response(decision.proposal).label
        return (
            f"{who} accepts or objects to {nation_name(deck, decision.chair)}'s proposal “{proposal}”"
            f" ({len(decision.answers)} of {len(deck.nations) - 1} answered)"
        )
    if isinstance(decision, PositionDecision):
        return f"{who} takes a position on {nation_name(deck, decision.invoker)}'s {deck.consultation.label}"
    treasury = state.stats[decision.nation]["treasury"]
    return f"{who} invests (treasury {treasury}), then passes"


def _purse(state: GameState) -> str:
    """What the adversary has to pay for cards with, in brackets: ` (Leverage 3)`; "" without a budget."""
    red = state.deck.adversary
    if red is None or red.budget is None:
        return ""
    return f" ({red.stats[red.budget].name} {state.adversary_stats[red.budget]})"


def choices(state: GameState) -> list[Choice]:
    """Every option of the pending decision, in the deck's order; empty once the game is over."""
    decision = state.pending
    if isinstance(decision, RespondDecision):
        return _responses(state, decision)
    if isinstance(decision, PositionDecision):
        return _positions(state, decision)
    if isinstance(decision, FollowUpDecision):
        return _follow_ups(state, decision)
    if isinstance(decision, ProposalDecision):
        return _answers(state, decision)
    if isinstance(decision, InvestDecision):
        return _investments(state, decision)
    if isinstance(decision, PlayDecision):
        return _plays(state, decision)
    return []


def _needs(state: GameState, requires: tuple[Condition, ...]) -> str:
    return "needs " + " and ".join(condition_text(state.deck, condition) for condition in requires)


def _why(state: GameState, action: Action, requires: tuple[Condition, ...] = ()) -> str | None:
    """The engine's reason for refusing, in the player's words: what is lacking, about the option
    itself (whose name is its title); None when the engine accepts it."""
    reason = refusal(state, action)
    if reason is None:
        return None
    code = reason.code
    if code is RefusalCode.REQUIREMENTS_NOT_MET:
        assert state.pending is not None  # else the refusal would be that the game is over
        nation = state.pending.seat
        have = [
            f"{subject_name(state.deck, condition)} is "
            f"{value_of(condition, state.tracks, state.stats, state.round, nation, nation)}"
            for condition in requires
        ]
        return f"{_needs(state, requires)}; {', '.join(have)}"
    if code is RefusalCode.UNAFFORDABLE and reason.stat is not None:
        return f"costs {reason.cost} {stat_name(state.deck, reason.stat)}, you have {reason.held}"
    if code is RefusalCode.UNAFFORDABLE:
        return f"costs {reason.cost}, your treasury is {reason.treasury}"
    if code is RefusalCode.LIMIT_REACHED:
        return f"may be bought {reason.limit} time(s) a round"
    if code is RefusalCode.UNPAYABLE:
        return f"costs {reason.cost}, the budget is {reason.treasury}"
    return str(reason)


def _responses(state: GameState, decision: RespondDecision) -> list[Choice]:
    card = state.deck.card(decision.card)
    deck, nation = state.deck, decision.nation
    found = []
    for response in card.responses:
        action = ChooseResponse(nation, response.id)
        facts = []
        # What the postures add to the price is paid like the rest of it (see `engine.postures`).
        extra = extra_cost(state, response.id) if deck.postures and not decision.is_vote else 0
        if (extra or not response.is_free) and not decision.is_vote:
            facts.append(cost_text(deck, response.cost + extra, response.stat_costs))
        if response.requires and not decision.is_vote:
            facts.append(_needs(state, response.requires))
        actor_word = "the target" if decision.is_vote else "you"
        parts = [effect_text(deck, response.effects, actor_word)]
        if response.chance is not None:
            chance = success_chance(response, state.stats, None if decision.is_vote else nation, state)
            facts.append(f"{chance}% chance")
            success = effect_text(deck, response.success, actor_word) or "nothing more"
            failure = effect_text(deck, response.failure, actor_word) or "nothing more"
            parts.append(f"success: {success}")
            parts.append(f"failure: {failure}")
        if response.consultation:
            facts.append(f"opens {deck.consultation.label}")
        if decision.is_vote and deck.council.is_consensus and response.id == deck.council.fallback:
            # The chair should know which proposal an objection would only bring back.
            facts.append("the fallback if the council deadlocks")
        reason = _why(state, action, response.requires)
        effects = " | ".join(part for part in parts if part)
        found.append(Choice(action, response.label, facts, effects, response.text, reason))
    return found


def _positions(state: GameState, decision: PositionDecision) -> list[Choice]:
    deck = state.deck
    # The reaction is the deck default persona's, as the engine applies it.
    persona = deck.personas[deck.nation(decision.nation).persona]
    found = []
    for position in POSITIONS:
        effect = persona.reaction(position)
        action = TakePosition(decision.nation, position)
        words = effect_text(deck, effect, "you")
        text = f"At home: {effect.text}" if effect.text else ""
        found.append(
            Choice(
                action,
                position.capitalize(),
                [POSITION_MEANING[position]],
                words,
                text,
                _why(state, action),
            )
        )
    return found


def _follow_ups(state: GameState, decision: FollowUpDecision) -> list[Choice]:
    """Request consultations after the nation's own response, or not."""
    rules, nation = state.deck.consultation, decision.nation
    request = RequestConsultation(nation, True)
    decline = RequestConsultation(nation, False)
    outcomes = " | ".join(
        f"{result.value}: {effect_text(state.deck, rules.effect(result), 'you') or 'nothing'}"
        for result in ConsultationResult
    )
    return [
        Choice(
            request,
            f"Request consultations ({rules.label})",
            [f"opens {rules.label}"],
            outcomes,
            "The other nations take their positions; the result applies to you.",
            _why(state, request),
        ),
        Choice(decline, "No: move on", [], "", "Your response stands alone.", _why(state, decline)),
    ]


def _answers(state: GameState, decision: ProposalDecision) -> list[Choice]:
    """Accept the chair's proposal or object to it (then the deadlock and the fallback)."""
    deck = state.deck
    card, rules = deck.card(decision.card), deck.council
    proposal = card.response(decision.proposal)
    fallback = card.response(rules.fallback or decision.proposal)
    accept, object_ = Object(decision.nation, False), Object(decision.nation, True)
    deadlock = effect_text(deck, rules.deadlock, "the target")
    fallen = f"{fallback.label}: {effect_text(deck, fallback.effects, 'the target') or 'nothing'}"
    return [
        Choice(
            accept,
            f"Accept “{proposal.label}”",
            [],
            effect_text(deck, proposal.effects, "the target"),
            "Adopted if no nation objects.",
            _why(state, accept),
        ),
        Choice(
            object_,
            "Object: deadlock the council",
            [f"falls back to “{fallback.label}”"],
            " | ".join(part for part in (f"deadlock: {deadlock}" if deadlock else "", fallen) if part),
            "One objection blocks the proposal: the deadlock's effects, then the fallback response.",
            _why(state, object_),
        ),
    ]


def _investments(state: GameState, decision: InvestDecision) -> list[Choice]:
    deck, nation = state.deck, decision.nation
    found = []
    for item in deck.investments:
        action = Invest(nation, item.id)
        facts = [cost_text(deck, item.cost, item.stat_costs)]
        bought = decision.bought.get(item.id, 0)
        if item.limit > 1 or bought:
            facts.append(f"bought {bought} of {item.limit} this round")
        if item.requires:
            facts.append(_needs(state, item.requires))
        reason = _why(state, action, item.requires)
        found.append(
            Choice(action, item.name, facts, effect_text(deck, item.effects, "you"), item.text, reason)
        )
    done = Pass(nation)
    found.append(
        Choice(done, "Done: pass", ["key p"], "", "End your investments for this round.", _why(state, done))
    )
    return found


def _plays(state: GameState, decision: PlayDecision) -> list[Choice]:
    """Every card of the adversary's hand (each once) at every target it allows, in the hand's order
    and the deck's order of nations; a card the adversary cannot pay for, or another than the one
    the facilitator injected, is listed with the reason."""
    deck = state.deck
    red = deck.adversary
    budget = None if red is None or red.budget is None else red.stats[red.budget].name
    found = []
    for card_id in dict.fromkeys(state.hand):  # each card once, in the hand's order
        card = deck.card(card_id)
        facts = [f"price {card.price} {budget}" if card.price and budget else "free"]
        if card.tags:
            facts.append(", ".join(card.tags))
        if card.attribution:
            total = sum(card.attribution.values())
            odds = (f"{truth} {round(100 * weight / total)}%" for truth, weight in card.attribution.items())
            facts.append(f"blamed on: {', '.join(odds)}")
        own = card.on_draw.adversary
        if red is not None and own:
            deltas = ", ".join(f"{red.stats[stat].name} {signed(delta)}" for stat, delta in own.items())
            own_text = f"{red.name}: {deltas}"
        else:
            own_text = ""
        for target in targets(deck, card):
            action = PlayCard(decision.seat, card.id, target)
            title = f"{quoted(card.title)} {play_place(deck, target)}"
            effects = effect_text(deck, card.on_draw, nation_name(deck, target))
            effects = "; ".join(part for part in (effects, own_text) if part)
            found.append(Choice(action, title, list(facts), effects, card.text, _why(state, action)))
    return found
