"""Hypothesis strategies that damage deck and save files the way a hostile or careless user would.

Structure-aware: a file is parsed with tomllib, a few mutations are made to its document tree (a value
of another type, a key deleted, an unknown key, an array entry or a table duplicated, a value nested a
few levels, huge or negative numbers, hostile unicode, empty strings) and the tree is written back with
tomli-w. Byte-aware too: the text itself is truncated, has a byte flipped, a line duplicated or dropped.

The mutations are bounded (`Bounds`) so that today's code passes: the cases of issue 14's items 1-8 are
fixed and tested by their own branches. `Bounds` names what would widen them once they land.

A helper module, not a test module: test modules import from here (and from helpers.py).
"""

from __future__ import annotations

import copy
import random
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import tomli_w
from hypothesis import strategies as st

from tests.helpers import MINI, random_facilitator_action
from wargame import ai
from wargame.engine import apply, is_over, legal_actions, new_game
from wargame.model import Action, Controller, Deck, GameState, Scripted
from wargame.storage import bundled_decks, load_deck
from wargame.storage.saves import Facilitation, format_save, make_save

Doc = dict[str, Any]
Place = tuple[str | int, ...]
"""Where a value is in a document: keys of tables and indexes of arrays, from the top."""


@attrs.frozen
class Bounds:
    """How far the mutations go. The defaults keep clear of issue 14's items 1-8 (see the module)."""

    depth: int = 40
    """At most this many levels of tables or arrays around a nested value: past the loaders' bound of
    32, so the refusal is exercised. Not hundreds: tomli_w, which writes the mutated tree back, recurses
    per level too (the 400-deep text of issue 14, item 1 is tested in test_hardening_files.py)."""
    repeats: int = 3
    """At most this many copies of a duplicated entry. Item 4 (quadratic keys, huge files) needs
    thousands; once the loaders refuse big files, 20,000 finds it."""
    mutations: int = 3
    """At most this many tree mutations on one file."""
    magnitude: int | None = None
    """Integers at most this far from 0 (None: any, up to 10**400). A deck that passes its check is
    played, and two findings that are not among issue 14's items are left to the lead: a track or stat
    range of 0..10**8 passes and the AI hangs weighing every value in it; an amount past 1.8e308 passes
    and the AI raises OverflowError. Once the deck check bounds them, None finds both. Saves take any."""


BOUNDS = Bounds()
#: Saves are not played by the AI: any number.
SAVE_BOUNDS = Bounds(magnitude=None)


# --- the files to start from ---------------------------------------------------------------------


def deck_files() -> list[Path]:
    """The bundled decks and the tests' small one."""
    return [*bundled_decks(), MINI]


@cache
def deck_text(path: Path) -> str:
    return path.read_text("utf-8")


def _ai_controllers(deck: Deck) -> dict[str, Controller]:
    return {nation.id: Scripted(nation.persona) for nation in deck.nations}


def play_ai_game(deck: Deck, seed: int, limit: int = 5000) -> GameState:
    """One game of the AI against itself to its end; AssertionError if it does not end in `limit`
    actions (a deck that passed the check must give a game that ends)."""
    state = new_game(deck, seed, _ai_controllers(deck))
    for _ in range(limit):
        if is_over(state):
            return state
        assert state.pending is not None
        state, _ = apply(state, ai.choose(state, state.pending.seat))
    raise AssertionError(f"the game of seed {seed} did not end in {limit} actions")


@cache
def save_texts() -> tuple[tuple[str, str], ...]:
    """Saves made by playing: (name, TOML text). Over and unfinished games, of the bundled deck and the
    small one, with facilitator actions (notes with quotes and new lines, injections, adjustments) and a
    facilitation header (facilitator mode, a turn timer); the deck paths are the real files, so the
    untouched saves load."""
    made = []
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    for path, seed, steps, steer in (
        (MINI, 1, None, 0.0),
        (MINI, 2, 25, 0.3),
        (bundled_decks()[0], 3, 40, 0.1),
    ):
        deck = load_deck(path)
        state, actions = new_game(deck, seed, _ai_controllers(deck)), []
        chooser = random.Random(seed)
        while not is_over(state) and (steps is None or len(actions) < steps):
            if steer and chooser.random() < steer:
                action: Action = random_facilitator_action(chooser, state)
            else:
                action = chooser.choice(legal_actions(state))
            state, _ = apply(state, action)
            actions.append(action)
        facilitation = (
            Facilitation(facilitator=True, turn_timer=90.0, on_timeout="ai") if steer else Facilitation()
        )
        save = make_save(path, deck, state, actions, now=when, facilitation=facilitation)
        made.append((f"{path.stem}-seed{seed}", format_save(save)))
    return tuple(made)


