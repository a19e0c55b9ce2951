"""In front of a room, on a projector: what a facilitator picks is marked without colour; the theme
and the large-type layout are the room's settings, kept between sessions."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Checkbox

from tests.helpers import MINI, mini_session, record_notices, screen_text, settle, waiting_for_a_key
from wargame.cli import main
from wargame.cli import play as play_command
from wargame.tui.app import WargameApp
from wargame.tui.screens.adjust import AdjustScreen
from wargame.tui.screens.facilitator import CardScreen, FacilitatorScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.settings import HIGH_CONTRAST, RoomSettings, read_settings

pytestmark = pytest.mark.tui

SIZE = (100, 34)


def marked(app: WargameApp) -> list[str]:
    """The screen's lines that carry the highlight's marker, without the dialog's frame."""
    return [line.split("█")[1].strip() for line in screen_text(app).splitlines() if "█ ▶ " in line]


async def test_every_facilitator_picker_marks_its_highlighted_row_without_colour(tmp_path: Path) -> None:
    app = WargameApp(mini_session(tmp_path, {"POL": "human"}), ai_delay=0, facilitator=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        await pilot.press("f")
        await settle(pilot, lambda: isinstance(app.screen, FacilitatorScreen))
        await pilot.pause()
        assert marked(app) == ["▶ c  Put a card on top of the draw pile"]
        await pilot.press("down", "down")
        await pilot.pause()
        assert marked(app) == ["▶ t  Adjust a track, with a reason"]
        lines = screen_text(app).splitlines()
        assert any("█   c  Put a card on top of the draw pile" in line for line in lines)  # unmarked
        await pilot.press("escape", "f", "c")
        await settle(pilot, lambda: isinstance(app.screen, CardScreen))
        await pilot.pause()
        first = marked(app)
        await pilot.press("down")
        await pilot.pause()
        assert len(first) == len(marked(app)) == 1 and first != marked(app)
        await pilot.press("escape", "f", "s")
        await settle(pilot, lambda: isinstance(app.screen, AdjustScreen))
        await pilot.pause()
        rows = [line for line in screen_text(app).splitlines() if "█ ▶ " in line]
        assert len(rows) == 1 and "▶ Poland" in rows[0] and "▶ Treasury 7" in rows[0]  # nation, stat


# --- the room's settings: the theme and large type, kept between sessions ---------------------------


def test_settings_are_read_and_a_damaged_file_gives_one_line_and_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    assert read_settings(path) == (RoomSettings(), None)  # no file yet
    path.write_text('[room]\ntheme = "textual-light"\nlarge_type = true\n', "utf-8")
    assert read_settings(path) == (RoomSettings("textual-light", True), None)
    for text, problem in [
        ("[room\ntheme = ", "not TOML"),
        ("room = 3\n", "[room] is not a table"),
        ("[room]\ntheme = 7\n", "room.theme must be a theme's name, not 7"),
        ("[room]\nlarge_type = 'yes'\n", "room.large_type must be true or false, not 'yes'"),
    ]:
        path.write_text(text, "utf-8")
        settings, warning = read_settings(path)
        assert settings == RoomSettings() and warning is not None
        assert problem in warning and "\n" not in warning and warning.startswith(str(path))
    path.write_bytes(b"\xff\xfe[room]")
    assert read_settings(path)[0] == RoomSettings()


async def test_the_theme_chosen_is_kept_for_the_next_session(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.toml"
    app = WargameApp(saves_dir=tmp_path, settings=path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "textual-dark"
        await pilot.pause()
        assert not path.exists()  # nothing changed, nothing written
        app.theme = HIGH_CONTRAST  # as the palette's "Change theme" does
        await settle(pilot, lambda: path.exists())
    assert read_settings(path) == (RoomSettings(HIGH_CONTRAST, False), None)
    again = WargameApp(saves_dir=tmp_path, settings=path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == HIGH_CONTRAST


async def test_a_damaged_settings_file_warns_once_and_is_left_alone_until_the_theme_changes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("[room\ntheme = 'oops'", "utf-8")
    app = WargameApp(saves_dir=tmp_path, settings=path)
    notices = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert [n.severity for n in notices] == ["warning"]
        assert "the default settings are used" in notices[0].message and "\n" not in notices[0].message
        assert path.read_text("utf-8") == "[room\ntheme = 'oops'"
        app.theme = "textual-light"
        await settle(pilot, lambda: read_settings(path)[1] is None)
    assert read_settings(path)[0].theme == "textual-light"


async def test_theme_is_for_this_run_only_and_wargame_play_takes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[room]\ntheme = "textual-light"\n', "utf-8")
    app = WargameApp(saves_dir=tmp_path, settings=path, theme="high-contrast")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == HIGH_CONTRAST
    assert read_settings(path)[0].theme == "textual-light"  # kept as it was
    apps: list[WargameApp] = []
    monkeypatch.setattr(play_command, "interactive", lambda: True)
    monkeypatch.setattr(play_command, "_run", apps.append)
    args = ["play", str(MINI), "--saves", str(tmp_path / "saves"), "--theme", "high-contrast"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert apps[0].theme_option == HIGH_CONTRAST
    refused = CliRunner().invoke(main, ["--theme", "neon"])
    assert (
        refused.exit_code == 2 and "'neon' is not one of 'dark', 'light', 'high-contrast'" in refused.output
    )


async def test_large_type_is_chosen_on_the_start_screen_kept_and_shows_fewer_wider_panels(
    tmp_path: Path,
) -> None:
    path = tmp_path / "settings.toml"
    app = WargameApp(deck_path=MINI, saves_dir=tmp_path / "saves", ai_delay=0, seed=3, settings=path)
    async with app.run_test(size=(100, 30)) as pilot:
        switch = app.screen.query_one("#large-type", Checkbox)
        assert not switch.value
        switch.focus()
        await pilot.press("space", "enter")
        await settle(pilot, lambda: isinstance(app.screen, GameScreen) and waiting_for_a_key(app))
        game = app.screen
        assert game.has_class("-large-type")
        assert not game.query("#side") and not game.query("#nations") and not game.query("#objectives")
        tracks, log = game.query_one("#tracks"), game.query_one("#log")
        assert tracks.parent is game.query_one("#main")
        assert log.size.width >= 96  # the whole width, where the side panels took 37 columns
        assert "Cohesion" in screen_text(app)
    assert read_settings(path)[0] == RoomSettings(large_type=True)
    again = WargameApp(deck_path=MINI, saves_dir=tmp_path / "saves", ai_delay=0, settings=path)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.screen.query_one("#large-type", Checkbox).value
