"""The terminal UI driven headless by key presses (Textual's pilot): whole games, hot-seat, quit and
resume, the start screen's Enter."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.pilot import Pilot
from textual.widgets import Static

from tests.helpers import MINI, mini_session, play_one, record_notices, settle, text_of, waiting_for_a_key
from wargame.cli import main
from wargame.engine import legal_actions
from wargame.model import ChooseResponse, InjectCard, Pass, PositionDecision, RespondDecision, Scripted
from wargame.model.events import CardDrawn, CauseKind, ConsultationResolved, TrackMoved
from wargame.session import Session
from wargame.storage import load_deck
from wargame.storage.saves import Facilitation, read_save
from wargame.tui.app import WargameApp
from wargame.tui.screens.consultation import ConsultationScreen
from wargame.tui.screens.ending import EndingScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.modals import ConfirmQuitScreen, HandOverScreen, HelpScreen
from wargame.tui.screens.start import StartScreen
from wargame.tui.widgets.board import TracksPanel
from wargame.tui.widgets.choices import ChoiceList
from wargame.tui.widgets.log import EventLog
from wargame.tui.widgets.panel import StatePanel

pytestmark = pytest.mark.tui

SMALL = (80, 24)


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


def first_frame_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The start screen stays at its first frame: its form is never mounted (as for a key pressed
    before the form comes)."""

    async def no_form(screen: StartScreen) -> None:
        pass

    monkeypatch.setattr(StartScreen, "lay_out", no_form)


@pytest.mark.parametrize("before_the_form", [False, True], ids=["on the form", "before the form"])
async def test_enter_on_the_start_screen_starts_a_solo_game_on_the_bundled_deck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before_the_form: bool
) -> None:
    if before_the_form:
        first_frame_only(monkeypatch)
    run = Facilitation(facilitator=True, turn_timer=90.0, on_timeout="ai")
    app = WargameApp(
        saves_dir=tmp_path, ai_delay=0, seed=4242, facilitator=True, turn_timer=90, on_timeout="ai"
    )
    async with app.run_test(size=SMALL) as pilot:
        assert isinstance(app.screen, StartScreen)
        assert app.screen.laid_out != before_the_form
        assert bool(app.screen.query("#players")) != before_the_form
        if before_the_form:
            assert text_of(app, "#at-once").startswith("Enter: a solo game on the bundled deck")
        await pilot.press("enter")
        await settle(pilot, lambda: any(isinstance(screen, GameScreen) for screen in app.screen_stack))
        await settle(pilot, lambda: waiting_for_a_key(app))  # the game screen composed and at rest
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
        assert session.facilitation == run and app.ai_delay == 0


@pytest.mark.parametrize("before_the_form", [False, True], ids=["on the form", "before the form"])
async def test_r_on_the_start_screen_resumes_the_newest_saved_game(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before_the_form: bool
) -> None:
    if before_the_form:
        first_frame_only(monkeypatch)
    deck = load_deck(MINI)
    older = Session.new(MINI, deck, 3, {"POL": "human"}, tmp_path, now=datetime(2026, 1, 1, tzinfo=UTC))
    newer = Session.new(MINI, deck, 4, {"POL": "human"}, tmp_path, now=datetime(2026, 1, 2, tzinfo=UTC))
    assert older.save_path != newer.save_path
    app = WargameApp(saves_dir=tmp_path, ai_delay=0)
    async with app.run_test(size=SMALL) as pilot:
        assert isinstance(app.screen, StartScreen) and bool(app.screen.query("#saves")) != before_the_form
        await pilot.press("r")
        await settle(pilot, lambda: any(isinstance(screen, GameScreen) for screen in app.screen_stack))
        assert app.session is not None and app.session.save_path == newer.save_path
        assert app.session.state.seed == 4
        await settle(pilot, lambda: waiting_for_a_key(app))  # the app at rest before it closes


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
    toasts = record_notices(app)
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
        await settle(pilot, lambda: any(n.title == "Saved" for n in toasts))


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
        await settle(pilot, lambda: waiting_for_a_key(app))  # the app at rest before it closes


async def test_the_panels_follow_the_position_as_the_game_moves(tmp_path: Path) -> None:
    # The game screen's state is bound to its status line and panels: each decision, the AI's too,
    # redraws them with the session's new position.
    session = mini_session(tmp_path, {"POL": "human"}, seed=5)
    app = WargameApp(session, ai_delay=0)
    rounds: set[int] = set()
    async with app.run_test(size=SMALL) as pilot:
        for _ in range(12):
            await settle(pilot, lambda: waiting_for_a_key(app))
            screen = app.screen
            if isinstance(screen, EndingScreen):
                break
            if isinstance(screen, GameScreen):
                state = session.state
                panels = list(screen.query(StatePanel))
                assert len(panels) == 4 and all(panel.state is state for panel in panels)
                assert f"round {state.round} of" in text_of(app, "#status")
                tracks = str(screen.query_one(TracksPanel).render()).splitlines()
                for track_id, track in session.deck.tracks.items():
                    line = next(line for line in tracks if line.startswith(track.name))
                    assert line[len(track.name) :].split()[0] == str(state.tracks[track_id])
                rounds.add(state.round)
            await play_one(pilot, app)
    assert len(rounds) >= 2


