"""Browser seats: the host serves the game's screens to browsers, with textual-serve's terminal.

    app = aiohttp.web.Application()
    ...                                   # the host's own routes: the seats' websocket (/seat)
    add_browser_routes(app)               # GET / (the page), /terminal (its websocket), /static/

Each browser connection starts one `wargame join ws://LOCAL/seat` process on the host, under
Textual's web driver (textual-serve's `AppService`): the page shows the seat code screen, and the
process joins the host over the machine's own network like any seat (LOCAL is the address and port
the browser's request came in on, so a host bound to one address is reached on it). A browser seat
is therefore a remote seat like a terminal's; the host trusts it no more.

Venues are often offline: the page loads nothing from outside the host. textual-serve's own page
links a web font from Google; ours (`templates/seat.html`) declares the font textual-serve ships and
serves it from `/static/` with the terminal's script and style sheet.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import shlex
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from aiohttp import WSMsgType, web

__all__ = ["BROWSER_SEATS", "PAGE", "TERMINAL", "add_browser_routes", "join_command", "page_html"]

log = logging.getLogger("wargame.net.web")

#: The page's path, its terminal's websocket and the static files' prefix.
PAGE = "/"
TERMINAL = "/terminal"
STATIC = "/static"
#: How many browser seats may run at once by default: each is a process on the host.
BROWSER_SEATS = 32
#: Seconds a browser seat's process has to quit when its page closes.
QUIT_WITHIN = 5.0
#: The terminal's size until the browser says its own.
DEFAULT_SIZE = (100, 30)

_SERVED = web.AppKey("wargame.browser_seats", dict)


def _static_folder() -> Path:
    """textual-serve's script, style sheet and fonts, as installed."""
    import textual_serve

    return Path(textual_serve.__file__).parent / "static"


def join_command(seat_url: str) -> list[str]:
    """The command a browser seat runs: this Python's `wargame join`, without a code."""
    return [sys.executable, "-m", "wargame", "join", seat_url]


def page_html(terminal_url: str, font_size: int = 16, title: str = "Eastern Flank") -> str:
    """The page a browser opens: textual-serve's terminal and nothing from outside the host."""
    template = resources.files("wargame.net").joinpath("templates/seat.html").read_text("utf-8")
    return (
        template.replace("{{ title }}", html.escape(title))
        .replace("{{ static }}", html.escape(STATIC + "/"))
        .replace("{{ terminal_url }}", html.escape(terminal_url))
        .replace("{{ font_size }}", str(font_size))
    )


def _local_seat_url(request: web.Request) -> str:
    """The seats' websocket as this machine reaches it: the address and port the request came in on."""
    from wargame.net.protocol import PATH

    sockname = request.transport.get_extra_info("sockname") if request.transport is not None else None
    if not sockname:
        return f"ws://127.0.0.1:{request.url.port or 80}{PATH}"
    host, port = str(sockname[0]), int(sockname[1])
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"ws://{host}:{port}{PATH}"


def _number(text: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(text or ""), low), high)
    except ValueError:
        return default


async def _page(request: web.Request) -> web.Response:
    scheme = "wss" if request.secure else "ws"
    terminal = f"{scheme}://{request.host}{TERMINAL}"
    font_size = _number(request.query.get("fontsize"), 16, 8, 48)
    return web.Response(text=page_html(terminal, font_size), content_type="text/html")


async def _terminal(request: web.Request) -> web.StreamResponse:
    """One browser seat: a `wargame join` process behind textual-serve's terminal protocol."""
    from textual_serve.app_service import AppService
    from textual_serve.download_manager import DownloadManager

    from wargame.net.host import foreign_origin
    from wargame.net.protocol import BROWSER_ENV

    foreign = foreign_origin(request)
    if foreign is not None:  # another site's page must not start processes on the host
        log.warning("browser seat refused from %s: %s", request.remote, foreign)
        return web.Response(status=403, text=f"{foreign}\n")
    served: dict[str, object] = request.app[_SERVED]
    socket = web.WebSocketResponse(heartbeat=15, max_msg_size=64 * 1024)
    await socket.prepare(request)
    running: set[AppService] = served["running"]  # type: ignore[assignment]
    if len(running) >= int(served["most"]):  # type: ignore[call-overload]
        await socket.send_bytes(b"\r\nThis host serves no more browser seats now: ask the facilitator.\r\n")
        await socket.close()
        return socket
    width = _number(request.query.get("width"), DEFAULT_SIZE[0], 20, 500)
    height = _number(request.query.get("height"), DEFAULT_SIZE[1], 5, 200)
    command = served.get("command") or join_command(_local_seat_url(request))
    token = served.get("relay_token")
    relayed = {BROWSER_ENV: f"{token} {request.remote}"} if token and request.remote else {}

    async def close() -> None:
        await socket.close()

    class BrowserSeat(AppService):
        """textual-serve's process, told the browser's address (wrong codes count against it)."""

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            return super()._build_environment(width, height) | relayed

    service = BrowserSeat(
        shlex.join(command),  # type: ignore[arg-type]
        write_bytes=socket.send_bytes,
        write_str=socket.send_str,
        close=close,
        download_manager=DownloadManager(),
    )
    running.add(service)
    try:
        await service.start(width, height)
        await _relay(socket, service)
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        running.discard(service)
        with contextlib.suppress(Exception):
            await service.stop()
        await _ended(service)
        await socket.close()
    return socket


async def _ended(service: object) -> None:
    """Wait for the browser seat's process to end (it was told to quit), killing it after a few
    seconds: a seat's process never outlives its page. textual-serve keeps the process private."""
    process = getattr(service, "_process", None)
    if not isinstance(process, asyncio.subprocess.Process):
        return
    try:
        await asyncio.wait_for(process.wait(), QUIT_WITHIN)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()


async def _relay(socket: web.WebSocketResponse, service: object) -> None:
    """The browser's keys and size to the process (textual-serve's envelope: `["stdin", text]`,
    `["resize", {...}]`, `["ping", x]`, `["focus"]`, `["blur"]`); anything else is ignored."""
    from textual_serve.app_service import AppService

    assert isinstance(service, AppService)
    async for message in socket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            width = _number(str(data.get("width")), DEFAULT_SIZE[0], 20, 500)
            height = _number(str(data.get("height")), DEFAULT_SIZE[1], 5, 200)
            await service.set_terminal_size(width, height)
        elif kind == "ping":
            await socket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


async def _stop_all(app: web.Application) -> None:
    """When the host stops: every browser seat's process ends with it."""
    running: set[object] = app[_SERVED]["running"]
    for service in list(running):
        with contextlib.suppress(Exception):
            await service.stop()  # type: ignore[attr-defined]
        await _ended(service)


def add_browser_routes(
    app: web.Application,
    *,
    most: int = BROWSER_SEATS,
    command: Sequence[str] | None = None,
    relay_token: str | None = None,
) -> None:
    """Serve browser seats from `app` (the host's, beside its `/seat` websocket): the page at `/`,
    its terminal at `/terminal`, textual-serve's files at `/static/`. `most`: browser seats at once;
    `command`: what each runs (by default `join_command` of the host's own seats' address);
    `relay_token`: the host's, given to each process with the browser's address (`BROWSER_ENV`)."""
    app[_SERVED] = {
        "most": most,
        "command": list(command) if command is not None else None,
        "running": set(),
        "relay_token": relay_token,
    }
    app.router.add_get(PAGE, _page)
    app.router.add_get(TERMINAL, _terminal)
    app.router.add_static(STATIC, _static_folder(), show_index=False)
    app.on_shutdown.append(_stop_all)
