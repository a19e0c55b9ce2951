"""The one message format between a host and its seats: JSON text frames over a websocket.

A host (`wargame host`) runs the one authoritative game; each seat (`wargame join`, a browser seat, a
spectator's projector) connects to `ws://ADDRESS:PORT/seat` (`seat_url`) and speaks this protocol.
Every message is one JSON object in one text frame, with a `"type"` naming it. The engine's values in
it (actions, events, a seat's view of the state) are written by the project's one cattrs converter
(`wargame.storage.converter`), each value of a union tagged with its class's `"type"` (see below).

Seat -> host (at most `MAX_SEAT_MESSAGE` bytes each, at most `RATE` a second on average, bursts of
`BURST`; more is answered with an `error` and, far beyond, the connection is closed):

    {"type": "hello", "code": "K7M-4QX", "protocol": 1}
        The first message: take the seat of this code (dashes, spaces and case do not matter). A
        wrong code gets `refused` and the connection is closed; an address that keeps sending wrong
        codes is answered more slowly and then refused outright for a while.
    {"type": "act", "action": ACTION, "turn": 12}
        Make a decision for this seat. `turn` (optional, may be null) is the `state.turn` of the view
        the seat decided in: when the game has moved on since, the action is refused as stale, so a
        double press never decides twice (not checked for a vote or position sent before its
        turn). A seat may only act for itself (a nation's actions name the
        nation, the adversary's `play-card` its seat), never for the facilitator, and only when the
        decision is its own; the one exception is simultaneous voting: while a sealed council vote,
        a consensus council's answers or a consultation's positions are being collected, every seat
        still to decide may send its decision at once. The host keeps it (the view says
        `"held": true`) and applies it when the engine reaches that seat, in the engine's order.
        Anything else is answered with `refused`, and logged by the host.

Host -> seat:

    {"type": "welcome", "protocol": 1, "seat": "POL", "name": "Poland",
     "deck_name": "eastern-flank-2025.toml", "deck_toml": "...", "seats": ["POL", "EST", ...]}
        The answer to a right code. `deck_toml` is the deck's whole TOML text, so a machine without
        the deck loads it (`wargame.storage.load_deck_text`); the views that follow are read with it.
        `seat` is a nation's id, the adversary's, or `"spectator"` (the public view: tracks, postures,
        the log, whose turn it is; it never acts). A `view` follows at once.
    {"type": "view", "state": STATE, "first_event": 0, "events": [EVENT, ...], "pending": "EST",
     "waiting_for": ["EST", "LVA"], "held": false, "timer": TIMER | null, "over": false}
        The game as this seat may see it, sent after every change and on (re)joining. `state` is
        `wargame.engine.views.view(state, seat)` without its deck (the deck is the welcome's).
        `events` are the game's events from index `first_event` of the host's event log on, each as
        `event_view` shows it to this seat: a client keeps its log, cuts it to `first_event` events
        and appends these (the first view after a welcome, or after the facilitator's undo, starts
        at 0 with the whole log). `pending` is the seat whose decision is pending (null once the game
        is over); `waiting_for` the seats the game waits for now (more than one while votes or
        positions are collected at once); `held` whether this seat's early vote is kept for its turn.
        `timer` is the decision timer: {"seat": "EST", "seconds_left": 41.5, "paused": false,
        "expired": false}, or null when no decision is timed.
    {"type": "refused", "reason": "it is not Poland's decision: Estonia decides now",
     "code": "not-your-turn", "action": ACTION | null}
        The host did not take the hello or the action; `reason` is a sentence for the team, `code`
        why, for programs (`wargame.net.refusals.SeatRefusalCode`: "wrong-code", "shut-out",
        "no-hello", "other-protocol", "foreign-page", "foreign-name", "full" (too many spectators)
        for a hello; "spectator", "facilitator-only", "other-seat", "game-over", "already-in",
        "stale", "not-your-turn", "rules" (the engine's rules refuse it), "no-longer-applies",
        "closed-before-turn" for an action). A client reads a missing `code` as null.
    {"type": "error", "message": "..."}
        The message could not be read (not JSON, too long, an unknown type, a malformed action,
        too many messages). The connection stays open unless the host says otherwise by closing it.

Values:

    ACTION  {"type": "choose-response", "nation": "POL", "response": "deploy"} — the action's class
            name in kebab case (as in saves' [[actions]]) and its fields, as the converter writes them.
    EVENT   {"type": "vote-cast", "card": "...", "response": "?", "nation": "EST"} — the same for events.
    STATE   every field of `GameState` but `deck`, as the converter writes it, except: `pending` is a
            tagged decision ({"type": "respond-decision", ...}) or null, `controllers` maps each seat to
            its controller's text ("human", "ai:hawk", "ai:hawk:planner"), `let_go` is a sorted list.
            What the seat may not see is already out of it: the draw pile's order, the PRNG, the seed
            (0), the adversary's hand and hidden truths from the nations, others' sealed votes.

A browser seat's process (the host starts one per browser, `wargame.net.web`) connects from the
host's own machine; it adds the header `X-Wargame-Browser: TOKEN ADDRESS` (from its environment,
`WARGAME_BROWSER_SEAT`) so that the host counts wrong codes against the browser's address. The host
believes it only from loopback and with its own token.

Closing: the host closes a seat's connection with code 4001 after a refused hello, 4002 when another
connection took the same seat (the newest wins: a team that rejoins from another machine), 4003 when
an address is refused for too many wrong codes, 1009 for a frame over the limit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from enum import Enum
from typing import Any, Final, get_args, get_type_hints

import attrs
from attrs import frozen

from wargame.engine.views import SPECTATOR
from wargame.model import ACTION_TYPES, Action, Deck, GameState, parse_controller
from wargame.model.events import Event
from wargame.model.game import Decision
from wargame.storage.converter import converter

__all__ = [
    "BROWSER_ENV",
    "BROWSER_HEADER",
    "BURST",
    "CLOSE_REFUSED",
    "CLOSE_REPLACED",
    "CLOSE_SHUT_OUT",
    "MAX_HOST_MESSAGE",
    "MAX_SEAT_MESSAGE",
    "PATH",
    "PROTOCOL",
    "RATE",
    "SPECTATOR",
    "Act",
    "Error",
    "Hello",
    "HostMessage",
    "ProtocolError",
    "Refused",
    "SeatMessage",
    "Timer",
    "View",
    "Welcome",
    "decode_action",
    "decode_event",
    "decode_host_message",
    "decode_seat_message",
    "decode_state",
    "encode",
    "encode_action",
    "encode_event",
    "encode_state",
    "seat_url",
]

#: The protocol's version: a host refuses a hello of another.
PROTOCOL: Final = 1
#: The websocket's path on the host.
PATH: Final = "/seat"
#: The longest message a seat may send, in bytes: an action is a few hundred.
MAX_SEAT_MESSAGE: Final = 16 * 1024
#: The longest message a host sends, in bytes (a welcome holds the deck's text; a view after a long
#: game, its whole log): what a client accepts.
MAX_HOST_MESSAGE: Final = 16 * 1024 * 1024
#: The messages a seat may send a second on average, and in a burst.
RATE: Final = 10.0
BURST: Final = 30
#: The header a browser seat's process (started by the host, `wargame.net.web`) connects with:
#: "TOKEN ADDRESS", the host's relay token and the browser's address (`BROWSER_ENV` holds it).
BROWSER_HEADER: Final = "X-Wargame-Browser"
BROWSER_ENV: Final = "WARGAME_BROWSER_SEAT"
#: Websocket close codes the host uses (4000-4999 are the application's).
CLOSE_REFUSED: Final = 4001
CLOSE_REPLACED: Final = 4002
CLOSE_SHUT_OUT: Final = 4003


class ProtocolError(ValueError):
    """A message that is not one of this protocol's; the text says what is wrong with it."""


