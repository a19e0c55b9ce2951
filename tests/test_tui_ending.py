"""The Game over screen: its charts draw one bar per round value for every track."""

from __future__ import annotations

import re

import pytest

from tests.helpers import mini_session, settle, text_of
from wargame.model import AdjustTrack
from wargame.tui.app import WargameApp
from wargame.tui.screens.ending import EndingScreen

pytestmark = pytest.mark.tui


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
