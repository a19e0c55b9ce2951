"""The deck format, generated from the model: a JSON Schema for editors and the format's key tables.

    wargame deck schema > decks/deck.schema.json          # the schema beside the bundled decks
    python -m wargame.storage.schema docs/deck-format.md  # refresh the reference's key tables

Both walk the attrs classes reachable from `Deck` (`attrs.fields`, `typing.get_type_hints`), skip
fields with `init=False`, spell each field as TOML does (the `toml` metadata key: `Deck.info` is
`[deck]`), and describe it with its docstring — the string literal after the field in the class
source, read with `ast`. The schema is JSON Schema draft 4, which Taplo and Even Better TOML read:
`definitions` and `$ref`, no `const`. A `$ref` that carries a description is wrapped in `allOf`,
because draft 4 ignores whatever stands beside a `$ref` (and so do editors).
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import sys
import types
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, Literal, Union, cast, get_args, get_origin, get_type_hints

import attrs

from wargame.engine.views import FACILITATOR
from wargame.model.deck import (
    TARGET_WORDS,
    Adversary,
    AdversaryStat,
    Card,
    Condition,
    Consultation,
    Deck,
    DeckInfo,
    Effect,
    Ending,
    ExtraDraw,
    Investment,
    Nation,
    Objective,
    Persona,
    Posture,
    PostureLevel,
    Preference,
    RedPersona,
    Response,
    Source,
    Stat,
    Track,
)
from wargame.storage.converter import quote, toml_key
from wargame.storage.deck_rules import (
    MAX_AMOUNT,
    MAX_COPIES,
    MAX_DRAWS,
    MAX_ROUNDS,
    REQUIRED_STATS,
    SUBJECTS,
)

__all__ = [
    "DRAFT",
    "SCHEMA_FILE",
    "SCHEMA_LINE",
    "Table",
    "deck_schema",
    "field_docs",
    "reference_table",
    "schema_text",
    "tables",
    "update_reference",
]

DRAFT = "http://json-schema.org/draft-04/schema#"
#: The schema's file name beside the decks, and the comment that points a deck at it.
SCHEMA_FILE = "deck.schema.json"
SCHEMA_LINE = f"#:schema ./{SCHEMA_FILE}"

JsonObject = dict[str, Any]
_SCALARS: Mapping[Any, tuple[str, str]] = {
    int: ("integer", "integer"),
    float: ("number", "number"),
    str: ("string", "string"),
    bool: ("boolean", "boolean"),
}


@cache
def field_docs(cls: type) -> Mapping[str, str]:
    """Each field's docstring: the string literal right after the field in the class source."""
    module = ast.parse(inspect.getsource(sys.modules[cls.__module__]))
    for node in module.body:
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            docs: dict[str, str] = {}
            for statement, after in zip(node.body, node.body[1:], strict=False):
                if (
                    isinstance(statement, ast.AnnAssign)
                    and isinstance(statement.target, ast.Name)
                    and isinstance(after, ast.Expr)
                    and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)
                ):
                    docs[statement.target.id] = " ".join(inspect.cleandoc(after.value.value).split())
            return docs
    raise LookupError(f"no class {quote(cls.__name__)} in {quote(cls.__module__)}")


def _fields(cls: type) -> Iterator[tuple[str, attrs.Attribute[Any], Any]]:
    """The TOML key, attrs field and resolved type of each field the deck file can set."""
    hints = get_type_hints(cls)
    for field in attrs.fields(cls):
        if field.init:
            yield toml_key(field), field, hints[field.name]


