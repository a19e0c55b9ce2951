"""The scripted governments: deterministic, always legal, and different by persona."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wargame.ai
from tests.helpers import random_play
from wargame.ai import choose, persona_of, predicted_position
from wargame.engine import apply, is_over, legal_actions, new_game
from wargame.model import (
    AdjustTrack,
    ChooseResponse,
    Deck,
    Persona,
    PositionDecision,
    TakePosition,
)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), steps=st.integers(0, 80))
def test_the_ai_always_picks_a_legal_action_and_the_same_one(mini: Deck, seed: int, steps: int) -> None:
    state = random_play(mini, seed, steps)[0][-1]
    if is_over(state):
        return
    nation = state.pending.nation
    action = choose(state, nation)
    assert action in legal_actions(state)
    assert choose(attrs.evolve(state), nation) == action
    # The AI keeps a memo per deck: an equal deck, a new object, starts from an empty one.
    assert choose(attrs.evolve(state, deck=attrs.evolve(state.deck)), nation) == action


def test_the_ai_plays_whole_bundled_games_legally(bundled: Deck) -> None:
    endings = set()
    for seed in range(7):
        state = new_game(bundled, seed)
        while not is_over(state):
            action = choose(state, state.pending.seat)
            assert action in legal_actions(state)
            state, _ = apply(state, action)
        endings.add(state.ending)
    assert endings == {  # these seeds' endings, recorded
        "armed-standoff",
        "deterrence-collapse",
        "deterrence-restored",
        "fracture",
        "muddling-through",
        "open-conflict",
    }


def test_the_ai_refuses_another_nations_decision(mini: Deck) -> None:
    state = new_game(mini, 1)
    other = next(n.id for n in mini.nations if n.id != state.pending.nation)
    with pytest.raises(ValueError, match=f"it is not {other}'s decision"):
        choose(state, other)


def test_the_controller_persona_decides_and_humans_fall_back_to_the_default(mini: Deck) -> None:
    state = new_game(mini, 1, {"POL": "ai:dove", "EST": "human"})
    assert persona_of(state, "POL").name == "Dove"
    assert persona_of(state, "EST").name == "Hawk"


def test_leanings_follow_firmness() -> None:
    assert predicted_position(Persona(name="h", firmness=0.7)) == "support"
    assert predicted_position(Persona(name="d", firmness=-0.6)) == "restrain"
    assert predicted_position(Persona(name="p", firmness=0.1)) == "abstain"


def test_hawks_support_and_doves_restrain_in_a_consultation(mini: Deck) -> None:
    positions = {}
    for persona in ("hawk", "dove"):
        state = new_game(mini, 11, {n.id: f"ai:{persona}" for n in mini.nations})
        while not (isinstance(state.pending, PositionDecision)):
            nation = state.pending.nation
            card = state.card
            action = ChooseResponse(nation, "article-4") if card == "drones" else choose(state, nation)
            if action not in legal_actions(state):
                action = choose(state, nation)
            state, _ = apply(state, action)
        chosen = choose(state, state.pending.nation)
        assert isinstance(chosen, TakePosition)
        positions[persona] = chosen.position
    assert positions == {"hawk": "support", "dove": "restrain"}


def test_risk_aversion_steers_away_from_defeat(mini: Deck) -> None:
    """Near open conflict, a very risk-averse hawk stops shooting down."""
    bold = attrs.evolve(mini.personas["hawk"], risk_aversion=0.0)
    careful = attrs.evolve(mini.personas["hawk"], risk_aversion=50.0)
    picks = {}
    for name, persona in (("bold", bold), ("careful", careful)):
        deck = attrs.evolve(mini, personas={**mini.personas, "hawk": persona})
        state = new_game(deck, 2)
        while state.card != "drones" or state.pending is None or isinstance(state.pending, PositionDecision):
            state, _ = apply(state, legal_actions(state)[-1])
        state, _ = apply(state, AdjustTrack("escalation", 9 - state.tracks["escalation"], "test: brink"))
        picks[name] = choose(state, state.pending.nation)
    assert picks["bold"] == ChooseResponse(picks["bold"].nation, "shoot-down")
    assert picks["careful"] != picks["bold"]


def test_an_investment_worth_nothing_is_not_bought(mini: Deck) -> None:
    """Passing wins a tie: a government keeps its money unless buying is worth more."""
    from wargame.model import Effect, Invest, InvestDecision, Pass

    gala = attrs.evolve(mini.investments[0], id="gala", name="A gala dinner", cost=0, effects=Effect())
    deck = attrs.evolve(mini, investments=(gala,))
    state = new_game(deck, 3)
    while not isinstance(state.pending, InvestDecision):
        state, _ = apply(state, legal_actions(state)[-1])
    nation = state.pending.nation
    assert legal_actions(state) == [Invest(nation, "gala"), Pass(nation)]
    assert choose(state, nation) == Pass(nation)


def test_the_ai_memo_stays_small_however_many_games(mini: Deck) -> None:
    from wargame.lab import game_seed, play_games

    play_games(mini, [game_seed(4, i) for i in range(20)], {})
    briefing = wargame.ai._briefing(mini)
    sizes = len(briefing.leanings), len(briefing.appraisals)
    play_games(mini, [game_seed(5, i) for i in range(60)], {})
    assert len(briefing.leanings) == sizes[0]
    assert len(briefing.appraisals) <= sizes[1] * 2


def test_values_equal_but_for_float_rounding_are_ties() -> None:
    """The first listed wins a tie, and passing (the floor) wins against a value that is zero."""
    best = wargame.ai._best
    noisy = 0.1 + 0.2  # 0.30000000000000004
    assert best(iter([("first", (0.3, ()), 0.0), ("second", (noisy, ()), 0.0)]), {}, {}) == "first"
    assert best(iter([("second", (noisy, ()), 0.0), ("first", (0.3, ()), 0.0)]), {}, {}) == "second"
    assert best(iter([("buy", (noisy - 0.3, ()), 0.0)]), {}, {}, 0.0) is None
    assert best(iter([("buy", (0.001, ()), 0.0)]), {}, {}, 0.0) == "buy"


def test_a_controller_names_its_persona() -> None:
    from wargame.model import HUMAN, Scripted, persona_in

    assert persona_in(Scripted("hawk")) == "hawk"
    assert persona_in(HUMAN) is None
