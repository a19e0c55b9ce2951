"""The planning AI: for each option, play sampled futures to the end and take the best on average.

    action = plan(state, "POL", rollouts=16, seed=7)

The scripted AI (`wargame.ai.scripted`) looks one decision ahead. The planner looks to the end of
the game: for each legal action of the seat's pending decision it plays the same K sampled futures
(common random numbers: the options are compared on the same worlds, so a difference between them is
the option's, not the luck of the draw), every seat played by the scripted AI of its persona, and
takes the option whose futures end best for its seat, on average. Ties (within `TIE_MARGIN`) go to
the first legal action, the deck's order, as with the scripted AI.

**Hidden information is sampled from the seat's view** (information-set sampling), never read from
the state: each future starts from `view(state, seat)` with what the view hides filled in —

- the draw order and, for a nation, the adversary's hand: the unseen cards shuffled and dealt into
  the hand and the draw pile (a card the facilitator injected stays in the hand: everyone saw it);
- an unrevealed truth (a nation's view): drawn by the card's declared attribution weights;
- sealed votes or answers of the others: what each voter's scripted AI would have cast at its turn,
  in the sampled world (it saw no more than the others' votes hidden, as the planner);
- the PRNG: a fresh state from (seed, rollout).

Each sampled world's controllers are scripted (a planner plays as its persona's scripted AI), so a
future never plans in turn. Deterministic: the same state, seat, rollouts and seed give the same
action. The engine stays pure: sampling uses the engine's own PRNG (`engine.prng`).

**What a future is worth** to the seat, at its end (`worth`):

- a nation: its score (`scoring.result`: 0 on a defeat of the alliance) plus
  `SURVIVAL × risk_aversion` if the alliance did not end in a defeat — a hawk (risk aversion 0.5 on
  the bundled deck) weighs the alliance's survival at half a point, a dove (2.0) at two points;
- the adversary: its own score (`scoring.adversary_score`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from wargame.engine import legal_actions, play
from wargame.engine.prng import below, next_value, seed_state
from wargame.engine.scoring import adversary_score, score
from wargame.engine.table import Table
from wargame.engine.views import view
from wargame.model import (
    HIDDEN,
    Action,
    Board,
    ChooseResponse,
    Controller,
    GameState,
    Incident,
    Object,
    Planner,
    PlayDecision,
    ProposalDecision,
    RespondDecision,
    Scripted,
    persona_in,
)

__all__ = [
    "ADVERSARY_ROLLOUTS",
    "ROLLOUTS",
    "SURVIVAL",
    "default_rollouts",
    "finish",
    "plan",
    "planner_seed",
    "sample_world",
    "sample_worlds",
    "shortlist",
    "values",
    "worth",
]

#: Sampled futures per option by default for a nation: chosen to keep a decision within 0.15 s
#: (median) on a 2-core machine on the bundled deck (docs/ai.md, *The planner*).
ROLLOUTS = 12
#: ... and for the adversary, whose shortlist of plays is longer than most nations' options
#: (docs/ai.md, *A planning Moscow*).
ADVERSARY_ROLLOUTS = 8
#: Points a nation's future is worth for the alliance's survival, per unit of the persona's
#: risk aversion.
SURVIVAL = 1.0
#: Values closer than this are equal (as in the scripted AI): the first of equal options wins.
TIE_MARGIN = 1e-9
#: Mixes a game's seed and turn into the planner's seed (an odd 64-bit constant).
_MIX = 0x9E3779B97F4A7C15
_MASK = (1 << 64) - 1


def plan(state: Board, seat: str, rollouts: int = ROLLOUTS, seed: int = 0) -> Action:
    """The action the planner takes for `seat` at the pending decision, from the seat's view.

    Raises `ValueError` when the pending decision is not the seat's.
    """
    options = _options(state, seat)
    if isinstance(state.pending, PlayDecision):
        options = shortlist(state, seat, options)
    if len(options) == 1:
        return options[0]
    scores = values(state, seat, options, rollouts, seed)
    best, best_value = options[0], scores[0]
    for option, value in zip(options[1:], scores[1:], strict=True):
        if value > best_value + TIE_MARGIN:
            best, best_value = option, value
    return best


def shortlist(state: Board, seat: str, options: Sequence[Action]) -> list[Action]:
    """The adversary's plays worth a future: each card of the hand once, at the target its scripted
    persona draws it to most (the first of equals, in the legal order).

    A play is a card at a target, so a hand of six cards offers up to two dozen plays early in a game,
    and playing every one to the end kept a decision over the time target (docs/ai.md, *A planning
    Moscow*). The planner chooses the card, which changes what the round does, and leaves the target
    to the persona's reading of the nations; the scripted AI's own play is always on the list.
    """
    from wargame.ai.adversary import appraise_plays

    best: dict[str, tuple[int, float]] = {}
    for index, appraisal in enumerate(appraise_plays(state, seat)):
        card, value = appraisal.action.card, appraisal.value
        if card not in best or value > best[card][1] + TIE_MARGIN:
            best[card] = (index, value)
    kept = sorted(index for index, _ in best.values())
    return [options[index] for index in kept]


def default_rollouts(state: Board, seat: str) -> int:
    """The sampled futures per option of a planner that names none."""
    return ADVERSARY_ROLLOUTS if state.deck.is_adversary(seat) else ROLLOUTS


def values(state: Board, seat: str, options: Sequence[Action], rollouts: int, seed: int) -> list[float]:
    """Each option's mean worth to the seat over the same `rollouts` sampled futures."""
    worlds = sample_worlds(state, seat, rollouts, seed)
    totals = [0.0] * len(options)
    for world in worlds:
        for index, option in enumerate(options):
            totals[index] += _future(world, option, seat)
    return [total / rollouts for total in totals]


