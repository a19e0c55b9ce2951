"""Arbitrary JSON sent to a live host over loopback: whatever a seat sends, as its hello or once
seated (unknown fields, huge numbers, NaN, deep nesting, actions of every type with any fields), the
host answers it (an `error`, a `refused`, or a view when it took a decision), never fails a
connection with an exception, and goes on serving. The host runs in a thread of its own, with its
own event loop, so that Hypothesis drives it from a plain test."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytest.importorskip("aiohttp")

import aiohttp

from tests.helpers import BUNDLED
from wargame.net import host as host_module
from wargame.net.client import SeatClient
from wargame.net.host import Host, SeatCodes
from wargame.net.protocol import _ACTIONS, Error, Refused, View
from wargame.session import Session, default_controllers
from wargame.storage import load_deck

T = TypeVar("T")

#: JSON's values, with numbers at their extremes (ints of thousands of digits, NaN, infinities).
#: Values an action's field might really hold: seats, a response, a position, a number.
PLAUSIBLE = st.sampled_from(["POL", "EST", "DEU", "facilitator", "spectator", "deploy", "support", "", 1, -3])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**4000), max_value=10**4000)
    | st.floats()
    | st.text(max_size=40)
    | PLAUSIBLE
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def _field_values(name: str) -> st.SearchStrategy[Any]:
    """What a field of an action is given: mostly a seat for the seat fields (so that actions reach
    the rules, the seated seat's own or another's), else anything."""
    if name in ("nation", "seat"):
        return st.sampled_from(["POL", "EST"]) | VALUES
    return PLAUSIBLE | VALUES


ACTIONS = st.sampled_from(sorted(_ACTIONS)).flatmap(
    lambda tag: st.fixed_dictionaries(
        {field.name: _field_values(field.name) for field in attrs.fields(_ACTIONS[tag])},
        optional={"extra": VALUES},
    ).map(lambda fields: {"type": tag, **fields})
)
MESSAGES = (
    VALUES
    | st.fixed_dictionaries(
        {"type": st.just("act"), "action": ACTIONS},
        optional={"turn": PLAUSIBLE | VALUES, "x": VALUES},
    )
    | st.fixed_dictionaries(
        {"type": st.sampled_from(["act", "hello", "view", "welcome", ""])},
        optional={"action": VALUES, "turn": VALUES, "code": VALUES, "protocol": VALUES, "x": VALUES},
    )
).map(lambda value: json.dumps(value))
TEXTS = MESSAGES | st.text(max_size=200)
DEEP = "[" * 8000 + "]" * 8000


class Served:
    """A host of the bundled deck, serving POL and EST, in a thread with its own event loop."""

    def __init__(self, saves: Path) -> None:
        deck = load_deck(BUNDLED)
        self.session = Session.new(BUNDLED, deck, 3, default_controllers(deck, ["POL", "EST"]), saves)
        self.codes = SeatCodes.new(["POL", "EST"])
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.host = Host(self.session, self.codes)
        self.port = self.run(self.host.start("127.0.0.1", 0))
        self.seat: SeatClient = self.run(SeatClient.join(f"127.0.0.1:{self.port}", self.codes.codes["POL"]))

    def run(self, work: Coroutine[Any, Any, T], timeout: float = 20) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout)

    def stop(self) -> None:
        self.run(self.seat.close())
        self.run(self.host.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    patch = pytest.MonkeyPatch()
    # Many messages, many wrong codes from one address: this test is not about the limits.
    patch.setattr(host_module, "RATE", 1e9)
    patch.setattr(host_module, "SHUT_OUT_AFTER", 10**9)
    patch.setattr(host_module, "FREE_TRIES", 10**9)
    hosted = Served(tmp_path_factory.mktemp("fuzz"))
    yield hosted
    hosted.stop()
    patch.undo()


class Failures(logging.Handler):
    """The host's log records of a connection that failed with an exception."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def failures() -> Iterator[Failures]:
    handler = Failures()
    logger = logging.getLogger("wargame.net")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=TEXTS)
@example(text=DEEP)
@example(text=json.dumps({"type": "act", "action": {"type": "pass", "nation": "POL"}, "turn": 10**4000}))
@example(text='{"type": "act", "action": {"type": "adjust-stat", "nation": "POL", "delta": NaN}}')
def test_whatever_a_seated_seat_sends_is_answered_and_the_host_goes_on(
    served: Served, failures: Failures, text: str
) -> None:
    seat = served.seat
    served.run(seat.send_raw(text))
    answer = served.run(seat.receive(timeout=10))
    assert isinstance(answer, Error | Refused | View)
    assert failures.records == []
    assert not served.host._seats["POL"].socket.closed  # still seated


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=TEXTS)
@example(text=DEEP)
@example(text='{"type": "hello", "code": ["K7M-4QX"], "protocol": 1}')
@example(text='{"type": "hello", "code": "K7M-4QX", "protocol": 1e400}')
def test_whatever_a_connection_sends_as_its_hello_is_answered_and_the_host_goes_on(
    served: Served, failures: Failures, text: str
) -> None:
    async def hello() -> tuple[dict[str, Any], bool]:
        async with aiohttp.ClientSession() as http:
            socket = await http.ws_connect(f"ws://127.0.0.1:{served.port}/seat")
            await socket.send_str(text)
            answer = await socket.receive(timeout=10)
            closed = await socket.receive(timeout=10)
            await socket.close()
            return json.loads(answer.data), closed.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)

    answer, closed = served.run(hello())
    if answer["type"] == "welcome":  # a code that happened to be right: not for this test to judge
        return
    assert answer["type"] in ("error", "refused") and closed
    assert failures.records == []
    assert "POL" in served.host.connected()  # the seated seat is still served
