"""How long `wargame` takes to its first frame, against a bare Textual app showing one widget.

    python benchmarks/startup.py              # 11 runs of each, alternating; medians and the ratio
    python benchmarks/startup.py --runs 21
    python benchmarks/startup.py --check 1.3  # exit 1 when the ratio is above 1.3
    python benchmarks/startup.py --beside /tmp/old   # also an older checkout's first frame

Each run is a whole new process, timed from its launch to its exit: the interpreter starting, the
imports, the app running until its first screen is composed and drawn, and the app closing. The
apps run headless (Textual's headless driver, 100×30) and leave at their first frame: the code that
makes them leave is in this file only (it wraps the start screen's methods in the child process), so
the game has no benchmark switch.

- *bare*: a Textual app whose only widget is a `Static`.
- *wargame*: `wargame` with no arguments, through the console script's `main` (`wargame.command`: no
  click on this path), up to the start screen's first frame (the title, what Enter and r do, the
  footer; the form is mounted and filled in just after).
- *wargame, filled in*: the same, leaving once the form is mounted and filled in (the bundled deck
  loaded, the saved games listed).
- with `--beside DIR`: also `wargame`'s first frame from another checkout of the game (DIR, put first
  on the path; e.g. a `git worktree` of an older commit), to compare two versions in the same run.

The kinds take turns (bare, wargame, filled in, bare, ...) so that a machine busy for a moment slows
all of them.
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

#: The child processes' code. Each leaves at its screen's first refresh: the first call after a refresh
#: once the screen is mounted, when the frame is on the terminal.
BARE = """
from textual.app import App, ComposeResult
from textual.widgets import Static

class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Eastern Flank")

    def on_mount(self) -> None:
        self.call_after_refresh(self.exit)

Bare().run(headless=True, size={size})
"""

#: `wargame`: the console script's `main` with no arguments, as at a terminal. The start screen's first
#: frame is light, and the form is mounted and filled in at its first refresh (`lay_out`): "first"
#: leaves instead, "ready" just after it. The older designs are timed as they worked, for a comparison
#: with `--beside` (before `lay_out`: `fill` at the first refresh; before `fill`: the whole screen at
#: mount; before `wargame.command`: through click).
WARGAME = """
import sys
from wargame.tui.screens.start import StartScreen

WHEN = {when!r}
lay_out = getattr(StartScreen, "lay_out", None)
fill = getattr(StartScreen, "fill", None)

if lay_out is not None:
    async def leave(screen):
        if WHEN == "ready":
            await lay_out(screen)
        screen.app.exit()
    StartScreen.lay_out = leave
elif fill is not None:
    def leave(screen):
        if WHEN == "ready":
            fill(screen)
        screen.app.exit()
    StartScreen.fill = leave
else:
    mounted = StartScreen.on_mount
    def on_mount(screen):
        mounted(screen)
        screen.call_after_refresh(screen.app.exit)
    StartScreen.on_mount = on_mount

def run(app):
    app.run(headless=True, size={size})

sys.argv = ["wargame"]
try:
    import wargame.command as command
except ImportError:
    import wargame.cli.play as play
    play.interactive = lambda: True  # as at a terminal: the start screen, not the help
    play._run = run
    from wargame.cli import main
    main([], prog_name="wargame", standalone_mode=False)
else:
    command.interactive = lambda: True
    command._run = run
    command.main()
"""


def run_once(code: str, folder: Path, game: Path | None = None) -> float:
    """Seconds from launching `python -c code` (in `folder`; with the game's checkout `game` first on
    the path, if given) to its exit; raises if it fails."""
    env = None if game is None else {**os.environ, "PYTHONPATH": str(game.resolve())}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=folder,
        env=env,
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
    parser.add_argument(
        "--beside", type=Path, metavar="DIR", help="also time the first frame of the game checked out in DIR"
    )
    args = parser.parse_args()
    if args.runs < 9:
        parser.error("--runs must be at least 9")
    if args.beside is not None and not (args.beside / "wargame" / "__init__.py").is_file():
        parser.error(f"--beside: {args.beside} is not a checkout of the game (no wargame/__init__.py)")
    kinds: dict[str, tuple[str, Path | None]] = {
        "bare Textual app": (BARE.format(size=SIZE), None),
        "wargame": (WARGAME.format(size=SIZE, when="first"), None),
        "wargame, filled in": (WARGAME.format(size=SIZE, when="ready"), None),
    }
    if args.beside is not None:
        kinds[f"{args.beside.name}, first frame"] = (WARGAME.format(size=SIZE, when="first"), args.beside)
    times: dict[str, list[float]] = {name: [] for name in kinds}
    # An empty working folder: no saves and no decks/ folder of the project's to list.
    with tempfile.TemporaryDirectory() as folder:
        for code, game in kinds.values():
            run_once(code, Path(folder), game)  # a first run of each warms the file cache; not counted
        for _ in range(args.runs):
            for name, (code, game) in kinds.items():
                times[name].append(run_once(code, Path(folder), game))
    medians = {name: statistics.median(spread) for name, spread in times.items()}
    bare = medians["bare Textual app"]
    ratio = medians["wargame"] / bare
    print(f"machine: {machine()}")
    print(f"runs: {args.runs} of each, in turn; time from launch to exit at the first frame")
    for name, spread in times.items():
        print(
            f"{name:>24}: median {medians[name]:.3f} s  ({medians[name] / bare:.2f}×;"
            f" min {min(spread):.3f}, max {max(spread):.3f})"
        )
    print(f"first frame ratio: {ratio:.2f}× (wargame / bare)")
    if args.check is not None and ratio > args.check:
        print(f"above {args.check}×", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
