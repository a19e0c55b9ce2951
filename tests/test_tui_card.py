"""The card panel in front of a room: its source in the deck's words, never a file name."""

from __future__ import annotations

import pytest

from tests.helpers import at_card, mini_with
from wargame.model import Deck
from wargame.storage import load_deck_text
from wargame.tui.widgets.card import CardPanel

pytestmark = pytest.mark.tui

CITATION = "Defense One, “Allies argue over the incursions”, 9 October 2025"


def card_text(deck: Deck, card: str) -> str:
    return str(CardPanel().draw(at_card(deck, card)))


def test_a_source_that_is_a_file_name_is_not_shown_to_the_room(bundled: Deck) -> None:
    for card in ("poland-drone-swarm", "promise-to-poland"):
        assert bundled.card(card).source.endswith(".txt")
        text = card_text(bundled, card)
        assert bundled.card(card).title in text
        assert ".txt" not in text and "Source:" not in text


def test_a_source_the_deck_cites_is_shown_as_written() -> None:
    deck = load_deck_text(
        mini_with(
            ('source = "001_d278fafa52e77602.txt"\ncopies = 2', f'source = "{CITATION}"\ncopies = 2'),
            ('"EST"\nsource = "001_d278fafa52e77602.txt"', '"EST"\nsource = "sources/j.md"'),
        ),
        "mini.toml",
    )
    assert card_text(deck, "drones").endswith(f"Source: {CITATION}")
    assert "Source" not in card_text(deck, "jets") and "j.md" not in card_text(deck, "jets")
