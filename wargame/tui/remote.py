"""A remote seat's side of a hosted game: what the host shows this seat, and the connection to it.

The join app (`wargame.tui.join.JoinApp`) holds no game of its own. A `RemoteDriver` keeps one
connection to the host (`wargame.net.client.SeatClient`) in a worker of the app and posts what comes
as messages, as `GameDriver` does for a local game (data down, messages up): `Joined` (the welcome and
the first view), `ViewChanged` (every view after it), `ActionRefused`, `CodeRefused` (a wrong code:
ask again), `Dropped` (the connection is lost or cannot be made: it tries again by itself, with the
same code, and says when). The app answers with `answer(action)`, which sends the seat's decision.

A `SeatTable` is the seat's copy of what the host sent: the deck, the seat's view of the state, the
seat's event log. The game screen reads it as it reads a local `Session`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import attrs
from textual.message import Message

from wargame.model import Action, Deck, GameState, PlayDecision
from wargame.model.events import Event
from wargame.net.client import Disconnected, HostUnreachable, JoinRefused, SeatClient
from wargame.net.protocol import (
    CLOSE_REFUSED,
    CLOSE_REPLACED,
    CLOSE_SHUT_OUT,
    SPECTATOR,
    Error,
    Timer,
    View,
    seat_url,
)
from wargame.session.choices import Choice
from wargame.session.describe import seat_name
from wargame.session.timer import time_left
from wargame.tui.driver import options_for

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker

__all__ = ["RETRY_AFTER", "RemoteDriver", "SeatTable", "remote_clock_text", "seat_choices", "waiting_text"]

#: Seconds before each new attempt to reach the host after a drop (the last one repeats).
RETRY_AFTER = (1.0, 2.0, 3.0, 5.0)


@dataclass
class SeatTable:
    """What the host has shown this seat: the deck, the seat's view and its event log."""

    deck: Deck
    seat: str
    """A nation's id, the adversary's, or `SPECTATOR`."""
    name: str
    """The seat's name as the host says it (`Poland`, `Spectator`)."""
    view: View
    events: list[Event] = field(default_factory=list)

    @property
    def state(self) -> GameState:
        """The seat's view of the game now."""
        return self.view.state

    @property
    def spectator(self) -> bool:
        """Whether this is the projector's seat: the public view, no decisions."""
        return self.seat == SPECTATOR

    @property
    def deciding(self) -> bool:
        """Whether the game waits for this seat's decision now (its vote not yet kept)."""
        view = self.view
        return not self.spectator and not view.over and not view.held and self.seat in view.waiting_for


def seat_choices(table: SeatTable) -> tuple[GameState, list[Choice]]:
    """The position to show while this seat decides, and its options as the seat sees them.

    While sealed votes or consultation positions are collected at once, the engine's pending decision
    is another nation's: the seat is shown the same decision as its own (its vote is kept by the host
    until the engine reaches it)."""
    state = table.state
    pending = state.pending
    if pending is not None and pending.seat != table.seat and not isinstance(pending, PlayDecision):
        state = attrs.evolve(state, pending=attrs.evolve(pending, nation=table.seat))
    return state, options_for(state, table.seat)


def waiting_text(table: SeatTable) -> str:
    """What the seat is told while it does not decide: who does, or that its vote is kept."""
    view = table.view
    if view.over:
        return "The game is over."
    if view.held:
        return "Your decision is in: the host applies it in turn, with the others'."
    names = [seat_name(table.deck, seat) for seat in view.waiting_for if seat != table.seat]
    if not names:
        return "Waiting for the host…"
    who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"Waiting for {who}…"


def remote_clock_text(timer: Timer, left: float, name: str) -> str:
    """The host's decision timer, counted down here: `Time left for Poland: 0:27`."""
    if timer.expired or left <= 0:
        return f"Time is up for {name}."
    shown = time_left(left)
    if timer.paused:
        return f"Paused: {shown} left for {name}"
    return f"Time left for {name}: {shown}"


def _sentence(text: str) -> str:
    """The host's words as a sentence: a capital first, a full stop last."""
    text = text.strip()
    if not text:
        return "The host refused the seat."
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _unreachable_text(address: str, problem: str) -> str:
    """Why the host cannot be reached, in a sentence for the team (the client's words name the
    websocket's URL and the socket's error; the team typed an address)."""
    if problem.startswith("no host answers"):
        return f"No host answers at {address}: is the host running, and the address right?"
    return f"The host at {address} cannot be joined: {problem}."


