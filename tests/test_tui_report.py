"""The ending screen writes the after-action report beside the save and shows where."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tests.helpers import mini_session, record_notices, settle
from wargame.model import AddNote
from wargame.tui.app import WargameApp
from wargame.tui.screens.ending import EndingScreen

pytestmark = pytest.mark.tui


async def test_r_on_the_ending_screen_writes_the_report_beside_the_save(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"}, seed=8)
    session.decide(AddNote("the room chose caution"))
    while not session.over:
        session.decide(session.ai_action())
    assert session.save_path is not None
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, EndingScreen))
        saved = str(app.screen.query_one("#saved", Static).content)
        assert "Press r for the after-action report" in saved
        await pilot.press("r")
        await settle(pilot, lambda: bool(app.screen.report))  # type: ignore[attr-defined]
        shown = str(app.screen.query_one("#saved", Static).content)
    stem = session.save_path.with_suffix("")
    page, text, chart = (Path(f"{stem}.html"), Path(f"{stem}.md"), Path(f"{stem}-tracks.svg"))
    for path in (page, text, chart):
        assert path.is_file() and path.name in shown
    html = page.read_text(encoding="utf-8")
    assert "<h1>After-action report: Mini flank</h1>" in html and "<svg" in html
    assert "Note: the room chose caution" in html
    markdown = text.read_text(encoding="utf-8")
    assert f"![The tracks over the rounds]({chart.name})" in markdown and "## Final scores" in markdown
    assert chart.read_text(encoding="utf-8").startswith("<svg")
    assert "0 facilitator action" not in markdown and ", and 1 facilitator action\n" in markdown


async def test_a_report_that_cannot_be_written_is_reported(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"}, seed=8)
    while not session.over:
        session.decide(session.ai_action())
    assert session.save_path is not None
    session.save_path.with_suffix(".html").mkdir()  # a folder where the page should go
    app = WargameApp(session, ai_delay=0)
    notices = record_notices(app)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, EndingScreen))
        await pilot.press("r")
        await settle(pilot, lambda: bool(notices))
        assert [(n.title, n.severity) for n in notices] == [("The report could not be written", "error")]
        assert isinstance(app.screen, EndingScreen) and not app.screen.report