# --- the messages ------------------------------------------------------------------------------------


@frozen
class Hello:
    """Seat -> host: take the seat of this code."""

    code: str
    protocol: int = PROTOCOL


@frozen
class Act:
    """Seat -> host: this seat's decision, made in the view of `turn` (None: whatever the turn)."""

    action: Action
    turn: int | None = None


@frozen
class Welcome:
    """Host -> seat: the code is right; the seat, and the deck to read the game with."""

    seat: str
    name: str
    deck_name: str
    deck_toml: str
    seats: tuple[str, ...]
    protocol: int = PROTOCOL


@frozen
class Timer:
    """The decision timer as a seat sees it."""

    seat: str
    seconds_left: float
    paused: bool
    expired: bool


@frozen
class View:
    """Host -> seat: the game as the seat may see it, and the events since its last view."""

    state: GameState
    first_event: int
    events: tuple[Event, ...]
    pending: str | None
    waiting_for: tuple[str, ...]
    held: bool = False
    timer: Timer | None = None
    over: bool = False


@frozen
class Refused:
    """Host -> seat: a hello or an action not taken, and why: in a sentence, and as a code (a
    `wargame.net.refusals.SeatRefusalCode` value; None from a host that sends none)."""

    reason: str
    action: Action | None = None
    code: str | None = None


@frozen
class Error:
    """Host -> seat: a message that could not be read, and why."""

    message: str


