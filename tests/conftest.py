"""Shared fixtures: the small test deck and ways to steer a game to the moment a test needs."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from wargame.engine import apply, legal_actions
from wargame.model import Action, AddNote, AdjustStat, AdjustTrack, Deck, ForceRoll, GameState, InjectCard
from wargame.model.events import Event
from wargame.storage import load_deck

TESTS = Path(__file__).parent
MINI = TESTS / "decks" / "mini.toml"
ROOT = TESTS.parent
BUNDLED = ROOT / "decks" / "eastern-flank-2025.toml"


@pytest.fixture(scope="session")
def mini() -> Deck:
    return load_deck(MINI)


@pytest.fixture(scope="session")
def bundled() -> Deck:
    return load_deck(BUNDLED)


def play(state: GameState, *actions: Action) -> tuple[GameState, list[Event]]:
    """Apply actions in order; return the last state and every event."""
    events: list[Event] = []
    for action in actions:
        state, new = apply(state, action)
        events.extend(new)
    return state, events


def first_legal(state: GameState) -> Action:
    """The first listed choice: the cheapest way to move a game on."""
    return legal_actions(state)[0]


def advance(
    state: GameState, until: Callable[[GameState], bool], choose: Callable[[GameState], Action] = first_legal
) -> GameState:
    """Play choices until `until(state)` holds (at most 500 actions)."""
    for _ in range(500):
        if until(state):
            return state
        state, _ = apply(state, choose(state))
    raise AssertionError("the condition never held")


def with_next_card(state: GameState, card: str) -> GameState:
    """Make `card` the next card drawn (a facilitator injection)."""
    state, _ = apply(state, InjectCard(card))
    return state


def random_facilitator_action(chooser: random.Random, state: GameState) -> Action:
    """A random facilitator action the engine accepts while a decision is pending."""
    deck = state.deck
    kind = chooser.choice(["inject", "force", "track", "stat", "note"])
    cards = [*state.draw_pile, *state.discard]
    if kind == "inject" and cards:
        return InjectCard(chooser.choice(cards))
    if kind == "force":
        return ForceRoll(chooser.random() < 0.5)
    if kind == "track":
        return AdjustTrack(chooser.choice(list(deck.tracks)), chooser.randint(-2, 2), "a test's reason")
    if kind == "stat":
        nation = chooser.choice([n.id for n in deck.nations])
        return AdjustStat(nation, chooser.choice(list(deck.stats)), chooser.randint(-2, 2), "why not")
    return AddNote('a note with "quotes", a \\ and\na new line')
