"""The adversary's decision as options: first a card of its hand, then where it lands.

No textual here. Legality is the engine's (`legal_actions`, `refusal`); this only says it in words.
Each card's option carries a play of that card (at its first allowed target), so that a card with
a single target is played at once when confirmed; a card with several goes on to `target_choices`.
"""

from __future__ import annotations

from wargame.engine import legal_actions
from wargame.engine.adversary import targets
from wargame.engine.legality import RefusalCode, refusal
from wargame.model import GameState, PlayCard, PlayDecision
from wargame.session.choices import Choice
from wargame.session.describe import (
    card_facts,
    council_words,
    effect_text,
    nation_name,
    price_text,
    quoted,
    seat_name,
)

__all__ = ["card_choices", "play_title", "target_choices"]


def play_title(state: GameState) -> str:
    """Who decides what: `Moscow plays a card (Leverage 3; 1 play left this round)`."""
    decision, deck = state.pending, state.deck
    assert isinstance(decision, PlayDecision)
    red = deck.adversary
    parts = []
    if red is not None and red.budget is not None and red.budget in red.stats:
        parts.append(f"{red.stats[red.budget].name} {state.adversary_stats[red.budget]}")
    plays = state.draws_left
    parts.append(f"{plays} play{'s' if plays != 1 else ''} left this round")
    return f"{seat_name(deck, decision.seat)} plays a card ({'; '.join(parts)})"


def card_choices(state: GameState) -> list[Choice]:
    """One option per card in the hand (copies once): its title, price, targets, attribution and
    what it does on arrival; a card the adversary cannot play now is barred, with why."""
    decision, deck = state.pending, state.deck
    if not isinstance(decision, PlayDecision):
        return []
    legal = [action for action in legal_actions(state) if isinstance(action, PlayCard)]
    found: list[Choice] = []
    seen: set[str] = set()
    for card_id in state.hand:
        if card_id in seen:
            continue
        seen.add(card_id)
        card = deck.card(card_id)
        plays = [action for action in legal if action.card == card_id]
        first = targets(deck, card)[0] if targets(deck, card) else None
        action = plays[0] if plays else PlayCard(decision.seat, card_id, first)
        facts = card_facts(deck, card)
        copies = state.hand.count(card_id)
        if copies > 1:
            facts.insert(0, f"{copies} copies")
        arrival = effect_text(deck, card.on_draw, "the target")
        effects = f"on arrival: {arrival}" if arrival else ""
        reason = None if plays else _why_not(state, action)
        found.append(Choice(action, card.title, facts, effects, card.text, reason))
    return found


def target_choices(state: GameState, card_id: str) -> list[Choice]:
    """Where a card from the hand may land: one option per nation it allows, with what draws an
    adversary to it (readiness, a card let go, dissent)."""
    decision, deck = state.pending, state.deck
    if not isinstance(decision, PlayDecision):
        return []
    card = deck.card(card_id)
    found: list[Choice] = []
    for target in targets(deck, card):
        action = PlayCard(decision.seat, card_id, target)
        if target is None:
            found.append(Choice(action, "The whole alliance", [council_words(deck)], "", card.text))
            continue
        nation = deck.nation(target)
        facts = [f"{deck.stats[stat].name} {value}" for stat, value in state.stats[target].items()]
        if nation.frontline:
            facts.insert(0, "frontline")
        if target in state.let_go:
            facts.append("let its last card go")
        if state.dissent.get(target):
            facts.append(f"stood against the alliance {state.dissent[target]}x")
        arrival = effect_text(deck, card.on_draw, nation.name)
        effects = f"on arrival: {arrival}" if arrival else ""
        reason = None if refusal(state, action) is None else _why_not(state, action)
        found.append(Choice(action, nation.name, facts, effects, "", reason))
    return found


def _why_not(state: GameState, action: PlayCard) -> str:
    """Why the engine refuses a play, in the red team's words."""
    reason = refusal(state, action)
    if reason is None:
        return "not now"
    deck = state.deck
    card = deck.card(action.card)
    if reason.code is RefusalCode.UNPAYABLE:
        return f"{price_text(deck, card)}, you have {reason.treasury}"
    if reason.code is RefusalCode.CARD_FORCED and reason.card is not None:
        return f"the facilitator chose {quoted(deck.card(reason.card).title)} as your next play"
    if reason.code is RefusalCode.TARGET_NOT_ALLOWED:
        return f"the card cannot aim at {nation_name(deck, action.target)}"
    return str(reason)
