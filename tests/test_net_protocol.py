"""The seats' message format: every value round-trips through the one converter, and anything else is
refused with a sentence (never another exception)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import RED
from wargame import ai
from wargame.engine import apply, start_game
from wargame.engine.views import FACILITATOR, SPECTATOR, event_view, seats, view
from wargame.model import InjectCard
from wargame.net.protocol import (
    MAX_SEAT_MESSAGE,
    Act,
    Error,
    Hello,
    ProtocolError,
    Refused,
    Timer,
    View,
    Welcome,
    decode_host_message,
    decode_seat_message,
    encode,
    seat_url,
)
from wargame.storage import load_deck


def _game() -> list:
    deck = load_deck(RED)
    state, events = start_game(deck, 3, {"POL": "human"})
    states, log = [state], list(events)
    state, more = apply(state, InjectCard("rules"))
    log += more
    while state.pending is not None:
        action = ai.choose(state, state.pending.seat)
        assert decode_seat_message(encode(Act(action, state.turn))) == Act(action, state.turn)
        state, more = apply(state, action)
        states.append(state)
        log += more
    return [deck, states, log]


def test_every_seats_view_and_events_round_trip_at_every_turn() -> None:
    deck, states, log = _game()
    for state in states:
        for seat in (*seats(deck), SPECTATOR):
            shown = View(
                view(state, seat), 0, tuple(event_view(event, seat, deck) for event in log), "POL", ("POL",),
                held=True, timer=Timer("POL", 12.5, False, False), over=state.pending is None,
            )  # fmt: skip
            assert decode_host_message(encode(shown), deck) == shown
            assert (json.loads(encode(shown))["state"]["seed"] == 0) == (seat != FACILITATOR)


def test_the_other_host_messages_round_trip() -> None:
    for message in (
        Welcome("POL", "Poland", "red.toml", "[deck]\n", ("POL", "EST")),
        Refused("it is not Poland's decision"),
        Refused("it is not Poland's decision: Estonia decides now", None, "not-your-turn"),
        Error("the message is not JSON"),
    ):
        assert decode_host_message(encode(message), None) == message
    assert decode_seat_message(encode(Hello("K7M-4QX"))) == Hello("K7M-4QX")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{", "not JSON"),
        ("[]", "not a JSON object"),
        ('{"code": "x"}', 'no "type"'),
        ('{"type": "hello"}', '"code"'),
        ('{"type": "hello", "code": "x", "protocol": true}', "protocol"),
        ('{"type": "act"}', "action"),
        ('{"type": "act", "action": {"type": "pass"}}', "missing nation"),
        ('{"type": "act", "action": {"type": "pass", "nation": "POL", "x": 1}}', "action (pass)"),
        (
            '{"type": "act", "action": {"type": "take-position", "nation": "POL", "position": "maybe"}}',
            "maybe",
        ),
        ('{"type": "act", "action": {"type": "pass", "nation": "POL"}, "turn": 1.5}', "turn"),
        ('{"type": "act", "action": {"type": "pass", "nation": "POL"}, "seat": "EST"}', "unknown fields"),
        ('{"type": "view"}', "unknown message type"),
        pytest.param("x" * (MAX_SEAT_MESSAGE + 1), "too long", id="too-long"),
        pytest.param("[" * 10_000, "not JSON", id="too-deep"),
    ],
)
def test_a_malformed_seat_message_is_refused_with_a_sentence(text: str, says: str) -> None:
    with pytest.raises(ProtocolError) as refused:
        decode_seat_message(text)
    assert says in str(refused.value)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["type", "action", "code", "turn", "nation", "x"]), inner, max_size=4
        )
    ),
    max_leaves=20,
)


@given(st.one_of(st.text(max_size=300), _JSON.map(json.dumps)))
def test_anything_a_seat_sends_is_read_or_refused_as_a_protocol_error(text: str) -> None:
    try:
        message = decode_seat_message(text)
    except ProtocolError as refused:
        assert str(refused)
    else:
        assert isinstance(message, Hello | Act)


def test_a_seat_url_from_what_a_team_types() -> None:
    assert seat_url("192.168.1.20:8765") == "ws://192.168.1.20:8765/seat"
    assert seat_url(" http://host:1/ ") == "ws://host:1/seat"
    assert seat_url("https://host/seat") == "wss://host/seat"
    assert seat_url("ws://host:2/elsewhere") == "ws://host:2/elsewhere"


def test_the_network_layer_loads_no_ui() -> None:
    code = "import sys, wargame.net.host, wargame.net.client; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
