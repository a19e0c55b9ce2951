"""Scripted governments: given a state and a nation, the action that nation's persona takes.

    action = choose(state, "POL")

Each legal action is scored by its expected effect — weighted over the roll's odds — under the
persona's weights, its nation's objectives and its fear of a defeat ending; the best wins, ties going
to the action listed first (the deck's order). A choice depends on the state alone, so AI games
replay like any other. The TUI and the simulation lab both call `choose`.
"""

from __future__ import annotations

from collections.abc import Iterator

from wargame.ai.outlook import Briefing, Outlook, worth
from wargame.engine import legal_actions, recent_consultations, success_chance
from wargame.engine.rounds import consultation_result
from wargame.model import (
    Action,
    ChooseResponse,
    Deck,
    GameView,
    Invest,
    Pass,
    Persona,
    Position,
    PositionDecision,
    RespondDecision,
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

#: An action the AI weighs, what it expects from it (None: nothing), and the persona's bias for it.
Candidate = tuple[Action, Outlook | None, float]

_briefings: dict[int, Briefing] = {}


def choose(state: GameView, nation: str) -> Action:
    """The action this nation's AI takes at the pending decision.

    The persona is the nation's controller (`ai:<persona>`), or its deck default for a human seat.
    Raises `ValueError` when the pending decision is not this nation's.
    """
    decision = state.pending
    if decision is None or decision.nation != nation:
        raise ValueError(f"it is not {nation}'s decision")
    persona = persona_of(state, nation)
    briefing = _briefing(state.deck)
    choices = legal_actions(state)
    best, best_value = choices[0], float("-inf")
    candidates: Iterator[Candidate]
    if isinstance(decision, RespondDecision):
        candidates = _responses(state, briefing, decision, choices)
    elif isinstance(decision, PositionDecision):
        candidates = _positions(state, briefing, persona, decision, choices)
    else:
        # A government buys only what is worth more than keeping the money: passing wins ties.
        best, best_value = Pass(nation), 0.0
        candidates = _investments(state, briefing, choices)
    own = state.stats[nation]
    for action, outlook, bias in candidates:
        value = bias
        if outlook is not None:
            value += worth(outlook, persona, briefing, state.tracks, own)
        if value > best_value:
            best, best_value = action, value
    return best


def persona_of(state: GameView, nation: str) -> Persona:
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


def _responses(
    state: GameView, briefing: Briefing, decision: RespondDecision, choices: list[Action]
) -> Iterator[Candidate]:
    """A card's responses: their effects, rolls, and the consultation some of them open."""
    deck = state.deck
    card = deck.card(decision.card)
    actor = decision.target
    fatigue = recent_consultations(state.consultations, state.round, deck.consultation.fatigue_window)
    # The result a consultation is expected to reach, if the actor opened one now.
    expected = _expected_result(state, actor) if actor is not None else None
    for action in choices:
        assert isinstance(action, ChooseResponse)
        response = card.response(action.response)
        chance = success_chance(response, state.stats, actor)
        # Given the chance, the fatigue and the expected result, an outlook depends on the deck alone.
        key = ("response", card.id, response.id, actor, decision.nation, chance, fatigue, expected)
        outlook = briefing.outlooks.get(key)
        if outlook is None:
            outlook = briefing.outlooks[key] = Outlook(decision.nation)
            outlook.add(response.effects, 1.0, actor, actor)
            if actor is not None and decision.nation == actor:
                outlook.spend(response.cost)
            if response.chance is not None:
                outlook.add(response.success, chance / 100, actor, actor)
                outlook.add(response.failure, 1.0 - chance / 100, actor, actor)
            if response.consultation and actor is not None and expected is not None:
                _count_consultation(deck, outlook, actor, expected, fatigue)
        yield action, outlook, 0.0


def _positions(
    state: GameView, briefing: Briefing, persona: Persona, decision: PositionDecision, choices: list[Action]
) -> Iterator[Candidate]:
    """Each position: its effect on the nation itself, the result it makes likelier, the outcome it
    argues for, and the persona's firmness."""
    deck = state.deck
    nation, invoker = decision.nation, decision.invoker
    taken = dict(decision.positions)
    leanings = _leanings(state, invoker)
    # How the others are expected to stand: as they did, or as they lean.
    others = [taken.get(other, leaning) for other, leaning in leanings if other != nation]
    support, restrain = others.count("support"), others.count("restrain")
    fatigue = recent_consultations(state.consultations, state.round, deck.consultation.fatigue_window)
    for action in choices:
        assert isinstance(action, TakePosition)
        position = action.position
        result = consultation_result(
            support + (position == "support"),
            restrain + (position == "restrain"),
            deck.consultation.threshold,
        )
        key = ("position", nation, invoker, position, result, fatigue)
        outlook = briefing.outlooks.get(key)
        if outlook is None:
            outlook = briefing.outlooks[key] = Outlook(nation)
            # The reaction is the deck default persona's, as the engine applies it.
            reaction = deck.personas[deck.nation(nation).persona].reaction(position)
            outlook.add(reaction, 1.0, nation, nation)
            _count_consultation(deck, outlook, invoker, result, fatigue)
            if position != "abstain":
                endorsed = deck.consultation.effect("unified" if position == "support" else "restrained")
                outlook.add(endorsed, EXPRESSIVE_WEIGHT, invoker, invoker)
        sign = {"support": 1.0, "restrain": -1.0}.get(position, 0.0)
        yield action, outlook, sign * persona.firmness * FIRMNESS_WEIGHT


def _investments(state: GameView, briefing: Briefing, choices: list[Action]) -> Iterator[Candidate]:
    """Each investment: its price and its effects (passing changes nothing)."""
    for action in choices:
        if isinstance(action, Pass):
            yield action, None, 0.0
            continue
        assert isinstance(action, Invest)
        key = ("investment", action.investment, action.nation)
        outlook = briefing.outlooks.get(key)
        if outlook is None:
            investment = state.deck.investment(action.investment)
            outlook = briefing.outlooks[key] = Outlook(action.nation)
            outlook.spend(investment.cost)
            outlook.add(investment.effects, 1.0, action.nation, None)
        yield action, outlook, 0.0


def _expected_result(state: GameView, invoker: str) -> str:
    """The result of a consultation this nation opened now, if every other nation stood as it leans."""
    leanings = [leaning for _, leaning in _leanings(state, invoker)]
    threshold = state.deck.consultation.threshold
    return consultation_result(leanings.count("support"), leanings.count("restrain"), threshold)


def _leanings(state: GameView, invoker: str) -> tuple[tuple[str, Position], ...]:
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
            (nation.id, predicted_position(persona_of(state, nation.id)))
            for nation in state.deck.nations
            if nation.id != invoker
        )
    return found


def _count_consultation(deck: Deck, outlook: Outlook, invoker: str, result: str, fatigue: int) -> None:
    rules = deck.consultation
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
