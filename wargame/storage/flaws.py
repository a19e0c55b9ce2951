"""What every pass of `deck check` reports: a flaw at a path inside the deck, and how to word it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import get_close_matches
from typing import Literal

from attrs import frozen

from wargame.storage.converter import quote

__all__ = ["Flaw", "Path", "PathPart", "Severity", "did_you_mean", "format_path"]

PathPart = str | int
Path = tuple[PathPart, ...]
Severity = Literal["error", "warning"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@frozen
class Flaw:
    """Something wrong at a place in a deck, before it is tied to a file and a line."""

    path: Path
    """Where, as keys and 0-based indices: `("cards", 3, "responses", 1, "cost")`."""
    message: str
    """What is wrong, lower-case first, quoting the input."""
    spot: Path | None = None
    """Where to look for the line when it is not `path` (a bad key inside the table at `path`)."""
    severity: Severity = "error"
    """"error" (the deck cannot be played) or "warning" (it can, but probably not as meant)."""


def format_path(path: Iterable[PathPart]) -> str:
    """`cards[3].responses[1].effects.tracks`; keys that are not bare TOML keys are quoted."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        key = part if _BARE_KEY.fullmatch(part) else quote(part)
        out += f".{key}" if out else key
    return out


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """` (did you mean "x"?)` for the closest known word, or nothing."""
    close = get_close_matches(word, list(known), n=1)
    return f" (did you mean {quote(close[0])}?)" if close else ""
