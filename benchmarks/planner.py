"""The planning AI, measured (issue 13, point 4); not a test: run it by hand.

    python benchmarks/planner.py                            # bundled deck: timing, then 200 paired games
    python benchmarks/planner.py --games 0 --timing-games 5 # decision time only
    python benchmarks/planner.py --rollouts 8 --games 100   # another rollout count
    python benchmarks/planner.py --nation all --games 0 --repeats 3  # every seat's decision time
    python benchmarks/planner.py --nation moscow --games 2000 --timing-games 0  # a planning Moscow

- **Decision time**: `--timing-games` games of the deck's default table with `--nation` played by
  `ai:<persona>:planner[:<rollouts>]` (no `--rollouts`: the planner's default for the seat); every
  decision of that nation is timed (`wargame.ai.choose`, as the lab and the TUI call it), the median
  and 90th percentile reported, with the share of decisions that had a single option (taken without
  a future). `--nation all` times every seat in turn, each on its deck default persona; `--repeats`
  runs the timing again and reports the median of the repeats' medians and 90th percentiles (the
  machine is shared: one repeat can meet another job's burst).
- **Strength**: `--games` pairs of games on the same seeds (`wargame.lab.game_seed`, as simulate's):
  once with the nation on the scripted persona (`ai:<persona>`), once on the planner; the rest of the
  table on its deck defaults. Reported: the nation's mean score in each (its points, 0 on a defeat),
  the mean paired gain with its 95% confidence interval (1.96 standard errors of the paired
  differences), and the alliance's survival (no defeat ending) in each, with the paired difference's
  interval.

The pairs run on `--jobs` processes (spawned); the figures do not depend on it. The running figures
are printed every `--every` pairs, so a long run stopped early still says what it found.
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


def planner(persona: str, rollouts: int | None) -> str:
    return f"ai:{persona}:planner" + ("" if rollouts is None else f":{rollouts}")


def default_persona(deck: Deck, seat: str) -> str:
    if deck.is_adversary(seat):
        assert deck.adversary is not None
        return deck.adversary.persona
    return deck.nation(seat).persona


def timing(
    deck: Deck, nation: str, persona: str, rollouts: int | None, games: int, seed: int
) -> tuple[list[float], list[float]]:
    """Seconds per decision of the planner nation: wall-clock, and the process's CPU time (on a
    loaded machine the wall-clock time counts the other processes' turns too)."""
    times: list[float] = []
    cpu: list[float] = []
    singles = 0
    controllers = {nation: planner(persona, rollouts)}
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


def percentiles(times: list[float]) -> tuple[float, float]:
    """The median and the 90th percentile."""
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def time_seat(deck: Deck, nation: str, persona: str, args: argparse.Namespace) -> None:
    """Time a seat's decisions `--repeats` times; print each repeat and the median of the repeats."""
    runs: dict[str, list[tuple[float, float]]] = {"wall-clock": [], "CPU": []}
    loads: list[float] = []
    for _ in range(args.repeats):
        loads.append(os.getloadavg()[0])
        wall, cpu = timing(deck, nation, persona, args.rollouts, args.timing_games, args.seed)
        for name, times in (("wall-clock", wall), ("CPU", cpu)):
            median, p90 = percentiles(times)
            runs[name].append((median, p90))
            print(f"  decision time ({name}): median {median:.3f} s, 90th percentile {p90:.3f} s")
    loads.append(os.getloadavg()[0])
    if args.repeats > 1:
        for name, found in runs.items():
            median = statistics.median(m for m, _ in found)
            p90 = statistics.median(p for _, p in found)
            print(
                f"  {nation} ({persona}), median of {args.repeats} repeats ({name}):"
                f" median {median:.3f} s, 90th percentile {p90:.3f} s"
            )
    print(f"  load average (1 min) during the timing: {min(loads):.1f} to {max(loads):.1f}")


_DECK: list[Deck] = []


def _pair(job: tuple[str, str, str, int | None, int]) -> tuple[int, bool, int, bool]:
    path, nation, persona, rollouts, seed = job
    if not _DECK:
        _DECK.append(load_deck(Path(path)))
    deck = _DECK[0]
    base = outcome(play_out(deck, seed, {nation: f"ai:{persona}"}), nation)
    planned = outcome(play_out(deck, seed, {nation: planner(persona, rollouts)}), nation)
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
    parser.add_argument("--nation", default="POL", help="a seat (a nation or the adversary), or all")
    parser.add_argument("--persona", help="default: the seat's deck default")
    parser.add_argument("--rollouts", type=int, help="default: the planner's for the seat")
    parser.add_argument("--timing-games", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--games", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    deck = load_deck(args.deck)
    seats = [n.id for n in deck.nations] + ([deck.adversary.id] if deck.adversary else [])
    if args.nation == "all":
        chosen = seats
    elif args.nation in seats:
        chosen = [args.nation]
    else:
        parser.error(f"--nation: {args.nation} is not a seat of the deck ({', '.join(seats)}, or all)")
    print(
        f"{deck.info.title}: planner {args.rollouts or 'default'} futures per option;"
        f" {platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}"
    )
    if args.timing_games:
        for seat in chosen:
            persona = args.persona or default_persona(deck, seat)
            print(f"{seat} as {planner(persona, args.rollouts)}:")
            time_seat(deck, seat, persona, args)
    if args.games and len(chosen) == 1:
        pair_games(args, chosen[0], args.persona or default_persona(deck, chosen[0]))


def pair_games(args: argparse.Namespace, nation: str, persona: str) -> None:
    """`--games` pairs, scripted and planner, on the same seeds; the running figures every `--every`."""
    jobs = [
        (str(args.deck), nation, persona, args.rollouts, game_seed(args.seed, index))
        for index in range(args.games)
    ]
    print(f"{args.games} pairs: {nation} as ai:{persona} and as {planner(persona, args.rollouts)}")
    started = time.perf_counter()
    pairs: list[tuple[int, bool, int, bool]] = []
    with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
        for found in pool.imap(_pair, jobs, chunksize=2):
            pairs.append(found)
            if len(pairs) % args.every == 0 or len(pairs) == len(jobs):
                took = time.perf_counter() - started
                print(f"  after {len(pairs)} pairs, {took:.0f} s on {args.jobs} jobs:")
                summary(pairs)
                sys.stdout.flush()


def summary(pairs: list[tuple[int, bool, int, bool]]) -> None:
    base = [p[0] for p in pairs]
    planned = [p[2] for p in pairs]
    gain, half = interval([float(p[2] - p[0]) for p in pairs])
    kept, kept_half = interval([float(p[3]) - float(p[1]) for p in pairs])
    print(f"    score: scripted {statistics.fmean(base):.3f}, planner {statistics.fmean(planned):.3f}")
    low, high = gain - half, gain + half
    print(f"    paired gain: {gain:+.3f} ± {half:.3f} points (95% CI {low:+.3f} … {high:+.3f})")
    print(
        f"    survival: scripted {statistics.fmean(float(p[1]) for p in pairs):.1%},"
        f" planner {statistics.fmean(float(p[3]) for p in pairs):.1%}"
        f" (paired {kept:+.1%} ± {kept_half:.1%})"
    )


if __name__ == "__main__":
    main()
