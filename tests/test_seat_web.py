"""The browser seats' page (`wargame.net.web`) over a real socket: it loads nothing from outside the
host (venues are often offline), every file it names is served, the terminal's websocket points back
at the address the browser used, and `wargame join` runs under Textual's web driver without a
terminal."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from wargame.net.web import TERMINAL, add_browser_routes, join_command, page_html

#: Whatever a page or style sheet loads: src and href attributes, CSS url() and @import.
_LOADS = re.compile(
    r"""(?:src|href)\s*=\s*["']([^"']+)["']"""
    r"""|url\(\s*["']?([^"')]+)["']?\s*\)"""
    r"""|@import\s+["']([^"']+)"""
)


def loaded(text: str) -> list[str]:
    return [next(group for group in match.groups() if group) for match in _LOADS.finditer(text)]


@pytest.fixture
async def served() -> AsyncIterator[str]:
    app = web.Application()
    add_browser_routes(app, command=[sys.executable, "-c", "pass"])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"127.0.0.1:{port}"
    await runner.cleanup()


async def test_the_page_loads_nothing_from_outside_the_host(served: str) -> None:
    async with aiohttp.ClientSession() as client:
        async with client.get(f"http://{served}/") as response:
            assert response.status == 200
            page = await response.text()
        names = loaded(page)
        assert any(name.endswith("textual.js") for name in names)
        assert any(name.endswith("xterm.css") for name in names)
        assert any(name.endswith(".ttf") for name in names)  # the font, from here
        for name in names:
            assert name.startswith("/"), f"{name} is not on the host"
            async with client.get(f"http://{served}{name}") as response:
                assert response.status == 200, name
                if name.endswith(".css"):
                    assert [n for n in loaded(await response.text()) if "//" in n] == []
    # No http(s) address anywhere in the page (textual-serve's own links Google's fonts).
    assert re.findall(r"https?://", page) == []
    assert "googleapis" not in page


async def test_the_terminal_is_reached_at_the_address_the_browser_used(served: str) -> None:
    async with aiohttp.ClientSession() as client, client.get(f"http://{served}/?fontsize=20") as response:
        page = await response.text()
    assert f'data-session-websocket-url="ws://{served}{TERMINAL}"' in page
    assert 'data-font-size="20"' in page


def test_the_page_escapes_what_it_is_given() -> None:
    page = page_html('ws://x/"><script>alert(1)</script>', 16, title="<b>")
    assert "<script>alert" not in page and "<b>" not in page


def test_join_runs_under_the_web_driver_without_a_terminal() -> None:
    """textual-serve runs the command with pipes for stdin and stdout: `wargame join` must not stop
    at its terminal check there (it does elsewhere)."""
    command = join_command("ws://127.0.0.1:9/seat")
    assert command[1:4] == ["-m", "wargame", "join"]
    plain = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=60)
    assert plain.returncode == 0 and "seat code" in plain.stdout
    refused = subprocess.run(command, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert refused.returncode == 1 and "interactive terminal" in refused.stderr
    env_driver = {"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"}
    # Under the web driver it starts the app: Textual's web driver announces itself on stdout.
    web_run = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **env_driver, "COLUMNS": "80", "ROWS": "24"},
    )
    try:
        assert web_run.stdout is not None
        first = web_run.stdout.readline()
        assert first == b"__GANGLION__\n"
    finally:
        web_run.kill()
        web_run.wait(timeout=10)


async def test_a_host_serves_so_many_browser_seats_and_tells_the_next_one() -> None:
    app = web.Application()
    add_browser_routes(app, most=0, command=[sys.executable, "-c", "pass"])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        async with (
            aiohttp.ClientSession() as client,
            client.ws_connect(f"ws://127.0.0.1:{port}{TERMINAL}") as socket,
        ):
            said = await socket.receive(timeout=5)
            assert said.type == aiohttp.WSMsgType.BINARY
            assert b"no more browser seats" in said.data
            closing = await socket.receive(timeout=5)
            assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    finally:
        await runner.cleanup()


async def test_a_page_of_another_site_cannot_start_a_browser_seat(served: str) -> None:
    port = served.rsplit(":", 1)[1]
    async with aiohttp.ClientSession() as client:
        for origin in ("http://evil.example", f"http://evil.example:{port}", f"https://{served}"):
            async with client.get(
                f"http://{served}{TERMINAL}",
                headers={"Origin": origin, "Connection": "Upgrade", "Upgrade": "websocket",
                         "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="},
            ) as response:  # fmt: skip
                assert response.status == 403, origin
                assert "may not connect" in await response.text()
        # DNS rebinding: a foreign name pointed at the host, its page asking as its own origin.
        async with client.get(
            f"http://{served}{TERMINAL}",
            headers={"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}",
                     "Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                     "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="},
        ) as response:  # fmt: skip
            assert response.status == 403
            assert "not this machine's name" in await response.text()
        # The host's own page (same origin, as a browser sends it) opens its terminal.
        async with client.ws_connect(
            f"ws://{served}{TERMINAL}", headers={"Origin": f"http://{served}"}
        ) as socket:
            await socket.close()


async def test_the_browser_seats_limit_holds_while_their_processes_run() -> None:
    app = web.Application()
    add_browser_routes(app, most=1, command=[sys.executable, "-c", "import time; time.sleep(60)"])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        async with aiohttp.ClientSession() as client:
            first = await client.ws_connect(f"ws://127.0.0.1:{port}{TERMINAL}")
            async with client.ws_connect(f"ws://127.0.0.1:{port}{TERMINAL}") as second:
                said = await second.receive(timeout=5)
                assert said.type == aiohttp.WSMsgType.BINARY
                assert b"no more browser seats" in said.data
            await first.close()
            # Its page closed, the first seat's process ends and the place is free again.
            for _ in range(50):
                async with client.ws_connect(f"ws://127.0.0.1:{port}{TERMINAL}") as third:
                    try:
                        said = await third.receive(timeout=0.5)
                    except TimeoutError:
                        break  # taken: its process runs and says nothing
                    assert b"no more browser seats" in said.data
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("the first seat's place was never freed")
    finally:
        await runner.cleanup()
