"""Reading deck files: TOML text to a checked `Deck`, or every problem with the file at once.

Passes, each reporting all it finds: TOML syntax (tomllib), structure (the strict cattrs converter:
types, required and unknown keys), meaning (`deck_rules`: errors) and likely mistakes
(`deck_warnings`: warnings, which never stop a deck from loading). A problem names the file, the
line, the place inside the deck (`cards[3].responses[1].effects.tracks`) and what is wrong. Nothing
here raises a traceback at a deck designer: unreadable files are problems too.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import tomllib
import unicodedata
from collections.abc import Iterator
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any

import attrs
import tomli_w
from attrs import frozen
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from wargame.model.deck import Deck
from wargame.storage import reading, toml_mistakes
from wargame.storage.converter import WrongTypeError, converter, quote, toml_key, toml_keys
from wargame.storage.deck_rules import DECK_ID, check_rules
from wargame.storage.deck_warnings import check_warnings
from wargame.storage.flaws import Flaw, PathPart, Severity, did_you_mean, format_path
from wargame.storage.lines import LineFinder
from wargame.storage.reading import DECK_LIMIT, FileRefused, read_capped

#: The most problems reported for one file: no deck has more real ones, and a hostile file with tens of
#: thousands would take seconds each to suggest and locate.
MAX_PROBLEMS = 200

__all__ = [
    "DeckError",
    "LineFinder",
    "Problem",
    "Severity",
    "check_deck",
    "check_deck_text",
    "load_deck",
    "load_deck_text",
    "new_deck_text",
    "read_deck",
    "write_new_deck",
]

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
    severity: Severity = "error"
    """"error" (the deck cannot be played) or "warning" (it can, but likely not as meant)."""

    @property
    def is_error(self) -> bool:
        """Whether the problem stops the deck from loading."""
        return self.severity == "error"

    def __str__(self) -> str:
        """`FILE:LINE: PATH: message`, or `FILE:LINE: PATH: warning: message`."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        place = f" {self.path}:" if self.path else ""
        kind = "" if self.is_error else f" {self.severity}:"
        return f"{where}:{place}{kind} {self.message}"

    def as_json(self) -> dict[str, str | int | None]:
        """The problem as a JSON object for tools (`deck check --format json`)."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "severity": self.severity,
            "message": self.message,
        }


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
    """Every problem with the deck file at `path`: errors first found by syntax, structure and
    meaning, or else warnings (`Problem.severity`). Empty if none."""
    return _read(path)[1]


def check_deck_text(text: str, name: str = "<deck>") -> list[Problem]:
    """Every problem with the deck in TOML `text`."""
    return _check_text(text, name)[1]


def read_deck(path: str | os.PathLike[str]) -> tuple[Deck | None, list[Problem]]:
    """The deck at `path` (None when it cannot be loaded) and every problem, errors and warnings."""
    deck, problems = _read(path)
    return (None if any(problem.is_error for problem in problems) else deck), problems


def new_deck_text(title: str | None = None, deck_id: str | None = None) -> str:
    """The starter deck (`wargame/storage/starter.toml`), with its title and id replaced if given.

    Raises `ValueError` for an id that is not letters, digits and dashes.
    """
    text = (resources.files("wargame.storage") / "starter.toml").read_text("utf-8")
    if deck_id is not None:
        deck_id = unicodedata.normalize("NFC", deck_id)  # "ü" typed as u and a combining mark
        if not DECK_ID.fullmatch(deck_id):
            raise ValueError(f"expected letters, digits and dashes, got {quote(deck_id)}")
        text = text.replace('\nid = "my-deck"\n', f"\n{tomli_w.dumps({'id': deck_id})}", 1)
    if title is not None:
        text = text.replace('\ntitle = "My deck"\n', f"\n{tomli_w.dumps({'title': title})}", 1)
    return text


def write_new_deck(path: Path, title: str | None = None, deck_id: str | None = None) -> Path | None:
    """Write a starter deck at `path`, and the JSON Schema beside it when no file has its name.

    The deck's id defaults to one made from the file name, its title to the file name in words
    (letters of any script kept: "Marea Neagră.toml" is "Marea Neagră", id "marea-neagră"). Folders
    missing on the way are made. Returns the schema file written, or None when one was there. Never
    overwrites: `ValueError` with a message for the designer if the deck file exists or cannot be
    written (nothing written).
    """
    from wargame.storage.schema import SCHEMA_FILE, schema_text  # only `deck new` needs it

    words = " ".join(_WORD.findall(unicodedata.normalize("NFC", path.stem)))
    text = new_deck_text(
        title if title is not None else (words[:1].upper() + words[1:] or "My deck"),
        deck_id if deck_id is not None else (words.lower().replace(" ", "-") or "my-deck"),
    )
    text = text.replace("THIS-FILE", shlex.quote(path.name))  # a name with spaces, as a shell takes it
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ValueError(
            f"cannot write {quote(str(path))}: {quote(str(path.parent))} or a folder above it is not a"
            " directory (a file of that name is in the way)"
        ) from None
    except OSError as error:
        why = str(error.strerror or error).lower()
        raise ValueError(
            f"cannot write {quote(str(path))}: cannot make the folder {quote(str(path.parent))}: {why}"
        ) from None
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        raise ValueError(f"{quote(str(path))} already exists: nothing was written") from None
    except OSError as error:
        reason = "no such folder" if isinstance(error, FileNotFoundError) else error.strerror or error
        raise ValueError(f"cannot write {quote(str(path))}: {str(reason).lower()}") from None
    schema = path.parent / SCHEMA_FILE
    try:
        with schema.open("x", encoding="utf-8") as file:
            file.write(schema_text())
    except FileExistsError:
        return None
    except OSError as error:
        raise ValueError(
            f"wrote {quote(str(path))}, but cannot write {quote(str(schema))}: "
            f"{str(error.strerror or error).lower()}"
        ) from None
    return schema


#: A word of a file name, as a deck id's parts are: letters and digits of any script.
_WORD = re.compile(r"[^\W_]+")


def _loaded(deck: Deck | None, problems: list[Problem]) -> Deck:
    errors = [problem for problem in problems if problem.is_error]
    if errors or deck is None:
        raise DeckError(errors)
    return deck


def _read(path: str | os.PathLike[str]) -> tuple[Deck | None, list[Problem]]:
    name = os.fspath(path)
    try:
        data = read_capped(path, DECK_LIMIT, "deck file")
    except FileRefused as error:
        return None, [Problem(name, "", str(error))]
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")  # editors on Windows may write a BOM
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, [Problem(name, "", f"not UTF-8 text (byte 0x{data[error.start]:02x})", line=line)]
    return _check_text(text, name)


def _check_text(text: str, name: str) -> tuple[Deck | None, list[Problem]]:
    try:
        reading.check_shape(text)  # tomllib recurses on deep nesting and is slow on long keys
        data = tomllib.loads(text)
    except reading.TextRefused as error:
        return None, [Problem(name, "", error.message, line=error.line, column=error.column)]
    except tomllib.TOMLDecodeError as error:
        return None, [_syntax_problem(error, text, name)]
    except RecursionError:  # a safety net under the scan
        return None, [Problem(name, "", "nested too deeply to be read")]
    try:
        deck = converter.structure(data, Deck)
    except (ClassValidationError, IterableValidationError) as error:
        # At most MAX_PROBLEMS and one more, to know there are more: each flaw is looked up, suggested
        # and located, and a hostile file can hold tens of thousands.
        headers = _Headers(text)
        flaws = list(islice(structure_flaws(error, (), headers=headers), MAX_PROBLEMS + 1))
        return None, _problems(name, text, flaws, headers.lines)
    except ValueError as error:  # a safety net: tomllib always gives a table at the top
        return None, _problems(name, text, [Flaw((), str(error))])
    except RecursionError:
        return None, [Problem(name, "", "nested too deeply to be read")]
    flaws = check_rules(deck) or check_warnings(deck)
    return deck, _problems(name, text, flaws)


def _problems(name: str, text: str, flaws: list[Flaw], lines: LineFinder | None = None) -> list[Problem]:
    if not flaws:
        return []
    more = len(flaws) > MAX_PROBLEMS
    flaws = flaws[:MAX_PROBLEMS]
    lines = lines if lines is not None else LineFinder(text)
    problems = [
        Problem(
            name,
            format_path(flaw.path),
            flaw.message,
            line=lines.line(flaw.spot if flaw.spot is not None else flaw.path),
            severity=flaw.severity,
        )
        for flaw in flaws
    ]
    # File order reads best.
    problems.sort(key=lambda problem: problem.line or 0)
    if more:
        problems.append(Problem(name, "", f"more problems than these {MAX_PROBLEMS}: mend these first"))
    return problems


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
    explained = None
    with contextlib.suppress(IndexError, ValueError):  # a hint is a courtesy: tomllib's words stand
        explained = toml_mistakes.explain(message, line, column, text)
    if explained is not None:
        message, line, column = explained
    message = message[:1].lower() + message[1:]
    return Problem(name, "", f"invalid TOML: {message}", line=line, column=column)


# Structure: cattrs raises nested exception groups, each sub-exception tagged with a note that
# names the attribute or index it came from. Walk them into flaws with our paths.


class _Headers:
    """The `[table]` and `[[table]]` headers of a valid TOML text: which table each opens, and where."""

    def __init__(self, text: str) -> None:
        self.text_lines = text.split("\n")
        self.lines = LineFinder(text)

    def header(self, path: DeckPath) -> tuple[str, int] | None:
        """The header that opens the table at `path` and its line; None for an inline table."""
        line = self.lines.lines.get(path)
        if line is None or not 0 < line <= len(self.text_lines):
            return None
        found = _HEADER.match(self.text_lines[line - 1])
        return (found.group(1).replace(" ", ""), line) if found else None


_HEADER = re.compile(r"\s*(\[\[[^\]#]*\]\]|\[[^\]#]*\])")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")

#: Tables a designer knows by another name than their class's.
_CALLED = {"DeckInfo": "[deck] table", "RedPersona": "adversary persona", "Effect": "effect table"}


def _called(cls: type) -> str:
    """ "card", "adversary stat": a table's class in the designer's words."""
    return _CALLED.get(cls.__name__) or _CAMEL.sub(" ", cls.__name__).lower()


def structure_flaws(
    error: BaseException,
    path: DeckPath,
    outer: tuple[type, ...] = (),
    headers: _Headers | None = None,
) -> Iterator[Flaw]:
    """The flaws in a cattrs validation error raised while structuring at `path`; `outer` holds the
    classes of the tables around it (outermost first), `headers` the text's table headers."""
    if isinstance(error, ClassValidationError):
        inner = (*outer, error.cl)
        with_notes, without = error.group_exceptions()
        for sub, note in with_notes:
            key = _key_of(error.cl, note.name)
            if isinstance(sub, KeyError):
                yield Flaw(path, f"missing required key {quote(key)}")
            else:
                yield from structure_flaws(sub, (*path, key), inner, headers)
        for sub in without:
            if isinstance(sub, ForbiddenExtraKeysError):
                known = toml_keys(error.cl)
                for key in sorted(sub.extra_fields):
                    moved = _moved_key(key, path, error.cl, outer, headers)
                    yield Flaw(
                        path,
                        moved or f"unknown key {quote(key)}" + did_you_mean(key, known),
                        spot=(*path, key),
                    )
            else:
                yield Flaw(path, _message(sub))
    elif isinstance(error, IterableValidationError):
        with_notes_, without_ = error.group_exceptions()
        for sub, item in with_notes_:
            yield from structure_flaws(sub, (*path, item.index), outer, headers)
        for sub in without_:
            yield Flaw(path, _message(sub))
    else:
        yield Flaw(path, _message(error) + _brackets(error, path, headers))


