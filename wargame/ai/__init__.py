"""Scripted governments: given a state and a nation, the action that nation's persona takes.

    action = choose(state, "POL")

Each legal action is scored by its expected effect — weighted over the roll's odds — under the
persona's weights, its nation's objectives and its fear of a defeat ending; the best wins, ties going
to the action listed first (the deck's order). A choice depends on the state alone, so AI games
replay like any other. The TUI and the simulation lab both call `choose`.
"""

from __future__ import annotations

from wargame.ai.outlook import Outlook, defeat_bounds, worth
from wargame.engine import legal_actions, recent_consultations, success_chance
from wargame.engine.rounds import consultation_result
from wargame.model import (
    Action,
    Card,
    ChooseResponse,
    Deck,
    GameState,
    Invest,
    InvestDecision,
    Pass,
    Persona,
    Position,
    PositionDecision,
    RespondDecision,
    Response,
    TakePosition,
)

__all__ = ["choose", "persona_of", "predicted_position"]

#: How much a persona's firmness (-1..1) counts when it takes a position, against the effects.
FIRMNESS_WEIGHT = 2.0
#: A persona leans to support or restrain when its firmness is at least this far from zero.
LEANING = 0.25

_bounds_cache: dict[int, tuple[Deck, dict[str, list[tuple[float | None, float | None]]]]] = {}


def choose(state: GameState, nation: str) -> Action:
    """The action this nation's AI takes at the pending decision.

    The persona is the nation's controller (`ai:<persona>`), or its deck default for a human seat.
    Raises `ValueError` when the pending decision is not this nation's.
    """
    decision = state.pending
    if decision is None or decision.nation != nation:
        raise ValueError(f"it is not {nation}'s decision")
    persona = persona_of(state, nation)
    choices = legal_actions(state)
    best, best_value = choices[0], float("-inf")
    for action in choices:
        value = _value(state, persona, action)
        if value > best_value:
            best, best_value = action, value
    return best


def persona_of(state: GameState, nation: str) -> Persona:
    """The persona deciding for a nation: its AI controller's, else its deck default."""
    persona_id = state.persona_of(nation) or state.deck.nation(nation).persona
    return state.deck.personas[persona_id]


def predicted_position(persona: Persona) -> Position:
    """How a government of this persona is expected to lean in a consultation."""
    if persona.firmness >= LEANING:
        return "support"
    if persona.firmness <= -LEANING:
        return "restrain"
    return "abstain"


def _value(state: GameState, persona: Persona, action: Action) -> float:
    decision = state.pending
    if isinstance(action, Pass):
        return 0.0
    outlook = Outlook(action.nation)  # type: ignore[union-attr]
    bias = 0.0
    if isinstance(action, ChooseResponse) and isinstance(decision, RespondDecision):
        card = state.deck.card(decision.card)
        _count_response(state, outlook, card, card.response(action.response), decision.target)
    elif isinstance(action, TakePosition) and isinstance(decision, PositionDecision):
        _count_position(state, outlook, decision, action.position)
        sign = {"support": 1.0, "restrain": -1.0}.get(action.position, 0.0)
        bias = sign * persona.firmness * FIRMNESS_WEIGHT
    elif isinstance(action, Invest) and isinstance(decision, InvestDecision):
        investment = state.deck.investment(action.investment)
        outlook.spend(investment.cost)
        outlook.add(investment.effects, 1.0, action.nation, None)
    own = state.stats[outlook.nation]
    return bias + worth(outlook, persona, state.deck, state.tracks, own, _defeat_bounds(state.deck))


def _count_response(
    state: GameState, outlook: Outlook, card: Card, response: Response, actor: str | None
) -> None:
    outlook.add(response.effects, 1.0, actor, actor)
    if actor is not None and outlook.nation == actor:
        outlook.spend(response.cost)
    if response.chance is not None:
        chance = success_chance(response, state.stats, actor) / 100
        outlook.add(response.success, chance, actor, actor)
        outlook.add(response.failure, 1.0 - chance, actor, actor)
    if response.consultation and actor is not None:
        positions = [
            predicted_position(state.deck.personas[nation.persona])
            for nation in state.deck.nations
            if nation.id != actor
        ]
        _count_consultation(state, outlook, actor, positions)


def _count_position(
    state: GameState, outlook: Outlook, decision: PositionDecision, position: Position
) -> None:
    """The position's effect on the nation itself, and the result it makes likelier."""
    deck = state.deck
    persona = deck.personas[deck.nation(outlook.nation).persona]
    effect = {"support": persona.on_support, "restrain": persona.on_restrain}.get(
        position, persona.on_abstain
    )
    outlook.add(effect, 1.0, outlook.nation, outlook.nation)
    taken = {nation: taken for nation, taken in decision.positions}
    taken[outlook.nation] = position
    positions = [
        taken.get(nation.id) or predicted_position(deck.personas[nation.persona])
        for nation in deck.nations
        if nation.id != decision.invoker
    ]
    _count_consultation(state, outlook, decision.invoker, positions)


def _count_consultation(state: GameState, outlook: Outlook, invoker: str, positions: list[Position]) -> None:
    rules = state.deck.consultation
    result = consultation_result(positions.count("support"), positions.count("restrain"), rules.threshold)
    effect = {"unified": rules.unified, "restrained": rules.restrained}.get(result, rules.split)
    outlook.add(effect, 1.0, invoker, invoker)
    recent = recent_consultations(state.consultations, state.round, rules.fatigue_window)
    if recent:
        outlook.add(rules.fatigue, float(recent), invoker, invoker)


def _defeat_bounds(deck: Deck) -> dict[str, list[tuple[float | None, float | None]]]:
    cached = _bounds_cache.get(id(deck))
    if cached is None or cached[0] is not deck:
        cached = (deck, defeat_bounds(deck))
        if len(_bounds_cache) > 16:
            _bounds_cache.clear()
        _bounds_cache[id(deck)] = cached
    return cached[1]
