"""Shared fixtures: the small test deck and the bundled one. Plain helpers are in helpers.py."""

from __future__ import annotations

import pytest

from tests.helpers import BUNDLED, MINI
from wargame.model import Deck
from wargame.storage import load_deck


@pytest.fixture(scope="session")
def mini() -> Deck:
    return load_deck(MINI)


@pytest.fixture(scope="session")
def bundled() -> Deck:
    return load_deck(BUNDLED)