def _brackets(error: BaseException, path: DeckPath, headers: _Headers | None) -> str:
    """What to write when a table was declared with the wrong brackets: `[[deck]]` for `[deck]`, or
    `[nations]` for `[[nations]]` (TOML reads the one as an array, the other as a table)."""
    if headers is None or not isinstance(error, WrongTypeError):
        return ""
    opened = headers.header(path)
    if opened is None:
        return ""
    name = ".".join(part for part in path if isinstance(part, str))
    if error.expected == "a table" and opened[0] == f"[[{name}]]":
        return f": write [{name}], one table, not [[{name}]] (an array of tables)"
    if error.expected == "an array" and opened[0] == f"[{name}]":
        return f": write [[{name}]] for each one, not [{name}] (a single table)"
    return ""


def _moved_key(
    key: str,
    path: DeckPath,
    cls: type,
    outer: tuple[type, ...],
    headers: _Headers | None,
) -> str | None:
    """What to say of a key unknown in the table at `path` that a table around it knows: TOML puts
    every key after a `[header]` in that header's table, so a card's `copies` written below its
    `[[cards.responses]]` is the last response's. None when that is not what happened."""
    if headers is None:
        return None
    opened = headers.header(path)
    if opened is None:  # an inline table holds only what its braces hold
        return None
    header, line = opened
    for owner in reversed(outer):
        if key not in toml_keys(owner):
            continue
        if owner is Deck:
            return (
                f"{quote(key)} is a top-level key, but written after {header} (line {line}) it goes "
                f"to that table, which has no such key: move it above line {line}, before the first [table]"
            )
        return (
            f"{quote(key)} belongs to the {_called(owner)}, but written after {header} (line {line})"
            f" it goes to that {_called(cls)}, which has no such key: move it above line {line}, with"
            f" the {_called(owner)}'s other keys"
        )
    return None


def _key_of(cls: type, name: str) -> str:
    fields: dict[str, Any] = attrs.fields_dict(cls)
    return toml_key(fields[name]) if name in fields else name


def _message(error: BaseException) -> str:
    # Our strict hooks raise ValueErrors whose text is already a message.
    if isinstance(error, ValueError):
        return str(error)
    text = str(error) or type(error).__name__
    return "invalid value: " + text[:1].lower() + text[1:]
