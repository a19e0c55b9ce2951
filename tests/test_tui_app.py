"""The terminal UI driven headless by key presses (Textual's pilot): whole games, hot-seat, quit and
resume, the start screen's Enter."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.pilot import Pilot
from textual.widgets import Static

from tests.conftest import MINI
from wargame.cli import main
from wargame.engine import legal_actions
from wargame.model import InjectCard, Pass, PositionDecision, RespondDecision, Scripted
from wargame.session import Session
from wargame.storage import load_deck
from wargame.storage.saves import read_save
from wargame.tui.app import WargameApp
from wargame.tui.screens.consultation import ConsultationScreen
from wargame.tui.screens.ending import EndingScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.modals import ConfirmQuitScreen, HandOverScreen, HelpScreen
from wargame.tui.screens.start import StartScreen
from wargame.tui.widgets.choices import ChoiceList
from wargame.tui.widgets.log import EventLog

SMALL = (80, 24)


async def settle(pilot: Pilot[None], until: Callable[[], bool], limit: int = 200) -> None:
    """Let the app run until `until()` holds."""
    for _ in range(limit):
        if until():
            return
        await pilot.pause()
    raise AssertionError(f"never happened; the screen is {pilot.app.screen!r}")


def waiting_for_a_key(app: WargameApp) -> bool:
    """Whether the app waits for the room: a choice, a hand-over, a consultation's result, the end."""
    screen = app.screen
    if isinstance(screen, EndingScreen | HandOverScreen):
        return True
    if isinstance(screen, ConsultationScreen) and screen.resolved is not None:
        return True
    if isinstance(screen, GameScreen | ConsultationScreen):
        return bool(screen.query_one(ChoiceList).choices)
    return False


async def play_by_keys(pilot: Pilot[None], app: WargameApp, limit: int = 400) -> list[str]:
    """Answer every human decision with the keys a player would press: the first option that can be
    taken (its number, then Enter), `p` to end investing; Enter on hand-over and result screens.

    Returns the names of the screens seen.
    """
    seen: list[str] = []
    for _ in range(limit):
        await settle(pilot, lambda: waiting_for_a_key(app))
        screen = app.screen
        if not seen or seen[-1] != type(screen).__name__:
            seen.append(type(screen).__name__)
        if isinstance(screen, EndingScreen):
            return seen
        if (
            isinstance(screen, HandOverScreen | ConsultationScreen)
            and not screen.query(ChoiceList).first().choices
        ):
            await pilot.press("enter")
            continue
        options = screen.query_one(ChoiceList).choices
        if any(isinstance(choice.action, Pass) for choice in options):
            await pilot.press("p")
        else:
            number = next(i for i, choice in enumerate(options, start=1) if choice.enabled)
            await pilot.press(str(number), "enter")
    raise AssertionError("the game did not end")


def mini_session(tmp_path: Path, humans: dict[str, str], seed: int = 3) -> Session:
    deck = load_deck(MINI)
    controllers = {nation.id: f"ai:{nation.persona}" for nation in deck.nations} | humans
    return Session.new(MINI, deck, seed, controllers, tmp_path)