# --- values ---------------------------------------------------------------------------------------

#: Text that has broken programs before: right-to-left marks and script, combining marks, emoji with
#: joiners and skin tones, control characters (a NUL only escaped: TOML holds no raw one), a BOM,
#: long and empty text. Lone surrogates are left out (UTF-8 cannot hold them).
HOSTILE = [
    "",
    " ",
    "\u202eevil\u202c",
    "שלום עולם",
    "مرحبا",
    "e\u0301\u0302\u0303\u0304",
    "Z̸̧̛͓̈́a̵̢̛l̴g̶o̷",
    "👩‍👩‍👧‍👦",
    "👍🏽🇵🇱",
    "\x01\x02\x1b[31m\x7f",
    "nul\x00inside",  # written as \u0000: a path holding it once made the save loader raise ValueError
    "\t\r\n",
    "\ufeffbom",
    "\u200b\u200d\u2060",
    "a" * 300,
    '"quotes" \\ back\\slash',
    "[deck]\nid = 'x'",
    # Times at the ends of the calendar: moved to UTC they leave it (an OverflowError, once a traceback).
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
]


def hostile_text() -> st.SearchStrategy[str]:
    """Unicode a user could type or paste, NUL-free."""
    return st.sampled_from(HOSTILE) | st.text(
        st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=40
    )


def numbers(magnitude: int | None = None) -> st.SearchStrategy[int | float]:
    """Numbers at and past the edges: huge (past 2**63, which TOML itself does not allow an integer
    to reach, but tomli-w writes), negative, zero, fractions, infinities and NaN."""
    edges = [0, -1, 1, -(2**31), 2**31, 2**63 - 1, -(2**63), 2**63, 2**64 + 1, -(2**70), 10**30, 10**400]
    if magnitude is not None:
        edges = [*(n for n in edges if abs(n) <= magnitude), magnitude, -magnitude]
    near = 10**6 if magnitude is None else magnitude
    return st.sampled_from(edges) | st.integers(-near, near) | st.floats(allow_nan=True, allow_infinity=True)


def leaves(magnitude: int | None = None) -> st.SearchStrategy[Any]:
    """A value that is not a table or an array."""
    return numbers(magnitude) | st.booleans() | hostile_text()


def values(magnitude: int | None = None) -> st.SearchStrategy[Any]:
    """Any TOML value, a few tables and arrays deep."""
    return st.recursive(
        leaves(magnitude),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys(), inner, max_size=3),
        max_leaves=6,
    )


def keys() -> st.SearchStrategy[str]:
    """A key a deck or a save does not know, or one it knows in the wrong place."""
    known = ["id", "name", "type", "cards", "responses", "effects", "tracks", "nations", "save", "turn"]
    return st.sampled_from(known) | hostile_text() | st.from_regex(r"[a-z_]{1,12}", fullmatch=True)


# --- the document tree --------------------------------------------------------------------------


def places(doc: Any, here: Place = ()) -> list[Place]:
    """Every place in a document below its top, parents before children."""
    found: list[Place] = []
    children: list[tuple[str | int, Any]] = []
    if isinstance(doc, dict):
        children = list(doc.items())
    elif isinstance(doc, list):
        children = list(enumerate(doc))
    for key, value in children:
        found.append((*here, key))
        found.extend(places(value, (*here, key)))
    return found


def containers(doc: Doc) -> list[Place]:
    """The top and every table or array below it."""
    return [()] + [place for place in places(doc) if isinstance(get(doc, place), dict | list)]


def get(doc: Any, place: Place) -> Any:
    for key in place:
        doc = doc[key]
    return doc


def _put(doc: Any, place: Place, value: Any) -> None:
    get(doc, place[:-1])[place[-1]] = value


def kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    for name, cls in (("int", int), ("float", float), ("str", str), ("table", dict), ("array", list)):
        if isinstance(value, cls):
            return name
    return "other"  # dates and times, which tomllib gives for unquoted ones


