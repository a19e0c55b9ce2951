"""Where things are in a TOML text: the line of each table, key and array element.

tomllib keeps no positions, so `deck check` scans the (valid) text once more with this small
scanner, and a problem gets the line of the longest part of its path that was found — at worst
the line of the nearest enclosing table, and line 1 for the top-level table.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from typing import Literal

from attrs import frozen

from wargame.storage.flaws import Path as DeckPath

__all__ = ["Declaration", "LineFinder"]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^,\]}#\n]*")  # numbers, booleans, dates: up to what ends a value
# One pattern for the four kinds of string: the scan skips over strings, and a regular expression does
# that many times faster than a loop over characters (broken decks are scanned once per problem).
# A multi-line string may end with one or two more quotes than its delimiter.
_STRINGS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""("{1,2})?'
    r"|'''(?:[^']|'(?!''))*'''('{1,2})?"
    r'|"(?!"")(?:[^"\\]|\\.)*"'
    r"|'(?!'')[^']*'",
    re.DOTALL,
)


@frozen
class Declaration:
    """A `[table]`, `[[table]]` or `key = value` line, as `deck check` tells TOML's own errors apart."""

    kind: Literal["table", "array", "value"]
    """`[table]`, `[[array of tables]]` or `key = value` (at the top of a statement, not inline)."""
    names: tuple[str, ...]
    """The keys from the top level, as written: `("cards", "responses", "label")`."""
    path: DeckPath
    """The same with the index of each array of tables' element: `("cards", 0, "responses", 2)`."""
    line: int
    """Its line (from 1)."""


class LineFinder:
    """Where each table, key and array element of a valid TOML text begins."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines: dict[DeckPath, int] = {}
        #: Every header and top-of-statement key, in file order (up to where a scan of a broken text stops).
        self.declared: list[Declaration] = []
        self._arrays: dict[DeckPath, int] = {}  # array of tables -> index of its last table
        self._counted_to, self._counted_lines = 0, 1  # line 1 starts at offset 0
        # Lines are a courtesy: a scan that gets lost gives fewer of them, never an error.
        with contextlib.suppress(IndexError, ValueError, tomllib.TOMLDecodeError):
            self._scan()

    def line(self, path: DeckPath) -> int:
        """The line of `path`, or of the nearest enclosing part that was found (1: the top level)."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return 1

    def _note(self, path: DeckPath, line: int) -> None:
        # Every prefix of a noted path is noted too, so the walk up stops at the first one already
        # there: deep arrays cost their depth once, not its square.
        lines = self.lines
        for end in range(len(path), 0, -1):
            part = path[:end]
            if part in lines:
                return
            lines[part] = line

    def _line_at(self, pos: int) -> int:
        # The scan only moves forward: count the newlines since the last question, not from the top.
        if pos < self._counted_to:
            self._counted_to, self._counted_lines = 0, 1
        self._counted_lines += self.text.count("\n", self._counted_to, pos)
        self._counted_to = pos
        return self._counted_lines

    def _scan(self) -> None:
        text = self.text
        table: DeckPath = ()
        names: tuple[str, ...] = ()
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
                names = keys
                self._note(table, line)
                self.declared.append(Declaration("array" if many else "table", names, table, line))
            else:
                keys = self._keys()
                self._skip()
                self.pos += 1  # "="
                self._skip()
                self._note((*table, *keys), line)
                self.declared.append(Declaration("value", (*names, *keys), (*table, *keys), line))
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

    def _keys(self) -> tuple[str, ...]:
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
        match = _STRINGS.match(self.text, self.pos)
        if match is None:
            raise ValueError("unterminated string")
        self.pos = match.end()

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
