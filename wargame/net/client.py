"""A seat's side of the protocol (`wargame.net.protocol`): join a host, follow the game, decide.

Used by `wargame join` (the TUI of a remote seat), the browser seats' join processes, the tests and
the load benchmark. It holds no rules: the host decides what is legal; the client keeps the latest
view and the seat's event log.

    async with await SeatClient.join("192.168.1.20:8765", "K7M-4QX") as seat:
        print(seat.seat, seat.deck.info.name)      # from the welcome
        view = seat.view                            # the first view came with the welcome
        while not view.over:
            if view.pending == seat.seat:
                await seat.act(some_action, view.state.turn)
            message = await seat.receive()          # View | Refused | Error
            if isinstance(message, View):
                view = message

`join` raises `JoinRefused` with the host's sentence for a wrong code (or when the address is shut out
after too many), and `HostUnreachable` when nothing answers. `receive` raises `Disconnected` when the
host goes away; `rejoin()` connects again with the same code (the host sends the current view and
the whole log, so nothing is missed). `events` is the seat's log as the host shows it to the seat,
kept across views (a view says from which index its events go on).
"""

from __future__ import annotations

import asyncio
import os
import time
from types import TracebackType

import aiohttp

from wargame.model import Action, Deck
from wargame.model.events import Event
from wargame.net.protocol import (
    BROWSER_ENV,
    BROWSER_HEADER,
    CLOSE_REFUSED,
    CLOSE_SHUT_OUT,
    MAX_HOST_MESSAGE,
    Act,
    Error,
    Hello,
    HostMessage,
    ProtocolError,
    Refused,
    View,
    Welcome,
    decode_host_message,
    encode,
    seat_url,
)
from wargame.storage import DeckError, load_deck_text

__all__ = ["Disconnected", "HostUnreachable", "JoinRefused", "SeatClient"]

#: How long joining may take before the host counts as unreachable, in seconds.
JOIN_TIMEOUT = 10.0


class JoinRefused(Exception):
    """The host refused the seat: a wrong code, or too many wrong codes from this address."""


class HostUnreachable(Exception):
    """Nothing answered at the address, or it is not a host of this game."""


