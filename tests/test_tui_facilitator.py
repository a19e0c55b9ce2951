"""Facilitator mode in the terminal UI: every tool by keys, undo (back to the start), and nothing of it
outside facilitator mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static
from textual.worker import WorkerState

from tests.helpers import MINI, mini_session, play_one, record_notices, settle, waiting_for_a_key
from wargame.engine import legal_actions
from wargame.model import (
    FACILITATOR_ACTIONS,
    AddNote,
    AdjustStat,
    AdjustTrack,
    ForceRoll,
    InjectCard,
    RespondDecision,
)
from wargame.session import Session
from wargame.session.facilitator import undo_point
from wargame.storage import load_deck
from wargame.storage.saves import read_save
from wargame.tui.app import WargameApp
from wargame.tui.screens.adjust import AdjustScreen
from wargame.tui.screens.consultation import ConsultationScreen
from wargame.tui.screens.facilitator import CardScreen, ConfirmUndoScreen, FacilitatorScreen, NoteScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.modals import HandOverScreen
from wargame.tui.widgets.log import EventLog

pytestmark = pytest.mark.tui

SIZE = (100, 34)


async def answer(pilot: Pilot[None], app: WargameApp) -> None:
    """Answer the decision on the screen by keys, or hand over."""
    if isinstance(app.screen, HandOverScreen):
        await pilot.press("enter")
    else:
        await play_one(pilot, app)


def log_lines(app: WargameApp) -> list[str]:
    game = next(screen for screen in app.screen_stack if isinstance(screen, GameScreen))
    return [line.text for line in game.query_one(EventLog).lines]


async def test_every_facilitator_tool_by_keys_is_logged_saved_and_replays(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"})
    app = WargameApp(session, ai_delay=0, facilitator=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        await pilot.press("f", "c")
        await settle(pilot, lambda: isinstance(app.screen, CardScreen))
        await pilot.press("enter")  # the first card that can be injected
        await pilot.press("f", "r", "down", "enter")  # the next roll fails
        await pilot.press("f", "t", "down", "tab", "2", "tab", "enter")  # escalation +2, no reason yet
        await settle(pilot, lambda: isinstance(app.screen, AdjustScreen))
        assert "Give a reason" in str(app.screen.query_one("#preview", Static).content)
        await pilot.press(*"war", "enter")
        await pilot.press("f", "s", "down", "tab", "down", "down", "tab", "-", "1", "tab", *"ok", "enter")
        await pilot.press("f", "n", "enter")  # an empty note is refused
        await settle(pilot, lambda: isinstance(app.screen, NoteScreen))
        assert "Type the note first" in str(app.screen.query_one("#error", Static).content)
        await pilot.press(*"split", "enter")
        await settle(
            pilot,
            lambda: (
                sum(isinstance(a, FACILITATOR_ACTIONS) for a in session.actions) == 5
                and waiting_for_a_key(app)
            ),
        )
        lines = log_lines(app)
        for _ in range(2):
            await settle(pilot, lambda: waiting_for_a_key(app))
            await answer(pilot, app)
    steering = [action for action in session.actions if isinstance(action, FACILITATOR_ACTIONS)]
    assert isinstance(steering[0], InjectCard)
    assert steering[1:] == [
        ForceRoll(False),
        AdjustTrack("escalation", 2, "war"),
        AdjustStat("EST", "readiness", -1, "ok"),
        AddNote("split"),
    ]
    assert "Facilitator: Escalation 3 → 5 (war)" in lines
    assert "Facilitator: Estonia's Readiness 2 → 1 (ok)" in lines
    assert "Note: split" in lines and "Facilitator: the next roll will fail" in lines
    assert len(session.actions) > 5
    assert session.save_path is not None and read_save(session.save_path).actions == tuple(session.actions)
    resumed = Session.resume(session.save_path)
    assert resumed.state == session.state
    assert (resumed.actions, resumed.events) == (session.actions, session.events)


def test_one_undo_takes_back_the_last_human_or_facilitator_action_and_the_ai_after_it(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"}, seed=4)
    marks: list[int] = []  # the log's length before each human or facilitator action
    for step in range(40):
        if session.over:
            break
        if session.is_human_turn or step % 7 == 3:
            marks.append(len(session.actions))
        if step % 7 == 3:
            session.decide(AddNote(f"note {step}"))
        else:
            session.decide(session.ai_action())
    assert len(marks) >= 5
    played = list(session.actions)
    for mark in reversed(marks):
        expected_state = session.state_after(mark)
        removed = session.undo()
        assert removed == played[mark : len(removed) + mark] and session.actions == played[:mark]
        assert session.state == expected_state
        assert session.save_path is not None and read_save(session.save_path).actions == tuple(played[:mark])
    assert session.undo() == [] and session.undo_point() is None


def test_an_ai_only_game_has_nothing_to_undo(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {})
    for _ in range(6):
        session.decide(session.ai_action())
    assert undo_point(session.start, session.actions) is None
    assert session.undo() == [] and len(session.actions) == 6


async def test_undo_by_keys_back_to_the_start_equals_a_fresh_game(tmp_path: Path) -> None:
    humans = {"POL": "human", "EST": "human"}
    session = mini_session(tmp_path, humans, seed=6)
    app = WargameApp(session, ai_delay=0, facilitator=True)
    async with app.run_test(size=SIZE) as pilot:
        for number in range(6):
            await settle(pilot, lambda: waiting_for_a_key(app))
            if number == 2:
                await pilot.press("f", "n", "x", "enter")
            await answer(pilot, app)
        await settle(pilot, lambda: waiting_for_a_key(app))
        assert sum(1 for action in session.actions if not isinstance(action, FACILITATOR_ACTIONS)) >= 4
        undos = 0
        while session.undo_point() is not None:
            assert undos < 20
            before = len(session.actions)
            await pilot.press("f", "u")
            await settle(pilot, lambda: isinstance(app.screen, ConfirmUndoScreen))
            await pilot.press("y")
            await settle(pilot, lambda: len(session.actions) < before and waiting_for_a_key(app))  # noqa: B023
            undos += 1
        # The menu says so once there is nothing left to undo.
        await pilot.press("f")
        await settle(pilot, lambda: isinstance(app.screen, FacilitatorScreen))
        assert app.screen.undo is None
        await pilot.press("u")
        await pilot.press("escape")
        await settle(pilot, lambda: waiting_for_a_key(app))
        # One game loop runs, waiting for the first human decision again.
        running = [w for w in app.workers if w.group == "game" and w.state == WorkerState.RUNNING]
        assert len(running) == 1
        assert isinstance(app.screen, GameScreen | HandOverScreen)
    fresh = Session.new(MINI, load_deck(MINI), 6, session.start.controllers, None)
    while not fresh.is_human_turn:
        fresh.decide(fresh.ai_action())
    assert undos >= 4
    assert (session.state, session.actions, session.events) == (fresh.state, fresh.actions, fresh.events)
    assert session.save_path is not None and read_save(session.save_path).actions == tuple(fresh.actions)


async def test_outside_facilitator_mode_nothing_steers_and_f_says_so(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"})
    app = WargameApp(session, ai_delay=0)
    toasts = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        session.decide(session.ai_action())  # a human decision that an undo could take back
        played = list(session.actions)
        await pilot.press("f")
        await settle(pilot, lambda: any("Facilitator mode is off" in n.message for n in toasts))
        assert not any(isinstance(screen, FacilitatorScreen) for screen in app.screen_stack)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles and not any("acilitator" in title or "ndo" in title for title in titles)
        app.action_facilitator("undo")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmUndoScreen) and session.actions == played
        assert "f Facilitator" not in str(app.screen.query_one("Footer").render())
    on = WargameApp(mini_session(tmp_path, {"POL": "human"}), ai_delay=0, facilitator=True)
    async with on.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(on))
        titles = [command.title for command in on.get_system_commands(on.screen)]
        assert "Facilitator: undo the last decision" in titles
        assert "Facilitator: put a card on top of the draw pile" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"add a note", "enter")
        await settle(pilot, lambda: isinstance(on.screen, NoteScreen))


async def test_undo_from_a_consultation_closes_it_and_asks_again(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human", "EST": "human"}, seed=2)
    session.decide(InjectCard("drones"))
    while not (isinstance(session.state.pending, RespondDecision) and session.state.card == "drones"):
        session.decide(legal_actions(session.state)[0])
    app = WargameApp(session, ai_delay=0, facilitator=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        if isinstance(app.screen, HandOverScreen):
            await pilot.press("enter")
            await settle(pilot, lambda: waiting_for_a_key(app))
        invoker, before = session.nation, list(session.actions)
        await pilot.press("2", "enter")  # Article 4: the other human takes a position
        await settle(pilot, lambda: any(isinstance(s, ConsultationScreen) for s in app.screen_stack))
        await settle(pilot, lambda: waiting_for_a_key(app))
        await pilot.press("f", "u")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmUndoScreen))
        assert app.screen.what.endswith('answer "Invoke Article 4"')  # type: ignore[attr-defined]
        await pilot.press("y")
        await settle(pilot, lambda: session.actions == before and waiting_for_a_key(app))
        assert not any(isinstance(s, ConsultationScreen | HandOverScreen) for s in app.screen_stack)
        assert isinstance(app.screen, GameScreen) and session.nation == invoker  # no hand-over: same player
        assert len([w for w in app.workers if w.state == WorkerState.RUNNING and w.group == "game"]) == 1
