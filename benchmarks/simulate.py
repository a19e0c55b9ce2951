"""Games per second and peak memory of the simulation lab (not a test: run it by hand).

    python benchmarks/simulate.py                 # 2000 games, --jobs 1, then 10000 games, --jobs 2
    python benchmarks/simulate.py --games 500 --repeat 3
    python benchmarks/simulate.py --jobs 1 --deck tests/decks/red.toml

Reports the median of the repeats, the machine, and the peak resident memory of this process and its
worker processes (`resource.getrusage`, in MB). All seats play their deck-default personas (the
adversary too, when the deck has one).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECK = ROOT / "decks" / "eastern-flank-2025.toml"


def run_once(games: int, jobs: int, deck: Path = DECK) -> tuple[float, float]:
    """Seconds and peak memory (MB, the larger of the parent and its largest child) of one run."""
    code = (
        "import sys, time, resource; from pathlib import Path; from wargame.lab import simulate;"
        f"t = time.perf_counter(); simulate(Path({str(deck)!r}), {games}, {jobs}, 1, {{}});"
        "print(time.perf_counter() - t);"
        "print(max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    seconds, peak = out.stdout.split()
    return float(seconds), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, help="games per run (default: 2000 for 1 job, 10000 for 2)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, choices=(1, 2), help="only this run (default: both)")
    parser.add_argument("--deck", type=Path, default=DECK, help="the deck (default: the bundled one)")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.system()}"
    )
    print(f"deck: {args.deck.resolve()}")
    for jobs, default_games in ((1, 2000), (2, 10000)):
        if args.jobs not in (None, jobs):
            continue
        games = args.games or default_games
        runs = [run_once(games, jobs, args.deck.resolve()) for _ in range(args.repeat)]
        seconds = statistics.median(run[0] for run in runs)
        peak = max(run[1] for run in runs)
        print(
            f"--jobs {jobs}: {games} games in {seconds:.2f} s (median of {args.repeat}), "
            f"{games / seconds:.0f} games/s, peak memory {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()
