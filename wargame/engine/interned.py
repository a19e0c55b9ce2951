"""Decisions and events made once: frozen values the engine builds again and again, reused.

Building a frozen attrs value costs about three dictionary look-ups (one `object.__setattr__` per
field). Decisions and events are values, compared by their fields and never by identity, so an equal
one made before serves again: a lab game builds some 250 of them, and most were met in earlier
games. Each memo is emptied when full, so memory stays flat.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from wargame.model.events import Cause, TrackMoved

#: How many values each memo keeps.
MEMO_SIZE = 65_536

Value = TypeVar("Value")

_MADE: dict[tuple[Hashable, ...], object] = {}
_TRACK_MOVES: dict[tuple[str, int, int, int], TrackMoved] = {}


def interned(kind: Callable[..., Value], *fields: Hashable) -> Value:
    """`kind(*fields)`, or an equal value made before. The fields must hash cheaply (text, numbers,
    tuples of them): a frozen attrs field would hash in Python, which costs what is saved."""
    key = (kind, *fields)
    found = _MADE.get(key)
    if found is None:
        if len(_MADE) >= MEMO_SIZE:
            _MADE.clear()
        found = _MADE[key] = kind(*fields)
    return found  # type: ignore[return-value]


def track_moved(track: str, before: int, after: int, cause: Cause) -> TrackMoved:
    """`TrackMoved(track, before, after, cause)`, or the same event made before. The cause is keyed by
    identity (the engine makes each cause once): the event kept holds it, so its id is not reused."""
    key = (track, before, after, id(cause))
    found = _TRACK_MOVES.get(key)
    if found is None or found.cause is not cause:
        if len(_TRACK_MOVES) >= MEMO_SIZE:
            _TRACK_MOVES.clear()
        found = _TRACK_MOVES[key] = TrackMoved(track, before, after, cause)
    return found
