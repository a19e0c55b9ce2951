"""The digest of a game as played: a SHA-256 chain over its set-up and every action with its events.

    link 0 = SHA-256("eastern-flank game digest 1\\n" + canonical(set-up))
    link N = SHA-256(link N-1 + canonical([action N, its events]))

The set-up is the seed, the controllers of every seat (as text; the adversary's too, when the deck
has one), the SHA-256 of the deck's file and the events of the set-up. Every action is covered, the
adversary's plays and the facilitator's vetoes included, with every event, the ones of rules v2 too
(the cards drawn into the adversary's hand, its plays and stats, reveals, claims, sealed votes): all
are attrs classes that `canonical` writes field by field. The secret truth of an incident is not an
event until it is revealed, but it is drawn from the seed and the actions, so the chain covers it.

A save keeps the last link in full and the first `SHORT` hex digits of every link as a
checkpoint, so that loading, which computes the chain again while it replays, says at which action
the replayed game first parts from the saved one.

This is integrity against accidents and casual edits, not a signature: anyone with the file and the
program can compute the chain of an edited game. Everything that goes in is text in a fixed order
(`canonical`), so the digest is the same on every machine, in every process, whatever PYTHONHASHSEED.
A change to the engine that changes the events of a game changes its digest too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum

import attrs

from wargame.engine import apply, start_game
from wargame.model import Action, Controller, Deck, GameState
from wargame.model.events import Event

#: Hex digits of each checkpoint: 32 bits are plenty to find where a game was changed, and the full
#: digest of the last link still covers the whole game.
SHORT = 8
_PREFIX = b"eastern-flank game digest 1\n"


def canonical(value: object) -> str:
    """The canonical text of a value for the digest: JSON with sorted keys, no spaces, ASCII only.

    An attrs class with a text of its own (a `Cause`, a controller) is that text; any other attrs class
    (an action, an event) is `[class name, {field: value}]`; a mapping is an object with text keys, a
    tuple or a list an array, an enum its value. Never `repr`, which nothing promises to keep.
    """
    return json.dumps(
        _plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    )


_SCALARS = frozenset({str, int, float, bool, type(None)})


_FIELDS: dict[type, tuple[tuple[str, bool], ...] | None] = {}


def _fields(cls: type) -> tuple[tuple[str, bool], ...] | None:
    """The fields of an attrs class written as `[name, {field: value}]`, each with whether it came
    later (`LATER_FIELD`: left out while None); None for any other class (cached)."""
    if cls not in _FIELDS:
        plain = attrs.has(cls) and cls.__str__ is object.__str__
        _FIELDS[cls] = (
            tuple((field.name, bool(field.metadata.get("later"))) for field in attrs.fields(cls))
            if plain
            else None
        )
    return _FIELDS[cls]


def _plain(value: object) -> object:
    cls = type(value)
    if cls in _SCALARS:
        return value
    fields = _fields(cls)
    if fields is not None:
        # A field added later is left out while None, so the games played before it keep their digest.
        return [
            cls.__name__,
            {
                name: _plain(item)
                for name, later in fields
                if (item := getattr(value, name)) is not None or not later
            },
        ]
    if isinstance(value, Enum):
        return value.value
    if attrs.has(cls):  # a class with a text of its own
        return str(value)
    if isinstance(value, str | int | float):
        return value
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    raise TypeError(f"no canonical text for a {cls.__name__}")


def setup_link(
    seed: int, controllers: Mapping[str, Controller], deck_sha256: str, events: Iterable[Event]
) -> bytes:
    """Link 0 of the chain: the game's set-up."""
    setup = [
        "set-up",
        seed,
        {nation: str(who) for nation, who in controllers.items()},
        deck_sha256,
        list(events),
    ]
    return hashlib.sha256(_PREFIX + canonical(setup).encode("ascii")).digest()


def next_link(previous: bytes, action: Action, events: Iterable[Event]) -> bytes:
    """The link after `previous` for an action and the events it produced."""
    return hashlib.sha256(previous + canonical([action, list(events)]).encode("ascii")).digest()


def short(link: bytes) -> str:
    """A link's checkpoint: its first `SHORT` hex digits."""
    return link.hex()[:SHORT]


@attrs.frozen
class _Chained:
    """A game's chain as far as it was last computed, and the state it reached there."""

    game: tuple[Deck, int, tuple[tuple[str, str], ...], str]  # deck, seed, controllers, deck hash
    actions: tuple[Action, ...]
    state: GameState
    links: tuple[bytes, ...]


#: The last chain computed: a session autosaves after every decision with one action more, so only
#: that action is replayed and chained (an undo computes the chain again from the start).
_last: _Chained | None = None


def game_chain(
    deck: Deck, seed: int, controllers: Mapping[str, Controller], deck_sha256: str, actions: Sequence[Action]
) -> tuple[bytes, ...]:
    """Every link of a game's chain, the set-up's first, by replaying its actions (legal ones, else
    `IllegalActionError`)."""
    global _last
    game = (deck, seed, tuple((nation, str(who)) for nation, who in controllers.items()), deck_sha256)
    actions = tuple(actions)
    last = _last
    if (
        last is not None
        and last.game[0] is deck
        and last.game[1:] == game[1:]
        and last.actions == actions[: len(last.actions)]
    ):
        state, links, done = last.state, list(last.links), len(last.actions)
    else:
        state, events = start_game(deck, seed, controllers)
        links, done = [setup_link(seed, controllers, deck_sha256, events)], 0
    for action in actions[done:]:
        state, events = apply(state, action)
        links.append(next_link(links[-1], action, events))
    _last = _Chained(game, actions, state, tuple(links))
    return _last.links
