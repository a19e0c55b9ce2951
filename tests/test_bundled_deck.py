"""The bundled deck, version 3: it uses every rule of issue 11 (postures, stocks, a consensus council,
follow-up Article 4) and passes `deck check --strict`; AI games reach each of them."""

from __future__ import annotations

from collections import Counter

from tests.helpers import BUNDLED
from wargame.ai import choose
from wargame.engine import Table, new_game, play
from wargame.model import Deck, FollowUpDecision, ProposalDecision
from wargame.model.events import ConsultationRequested, CouncilConcluded, PostureSet, StatMoved
from wargame.storage import check_deck

STOCKS = ("interceptors", "jet_hours")


def test_the_bundled_deck_passes_deck_check_strictly() -> None:
    assert [str(problem) for problem in check_deck(BUNDLED)] == []


def test_it_declares_the_two_postures_and_each_level_is_set_somewhere(bundled: Deck) -> None:
    assert [level.id for level in bundled.postures["roe"].levels] == ["strict", "standard", "loose"]
    assert [level.id for level in bundled.postures["sentry"].levels] == ["none", "rotation", "full"]
    effects = [e for card in bundled.cards for r in card.responses for e in (r.effects, r.success, r.failure)]
    effects += [drift.effects for drift in bundled.drift]
    set_to = {(posture, level) for effect in effects for posture, level in effect.postures.items()}
    assert set_to >= {("roe", "strict"), ("roe", "loose"), ("sentry", "rotation"), ("sentry", "full")}
    # A looser rule raises a shot's chance and its price (misidentified targets); the adversary's
    # preferences read the rule.
    loose = bundled.postures["roe"].level("loose")
    assert loose.chance["shoot-down"] > 0 and loose.cost["shoot-down"] > 0
    assert bundled.adversary is not None
    prefers = [p for persona in bundled.adversary.personas.values() for p in persona.prefers]
    assert any(c.posture == "roe" for p in prefers for c in p.when)


def test_jets_cost_jet_hours_and_cheap_kills_cost_interceptors_and_both_refill(bundled: Deck) -> None:
    responses = {(card.id, r.id): r for card in bundled.cards for r in card.responses}
    assert "jet_hours" in responses["jets-vs-drones", "jets"].stat_costs
    assert "interceptors" in responses["jets-vs-drones", "layered"].stat_costs
    assert all(n.stats[stock] > 0 for n in bundled.nations for stock in STOCKS)
    refill = [d for d in bundled.drift if not d.when]
    assert any(all(d.effects.all.get(stock, 0) > 0 for stock in STOCKS) for d in refill)


def test_the_council_is_consensus_and_the_polish_and_estonian_incursions_allow_a_follow_up(
    bundled: Deck,
) -> None:
    assert bundled.council.is_consensus and bundled.council.deadlock.tracks
    fallback = bundled.council.fallback
    alliance = [card for card in bundled.cards if card.target == "alliance"]
    assert alliance and all(any(r.id == fallback for r in card.responses) for card in alliance)
    follow_up = {card.id for card in bundled.cards if card.article4_after}
    assert follow_up == {"poland-drone-swarm", "estonia-migs"}


def test_ai_games_reach_every_new_rule(bundled: Deck) -> None:
    seen: Counter[str] = Counter()
    for seed in range(6):
        table = Table(new_game(bundled, seed))
        while table.pending is not None:
            decision = table.pending
            if isinstance(decision, FollowUpDecision | ProposalDecision):
                seen[type(decision).__name__] += 1
            for event in play(table, choose(table, decision.seat)):
                if isinstance(event, CouncilConcluded):
                    seen["adopted" if event.adopted else "deadlocked"] += 1
                elif isinstance(event, PostureSet):
                    seen[f"{event.posture}={event.after}"] += 1
                elif isinstance(event, ConsultationRequested):
                    seen["requested" if event.request else "declined"] += 1
                elif isinstance(event, StatMoved) and event.stat in STOCKS and event.after < event.before:
                    seen[f"spent {event.stat}"] += 1
    wanted = ("ProposalDecision", "FollowUpDecision", "requested", "adopted", "deadlocked", "roe=loose")
    for key in (*wanted, "spent interceptors", "spent jet_hours"):
        assert seen[key] > 0, (key, seen)
    assert seen["sentry=rotation"] + seen["sentry=full"] > 0, seen
