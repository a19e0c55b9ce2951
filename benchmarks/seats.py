"""Twelve seats and two spectators on one host over loopback: how soon every screen shows a decision.

    python benchmarks/seats.py                  # the bundled deck, every seat hosted, one whole game
    python benchmarks/seats.py --decisions 200  # stop after 200 decisions

Starts `wargame host --headless` as a process (every nation and the adversary hosted: 12 seats on the
bundled deck, no AI seat), joins every seat and two spectators from this process (`SeatClient`), and
plays each seat with the scripted AI from its own view. For each decision it measures the time from
the moment the seat sends it to the moment the last of the 14 connections has received the view that
shows it (a frame's arrival, before it is read), and prints the median and the 95th percentile, and
the host process's memory (resident, and its peak) at the end. The host autosaves every decision
(written atomically, fsynced) before it sends the views, as in a session.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import socket
import statistics
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from wargame import ai
from wargame.net.client import SeatClient
from wargame.net.protocol import View
from wargame.storage import bundled_deck_path, load_deck

CODE = re.compile(r"^\s+\S.*?\s(\S+)\s+([A-Z0-9]{3}-[A-Z0-9]{3})\s*$")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _memory(pid: int) -> tuple[float, float]:
    """The process's resident memory now and at its peak, in MiB (Linux)."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def _watch(client: SeatClient, arrivals: dict[int, float], sent: dict[int, float]) -> None:
    """Note when the first view of each turn arrives at this connection; decide when it is ours (and
    note when the decision of each turn was sent)."""
    while True:
        view = client.view
        assert view is not None
        if view.over:
            return
        if view.pending == client.seat and not view.held:
            action = ai.choose(view.state, client.seat)
            sent[view.state.turn] = time.perf_counter()
            await client.act(action, view.state.turn)
        message = await client.receive(timeout=30)
        if isinstance(message, View):
            arrivals.setdefault(message.state.turn, client.frame_at)


async def main(decisions: int | None) -> None:
    deck_path = bundled_deck_path()
    deck = load_deck(deck_path)
    seats = [nation.id for nation in deck.nations] + ([deck.adversary.id] if deck.adversary else [])
    port = _free_port()
    with TemporaryDirectory() as saves:
        host = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "wargame", "host", str(deck_path), "--headless", "--seats", ",".join(seats),
            "--port", str(port), "--seed", "1", "--ai-delay", "0", "--saves", saves,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        assert host.stdout is not None
        codes: dict[str, str] = {}
        while True:
            line = (await host.stdout.readline()).decode()
            if not line:
                raise SystemExit("the host stopped")
            found = CODE.match(line)
            if found:
                codes["spectator" if line.strip().startswith("Spectators") else found.group(1)] = found.group(
                    2
                )
            if line.startswith("Teams join with"):
                break
        drain = asyncio.ensure_future(_drain(host.stdout))
        address = f"127.0.0.1:{port}"
        clients = [await SeatClient.join(address, codes[seat]) for seat in seats]
        clients += [await SeatClient.join(address, codes["spectator"]) for _ in range(2)]
        arrivals: list[dict[int, float]] = [{} for _ in clients]
        sent: dict[int, float] = {}
        began = time.perf_counter()
        watching = [
            asyncio.ensure_future(_watch(client, seen, sent))
            for client, seen in zip(clients, arrivals, strict=True)
        ]
        if decisions is None:
            await asyncio.gather(*watching)
        else:
            while clients[0].view is not None and clients[0].view.state.turn < decisions:
                await asyncio.sleep(0.05)
            for task in watching:
                task.cancel()
            await asyncio.gather(*watching, return_exceptions=True)
        played = time.perf_counter() - began
        rss, peak = _memory(host.pid)
        host.terminate()
        await host.wait()
        drain.cancel()
        for client in clients:
            await client.close()

    # The decision of turn T is shown by the views of turn T + 1 (every seat is hosted: no AI between).
    latencies = sorted(
        max(seen[turn + 1] for seen in arrivals) - at
        for turn, at in sent.items()
        if all(turn + 1 in seen for seen in arrivals)
    )
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    print(
        f"{platform.machine()}, {os.cpu_count()} cores,"
        f" {platform.python_implementation()} {platform.python_version()}"
    )
    print(f"{len(seats)} seats + 2 spectators, {len(latencies)} decisions in {played:.1f} s")
    print(f"decision to every screen: median {statistics.median(latencies) * 1000:.1f} ms, "
          f"p95 {p95 * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms")  # fmt: skip
    print(f"host memory: {rss:.0f} MiB resident at the end, {peak:.0f} MiB at the peak")


async def _drain(stream: asyncio.StreamReader) -> None:
    while await stream.readline():
        pass


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--decisions", type=int, help="stop after this many decisions (default: a whole game)"
    )
    asyncio.run(main(parser.parse_args().decisions))