def planner_seed(state: Board, seat: str) -> int:
    """The planner's dice at a decision: from the game's seed and turn, so a game replays with the
    same choices. No seat's view holds the seed (with it a seat could replay what is hidden): the
    house rolls the planner's dice as it rolls the engine's chance, and `choose` passes them in; the
    rest of the decision is the view's, so two states a seat cannot tell apart, on the same dice,
    give the same worlds."""
    value = (state.seed * _MIX + state.turn) & _MASK
    for char in seat:
        value = (value * 31 + ord(char)) & _MASK
    return value


def worth(state: GameState, seat: str) -> float:
    """What a finished game is worth to a seat (see the module's docstring)."""
    deck = state.deck
    if deck.is_adversary(seat):
        red = adversary_score(state)
        return 0.0 if red is None else float(red.points)
    assert state.ending is not None
    if deck.ending(state.ending).kind == "defeat":
        return 0.0
    persona = deck.personas[persona_in(state.controllers[seat]) or deck.nation(seat).persona]
    return score(state, seat).points + SURVIVAL * persona.risk_aversion


def sample_worlds(state: Board, seat: str, rollouts: int, seed: int) -> list[GameState]:
    """`rollouts` full states consistent with what `seat` sees of `state` (see `sample_world`): the
    same worlds for every option of the decision (common random numbers)."""
    return [sample_world(state, seat, seed, k) for k in range(rollouts)]


