"""The start screen against hostile files (issue 14): a deeply nested save and a named pipe in the
saves folder are listed as damaged, never read in a way that blocks; a named pipe typed as the deck's
path is a problem shown on the screen; a seed a save cannot hold is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from tests.helpers import MINI, mini_session, record_notices, settle, text_of
from wargame.tui.app import WargameApp
from wargame.tui.screens.start import StartScreen

pytestmark = pytest.mark.tui

DEEP_TABLES = "x = " + "{a=" * 400 + "1" + "}" * 400 + "\n"


@pytest.fixture
def good_save(tmp_path: Path) -> Path:
    """A save of the small deck, 12 decisions in."""
    session = mini_session(tmp_path / "saves", {"POL": "ai:hawk"})
    for _ in range(12):
        session.decide(session.ai_action())
    assert session.save_path is not None
    return session.save_path


async def test_the_start_screen_survives_hostile_saves_deck_paths_and_seeds(
    tmp_path: Path, good_save: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    saves = good_save.parent
    deep = saves / "deep.toml"
    deep.write_bytes(good_save.read_bytes() + DEEP_TABLES.encode())
    os.mkfifo(saves / "fifo.toml")
    fifo_deck = tmp_path / "deck-fifo.toml"
    os.mkfifo(fifo_deck)
    app = WargameApp(saves_dir=saves, deck_path=MINI, seed=1, ai_delay=0)
    notices = record_notices(app)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, StartScreen))
        screen = app.screen
        assert isinstance(screen, StartScreen)
        assert screen.entries == [good_save, deep, saves / "fifo.toml"]
        listed = screen.query_one("#saves", OptionList)
        assert all("damaged" in str(listed.get_option_at_index(i).prompt) for i in (1, 2))
        listed.highlighted = 2
        await pilot.press("r")
        await settle(pilot, lambda: any("is a named pipe (FIFO)" in n.message for n in notices))
        path = screen.query_one("#path", Input)
        path.focus()
        path.value = str(fifo_deck)
        await pilot.press("enter")
        await settle(pilot, lambda: "is a named pipe (FIFO), not a deck file" in text_of(app, "#about"))
        seed = screen.query_one("#seed", Input)
        seed.focus()
        seed.value = str(2**63)
        path.focus()
        path.value = str(MINI)
        await pilot.press("enter")
        await settle(pilot, lambda: "Mini flank" in text_of(app, "#about"))
        seed.focus()
        await pilot.press("enter")
        await settle(pilot, lambda: any("The seed must be between" in n.message for n in notices))
        assert isinstance(app.screen, StartScreen) and app.session is None
