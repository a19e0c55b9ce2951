"""TOML's own errors in a deck designer's words, at the line of the real mistake.

tomllib says what it could not do ("Cannot overwrite a value", "Invalid initial character for a key
part") and where it noticed, which is often not where the mistake is: a `[[cards.responses]]` written
before any `[[cards]]` is only noticed at the first `[[cards]]`, perhaps hundreds of lines on. Each
function here recognises one common mistake from the error and the text and says what to write.
"""

from __future__ import annotations

import re

from wargame.storage.lines import Declaration, LineFinder

__all__ = ["Explained", "explain"]

#: A hint for a TOML error: the message, and the line and column of the mistake (None: unknown).
Explained = tuple[str, int | None, int | None]

_TABLES = ("cannot declare", "cannot overwrite", "cannot mutate")
#: What tomllib says of a string left open: a newline in a one-line string, or the end of the file.
_UNCLOSED = ("illegal character '\\n'", "unterminated string", 'expected "\'"')


def explain(message: str, line: int | None, column: int | None, text: str) -> Explained | None:
    """The mistake behind tomllib's `message` at `line`:`column` of `text`, in words; None when it is
    none of those recognised."""
    if line is None:
        return None
    lowered = message.lower()
    if lowered.startswith(_TABLES):
        return _tables(line, text)
    if lowered.startswith(_UNCLOSED):
        return _unclosed_string(text)
    if column is not None:
        return _inline_table(line, column, text)
    return None


# Tables declared in ways that clash.


def _shown(kind: str, names: tuple[str, ...]) -> str:
    name = ".".join(names)
    return {"table": f"[{name}]", "array": f"[[{name}]]"}.get(kind, name)


def _statement(text: str, line: int) -> str:
    """The line's text without its comment (roughly: a `#` inside a string is rare on these lines)."""
    return text.split("\n")[line - 1].split("#", 1)[0].strip()


def _tables(line: int, text: str) -> Explained | None:
    declared = LineFinder(text).declared
    here = [each for each in declared if each.line == line]
    if not here:
        return None
    this = here[-1]
    before = [each for each in declared if each.line < line]
    name = ".".join(this.names)
    if this.kind == "array":
        return _array_after(this, before, text)
    if this.kind == "table":
        for each in before:
            if each.names != this.names:
                continue
            if each.kind == "array":
                return (
                    f"{name} is an array of tables ([[{name}]] at line {each.line}): write [[{name}]] here"
                    f" too for one more; [{name}] declares a single table",
                    line,
                    None,
                )
            if each.kind == "table" and each.path == this.path:
                return (
                    f"[{name}] is declared twice (first at line {each.line}): a table is declared once,"
                    f" so put these keys under the first [{name}]; if there are to be several, write"
                    f" [[{name}]] for each",
                    line,
                    None,
                )
            if each.kind == "value" and each.path == this.path:
                return (
                    f"{name} is already set at line {each.line} ({_statement(text, each.line)}): either"
                    f" write it there in full or as a [{name}] table, not both",
                    each.line,
                    None,
                )
        return None
    key = this.names[-1]
    for each in reversed(before):
        if each.path == this.path and each.kind == "value":
            return f"{key} is set twice in the same table (first at line {each.line})", line, None
        if each.path == this.path:
            shown = _shown(each.kind, each.names)
            return (
                f"{key} is already a table ({shown} at line {each.line}): it cannot also be a value",
                line,
                None,
            )
        if each.kind == "value" and this.path[: len(each.path)] == each.path:
            return (
                f"{_statement(text, each.line)} at line {each.line} is an inline table, complete as written:"
                f" put {'.'.join(this.names[len(each.names) :])} inside its braces",
                line,
                None,
            )
    return None


def _array_after(this: Declaration, before: list[Declaration], text: str) -> Explained | None:
    """A `[[name]]` that clashes with what came before it: say which line was the mistake."""
    name = ".".join(this.names)
    size = len(this.names)
    for each in before:
        if each.names != this.names:
            continue
        if each.kind == "table":
            return (
                f"[{name}] makes {name} a single table, and [[{name}]] at line {this.line} adds to an array"
                f" of tables: write [[{name}]] for each one, here too",
                each.line,
                None,
            )
        if each.kind == "value":
            return (
                f"{_statement(text, each.line)} already sets {name}: an array written with = is complete,"
                f" and [[{name}]] at line {this.line} cannot add to it. Write them all one way: remove"
                f" line {each.line} and give each a [[{name}]] table, or put them all inside its brackets",
                each.line,
                None,
            )
    for each in before:
        if each.kind != "value" and each.names[:size] == this.names and len(each.names) > size:
            child = _shown(each.kind, each.names)
            return (
                f"{child} comes before any [[{name}]]: it belongs to the [[{name}]] above it, so put a"
                f" [[{name}]] first (TOML took {name} at line {each.line} for a single table, and"
                f" [[{name}]] at line {this.line} cannot make it an array)",
                each.line,
                None,
            )
    return None


