"""Shared fixtures: the small test deck and the bundled one. Plain helpers are in helpers.py."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from tests.helpers import BUNDLED, MINI
from wargame.model import Deck
from wargame.storage import load_deck
from wargame.tui.settings import CONFIG_ENV

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


@pytest.fixture(scope="session", autouse=True)
def _room_settings_of_their_own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The apps the tests run keep their room settings (theme, large type) in a folder of the test
    run's, never in the user's config folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CONFIG_ENV, str(tmp_path_factory.mktemp("config")))
        yield


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
