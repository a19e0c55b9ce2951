"""Rules v1 compatibility: the three bundled decks as they were in v1 (tests/decks/v1/, never edited)
still load, pass `deck check --strict`, play the same games, and their v1 saves still load.

The fingerprints below are of a few games per deck (6 AI games and 6 random ones, with facilitator
actions), recorded by `benchmarks/fingerprint.py --ai-games 6 --random-games 6` with the engine of
rules v1 (commit 6c2cb96, before the rules v2 core). The saves in tests/saves/v1/ were written by
that engine too. `benchmarks/fingerprint.py --check benchmarks/fingerprints.json` makes the same
check on 300 games a deck.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from tests.helpers import DECKS, ROOT, TESTS
from wargame.cli import main
from wargame.storage import check_deck, load_deck
from wargame.storage.saves import SaveError, load_game, read_save

V1 = DECKS / "v1"
V1_DECKS = sorted(V1.glob("*.toml"))
V1_SAVES = TESTS / "saves" / "v1"

RECORDED_IN_V1 = {
    "baltic-sabotage.toml ai": "a936d52e61b9471a2fc3ae61afeae2e15e8ca69ddc15dec5f705c835270d0c1c",
    "baltic-sabotage.toml random": "0c4a495ac383af4f6ab7dd5516783fa73bddb421376438df061b33a3537c8e4b",
    "eastern-flank-2025.toml ai": "a0acfc35b820d5d88da36be512b60c5765e7d31b94144e55bb8b67c0f12ee8b4",
    "eastern-flank-2025.toml random": "5bdb09fc607d90e75fb20017b3cc245a0aaa87a439541d8c697e1f39a75db0c2",
    "nordic-drones-2025.toml ai": "e9c4df9bd28ded75ecc00204c9fd17590fb44605b73d95a7587bfbc8205af973",
    "nordic-drones-2025.toml random": "d0e6503e55cc405e155febb7af245b14ef52335ce86e476f6080aa7a8c36d65f",
}


@pytest.fixture(scope="module")
def fingerprint() -> ModuleType:
    """benchmarks/fingerprint.py, loaded from its file (benchmarks is not a package)."""
    spec = importlib.util.spec_from_file_location("fingerprint", ROOT / "benchmarks" / "fingerprint.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_three_v1_decks_are_kept() -> None:
    assert [path.name for path in V1_DECKS] == [
        "baltic-sabotage.toml",
        "eastern-flank-2025.toml",
        "nordic-drones-2025.toml",
    ]


@pytest.mark.parametrize("path", V1_DECKS, ids=lambda path: path.stem)
def test_a_v1_deck_loads_without_an_adversary_or_secrets(path: Path) -> None:
    deck = load_deck(path)
    assert deck.adversary is None
    assert not deck.has_secrets
    assert all(not card.attribution and not card.tags and card.price == 0 for card in deck.cards)
    assert check_deck(path) == []


def test_the_v1_decks_pass_deck_check_strict() -> None:
    result = CliRunner().invoke(main, ["deck", "check", "--strict", *map(str, V1_DECKS)])
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all(": ok — " in line for line in lines), lines


def test_the_v1_decks_play_the_games_recorded_in_v1(fingerprint: ModuleType) -> None:
    assert fingerprint.fingerprints(6, 6, V1) == RECORDED_IN_V1


def test_the_fingerprint_sees_a_deck_that_plays_differently(fingerprint: ModuleType, tmp_path: Path) -> None:
    # One number changed (the undersea infrastructure starts at 6, not 5): other games.
    text = (V1 / "baltic-sabotage.toml").read_text("utf-8")
    changed = text.replace("\nstart = 5\n", "\nstart = 6\n", 1)
    assert changed != text
    (tmp_path / "baltic-sabotage.toml").write_text(changed, "utf-8")
    found = fingerprint.fingerprints(6, 6, tmp_path)
    assert found["baltic-sabotage.toml ai"] != RECORDED_IN_V1["baltic-sabotage.toml ai"]
    assert found["baltic-sabotage.toml random"] != RECORDED_IN_V1["baltic-sabotage.toml random"]


@pytest.mark.parametrize("path", V1_DECKS, ids=lambda path: path.stem)
def test_a_v1_save_loads_and_replays_to_its_snapshot(path: Path) -> None:
    saved = V1_SAVES / f"{load_deck(path).info.id}.toml"
    save, state = load_game(saved, path)
    assert save.format == 3 and save.deck_version == load_deck(path).info.version
    # A whole game, with facilitator actions among the nations' (the save was written so).
    kinds = {type(action).__name__ for action in save.actions}
    assert {"ChooseResponse", "Invest", "InjectCard", "ForceRoll"} <= kinds, kinds
    assert state.pending is None and state.ending == save.ending
    assert state.tracks == save.tracks and state.turn == save.turn == len(save.actions)


def test_a_v1_save_is_refused_when_its_game_is_changed(tmp_path: Path) -> None:
    # The check above must be able to fail: an action of the log changed is found on replay.
    copy = tmp_path / "eastern-flank-2025.toml"
    shutil.copy(V1_SAVES / copy.name, copy)
    text = copy.read_text("utf-8")
    first = read_save(copy).actions
    assert any(type(action).__name__ == "ForceRoll" for action in first)
    copy.write_text(text.replace("success = true", "success = false", 1), "utf-8")
    assert copy.read_text("utf-8") != text
    with pytest.raises(SaveError):
        load_game(copy, V1 / copy.name)