# Inline tables: on one line, and no comma before the closing brace.

_STOP = re.compile(r"[\"'#\[\]{}]")


def _open_brackets(text: str, end: int) -> list[int]:
    """The offsets of the brackets and braces still open at offset `end` (strings and comments
    skipped), outermost first."""
    opened: list[int] = []
    pos = 0
    while (found := _STOP.search(text, pos, end)) is not None:
        pos = found.start()
        char = text[pos]
        if char in "\"'":
            triple = char * 3
            if text.startswith(triple, pos):
                close = text.find(triple, pos + 3)
                pos = len(text) if close < 0 else close + 3
            else:
                pos += 1
                while pos < end and text[pos] not in (char, "\n"):
                    pos += 2 if char == '"' and text[pos] == "\\" else 1
                pos += 1
        elif char == "#":
            close = text.find("\n", pos)
            pos = len(text) if close < 0 else close
        elif char in "[{":
            opened.append(pos)
            pos += 1
        else:
            if opened:
                opened.pop()
            pos += 1
    return opened


def _inline_table(line: int, column: int, text: str) -> Explained | None:
    starts = [0]
    for found in re.finditer("\n", text):
        starts.append(found.end())
    if line > len(starts):
        return None
    offset = min(starts[line - 1] + column - 1, len(text))
    opened = _open_brackets(text, offset)
    if not opened or text[opened[-1]] != "{":
        return None
    brace = opened[-1]
    brace_line = text.count("\n", 0, brace) + 1
    rest = text[offset:]
    ahead = rest.lstrip(" \t")
    if brace_line < line or ahead[:1] in ("\n", "\r", "") or ahead.startswith("#"):
        first = next((spot for spot in opened if text[spot] == "{"), brace)
        first_line = text.count("\n", 0, first) + 1
        return (
            "an inline table { ... } must be written on one line, and this one runs on past the end of"
            f" line {first_line}: write it on one line, or make it a [table] of its own"
            + _sub_table(text, starts, first_line, in_array=text[opened[0]] == "["),
            first_line,
            None,
        )
    behind = text[brace + 1 : offset].rstrip(" \t")
    if ahead.startswith("}") and behind.endswith(","):
        comma = brace + 1 + len(behind) - 1
        comma_line = text.count("\n", 0, comma) + 1
        return (
            "a comma before the closing } of an inline table: TOML allows none there (an array may"
            " end with one, an inline table may not): remove it",
            comma_line,
            comma - starts[comma_line - 1] + 1,
        )
    return None


_KEY = re.compile(r"\s*([A-Za-z0-9_.-]+)\s*=")


def _sub_table(text: str, starts: list[int], line: int, in_array: bool) -> str:
    """` ([x.y] below the other keys of its table)`: the header that would hold the inline table's keys."""
    found = _KEY.match(text[starts[line - 1] :])
    if found is None:
        return ""
    headers = [each for each in LineFinder(text[: starts[line - 1]]).declared if each.kind != "value"]
    names = (*headers[-1].names, found.group(1)) if headers else (found.group(1),)
    header = f"[[{'.'.join(names)}]]" if in_array else f"[{'.'.join(names)}]"
    return (
        f" ({header}, after the other keys of its table, one for each)"
        if in_array
        else (f" ({header}, after the other keys of its table)")
    )


def _unclosed_string(text: str) -> Explained | None:
    """The first one-line string that runs into the end of its line (or of the file)."""
    pos = 0
    while (found := _STOP.search(text, pos)) is not None:
        pos = found.start()
        char = text[pos]
        if char in "\"'":
            if text.startswith(char * 3, pos):
                close = text.find(char * 3, pos + 3)
                if close < 0:
                    return None  # a multi-line string left open: tomllib's words say so
                pos = close + 3
                continue
            start = pos
            pos += 1
            while pos < len(text) and text[pos] not in (char, "\n"):
                pos += 2 if char == '"' and text[pos] == "\\" else 1
            if pos >= len(text) or text[pos] == "\n":
                line = text.count("\n", 0, start) + 1
                column = start - (text.rfind("\n", 0, start) + 1) + 1
                return (
                    f"this string is not closed on its line: a string in {char}...{char} must end on the"
                    f" line it starts on (close it with {char}; for text over several lines, write it"
                    ' between """ and """)',
                    line,
                    column,
                )
            pos += 1
        elif char == "#":
            close = text.find("\n", pos)
            if close < 0:
                return None
            pos = close
        else:
            pos += 1
    return None
