"""The event log in front of a room: every word of an entry stays on the screen whatever the width did
(a resume, an undo from Game over, a resize), and the newest entry is in view at each decision."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import BUNDLED, mini_session, play_one, screen_text, settle, waiting_for_a_key
from wargame.model import AddNote
from wargame.session import Session
from wargame.storage import load_deck
from wargame.tui.app import WargameApp
from wargame.tui.screens.ending import EndingScreen
from wargame.tui.screens.facilitator import ConfirmUndoScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.modals import HandOverScreen
from wargame.tui.widgets.log import EventLog

pytestmark = pytest.mark.tui

NOTE = " ".join(f"word{number:02d}" for number in range(1, 21))


def game_log(app: WargameApp) -> EventLog:
    game = next(screen for screen in app.screen_stack if isinstance(screen, GameScreen))
    return game.query_one(EventLog)


def shown_log(app: WargameApp) -> list[str]:
    """The log's lines as the terminal shows them (its region of the screen, nothing beyond)."""
    region = game_log(app).scrollable_content_region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return [row[region.x : region.right].rstrip() for row in rows]


def shows_the_note(app: WargameApp) -> bool:
    """Whether the 20-word note is on the screen whole, its words in order."""
    words = " ".join(shown_log(app)).split()
    start = words.index("Note:") + 1 if "Note:" in words else len(words)
    return words[start : start + 20] == NOTE.split()


async def test_a_long_note_keeps_every_word_when_the_terminal_narrows(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"})
    session.decide(AddNote(NOTE))
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        assert shows_the_note(app)
        await pilot.resize_terminal(100, 30)
        await settle(pilot, lambda: app.screen.size.width == 100)
        await pilot.pause()
        assert shows_the_note(app), shown_log(app)
        await pilot.resize_terminal(140, 30)  # wider, a note written there, then narrower again
        await settle(pilot, lambda: app.screen.size.width == 140)
        session.decide(AddNote(NOTE.upper()))
        game_log(app).add(session.deck, session.events[-1:])
        await pilot.resize_terminal(80, 24)
        await settle(pilot, lambda: app.screen.size.width == 80)
        await pilot.pause()
        log = game_log(app)
        assert all(line.cell_length <= log.scrollable_content_region.width for line in log.lines)
        shown = " ".join(shown_log(app)).split()
        assert shown[-21:] == ["Note:", *NOTE.upper().split()]


async def test_a_resumed_game_on_a_wide_terminal_shows_the_whole_note(tmp_path: Path) -> None:
    """A resume writes the whole story before the game screen's wide layout applies (`-wide`)."""
    session = mini_session(tmp_path, {"POL": "human"})
    session.decide(AddNote(NOTE))
    assert session.save_path is not None
    app = WargameApp(Session.resume(session.save_path), ai_delay=0)
    async with app.run_test(size=(130, 34)) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        await pilot.pause()
        log = game_log(app)
        assert all(line.cell_length <= log.scrollable_content_region.width for line in log.lines)
        assert shows_the_note(app), shown_log(app)


async def test_an_undo_from_game_over_shows_the_whole_note(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"}, seed=5)
    session.decide(AddNote(NOTE))
    app = WargameApp(session, ai_delay=0, facilitator=True)
    async with app.run_test(size=(130, 34)) as pilot:
        while not isinstance(app.screen, EndingScreen):
            await settle(pilot, lambda: waiting_for_a_key(app))
            if not isinstance(app.screen, EndingScreen):
                await play_one(pilot, app)
        await pilot.press("f", "u")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmUndoScreen))
        await pilot.press("y")
        await settle(pilot, lambda: isinstance(app.screen, GameScreen) and waiting_for_a_key(app))
        log = game_log(app)
        log.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        assert all(line.cell_length <= log.scrollable_content_region.width for line in log.lines)
        assert shows_the_note(app), shown_log(app)


async def test_the_newest_entry_is_in_view_at_each_decision_after_a_hand_over(tmp_path: Path) -> None:
    humans = {"POL": "human", "EST": "human", "LVA": "human"}
    session = Session.new(BUNDLED, load_deck(BUNDLED), 5, humans, tmp_path)
    app = WargameApp(session, ai_delay=0, facilitator=True)
    checked = 0
    async with app.run_test(size=(100, 30)) as pilot:
        while checked < 6:
            await settle(pilot, lambda: waiting_for_a_key(app))
            if not isinstance(app.screen, HandOverScreen):
                await play_one(pilot, app)
                continue
            await pilot.press("enter")
            await settle(pilot, lambda: isinstance(app.screen, GameScreen) and waiting_for_a_key(app))
            await pilot.pause()
            log = game_log(app)
            if log.max_scroll_y > 0:  # the log overflows: its last line must be the one in view
                assert log.scroll_y == log.max_scroll_y
                last = log.lines[-1].text.rstrip()
                assert shown_log(app)[-1] == last
                checked += 1