def text_of(app: WargameApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def test_enter_on_the_start_screen_starts_a_solo_game_on_the_bundled_deck(tmp_path: Path) -> None:
    app = WargameApp(saves_dir=tmp_path, ai_delay=0, seed=4242)
    async with app.run_test(size=SMALL) as pilot:
        assert isinstance(app.screen, StartScreen)
        await pilot.press("enter")
        await settle(pilot, lambda: any(isinstance(screen, GameScreen) for screen in app.screen_stack))
        session = app.session
        assert session is not None and session.deck.info.id == "eastern-flank-2025"
        assert session.state.seed == 4242
        game = next(screen for screen in app.screen_stack if isinstance(screen, GameScreen))
        assert "seed 4242" in str(game.query_one("#status", Static).content)
        first = next(nation for nation in session.deck.nations if nation.frontline)
        assert session.humans == [first.id]
        assert all(
            session.state.controllers[n.id] == Scripted(n.persona)
            for n in session.deck.nations
            if n.id != first.id
        )
        assert session.save_path is not None and session.save_path.parent == tmp_path


async def test_one_human_plays_a_whole_game_by_keys_to_game_over(tmp_path: Path) -> None:
    app = WargameApp(mini_session(tmp_path, {"POL": "human"}), ai_delay=0)
    async with app.run_test(size=SMALL) as pilot:
        seen = await play_by_keys(pilot, app)
        assert seen[0] == "GameScreen" and seen[-1] == "EndingScreen"
        assert text_of(app, "#title") == "Game over"
        session = app.session
        assert session is not None and session.over
        assert session.save_path is not None and session.save_path.name in text_of(app, "#saved")
        assert read_save(session.save_path).over


async def test_a_hot_seat_game_hands_over_between_the_two_humans(tmp_path: Path) -> None:
    app = WargameApp(mini_session(tmp_path, {"POL": "human", "EST": "human"}, seed=5), ai_delay=0)
    handovers: list[str] = []
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        assert isinstance(app.screen, HandOverScreen)
        for _ in range(400):
            await settle(pilot, lambda: waiting_for_a_key(app))
            screen = app.screen
            if isinstance(screen, EndingScreen):
                break
            if isinstance(screen, HandOverScreen):
                handovers.append(screen.nation)
                await pilot.press("enter")
                await settle(pilot, lambda: waiting_for_a_key(app))
                # The choices shown after a hand-over belong to the nation named.
                if isinstance(app.screen, GameScreen | ConsultationScreen):
                    session = app.session
                    assert (
                        session is not None
                        and session.deck.nation(session.nation or "").name == handovers[-1]
                    )
                continue
            await play_one(pilot, app)
    assert {"Poland", "Estonia"} <= set(handovers)
    assert all(a != b for a, b in pairwise(handovers))
    assert app.session is not None and app.session.over


async def play_one(pilot: Pilot[None], app: WargameApp) -> None:
    """Answer one decision by keys (or continue past a consultation's result)."""
    screen = app.screen
    options = screen.query_one(ChoiceList).choices
    if not options:
        await pilot.press("enter")
    elif any(isinstance(choice.action, Pass) for choice in options):
        await pilot.press("p")
    else:
        number = next(i for i, choice in enumerate(options, start=1) if choice.enabled)
        await pilot.press(str(number), "enter")


async def test_quitting_mid_game_and_resuming_returns_to_the_same_position(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"}, seed=11)
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=SMALL) as pilot:
        for _ in range(3):
            await settle(pilot, lambda: waiting_for_a_key(app))
            await play_one(pilot, app)
        await settle(pilot, lambda: waiting_for_a_key(app))
        await pilot.press("q")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmQuitScreen))
        await pilot.press("y")
    assert app.return_code == 0
    played, state, log = list(session.actions), session.state, list(session.events)
    assert len(played) >= 3 and session.save_path is not None
    resumed = Session.resume(session.save_path)
    assert (resumed.actions, resumed.state, resumed.events) == (played, state, log)
    again = WargameApp(resumed, ai_delay=0)
    async with again.run_test(size=SMALL) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(again))
        assert again.session is resumed and resumed.state == state
        assert isinstance(again.screen, GameScreen | ConsultationScreen | HandOverScreen)


