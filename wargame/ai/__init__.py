"""Scripted governments: given a state and a nation, the action that nation's persona takes.

    action = choose(state, "POL")

Each legal action is scored by its expected effect — weighted over the roll's odds — under the
persona's weights, its nation's objectives and its fear of a defeat ending; the best wins, ties going
to the action listed first (the deck's order). A choice depends on the state alone, so AI games
replay like any other. The TUI and the simulation lab both call `choose`.

A seat whose controller is a planner (`ai:<persona>:planner`) is played by the planning AI
(`wargame.ai.planner`), which plays sampled futures with this scripted AI (`scripted`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from wargame.ai.adversary import choose_play
from wargame.ai.outlook import Appraisal, Briefing, Catalogue, Outlook, appraise
from wargame.engine import (
    is_purchasable,
    legal_responses,
    recent_consultations,
)
from wargame.engine.postures import modifiers
from wargame.engine.rounds import chance_at, consultation_result, readiness_of
from wargame.engine.views import is_secret_in_play, seen
from wargame.model import (
    POSITIONS,
    Action,
    Board,
    Card,
    ChooseResponse,
    ConsultationResult,
    Deck,
    FollowUpDecision,
    InvestDecision,
    Object,
    Persona,
    Planner,
    PlayDecision,
    Position,
    PositionDecision,
    ProposalDecision,
    RequestConsultation,
    RespondDecision,
    Response,
    TakePosition,
    persona_in,
)

__all__ = ["choose", "persona_of", "predicted_position", "scripted"]

#: How much a persona's firmness (-1..1) counts when it takes a position, against the effects.
FIRMNESS_WEIGHT = 2.0
#: How much a government weighs the outcome its position argues for, whether or not its voice
#: decides the result: governments state positions on the merits, not only when they are pivotal.
EXPRESSIVE_WEIGHT = 0.5
#: A persona leans to support or restrain when its firmness is at least this far from zero.
LEANING = 0.25
#: Values closer than this are equal: an action must be worth more than this over another to win.
TIE_MARGIN = 1e-9

#: Which way a position leans, for the persona's firmness.
_LEAN: dict[str, float] = {"support": 1.0, "restrain": -1.0, "abstain": 0.0}

#: A response id, position or investment id.
Choice = TypeVar("Choice", bound=str)
#: What the AI weighs: a choice, how the persona sees what it would change, and its bias for it.
Candidate = tuple[Choice, Appraisal, float]

#: What postures add to responses' chances and costs in a deck without them.
_NO_MODIFIERS: tuple[Mapping[str, int], Mapping[str, int]] = ({}, {})

_briefings: dict[int, Briefing] = {}
#: The briefing asked for last.
_latest: list[Briefing] = []


def choose(state: Board, nation: str) -> Action:
    """The action a seat's AI takes at the pending decision, decided from the seat's view.

    `nation` is a nation id, or the adversary's id (then see `wargame.ai.adversary`). A planner
    controller (`Planner`) plans (`wargame.ai.planner.plan`, its rollouts, and dice from the game's
    seed and turn, which no view holds: `planner_seed`); any other seat gets the scripted AI
    (`scripted`). Raises `ValueError` when the pending decision is not this seat's.
    """
    controller = state.controllers.get(nation)
    if type(controller) is Planner:
        from wargame.ai.planner import default_rollouts, plan, planner_seed

        rollouts = default_rollouts(state, nation) if controller.rollouts is None else controller.rollouts
        return plan(state, nation, rollouts, planner_seed(state, nation))
    return scripted(state, nation)


def scripted(state: Board, nation: str) -> Action:
    """The action the scripted AI takes for a seat at the pending decision, from the seat's view.

    The persona is the seat's controller's (`Scripted(persona)`, a planner's too), or its deck default
    for a human seat. Raises `ValueError` when the pending decision is not this seat's.
    """
    decision = state.pending
    if isinstance(decision, PlayDecision):
        if decision.seat != nation:
            raise ValueError(f"it is not {nation}'s decision")
        # The adversary's view hides only the draw order and the PRNG, which it does not read.
        return choose_play(state, nation)
    if decision is None or decision.nation != nation:
        raise ValueError(f"it is not {nation}'s decision")
    # One look-up by the decision's kind rather than a chain of `isinstance` calls, at each of a
    # game's 170 decisions (decisions are final attrs classes: no subclass).
    kind = type(decision)
    if (
        state.deck.has_secrets
        and (kind is RespondDecision or kind is ProposalDecision)
        and is_secret_in_play(state, nation)
    ):
        # Of what a view hides, only the card in play's truth and sealed votes or answers bear on a
        # government's choice, and only on a response or a council's answer: a position, a follow-up
        # or an investment reads public values alone (a condition tests a truth only once it is
        # revealed). The property test in test_views checks it.
        state = seen(state, nation)
        decision = state.pending
        assert decision is not None and not isinstance(decision, PlayDecision)
    # The deck's briefing: the one asked for last, without a call, at nearly every decision.
    briefing = _latest[0] if _latest and _latest[0].deck is state.deck else _briefing(state.deck)
    if briefing.seated is not state.controllers:
        _seating(state, briefing)
    try:
        decide = _DECIDE[kind]
    except KeyError:
        raise AssertionError(f"no AI for {decision!r}") from None
    return decide(state, briefing, briefing.persona_ids[nation], decision)


def _respond(state: Board, briefing: Briefing, persona_id: str, decision: RespondDecision) -> Action:
    nation = decision.nation
    candidates = _responses(state, briefing, persona_id, decision)
    response = _best(candidates, state.tracks, state.stats[nation])
    assert response is not None, "a card always has a response that costs and requires nothing"
    return _action(ChooseResponse, nation, response)


def _position(state: Board, briefing: Briefing, persona_id: str, decision: PositionDecision) -> Action:
    nation = decision.nation
    position = _best(_positions(state, briefing, persona_id, decision), state.tracks, state.stats[nation])
    assert position is not None
    return _action(TakePosition, nation, position)


def _follow_up(state: Board, briefing: Briefing, persona_id: str, decision: FollowUpDecision) -> Action:
    nation = decision.nation
    # Requesting must be worth more than not: declining comes first and wins ties.
    candidates = _follow_ups(state, briefing, persona_id, nation)
    request = _best(candidates, state.tracks, state.stats[nation]) == "request"
    return _action(RequestConsultation, nation, request)


def _answer(state: Board, briefing: Briefing, persona_id: str, decision: ProposalDecision) -> Action:
    nation = decision.nation
    # Objecting must be worth more than accepting: accepting comes first and wins ties.
    candidates = _answers(state, briefing, persona_id, decision)
    objects = _best(candidates, state.tracks, state.stats[nation]) == "object"
    return _action(Object, nation, objects)


def _investment(state: Board, briefing: Briefing, persona_id: str, decision: InvestDecision) -> Action:
    """A government buys only what is worth more than keeping the money: passing wins ties. Whether it
    may buy an investment is asked only of one it would rather have than the best so far (cheaper, by
    count, than looking up what it could buy, `engine.offered`)."""
    nation = decision.nation
    # Looked up here, built by `_catalogue` once per nation and persona: four decisions in ten.
    catalogue = briefing.catalogues.get((nation, persona_id))
    if catalogue is None:
        catalogue = _catalogue(state.deck, briefing, persona_id, nation)
    investment, bar, bought = None, 0.0 + TIE_MARGIN, decision.bought
    # Only those worth more than passing: any other could never beat the bar, which starts there.
    for item, value in catalogue.wanted(state.tracks, state.stats[nation]):
        # As in `_best` (a value must beat the best so far by the margin), with the worths looked up.
        if value > bar and is_purchasable(state, nation, bought, item):
            investment, bar = item.id, value + TIE_MARGIN
    return catalogue.actions[investment]


#: How a government decides, by the kind of decision.
_DECIDE: dict[type, Callable[[Board, Briefing, str, Any], Action]] = {
    InvestDecision: _investment,
    RespondDecision: _respond,
    ProposalDecision: _answer,
    PositionDecision: _position,
    FollowUpDecision: _follow_up,
}


#: The actions the AI has taken, by kind, nation and choice: actions are frozen values, so one made
#: before serves again (a game takes about 160, and the lab plays hundreds of games a second).
_ACTIONS: dict[tuple[object, object, object], Action] = {}


def _action(kind: Callable[..., Action], nation: str, choice: object = None) -> Action:
    """The action of this kind by this nation, with its choice (none for a pass). Three fields, not
    any number: packing them costs a third of a look-up, at each of a game's 150 decisions."""
    key = (kind, nation, choice)
    action = _ACTIONS.get(key)
    if action is None:
        if len(_ACTIONS) >= 4096:
            _ACTIONS.clear()
        action = _ACTIONS[key] = kind(nation) if choice is None else kind(nation, choice)
    return action


def persona_of(state: Board, nation: str) -> Persona:
    """The persona deciding for a nation: its AI controller's, else its deck default."""
    return state.deck.personas[_persona_id(state, nation)]


def predicted_position(persona: Persona) -> Position:
    """How a government of this persona is expected to lean in a consultation."""
    if persona.firmness >= LEANING:
        return "support"
    if persona.firmness <= -LEANING:
        return "restrain"
    return "abstain"


def _persona_id(state: Board, nation: str) -> str:
    return persona_in(state.controllers[nation]) or state.deck.nation(nation).persona


def _best(
    candidates: Iterable[Candidate[Choice]],
    tracks: Mapping[str, int],
    own: Mapping[str, int],
    floor: float = float("-inf"),
) -> Choice | None:
    """The candidate worth most, the first of equals; None when none is worth more than `floor`."""
    best, best_value, margin = None, floor, TIE_MARGIN
    for choice, (fixed, terms), bias in candidates:
        # What the option is worth now: the appraisal's fixed part, and its terms at today's values.
        value = bias + fixed
        for on_track, key, values in terms:
            value += values[tracks[key] if on_track else own[key]]
        # A margin, so that values equal but for float rounding tie, and the tie rule decides.
        if value > best_value + margin:
            best, best_value = choice, value
    return best


def _responses(
    state: Board, briefing: Briefing, persona_id: str, decision: RespondDecision
) -> Iterator[Candidate[str]]:
    """A card's responses: their effects, rolls, and the consultation some of them open."""
    deck = state.deck
    card = deck.card(decision.card)
    actor, nation = decision.target, decision.nation
    # If the actor opened a consultation now: its fatigue, and the result it is expected to reach.
    # Worked out only when a response would open one.
    consultation: tuple[int, ConsultationResult] | None = None
    readiness: int | None = None
    # What the postures add to each response's chance and cost, looked up once per decision.
    bonuses, extras = modifiers(deck, state.postures) if deck.postures else _NO_MODIFIERS
    for response in legal_responses(state, decision):
        opens = actor is not None and response.consultation
        if opens and consultation is None and actor is not None:
            window = deck.consultation.fatigue_window
            fatigue = recent_consultations(state.consultations, state.round, window)
            consultation = fatigue, _expected_result(state, briefing, actor)
        # A response without a roll is certain; the readiness a roll counts is read once (for a
        # council, it is the mean of every nation's).
        if response.chance is None:
            chance = 100
        else:
            if readiness is None:
                readiness = readiness_of(state.stats, actor)
            chance = chance_at(response, readiness, bonuses.get(response.id, 0))
        # Given the chance, the consultation and the odds of a claim's being wrong, an appraisal
        # depends on the deck alone.
        context = consultation if opens else None
        key: tuple[object, ...]
        key = ("response", card.id, response.id, actor, nation, chance, context, persona_id)
        # What the postures add to the cost: read from the state, so the appraisal is keyed by it.
        extra = extras.get(response.id, 0)
        if extra:
            key = (*key, "extra", extra)
        wrong = 0.0
        if response.claims is not None:
            wrong = odds_wrong(state, card, response.claims)
            key = (*key, wrong)
        appraisal = briefing.appraisals.get(key)
        if appraisal is None:
            outlook = _response_outlook(deck, response, nation, actor, chance, context, extra)
            if wrong:
                outlook.add(response.if_wrong, wrong, actor, actor)
            appraisal = briefing.remember(key, appraise(outlook, deck.personas[persona_id], briefing))
        yield response.id, appraisal, 0.0


def odds_wrong(state: Board, card: Card, claimed: str) -> float:
    """The chance that a claim about the card in play's attribution is wrong, as the state shows it:
    0 or 1 once the truth is known, else from the card's declared weights (in a nation's view, an
    unrevealed truth is None)."""
    incident = state.incidents[-1] if state.incidents else None
    if incident is not None and incident.card == card.id and incident.truth is not None:
        return float(incident.truth != claimed)
    weights = card.attribution
    total = sum(weights.values())
    return 1.0 - weights.get(claimed, 0) / total if total else 0.0


def _response_outlook(
    deck: Deck,
    response: Response,
    nation: str,
    actor: str | None,
    chance: int,
    consultation: tuple[int, ConsultationResult] | None,
    extra: int = 0,
) -> Outlook:
    """What a response is expected to change as `nation` sees it: its effects, its cost to the actor,
    its roll's outcomes weighted by the chance, and the consultation it opens (fatigue, result)."""
    outlook = Outlook(nation)
    outlook.add(response.effects, 1.0, actor, actor)
    if actor is not None and nation == actor:
        outlook.spend(response.cost + extra, response.stat_costs)
    if response.chance is not None:
        outlook.add(response.success, chance / 100, actor, actor)
        outlook.add(response.failure, 1.0 - chance / 100, actor, actor)
    if consultation is not None and actor is not None:
        fatigue, expected = consultation
        _count_consultation(deck, outlook, actor, expected, fatigue)
    return outlook


def _positions(
    state: Board, briefing: Briefing, persona_id: str, decision: PositionDecision
) -> tuple[Candidate[str], ...]:
    """Each position: its effect on the nation itself, the result it makes likelier, the outcome it
    argues for, and the persona's firmness."""
    fatigue = recent_consultations(state.consultations, state.round, state.deck.consultation.fatigue_window)
    # They depend on these alone (the persona is the seating's), which repeat from game to game: worked
    # out once for them.
    key = (
        "positions",
        decision.nation,
        decision.invoker,
        decision.positions,
        _seating(state, briefing),
        fatigue,
    )
    found = briefing.options.get(key)
    if found is None:
        found = briefing.keep(key, tuple(_each_position(state, briefing, persona_id, decision, fatigue)))
    return found


def _each_position(
    state: Board, briefing: Briefing, persona_id: str, decision: PositionDecision, fatigue: int
) -> Iterator[Candidate[Position]]:
    deck = state.deck
    persona = deck.personas[persona_id]
    nation, invoker = decision.nation, decision.invoker
    taken = dict(decision.positions)
    # How the others are expected to stand: as they did, or as they lean.
    others = [
        taken.get(other, leaning) for other, leaning in _leanings(state, briefing, invoker) if other != nation
    ]
    support, restrain = others.count("support"), others.count("restrain")
    threshold = deck.consultation.threshold
    for position in POSITIONS:
        result = consultation_result(
            support + (position == "support"), restrain + (position == "restrain"), threshold
        )
        key = ("position", nation, invoker, position, result, fatigue, persona_id)
        appraisal = briefing.appraisals.get(key)
        if appraisal is None:
            outlook = Outlook(nation)
            # The reaction is the deck default persona's, as the engine applies it.
            reaction = deck.personas[deck.nation(nation).persona].reaction(position)
            outlook.add(reaction, 1.0, nation, nation)
            _count_consultation(deck, outlook, invoker, result, fatigue)
            if position != "abstain":
                endorsed = deck.consultation.effect(
                    ConsultationResult.UNIFIED if position == "support" else ConsultationResult.RESTRAINED
                )
                outlook.add(endorsed, EXPRESSIVE_WEIGHT, invoker, invoker)
            appraisal = briefing.remember(key, appraise(outlook, persona, briefing))
        yield position, appraisal, _LEAN[position] * persona.firmness * FIRMNESS_WEIGHT


def _follow_ups(state: Board, briefing: Briefing, persona_id: str, nation: str) -> Iterator[Candidate[str]]:
    """After its own response: declining (nothing changes), then requesting consultations (the
    result it expects and the fatigue, as a response that opens them is appraised)."""
    deck = state.deck
    fatigue = recent_consultations(state.consultations, state.round, deck.consultation.fatigue_window)
    expected = _expected_result(state, briefing, nation)
    for choice in ("decline", "request"):
        key = ("follow-up", choice, nation, fatigue, expected, persona_id)
        appraisal = briefing.appraisals.get(key)
        if appraisal is None:
            outlook = Outlook(nation)
            if choice == "request":
                _count_consultation(deck, outlook, nation, expected, fatigue)
            appraisal = briefing.remember(key, appraise(outlook, deck.personas[persona_id], briefing))
        yield choice, appraisal, 0.0


def _answers(
    state: Board, briefing: Briefing, persona_id: str, decision: ProposalDecision
) -> tuple[Candidate[str], ...]:
    """Accepting the chair's proposal (the proposed response, as the council resolves it), then
    objecting (the deck's deadlock effects and its fallback response), as this nation sees them."""
    # Unless a response rolls (then they depend on the alliance's readiness: `_ROLLS`), they depend
    # on these alone, which repeat from game to game: worked out once for them.
    key = ("answers", decision.card, decision.proposal, decision.nation, persona_id)
    found = briefing.options.get(key)
    if found is not None and found is not _ROLLS:
        return found
    candidates = tuple(_each_answer(state, briefing, persona_id, decision))
    if found is None:
        card, rules = state.deck.card(decision.card), state.deck.council
        fallback = rules.fallback if rules.fallback is not None else decision.proposal
        rolls = any(
            card.response(response_id).chance is not None for response_id in (decision.proposal, fallback)
        )
        briefing.keep(key, _ROLLS if rolls else candidates)
    return candidates


#: Candidates that must be worked out at each decision (see `_answers`).
_ROLLS: tuple[Candidate[str], ...] = ()


def _each_answer(
    state: Board, briefing: Briefing, persona_id: str, decision: ProposalDecision
) -> Iterator[Candidate[str]]:
    deck = state.deck
    card = deck.card(decision.card)
    rules = deck.council
    nation = decision.nation
    fallback = rules.fallback if rules.fallback is not None else decision.proposal
    # The alliance's mean readiness only when a response rolls, and the postures' bonuses once.
    readiness: int | None = None
    bonuses = modifiers(deck, state.postures)[0] if deck.postures else _NO_MODIFIERS[0]
    for choice, response_id in (("accept", decision.proposal), ("object", fallback)):
        response = card.response(response_id)
        if response.chance is None:
            chance = 100
        else:
            if readiness is None:
                readiness = readiness_of(state.stats, None)
            chance = chance_at(response, readiness, bonuses.get(response.id, 0))
        key = ("answer", card.id, choice, response_id, nation, chance, persona_id)
        appraisal = briefing.appraisals.get(key)
        if appraisal is None:
            outlook = _response_outlook(deck, response, nation, None, chance, None)
            if choice == "object":
                outlook.add(rules.deadlock, 1.0, None, None)
            appraisal = briefing.remember(key, appraise(outlook, deck.personas[persona_id], briefing))
        yield choice, appraisal, 0.0


def _catalogue(deck: Deck, briefing: Briefing, persona_id: str, nation: str) -> Catalogue:
    """Every investment of the deck, in its order, with its price and effects as this nation sees them."""
    key = (nation, persona_id)
    catalogue = briefing.catalogues.get(key)
    if catalogue is None:
        persona, appraisals = deck.personas[persona_id], []
        for investment in deck.investments:
            outlook = Outlook(nation)
            outlook.spend(investment.cost, investment.stat_costs)
            outlook.add(investment.effects, 1.0, nation, None)
            appraisals.append(appraise(outlook, persona, briefing))
        catalogue = Catalogue(nation, deck.investments, tuple(appraisals), TIE_MARGIN)
        briefing.catalogues[key] = catalogue
    return catalogue


def _expected_result(state: Board, briefing: Briefing, invoker: str) -> ConsultationResult:
    """The result of a consultation this nation opened now, if every other nation stood as it leans."""
    # The same for a seating and invoker, as the leanings are: worked out once for them.
    key = (invoker, _seating(state, briefing))
    found = briefing.expected.get(key)
    if found is None:
        leanings = [leaning for _, leaning in _leanings(state, briefing, invoker)]
        threshold = state.deck.consultation.threshold
        found = consultation_result(leanings.count("support"), leanings.count("restrain"), threshold)
        if len(briefing.expected) >= 256:  # many different seatings: keep memory flat
            briefing.expected.clear()
        briefing.expected[key] = found
    return found


def _leanings(state: Board, briefing: Briefing, invoker: str) -> tuple[tuple[str, Position], ...]:
    """How every nation but the invoker is expected to lean, by the persona that controls it.

    Worked out once per seating and invoker: a run of thousands of games uses a handful.
    """
    leanings = briefing.leanings
    key = (invoker, _seating(state, briefing))
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


def _seating(state: Board, briefing: Briefing) -> tuple[str, ...]:
    """Every nation's persona id, in the deck's order, worked out once for a game's controllers."""
    controllers = state.controllers
    if briefing.seated is not controllers:
        briefing.seating = tuple(_persona_id(state, nation.id) for nation in state.deck.nations)
        briefing.persona_ids = {n.id: p for n, p in zip(state.deck.nations, briefing.seating, strict=True)}
        # Held, so that the identity test above cannot match another mapping at the same address.
        briefing.seated = controllers
    return briefing.seating


def _count_consultation(
    deck: Deck, outlook: Outlook, invoker: str, result: ConsultationResult, fatigue: int
) -> None:
    rules = deck.consultation
    outlook.add(rules.effect(result), 1.0, invoker, invoker)
    if fatigue:
        outlook.add(rules.fatigue, float(fatigue), invoker, invoker)


def _briefing(deck: Deck) -> Briefing:
    """The deck's briefing, worked out on first use (a few decks at most are in play at once)."""
    if _latest and _latest[0].deck is deck:  # a game asks for the same deck's at every decision
        return _latest[0]
    briefing = _briefings.get(id(deck))
    if briefing is None or briefing.deck is not deck:
        if len(_briefings) >= 8:
            _briefings.clear()
        briefing = _briefings[id(deck)] = Briefing(deck)
    _latest[:] = [briefing]
    return briefing
