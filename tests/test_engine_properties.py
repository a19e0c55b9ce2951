"""Invariants of the rules over random seeds and random legal play (hypothesis)."""

from __future__ import annotations

from collections import Counter
from typing import get_args

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.helpers import random_play
from wargame.engine import (
    IllegalActionError,
    Table,
    apply,
    is_legal,
    is_over,
    legal_actions,
    new_game,
    play,
    prng,
    result,
)
from wargame.model import (
    Action,
    Deck,
    FacilitatorAction,
    GameState,
    Invest,
    PlayerAction,
)

MAX_ACTIONS = 3000
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check_invariants(state: GameState, all_cards: Counter[str]) -> None:
    deck = state.deck
    for track_id, value in state.tracks.items():
        track = deck.tracks[track_id]
        assert track.min <= value <= track.max, (track_id, value)
    for nation, values in state.stats.items():
        for stat_id, value in values.items():
            stat = deck.stats[stat_id]
            assert stat.min <= value <= stat.max, (nation, stat_id, value)
    in_play = [state.card] if state.card is not None else []
    assert Counter([*state.draw_pile, *state.discard, *state.hand, *in_play]) == all_cards
    assert is_over(state) == (state.pending is None)
    if state.pending is not None:
        assert state.pending.seat in state.stats or deck.is_adversary(state.pending.seat)
        assert legal_actions(state), "a pending decision always has a choice"


def random_game(deck: Deck, seed: int, choices: int, steer: bool) -> tuple[GameState, list[Action]]:
    """Play a whole game with random choices, checking invariants after every action.

    Hypothesis draws the game's seed and the chooser's seed; a game is too long to draw choice by choice.
    """
    all_cards = Counter(card.id for card in deck.cards for _ in range(card.copies))
    states, actions = random_play(
        deck,
        seed,
        choices=choices,
        steer=0.1 if steer else 0.0,
        check=lambda s: check_invariants(s, all_cards),
    )
    return states[-1], actions


def replay(deck: Deck, seed: int, actions: list[Action]) -> GameState:
    state = new_game(deck, seed)
    for action in actions:
        state, _ = apply(state, action)
    return state


SEEDS = st.integers(0, 2**63 - 1)


@PROPERTY
@given(seed=SEEDS, choices=SEEDS)
def test_every_game_ends_within_bounds_and_conserves_cards(mini: Deck, seed: int, choices: int) -> None:
    state, _ = random_game(mini, seed, choices, steer=False)
    outcome = result(state)
    assert outcome.ending in {e.id for e in mini.endings}
    assert len(outcome.scores) == len(mini.nations)


@PROPERTY
@given(seed=SEEDS, choices=SEEDS)
def test_facilitated_games_keep_every_invariant(mini: Deck, seed: int, choices: int) -> None:
    state, actions = random_game(mini, seed, choices, steer=True)  # checks the invariants at every step
    steering = [action for action in actions if not isinstance(action, PlayerAction)]
    assume(steering)  # a game the chooser happened not to steer says nothing here
    assert is_over(state) and set(map(type, steering)) <= set(get_args(FacilitatorAction))


@PROPERTY
@given(seed=SEEDS, choices=SEEDS)
def test_same_seed_and_actions_replay_to_the_same_game(mini: Deck, seed: int, choices: int) -> None:
    state, actions = random_game(mini, seed, choices, steer=True)
    assert replay(mini, seed, actions) == state


@PROPERTY
@given(data=st.data())
def test_legal_actions_are_all_accepted(mini: Deck, data: st.DataObject) -> None:
    state = new_game(mini, data.draw(st.integers(0, 2**32)))
    for _ in range(60):
        if is_over(state):
            break
        choices = legal_actions(state)
        for action in choices:
            apply(state, action)  # raises if the engine refuses what it offered
        state, _ = apply(state, data.draw(st.sampled_from(choices)))


@PROPERTY
@given(seed=SEEDS, choices=SEEDS)
def test_playing_on_one_table_in_place_is_the_same_game(mini: Deck, seed: int, choices: int) -> None:
    """The lab's way (one table, `play` in place) and `apply` give the same events, action by action,
    and the same end, facilitator actions included; the table and the state agree on what is legal."""
    _, actions = random_game(mini, seed, choices, steer=True)
    state = new_game(mini, seed)
    table = Table(state)
    for action in actions:
        if table.pending is not None:
            wrong = Invest(table.pending.nation, "no-such-investment")
            assert not is_legal(table, wrong) and not is_legal(state, wrong)
            with pytest.raises(IllegalActionError):
                apply(state, wrong)
        assert is_legal(table, action) and is_legal(state, action)
        state, events = apply(state, action)
        assert play(table, action) == events
    assert table.freeze() == state


def test_bundled_deck_plays_to_an_ending_with_random_play(bundled: Deck) -> None:
    for seed in range(30):
        state, _ = random_game(bundled, seed, seed, steer=False)
        assert result(state).ending in {e.id for e in bundled.endings}


def test_ai_games_on_one_table_match_apply_defeats_included(bundled: Deck) -> None:
    """Many AI games of the bundled deck end in defeat mid-round: the in-place table sees each one
    exactly when `apply` does."""
    from wargame.ai import choose

    endings: Counter[bool] = Counter()
    for seed in range(40):
        state = new_game(bundled, seed)
        table = Table(state)
        while state.pending is not None:
            action = choose(state, state.pending.seat)
            state, events = apply(state, action)
            assert play(table, action) == events
        assert table.freeze() == state
        endings[result(state).defeat] += 1
    assert endings == Counter({True: 16, False: 24})  # these seeds' endings, recorded


@given(st.integers(min_value=0, max_value=2**64 - 1), st.integers(min_value=0, max_value=60))
def test_a_shuffle_draws_each_swap_as_below_does(rng: int, size: int) -> None:
    """`prng.shuffle` writes out `below` for speed: the same swaps, the same state after."""
    items = [f"card-{i}" for i in range(size)]
    expected, state = list(items), rng
    for i in range(size - 1, 0, -1):
        state, j = prng.below(state, i + 1)
        expected[i], expected[j] = expected[j], expected[i]
    assert prng.shuffle(rng, items) == state
    assert items == expected
