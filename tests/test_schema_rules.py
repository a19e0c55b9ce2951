"""The JSON Schema says no more than `deck check`: wherever it refuses a deck, `deck check` does too.

Every value of the bundled decks and the test decks is changed in the ways a designer gets wrong: a
number out of any bound, an empty or badly shaped string, an empty array or table, a key left out or
misnamed, `inf`. Each place in the format (`cards.*.copies`) is changed once, at its first occurrence
in the smallest deck that has it, so the bundled decks give the places the test decks lack.
Wherever the schema (Draft 4, as Taplo reads it) refuses the change, `deck check` must refuse it
as an error.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomli_w

from wargame.storage import check_deck_text
from wargame.storage.schema import DECK_ID_PATTERN, deck_schema

ROOT = Path(__file__).parent.parent
BUNDLED = sorted((ROOT / "decks").glob("*.toml"))
TEST_DECKS = [
    ROOT / "tests" / "decks" / name for name in ("mini.toml", "red.toml", "postures.toml", "council.toml")
]
#: The smallest first: a change is checked in the smallest deck that has its place (`deck check`
#: takes the longer the larger the deck, and the rules do not depend on the deck's size).
DECKS = sorted([*BUNDLED, *TEST_DECKS], key=lambda path: path.stat().st_size)

Json = Any
PathKey = tuple[str | int, ...]
#: Stands for "leave the key out".
DROP = object()
#: Stands for "give the key a name no table has".
RENAME = object()

INTEGERS = (-1_000_001, -2, 0, 101, 1_000_001)
FLOATS = (math.inf, -math.inf, -1.5, 1.5)
STRINGS = ("", " ", "a b", "any")


@cache
def schema() -> Json:
    return deck_schema()


def resolved(node: Json) -> Json:
    """A schema with its `$ref` and `allOf` (of one `$ref`) followed to the definition."""
    while True:
        if "$ref" in node:
            node = schema()["definitions"][node["$ref"].rsplit("/", 1)[1]]
        elif "allOf" in node and len(node["allOf"]) == 1 and "properties" not in node:
            node = node["allOf"][0]
        else:
            return node


def places(
    data: Json, node: Json, path: PathKey = (), shape: PathKey = ()
) -> Iterator[tuple[PathKey, PathKey]]:
    """(path, shape) of every value in `data`; the shape puts `*` for an array index or a key of a
    table keyed by id, so that `cards.*.copies` stands for every card's copies."""
    node = resolved(node)
    yield path, shape
    if isinstance(data, dict):
        for key, value in data.items():
            if key in node.get("properties", {}):
                yield from places(value, node["properties"][key], (*path, key), (*shape, key))
            else:
                inner = node.get("additionalProperties")
                if not isinstance(inner, dict):
                    inner = next(iter(node.get("patternProperties", {}).values()), {})
                yield from places(value, inner, (*path, key), (*shape, "*"))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from places(value, node.get("items", {}), (*path, index), (*shape, "*"))


def mutations(value: Json) -> tuple[Json, ...]:
    if isinstance(value, bool):
        return ()
    if isinstance(value, int):
        return INTEGERS
    if isinstance(value, float):
        return FLOATS
    if isinstance(value, str):
        return STRINGS
    if isinstance(value, list):
        return ([],)
    if isinstance(value, dict):
        return ({},)
    return ()


def at(data: Json, path: PathKey) -> Json:
    for part in path:
        data = data[part]
    return data