def sample_world(state: Board, seat: str, seed: int, rollout: int) -> GameState:
    """A full state consistent with what `seat` sees of `state`: its view, with the hidden parts
    drawn from the planner's PRNG at (seed, rollout), and every seat played by the scripted AI."""
    from wargame.ai import scripted

    seen = view(state, seat)
    deck = seen.deck
    rng = _world_rng(seed, rollout)
    table = Table(seen)
    table.controllers = _scripted_controllers(seen.controllers)
    # The unseen cards: the draw pile (sorted in a view) and, for a nation, the adversary's hand.
    unseen = list(seen.draw_pile)
    hidden_hand = HIDDEN in seen.hand
    forced = seen.forced_card if hidden_hand and seen.forced_card is not None else None
    if forced is not None:
        # A card the facilitator injected went into the hand in front of everyone.
        unseen.remove(forced)
    for i in range(len(unseen) - 1, 0, -1):
        rng, j = below(rng, i + 1)
        unseen[i], unseen[j] = unseen[j], unseen[i]
    if hidden_hand:
        size = len(seen.hand) - (forced is not None)
        hand = unseen[:size] + ([forced] if forced is not None else [])
        table.hand, unseen = tuple(hand), unseen[size:]
    table.draw_pile = tuple(unseen)
    # Unrevealed truths, by the cards' declared weights.
    if any(incident.truth is None for incident in seen.incidents):
        incidents: list[Incident] = []
        for incident in seen.incidents:
            if incident.truth is None:
                rng, truth = _weighted(rng, deck.card(incident.card).attribution)
                incident = attrs.evolve(incident, truth=truth)
            incidents.append(incident)
        table.incidents = tuple(incidents)
    # Sealed votes or answers: as each voter's scripted AI would have cast them, in this world.
    decision = seen.pending
    if isinstance(decision, RespondDecision) and any(vote == HIDDEN for _, vote in decision.votes):
        votes: list[tuple[str, str]] = []
        for voter, vote in decision.votes:
            if vote == HIDDEN:
                table.pending = RespondDecision(decision.card, None, voter, tuple(votes))
                cast = scripted(table, voter)
                assert isinstance(cast, ChooseResponse)
                vote = cast.response
            votes.append((voter, vote))
        table.pending = RespondDecision(decision.card, decision.target, decision.nation, tuple(votes))
    elif isinstance(decision, ProposalDecision) and any(said == HIDDEN for _, said in decision.answers):
        answers: list[tuple[str, str]] = []
        for nation, said in decision.answers:
            if said == HIDDEN:
                table.pending = ProposalDecision(
                    decision.card, decision.proposal, decision.chair, nation, tuple(answers)
                )
                answer = scripted(table, nation)
                assert isinstance(answer, Object)
                said = "object" if answer.objects else "accept"
            answers.append((nation, said))
        table.pending = ProposalDecision(
            decision.card, decision.proposal, decision.chair, decision.nation, tuple(answers)
        )
    table.rng = next_value(rng)[0]
    return table.freeze()


def _options(state: Board, seat: str) -> list[Action]:
    decision = state.pending
    if decision is None or decision.seat != seat:
        raise ValueError(f"it is not {seat}'s decision")
    # The seat's choices are the same in its view (tests/test_views.py holds them equal).
    return legal_actions(state)


def _future(world: GameState, option: Action, seat: str) -> float:
    """The option's worth to the seat in a sampled world (see `finish`)."""
    return worth(finish(world, option), seat)


def finish(world: GameState, option: Action) -> GameState:
    """Play the option in a sampled world, then the scripted AI for every seat to the end."""
    from wargame.ai import scripted

    table = Table(world, quiet=True)
    play(table, option)
    while table.pending is not None:
        play(table, scripted(table, table.pending.seat))
    return table.freeze()


def _world_rng(seed: int, rollout: int) -> int:
    """A PRNG state for one sampled world, the same for every option (common random numbers)."""
    # splitmix64's output of the mixed seed and rollout: nearby seeds and rollouts give far states.
    return next_value(seed_state(seed) ^ ((rollout + 1) * _MIX & _MASK))[1]


def _weighted(rng: int, weights: Mapping[str, int]) -> tuple[int, str]:
    """One of the keys, drawn by its weight (in the mapping's order, as the deck declares them)."""
    total = sum(weights.values())
    rng, pick = below(rng, total)
    for key, weight in weights.items():
        if pick < weight:
            return rng, key
        pick -= weight
    raise AssertionError("a weight table with a positive total always gives a key")


_SCRIPTED: list[tuple[Mapping[str, Controller], dict[str, Controller]]] = []


def _scripted_controllers(controllers: Mapping[str, Controller]) -> dict[str, Controller]:
    """The controllers with every planner as its persona's scripted AI: one mapping per game's
    controllers, so the scripted AI's seating (worked out once per mapping) is reused."""
    for known, found in _SCRIPTED:
        if known is controllers:
            return found
    found = {seat: Scripted(c.persona) if isinstance(c, Planner) else c for seat, c in controllers.items()}
    _SCRIPTED[:] = [(controllers, found)]
    return found
