"""The card panel in front of a room: its source in the deck's words, never a file name."""

from __future__ import annotations

import pytest

from tests.helpers import ROOT, at_card, mini_with
from wargame.model import Deck
from wargame.storage import load_deck, load_deck_text
from wargame.tui.widgets.card import CardPanel

pytestmark = pytest.mark.tui

V1_BUNDLED = ROOT / "tests" / "decks" / "v1" / "eastern-flank-2025.toml"
CITATION = "Defense One, “Allies argue over the incursions”, 9 October 2025"


def card_text(deck: Deck, card: str) -> str:
    return str(CardPanel().draw(at_card(deck, card)))


def test_a_source_that_is_a_file_name_is_not_shown_to_the_room() -> None:
    # The v1 bundled deck, kept unchanged, still names its articles by file.
    v1 = load_deck(V1_BUNDLED)
    for card in ("poland-drone-swarm", "promise-to-poland"):
        assert v1.card(card).source.endswith(".txt")
        text = card_text(v1, card)
        assert v1.card(card).title in text
        assert ".txt" not in text and "Source:" not in text


def test_a_source_cited_by_id_is_shown_as_the_citation(bundled: Deck) -> None:
    text = card_text(bundled, "poland-drone-swarm")
    assert text.endswith(
        "Source: Fox News, “NATO allies clash after Russian jets breach airspace, testing alliance resolve”,"
        " 2025-10-02"
    )
    assert "fox-2025-10-02" not in text and ".txt" not in text


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
