"""The Game over screen: its charts draw one bar per round value for every track; d judges the decisions
that mattered in the background."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import ProgressBar

from tests.helpers import ROOT, mini_session, record_notices, settle, text_of
from wargame.lab import counterfactual
from wargame.model import AdjustTrack
from wargame.session import Session
from wargame.session.report import record_of
from wargame.storage import load_deck
from wargame.tui.app import WargameApp
from wargame.tui.screens.ending import EndingScreen

pytestmark = pytest.mark.tui

BALTIC = ROOT / "decks" / "baltic-sabotage.toml"


def rows(charts: str, name: str) -> list[list[str]]:
    """The numbers under each track's bars in the row `name` ("round" or "value")."""
    return [re.findall(r"\d+", row) for row in charts.splitlines() if row.endswith(f"  {name}")]


async def test_a_mid_round_defeat_draws_as_many_bars_for_every_track() -> None:
    session = mini_session(None, {})
    for _ in range(2):
        session.decide(session.ai_action())
    session.decide(AdjustTrack("escalation", 10, "the test's war"))  # cohesion does not move
    assert session.over and session.state.round == 1
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, EndingScreen) and app.screen.is_mounted)
        await pilot.pause()
        charts = text_of(app, "#charts")
    assert rows(charts, "round") == [["0", "1"]] * 3  # cohesion did not move: its bar for round 1 too
    assert rows(charts, "value") == [["6", "6"], ["3", "10"], ["5", "6"]]


async def test_d_judges_the_decisions_in_the_background_and_shows_those_that_mattered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A short game of a bundled deck (the test decks are too small for an option to change the end).
    session = Session.new(BALTIC, load_deck(BALTIC), 2, {"POL": "human"}, tmp_path)
    while not session.over:
        session.decide(session.ai_action())  # Poland plays as its AI would: some alternatives do better
    assert session.save_path is not None and session.save_path.is_file()
    record = record_of(session)
    expected = counterfactual.judge(record, ["POL"], rollouts=2)
    assert expected, "the game gives Poland decisions with a choice"
    monkeypatch.setattr(EndingScreen, "ROLLOUTS", 2)
    monkeypatch.setattr(EndingScreen, "JOBS", 1)
    # The judging waits at its first decision until the test lets it go: the screen must stay live.
    go_on = threading.Event()
    judge_one = counterfactual._judge_one

    def held(task: Any) -> counterfactual.Judgement:
        assert go_on.wait(timeout=20), "the test never let the judging go"
        return judge_one(task)

    monkeypatch.setattr(counterfactual, "_judge_one", held)
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, EndingScreen) and app.screen.is_mounted)
        screen = app.screen
        assert isinstance(screen, EndingScreen)
        assert "Press d for the decisions that mattered" in text_of(app, "#saved")
        bar = screen.query_one("#judging", ProgressBar)
        assert not bar.display  # nothing to show before d
        await pilot.press("d")
        await settle(pilot, lambda: bar.display and bar.total == len(expected))
        assert "Judging the decisions of Poland" in text_of(app, "#decisions")
        await pilot.press("r")  # the screen answers keys while the thread judges
        await settle(pilot, lambda: bool(screen.report))
        go_on.set()
        await settle(pilot, lambda: screen.judgements is not None)
        await pilot.pause()
        assert bar.progress == len(expected) and not bar.display
        shown = text_of(app, "#decisions")
    assert screen.judgements == expected  # the same figures as `wargame report --counterfactual`
    told = counterfactual.gaps(expected)
    assert told, "some alternative of Poland's did better in this game"
    assert told[0].words() in shown.replace("\n", " ")
    assert "what the team knew at the time" in shown
    # The report beside the save has the section, and the cache a second report reads.
    markdown = session.save_path.with_suffix(".md").read_text("utf-8")
    assert "Decisions that mattered" in markdown and told[0].words() in markdown
    assert counterfactual.cache_beside(session.save_path).is_file()


async def test_d_says_so_when_nobody_played_a_nation(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {})
    while not session.over:
        session.decide(session.ai_action())
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, EndingScreen) and app.screen.is_mounted)
        notices = record_notices(app)
        await pilot.press("d")
        await settle(pilot, lambda: bool(notices))
        screen = app.screen
        assert isinstance(screen, EndingScreen) and screen.judging is None
    assert "Nobody played a nation here" in notices[0].message