def kinds(magnitude: int | None) -> dict[str, st.SearchStrategy[Any]]:
    """A value of each kind."""
    return {
        "int": numbers(magnitude).filter(lambda n: isinstance(n, int)),
        "float": st.floats(allow_nan=True, allow_infinity=True),
        "bool": st.booleans(),
        "str": hostile_text(),
        "table": st.dictionaries(keys(), leaves(magnitude), max_size=3),
        "array": st.lists(leaves(magnitude), max_size=3),
    }


Mutation = Callable[["_Draws", Doc, Bounds], None]


def swap_type(data: _Draws, doc: Doc, bounds: Bounds) -> None:
    """A value replaced by one of another type (int, str, float, bool, table, array)."""
    place = data.draw(st.sampled_from(places(doc)), label="swap at")
    was = kind(get(doc, place))
    of_kind = kinds(bounds.magnitude)
    other = data.draw(st.sampled_from([name for name in of_kind if name != was]), label="new kind")
    _put(doc, place, data.draw(of_kind[other], label="new value"))


def delete_key(data: _Draws, doc: Doc, bounds: Bounds) -> None:
    """A key of a table, or an entry of an array, taken out."""
    place = data.draw(st.sampled_from(places(doc)), label="delete")
    del get(doc, place[:-1])[place[-1]]


def add_unknown_key(data: _Draws, doc: Doc, bounds: Bounds) -> None:
    """A key added to a table (perhaps the top), or an entry to an array."""
    place = data.draw(st.sampled_from(containers(doc)), label="add into")
    target = get(doc, place)
    value = data.draw(values(bounds.magnitude), label="added value")
    if isinstance(target, dict):
        target[data.draw(keys(), label="added key")] = value
    else:
        target.insert(data.draw(st.integers(0, len(target)), label="at"), value)


def duplicate(data: _Draws, doc: Doc, bounds: Bounds) -> None:
    """An entry of an array (an array of tables: a card, a response, an action) repeated, or a table
    copied under another key beside it."""
    arrays = [place for place in containers(doc) if isinstance(get(doc, place), list) and get(doc, place)]
    tables = [place for place in places(doc) if isinstance(get(doc, place), dict)]
    place = data.draw(st.sampled_from(arrays + tables), label="duplicate")
    target = get(doc, place)
    copies = data.draw(st.integers(1, bounds.repeats), label="copies")
    if isinstance(target, list):
        index = data.draw(st.integers(0, len(target) - 1), label="entry")
        for _ in range(copies):
            target.insert(index, copy.deepcopy(target[index]))
    else:
        parent = get(doc, place[:-1])
        for number in range(copies):
            name = f"{place[-1]}_{number}" if isinstance(parent, dict) else None
            if name is None:
                parent.append(copy.deepcopy(target))
            else:
                parent[name] = copy.deepcopy(target)


def nest(data: _Draws, doc: Doc, bounds: Bounds) -> None:
    """A value wrapped in a few levels of tables or arrays."""
    place = data.draw(st.sampled_from(places(doc)), label="nest")
    value = get(doc, place)
    for _ in range(data.draw(st.integers(1, bounds.depth), label="levels")):
        value = [value] if data.draw(st.booleans(), label="array") else {"a": value}
    _put(doc, place, value)


def edge_number(data: _Draws, doc: Doc, bounds: Bounds) -> None:
    """A number replaced by a huge, negative or odd one (an integer where there is one)."""
    found = [place for place in places(doc) if kind(get(doc, place)) in ("int", "float")]
    place = data.draw(st.sampled_from(found or places(doc)), label="number at")
    _put(doc, place, data.draw(numbers(bounds.magnitude), label="number"))


def hostile_string(data: _Draws, doc: Doc, bounds: Bounds) -> None:
    """A string replaced by hostile unicode or an empty string, or a hostile key replacing a key."""
    found = [place for place in places(doc) if isinstance(get(doc, place), str)]
    place = data.draw(st.sampled_from(found or places(doc)), label="string at")
    text = data.draw(hostile_text(), label="text")
    parent = get(doc, place[:-1])
    if isinstance(parent, dict) and data.draw(st.booleans(), label="rename the key"):
        parent[text] = parent.pop(place[-1])
    else:
        _put(doc, place, text)


