"""Shared fixtures: the small test deck and the bundled one. Plain helpers are in helpers.py."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.helpers import BUNDLED, MINI
from wargame.model import Deck
from wargame.storage import load_deck

# Hypothesis profiles, chosen with `--hypothesis-profile=NAME`. `ci` is loaded when CI=true (as
# Hypothesis does by itself): the same examples on every run, no deadline (the machine is shared).
# `thorough` is for long fuzzing runs: `pytest tests/test_fuzz.py --hypothesis-profile=thorough -p no:xdist`.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough", max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def mini() -> Deck:
    return load_deck(MINI)


@pytest.fixture(scope="session")
def bundled() -> Deck:
    return load_deck(BUNDLED)


@pytest.fixture(scope="session")
def red() -> Deck:
    """The mini deck with an adversary (Moscow), attribution and sealed votes."""
    from tests.helpers import RED

    return load_deck(RED)
