"""The decision timer: a countdown on each human decision, paused and resumed by the facilitator, a plain
notice when the time is up, and the AI deciding with `--on-timeout ai`. The clock is a fake one that
the tests move by hand, so nothing here waits for real time."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Static

from tests.helpers import MINI, FakeClock, mini_session, record_notices, settle, waiting_for_a_key
from wargame import ai
from wargame.cli import main
from wargame.model import AddNote
from wargame.session.timer import DecisionClock, clock_text
from wargame.tui.app import WargameApp
from wargame.tui.screens.facilitator import FacilitatorScreen
from wargame.tui.screens.game import GameScreen

pytestmark = pytest.mark.tui

SIZE = (100, 34)


def test_the_clock_counts_down_pauses_holds_and_runs_out() -> None:
    time = FakeClock()
    clock = DecisionClock(30, time)
    assert not clock.active and not clock.expired
    clock.start("POL")
    time.now += 10
    assert clock.remaining == 20 and clock_text(clock, "Poland") == "Time left for Poland: 0:20 (t pauses)"
    clock.pause()
    time.now += 100
    assert clock.remaining == 20 and "Paused: 0:20 left for Poland" in clock_text(clock, "Poland")
    clock.resume()
    clock.hold()  # a menu is open
    time.now += 50
    assert clock.remaining == 20
    clock.release()
    time.now += 19.5
    assert clock_text(clock, "Poland").startswith("Time left for Poland: 0:01")
    time.now += 1
    assert clock.expired and clock_text(clock, "Poland").startswith("Time is up for Poland.")
    clock.start("EST")  # the next decision: a fresh countdown
    assert clock.remaining == 30 and not clock.expired
    clock.stop()
    assert not clock.active and not clock.expired


def countdown(app: WargameApp) -> Static:
    return app.screen.query_one("#clock", Static)


async def test_the_countdown_shows_pauses_resumes_and_says_when_time_is_up(tmp_path: Path) -> None:
    time = FakeClock()
    session = mini_session(tmp_path, {"POL": "human"})
    app = WargameApp(session, ai_delay=0, facilitator=True, turn_timer=30, clock=time)
    toasts = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        assert app.driver is not None
        assert countdown(app).display and "Time left for Poland: 0:30" in str(countdown(app).content)
        time.now += 10
        app.driver.tick()
        await pilot.pause()  # the countdown comes as a message
        assert "0:20" in str(countdown(app).content)
        await pilot.press("f", "n", "x", "enter")  # a facilitator's action does not reset the count
        await settle(pilot, lambda: bool(session.actions) and isinstance(session.actions[-1], AddNote))
        await settle(pilot, lambda: waiting_for_a_key(app))
        app.driver.tick()
        await pilot.pause()
        assert "Time left for Poland: 0:20" in str(countdown(app).content)
        await pilot.press("t")  # the facilitator pauses
        time.now += 100
        app.driver.tick()
        await pilot.pause()
        assert "Paused: 0:20 left for Poland (t resumes)" in str(countdown(app).content)
        await pilot.press("t")
        await pilot.press("f")  # a menu holds the clock
        await settle(pilot, lambda: isinstance(app.screen, FacilitatorScreen))
        time.now += 60
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, GameScreen))
        app.driver.tick()
        await pilot.pause()
        assert "0:20" in str(countdown(app).content)
        played = list(session.actions)
        time.now += 21
        app.driver.tick()
        await pilot.pause()
        assert "Time is up for Poland." in str(countdown(app).content)
        assert countdown(app).has_class("-expired")
        await settle(pilot, lambda: any(n.message == "Time is up for Poland." for n in toasts))
        assert session.actions == played and waiting_for_a_key(app)  # nothing is chosen for Poland
        await pilot.press("t")  # more time: a fresh countdown
        assert "Time left for Poland: 0:30" in str(countdown(app).content)
        await pilot.press("enter")  # Poland decides
        await settle(pilot, lambda: len(session.actions) > len(played))
        await settle(pilot, lambda: session.over or waiting_for_a_key(app))
        if isinstance(app.screen, GameScreen) and session.is_human_turn:
            assert "Time left for Poland: 0:30" in str(countdown(app).content)  # a new decision, a new count


async def test_with_on_timeout_ai_the_nations_default_persona_decides(tmp_path: Path) -> None:
    time = FakeClock()
    session = mini_session(tmp_path, {"POL": "human"})
    app = WargameApp(session, ai_delay=0, turn_timer=5, on_timeout="ai", clock=time)
    toasts = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        assert app.driver is not None and session.nation == "POL"
        before, played = session.state, len(session.actions)
        expected = ai.choose(before, "POL")  # a human seat: the deck's default persona for Poland
        time.now += 5
        app.driver.tick()
        await settle(pilot, lambda: len(session.actions) > played)
        assert session.actions[played] == expected
        notices = [n.message for n in toasts]
        assert "Time is up for Poland: the AI decides for it, as a hawk." in notices
        await settle(pilot, lambda: waiting_for_a_key(app))  # the app at rest before it closes


async def test_without_a_timer_there_is_no_countdown_and_t_does_nothing(tmp_path: Path) -> None:
    app = WargameApp(mini_session(tmp_path, {"POL": "human"}), ai_delay=0)
    toasts = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        await pilot.press("t")
        assert not countdown(app).display and not toasts


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--turn-timer", "0.5"], "--turn-timer"), (["--on-timeout", "later"], "'later' is not one of")],
)
def test_wargame_play_refuses_bad_timer_options(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["play", str(MINI), "--saves", str(tmp_path), *args])
    assert result.exit_code == 2 and message in result.output
