"""How long `wargame` takes to its first frame, against a bare Textual app showing one widget.

    python benchmarks/startup.py              # 11 runs of each, alternating; medians and the ratio
    python benchmarks/startup.py --runs 21
    python benchmarks/startup.py --check 1.3  # exit 1 when the ratio is above 1.3

Each run is a whole new process, timed from its launch to its exit: the interpreter starting, the
imports, the app running until its first screen is composed and drawn, and the app closing. Both
apps run headless (Textual's headless driver, 100×30) and leave at once after their first frame: an
autopilot given to `App.run` here, and only here, so the game's code has no benchmark switch.

- *bare*: a Textual app whose only widget is a `Static`.
- *wargame*: `wargame` with no arguments, through the console script's `main` (click), up to the start
  screen that a person at a terminal sees: the bundled deck loaded, the saved games listed.

The two kinds alternate (bare, wargame, bare, ...) so that a machine busy for a moment slows both.
The figures are in docs/architecture.md ("Startup").
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZE = (100, 30)

#: The child processes' code: each leaves after its first frame.
BARE = """
from textual.app import App, ComposeResult
from textual.widgets import Static

class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Eastern Flank")

async def first_frame(pilot):
    await pilot.pause()  # composed, mounted and drawn
    pilot.app.exit()

Bare().run(headless=True, size={size}, auto_pilot=first_frame)
"""

WARGAME = """
import wargame.cli.play as play

async def first_frame(pilot):
    while type(pilot.app.screen).__name__ != "StartScreen" or not pilot.app.screen.is_mounted:
        await pilot.pause()
    await pilot.pause()  # composed, mounted and drawn
    pilot.app.exit()

play.interactive = lambda: True  # as at a terminal: the start screen, not the help
play._run = lambda app: app.run(headless=True, size={size}, auto_pilot=first_frame)

from wargame.cli import main
main([], prog_name="wargame", standalone_mode=False)
"""


def run_once(code: str, folder: Path) -> float:
    """Seconds from launching `python -c code` (in `folder`) to its exit; raises if it fails."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code.format(size=SIZE)],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"a run failed (exit status {done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def machine() -> str:
    """The machine in one line: CPU, cores, OS, Python, Textual."""
    from importlib.metadata import version

    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line for line in cpuinfo.read_text("utf-8").splitlines() if line.startswith("model name")]
        cpu = names[0].split(":", 1)[1].strip() if names else cpu
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"{cpu}, {os.cpu_count()} cores (load {load}); {platform.system()} {platform.release()};"
        f" Python {platform.python_version()}; Textual {version('textual')}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="runs of each app (at least 9)")
    parser.add_argument("--check", type=float, metavar="RATIO", help="exit 1 when wargame/bare is above")
    args = parser.parse_args()
    if args.runs < 9:
        parser.error("--runs must be at least 9")
    times: dict[str, list[float]] = {"bare": [], "wargame": []}
    # An empty working folder: no saves and no decks/ folder of the project's to list.
    with tempfile.TemporaryDirectory() as folder:
        run_once(BARE, Path(folder))  # a first run of each warms the file cache; not counted
        run_once(WARGAME, Path(folder))
        for _ in range(args.runs):
            times["bare"].append(run_once(BARE, Path(folder)))
            times["wargame"].append(run_once(WARGAME, Path(folder)))
    bare, game = statistics.median(times["bare"]), statistics.median(times["wargame"])
    ratio = game / bare
    print(f"machine: {machine()}")
    print(f"runs: {args.runs} of each, alternating; time from launch to exit after the first frame")
    for name, median in (("bare Textual app", bare), ("wargame", game)):
        spread = times["bare" if name.startswith("bare") else "wargame"]
        print(f"{name:>16}: median {median:.3f} s  (min {min(spread):.3f}, max {max(spread):.3f})")
    print(f"           ratio: {ratio:.2f}× (wargame / bare)")
    if args.check is not None and ratio > args.check:
        print(f"above {args.check}×", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
