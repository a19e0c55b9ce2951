"""What a nation could buy (`engine.offered`, remembered on the deck) and whether it may invest
(`rounds.can_invest`) agree with asking of every investment, whatever the requirements read."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from wargame.ai import scripted
from wargame.engine import is_purchasable, new_table, offered, play
from wargame.engine.rounds import can_invest
from wargame.model import Condition, Deck, InvestDecision
from wargame.storage import load_deck

BUNDLED = Path(__file__).resolve().parent.parent / "decks" / "eastern-flank-2025.toml"


def _requiring(deck: Deck, condition: Condition) -> Deck:
    """The deck with every second investment also requiring `condition`."""
    items = tuple(
        attrs.evolve(item, requires=(*item.requires, condition)) if index % 2 else item
        for index, item in enumerate(deck.investments)
    )
    return attrs.evolve(deck, investments=items)


def _variants() -> dict[str, Deck]:
    deck = load_deck(BUNDLED)
    # A bound the track crosses in play: the requirement holds at some turns and not at others.
    track, bounds = next(iter(deck.tracks.items()))
    return {
        "bundled": deck,
        "round": _requiring(deck, Condition(round=True, min=3)),
        "track": _requiring(deck, Condition(track=track, max=bounds.start - 1)),
        # A target's stat is not among the remembered values: every turn asks of every investment.
        "target": _requiring(deck, Condition(target="treasury", min=0)),
    }


@pytest.mark.parametrize("name", ["bundled", "round", "track", "target"])
def test_offers_agree_with_asking_of_every_investment(name: str) -> None:
    deck = _variants()[name]
    assert (deck.offer_readers is None) == (name == "target")
    turns = 0
    for seed in range(6):
        table = new_table(deck, seed, quiet=True)
        while table.pending is not None:
            decision = table.pending
            if isinstance(decision, InvestDecision):
                turns += 1
                for nation in deck.nation_ids:
                    asked = tuple(
                        item.id for item in deck.investments if is_purchasable(table, nation, {}, item)
                    )
                    assert offered(table, nation) == asked
                    assert can_invest(table, nation, {}) == bool(asked)
                bought = decision.bought
                assert can_invest(table, decision.nation, bought)
                for nation in deck.nation_ids:
                    anything = any(is_purchasable(table, nation, bought, item) for item in deck.investments)
                    assert can_invest(table, nation, bought) == anything
            play(table, scripted(table, decision.seat))
    assert turns > 50
