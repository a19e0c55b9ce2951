"""`wargame deck new PATH`: a commented starter deck that passes `deck check` and plays."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from wargame.ai import choose
from wargame.cli import main
from wargame.engine import apply, is_over, new_game, result
from wargame.storage import check_deck, load_deck
from wargame.storage.decks import new_deck_text
from wargame.storage.schema import schema_text


def new(*args: str) -> Result:
    return CliRunner().invoke(main, ["deck", "new", *args])


def test_new_writes_the_deck_and_the_schema_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "baltic-drones.toml"
    done = new(str(path))
    assert done.exit_code == 0, done.output
    schema = tmp_path / "deck.schema.json"
    assert done.stdout.splitlines() == [
        f"wrote {path}: a starter deck; its comments say what each table does",
        f"wrote {schema}: the JSON Schema its #:schema line points editors at",
        f"next: edit it, then run  wargame deck check {path}  and  wargame simulate {path}",
    ]
    text = path.read_text("utf-8")
    assert text.startswith("#:schema ./deck.schema.json\n")
    assert f"wargame deck check {path.name}" in text
    assert schema.read_text("utf-8") == schema_text()
    jsonschema.Draft4Validator(json.loads(schema_text())).validate(tomllib.loads(text))
    deck = load_deck(path)
    assert (deck.info.id, deck.info.title) == ("baltic-drones", "Baltic drones")


def test_the_new_deck_passes_check_without_warnings(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    assert new(str(path)).exit_code == 0
    assert check_deck(path) == []
    strict = CliRunner().invoke(main, ["deck", "check", "--strict", str(path)])
    assert (strict.exit_code, strict.stdout) == (0, f'{path}: ok — "Mine" v0.1, 3 nations, 4 cards\n')


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_new_deck_plays_to_the_end(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "mine.toml"
    assert new(str(path)).exit_code == 0
    state = new_game(load_deck(path), seed)
    for _ in range(2000):
        if is_over(state):
            break
        assert state.pending is not None
        state, _events = apply(state, choose(state, state.pending.seat))
    assert is_over(state)
    assert result(state).ending in {"war", "fracture", "stronger", "holds"}


def uncommented(text: str) -> str:
    """The starter deck with its commented adversary uncommented, as its comment tells a designer."""
    start = text.index("\n# [adversary]\n")
    return text[:start] + re.sub(r"^# ?", "", text[start:], flags=re.MULTILINE)


def test_the_new_deck_shows_a_commented_adversary(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    assert new(str(path)).exit_code == 0
    text = path.read_text("utf-8")
    assert load_deck(path).adversary is None
    assert "uncomment it to let it play" in text
    assert "\n[adversary]" not in text and "\n# [adversary]\n" in text


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_uncommented_adversary_passes_strict_check_and_plays(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "mine.toml"
    assert new(str(path)).exit_code == 0
    path.write_text(uncommented(path.read_text("utf-8")), encoding="utf-8")
    strict = CliRunner().invoke(main, ["deck", "check", "--strict", str(path)])
    assert (strict.exit_code, strict.stdout) == (0, f'{path}: ok — "Mine" v0.1, 3 nations, 4 cards\n')
    deck = load_deck(path)
    assert deck.adversary is not None and deck.adversary.id == "moscow"
    assert set(deck.adversary.personas) == {"prober", "escalator"}
    state = new_game(deck, seed)
    played = 0
    for _ in range(2000):
        if is_over(state):
            break
        assert state.pending is not None
        played += state.pending.seat == "moscow"
        state, _events = apply(state, choose(state, state.pending.seat))
    assert is_over(state)
    assert played >= 1  # the adversary chose cards
    assert result(state).ending in {"war", "fracture", "stronger", "holds"}
    assert result(state).adversary is not None


def test_title_and_id_options(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    done = new(str(path), "--title", 'The "Suwałki" gap', "--id", "suwalki-gap")
    assert done.exit_code == 0, done.output
    info = load_deck(path).info
    assert (info.id, info.title) == ("suwalki-gap", 'The "Suwałki" gap')


def test_a_bad_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    done = new(str(path), "--id", "my deck")
    assert done.exit_code == 2
    assert 'expected letters, digits and dashes, got "my deck"' in done.stderr
    assert not path.exists()
    with pytest.raises(ValueError, match='got "a_b"'):
        new_deck_text(deck_id="a_b")


def test_new_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("my own work\n", encoding="utf-8")
    done = new(str(path))
    assert done.exit_code == 1
    assert done.stderr == f'Error: "{path}" already exists: nothing was written\n'
    assert path.read_text("utf-8") == "my own work\n"
    assert not (tmp_path / "deck.schema.json").exists()


def test_an_existing_schema_file_is_kept(tmp_path: Path) -> None:
    schema = tmp_path / "deck.schema.json"
    schema.write_text("{}", encoding="utf-8")
    path = tmp_path / "mine.toml"
    done = new(str(path))
    assert done.exit_code == 0
    assert done.stdout.splitlines()[1] == f"kept {schema} (refresh it with: wargame deck schema -o {schema})"
    assert schema.read_text("utf-8") == "{}"


def test_a_missing_folder_is_made(tmp_path: Path) -> None:
    path = tmp_path / "no" / "mine.toml"
    done = new(str(path))
    assert done.exit_code == 0, done.output
    assert check_deck(path) == []


def test_the_template_is_the_starter_deck_unchanged_without_options() -> None:
    text = new_deck_text()
    assert '\nid = "my-deck"\n' in text
    assert '\ntitle = "My deck"\n' in text
    assert new_deck_text("T", "t") == text.replace('"my-deck"', '"t"', 1).replace('"My deck"', '"T"', 1)
