"""Scripted governments: given a state and a nation, the action that nation's persona takes.

    action = choose(state, "POL")

Each legal action is scored by its expected effect — weighted over the roll's odds — under the
persona's weights, its nation's objectives and its fear of a defeat ending; the best wins, ties going
to the action listed first (the deck's order). A choice depends on the state alone, so AI games
replay like any other. The TUI and the simulation lab both call `choose`.
"""

from __future__ import annotations

from wargame.ai.outlook import Briefing, Outlook, worth
from wargame.engine import legal_actions, recent_consultations, success_chance
from wargame.engine.rounds import consultation_result
from wargame.model import (
    Action,
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
#: How much a government weighs the outcome its position argues for, whether or not its voice
#: decides the result: governments state positions on the merits, not only when they are pivotal.
EXPRESSIVE_WEIGHT = 0.5
#: A persona leans to support or restrain when its firmness is at least this far from zero.
LEANING = 0.25

_briefings: dict[int, Briefing] = {}


def choose(state: GameState, nation: str) -> Action:
    """The action this nation's AI takes at the pending decision.

    The persona is the nation's controller (`ai:<persona>`), or its deck default for a human seat.
    Raises `ValueError` when the pending decision is not this nation's.
    """
    decision = state.pending
    if decision is None or decision.nation != nation:
        raise ValueError(f"it is not {nation}'s decision")
    persona = persona_of(state, nation)
    briefing = _briefing(state.deck)
    own = state.stats[nation]
    choices = legal_actions(state)
    best, best_value = choices[0], float("-inf")
    if isinstance(decision, InvestDecision):
        # A government buys only what is worth more than keeping the money: passing wins ties.
        best, best_value = Pass(nation), 0.0
    for action in choices:
        outlook, bias = _outlook(state, briefing, persona, nation, action)
        value = bias
        if outlook is not None:
            value += worth(outlook, persona, briefing, state.tracks, own)
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


def _outlook(
    state: GameState, briefing: Briefing, persona: Persona, nation: str, action: Action
) -> tuple[Outlook | None, float]:
    """What an action is expected to change for the nation, and the persona's bias for it."""
    decision = state.pending
    if isinstance(action, Pass):
        return None, 0.0
    if isinstance(action, ChooseResponse) and isinstance(decision, RespondDecision):
        card = state.deck.card(decision.card)
        response = card.response(action.response)
        actor = decision.target
        chance = success_chance(response, state.stats, actor)
        fatigue = recent_consultations(
            state.consultations, state.round, state.deck.consultation.fatigue_window
        )
        leanings = _leanings(state, actor) if response.consultation and actor is not None else ()
        # Given the chance, the fatigue and the others' leanings, a response's outlook depends on the
        # deck alone.
        key: tuple[object, ...] = ("response", card.id, response.id, actor, nation, chance, fatigue, leanings)
        outlook = briefing.outlooks.get(key)
        if outlook is None:
            outlook = briefing.outlooks[key] = Outlook(nation)
            _count_response(state.deck, outlook, response, actor, chance, fatigue, leanings)
        return outlook, 0.0
    if isinstance(action, TakePosition) and isinstance(decision, PositionDecision):
        outlook = Outlook(nation)
        _count_position(state, outlook, decision, action.position)
        sign = {"support": 1.0, "restrain": -1.0}.get(action.position, 0.0)
        return outlook, sign * persona.firmness * FIRMNESS_WEIGHT
    assert isinstance(action, Invest)
    key = ("investment", action.investment, nation)
    outlook = briefing.outlooks.get(key)
    if outlook is None:
        investment = state.deck.investment(action.investment)
        outlook = briefing.outlooks[key] = Outlook(nation)
        outlook.spend(investment.cost)
        outlook.add(investment.effects, 1.0, nation, None)
    return outlook, 0.0


def _leanings(state: GameState, invoker: str) -> tuple[Position, ...]:
    """How every nation but the invoker is expected to lean, by the persona that controls it.

    Worked out once per set of controllers and invoker: a run of thousands of games uses a handful.
    """
    leanings = _briefing(state.deck).leanings
    key = (invoker, tuple(state.controllers.items()))
    found = leanings.get(key)
    if found is None:
        if len(leanings) >= 256:  # many different seatings: keep memory flat
            leanings.clear()
        found = leanings[key] = tuple(
            predicted_position(persona_of(state, nation.id))
            for nation in state.deck.nations
            if nation.id != invoker
        )
    return found


def _count_response(
    deck: Deck,
    outlook: Outlook,
    response: Response,
    actor: str | None,
    chance: int,
    fatigue: int,
    leanings: tuple[Position, ...],
) -> None:
    outlook.add(response.effects, 1.0, actor, actor)
    if actor is not None and outlook.nation == actor:
        outlook.spend(response.cost)
    if response.chance is not None:
        outlook.add(response.success, chance / 100, actor, actor)
        outlook.add(response.failure, 1.0 - chance / 100, actor, actor)
    if response.consultation and actor is not None:
        _count_consultation(deck, outlook, actor, list(leanings), fatigue)


def _count_position(
    state: GameState, outlook: Outlook, decision: PositionDecision, position: Position
) -> None:
    """The position's effect on the nation itself, the result it makes likelier, and the outcome it
    argues for."""
    deck = state.deck
    persona = deck.personas[deck.nation(outlook.nation).persona]
    outlook.add(persona.reaction(position), 1.0, outlook.nation, outlook.nation)
    taken = dict(decision.positions)
    taken[outlook.nation] = position
    others = [nation.id for nation in deck.nations if nation.id != decision.invoker]
    leanings = _leanings(state, decision.invoker)
    positions = [taken.get(nation, leaning) for nation, leaning in zip(others, leanings, strict=True)]
    fatigue = recent_consultations(state.consultations, state.round, deck.consultation.fatigue_window)
    _count_consultation(deck, outlook, decision.invoker, positions, fatigue)
    if position != "abstain":
        endorsed = deck.consultation.effect("unified" if position == "support" else "restrained")
        outlook.add(endorsed, EXPRESSIVE_WEIGHT, decision.invoker, decision.invoker)


def _count_consultation(
    deck: Deck, outlook: Outlook, invoker: str, positions: list[Position], fatigue: int
) -> None:
    rules = deck.consultation
    result = consultation_result(positions.count("support"), positions.count("restrain"), rules.threshold)
    outlook.add(rules.effect(result), 1.0, invoker, invoker)
    if fatigue:
        outlook.add(rules.fatigue, float(fatigue), invoker, invoker)


def _briefing(deck: Deck) -> Briefing:
    """The deck's briefing, worked out on first use (a few decks at most are in play at once)."""
    briefing = _briefings.get(id(deck))
    if briefing is None or briefing.deck is not deck:
        if len(_briefings) >= 8:
            _briefings.clear()
        briefing = _briefings[id(deck)] = Briefing(deck)
    return briefing