class Disconnected(Exception):
    """The connection to the host was lost (or closed by it; `code` the websocket's close code)."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class SeatClient:
    """One seat's connection to a host. Make it with `join`."""

    def __init__(self, url: str, code: str) -> None:
        self.url = url
        self.code = code
        self.welcome: Welcome | None = None
        self.deck: Deck | None = None
        """The deck, read from the welcome's TOML text."""
        self.view: View | None = None
        """The latest view the host sent."""
        self.events: list[Event] = []
        """The seat's event log as the host shows it (redacted for this seat)."""
        self.refusals: list[Refused] = []
        """Every refusal received, oldest first."""
        self.received: list[str] = []
        """Every message's raw text, when `record` was asked (the tests check what a seat gets)."""
        self.record = False
        self.frame_at = 0.0
        """When the last message arrived (`time.perf_counter()`), before it was read."""
        self._session: aiohttp.ClientSession | None = None
        self._socket: aiohttp.ClientWebSocketResponse | None = None

    @property
    def seat(self) -> str:
        """The seat this client plays (a nation's id, the adversary's, or "spectator")."""
        assert self.welcome is not None, "join first"
        return self.welcome.seat

    @classmethod
    async def join(
        cls, address: str, code: str, record: bool = False, timeout: float = JOIN_TIMEOUT
    ) -> SeatClient:
        """Connect to the host at `address` (`host:port` or a ws:// URL) with a seat code, and wait for
        the welcome and the first view."""
        client = cls(seat_url(address), code)
        client.record = record
        await client.rejoin(timeout)
        return client

    async def rejoin(self, timeout: float = JOIN_TIMEOUT) -> None:
        """Connect (again) with the same code: the host sends the welcome, the current view and the
        whole log. `JoinRefused`, `HostUnreachable` as for `join`."""
        await self._drop()
        self._session = aiohttp.ClientSession()
        try:
            relayed = os.environ.get(BROWSER_ENV)  # a browser seat's process: the browser's address
            self._socket = await self._session.ws_connect(
                self.url,
                headers={BROWSER_HEADER: relayed} if relayed else None,
                max_msg_size=MAX_HOST_MESSAGE,
                heartbeat=20,
                timeout=aiohttp.ClientWSTimeout(ws_close=2),
            )
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            await self._drop()
            raise HostUnreachable(f"no host answers at {self.url}: {error}") from None
        await self._send_text(encode(Hello(self.code)))
        try:
            async with asyncio.timeout(timeout):
                first = await self._receive_any()
                if isinstance(first, Refused):
                    await self._drop()
                    raise JoinRefused(first.reason)
                if not isinstance(first, Welcome):
                    await self._drop()
                    raise HostUnreachable(f"{self.url} did not welcome the seat: {first}")
                self.welcome = first
                if self.deck is None:
                    try:
                        self.deck = load_deck_text(first.deck_toml, first.deck_name)
                    except DeckError as error:
                        raise HostUnreachable(f"the host's deck cannot be read here: {error}") from None
                view = await self._receive_any()
                if not isinstance(view, View):
                    raise HostUnreachable(f"{self.url} sent no view after the welcome")
        except TimeoutError:
            await self._drop()
            raise HostUnreachable(f"{self.url} did not answer within {timeout:g} seconds") from None
        except Disconnected as lost:
            await self._drop()
            if lost.code in (CLOSE_REFUSED, CLOSE_SHUT_OUT):
                raise JoinRefused(str(lost)) from None
            raise HostUnreachable(f"the host at {self.url} went away while joining: {lost}") from None

    async def act(self, action: Action, turn: int | None = None) -> None:
        """Send a decision (made in the view of `turn`); the answer comes by `receive`: a new view,
        or a `Refused`."""
        await self._send_text(encode(Act(action, turn)))

    async def send_raw(self, text: str) -> None:
        """Send any text as a frame (the tests send malformed messages so)."""
        await self._send_text(text)

    async def receive(self, timeout: float | None = None) -> View | Refused | Error:
        """The next message from the host (a view is kept in `view` and its events in `events`);
        `Disconnected` when the host goes away, `TimeoutError` after `timeout` seconds."""
        async with asyncio.timeout(timeout):
            message = await self._receive_any()
        if isinstance(message, Welcome):
            raise Disconnected("the host sent a second welcome")
        return message

    async def receive_view(self, timeout: float | None = None) -> View:
        """The next view, passing over refusals and errors (kept in `refusals`)."""
        while True:
            message = await self.receive(timeout)
            if isinstance(message, View):
                return message

    async def close(self) -> None:
        """Leave the seat (the host keeps it for a rejoin)."""
        await self._drop()

    async def __aenter__(self) -> SeatClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.close()

    # --- inside ------------------------------------------------------------------------------------

    async def _send_text(self, text: str) -> None:
        if self._socket is None or self._socket.closed:
            raise Disconnected("not connected to the host")
        try:
            await self._socket.send_str(text)
        except (aiohttp.ClientError, ConnectionError, RuntimeError) as error:
            raise Disconnected(f"the connection to the host was lost: {error}") from None

    async def _receive_any(self) -> HostMessage:
        socket = self._socket
        if socket is None:
            raise Disconnected("not connected to the host")
        frame = await socket.receive()
        self.frame_at = time.perf_counter()
        if frame.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED):
            code = socket.close_code
            reason = (
                frame.extra
                if isinstance(frame.extra, str) and frame.extra
                else "the host closed the connection"
            )
            raise Disconnected(reason, code)
        if frame.type == aiohttp.WSMsgType.ERROR:
            raise Disconnected(f"the connection to the host was lost: {frame.data}")
        if frame.type != aiohttp.WSMsgType.TEXT:
            raise Disconnected("the host sent something that is not text")
        text = str(frame.data)
        if self.record:
            self.received.append(text)
        try:
            message = decode_host_message(text, self.deck)
        except ProtocolError as error:
            return Error(f"could not read the host's message: {error}")
        if isinstance(message, View):
            del self.events[message.first_event :]
            self.events.extend(message.events)
            self.view = message
        elif isinstance(message, Refused):
            self.refusals.append(message)
        return message

    async def _drop(self) -> None:
        if self._socket is not None:
            await self._socket.close()
            self._socket = None
        if self._session is not None:
            await self._session.close()
            self._session = None
