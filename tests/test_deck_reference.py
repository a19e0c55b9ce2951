"""docs/deck-format.md documents every key of the model, in the section of its table.

The walk below is independent of the generator in `wargame.storage.schema`: it follows the attrs
classes reachable from `Deck` and names each by where it first appears in a deck file —
`[deck]`, `[tracks.<id>]`, `[[cards.responses]]`; "top level" for `Deck` itself; and, for a class used
in several places (effects, conditions), its name in the plural.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import attrs
import pytest
from click.testing import CliRunner

from wargame.cli import main
from wargame.model.deck import Deck
from wargame.storage.schema import update_reference

DOC = Path(__file__).parent.parent / "docs" / "deck-format.md"
TEXT = DOC.read_text("utf-8")


def toml_fields(cls: type) -> list[tuple[str, Any]]:
    hints = get_type_hints(cls)
    return [(f.metadata.get("toml", f.name), hints[f.name]) for f in attrs.fields(cls) if f.init]


def inner_class(hint: Any) -> tuple[str, type] | None:
    """("table" | "array" | "keyed", the attrs class) for a field holding tables, else None."""
    args = [arg for arg in get_args(hint) if arg is not type(None)]
    if attrs.has(hint):
        return "table", hint
    if get_origin(hint) is tuple and attrs.has(args[0]):
        return "array", args[0]
    if get_origin(hint) is Mapping and attrs.has(args[-1]):
        return "keyed", args[-1]
    if len(args) == 1 and attrs.has(args[0]):  # X | None
        return "table", args[0]
    return None


def table_names() -> dict[type, str]:
    places: dict[type, list[str]] = {Deck: ["top level"]}
    queue: list[tuple[type, str]] = [(Deck, "")]
    while queue:
        cls, prefix = queue.pop(0)
        for key, hint in toml_fields(cls):
            found = inner_class(hint)
            if found is None:
                continue
            kind, inner = found
            dotted = prefix + key
            name = {"table": f"[{dotted}]", "array": f"[[{dotted}]]", "keyed": f"[{dotted}.<id>]"}[kind]
            places.setdefault(inner, []).append(name)
            if len(places[inner]) == 1:
                queue.append((inner, name.strip("[]") + "."))
    return {cls: found[0] if len(found) == 1 else cls.__name__ + "s" for cls, found in places.items()}


NAMES = table_names()


def section(name: str) -> str:
    """The text under the `###` heading that names the table, up to the next heading."""
    headings = list(re.finditer(r"^#{2,3} (.*)$", TEXT, flags=re.MULTILINE))
    for number, heading in enumerate(headings):
        if heading.group(1).strip("` ").lower() == name.lower():
            end = headings[number + 1].start() if number + 1 < len(headings) else len(TEXT)
            return TEXT[heading.end() : end]
    raise AssertionError(f"docs/deck-format.md has no section headed {name!r}")


def test_the_walk_finds_every_table() -> None:
    assert sorted(NAMES.values()) == sorted(
        [
            "top level",
            "[deck]",
            "[tracks.<id>]",
            "[stats.<id>]",
            "[[nations]]",
            "Objectives",
            "[personas.<id>]",
            "[consultation]",
            "[council]",
            "[postures.<id>]",
            "[[postures.<id>.levels]]",
            "[[investments]]",
            "[[cards]]",
            "[[cards.responses]]",
            "[[extra_draws]]",
            "[[drift]]",
            "[[endings]]",
            "[adversary]",
            "[adversary.stats.<id>]",
            "[adversary.personas.<id>]",
            "[[adversary.personas.<id>.prefers]]",
            "[[sources]]",
            "Effects",
            "Conditions",
        ]
    )


@pytest.mark.parametrize("cls", list(NAMES), ids=lambda cls: NAMES[cls])
def test_every_key_is_in_its_tables_section(cls: type) -> None:
    text = section(NAMES[cls])
    missing = [key for key, _ in toml_fields(cls) if not re.search(rf"^\| `{re.escape(key)}` \|", text, re.M)]
    assert missing == [], f"docs/deck-format.md, section {NAMES[cls]}: no row for {missing}"
    assert "```toml" in text, f"docs/deck-format.md, section {NAMES[cls]}: no example"


def test_the_key_tables_are_current() -> None:
    assert update_reference(TEXT) == TEXT, (
        "the key tables of docs/deck-format.md differ from the model: "
        "run `python -m wargame.storage.schema docs/deck-format.md`"
    )


def test_the_tutorial_ends_with_check_and_simulate() -> None:
    tutorial = section("Your first deck")
    commands = re.findall(r"^\$ (wargame (?:deck )?\w+)", tutorial, flags=re.MULTILINE)
    assert commands[0] == "wargame deck new"
    assert commands[-2:] == ["wargame deck check", "wargame simulate"]


def test_the_tutorial_says_what_deck_check_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tutorial = section("Your first deck")
    card = re.search(r"```toml\n(.*?)```", tutorial, flags=re.DOTALL)
    said = re.findall(r"^\$ wargame deck check[^\n]*\n(.*?)\n```", tutorial, flags=re.MULTILINE | re.DOTALL)
    assert card is not None and len(said) == 2
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert (
        runner.invoke(main, ["deck", "new", "baltic-nights.toml", "--title", "Baltic nights"]).exit_code == 0
    )
    path = tmp_path / "baltic-nights.toml"
    path.write_text(path.read_text("utf-8") + "\n" + card.group(1), encoding="utf-8")
    assert runner.invoke(main, ["deck", "check", "baltic-nights.toml"]).stdout.strip() == said[0]
    path.write_text(path.read_text("utf-8").replace("escalaton", "escalation"), encoding="utf-8")
    fixed = runner.invoke(main, ["deck", "check", "--strict", "baltic-nights.toml"])
    assert (fixed.exit_code, fixed.stdout.strip()) == (0, said[1])
