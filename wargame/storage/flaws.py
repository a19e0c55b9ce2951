"""What every pass of `deck check` reports: a flaw at a path inside the deck, and how to word it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import get_close_matches
from typing import Literal

from attrs import frozen

from wargame.storage.converter import quote

__all__ = ["Flaw", "Path", "PathPart", "Severity", "did_you_mean", "format_path", "hint", "one_of"]

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
    """` (did you mean "x"?)` for the closest known word, or nothing. Case counts for nothing in
    the likeness: "mda" is close to "MDA" (difflib alone finds no letter in common)."""
    folded: dict[str, str] = {}
    for each in known:
        folded.setdefault(each.casefold(), each)
    close = get_close_matches(word.casefold(), list(folded), n=1)
    return f" (did you mean {quote(folded[close[0]])}?)" if close else ""


def one_of(words: Iterable[str], last: str = "or") -> str:
    """`"a", "b" or "c"`: the words, quoted."""
    quoted = [quote(word) for word in words]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + f" {last} " + quoted[-1]


#: The most known words a hint lists; more are no help to read.
MAX_LISTED = 12


def hint(word: str, known: Iterable[str]) -> str:
    """` (did you mean "x"?)` for the closest known word; else `: expected one of ...` listing the
    known words (when there are a few), so that a designer need not look them up."""
    words = list(known)
    close = did_you_mean(word, words)
    if close or not words or len(words) > MAX_LISTED:
        return close
    return f": expected one of {one_of(words)}"
