"""The host's side of the protocol: the seats of one authoritative `Session`, served over websockets.

`Host` serves the seats: it checks each seat code (in constant time; an address that keeps trying
wrong codes is slowed, then shut out for a while), sends every seat its own view after each change
(`wargame.engine.views.view` and `event_view`: nothing its view hides is ever sent), and checks every
action against the seat that sent it: a seat may act only for itself, never for the facilitator, and
only when the decision is its own, or, while sealed votes or a consultation's positions are being
collected, before its turn (the action is held and applied when the engine reaches the seat). Every
refusal is answered with a sentence and logged. A malformed, oversized or too frequent message gets an
`error` reply and never reaches the game.

The host does not play the game forward: a loop does, asking `decision(seat)` for a hosted seat's next
decision, applying it through the session and calling `changed()`. `play_headless` is that loop for
`wargame host --headless` (the AI decides for the seats nobody hosts); the facilitator's TUI drives
the same `Host` from its own game loop.

`SeatCodes` are the seats' codes, kept beside the autosave (`codes_path`, written atomically, mode
0600), so that a host restarted with `--resume` after a crash gives the seats the same codes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import importlib
import ipaddress
import json
import logging
import os
import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from socket import gethostname
from typing import Any

import attrs
from aiohttp import WSMsgType, web
from yarl import URL

from wargame import ai
from wargame.engine import is_over
from wargame.engine.legality import refusal
from wargame.engine.views import FACILITATOR, SPECTATOR, event_view, view
from wargame.model import FACILITATOR_ACTIONS, Action, Decider, seat_of
from wargame.net.protocol import (
    BROWSER_HEADER,
    BURST,
    CLOSE_REFUSED,
    CLOSE_REPLACED,
    CLOSE_SHUT_OUT,
    PATH,
    PROTOCOL,
    RATE,
    Act,
    Error,
    Hello,
    ProtocolError,
    Refused,
    Timer,
    View,
    Welcome,
    decode_seat_message,
    encode,
)
from wargame.net.refusals import SeatRefusal, SeatRefusalCode
from wargame.session import Session
from wargame.session.describe import event_lines, seat_name
from wargame.session.timer import DecisionClock, OnTimeout
from wargame.session.turns import ai_decision, phase_of, still_to_decide
from wargame.storage.saves import write_atomically

__all__ = [
    "CODE_ALPHABET",
    "Host",
    "SeatCodes",
    "codes_path",
    "foreign_origin",
    "play_headless",
]

log = logging.getLogger("wargame.net")

#: The letters and digits of a seat code: none that reads like another aloud or on a projector
#: (no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B).
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
#: A code is two groups of three: `K7M-4QX` (22**6, about 10**8 codes).
CODE_GROUPS, CODE_GROUP = 2, 3
#: The frames aiohttp accepts at all: a longer one closes the connection (1009). Up to this size, a
#: message over the protocol's limit gets an `error` reply instead.
MAX_FRAME = 1024 * 1024
#: Seconds a new connection has to say hello.
HELLO_TIMEOUT = 10.0
#: Connections still to say hello, from one address and in all: each may wait `HELLO_TIMEOUT`
#: seconds before it is closed, so without a bound one machine could hold open as many as it likes.
MAX_GREETING_FROM, MAX_GREETING = 8, 64
#: Wrong codes from one address: each after the first `FREE_TRIES` is answered `SLOWER` seconds
#: later than the one before (at most `SLOWEST`, so a mistyped code is told within a second); after
#: `SHUT_OUT_AFTER` within `SHUT_OUT_SECONDS`, the address is refused outright until they pass.
FREE_TRIES, SLOWER, SLOWEST = 2, 0.25, 0.8
SHUT_OUT_AFTER, SHUT_OUT_SECONDS = 10, 300.0
#: Spectators' connections at once: each is sent every view, and the spectators' code is the one
#: most often shown around (on the projector's machine).
MAX_SPECTATORS = 32
#: Messages over the rate, in a row, after which the connection is closed.
FLOOD = 100
#: Bytes queued for a connection and not yet taken by its socket, past which the host drops it: a
#: seat that does not read (a stalled or hostile client) must not grow the host's memory without end.
#: It loses nothing by it: on rejoining, a seat gets the current view and the whole log.
MAX_BEHIND = 8 * 1024 * 1024


def foreign_origin(request: web.Request) -> SeatRefusal | None:
    """Why a websocket request from a browser page is refused (None if it is not): a page of
    another site (its `Origin` is not the host's own address) must not open a seat's connection or
    start a browser seat's process on the host, and neither may a page of a name that is not this
    machine's (DNS rebinding: a foreign name made to point at the host). Requests without an
    `Origin` come from programs (`wargame join`), which are not browsers' pages."""
    origin = request.headers.get("Origin")
    if origin is None:
        return None
    try:
        url = URL(origin)
        own = URL(f"{request.scheme}://{request.host}")
    except ValueError:
        return SeatRefusal(SeatRefusalCode.FOREIGN_PAGE, request.host, repr(origin))
    if (url.scheme, url.host, url.port) != (own.scheme, own.host, own.port):
        return SeatRefusal(SeatRefusalCode.FOREIGN_PAGE, request.host, origin)
    if not _this_machine(url.host or ""):
        return SeatRefusal(SeatRefusalCode.FOREIGN_NAME, request.host, url.host)
    return None


def _this_machine(name: str) -> bool:
    """Whether a page's host name is this machine's own: an IP address, localhost or its name."""
    try:
        ipaddress.ip_address(name.strip("[]"))
        return True
    except ValueError:
        pass
    own = gethostname().lower()
    return name.lower().rstrip(".") in {"localhost", own, f"{own}.local"}


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def codes_path(save_path: Path) -> Path:
    """Where the seat codes of a game are kept: beside its save, `<save>.seats.json`."""
    return save_path.with_name(f"{save_path.stem}.seats.json")


def new_code() -> str:
    """A fresh seat code from `secrets`: `K7M-4QX`."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP))
    return "-".join(letters[i : i + CODE_GROUP] for i in range(0, len(letters), CODE_GROUP))


def _normal(code: str) -> str:
    """A code as typed, for comparing: dashes, spaces and case do not matter."""
    return "".join(code.split()).replace("-", "").upper()


@attrs.define
class SeatCodes:
    """Each hosted seat's code, and the spectators' code."""

    codes: dict[str, str]
    """Seat (a nation's id, the adversary's, or "spectator") to its code."""

    @classmethod
    def new(cls, seats: Iterable[str]) -> SeatCodes:
        """Fresh codes for these seats and the spectators, all different."""
        codes: dict[str, str] = {}
        for seat in [*seats, SPECTATOR]:
            code = new_code()
            while code in codes.values():
                code = new_code()
            codes[seat] = code
        return cls(codes)

    @property
    def seats(self) -> list[str]:
        """The seats people play from elsewhere (not the spectators)."""
        return [seat for seat in self.codes if seat != SPECTATOR]

    def seat_for(self, given: str) -> str | None:
        """The seat of a code as typed, or None. Every code is compared, each in constant time, so
        the time taken says nothing about how close a wrong code came."""
        typed = _normal(given).encode()
        found = None
        for seat, code in self.codes.items():
            if hmac.compare_digest(_normal(code).encode(), typed):
                found = seat
        return found

    def save(self, path: Path) -> None:
        """Write the codes to `path` atomically, readable by the owner only; `OSError` if it fails."""
        text = json.dumps({"seat_codes": self.codes}, indent=2) + "\n"
        write_atomically(path, text.encode("utf-8"))  # a temporary file of mode 0600, renamed
        os.chmod(path, 0o600)

    @classmethod
    def load(cls, path: Path) -> SeatCodes:
        """The codes kept at `path`; `ValueError` saying what is wrong with the file."""
        try:
            data = json.loads(path.read_text("utf-8"))
        except OSError as error:
            raise ValueError(f"{path}: cannot read the seat codes: {error.strerror}") from None
        except ValueError as error:
            raise ValueError(f"{path}: the seat codes are not JSON: {error}") from None
        codes = data.get("seat_codes") if isinstance(data, dict) else None
        if not isinstance(codes, dict) or not all(
            isinstance(seat, str) and isinstance(code, str) and code for seat, code in codes.items()
        ):
            raise ValueError(f'{path}: expected {{"seat_codes": {{"SEAT": "CODE", ...}}}}')
        if SPECTATOR not in codes:
            raise ValueError(f"{path}: the spectators' code is missing")
        typed = [_normal(code) for code in codes.values()]
        if not all(code.isalnum() and len(code) >= CODE_GROUP for code in typed):
            raise ValueError(f"{path}: a seat code is empty or not letters and digits")
        if len(set(typed)) != len(typed):
            raise ValueError(f"{path}: two seats have the same code")
        return cls(dict(codes))


@attrs.define(eq=False)
class _Connection:
    """One websocket of a seat or a spectator."""

    socket: web.WebSocketResponse
    address: str
    seat: str = ""
    sent: int = 0
    """How many events of the game's log this connection has been sent."""
    log: object = None
    """The event log (the list itself) those were from: after an undo it is another, sent afresh."""
    tokens: float = float(BURST)
    last: float = attrs.field(factory=time.monotonic)
    strikes: int = 0
    behind: int = 0
    """Bytes of frames queued for this connection that aiohttp has not taken yet."""
    transport: Any = None
    """The connection's transport, to drop a connection that stopped reading without waiting on it."""


class Host:
    """The seats of one session, served over websockets. `start` listens; a game loop asks
    `decision(seat)` and calls `changed()` after every change of the session's state."""

    def __init__(
        self,
        session: Session,
        codes: SeatCodes,
        clock: DecisionClock | None = None,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session = session
        self.codes = codes
        self.clock = clock
        """The decision timer the game loop runs, shown to the seats."""
        self._now = now
        self.refusals: list[tuple[str, str, SeatRefusal]] = []
        """Every refusal, as (who: a seat or an address, what was refused, why), oldest first."""
        self._seats: dict[str, _Connection] = {}
        self._spectators: set[_Connection] = set()
        self._held: dict[str, tuple[object, Action]] = {}
        """Actions sent before the game asked for them: seat to (the decision's key, the action)."""
        self._asked: dict[str, asyncio.Future[Action]] = {}
        self._failures: dict[str, list[float]] = {}
        self._greeting: Counter[str] = Counter()  # connections still to say hello, by address
        self._deck: tuple[Session, str] | None = None
        self._relay_token = secrets.token_urlsafe(24)
        """Given to the browser seats' processes only (`wargame.net.web`), which connect from this
        machine: with it, one names the browser's address, so wrong codes typed in one browser
        count against that browser, not against every browser seat at once."""
        self._deck_text()  # now, before anyone can edit the file
        self.app = web.Application()
        self.app.router.add_get(PATH, self._serve_seat)
        try:  # browser seats (`wargame.net.web`, with textual-serve), when installed: the page at /
            importlib.import_module("wargame.net.web").add_browser_routes(
                self.app, relay_token=self._relay_token
            )
            self.browsers = True
        except ImportError:
            self.app.router.add_get("/", self._front)
            self.browsers = False
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    @property
    def seats(self) -> list[str]:
        """The seats this host serves (not the spectators)."""
        return self.codes.seats

    def connected(self) -> list[str]:
        """The seats whose team is connected now."""
        return [seat for seat, connection in self._seats.items() if not connection.socket.closed]

    def code(self, seat: str) -> str:
        """The code that takes this seat."""
        return self.codes.codes[seat]

    # --- listening ---------------------------------------------------------------------------------

    async def start(self, bind: str = "127.0.0.1", port: int = 8765) -> int:
        """Listen on `bind:port` (port 0: any free port); returns the port. `OSError` if it cannot."""
        self._runner = web.AppRunner(self.app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, bind, port)
        await site.start()
        addresses = self._runner.addresses
        self.port = int(addresses[0][1]) if addresses else port
        return self.port

    async def stop(self) -> None:
        """Close every connection and stop listening."""
        for connection in [*self._seats.values(), *self._spectators]:
            with contextlib.suppress(Exception):
                await connection.socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _front(self, _request: web.Request) -> web.Response:
        return web.Response(
            text=f"An Eastern Flank host. Seats connect to the websocket at {PATH}"
            " (wargame join ADDRESS --code CODE).\n"
        )

    # --- the game loop's side ---------------------------------------------------------------------

    def follow(self, session: Session, clock: DecisionClock | None) -> None:
        """Serve this session from now on, timed by `clock` (the TUI's loop starts afresh on another
        after an undo or a branch); every seat gets its view, the whole log when it is another."""
        self.session, self.clock = session, clock
        self.changed()

    async def decision(self, seat: str) -> Action:
        """The hosted seat's decision for the pending one: one it sent early (when still legal), or
        the next legal one it sends. Cancel it to stop waiting (a facilitator's action changed the
        game)."""
        held = self._held.pop(seat, None)
        if held is not None:
            key, action = held
            if key == self._key() and refusal(self.session.state, action) is None:
                return action
            self._refuse_later(seat, action, SeatRefusal(SeatRefusalCode.NO_LONGER_APPLIES))
        future: asyncio.Future[Action] = asyncio.get_running_loop().create_future()
        self._asked[seat] = future
        try:
            return await future
        finally:
            if self._asked.get(seat) is future:
                del self._asked[seat]

    def changed(self) -> None:
        """The game changed: held decisions that no longer apply are dropped (their seats told), and
        every connection gets its view."""
        key = self._key()
        for seat, (held_key, action) in list(self._held.items()):
            if held_key != key and not self._may_hold(seat):
                del self._held[seat]
                self._refuse_later(seat, action, SeatRefusal(SeatRefusalCode.CLOSED_BEFORE_TURN))
        self._broadcast()

    def _key(self) -> object:
        """What a decision sent now is for: the collected decision (votes, positions), or the turn."""
        state = self.session.state
        return phase_of(state) or ("turn", state.turn)

    def _may_hold(self, seat: str) -> bool:
        state = self.session.state
        return phase_of(state) is not None and still_to_decide(state, seat)

    # --- views -------------------------------------------------------------------------------------

    def waiting_for(self) -> tuple[str, ...]:
        """Whom the game waits for: the pending seat and, while votes or positions are collected, the
        hosted seats still to send theirs."""
        state = self.session.state
        pending = state.pending
        if pending is None:
            return ()
        seats = [pending.seat]
        if phase_of(state) is not None:
            seats += [
                seat for seat in self.seats
                if seat != pending.seat and seat not in self._held and still_to_decide(state, seat)
            ]  # fmt: skip
        return tuple(seats)

    def _timer(self) -> Timer | None:
        clock = self.clock
        if clock is None or clock.nation is None:
            return None
        return Timer(clock.nation, round(clock.remaining, 1), clock.paused, clock.expired)

    def view_for(self, seat: str, first_event: int = 0) -> View:
        """The view message for a seat, with the events from `first_event` on."""
        session = self.session
        state = session.state
        deck = session.deck
        events = tuple(event_view(event, seat, deck) for event in session.events[first_event:])
        pending = state.pending
        return View(
            view(state, seat),
            first_event,
            events,
            None if pending is None else pending.seat,
            self.waiting_for(),
            seat in self._held,
            self._timer(),
            is_over(state),
        )

    def _broadcast(self) -> None:
        texts: dict[tuple[str, int], str] = {}  # the spectators share theirs
        for connection in [*self._seats.values(), *self._spectators]:
            if connection.socket.closed:
                continue
            start = self._first_event(connection)
            key = (connection.seat, start)
            if key not in texts:
                texts[key] = encode(self.view_for(connection.seat, start))
            self._send_text(connection, texts[key])
            connection.sent, connection.log = len(self.session.events), self.session.events

    def _first_event(self, connection: _Connection) -> int:
        events = self.session.events
        same_log = connection.log is events and connection.sent <= len(events)
        return connection.sent if same_log else 0

    def _send_text(self, connection: _Connection, text: str) -> None:
        """Queue a frame; a connection that fails, or falls `MAX_BEHIND` bytes behind, is dropped
        (its seat may rejoin)."""
        transport = connection.transport
        # aiohttp does not always wait for the socket to drain: what piles up in the transport's
        # buffer counts too.
        buffered = transport.get_write_buffer_size() if transport is not None else 0
        if connection.behind + buffered + len(text) > MAX_BEHIND:
            if transport is not None and not transport.is_closing():
                log.warning(
                    "%s (%s) does not read what the host sends: dropped (it may rejoin)",
                    connection.seat, connection.address,
                )  # fmt: skip
                transport.abort()  # a close frame would wait behind the unread ones
            return
        connection.behind += len(text)
        task = asyncio.ensure_future(self._send(connection, text))
        task.add_done_callback(lambda done: done.exception() if not done.cancelled() else None)

    async def _send(self, connection: _Connection, text: str) -> None:
        try:
            await connection.socket.send_str(text)
        except (ConnectionError, RuntimeError) as error:
            log.info("could not send to %s (%s): %s", connection.seat, connection.address, error)
            with contextlib.suppress(Exception):
                await connection.socket.close()
        finally:
            connection.behind -= len(text)

    def _send_message(self, connection: _Connection, message: Refused | Error | Welcome | View) -> None:
        self._send_text(connection, encode(message))

    # --- a seat's connection ------------------------------------------------------------------------

    async def _serve_seat(self, request: web.Request) -> web.StreamResponse:
        foreign = foreign_origin(request)
        if foreign is not None:
            self._log_refusal(request.remote or "?", "a connection", foreign)
            return web.Response(status=403, text=f"{foreign}\n")
        address = self._address_of(request)
        if self._greeting[address] >= MAX_GREETING_FROM or self._greeting.total() >= MAX_GREETING:
            busy = SeatRefusal(SeatRefusalCode.BUSY)
            self._log_refusal(address, "a connection", busy)
            return web.Response(status=429, text=f"{busy}\n")
        socket = web.WebSocketResponse(max_msg_size=MAX_FRAME, heartbeat=20)
        connection = _Connection(socket, address, transport=request.transport)
        with self._saying_hello(address):
            await socket.prepare(request)
            try:
                greeted = await self._greet(connection)
            except Exception:  # never let one connection's trouble reach the game
                log.exception("connection from %s failed", connection.address)
                greeted = False
        try:
            if greeted:
                await self._listen(connection)
        except Exception:  # never let one connection's trouble reach the game
            log.exception("connection from %s failed", connection.address)
        finally:
            self._forget(connection)
            if not socket.closed:
                await socket.close()
        return socket

    @contextlib.contextmanager
    def _saying_hello(self, address: str) -> Iterator[None]:
        """Count a connection from `address` as still to say hello while the block runs."""
        self._greeting[address] += 1
        try:
            yield
        finally:
            self._greeting[address] -= 1
            if self._greeting[address] <= 0:
                del self._greeting[address]

    def _address_of(self, request: web.Request) -> str:
        """Where a connection comes from, for counting wrong codes: the peer's address, or for a
        browser seat's process (from this machine, with the relay token) the browser's."""
        remote = request.remote or "?"
        relayed = request.headers.get(BROWSER_HEADER, "")
        token, _, browser = relayed.partition(" ")
        trusted = _loopback(remote) and hmac.compare_digest(token.encode(), self._relay_token.encode())
        return f"{browser[:64]} (browser)" if relayed and browser and trusted else remote

    async def _greet(self, connection: _Connection) -> bool:
        """Read the hello and seat the connection; False (closed) if the hello is wrong."""
        socket, address = connection.socket, connection.address
        shut = self._shut_out(address)
        if shut:
            await self._refuse_hello(connection, shut, CLOSE_SHUT_OUT)
            return False
        try:
            frame = await socket.receive(timeout=HELLO_TIMEOUT)
        except TimeoutError:
            await socket.send_str(encode(Error("no hello: a seat first sends its code")))
            await socket.close(code=CLOSE_REFUSED, message=b"no hello")
            return False
        if frame.type != WSMsgType.TEXT:
            return False
        try:
            hello = decode_seat_message(frame.data)
        except ProtocolError as error:
            await socket.send_str(encode(Error(str(error))))
            await socket.close(code=CLOSE_REFUSED, message=b"no hello")
            return False
        if not isinstance(hello, Hello):
            await self._refuse_hello(connection, SeatRefusal(SeatRefusalCode.NO_HELLO), CLOSE_REFUSED)
            return False
        if hello.protocol != PROTOCOL:
            reason = SeatRefusal(SeatRefusalCode.OTHER_PROTOCOL, other=str(hello.protocol), protocol=PROTOCOL)
            await self._refuse_hello(connection, reason, CLOSE_REFUSED)
            return False
        # Again now, with no wait before the code is compared and a wrong one counted: connections
        # opened all at once would otherwise each pass the check above and each try a code.
        shut = self._shut_out(address)
        if shut:
            await self._refuse_hello(connection, shut, CLOSE_SHUT_OUT)
            return False
        seat = self.codes.seat_for(hello.code)
        if seat is None:
            await self._wrong_code(connection)
            return False
        # A right code does not wipe the address's wrong ones (they pass with time): else a team
        # could try others' codes between takings of its own seat, never shut out.
        if seat == SPECTATOR and len(self._spectators) >= MAX_SPECTATORS:
            await self._refuse_hello(connection, SeatRefusal(SeatRefusalCode.FULL), CLOSE_REFUSED)
            return False
        connection.seat = seat
        if seat == SPECTATOR:
            self._spectators.add(connection)
        else:
            old = self._seats.get(seat)
            self._seats[seat] = connection
            if old is not None and not old.socket.closed:  # the newest connection of a seat wins
                log.info("%s rejoined from %s: the older connection is closed", seat, address)
                await old.socket.close(
                    code=CLOSE_REPLACED, message=b"the seat was taken by a newer connection"
                )
        deck = self.session.deck
        name = "Spectators" if seat == SPECTATOR else seat_name(deck, seat)
        welcome = Welcome(seat, name, self.session.deck_path.name, self._deck_text(), tuple(self.seats))
        await socket.send_str(encode(welcome))
        await socket.send_str(encode(self.view_for(seat)))
        connection.sent, connection.log = len(self.session.events), self.session.events
        log.info("%s joined from %s", name, address)
        return True

    def _deck_text(self) -> str:
        """The deck's TOML text for the welcome: read once per session, so a deck file edited during
        the game never reaches a seat that joins later ("" when it cannot be read: the seat says so)."""
        path = self.session.deck_path
        if self._deck is None or self._deck[0] is not self.session:
            try:
                text = path.read_text("utf-8")
            except (OSError, UnicodeDecodeError) as error:
                log.warning("%s: cannot read the deck for the seats: %s", path, error)
                text = ""
            self._deck = (self.session, text)
        return self._deck[1]

    async def _refuse_hello(self, connection: _Connection, reason: SeatRefusal, code: int) -> None:
        self._log_refusal(connection.address, "hello", reason)
        await connection.socket.send_str(encode(Refused(str(reason), code=reason.code)))
        await connection.socket.close(code=code, message=str(reason)[:100].encode())

    def _shut_out(self, address: str) -> SeatRefusal | None:
        now = self._now()
        recent = [at for at in self._failures.get(address, []) if now - at < SHUT_OUT_SECONDS]
        self._failures[address] = recent
        if len(recent) < SHUT_OUT_AFTER:
            return None
        minutes = max(1, round((SHUT_OUT_SECONDS - (now - recent[0])) / 60))
        return SeatRefusal(SeatRefusalCode.SHUT_OUT, minutes=minutes)

    async def _wrong_code(self, connection: _Connection) -> None:
        failures = self._failures.setdefault(connection.address, [])
        delay = min(SLOWER * max(len(failures) + 1 - FREE_TRIES, 0), SLOWEST)
        failures.append(self._now())
        if delay:
            await asyncio.sleep(delay)
        await self._refuse_hello(connection, SeatRefusal(SeatRefusalCode.WRONG_CODE), CLOSE_REFUSED)

    async def _listen(self, connection: _Connection) -> None:
        socket = connection.socket
        async for frame in socket:
            if frame.type == WSMsgType.TEXT:
                if not self._within_rate(connection):
                    if connection.strikes > FLOOD:
                        await socket.close(code=CLOSE_REFUSED, message=b"too many messages")
                        return
                    self._send_message(connection, Error(f"too many messages: at most {RATE:g} a second"))
                    continue
                try:
                    message = decode_seat_message(frame.data)
                except ProtocolError as error:
                    self._send_message(connection, Error(str(error)))
                    continue
                if isinstance(message, Act):
                    self._on_act(connection, message)
                else:
                    self._send_message(connection, Error("this connection has its seat already"))
            elif frame.type == WSMsgType.BINARY:
                self._send_message(connection, Error("the protocol is JSON text, not binary"))
            elif frame.type == WSMsgType.ERROR:
                return

    def _within_rate(self, connection: _Connection) -> bool:
        now = self._now()
        connection.tokens = min(BURST, connection.tokens + (now - connection.last) * RATE)
        connection.last = now
        if connection.tokens < 1:
            connection.strikes += 1
            return False
        connection.tokens -= 1
        connection.strikes = 0
        return True

    def _forget(self, connection: _Connection) -> None:
        if self._seats.get(connection.seat) is connection:
            del self._seats[connection.seat]
            log.info("%s left (it may rejoin with its code)", connection.seat)
        self._spectators.discard(connection)

    # --- actions ------------------------------------------------------------------------------------

    def _on_act(self, connection: _Connection, act: Act) -> None:
        seat, action = connection.seat, act.action
        reason = self._act_refusal(seat, act)
        if reason is not None:
            self._log_refusal(f"{seat} ({connection.address})", repr(action), reason)
            self._send_message(connection, Refused(str(reason), action, reason.code))
            return
        state = self.session.state
        assert state.pending is not None
        future = self._asked.get(seat)
        if state.pending.seat == seat and future is not None and not future.done():
            future.set_result(action)
            return
        # Before its turn (a vote, a position), or before the loop asked: kept until it does.
        self._held[seat] = (self._key(), action)
        self._broadcast()

    def _act_refusal(self, seat: str, act: Act) -> SeatRefusal | None:
        """Why the host refuses this seat's action now; None if it takes it."""
        deck = self.session.deck
        state = self.session.state
        action = act.action
        name = seat_name(deck, seat)
        if seat == SPECTATOR:
            return SeatRefusal(SeatRefusalCode.SPECTATOR)
        if isinstance(action, FACILITATOR_ACTIONS):
            return SeatRefusal(SeatRefusalCode.FACILITATOR_ONLY, name)
        actor = seat_of(action)
        if actor != seat:
            return SeatRefusal(SeatRefusalCode.OTHER_SEAT, name, seat_name(deck, actor))
        pending = state.pending
        if pending is None:
            return SeatRefusal(SeatRefusalCode.GAME_OVER, name)
        if seat in self._held:
            return SeatRefusal(SeatRefusalCode.ALREADY_IN, name)
        if pending.seat == seat:
            if act.turn is not None and act.turn != state.turn:
                return SeatRefusal(SeatRefusalCode.STALE, name)
            why = refusal(state, action)
            return None if why is None else SeatRefusal(SeatRefusalCode.RULES, name, rule=why)
        if self._may_hold(seat):
            # Would it be legal were it this seat's turn now? (The engine checks again then.)
            mine: Any = attrs.evolve(pending, nation=seat)  # type: ignore[arg-type]
            early = attrs.evolve(state, pending=mine)
            why = refusal(early, action)
            return None if why is None else SeatRefusal(SeatRefusalCode.RULES, name, rule=why)
        return SeatRefusal(SeatRefusalCode.NOT_YOUR_TURN, name, seat_name(deck, pending.seat))

    def _refuse_later(self, seat: str, action: Action, reason: SeatRefusal) -> None:
        self._log_refusal(seat, repr(action), reason)
        connection = self._seats.get(seat)
        if connection is not None and not connection.socket.closed:
            self._send_message(connection, Refused(str(reason), action, reason.code))

    def _log_refusal(self, who: str, what: str, why: SeatRefusal) -> None:
        self.refusals.append((who, what, why))
        log.warning("refused %s from %s: %s (%s)", what, who, why, why.code)


async def play_headless(
    host: Host,
    ai_delay: float = 0.0,
    on_timeout: OnTimeout = "wait",
    say: Callable[[str], None] | None = None,
) -> None:
    """Play the host's session forward to its end without a UI: the hosted seats decide over the
    network, the AI for every other seat (after `ai_delay` seconds, so the teams can follow). With a
    decision timer (`host.clock`) each hosted decision is timed; when the time is up the seats are
    told, and with `on_timeout="ai"` the seat's AI decides (recorded as "ai-timeout").

    `say` gets the game's log, line by line, as the facilitator reads it."""
    session = host.session
    clock = host.clock
    host.changed()
    timed: object = None
    while not session.over:
        state = session.state
        seat = session.seat
        assert seat is not None
        by: Decider | None = None
        if seat in host.seats:
            waiting = asyncio.ensure_future(host.decision(seat))
            if clock is not None and timed != state.pending:
                clock.start(seat)
                timed = state.pending
                host.changed()
            if clock is not None and not clock.expired:
                await asyncio.wait({waiting}, timeout=clock.remaining)
            if not waiting.done() and clock is not None:
                host.changed()  # the time is up: every seat sees it
                if on_timeout == "ai":
                    waiting.cancel()
                    action, by = ai.choose(state, seat), "ai-timeout"
            if by is None:
                action = await waiting
        else:
            await asyncio.sleep(ai_delay)
            action = await ai_decision(state, seat)
            if session.state is not state:
                continue
        if clock is not None:
            clock.stop()
        events = session.decide(action, by)
        if say is not None:
            for line in event_lines(session.deck, events, FACILITATOR):
                say(line)
            if session.save_problem:
                say(f"The game could not be saved: {session.save_problem}")
        host.changed()
