"""`wargame host` as a process: killed with SIGKILL mid-game, `--resume` brings the game back with the
same seat codes, and the seats rejoin where they were."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from pathlib import Path

import pytest

pytest.importorskip("aiohttp")

from tests.helpers import ROOT
from wargame import ai
from wargame.net.client import Disconnected, SeatClient
from wargame.net.protocol import View

CODE = re.compile(r"^\s+\S.*?\s(POL|EST)\s+([A-Z0-9]{3}-[A-Z0-9]{3})\s*$")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _host(*args: str, saves: Path) -> tuple[asyncio.subprocess.Process, dict[str, str], list[str]]:
    """Start `wargame host --headless` and read what it prints up to the join line: the codes."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "wargame", "host", "--headless", "--saves", str(saves),
        "--ai-delay", "0", *args,
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert process.stdout is not None
    codes: dict[str, str] = {}
    lines: list[str] = []
    async with asyncio.timeout(30):
        while True:
            line = (await process.stdout.readline()).decode()
            assert line, f"the host stopped: {lines}"
            lines.append(line)
            found = CODE.match(line)
            if found:
                codes[found.group(1)] = found.group(2)
            if line.startswith("Teams join with"):
                return process, codes, lines


async def _play_until(client: SeatClient, turn: int) -> None:
    while client.view is not None and client.view.state.turn < turn and not client.view.over:
        shown = client.view
        if shown.pending == client.seat:
            await client.act(ai.choose(shown.state, client.seat), shown.state.turn)
        await client.receive(timeout=10)


async def test_a_killed_host_resumes_with_the_same_codes_and_the_seats_rejoin(tmp_path: Path) -> None:
    port = _free_port()
    new_game = ("--seats", "POL,EST", "--seed", "7", "--port", str(port))
    first, codes, lines = await _host(*new_game, saves=tmp_path)
    try:
        assert set(codes) == {"POL", "EST"}
        assert any(f"127.0.0.1:{port}" in line for line in lines)
        poland = await SeatClient.join(f"127.0.0.1:{port}", codes["POL"])
        estonia = await SeatClient.join(f"127.0.0.1:{port}", codes["EST"])
        await asyncio.gather(_play_until(poland, 8), _play_until(estonia, 8))
        assert poland.view is not None
        seen_turn, seen_log = poland.view.state.turn, list(poland.events)
        assert seen_turn >= 8
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    with pytest.raises(Disconnected):
        for _ in range(50):
            await poland.receive(timeout=5)

    saves = list(tmp_path.glob("*.toml"))
    assert len(saves) == 1
    kept = saves[0].with_name(f"{saves[0].stem}.seats.json")
    assert kept.stat().st_mode & 0o777 == 0o600

    second, codes_again, _ = await _host("--resume", "--port", str(port), saves=tmp_path)
    try:
        assert codes_again == codes
        await poland.rejoin()
        await estonia.rejoin()
        rejoined = poland.view
        assert isinstance(rejoined, View)
        assert rejoined.first_event == 0
        assert rejoined.state.turn >= seen_turn
        assert poland.events[: len(seen_log)] == seen_log
        # The game goes on from there.
        await asyncio.gather(_play_until(poland, seen_turn + 4), _play_until(estonia, seen_turn + 4))
        assert poland.view is not None and poland.view.state.turn >= seen_turn + 4
        await poland.close()
        await estonia.close()
    finally:
        second.send_signal(signal.SIGTERM)
        async with asyncio.timeout(10):
            await second.wait()
    assert second.returncode == 0


@pytest.mark.parametrize(
    ("kept", "says"),
    [
        ("{not json", "not JSON"),
        ('{"seat_codes": {"POL": 7}}', "expected"),
        ('{"seat_codes": {"POL": "AAA-AAA", "EST": "CCC-CCC"}}', "spectators' code is missing"),
        ('{"seat_codes": {"POL": "-", "EST": "CCC-CCC", "spectator": "DDD-DDD"}}', "empty"),
        ('{"seat_codes": {"POL": "CCC-CCC", "EST": "ccc ccc", "spectator": "DDD-DDD"}}', "same code"),
    ],
)
def test_damaged_seat_codes_are_a_sentence_on_resume(tmp_path: Path, kept: str, says: str) -> None:
    """Never a traceback, never a host serving a seat whose code anyone could guess."""
    import subprocess

    from tests.helpers import BUNDLED
    from wargame.net.host import codes_path
    from wargame.session import Session, default_controllers
    from wargame.storage import load_deck

    deck = load_deck(BUNDLED)
    session = Session.new(BUNDLED, deck, 7, default_controllers(deck, ["POL", "EST"]), tmp_path)
    assert session.autosave() and session.save_path is not None
    codes_path(session.save_path).write_text(kept)
    before = session.save_path.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "wargame", "host", "--headless", "--resume", str(session.save_path),
         "--port", str(_free_port())],
        cwd=ROOT, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout
    assert says in done.stderr and "Traceback" not in done.stderr
    assert session.save_path.read_bytes() == before  # the refused game is left untouched