MUTATIONS: list[Mutation] = [
    swap_type,
    delete_key,
    add_unknown_key,
    duplicate,
    nest,
    edge_number,
    hostile_string,
]


#: Mutations that often leave a deck playable: the values change, not the shape.
MILD: list[Mutation] = [edge_number, hostile_string, duplicate]


@st.composite
def mutated_document(
    draw: st.DrawFn, text: str, bounds: Bounds = BOUNDS, mutations: list[Mutation] = MUTATIONS
) -> str:
    """The TOML `text` with 1 to `bounds.mutations` of `mutations` made to its tree, as TOML text."""
    doc = tomllib.loads(text)
    for _ in range(draw(st.integers(1, bounds.mutations), label="mutations")):
        mutation = draw(st.sampled_from(mutations), label="mutation")
        if not places(doc) and mutation is not add_unknown_key:
            mutation = add_unknown_key
        mutation(_Draws(draw), doc, bounds)
    return tomli_w.dumps(doc)


class _Draws:
    """`draw` with the `st.DataObject` interface the mutations use."""

    def __init__(self, draw: st.DrawFn) -> None:
        self._draw = draw

    def draw(self, strategy: st.SearchStrategy[Any], label: str | None = None) -> Any:
        return self._draw(strategy, label=label)


# --- bytes ------------------------------------------------------------------------------------------


@st.composite
def mutated_bytes(draw: st.DrawFn, text: str) -> bytes:
    """The file's bytes damaged: truncated, a byte flipped, a line duplicated, dropped or swapped."""
    data = text.encode("utf-8")
    if not data:  # a tree mutation can leave nothing to damage: put a line in
        return draw(hostile_text(), label="new line").encode("utf-8") + b"\n"
    lines = data.splitlines(keepends=True)
    how = draw(st.sampled_from(["truncate", "flip", "duplicate", "drop", "swap", "insert"]), label="how")
    if how == "truncate":
        return data[: draw(st.integers(0, len(data)), label="length")]
    if how == "flip":
        at = draw(st.integers(0, len(data) - 1), label="at")
        bit = draw(st.integers(0, 7), label="bit")
        return data[:at] + bytes([data[at] ^ (1 << bit)]) + data[at + 1 :]
    at = draw(st.integers(0, len(lines) - 1), label="line")
    if how == "duplicate":
        lines.insert(at, lines[at])
    elif how == "drop":
        del lines[at]
    elif how == "swap":
        other = draw(st.integers(0, len(lines) - 1), label="other line")
        lines[at], lines[other] = lines[other], lines[at]
    else:
        line = draw(hostile_text(), label="new line")
        lines.insert(at, line.encode("utf-8") + b"\n")
    return b"".join(lines)


def mutated_file(text: str, bounds: Bounds = BOUNDS) -> st.SearchStrategy[bytes]:
    """A damaged copy of a TOML file: its tree mutated, its bytes damaged, or both."""
    tree = mutated_document(text, bounds)
    return st.one_of(
        tree.map(lambda out: out.encode("utf-8")),
        mutated_bytes(text),
        tree.flatmap(mutated_bytes),
    )


def mutated_decks(bounds: Bounds = BOUNDS) -> st.SearchStrategy[tuple[str, bytes]]:
    """(the deck's file name, damaged bytes) of one of the decks."""
    return st.sampled_from(deck_files()).flatmap(
        lambda path: mutated_file(deck_text(path), bounds).map(lambda data: (path.name, data))
    )


def mildly_mutated_decks(bounds: Bounds = BOUNDS) -> st.SearchStrategy[tuple[str, bytes]]:
    """(the deck's file name, TOML) of one of the decks with its values changed (`MILD`)."""
    return st.sampled_from(deck_files()).flatmap(
        lambda path: mutated_document(deck_text(path), bounds, MILD).map(
            lambda out: (path.name, out.encode("utf-8"))
        )
    )


def mutated_saves(bounds: Bounds = SAVE_BOUNDS) -> st.SearchStrategy[tuple[str, bytes]]:
    """(a name for the save, damaged bytes) of one of the saves made by playing."""
    return st.sampled_from(save_texts()).flatmap(
        lambda made: mutated_file(made[1], bounds).map(lambda data: (made[0], data))
    )