def replaced(data: Json, path: PathKey, value: Json) -> Json:
    """`data` with the value at `path` replaced (or dropped, or its key renamed); the rest shared."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, list):
        out_list = list(data)
        out_list[head] = replaced(data[head], rest, value)  # type: ignore[index]
        return out_list
    out = dict(data)
    if rest:
        out[head] = replaced(data[head], rest, value)
    elif value is DROP:
        del out[head]
    elif value is RENAME:
        out[f"{head} x"] = out.pop(head)
    else:
        out[head] = value
    return out


def first_places() -> list[tuple[Path, PathKey, PathKey]]:
    """(deck, path, shape) for each shape, at its first occurrence in the first deck that has it."""
    seen: set[PathKey] = set()
    found = []
    for deck in DECKS:
        data = tomllib.loads(deck.read_text("utf-8"))
        for path, shape in places(data, schema()):
            if path and shape not in seen:
                seen.add(shape)
                found.append((deck, path, shape))
    return found


PLACES = first_places()


def test_the_changes_reach_every_kind_of_table() -> None:
    shapes = {".".join(map(str, shape)) for _, _, shape in PLACES}
    # The walk follows the schema into every table the decks use, rules v2 included.
    for shape in (
        "deck.rounds",
        "cards.*.copies",
        "cards.*.responses.*.chance",
        "cards.*.attribution.*",
        "consultation.threshold",
        "personas.*.risk_aversion",
        "adversary.hand",
        "adversary.personas.*.prefers.*.weight",
        "postures.*.levels.*.chance.*",
        "sources.*.date",
        "endings.*.when.*.track",
        "investments.*.limit",
    ):
        assert shape in shapes, shape
    assert len(PLACES) > 150


def _unit(path: PathKey) -> PathKey:
    """The part of the deck a change at `path` is checked in by the schema: a top-level table, or
    one element of a top-level array or id-keyed table (validating one card is cheaper than 41)."""
    top = resolved(schema()["properties"][path[0]]) if path[0] in schema()["properties"] else {}
    return path[:1] if "properties" in top or len(path) < 2 else path[:2]


def _unit_schema(unit: PathKey) -> Json:
    node = schema()["properties"][unit[0]]
    if len(unit) == 2:
        node = resolved(node)
        node = node["items"] if isinstance(unit[1], int) else node["additionalProperties"]
    return {**node, "definitions": schema()["definitions"]}


@cache
def _whole() -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(schema())


@cache
def _validator(unit_shape: tuple[str, bool]) -> jsonschema.Draft4Validator:
    name, element = unit_shape
    unit: PathKey = (name, 0) if element else (name,)
    return jsonschema.Draft4Validator(_unit_schema(unit))


def _validator_for(data: Json, unit: PathKey) -> jsonschema.Draft4Validator:
    if len(unit) == 2 and isinstance(unit[1], str):
        # A table keyed by id: its entries share the additionalProperties schema.
        return jsonschema.Draft4Validator(_unit_schema(unit))
    return _validator((str(unit[0]), len(unit) == 2))


def _refused_by_schema(data: Json, path: PathKey) -> bool:
    if path[0] not in schema()["properties"]:
        return True  # an unknown top-level key
    unit = _unit(path)
    if path == unit:  # the unit itself changed, dropped or renamed: the whole deck is the unit
        return not _whole().is_valid(data)
    return not _validator_for(data, unit).is_valid(at(data, unit))


@pytest.mark.parametrize("deck", DECKS, ids=lambda path: path.name)
def test_what_the_schema_refuses_deck_check_refuses(deck: Path) -> None:
    data = tomllib.loads(deck.read_text("utf-8"))
    assert jsonschema.Draft4Validator(schema()).is_valid(data)
    refused = 0
    missed: list[str] = []
    for _, path, _shape in (place for place in PLACES if place[0] == deck):
        value = at(data, path)
        changes: list[Json] = [*mutations(value), DROP]
        if isinstance(path[-1], str):
            changes.append(RENAME)
        else:
            changes.remove(DROP)  # an array element has no key to leave out
        for change in changes:
            changed = replaced(data, path, change)
            if not _refused_by_schema(changed, path):
                continue
            refused += 1
            problems = check_deck_text(tomli_w.dumps(changed), deck.name)
            if not any(problem.is_error for problem in problems):
                shown = (
                    "left out"
                    if change is DROP
                    else "renamed"
                    if change is RENAME
                    else "= " + json.dumps(change)
                )
                missed.append(f"{'.'.join(map(str, path))} {shown}")
    assert missed == [], "the schema refuses these, deck check lets them be:\n" + "\n".join(missed)
    assert refused > 0


def test_the_schema_refuses_what_it_can_say() -> None:
    """A few of the static rules, each refused by the schema (the test above proves deck check agrees)."""
    data = tomllib.loads(TEST_DECKS[0].read_text("utf-8"))
    validator = jsonschema.Draft4Validator(schema())
    for path, value in [
        (("deck", "rounds"), 0),
        (("deck", "rounds"), 101),
        (("deck", "id"), "a b"),
        (("deck", "title"), " "),
        (("cards", 0, "copies"), 0),
        (("cards", 0, "responses"), []),
        (("cards", 0, "responses", 0, "chance"), 101),
        (("cards", 0, "responses", 0, "cost"), -1),
        (("consultation", "threshold"), 0),
        (("personas", "hawk", "risk_aversion"), -0.5),
        (("personas", "hawk", "tracks", "credibility"), math.inf),
        (("nations",), []),
        (("nations", 0, "id"), "frontline"),
        (("endings", 0, "when"), []),  # a defeat ending with no conditions
        (("endings", 0, "when", 0), {}),  # a condition with no subject
        (("investments", 0, "limit"), 0),
    ]:
        assert not validator.is_valid(replaced(data, path, value)), (path, value)
    assert validator.is_valid(replaced(data, ("deck", "id"), "ünïcode-2"))


def test_the_id_pattern_reads_the_same_where_classes_are_ascii() -> None:
    # Taplo's validator (as JavaScript's) reads \w and \W as ASCII: an id of any script that deck
    # check accepts must pass there too, so the pattern may not lean on Unicode classes.
    for flags in (0, re.ASCII):
        pattern = re.compile(DECK_ID_PATTERN, flags)
        for good in ("marea-neagră", "ünïcode-2", "eastern-flank-2025", "Марея"):
            assert pattern.search(good), (good, flags)
        for bad in ("a b", "a_b", "a--b", "-a", "a-", "", "a.b", "a/b"):
            assert not pattern.search(bad), (bad, flags)
