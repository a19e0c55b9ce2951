"""The terminal UI's part of the record (issue 12): the AI's decision on a team's timeout and the
facilitator's play are recorded as theirs, a paused timer is still paused after a crash and a resume,
and a forced roll is chosen for one nation. The clock is a fake one the tests move by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Static

from tests.helpers import (
    FakeClock,
    mini_session,
    played_session,
    red_session,
    screen_text,
    settle,
    sha256,
    waiting_for_a_key,
)
from wargame.cli import main
from wargame.cli import play as play_command
from wargame.model import ForceRoll, PlayCard
from wargame.session import Session
from wargame.storage.saves import read_save
from wargame.tui.app import WargameApp
from wargame.tui.screens.facilitator import FacilitatorScreen, PlayScreen, RollScreen
from wargame.tui.screens.modals import HandOverScreen

pytestmark = pytest.mark.tui

SIZE = (100, 34)


def countdown(app: WargameApp) -> str:
    return str(app.screen.query_one("#clock", Static).content)


async def test_the_ais_decision_on_a_teams_timeout_is_recorded_as_such(tmp_path: Path) -> None:
    time = FakeClock()
    session = mini_session(tmp_path, {"POL": "human"})
    app = WargameApp(session, ai_delay=0, turn_timer=5, on_timeout="ai", clock=time)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        assert app.driver is not None and session.nation == "POL"
        played = len(session.actions)
        time.now += 5
        app.driver.tick()
        await settle(pilot, lambda: len(session.actions) > played)
        assert session.deciders[played] == "ai-timeout"
        assert "ai-timeout" not in session.deciders[:played]
        await settle(pilot, lambda: session.over or waiting_for_a_key(app))
    assert session.save_path is not None
    assert read_save(session.save_path).deciders[played] == "ai-timeout"


async def test_the_facilitators_play_for_the_adversary_is_recorded_as_the_facilitators() -> None:
    session = red_session({"moscow": "human", "POL": "human"})
    app = WargameApp(session, ai_delay=0, facilitator=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, HandOverScreen))
        await pilot.press("f")
        await settle(pilot, lambda: isinstance(app.screen, FacilitatorScreen))
        await pilot.press("p")
        await settle(pilot, lambda: isinstance(app.screen, PlayScreen))
        await pilot.press("down", "enter")
        await settle(pilot, lambda: bool(session.actions))
        assert isinstance(session.actions[0], PlayCard) and session.deciders[0] == "facilitator"


async def test_a_paused_timer_is_still_paused_after_a_crash_and_a_resume(tmp_path: Path) -> None:
    time = FakeClock()
    session = mini_session(tmp_path, {"POL": "human"})
    app = WargameApp(session, ai_delay=0, facilitator=True, turn_timer=30, clock=time)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        assert app.driver is not None
        time.now += 10
        await pilot.press("t")  # paused with 0:20 left
        await pilot.pause()
        assert "Paused: 0:20 left for Poland" in countdown(app)
    # The process dies here: all that is left is the save file.
    assert session.save_path is not None
    resumed = Session.resume(session.save_path)
    app = WargameApp(resumed, ai_delay=0, facilitator=True, turn_timer=30, clock=time)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        assert app.driver is not None and app.driver.clock is not None
        time.now += 100
        app.driver.tick()
        await pilot.pause()
        assert "Paused: 0:20 left for Poland (t resumes)" in countdown(app)
        assert app.driver.clock.paused and app.driver.clock.remaining == 20
        assert resumed.paused_timer == 20.0
        await pilot.press("t")  # the facilitator lets it run: the save says so too
        await pilot.pause()
        assert Session.resume(session.save_path).paused_timer is None
        time.now += 5
        app.driver.tick()
        await pilot.pause()
        assert "Time left for Poland: 0:15" in countdown(app)


async def test_the_roll_screen_forces_one_nations_roll(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"})
    app = WargameApp(session, ai_delay=0, facilitator=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        await pilot.press("f", "r")
        await settle(pilot, lambda: isinstance(app.screen, RollScreen))
        text = screen_text(app)
        assert "Succeed: whoever rolls next succeeds" in text
        assert "Succeed: Estonia's next roll succeeds" in text
        screen = app.screen
        assert isinstance(screen, RollScreen)
        index = screen.actions.index(ForceRoll(True, "EST"))
        await pilot.press(*["down"] * index, "enter")
        await settle(pilot, lambda: bool(session.actions) and isinstance(session.actions[-1], ForceRoll))
        assert session.actions[-1] == ForceRoll(True, "EST") and session.state.forced_seat == "EST"
        assert session.deciders[-1] == "facilitator"


# --- branching from the command line: the branch opens in the game screen ---


def test_wargame_resume_at_as_branches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = played_session(tmp_path)
    original = session.save_path
    assert original is not None
    before = sha256(original)
    apps: list[WargameApp] = []
    monkeypatch.setattr(play_command, "interactive", lambda: True)
    monkeypatch.setattr(play_command, "_run", apps.append)
    new = tmp_path / "branch.toml"
    run = CliRunner().invoke(main, ["resume", str(original), "--at", "4", "--as", str(new)])
    assert run.exit_code == 0, run.output
    assert "is unchanged" in run.output and sha256(original) == before
    branched = apps[0].session
    assert branched is not None and branched.save_path == new and branched.actions == session.actions[:4]
    assert read_save(new).branched_from is not None
    # Clear errors, and nothing written.
    for args, words, status in (
        (["--at", "99", "--as", str(tmp_path / "b2.toml")], "there is no turn 99", 1),
        (["--at", "2", "--as", str(new)], "already exists", 1),
        (["--at", "2"], "--at branches the game: it needs --as NEW too", 2),
        (["--as", str(tmp_path / "b3.toml")], "--as branches the game: it needs --at TURN too", 2),
        (["--at", "-1", "--as", str(tmp_path / "b4.toml")], "-1", 2),
    ):
        run = CliRunner().invoke(main, ["resume", str(original), *args])
        assert run.exit_code == status and words in run.output, run.output
        assert "Traceback" not in run.output
    assert sorted(p.name for p in tmp_path.glob("*.toml")) == sorted([original.name, new.name])
    assert sha256(original) == before


async def test_the_facilitators_panel_branches_the_game_into_a_new_save(tmp_path: Path) -> None:
    """Key b of the panel lists every turn, newest first; Enter on one goes on from just before it in
    a new save beside the game's, which records where it came from; the game's own save is unchanged."""
    from wargame.tui.screens.facilitator import BranchScreen

    session = played_session(tmp_path, decisions=12)
    assert session.save_path is not None
    original, before = session.save_path, sha256(session.save_path)
    app = WargameApp(session, ai_delay=0, facilitator=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        turns = len(session.actions)
        await pilot.press("f")
        await settle(pilot, lambda: isinstance(app.screen, FacilitatorScreen))
        await pilot.press("b")
        await settle(pilot, lambda: isinstance(app.screen, BranchScreen))
        assert f"turn {turns - 1} · round" in screen_text(app)
        await pilot.press("down", "down", "enter")  # the third newest: turn - 3
        await settle(pilot, lambda: app.session is not session and waiting_for_a_key(app))
        branch = app.session
        assert branch is not None and branch.save_path is not None
        assert branch.save_path.name == f"{original.stem}-branch-{turns - 3}.toml"
        assert branch.actions[: turns - 3] == session.actions[: turns - 3]
        assert "is unchanged" in "".join(str(notice.message) for notice in app._notifications)
    assert sha256(original) == before
    saved = read_save(branch.save_path)
    assert saved.branched_from is not None and saved.branched_from.turn == turns - 3
