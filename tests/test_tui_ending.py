"""The Game over screen: its charts draw one bar per round value for every track."""

from __future__ import annotations

import re

import pytest

from tests.helpers import mini_session, settle, text_of
from wargame.model import AdjustTrack
from wargame.tui.app import WargameApp
from wargame.tui.screens.ending import EndingScreen

pytestmark = pytest.mark.tui


def round_rows(charts: str) -> list[list[str]]:
    """The round numbers under each track's bars."""
    return [re.findall(r"\d+", row) for row in charts.splitlines() if row.endswith("  round")]


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
        rows = round_rows(text_of(app, "#charts"))
    assert rows == [["0", "1"]] * 3  # cohesion did not move, and still has its bar for round 1


def test_the_tracks_over_the_rounds_end_where_the_game_stopped() -> None:
    from wargame.session.describe import tracks_over_the_rounds  # new: the screen test runs on main

    stopped = mini_session(None, {})
    for _ in range(2):
        stopped.decide(stopped.ai_action())
    stopped.decide(AdjustTrack("escalation", 10, "the test's war"))
    assert tracks_over_the_rounds(stopped.state) == {
        "cohesion": (6, 6),
        "escalation": (3, 10),
        "credibility": (5, 6),
    }
    played = mini_session(None, {})
    while not played.over:
        played.decide(played.ai_action())
    history = tracks_over_the_rounds(played.state)  # to the last round's end: nothing added
    assert history == dict(played.state.history)
    assert {len(values) for values in history.values()} == {played.state.round + 1}