def _optional(hint: Any) -> Any:
    """`X` for `X | None`; anything else as it is."""
    if get_origin(hint) in (Union, types.UnionType):
        rest = [arg for arg in get_args(hint) if arg is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return hint


def _item(hint: Any) -> tuple[str, Any] | None:
    """("array", X) for `tuple[X, ...]`, ("table", X) for `Mapping[str, X]`, else None."""
    origin, args = get_origin(hint), get_args(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return "array", args[0]
    if origin in (Mapping, dict) and len(args) == 2:
        return "table", args[1]
    return None


def _default(field: attrs.Attribute[Any]) -> tuple[bool, Any]:
    """(whether the field has a default, the default as TOML data or None when it is "not set")."""
    default = field.default
    if default is attrs.NOTHING:
        return False, None
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = cast(Any, default).factory()
    if attrs.has(type(default)) or isinstance(default, Mapping):
        return True, {}
    if isinstance(default, tuple):
        return True, list(default)
    return True, default


def _union(hint: Any) -> tuple[Any, ...]:
    """The types of a union of several (`str | tuple[str, ...]`, a card's target); else ()."""
    if get_origin(hint) in (Union, types.UnionType):
        return tuple(arg for arg in get_args(hint) if arg is not type(None))
    return ()


# The static rules of `deck check` (wargame.storage.deck_rules) that JSON Schema draft 4 can say, so
# that an editor marks them as the designer types. What it cannot say (a reference to an id, a rule
# across fields, the last final ending) is listed in docs/deck-format.md, "What only deck check knows".

#: A number JSON Schema can bound: TOML's `inf` and `-inf` lie outside (`nan` compares false with
#: everything, so no draft 4 keyword refuses it: only `deck check` does).
LARGEST_FLOAT = sys.float_info.max
#: A string with something in it besides spaces.
NOT_EMPTY: JsonObject = {"pattern": r"\S"}
#: A deck's or the adversary's id (deck_rules.DECK_ID): letters and digits of any script, single
#: dashes between them. Spelled as "not ASCII punctuation, space or control": `\w` is ASCII-only in
#: Taplo (as in JavaScript), so `[^\W_]` would refuse "ünïcode", which `deck check` accepts. Looser
#: than DECK_ID (it lets "€" by), never stricter.
_ID_CHAR = r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]"
DECK_ID_PATTERN = rf"^{_ID_CHAR}+(-{_ID_CHAR}+)*$"
#: A source's id or a truth of an attribution (deck_rules.TRUTH).
TRUTH_PATTERN = r"^[A-Za-z0-9_-]+$"


def _within(low: int, high: int | None = None) -> JsonObject:
    return {"minimum": low} if high is None else {"minimum": low, "maximum": high}


def _amounts(low: int = -MAX_AMOUNT, high: int = MAX_AMOUNT) -> JsonObject:
    """A table of id = integer, each within these bounds."""
    return {"additionalProperties": _within(low, high)}


#: A price: an integer of treasury, or a table of stat = amount, each 0..MAX_AMOUNT.
_PRICE: JsonObject = {**_within(0, MAX_AMOUNT), **_amounts(0, MAX_AMOUNT)}
_PERCENT = _within(0, 100)

#: Keywords added to a field's schema, by class and TOML key.
FIELD_RULES: Mapping[tuple[type, str], JsonObject] = {
    (DeckInfo, "id"): {"pattern": DECK_ID_PATTERN},
    (DeckInfo, "title"): NOT_EMPTY,
    (DeckInfo, "rounds"): _within(1, MAX_ROUNDS),
    (DeckInfo, "draws_per_round"): _within(1, MAX_DRAWS),
    (Deck, "tracks"): {"minProperties": 1},
    (Deck, "stats"): {"required": list(REQUIRED_STATS)},
    (Deck, "nations"): {"minItems": 1},
    (Deck, "cards"): {"minItems": 1},
    (Track, "name"): NOT_EMPTY,
    (Track, "min"): _within(-MAX_AMOUNT, MAX_AMOUNT),
    (Stat, "name"): NOT_EMPTY,
    (Stat, "min"): _within(-MAX_AMOUNT, MAX_AMOUNT),
    (Nation, "id"): {**NOT_EMPTY, "not": {"enum": list(TARGET_WORDS)}},
    (Nation, "name"): NOT_EMPTY,
    (Objective, "id"): NOT_EMPTY,
    (Objective, "points"): _within(0, MAX_AMOUNT),
    (Persona, "name"): NOT_EMPTY,
    (Persona, "risk_aversion"): {"minimum": 0},
    (Persona, "firmness"): _within(-1, 1),
    (Consultation, "threshold"): _within(1, 100),
    (Consultation, "fatigue_window"): _within(0),
    (Investment, "id"): NOT_EMPTY,
    (Investment, "name"): NOT_EMPTY,
    (Investment, "cost"): _PRICE,
    (Investment, "limit"): _within(1),
    (Investment, "reveal"): _PERCENT,
    (Response, "id"): NOT_EMPTY,
    (Response, "label"): NOT_EMPTY,
    (Response, "cost"): _PRICE,
    (Response, "chance"): _PERCENT,
    (Response, "readiness_bonus"): _within(0),
    (Response, "reveal"): _PERCENT,
    (Card, "id"): NOT_EMPTY,
    (Card, "title"): NOT_EMPTY,
    (Card, "copies"): _within(1, MAX_COPIES),
    (Card, "responses"): {"minItems": 1},
    # A list of targets: nation ids, each once; a target word stands alone.
    (Card, "target"): {"minItems": 1, "uniqueItems": True, "items": {"not": {"enum": list(TARGET_WORDS)}}},
    (Card, "attribution"): {
        "patternProperties": {TRUTH_PATTERN: {"type": "integer", **_within(0, MAX_AMOUNT)}},
        "additionalProperties": False,
    },
    (Card, "exposed"): _PERCENT,
    (Card, "price"): _within(0, MAX_AMOUNT),
    **{(Effect, key): _amounts() for key in ("tracks", "actor", "target", "all", "others", "adversary")},
    (Ending, "id"): NOT_EMPTY,
    (Ending, "title"): NOT_EMPTY,
    (ExtraDraw, "count"): _within(1, MAX_DRAWS),
    (AdversaryStat, "name"): NOT_EMPTY,
    (AdversaryStat, "min"): _within(-MAX_AMOUNT, MAX_AMOUNT),
    (RedPersona, "name"): NOT_EMPTY,
    (Adversary, "name"): NOT_EMPTY,
    (Adversary, "id"): {"pattern": DECK_ID_PATTERN, "not": {"enum": [*TARGET_WORDS, FACILITATOR]}},
    (Adversary, "personas"): {"minProperties": 1},
    (Adversary, "hand"): _within(1),
    (Adversary, "plays_per_round"): _within(1, MAX_DRAWS),
    (Adversary, "income"): _amounts(),
    (Source, "id"): {"pattern": TRUTH_PATTERN},
    (Source, "date"): {"pattern": r"^(\d{4}-\d{2}-\d{2})?$"},
    (Posture, "name"): NOT_EMPTY,
    (Posture, "levels"): {"minItems": 1},
    (PostureLevel, "id"): NOT_EMPTY,
    (PostureLevel, "chance"): _amounts(),
    (PostureLevel, "cost"): _amounts(),
}


def _one_of_keys(*keys: str, kinds: Mapping[str, JsonObject] | None = None) -> JsonObject:
    """At least one of these keys set, as `kinds` says a set key looks (default: present)."""
    kinds = kinds or {}
    return {
        "anyOf": [
            {"required": [key], **({"properties": {key: kinds[key]}} if key in kinds else {})} for key in keys
        ]
    }


#: Keywords added to a class's schema: rules across its keys that draft 4 can say.
CLASS_RULES: Mapping[type, JsonObject] = {
    # A subject (`round = false` counts as none; only `deck check` knows "exactly one").
    Condition: {"minProperties": 1, **_one_of_keys(*SUBJECTS, kinds={"round": {"enum": [True]}})},
    # A defeat ending with no conditions would end every game at once.
    Ending: {
        "anyOf": [
            {"properties": {"kind": {"enum": ["final"]}}},
            {"required": ["when"], "properties": {"when": {"minItems": 1}}},
        ]
    },
    # A preference matches some card.
    Preference: _one_of_keys("tags", "cards", kinds={"tags": {"minItems": 1}, "cards": {"minItems": 1}}),
    # A source is cited in words.
    Source: _one_of_keys("outlet", "title", kinds={"outlet": NOT_EMPTY, "title": NOT_EMPTY}),
}


def _merged(schema: JsonObject, rules: JsonObject) -> JsonObject:
    """`schema` with `rules` added; a rule on `items` or `additionalProperties` is added to theirs."""
    out = dict(schema)
    for key, value in rules.items():
        inner = out.get(key)
        if key in ("items", "additionalProperties") and isinstance(inner, dict) and isinstance(value, dict):
            out[key] = {**inner, **value}
        else:
            out[key] = value
    return out


# The JSON Schema.


def deck_schema() -> JsonObject:
    """The JSON Schema (draft 4) of a deck file, generated from the model."""
    definitions: dict[str, JsonObject] = {}
    root = _class_schema(Deck, definitions)
    return {
        "$schema": DRAFT,
        "title": "Eastern Flank deck",
        **root,
        "definitions": dict(sorted(definitions.items())),
    }


def schema_text() -> str:
    """The schema as `wargame deck schema` prints it and `decks/deck.schema.json` holds it."""
    return json.dumps(deck_schema(), indent=2, ensure_ascii=False) + "\n"


def _class_schema(cls: type, definitions: dict[str, JsonObject]) -> JsonObject:
    docs = field_docs(cls)
    properties: JsonObject = {}
    required: list[str] = []
    for key, field, hint in _fields(cls):
        schema = _type_schema(hint, definitions)
        if "$ref" in schema:
            schema = {"allOf": [schema]}
        schema = _merged(schema, FIELD_RULES.get((cls, key), {}))
        if field.name in docs:
            schema["description"] = docs[field.name]
        has_default, default = _default(field)
        if not has_default:
            required.append(key)
        elif default is not None:
            schema["default"] = default
        properties[key] = schema
    out: JsonObject = {"type": "object", "description": inspect.cleandoc(cls.__doc__ or "")}
    out["properties"] = properties
    if required:  # draft 4 wants at least one name in `required`
        out["required"] = required
    out["additionalProperties"] = False
    out.update(CLASS_RULES.get(cls, {}))
    return out


def _type_schema(hint: Any, definitions: dict[str, JsonObject]) -> JsonObject:
    hint = _optional(hint)
    branches = _union(hint)
    if branches:
        return _union_schema([_type_schema(branch, definitions) for branch in branches])
    if hint is float:  # deck check refuses inf and nan; draft 4 can refuse inf
        return {"type": "number", "minimum": -LARGEST_FLOAT, "maximum": LARGEST_FLOAT}
    if hint in _SCALARS:
        return {"type": _SCALARS[hint][0]}
    if get_origin(hint) is Literal:
        choices = list(get_args(hint))
        kinds = {_SCALARS[type(choice)][0] for choice in choices}
        return {"type": kinds.pop(), "enum": choices} if len(kinds) == 1 else {"enum": choices}
    if attrs.has(hint):
        name = hint.__name__
        if name not in definitions:
            definitions[name] = {}  # a placeholder while the class is being described
            definitions[name] = _class_schema(hint, definitions)
        return {"$ref": f"#/definitions/{name}"}
    item = _item(hint)
    if item is not None:
        kind, inner = item
        key = "items" if kind == "array" else "additionalProperties"
        return {"type": "array" if kind == "array" else "object", key: _type_schema(inner, definitions)}
    raise TypeError(f"no JSON Schema for the type {hint!r}")


def _union_schema(schemas: list[JsonObject]) -> JsonObject:
    """One value of any of these schemas: a list of types where each is a bare type (editors show
    `string | array` and say which one is wrong), else `anyOf`. `items` and `additionalProperties`
    apply to arrays and objects alone, so they may stand beside the other types."""
    merged: JsonObject = {"type": []}
    for schema in schemas:
        own_keys = {"type", "items", "additionalProperties"}
        if not set(schema) <= own_keys or set(schema) & (set(merged) - {"type"}):
            return {"anyOf": schemas}
        merged["type"].append(schema["type"])
        merged.update({key: value for key, value in schema.items() if key != "type"})
    return merged


# The key tables of docs/deck-format.md.


@attrs.frozen
class Table:
    """A class of the model as the format reference presents it."""

    name: str
    """`[deck]`, `[tracks.<id>]`, `[[cards.responses]]`; "top level" for `Deck`; for a class used
    in several places (effects, conditions) its name in the plural, "Effects"."""
    cls: type
    """The attrs class."""


def tables() -> list[Table]:
    """Every class reachable from `Deck`, named as a TOML table, in the order of the fields."""
    places: dict[type, list[str]] = {Deck: ["top level"]}
    queue: list[tuple[type, str]] = [(Deck, "")]
    while queue:
        cls, prefix = queue.pop(0)
        for key, _, hint in _fields(cls):
            inner, name = _optional(hint), f"{prefix}{key}"
            item = _item(inner)
            if item is not None:
                inner = item[1]
                name = f"[[{name}]]" if item[0] == "array" else f"[{name}.<id>]"
            else:
                name = f"[{name}]"
            if attrs.has(inner):
                places.setdefault(inner, []).append(name)
                if len(places[inner]) == 1:
                    queue.append((inner, name.strip("[]") + "."))
    return [Table(found[0] if len(found) == 1 else f"{cls.__name__}s", cls) for cls, found in places.items()]


def _kind(hint: Any, names: Mapping[type, str]) -> str:
    hint = _optional(hint)
    branches = _union(hint)
    if branches:
        return " or ".join(_kind(branch, names) for branch in branches)
    if hint in _SCALARS:
        return _SCALARS[hint][1]
    if get_origin(hint) is Literal:
        return " or ".join(quote(choice) for choice in get_args(hint))
    if attrs.has(hint):
        name = names[hint]
        return f"table `{name}`" if name.startswith("[") else f"{name.lower()[:-1]} table"
    item = _item(hint)
    assert item is not None, hint
    kind, inner = item
    if attrs.has(inner):
        name = names[inner]
        if not name.startswith("["):
            return f"array of {name.lower()}"
        return f"array of `{name}` tables" if kind == "array" else f"`{name}` tables"
    return f"array of {_kind(inner, names)}s" if kind == "array" else f"`{{ id = {_kind(inner, names)} }}`"


def _shown(default: Any) -> str:
    if default is None:
        return "not set"
    if isinstance(default, float):
        return f"`{default!r}`"
    if isinstance(default, dict):
        return "`{}`"
    if isinstance(default, list):
        return "`[]`"
    return f"`{quote(default)}`"


def reference_table(cls: type) -> str:
    """The Markdown table of a class's keys: key, type, default and meaning."""
    names = {table.cls: table.name for table in tables()}
    docs = field_docs(cls)
    rows = ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
    for key, field, hint in _fields(cls):
        has_default, default = _default(field)
        meaning = docs.get(field.name, "").replace("|", "\\|")
        shown = _shown(default) if has_default else "required"
        rows.append(f"| `{key}` | {_kind(hint, names)} | {shown} | {meaning} |")
    return "\n".join(rows) + "\n"


_BLOCK = re.compile(r"(<!-- keys: (?P<name>.+?) -->\n)(?P<body>.*?)(<!-- /keys -->)", re.DOTALL)


def update_reference(text: str) -> str:
    """`text` with each `<!-- keys: NAME -->` ... `<!-- /keys -->` block holding NAME's key table."""
    by_name = {table.name: table.cls for table in tables()}

    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in by_name:
            raise ValueError(f"no table {quote(name)} in the deck format (known: {', '.join(by_name)})")
        return match.group(1) + reference_table(by_name[name]) + match.group(4)

    return _BLOCK.sub(fill, text)


def _main(args: list[str]) -> int:
    if not args:
        sys.stdout.write(schema_text())
        return 0
    for name in args:
        with open(name, encoding="utf-8") as file:
            text = file.read()
        updated = update_reference(text)
        if updated != text:
            with open(name, "w", encoding="utf-8") as file:
                file.write(updated)
            print(f"updated {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
