"""A sweep of 4 values × N games against one `simulate` of 4 × N games, side by side (not a test).

    python benchmarks/sweep.py                    # 2000 games a value, --jobs 2, 3 rounds
    python benchmarks/sweep.py --games 500 --repeat 5

Each round times both commands as new processes, taking turns, and prints the medians and the
ratio; the issue's target is a sweep at most 1.15× the simulate.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECK = ROOT / "decks" / "eastern-flank-2025.toml"
VARY = "cards.estonia-migs.responses.escort.effects.tracks.cohesion=0,1,2,3"


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=2000, help="games per value (default 2000)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    wargame = [sys.executable, "-m", "wargame"]
    jobs = ["--jobs", str(args.jobs)]
    sweep = [*wargame, "sweep", str(DECK), "--vary", VARY, "--games", str(args.games), *jobs]
    simulate = [*wargame, "simulate", str(DECK), "--games", str(4 * args.games), *jobs]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.system()}"
    )
    sweeps, simulates = [], []
    for _ in range(args.repeat):
        simulates.append(timed(simulate))
        sweeps.append(timed(sweep))
    a, b = statistics.median(sweeps), statistics.median(simulates)
    print(f"sweep 4 × {args.games} games: {a:.2f} s (median of {args.repeat})")
    print(f"simulate {4 * args.games} games: {b:.2f} s (median of {args.repeat})")
    print(f"ratio: {a / b:.3f} (target ≤ 1.15)")


if __name__ == "__main__":
    main()
