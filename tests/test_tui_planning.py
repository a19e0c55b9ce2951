"""The planner decides in a thread of its own: the screen says "<Seat> is planning…" and stays live
(a key opens the help) until it has chosen; the scripted AI decides on the event loop as before."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.helpers import red_session, screen_text, settle, waiting_for_a_key
from wargame import ai
from wargame.model import GameState
from wargame.tui.app import WargameApp
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.modals import HelpScreen

pytestmark = pytest.mark.tui


async def test_moscow_plans_in_a_thread_while_the_screen_stays_live(monkeypatch: pytest.MonkeyPatch) -> None:
    choose = ai.choose
    go_on = threading.Event()
    threads: list[str] = []

    def held(state: GameState, seat: str, *args: Any, **kwargs: Any) -> Any:
        """The planner's choice once the test lets it go: it blocks like a long plan would."""
        if seat == "moscow":
            threads.append(threading.current_thread().name)
            assert go_on.wait(timeout=20), "the test never let the planner go"
        return choose(state, seat, *args, **kwargs)

    monkeypatch.setattr(ai, "choose", held)
    session = red_session({"POL": "human", "moscow": "ai:prober:planner:1"})
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: "Moscow (AI, prober) is planning…" in screen_text(app))
        await settle(pilot, lambda: bool(threads))
        assert threads[0] != threading.main_thread().name
        # The planner is blocked, yet the screen answers keys: the help opens and closes.
        await pilot.press("question_mark")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, GameScreen))
        assert session.actions == [] and "is planning…" in screen_text(app)
        go_on.set()
        # Moscow's card is played; then Poland, a person, is asked.
        await settle(pilot, lambda: waiting_for_a_key(app) and bool(session.actions), limit=2000)
        assert "is planning…" not in screen_text(app)
        assert session.state.pending is not None and session.state.pending.seat == "POL"


async def test_the_scripted_adversary_is_deciding_not_planning(monkeypatch: pytest.MonkeyPatch) -> None:
    session = red_session({"POL": "human", "moscow": "ai:prober"})
    app = WargameApp(session, ai_delay=0.5)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: "Moscow (AI, prober) is deciding…" in screen_text(app))
        assert "planning" not in screen_text(app)
