"""In front of a room, on a projector: what a facilitator picks is marked without colour."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import mini_session, screen_text, settle, waiting_for_a_key
from wargame.tui.app import WargameApp
from wargame.tui.screens.adjust import AdjustScreen
from wargame.tui.screens.facilitator import CardScreen, FacilitatorScreen

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
