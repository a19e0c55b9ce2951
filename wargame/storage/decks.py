"""Reading deck files: TOML text to a checked `Deck`, or every problem with the file at once.

Three passes, each reporting all it finds: TOML syntax (tomllib), structure (the strict cattrs
converter: types, required and unknown keys), and meaning (`deck_rules`). A problem names the file,
the place inside the deck (`cards[3].responses[1].effects.tracks`) and, where it can be found, the
line. Nothing here raises a traceback at a deck designer: unreadable files are problems too.
"""

from __future__ import annotations

import contextlib
import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from wargame.model.deck import Deck
from wargame.storage.converter import converter, quote, toml_key, toml_keys
from wargame.storage.deck_rules import Flaw, PathPart, check_rules, did_you_mean, format_path

__all__ = ["DeckError", "Problem", "check_deck", "check_deck_text", "load_deck", "load_deck_text"]

DeckPath = tuple[PathPart, ...]


@frozen
class Problem:
    """One thing wrong with a deck file, located as well as it can be."""

    file: str
    """The file as it was named."""
    path: str
    """Place inside the deck, e.g. `cards[3].responses[1].effects.tracks`; empty for the whole file."""
    message: str
    """What is wrong, lower-case first, quoting the input."""
    line: int | None = None
    """Line in the file (from 1), when known."""
    column: int | None = None
    """Column in the line (from 1), when known."""
    severity: str = "error"
    """Either "error" (the deck cannot be played) or "warning"."""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        place = f" {self.path}:" if self.path else ""
        return f"{where}:{place} {self.message}"


class DeckError(ValueError):
    """A deck that cannot be loaded; `problems` holds every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def load_deck(path: str | os.PathLike[str]) -> Deck:
    """The deck in the TOML file at `path`; `DeckError` listing every problem if it has any."""
    deck, problems = _read(path)
    return _loaded(deck, problems)


def load_deck_text(text: str, name: str = "<deck>") -> Deck:
    """The deck in TOML `text`; `name` stands for the file in problems."""
    deck, problems = _check_text(text, name)
    return _loaded(deck, problems)


def check_deck(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem with the deck file at `path`: syntax, structure and meaning. Empty if none."""
    return _read(path)[1]


def check_deck_text(text: str, name: str = "<deck>") -> list[Problem]:
    """Every problem with the deck in TOML `text`."""
    return _check_text(text, name)[1]


def _loaded(deck: Deck | None, problems: list[Problem]) -> Deck:
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors or deck is None:
        raise DeckError(errors)
    return deck


def _read(path: str | os.PathLike[str]) -> tuple[Deck | None, list[Problem]]:
    name = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return None, [Problem(name, "", "no such file")]
    except IsADirectoryError:
        return None, [Problem(name, "", "is a directory, not a deck file")]
    except OSError as error:
        return None, [Problem(name, "", f"cannot be read: {error.strerror or error}".lower())]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, [Problem(name, "", f"not UTF-8 text (byte 0x{data[error.start]:02x})", line=line)]
    return _check_text(text, name)


def _check_text(text: str, name: str) -> tuple[Deck | None, list[Problem]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return None, [_syntax_problem(error, text, name)]
    try:
        deck = converter.structure(data, Deck)
    except (ClassValidationError, IterableValidationError) as error:
        return None, _problems(name, text, list(structure_flaws(error, ())))
    except ValueError as error:  # a safety net: tomllib always gives a table at the top
        return None, _problems(name, text, [Flaw((), str(error))])
    return deck, _problems(name, text, check_rules(deck))


def _problems(name: str, text: str, flaws: list[Flaw]) -> list[Problem]:
    if not flaws:
        return []
    lines = LineFinder(text)
    problems = [
        Problem(
            name,
            format_path(flaw.path),
            flaw.message,
            line=lines.line(flaw.spot if flaw.spot is not None else flaw.path),
        )
        for flaw in flaws
    ]
    # File order reads best; problems without a line (whole-file ones) come last.
    return sorted(problems, key=lambda problem: problem.line or 1 << 30)


# TOML syntax: tomllib only says where in its message, "... (at line 3, column 7)".

_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _syntax_problem(error: tomllib.TOMLDecodeError, text: str, name: str) -> Problem:
    message = str(error)
    line: int | None = getattr(error, "lineno", None)  # Python 3.14 gives them as attributes
    column: int | None = getattr(error, "colno", None)
    found = _AT.search(message)
    if found:
        message = message[: found.start()]
        if found.group(1):
            line, column = int(found.group(1)), int(found.group(2))
        else:
            last = text.split("\n")
            line, column = len(last), len(last[-1]) + 1
    message = message[:1].lower() + message[1:]
    return Problem(name, "", f"invalid TOML: {message}", line=line, column=column)


# Structure: cattrs raises nested exception groups, each sub-exception tagged with a note that
# names the attribute or index it came from. Walk them into flaws with our paths.


def structure_flaws(error: BaseException, path: DeckPath) -> Iterator[Flaw]:
    """The flaws in a cattrs validation error raised while structuring at `path`."""
    if isinstance(error, ClassValidationError):
        with_notes, without = error.group_exceptions()
        for sub, note in with_notes:
            key = _key_of(error.cl, note.name)
            if isinstance(sub, KeyError):
                yield Flaw(path, f"missing required key {quote(key)}")
            else:
                yield from structure_flaws(sub, (*path, key))
        for sub in without:
            if isinstance(sub, ForbiddenExtraKeysError):
                known = toml_keys(error.cl)
                for key in sorted(sub.extra_fields):
                    yield Flaw(
                        path,
                        f"unknown key {quote(key)}" + did_you_mean(key, known),
                        spot=(*path, key),
                    )
            else:
                yield Flaw(path, _message(sub))
    elif isinstance(error, IterableValidationError):
        with_notes_, without_ = error.group_exceptions()
        for sub, item in with_notes_:
            yield from structure_flaws(sub, (*path, item.index))
        for sub in without_:
            yield Flaw(path, _message(sub))
    else:
        yield Flaw(path, _message(error))


def _key_of(cls: type, name: str) -> str:
    fields: dict[str, Any] = attrs.fields_dict(cls)
    return toml_key(fields[name]) if name in fields else name


def _message(error: BaseException) -> str:
    # Our strict hooks raise ValueErrors whose text is already a message.
    if isinstance(error, ValueError):
        return str(error)
    text = str(error) or type(error).__name__
    return "invalid value: " + text[:1].lower() + text[1:]


# Lines: tomllib keeps no positions, so scan the (valid) text once more and note where each table,
# key and array element begins. A problem then gets the line of the longest part of its path found.

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^,\]}#\n]*")  # numbers, booleans, dates: up to what ends a value


