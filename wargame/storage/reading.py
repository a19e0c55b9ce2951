"""Reading a deck or save file without trusting it: bounded in size, in nesting and in key length.

A file named by a user may be anything: a folder, a named pipe that blocks whoever opens it, a device
that never ends, a file of gigabytes. `read_capped` reads only a regular file, never more than its
limit, and never blocks on opening. `check_shape` then refuses, in one linear pass, the TOML that
makes tomllib slow or crash: arrays and inline tables nested too deep (tomllib recurses, and raises
RecursionError at about 330 levels) and dotted keys or table headers of too many parts (tomllib's
time grows with the square of their length). Valid decks and saves stay far inside every bound.
"""

from __future__ import annotations

import os
import re
import stat

__all__ = [
    "DECK_LIMIT",
    "MAX_DEPTH",
    "MAX_KEY_PARTS",
    "SAVE_LIMIT",
    "FileRefused",
    "TextRefused",
    "check_shape",
    "read_capped",
]

#: The largest deck file read, in bytes: 1 MiB, 17 times the largest bundled deck (60 KB). tomllib
#: reads about a megabyte a second, slower on hostile shapes within the bounds below (a few seconds).
DECK_LIMIT = 1024 * 1024
#: The largest save file read, in bytes: 1 MiB. A full 12-round game of the bundled deck saves in
#: 16 KB (240 actions) and loads and replays in 0.09 s; a facilitator's notes add a few KB.
SAVE_LIMIT = 1024 * 1024
#: The deepest nesting of arrays and inline tables (a table header counts as one level, `[[` as two).
#: The bundled and test decks nest 2 deep; tomllib recurses and fails at about 330.
MAX_DEPTH = 32
#: The most parts of a dotted key (`a.b.c` has 3) or of a table header (`[[cards.responses]]` has 2).
#: The bundled and test decks use 2; tomllib's time grows with the square of a key's parts and its table's.
MAX_KEY_PARTS = 16

_CHUNK = 1024 * 1024
# Opening a named pipe for reading waits for a writer, unless it is opened non-blocking.
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
)


class FileRefused(ValueError):
    """A file that is not read: its message says why, without the file's name (the caller adds it).

    `detail` is the message without "cannot be read: ", for callers that say so themselves.
    """

    def __init__(self, detail: str, unreadable: bool = False) -> None:
        super().__init__(f"cannot be read: {detail}" if unreadable else detail)
        self.detail = detail


class TextRefused(ValueError):
    """TOML text refused before parsing; `line` and `column` (from 1) say where."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def read_capped(path: str | os.PathLike[str], limit: int, what: str) -> bytes:
    """The bytes of the regular file at `path`; `FileRefused` for anything else or more than `limit`.

    `what` names the file in messages ("deck file"). The file is checked before it is opened, opened
    non-blocking (a named pipe put in its place meanwhile cannot block) and checked again once open.
    """
    name = os.fspath(path)
    try:
        status = os.stat(name)
        _check_kind(status.st_mode, what)
        _check_size(status.st_size, limit, what)
        fd = os.open(name, _OPEN_FLAGS)
        try:
            _check_kind(os.fstat(fd).st_mode, what)
            chunks: list[bytes] = []
            size = 0
            while size <= limit:  # the file may have grown since: read at most limit + 1 bytes
                chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except (FileNotFoundError, NotADirectoryError):
        raise FileRefused("no such file") from None
    except FileRefused:
        raise
    except ValueError:  # a NUL in the name, which no file has
        raise FileRefused("no such file") from None
    except OSError as error:
        text = str(error.strerror or error)
        raise FileRefused(text[:1].lower() + text[1:], unreadable=True) from None
    _check_size(size, limit, what)
    return b"".join(chunks)


def _check_kind(mode: int, what: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        kind = "a directory"
    elif stat.S_ISFIFO(mode):
        kind = "a named pipe (FIFO)"
    elif stat.S_ISCHR(mode):
        kind = "a character device"
    elif stat.S_ISBLK(mode):
        kind = "a block device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "not a regular file"
    raise FileRefused(f"is {kind}, not a {what}")


def _check_size(size: int, limit: int, what: str) -> None:
    if size > limit:
        raise FileRefused(f"is too large for a {what}: {_megabytes(size)} (at most {_megabytes(limit)})")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size % (1024 * 1024) else f"{size // 1024 // 1024} MB"


# --- the shape of the text ----------------------------------------------------------------------

# What the scan stops at: strings and comments (skipped whole, so that their brackets and dots do
# not count), brackets, and the dots of dotted keys.
_STOP = re.compile(r"[\"'#\[\]{}.]")
_BASIC = re.compile(r'(?:[^"\\\n]|\\.)*"?')
_ML_BASIC = re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""(?:"{0,2})', re.DOTALL)
_LITERAL = re.compile(r"[^'\n]*'?")
_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_DOT_PART = re.compile(rf"[ \t]*\.[ \t]*{_PART}")
_DOTTED = re.compile(rf"(?:{_DOT_PART.pattern})+")


def check_shape(text: str) -> None:
    """Refuse TOML `text` nested deeper than `MAX_DEPTH` or with a key of more than `MAX_KEY_PARTS`
    parts: `TextRefused`, at the place. Linear in the text; anything else is left to tomllib."""
    depth = 0
    pos = 0
    while (found := _STOP.search(text, pos)) is not None:
        pos = found.start()
        char = text[pos]
        if char == '"':
            if text.startswith('"""', pos):
                end = _ML_BASIC.match(text, pos + 3)
                if end is None:
                    return  # an unclosed string: tomllib says where
                pos = end.end()
            else:
                pos = _BASIC.match(text, pos + 1).end()  # type: ignore[union-attr]  # always matches
        elif char == "'":
            if text.startswith("'''", pos):
                close = text.find("'''", pos + 3)
                if close < 0:
                    return
                pos = close + 3
                while pos < close + 5 and text.startswith("'", pos):  # up to two quotes end the text
                    pos += 1
            else:
                pos = _LITERAL.match(text, pos + 1).end()  # type: ignore[union-attr]
        elif char == "#":
            pos = text.find("\n", pos)
            if pos < 0:
                return
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _refused(text, pos, f"arrays and inline tables nested more than {MAX_DEPTH} deep")
            pos += 1
        elif char in "]}":
            depth = max(depth - 1, 0)
            pos += 1
        else:  # a dot: of a dotted key, or of a number
            dotted = _DOTTED.match(text, pos)
            if dotted is None:
                pos += 1
                continue
            span = dotted.group()
            # Dots are at least the parts after the first, so only a long span needs counting.
            if span.count(".") >= MAX_KEY_PARTS and sum(1 for _ in _DOT_PART.finditer(span)) >= MAX_KEY_PARTS:
                raise _refused(text, pos, f"a dotted key or table header of more than {MAX_KEY_PARTS} parts")
            pos = dotted.end()


def _refused(text: str, pos: int, message: str) -> TextRefused:
    line_start = text.rfind("\n", 0, pos) + 1
    return TextRefused(message, text.count("\n", 0, pos) + 1, pos - line_start + 1)
