"""Hardening in the terminal UI (issue 14, items 2 and 5): a day on the turn timer reads as hours, and
a game whose save could not be written never says where it is saved: not in the quit dialog, not on
the Game over screen. The folder that cannot be written is one whose parent is a regular file (the
tests run as root, where a read-only folder stops nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Static

from tests.helpers import MINI, mini_session, settle, text_of, waiting_for_a_key
from wargame.cli import main
from wargame.cli import play as play_command
from wargame.session import Session
from wargame.tui.app import WargameApp
from wargame.tui.screens.ending import EndingScreen
from wargame.tui.screens.modals import ConfirmQuitScreen

pytestmark = pytest.mark.tui

SIZE = (100, 34)


def unwritable(tmp_path: Path) -> Path:
    """A saves folder that cannot be made, even by root: its parent is a regular file."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder's parent should be")
    return blocker / "saves"


def dialog_text(app: WargameApp) -> str:
    return "\n".join(str(widget.content) for widget in app.screen.query(Static))


async def test_the_quit_dialog_says_an_unsaved_game_is_not_saved(tmp_path: Path) -> None:
    session = mini_session(unwritable(tmp_path))
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        await pilot.press("q")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmQuitScreen))
        shown = dialog_text(app)
        assert "The game is not saved" in shown and "cannot be continued later" in shown
        assert "saved after every decision" not in shown and "wargame resume" not in shown
        await pilot.press("y")
    assert session.save_path is not None and not session.save_path.exists()


async def test_the_quit_dialog_of_a_saved_game_says_where(tmp_path: Path) -> None:
    session = mini_session(tmp_path / "saves")
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        await pilot.press("q")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmQuitScreen))
        assert "The game is saved after every decision, in" in dialog_text(app)
        await pilot.press("n")


def finished(saves: Path) -> Session:
    session = mini_session(saves)
    while not session.over:
        session.decide(session.ai_action())
    return session


async def test_game_over_says_an_unsaved_game_is_not_saved(tmp_path: Path) -> None:
    session = finished(unwritable(tmp_path))
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, EndingScreen))
        shown = text_of(app, "#saved")
        assert shown.startswith("The game is not saved: ") and "not a directory" in shown
        assert "Look at it again" not in shown and "The game is saved in" not in shown


async def test_game_over_says_where_a_saved_game_is(tmp_path: Path) -> None:
    session = finished(tmp_path / "saves")
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, EndingScreen))
        assert text_of(app, "#saved").startswith("The game is saved in ")


async def test_a_day_on_the_clock_counts_down_in_hours(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"})
    app = WargameApp(session, ai_delay=0, turn_timer=86400, clock=lambda: 0.0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        assert app.driver is not None
        app.driver.tick()
        await pilot.pause()
        assert "Time left for Poland: 24:00:00 (t pauses)" in str(
            app.screen.query_one("#clock", Static).content
        )


@pytest.mark.parametrize(("value", "kept"), [("86400", 86400.0), ("1", 1.0), ("0", None), ("0.0", None)])
def test_the_turn_timer_option_takes_its_bounds_and_0_for_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, kept: float | None
) -> None:
    apps: list[WargameApp] = []
    monkeypatch.setattr(play_command, "interactive", lambda: True)
    monkeypatch.setattr(play_command, "_run", apps.append)
    args = ["play", str(MINI), "--saves", str(tmp_path / "saves"), "--turn-timer", value]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert apps[0].turn_timer == kept