class LineFinder:
    """Where each table, key and array element of a valid TOML text begins."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines: dict[DeckPath, int] = {}
        self._arrays: dict[DeckPath, int] = {}  # array of tables -> index of its last table
        # Lines are a courtesy: a scan that gets lost gives fewer of them, never an error.
        with contextlib.suppress(IndexError, ValueError, tomllib.TOMLDecodeError):
            self._scan()

    def line(self, path: DeckPath) -> int | None:
        """The line of `path`, or of the nearest enclosing part that was found."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return None

    def _note(self, path: DeckPath, line: int) -> None:
        for end in range(1, len(path) + 1):
            self.lines.setdefault(path[:end], line)

    def _line_at(self, pos: int) -> int:
        return self.text.count("\n", 0, pos) + 1

    def _scan(self) -> None:
        text = self.text
        table: DeckPath = ()
        while True:
            self._skip(newlines=True)
            if self.pos >= len(text):
                return
            line = self._line_at(self.pos)
            if text[self.pos] == "[":
                many = text.startswith("[[", self.pos)
                self.pos += 2 if many else 1
                keys = self._keys()
                self.pos += 2 if many else 1
                table = self._header(keys, many)
                self._note(table, line)
            else:
                keys = self._keys()
                self._skip()
                self.pos += 1  # "="
                self._skip()
                self._note((*table, *keys), line)
                self._value((*table, *keys))

    def _header(self, keys: DeckPath, many: bool) -> DeckPath:
        path: DeckPath = ()
        for number, key in enumerate(keys):
            path = (*path, key)
            last = number == len(keys) - 1
            if many and last:
                index = self._arrays.get(path, -1) + 1
                self._arrays[path] = index
                return (*path, index)
            if path in self._arrays:
                path = (*path, self._arrays[path])
        return path

    def _skip(self, newlines: bool = False) -> None:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self.pos += 1
            elif char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    def _keys(self) -> DeckPath:
        keys: list[str] = []
        while True:
            self._skip()
            text = self.text
            if text[self.pos] in "\"'":
                start = self.pos
                self._string()
                keys.append(tomllib.loads("k = " + text[start : self.pos])["k"])
            else:
                match = _BARE.match(text, self.pos)
                if match is None:
                    raise ValueError("not a key")
                keys.append(match.group())
                self.pos = match.end()
            self._skip()
            if text[self.pos] != ".":
                return tuple(keys)
            self.pos += 1

    def _string(self) -> None:
        text = self.text
        for quote_ in ('"""', "'''", '"', "'"):
            if text.startswith(quote_, self.pos):
                break
        self.pos += len(quote_)
        while not text.startswith(quote_, self.pos):
            if text[self.pos] == "\\" and quote_[0] == '"':
                self.pos += 1
            self.pos += 1
            if self.pos >= len(text):
                raise ValueError("unterminated string")
        self.pos += len(quote_)
        # A multi-line string may end with one or two more quotes than its delimiter.
        for _ in range(2 if len(quote_) == 3 else 0):
            if text.startswith(quote_[0], self.pos):
                self.pos += 1

    def _value(self, path: DeckPath) -> None:
        text = self.text
        char = text[self.pos]
        if char in "\"'":
            self._string()
        elif char == "[":
            self.pos += 1
            index = 0
            while True:
                self._skip(newlines=True)
                if text[self.pos] == "]":
                    self.pos += 1
                    return
                self._note((*path, index), self._line_at(self.pos))
                self._value((*path, index))
                self._skip(newlines=True)
                if text[self.pos] == ",":
                    self.pos += 1
                index += 1
        elif char == "{":
            self.pos += 1
            while True:
                self._skip()
                if text[self.pos] == "}":
                    self.pos += 1
                    return
                line = self._line_at(self.pos)
                keys = self._keys()
                self._skip()
                self.pos += 1  # "="
                self._skip()
                self._note((*path, *keys), line)
                self._value((*path, *keys))
                self._skip()
                if text[self.pos] == ",":
                    self.pos += 1
        else:
            match = _SCALAR.match(text, self.pos)
            assert match is not None
            self.pos = max(match.end(), self.pos + 1)
