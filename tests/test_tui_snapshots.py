"""Pictures of the main screens at 80×24 and 120×40 (pytest-textual-snapshot), the adversary's hand too.

Fixed seeds, the small test deck, no saves folder and no clock on screen, so the pictures are stable.
Regenerate after a deliberate change with `pytest tests/test_tui_snapshots.py --snapshot-update`, look
at the SVGs under tests/__snapshots__/, and commit them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.helpers import MINI, mini_session, red_session, waiting_for_a_key
from wargame.engine import legal_actions
from wargame.model import ChooseResponse, InjectCard, RespondDecision
from wargame.session import Session
from wargame.tui.app import WargameApp
from wargame.tui.screens.modals import HandOverScreen

pytestmark = pytest.mark.tui

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

SnapCompare = Callable[..., bool]


async def until_waiting(pilot: Pilot[Any]) -> None:
    """Let the AI play until the app waits for a key (the picture is then always the same)."""
    app = pilot.app
    assert isinstance(app, WargameApp)
    for _ in range(300):
        if waiting_for_a_key(app):
            if isinstance(app.screen, HandOverScreen):
                await pilot.press("enter")
                continue
            await pilot.pause()
            return
        await pilot.pause()
    raise AssertionError("the app never waited for a key")


@pytest.fixture(autouse=True)
def _in_a_clean_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("size", SIZES)
def test_start_screen(snap_compare: SnapCompare, size: tuple[int, int], tmp_path: Path) -> None:
    app = WargameApp(deck_path=MINI, seed=123456, saves_dir=tmp_path / "saves", ai_delay=0)
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_game_screen(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    app = WargameApp(mini_session(None, {"POL": "human"}), ai_delay=0)
    assert snap_compare(app, terminal_size=size, run_before=until_waiting)


def consultation_session() -> Session:
    """Estonia (human) is asked its position on Poland's Article 4 over the drones."""
    for seed in range(1, 200):
        game = mini_session(None, {"POL": "ai:hawk", "EST": "human", "DEU": "ai:dove"}, seed)
        game.decide(InjectCard("drones"))
        while not (isinstance(game.state.pending, RespondDecision) and game.state.card == "drones"):
            game.decide(legal_actions(game.state)[0])
        if game.state.target == "POL":
            game.decide(ChooseResponse("POL", "article-4"))
            return game
    raise AssertionError("no seed lands the drones on Poland")


@pytest.mark.parametrize("size", SIZES)
def test_consultation_screen(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    app = WargameApp(consultation_session(), ai_delay=0)
    assert snap_compare(app, terminal_size=size, run_before=until_waiting)


@pytest.mark.parametrize("size", SIZES)
def test_ending_screen(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    game = mini_session(None, {"POL": "human"}, seed=8)
    while not game.over:
        game.decide(game.ai_action())
    app = WargameApp(game, ai_delay=0)
    assert snap_compare(app, terminal_size=size, run_before=until_waiting)


@pytest.mark.parametrize("size", SIZES)
def test_adversary_hand_screen(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """A red-cell team (Moscow, human) at its hand: each card's price, targets and attribution."""
    app = WargameApp(red_session({"moscow": "human"}), ai_delay=0)
    assert snap_compare(app, terminal_size=size, run_before=until_waiting)
