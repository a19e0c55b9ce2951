"""The lab's figures of issue 15: endings of games that end before their first decision (finding 1),
and investments, objectives, defeats by round, responses' own stat moves and consultations, and the
seats' mean scores (finding 2 and "More figures").

Every figure is checked against the same games replayed apart with `apply` on tables that tell
everything, their events and states read."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import attrs
from click.testing import CliRunner

from tests.helpers import BUNDLED, MINI
from wargame.ai import choose
from wargame.cli import main
from wargame.engine import Table, apply, legal_investments, new_game, result
from wargame.engine.rounds import investment_cause
from wargame.lab import format_report, game_seed, simulate, summarise
from wargame.lab.compare import compare
from wargame.lab.sweep_page import sweep_rows
from wargame.model import ChooseResponse, Deck, GameState, Invest, InvestDecision, RespondDecision
from wargame.model.events import (
    FATIGUE,
    AttributionRevealed,
    CauseKind,
    ConsultationOpened,
    ResponseChosen,
    StatMoved,
    TrackMoved,
)
from wargame.storage import load_deck

GAMES = 30
SEED = 4


def test_games_that_end_before_the_first_decision_are_counted(tmp_path: Path) -> None:
    """Finding 1: a defeat that holds from the start ends every game before anyone decides."""
    path = tmp_path / "d.toml"
    assert CliRunner().invoke(main, ["deck", "new", str(path)]).exit_code == 0
    text = path.read_text(encoding="utf-8")
    defeat = 'when = [{ track = "cohesion", max = 0 }]'
    assert defeat in text
    path.write_text(text.replace(defeat, 'when = [{ track = "cohesion", max = 6 }]'), encoding="utf-8")
    deck = load_deck(path)
    assert new_game(deck, game_seed(1, 0), {}).ending == "fracture"  # over before any decision
    data = summarise(deck, simulate(path, 20, 1, 1, {}, deck=deck), 1.0, 1, 1).as_json()
    assert data["games"] == 20
    assert data["endings"]["fracture"] == 20
    assert sum(data["endings"].values()) == 20
    assert data["survival"] == 0.0
    assert data["defeat_rounds"]["fracture"]["1"] == 20
    assert not any('"fracture" was never reached' in warning for warning in data["warnings"])
    done = CliRunner().invoke(main, ["simulate", str(path), "-n", "20", "--jobs", "1"])
    assert done.exit_code == 0, done.output
    assert 'ending "fracture" was never reached' not in done.output
    assert any(line.split()[:3] == ["fracture", "defeat", "20"] for line in done.output.splitlines())


@attrs.define
class Replayed:
    """What the games replayed apart show."""

    endings: Counter[str] = attrs.field(factory=Counter)
    rounds: dict[str, Counter[int]] = attrs.field(factory=dict)
    points: Counter[str] = attrs.field(factory=Counter)
    met: Counter[tuple[str, str]] = attrs.field(factory=Counter)
    offered: Counter[str] = attrs.field(factory=Counter)
    bought: Counter[str] = attrs.field(factory=Counter)
    futile: Counter[str] = attrs.field(factory=Counter)
    chosen: Counter[tuple[str, str]] = attrs.field(factory=Counter)
    stats: dict[tuple[str, str], Counter[str]] = attrs.field(factory=dict)
    talks: dict[tuple[str, str], Counter[str]] = attrs.field(factory=dict)


def _clamped_away(state: GameState, action: Invest) -> bool:
    """Whether the investment, paid for, would move nothing: its effect applied alone to a copy of
    the state, the values compared (apart from the events the lab reads)."""
    table = Table(state)
    item = state.deck.investment(action.investment)
    cause = investment_cause(item.id)
    table.move_stat(action.nation, "treasury", -item.cost, cause)
    for stat, amount in item.stat_costs.items():
        table.move_stat(action.nation, stat, -amount, cause)
    paid = (dict(table.tracks), {n: dict(s) for n, s in table.stats.items()}, dict(table.adversary_stats))
    postures = table.postures
    table.apply_effect(item.effects, action.nation, None, cause)
    after = (dict(table.tracks), {n: dict(s) for n, s in table.stats.items()}, dict(table.adversary_stats))
    return after == paid and table.postures == postures


def replay(deck: Deck, seed: int, games: int) -> Replayed:
    seen = Replayed()
    for index in range(games):
        state = new_game(deck, game_seed(seed, index), {})
        opener: tuple[str, str] | None = None
        while state.pending is not None:
            decision, action = state.pending, choose(state, state.pending.seat)
            if isinstance(decision, InvestDecision) and not decision.bought:
                seen.offered.update(item.id for item in legal_investments(state, decision))
            before = state
            state, events = apply(state, action)
            if isinstance(action, Invest):
                seen.bought[action.investment] += 1
                item = deck.investment(action.investment)
                revealed = item.reveal is not None and any(isinstance(e, AttributionRevealed) for e in events)
                if _clamped_away(before, action) and not revealed:
                    seen.futile[action.investment] += 1
            responding = isinstance(action, ChooseResponse) and isinstance(decision, RespondDecision)
            if responding and not decision.is_vote:
                choice = (decision.card, action.response)
                seen.chosen[choice] += 1
                own = seen.stats.setdefault(choice, Counter())
                for event in events:
                    if (
                        isinstance(event, StatMoved)
                        and event.nation == action.nation
                        and event.cause.kind in (CauseKind.RESPONSE, CauseKind.ROLL)
                    ):
                        own[event.stat] += event.after - event.before
            for event in events:
                if isinstance(event, ConsultationOpened):
                    chosen = [e for e in events if isinstance(e, ResponseChosen)]
                    opener = (chosen[0].card, chosen[0].response) if chosen else None
                elif (
                    isinstance(event, TrackMoved)
                    and opener is not None
                    and (event.cause.kind is CauseKind.CONSULTATION or event.cause == FATIGUE)
                ):
                    talks = seen.talks.setdefault(opener, Counter())
                    talks[event.track] += event.after - event.before
        assert state.ending is not None
        seen.endings[state.ending] += 1
        scored = result(state)
        if scored.defeat:
            seen.rounds.setdefault(state.ending, Counter())[state.round] += 1
        for score in scored.scores:
            seen.points[score.nation] += score.points
            seen.met.update((score.nation, objective) for objective in score.met)
        if scored.adversary is not None:
            seen.points[scored.adversary.nation] += scored.adversary.points
    return seen


def test_the_new_figures_match_the_games_replayed_apart(bundled: Deck) -> None:
    data = summarise(bundled, simulate(BUNDLED, GAMES, 1, SEED, {}, deck=bundled), 1.0, SEED, 1).as_json()
    seen = replay(bundled, SEED, GAMES)
    assert data["endings"] == {ending.id: seen.endings[ending.id] for ending in bundled.endings}
    defeats = sum(seen.endings[ending.id] for ending in bundled.defeats)
    assert data["survival"] == round((GAMES - defeats) / GAMES, 4)
    assert 0 < defeats < GAMES  # both kinds of ending happen: survival is not a constant
    for ending in bundled.defeats:
        by_round = {int(n): count for n, count in data["defeat_rounds"][ending.id].items() if count}
        assert by_round == dict(seen.rounds.get(ending.id, Counter()))
    assert sum(sum(rounds.values()) for rounds in data["defeat_rounds"].values()) == defeats
    # Scores: every nation, then the adversary.
    seats = [nation.id for nation in bundled.nations]
    assert bundled.adversary is not None
    seats.append(bundled.adversary.id)
    assert list(data["scores"]) == seats
    assert data["scores"] == {seat: round(seen.points[seat] / GAMES, 3) for seat in seats}
    assert any(data["scores"][seat] for seat in seats)
    # Objectives, per nation.
    for nation in bundled.nations:
        for objective in nation.objectives:
            figures = data["objectives"][nation.id][objective.id]
            assert figures["games"] == seen.met[nation.id, objective.id]
            assert figures["share"] == round(figures["games"] / GAMES, 4)
    assert sum(seen.met.values()) > 0
    # Investments.
    for item in bundled.investments:
        figures = data["investments"][item.id]
        assert figures["offered"] == seen.offered[item.id], item.id
        assert figures["bought"] == seen.bought[item.id], item.id
        assert figures["bought_without_effect"] == seen.futile[item.id], item.id
    assert sum(seen.bought.values()) > 0
    # Responses: the deciding nation's own stats and the consultations they opened.
    for card in bundled.cards:
        for response in card.responses:
            choice, figures = (card.id, response.id), data["responses"][card.id][response.id]
            chosen = figures["chosen"]
            own = seen.stats.get(choice, Counter())
            assert figures["mean_stats"] == (
                {s: round(own[s] / chosen, 3) for s in sorted(own)} if chosen else {}
            )
            talks = seen.talks.get(choice, Counter())
            assert figures["mean_consultation"] == (
                {t: round(talks[t] / chosen, 3) for t in sorted(talks)} if chosen else {}
            )
    assert any(seen.stats.values()) and any(seen.talks.values())


def test_purchases_whose_effect_is_clamped_away_are_counted(tmp_path: Path) -> None:
    """Finding 2: an investment that lowers a pressure already at its floor does nothing."""
    text = MINI.read_text(encoding="utf-8")
    effect = "effects = { actor = { readiness = 1 } }"
    assert effect in text
    path = tmp_path / "calming.toml"
    path.write_text(text.replace(effect, "effects = { actor = { pressure = -2 } }"), encoding="utf-8")
    deck = load_deck(path)
    data = summarise(deck, simulate(path, GAMES, 1, SEED, {}, deck=deck), 1.0, SEED, 1).as_json()
    seen = replay(deck, SEED, GAMES)
    figures = data["investments"]["counter-drone"]
    assert figures["offered"] == seen.offered["counter-drone"]
    assert figures["bought"] == seen.bought["counter-drone"]
    assert figures["bought_without_effect"] == seen.futile["counter-drone"]
    assert 0 < figures["bought_without_effect"] < figures["bought"]
    assert figures["without_effect_share"] == round(figures["bought_without_effect"] / figures["bought"], 4)
    assert list(data["scores"]) == [nation.id for nation in deck.nations]  # no adversary, no seat for it
    assert data["scores"] == {seat: round(seen.points[seat] / GAMES, 3) for seat in data["scores"]}


def test_the_report_shows_the_new_figures(bundled: Deck) -> None:
    tally = simulate(BUNDLED, GAMES, 1, SEED, {}, deck=bundled)
    summary = summarise(bundled, tally, 1.0, SEED, 1)
    data, lines = summary.as_json(), format_report(summary).splitlines()
    assert f"Survival (no defeat): {data['survival']:.0%}" in lines
    seat, mean = next(iter(data["scores"].items()))
    assert any(line.startswith(f"  Mean score: {seat} {mean}") for line in lines)
    start = lines.index("Defeats by round: games ending so in rounds 1, 2, ...")
    first = bundled.defeats[0].id
    assert lines[start + 1].split() == [first, *map(str, data["defeat_rounds"][first].values())]
    item = bundled.investments[0].id
    row = next(line.split() for line in lines if line.split()[:1] == [item])
    figures = data["investments"][item]
    assert row[1:4] == [
        str(figures["offered"]),
        str(figures["bought"]),
        str(figures["bought_without_effect"]),
    ]
    # A response whose consultation moved the tracks shows it after "talks:".
    card, response = next(
        (card.id, r)
        for card in bundled.cards
        for r, f in data["responses"][card.id].items()
        if any(f["mean_consultation"].values())
    )
    talks = data["responses"][card][response]["mean_consultation"]
    row_text = next(line for line in lines if line.split()[:1] == [response] and "talks:" in line)
    track, delta = next((t, d) for t, d in talks.items() if d)
    assert f"{track} {delta:+.2f}" in row_text.split("talks:")[1]


def test_the_figures_merge_and_compare(bundled: Deck, tmp_path: Path) -> None:
    """Survival, objectives and purchases without effect are compared with a baseline; the JSON
    written by `simulate` has the keys."""
    path = tmp_path / "figures.json"
    done = CliRunner().invoke(main, ["simulate", str(MINI), "-n", "30", "--jobs", "2", "--json", str(path)])
    assert done.exit_code == 0, done.output
    data = json.loads(path.read_text(encoding="utf-8"))
    assert {"survival", "scores", "objectives", "investments", "defeat_rounds"} <= set(data)
    now = summarise(bundled, simulate(BUNDLED, GAMES, 1, SEED, {}, deck=bundled), 1.0, SEED, 1).as_json()
    changes = compare(now, now, [ending.id for ending in bundled.defeats])
    names = {(change.section, change.name) for change in changes}
    nation = bundled.nations[0]
    assert ("objectives", f"{nation.id} {nation.objectives[0].id}") in names
    assert ("investments", f"{bundled.investments[0].id} without effect") in names
    assert not any(change.significant for change in changes)


def test_a_sweep_shows_the_scores_and_the_purchases_without_effect(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    path = tmp_path / "calming.toml"
    path.write_text(
        text.replace("effects = { actor = { readiness = 1 } }", "effects = { actor = { pressure = -2 } }"),
        encoding="utf-8",
    )
    deck = load_deck(path)
    figures = [
        summarise(deck, simulate(path, GAMES, 1, seed, {}, deck=deck), 1.0, seed, 1).as_json()
        for seed in (1, 2)
    ]
    rows = dict(sweep_rows(deck, figures))
    nation = deck.nations[0].id
    assert rows[f"{nation}, mean score"] == [str(f["scores"][nation]) for f in figures]
    shares = []
    for f in figures:
        bought = sum(i["bought"] for i in f["investments"].values())
        futile = sum(i["bought_without_effect"] for i in f["investments"].values())
        assert 0 < futile < bought
        shares.append(f"{futile / bought:.0%}")
    assert rows["purchases without effect"] == shares