async def test_a_consultation_shows_each_position_then_the_result(tmp_path: Path) -> None:
    # Both frontline nations human, so whoever the drones card lands on can invoke Article 4 and the
    # other takes a position by keys; Germany (AI) takes its own.
    session = mini_session(tmp_path, {"POL": "human", "EST": "human"}, seed=2)
    session.decide(InjectCard("drones"))
    while not (isinstance(session.state.pending, RespondDecision) and session.state.card == "drones"):
        session.decide(legal_actions(session.state)[0])
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        if isinstance(app.screen, HandOverScreen):
            await pilot.press("enter")
        await settle(pilot, lambda: waiting_for_a_key(app))
        options = app.screen.query_one(ChoiceList).choices
        article4 = next(
            i for i, c in enumerate(options, 1) if getattr(c.action, "response", "") == "article-4"
        )
        await pilot.press(str(article4), "enter")
        await settle(pilot, lambda: isinstance(app.screen, ConsultationScreen | HandOverScreen))
        if isinstance(app.screen, HandOverScreen):
            await pilot.press("enter")
        await settle(pilot, lambda: waiting_for_a_key(app))
        screen = app.screen
        assert isinstance(screen, ConsultationScreen)
        assert isinstance(session.state.pending, PositionDecision)
        await pilot.press("1", "enter")  # support
        await settle(pilot, lambda: screen.resolved is not None)
        assert len(screen.positions) == 2 and "support" in screen.positions.values()
        assert "Result:" in str(screen.query_one("#result", Static).content)
        await pilot.press("enter")
        await settle(pilot, lambda: not isinstance(app.screen, ConsultationScreen))


async def test_help_and_the_command_palette_open_over_the_game(tmp_path: Path) -> None:
    app = WargameApp(mini_session(tmp_path, {"POL": "human"}), ai_delay=0, facilitator=True)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        await pilot.press("question_mark")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, GameScreen))
        await pilot.press("f", "n")  # facilitator mode: the facilitator's panel, here a note
        await pilot.pause()
        await pilot.press(*"noted", "enter")
        await settle(pilot, lambda: isinstance(app.screen, GameScreen))
        assert app.session is not None and app.session.actions[-1].text == "noted"  # type: ignore[union-attr]
        assert "Note: noted" in [line.text for line in app.screen.query_one("#log", EventLog).lines]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"save the game", "enter")
        await settle(pilot, lambda: any(n.title == "Saved" for n in app._notifications))


def test_wargame_resume_without_saves_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["resume", "--saves", str(tmp_path)])
    assert result.exit_code == 1 and "there is no saved game" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--human", "XXX"], "unknown nation XXX"), (["--seed", "x"], "not a valid integer")],
)
def test_wargame_play_refuses_bad_options(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["play", str(MINI), "--saves", str(tmp_path), *args])
    assert result.exit_code == 2 and message in result.output


def test_without_a_terminal_wargame_shows_its_help_and_play_refuses(tmp_path: Path) -> None:
    alone = CliRunner().invoke(main, [])
    assert alone.exit_code == 0 and "Usage: " in alone.output and "resume" in alone.output
    result = CliRunner().invoke(main, ["play", str(MINI), "--saves", str(tmp_path)])
    assert result.exit_code == 1 and "needs an interactive terminal" in result.output
    assert list(tmp_path.iterdir()) == []


async def test_resuming_from_the_start_screen_runs_the_game_as_it_was_saved(tmp_path: Path) -> None:
    from wargame.session import Session
    from wargame.storage.saves import Facilitation

    deck = load_deck(MINI)
    run = Facilitation(facilitator=True, turn_timer=60.0, on_timeout="ai")
    saved = Session.new(MINI, deck, 3, {"POL": "human"}, tmp_path, facilitation=run)
    assert saved.save_path is not None
    app = WargameApp(saves_dir=tmp_path, ai_delay=0)
    async with app.run_test(size=SMALL) as pilot:
        assert isinstance(app.screen, StartScreen)
        app.screen.post_message(StartScreen.ResumeGame(saved.save_path))
        await settle(pilot, lambda: any(isinstance(screen, GameScreen) for screen in app.screen_stack))
        assert (app.facilitator, app.turn_timer, app.on_timeout) == (True, 60.0, "ai")
        assert app.session is not None and app.session.facilitation == run
