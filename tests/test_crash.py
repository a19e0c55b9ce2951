"""Crash-proof sessions: the real program in a pseudo-terminal, played by key presses, killed with SIGKILL
in the middle of a game; the save it leaves resumes with every decision made before the kill.

Every wait is bounded: the test fails, never hangs, if the program does not start, does not play or
does not die.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import MINI
from wargame.engine import apply, start_game
from wargame.model import Action
from wargame.session import Session
from wargame.storage import load_deck
from wargame.storage.saves import Save, SaveError, load_game, read_save

pytestmark = [
    pytest.mark.tui,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

HUMANS = {"POL", "EST"}
ROWS, COLUMNS = 30, 100
START_LIMIT = 60.0  # seconds for the program to start and make the decisions (it takes 2-5)


def human_decisions(actions: tuple[Action, ...]) -> int:
    return sum(1 for action in actions if getattr(action, "nation", None) in HUMANS)


def newest_save(folder: Path) -> tuple[Path, Save] | None:
    """The save in the folder, read (it is written atomically, so a read never sees half of it)."""
    for path in sorted(folder.glob("*.toml")):
        with contextlib.suppress(SaveError):
            return path, read_save(path)
    return None


def drain(fd: int, seconds: float, screen: bytearray) -> None:
    """Read what the program drew (so that it never blocks on a full terminal), for `seconds` at most."""
    ready, _, _ = select.select([fd], [], [], seconds)
    if ready:
        with contextlib.suppress(OSError):
            screen.extend(os.read(fd, 65536))
            del screen[:-20000]


def test_a_game_killed_mid_session_resumes_with_every_decision_made_before_the_kill(tmp_path: Path) -> None:
    import fcntl
    import termios

    saves = tmp_path / "saves"
    command = [sys.executable, "-m", "wargame", "play", str(MINI), "--seed", "3", "--human", "POL,EST"]
    command += ["--ai-delay", "0", "--saves", str(saves)]
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)}
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=tmp_path, start_new_session=True
    )
    os.close(slave)
    screen = bytearray()
    before: tuple[Action, ...] = ()
    try:
        deadline = time.monotonic() + START_LIMIT
        last_key = 0.0
        while True:
            if time.monotonic() > deadline:
                shown = bytes(screen[-2000:])
                pytest.fail(f"no 4 human decisions within {START_LIMIT} s; the screen: {shown!r}")
            if process.poll() is not None:
                pytest.fail(f"the game stopped ({process.returncode}): {bytes(screen[-2000:])!r}")
            drain(master, 0.05, screen)
            found = newest_save(saves)
            if found is not None and human_decisions(found[1].actions) >= 4 and not found[1].over:
                before = found[1].actions
                break
            if time.monotonic() - last_key > 0.3:
                # Enter: on a hand-over, go on; on a decision, confirm the highlighted (first possible)
                # option; on a consultation's result, continue.
                os.write(master, b"\r")
                last_key = time.monotonic()
        os.write(master, b"\r")  # one more decision in flight when the kill comes
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        os.close(master)
    assert process.returncode == -signal.SIGKILL

    found = newest_save(saves)
    assert found is not None, "the save was lost"
    path, after = found
    assert after.actions[: len(before)] == before  # every decision made before the kill is there
    assert human_decisions(after.actions) >= 4
    assert [p.name for p in saves.glob("*.toml")] == [path.name]
    save, state = load_game(path)  # valid: the deck, the replay and the snapshot agree
    deck = load_deck(MINI)
    replayed, _ = start_game(deck, 3, save.controllers)
    for action in save.actions:
        replayed, _ = apply(replayed, action)
    resumed = Session.resume(path)
    assert resumed.state == state == replayed
    assert tuple(resumed.actions) == save.actions and resumed.save_path == path
    assert resumed.humans == ["POL", "EST"]
