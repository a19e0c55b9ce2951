"""benchmarks/decisions.py, the measurement of issue 11's point 6, on a few games: its figures keep
their invariants (shares in [0, 1], best at least worst, counts that add up) and its rollouts compare
options on common random numbers."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import attrs

from tests.helpers import DECKS, ROOT
from wargame.engine import apply, legal_actions, new_game
from wargame.lab import game_seed
from wargame.model import ProposalDecision, RespondDecision
from wargame.storage import load_deck

COUNCIL = DECKS / "council.toml"
POSTURES = DECKS / "postures.toml"


def script() -> ModuleType:
    """benchmarks/decisions.py, loaded from its file (benchmarks is not a package)."""
    spec = importlib.util.spec_from_file_location("decisions", ROOT / "benchmarks" / "decisions.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_figures_keep_their_invariants() -> None:
    decisions = script()
    figures = decisions.measure(
        COUNCIL,
        games=60,
        jobs=1,
        seed=2,
        nation="each",
        rollout_games=6,
        rollouts=3,
        versus=("shoot", "protest"),
        hawk="hawk",
        pragmatist="pragmatist",
    )
    table = figures["default_table"]
    assert table["games"] == 60
    assert 0 <= table["consultations_split"] <= table["consultations"]
    councils = table["councils"]
    assert (
        councils["kind"] == "consensus" and councils["held"] == councils["adopted"] + councils["deadlocked"]
    )
    for share in (table["split_share"], table["survival_share"], councils["deadlocked_share"]):
        assert share is not None and 0 <= share <= 1
    endings = table["endings"]
    assert sum(ending["games"] for ending in endings.values()) == 60
    defeats = sum(e["games"] for e in endings.values() if e["kind"] == "defeat")
    assert table["survival_share"] == round((60 - defeats) / 60, 4)
    assert figures["all_pragmatist"]["games"] == 60
    versus = figures["versus"]
    assert versus["shoot"] + versus["protest"] + versus["other"] == versus["both_offered"] > 0
    assert versus["responses"] == {"shoot": ["drones/shoot-down"], "protest": ["drones/protest"]}
    rolled = figures["rollouts"]
    assert rolled["nation"] == "each in turn" and rolled["games"] == 6
    assert 0 <= rolled["matter"] <= rolled["decisions"] and 0 <= rolled["matter_share"] <= 1
    assert sum(kind["decisions"] for kind in rolled["by_kind"].values()) == rolled["decisions"]
    assert rolled["council_decisions"] == rolled["by_kind"]["council"]["decisions"] > 0
    assert rolled["council_median_gap"] >= 0
    text = decisions.report(figures, "python benchmarks/decisions.py --games 60", 1)
    assert text.startswith("$ python benchmarks/decisions.py --games 60\nmachine: ")
    assert f"Councils (consensus): {councils['held']}, deadlocked {councils['deadlocked']}" in text


def test_each_decision_values_every_legal_option_and_best_is_at_least_worst() -> None:
    decisions = script()
    deck = load_deck(POSTURES)
    points = sum(o.points for o in deck.nation("EST").objectives)
    gaps = []
    for index in range(4):
        seed = game_seed(1, index)
        found = decisions.gaps_in_game(deck, seed, "EST", 3)
        # As many as EST's decisions in the same game played by the AI alone, each with its options.
        state, mine = new_game(deck, seed, {}), []
        while state.pending is not None:
            if state.pending.seat == "EST":
                mine.append(len(legal_actions(state)))
            state, _ = apply(state, decisions.choose(state, state.pending.seat))
        assert [len(g.values) for g in found] == mine and mine
        gaps += found
    for gap in gaps:
        assert gap.best >= gap.worst and gap.gap == gap.best - gap.worst
        assert all(0 <= value <= points for value in gap.values)
    # Some decision matters: the values are not all the same.
    assert any(gap.gap > 0 for gap in gaps)


def test_rollouts_draw_the_same_dice_for_every_option_and_other_dice_per_rollout() -> None:
    decisions = script()
    deck = load_deck(COUNCIL)
    state = new_game(deck, 7, {})
    # DEU's first council decision.
    while not isinstance(state.pending, RespondDecision | ProposalDecision) or state.pending.seat != "DEU":
        assert state.pending is not None
        state, _ = apply(state, decisions.choose(state, state.pending.seat))
    streams = [decisions.rollout_stream(state, k) for k in range(5)]
    assert len(set(streams)) == 5
    assert streams == [decisions.rollout_stream(state, k) for k in range(5)]
    # Another decision (a later turn) draws other streams.
    later = attrs.evolve(state, turn=state.turn + 1)
    assert decisions.rollout_stream(later, 0) not in streams
    # The same option on the same stream plays out the same game: only the option differs between branches.
    option = legal_actions(state)[0]
    ends = [decisions.play_out(apply(attrs.evolve(state, rng=streams[0]), option)[0]) for _ in range(2)]
    assert ends[0] == ends[1]


def test_a_response_is_in_a_group_by_its_id_or_the_stats_its_cost_asks() -> None:
    decisions = script()
    deck = load_deck(Path(ROOT / "decks" / "eastern-flank-2025.toml"))
    jets = deck.card("jets-vs-drones").response("jets")
    layered = deck.card("jets-vs-drones").response("layered")
    assert decisions.in_group(jets, "jets") and decisions.in_group(jets, "jet")
    assert not decisions.in_group(layered, "jets") and decisions.in_group(layered, "layered")
    priced = attrs.evolve(layered, cost={"treasury": 1, "interceptors": 1})
    assert decisions.in_group(priced, "interceptors") and not decisions.in_group(priced, "jets")
