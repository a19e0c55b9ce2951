"""The planning AI, measured (issue 13, point 4); not a test: run it by hand.

    python benchmarks/planner.py                            # bundled deck: timing, then 200 paired games
    python benchmarks/planner.py --games 0 --timing-games 5 # decision time only
    python benchmarks/planner.py --rollouts 8 --games 100   # another rollout count

- **Decision time**: `--timing-games` games of the deck's default table with `--nation` played by
  `ai:<persona>:planner:<rollouts>`; every decision of that nation is timed (`wargame.ai.choose`, as
  the lab and the TUI call it), the median and 90th percentile reported, with the share of decisions
  that had a single option (taken without a future).
- **Strength**: `--games` pairs of games on the same seeds (`wargame.lab.game_seed`, as simulate's):
  once with the nation on the scripted persona (`ai:<persona>`), once on the planner; the rest of the
  table on its deck defaults. Reported: the nation's mean score in each (its points, 0 on a defeat),
  the mean paired gain with its 95% confidence interval (1.96 standard errors of the paired
  differences), and the alliance's survival (no defeat ending) in each, with the paired difference's
  interval.

The pairs run on `--jobs` processes (spawned); the figures do not depend on it.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wargame.ai import choose  # noqa: E402
from wargame.ai.planner import ROLLOUTS  # noqa: E402
from wargame.engine import Table, legal_actions, new_game, play, result  # noqa: E402
from wargame.lab import game_seed  # noqa: E402
from wargame.model import Deck, GameState  # noqa: E402
from wargame.storage import load_deck  # noqa: E402

BUNDLED = ROOT / "decks" / "eastern-flank-2025.toml"


def play_out(deck: Deck, seed: int, controllers: dict[str, str]) -> GameState:
    table = Table(new_game(deck, seed, controllers), quiet=True)
    while table.pending is not None:
        play(table, choose(table, table.pending.seat))
    return table.freeze()


def outcome(state: GameState, nation: str) -> tuple[int, bool]:
    """The seat's points (a nation's: 0 on a defeat; the adversary's own) and whether the alliance
    survived."""
    ended = result(state)
    if ended.adversary is not None and ended.adversary.nation == nation:
        return ended.adversary.points, not ended.defeat
    points = next(score.points for score in ended.scores if score.nation == nation)
    return points, not ended.defeat


def timing(
    deck: Deck, nation: str, persona: str, rollouts: int, games: int, seed: int
) -> tuple[list[float], list[float]]:
    """Seconds per decision of the planner nation: wall-clock, and the process's CPU time (on a
    loaded machine the wall-clock time counts the other processes' turns too)."""
    times: list[float] = []
    cpu: list[float] = []
    singles = 0
    controllers = {nation: f"ai:{persona}:planner:{rollouts}"}
    for index in range(games):
        state = new_game(deck, game_seed(seed, index), controllers)
        table = Table(state, quiet=True)
        while table.pending is not None:
            seat = table.pending.seat
            started, started_cpu = time.perf_counter(), time.process_time()
            action = choose(table, seat)
            took, took_cpu = time.perf_counter() - started, time.process_time() - started_cpu
            if seat == nation:
                times.append(took)
                cpu.append(took_cpu)
                singles += len(legal_actions(table)) == 1
            play(table, action)
    print(f"  {len(times)} decisions of {nation}, {singles} with a single option")
    return times, cpu


_DECK: list[Deck] = []


def _pair(job: tuple[str, str, str, int, int]) -> tuple[int, bool, int, bool]:
    path, nation, persona, rollouts, seed = job
    if not _DECK:
        _DECK.append(load_deck(Path(path)))
    deck = _DECK[0]
    base = outcome(play_out(deck, seed, {nation: f"ai:{persona}"}), nation)
    planned = outcome(play_out(deck, seed, {nation: f"ai:{persona}:planner:{rollouts}"}), nation)
    return (*base, *planned)


def interval(differences: list[float]) -> tuple[float, float]:
    """The mean and the half-width of its 95% confidence interval."""
    mean = statistics.fmean(differences)
    if len(differences) < 2:
        return mean, math.nan
    return mean, 1.96 * statistics.stdev(differences) / math.sqrt(len(differences))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deck", type=Path, default=BUNDLED)
    parser.add_argument("--nation", default="POL")
    parser.add_argument("--persona", default="hawk")
    parser.add_argument("--rollouts", type=int, default=ROLLOUTS)
    parser.add_argument("--timing-games", type=int, default=3)
    parser.add_argument("--games", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    deck = load_deck(args.deck)
    print(
        f"{deck.info.title}: {args.nation} as ai:{args.persona}:planner:{args.rollouts};"
        f" {platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}"
    )
    if args.timing_games:
        wall, cpu = timing(deck, args.nation, args.persona, args.rollouts, args.timing_games, args.seed)
        load = os.getloadavg()[0]
        for name, times in (("wall-clock", sorted(wall)), ("CPU", sorted(cpu))):
            p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
            print(
                f"  decision time ({name}): median {statistics.median(times):.3f} s,"
                f" 90th percentile {p90:.3f} s"
            )
        print(f"  load average (1 min) at the end: {load:.1f}")
    if args.games:
        jobs = [
            (str(args.deck), args.nation, args.persona, args.rollouts, game_seed(args.seed, index))
            for index in range(args.games)
        ]
        started = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            pairs = pool.map(_pair, jobs, chunksize=4)
        took = time.perf_counter() - started
        base = [p[0] for p in pairs]
        planned = [p[2] for p in pairs]
        gain, half = interval([float(p[2] - p[0]) for p in pairs])
        kept, kept_half = interval([float(p[3]) - float(p[1]) for p in pairs])
        print(f"  {args.games} paired games in {took:.0f} s on {args.jobs} jobs")
        print(f"  score: scripted {statistics.fmean(base):.3f}, planner {statistics.fmean(planned):.3f}")
        low, high = gain - half, gain + half
        print(f"  paired gain: {gain:+.3f} ± {half:.3f} points (95% CI {low:+.3f} … {high:+.3f})")
        print(
            f"  survival: scripted {statistics.fmean(float(p[1]) for p in pairs):.1%},"
            f" planner {statistics.fmean(float(p[3]) for p in pairs):.1%}"
            f" (paired {kept:+.1%} ± {kept_half:.1%})"
        )


if __name__ == "__main__":
    main()
