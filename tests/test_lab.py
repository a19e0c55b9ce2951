"""The simulation lab: the same figures whatever the number of processes, and warnings that bite."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from tests.helpers import BUNDLED, MINI
from wargame.cli import main
from wargame.lab import Tally, game_seed, play_games, simulate, summarise
from wargame.lab.balance import percentile, warnings
from wargame.model import Deck, Scripted

TIMINGS = ("seconds", "games_per_second", "jobs")


def figures(deck: Deck, tally: Tally) -> dict[str, object]:
    data = summarise(deck, tally, 1.0, 5, 1).as_json()
    return {key: value for key, value in data.items() if key not in TIMINGS}


def test_results_do_not_depend_on_the_number_of_processes(mini: Deck) -> None:
    one = simulate(MINI, 120, 1, 5, {}, deck=mini)
    two = simulate(MINI, 120, 2, 5, {})
    assert one.games == two.games == 120
    assert figures(mini, one) == figures(mini, two)
    assert figures(mini, one) != figures(mini, simulate(MINI, 120, 1, 6, {}, deck=mini))


def test_game_seeds_are_fixed_distinct_and_toml_safe() -> None:
    seeds = [game_seed(1, index) for index in range(1000)]
    assert len(set(seeds)) == 1000
    assert all(0 <= seed < 2**63 for seed in seeds)
    assert game_seed(1, 7) == seeds[7] and game_seed(2, 7) != seeds[7]


def test_tallies_merge_to_the_same_totals(mini: Deck) -> None:
    seeds = [game_seed(9, i) for i in range(30)]
    whole = play_games(mini, seeds, {})
    parts = Tally()
    parts.merge(play_games(mini, seeds[20:], {}))
    parts.merge(play_games(mini, seeds[:20], {}))
    assert figures(mini, whole) == figures(mini, parts)
    assert sum(whole.endings.values()) == 30
    assert all(sum(h.values()) == 30 for h in whole.finals.values())


def test_json_has_the_documented_keys(mini: Deck) -> None:
    data = summarise(mini, simulate(MINI, 40, 1, 1, {}, deck=mini), 2.0, 1, 1).as_json()
    assert {"games", "seconds", "games_per_second", "endings", "tracks", "responses", "warnings"} <= set(data)
    assert data["games"] == 40 and data["games_per_second"] == 20.0
    assert set(data["endings"]) == {e.id for e in mini.endings} and sum(data["endings"].values()) == 40
    assert set(data["tracks"]["cohesion"]) == {"mean", "p10", "p50", "p90"}
    assert (
        data["tracks"]["cohesion"]["p10"]
        <= data["tracks"]["cohesion"]["p50"]
        <= data["tracks"]["cohesion"]["p90"]
    )
    drones = data["responses"]["drones"]
    assert set(drones) == {"shoot-down", "article-4", "protest"}
    assert all({"offered", "chosen"} <= set(r) for r in drones.values())
    assert all(r["chosen"] <= r["offered"] for r in drones.values())


def test_percentiles_are_nearest_rank() -> None:
    histogram = Counter({1: 10, 2: 80, 9: 10})
    assert [percentile(histogram, p) for p in (0.1, 0.5, 0.9, 1.0)] == [1, 2, 2, 9]
    assert percentile(Counter({4: 1}), 0.1) == 4


def test_balance_warnings(mini: Deck) -> None:
    tally = Tally()
    tally.games = 10
    tally.endings.update({"holds": 10})
    tally.offered.update(
        {("drones", "shoot-down"): 200, ("drones", "protest"): 200, ("drones", "article-4"): 200}
    )
    tally.chosen.update({("drones", "shoot-down"): 190, ("drones", "article-4"): 10})
    tally.offered.update({("jets", "escort"): 150, ("jets", "ignore"): 150})
    tally.chosen.update({("jets", "escort"): 150})
    found = warnings(mini, tally)
    assert 'card "drones": response "protest" offered 200 times, never chosen' in found
    assert 'card "drones": response "shoot-down" chosen 95% of the 200 times it was offered' in found
    assert 'card "jets": the choice never varies (always "escort", 150 times)' in found
    assert 'ending "war" was never reached' in found and 'ending "holds" was never reached' not in found
    assert not any("article-4" in warning for warning in found)


def test_hawks_shoot_down_more_and_restrain_less_than_doves(bundled: Deck) -> None:
    """Over 200 seeded games of the bundled deck, the personas play measurably differently."""
    seeds = [game_seed(3, i) for i in range(200)]
    tallies = {
        persona: play_games(bundled, seeds, {n.id: Scripted(persona) for n in bundled.nations})
        for persona in ("hawk", "dove")
    }

    def shoot_downs(tally: Tally) -> int:
        return sum(count for (_, response), count in tally.chosen.items() if "shoot" in response)

    def restraint(tally: Tally) -> float:
        return tally.positions["restrain"] / max(1, sum(tally.positions.values()))

    assert shoot_downs(tallies["hawk"]) > shoot_downs(tallies["dove"])
    assert restraint(tallies["hawk"]) < restraint(tallies["dove"])


def test_simulate_command_prints_the_report_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    run = CliRunner().invoke(main, ["simulate", str(MINI), "-n", "30", "-j", "1", "--json", str(out)])
    assert run.exit_code == 0, run.output
    assert '30 games of "Mini flank"' in run.output
    assert "Endings" in run.output and "Balance warnings" in run.output
    data = json.loads(out.read_text())
    assert data["games"] == 30


def test_simulate_refuses_a_broken_deck_without_a_traceback() -> None:
    broken = Path(__file__).parent / "decks" / "broken" / "unknown-track.toml"
    done = subprocess.run(
        [sys.executable, "-m", "wargame", "simulate", str(broken), "-n", "5"], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "cannot be played until these problems are fixed" in done.stderr
    assert 'unknown track "escalaton"' in done.stderr


def test_simulate_refuses_bad_controllers() -> None:
    run = CliRunner().invoke(main, ["simulate", str(MINI), "-c", "POL=human"])
    assert run.exit_code == 2 and "the lab plays AI nations only" in run.output
    run = CliRunner().invoke(main, ["simulate", str(MINI), "-p", "owl"])
    assert run.exit_code == 2 and 'unknown persona "owl"' in run.output


def test_simulate_does_not_import_the_ui() -> None:
    code = "import sys; from wargame.cli import lab; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    assert BUNDLED.exists()


def test_a_quiet_table_plays_the_same_game() -> None:
    """The lab's quiet tables write no stat moves, passes, votes, answers to a proposal, purchases,
    narration, rounds' starts and ends or hand fills: the games,
    and every other event, are the same as on a table that tells all (on the bundled deck, with its
    adversary)."""
    from wargame.ai import choose
    from wargame.engine import Table, new_game, play
    from wargame.model.events import (
        AdversaryStatMoved,
        HandFilled,
        Invested,
        Narrated,
        Passed,
        ProposalAnswered,
        ProposalMade,
        RoundEnded,
        RoundStarted,
        StatMoved,
        VoteCast,
    )
    from wargame.storage import load_deck

    deck = load_deck(BUNDLED)
    untold = StatMoved | AdversaryStatMoved | Passed | VoteCast | Invested | Narrated
    untold |= ProposalAnswered | ProposalMade | RoundStarted | RoundEnded | HandFilled
    untold_events = told_moves = 0
    for seed in range(12):
        start = new_game(deck, game_seed(3, seed), {})
        told, quiet = Table(start), Table(start, quiet=True)
        while told.pending is not None:
            action = choose(told, told.pending.seat)
            assert choose(quiet, quiet.pending.seat) == action
            everything, some = play(told, action), play(quiet, action)
            rest = [event for event in everything if not isinstance(event, untold)]
            untold_events += len(everything) - len(rest)
            assert some == rest
            # What it notes instead, for the lab: the stat moves of responses, rolls and investments.
            noted = [
                (getattr(event, "nation", None), event.stat, event.after - event.before, event.cause)
                for event in everything
                if isinstance(event, StatMoved | AdversaryStatMoved)
                and event.cause.kind in ("response", "roll", "investment")
            ]
            assert quiet.told == noted
            told_moves += len(noted)
            quiet.told.clear()
        assert quiet.freeze() == told.freeze()
    assert untold_events > 100  # the test compares games that have such events
    assert told_moves > 100