SeatMessage = Hello | Act
HostMessage = Welcome | View | Refused | Error

_MESSAGE_TAGS: dict[type, str] = {
    Hello: "hello", Act: "act", Welcome: "welcome", View: "view", Refused: "refused", Error: "error",
}  # fmt: skip


# --- tagged values ------------------------------------------------------------------------------------


def _tag(cls: type) -> str:
    """`ChooseResponse` -> `choose-response` (the tags saves use for actions)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", cls.__name__).lower()


_ACTIONS: dict[str, type] = {_tag(cls): cls for cls in ACTION_TYPES}
_EVENTS: dict[str, type] = {_tag(cls): cls for cls in get_args(Event)}
_DECISIONS: dict[str, type] = {_tag(cls): cls for cls in get_args(Decision)}


def _tagged(value: Any) -> dict[str, Any]:
    return {"type": _tag(type(value)), **converter.unstructure(value)}


def _untagged(data: object, kinds: Mapping[str, type], what: str) -> Any:
    if not isinstance(data, Mapping):
        raise ProtocolError(f"{what}: expected an object, got {type(data).__name__}")
    tag = data.get("type")
    if not isinstance(tag, str) or tag not in kinds:
        raise ProtocolError(f"{what}: unknown type {tag!r}")
    fields = {key: value for key, value in data.items() if key != "type"}
    cls = kinds[tag]
    for name, hint in get_type_hints(cls).items():  # null may be left out
        if type(None) in get_args(hint):
            fields.setdefault(name, None)
    try:
        return converter.structure(fields, cls)
    except Exception as error:  # cattrs' exception groups: one sentence is enough on the wire
        raise ProtocolError(f"{what} ({tag}): {_first_reason(error)}") from None


def _first_reason(error: BaseException) -> str:
    inner = getattr(error, "exceptions", None)
    if inner:
        return _first_reason(inner[0])
    if isinstance(error, KeyError):
        return f"missing {error.args[0]}"
    return str(error) or type(error).__name__


def encode_action(action: Action) -> dict[str, Any]:
    """An action as the protocol writes it."""
    return _tagged(action)


def decode_action(data: object) -> Action:
    """An action the protocol wrote; `ProtocolError` if it is not one."""
    action: Action = _untagged(data, _ACTIONS, "action")
    return action


def encode_event(event: Event) -> dict[str, Any]:
    """An event as the protocol writes it."""
    return _tagged(event)


def decode_event(data: object) -> Event:
    """An event the protocol wrote; `ProtocolError` if it is not one."""
    event: Event = _untagged(data, _EVENTS, "event")
    return event


_STATE_FIELDS = tuple(field for field in attrs.fields(GameState) if field.name != "deck")
_STATE_HINTS = get_type_hints(GameState)


def encode_state(state: GameState) -> dict[str, Any]:
    """A state (a seat's view of it) without its deck, as the protocol writes it."""
    data: dict[str, Any] = {}
    for field in _STATE_FIELDS:
        value = getattr(state, field.name)
        if field.name == "pending":
            data["pending"] = None if value is None else _tagged(value)
        elif field.name == "controllers":
            data["controllers"] = {seat: str(controller) for seat, controller in value.items()}
        elif field.name == "let_go":
            data["let_go"] = sorted(value)
        else:
            data[field.name] = converter.unstructure(value, unstructure_as=_STATE_HINTS[field.name])
    return data


def decode_state(data: object, deck: Deck) -> GameState:
    """A state the protocol wrote, on this deck; `ProtocolError` if it is not one."""
    if not isinstance(data, Mapping):
        raise ProtocolError("state: expected an object")
    missing = [field.name for field in _STATE_FIELDS if field.name not in data]
    if missing:
        raise ProtocolError(f"state: missing {', '.join(missing)}")
    values: dict[str, Any] = {"deck": deck}
    for field in _STATE_FIELDS:
        value = data[field.name]
        try:
            if field.name == "pending":
                values["pending"] = None if value is None else _untagged(value, _DECISIONS, "pending")
            elif field.name == "controllers":
                values["controllers"] = {
                    str(seat): parse_controller(str(text)) for seat, text in value.items()
                }
            else:
                values[field.name] = converter.structure(value, _STATE_HINTS[field.name])
        except ProtocolError:
            raise
        except Exception as error:
            raise ProtocolError(f"state: {field.name}: {_first_reason(error)}") from None
    return GameState(**values)


# --- whole messages -------------------------------------------------------------------------------------


def _json_default(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def encode(message: SeatMessage | HostMessage) -> str:
    """A message as the JSON text of one websocket frame."""
    data: dict[str, Any] = {"type": _MESSAGE_TAGS[type(message)]}
    if isinstance(message, Act):
        data |= {"action": encode_action(message.action), "turn": message.turn}
    elif isinstance(message, View):
        data |= {
            "state": encode_state(message.state),
            "first_event": message.first_event,
            "events": [encode_event(event) for event in message.events],
            "pending": message.pending,
            "waiting_for": list(message.waiting_for),
            "held": message.held,
            "timer": None if message.timer is None else converter.unstructure(message.timer),
            "over": message.over,
        }
    elif isinstance(message, Refused):
        data |= {"reason": message.reason, "code": message.code}
        data["action"] = None if message.action is None else encode_action(message.action)
    else:
        data |= converter.unstructure(message)
    return json.dumps(data, default=_json_default, separators=(",", ":"))


def _read_json(text: str | bytes, limit: int) -> dict[str, Any]:
    if len(text) > limit:
        raise ProtocolError(f"the message is too long ({len(text)} bytes; at most {limit})")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ProtocolError(f"the message is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise ProtocolError("the message is not a JSON object")
    if not isinstance(data.get("type"), str):
        raise ProtocolError('the message has no "type"')
    return data


def _field(data: Mapping[str, Any], name: str, kind: type | tuple[type, ...], what: str) -> Any:
    value = data.get(name)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise ProtocolError(f'{what}: "{name}" is missing or of the wrong type')
    return value


def decode_seat_message(text: str | bytes) -> SeatMessage:
    """What a seat sent; `ProtocolError` saying what is wrong with it otherwise (never anything else)."""
    data = _read_json(text, MAX_SEAT_MESSAGE)
    kind = data["type"]
    extra = set(data) - {"type", "code", "protocol", "action", "turn"}
    if extra:
        raise ProtocolError(f"{kind}: unknown fields {', '.join(sorted(extra))}")
    if kind == "hello":
        code = _field(data, "code", str, "hello")
        protocol = data.get("protocol", PROTOCOL)
        if not isinstance(protocol, int) or isinstance(protocol, bool):
            raise ProtocolError('hello: "protocol" must be an integer')
        return Hello(code[:64], protocol)
    if kind == "act":
        turn = data.get("turn")
        if turn is not None and (not isinstance(turn, int) or isinstance(turn, bool)):
            raise ProtocolError('act: "turn" must be an integer or null')
        return Act(decode_action(data.get("action")), turn)
    raise ProtocolError(f"unknown message type {kind!r} (a seat sends hello or act)")


def decode_host_message(text: str | bytes, deck: Deck | None) -> HostMessage:
    """What a host sent; a `view` needs the deck of the welcome. `ProtocolError` otherwise."""
    data = _read_json(text, MAX_HOST_MESSAGE)
    kind = data["type"]
    try:
        if kind == "welcome":
            return Welcome(
                _field(data, "seat", str, kind), _field(data, "name", str, kind),
                _field(data, "deck_name", str, kind), _field(data, "deck_toml", str, kind),
                tuple(_field(data, "seats", list, kind)), _field(data, "protocol", int, kind),
            )  # fmt: skip
        if kind == "view":
            if deck is None:
                raise ProtocolError("a view came before the welcome")
            timer = data.get("timer")
            return View(
                decode_state(data.get("state"), deck),
                _field(data, "first_event", int, kind),
                tuple(decode_event(event) for event in _field(data, "events", list, kind)),
                data.get("pending"),
                tuple(_field(data, "waiting_for", list, kind)),
                bool(data.get("held", False)),
                None if timer is None else converter.structure(timer, Timer),
                bool(data.get("over", False)),
            )
        if kind == "refused":
            action = data.get("action")
            reason = _field(data, "reason", str, kind)
            code = data.get("code")
            if code is not None and not isinstance(code, str):
                raise ProtocolError('refused: "code" must be a string or null')
            return Refused(reason, None if action is None else decode_action(action), code)
        if kind == "error":
            return Error(_field(data, "message", str, kind))
    except ProtocolError:
        raise
    except Exception as error:
        raise ProtocolError(f"{kind}: {_first_reason(error)}") from None
    raise ProtocolError(f"unknown message type {kind!r}")


def seat_url(address: str) -> str:
    """The websocket URL of a host's seats from what a team types: `192.168.1.20:8765`,
    `ws://192.168.1.20:8765` or the full URL (`http(s)` becomes `ws(s)`)."""
    address = address.strip()
    if "://" not in address:
        address = f"ws://{address}"
    address = re.sub(r"^http(s?)://", r"ws\1://", address)
    scheme, rest = address.split("://", 1)
    host, _, path = rest.partition("/")
    return f"{scheme}://{host}{'/' + path if path else PATH}"