def at_a_second_consultation(tmp_path: Path) -> Session:
    """Poland and Estonia human; Article 4 over the drones twice in a row: the second is open, weakened
    by the first (fatigue)."""
    session = mini_session(tmp_path, {"POL": "human", "EST": "human"}, seed=2)
    for _ in range(2):
        while isinstance(session.state.pending, PositionDecision):
            session.decide(legal_actions(session.state)[0])
        session.decide(InjectCard("drones"))
        while not (isinstance(session.state.pending, RespondDecision) and session.state.card == "drones"):
            session.decide(legal_actions(session.state)[0])
        assert session.state.target is not None
        session.decide(ChooseResponse(session.state.target, "article-4"))
    return session


async def test_a_consultations_result_shows_what_it_and_the_fatigue_moved(tmp_path: Path) -> None:
    session = at_a_second_consultation(tmp_path)
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=SMALL) as pilot:
        for _ in range(10):
            await settle(pilot, lambda: waiting_for_a_key(app))
            screen = app.screen
            if isinstance(screen, ConsultationScreen) and screen.resolved is not None:
                break
            if isinstance(screen, HandOverScreen):
                await pilot.press("enter")
                continue
            assert isinstance(screen, ConsultationScreen)
            assert "Fatigue: 1 consultation(s) in the last 3 rounds" in text_of(app, "#rules")
            await play_one(pilot, app)
        assert isinstance(screen, ConsultationScreen) and screen.resolved is not None
        result = text_of(app, "#result")
        assert result.startswith(f"Result: {screen.resolved.result.upper()}")
        # The values the result and the fatigue moved, as they moved (clamped), and nothing after them:
        # the next card's draw comes in the same decision's events.
        at = max(i for i, event in enumerate(session.events) if isinstance(event, ConsultationResolved))
        moved = [
            f"{session.deck.tracks[event.track].name} {event.before} → {event.after}"
            + (" (fatigue)" if event.cause.kind is CauseKind.FATIGUE else "")
            for event in session.events[at:]
            if isinstance(event, TrackMoved)
            and str(event.cause) in ("fatigue", f"consultation:{screen.resolved.result}")
        ]
        lines = [line.strip() for line in result.splitlines()[1:]]
        assert any(line.endswith("(fatigue)") for line in moved)
        assert [line for line in lines if "→" in line and ":" not in line] == moved
        assert not any(isinstance(event, CardDrawn) for event in session.events[at:]) or all(
            session.deck.card(event.card).title not in result
            for event in session.events[at:]
            if isinstance(event, CardDrawn)
        )
        await pilot.press("enter")
        await settle(pilot, lambda: not any(isinstance(s, ConsultationScreen) for s in app.screen_stack))


async def test_the_palette_offers_the_games_commands_where_they_apply(tmp_path: Path) -> None:
    def titles(app: WargameApp) -> list[str]:
        return [command.title for command in app.get_system_commands(app.screen)]

    start = WargameApp(saves_dir=tmp_path, ai_delay=0)
    async with start.run_test(size=SMALL):
        shown = titles(start)
        assert shown.count("Quit") == 1 and "Help: keys and rules" in shown
        assert not any(title.startswith(("Save", "Timer", "Facilitator")) for title in shown)
    game = mini_session(tmp_path, {"POL": "human"})
    playing = WargameApp(game, ai_delay=0, facilitator=True, turn_timer=60)
    async with playing.run_test(size=SMALL) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(playing))
        shown = titles(playing)
        assert {"Save the game now", "Timer: pause or resume", "Facilitator: adjust a track"} <= set(shown)
        assert sum(title.startswith("Facilitator:") for title in shown) == 8
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"timer", "enter")
        assert playing.driver is not None and playing.driver.clock is not None
        await settle(pilot, lambda: playing.driver is not None and playing.driver.clock.paused)  # type: ignore[union-attr]
    over = mini_session(tmp_path, {"POL": "human"})
    while not over.over:
        over.decide(over.ai_action())
    ended = WargameApp(over, ai_delay=0, facilitator=True, turn_timer=60)
    async with ended.run_test(size=SMALL) as pilot:
        await settle(pilot, lambda: isinstance(ended.screen, EndingScreen))
        shown = [title for title in titles(ended) if title.startswith(("Facilitator:", "Timer"))]
        assert shown == [
            "Facilitator: the panel",
            "Facilitator: undo the last decision",
            "Facilitator: branch the game",
        ]