class RemoteDriver:
    """One seat's connection to a host, on an app: `start` joins (and rejoins after a drop)."""

    class Posted(Message):
        """Every message of a driver carries it: the app drops those of a driver it replaced."""

        def __init__(self, driver: RemoteDriver) -> None:
            super().__init__()
            self.driver = driver

    class Joined(Posted):
        """The host took the code (again, after a drop): the seat's table, with its whole log."""

        def __init__(self, driver: RemoteDriver, table: SeatTable) -> None:
            super().__init__(driver)
            self.table = table

    class ViewChanged(Posted):
        """A new view: `events` are the ones new since the last view; `rewritten` says the log was
        cut back (the facilitator undid decisions) and is to be shown again from `table.events`."""

        def __init__(self, driver: RemoteDriver, events: list[Event], rewritten: bool) -> None:
            super().__init__(driver)
            self.events = events
            self.rewritten = rewritten

    class ActionRefused(Posted):
        """The host did not take the seat's decision; `reason` is its sentence."""

        def __init__(self, driver: RemoteDriver, reason: str) -> None:
            super().__init__(driver)
            self.reason = reason

    class CodeRefused(Posted):
        """The host refused the code (or this address, after too many wrong ones)."""

        def __init__(self, driver: RemoteDriver, reason: str) -> None:
            super().__init__(driver)
            self.reason = reason

    class Dropped(Posted):
        """No connection to the host: `reason` why, and in how many seconds it tries again (None:
        it does not, e.g. another connection took the seat)."""

        def __init__(self, driver: RemoteDriver, reason: str, retry_in: float | None) -> None:
            super().__init__(driver)
            self.reason = reason
            self.retry_in = retry_in

    def __init__(self, app: App[None], address: str, code: str) -> None:
        self.app = app
        self.address = address
        self.code = code
        self.table: SeatTable | None = None
        self.client: SeatClient | None = None
        self.stopped = False
        self._worker: Worker[None] | None = None

    @property
    def url(self) -> str:
        """The websocket address the driver connects to."""
        return seat_url(self.address)

    def start(self) -> None:
        """Join (replacing a running loop)."""
        self._worker = self.app.run_worker(self._run(), name="seat", group="seat", exclusive=True)

    def stop(self) -> None:
        """Leave: nothing more is posted."""
        self.stopped = True
        if self._worker is not None:
            self._worker.cancel()

    def _post(self, message: RemoteDriver.Posted) -> None:
        if not self.stopped:
            self.app.post_message(message)

    def answer(self, action: Action) -> None:
        """Send the seat's decision, made in the view now shown."""
        client, table = self.client, self.table
        if client is None or table is None:
            self._post(self.ActionRefused(self, "Not connected to the host: the decision was not sent."))
            return
        self.app.run_worker(self._send(client, action, table.state.turn), group="seat-send")

    async def _send(self, client: SeatClient, action: Action, turn: int) -> None:
        try:
            await client.act(action, turn)
        except Disconnected:
            # The receiving loop sees the drop too, and rejoins: the host then asks again.
            self._post(self.ActionRefused(self, "The connection was lost: the decision was not sent."))

    async def _run(self) -> None:
        attempt = 0
        while not self.stopped:
            try:
                client = await SeatClient.join(self.address, self.code)
            except JoinRefused as refused:
                if self.table is None:
                    self._post(self.CodeRefused(self, _sentence(str(refused))))
                    return
                # The code was taken before: the host is going away or coming back (`--resume`).
                reason = f"The host did not take the seat back: {refused}"
            except HostUnreachable as unreachable:
                reason = _unreachable_text(self.address, str(unreachable))
            except (OSError, ValueError) as error:  # an address that is not one
                reason = f"Cannot reach the host at {self.address}: {error}"
            else:
                if await self._follow(client) is not None:
                    return
                attempt = 1
                await asyncio.sleep(RETRY_AFTER[0])
                continue
            wait = RETRY_AFTER[min(attempt, len(RETRY_AFTER) - 1)]
            attempt += 1
            self._post(self.Dropped(self, reason, wait))
            await asyncio.sleep(wait)

    async def _follow(self, client: SeatClient) -> str | None:
        """Follow the game on this connection until it drops. Returns a reason not to rejoin (the
        seat was taken by another connection, or the address shut out), else None."""
        self.client = client
        welcome, view = client.welcome, client.view
        assert welcome is not None and view is not None and client.deck is not None
        name = "Spectator" if welcome.seat == SPECTATOR else welcome.name
        self.table = table = SeatTable(client.deck, welcome.seat, name, view, list(client.events))
        self._post(self.Joined(self, table))
        try:
            while not self.stopped:
                known = len(table.events)
                message = await client.receive()
                if isinstance(message, View):
                    rewritten = message.first_event < known
                    new = list(client.events[known:]) if not rewritten else []
                    table.view, table.events = message, list(client.events)
                    self._post(self.ViewChanged(self, new, rewritten))
                elif isinstance(message, Error):
                    self._post(self.ActionRefused(self, message.message))
                else:
                    self._post(self.ActionRefused(self, message.reason))
        except Disconnected as lost:
            return self._lost(lost)
        finally:
            self.client = None
            await client.close()
        return None

    def _lost(self, lost: Disconnected) -> str | None:
        if lost.code == CLOSE_REPLACED:
            reason = "Another connection took this seat (the team joined again elsewhere)."
            self._post(self.Dropped(self, reason, None))
            return reason
        if lost.code in (CLOSE_REFUSED, CLOSE_SHUT_OUT):
            self._post(self.CodeRefused(self, _sentence(str(lost))))
            return str(lost)
        self._post(self.Dropped(self, f"The connection to the host was lost: {lost}", RETRY_AFTER[0]))
        return None
