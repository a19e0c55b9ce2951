"""The start screen driven by keys (Textual's pilot): choosing another deck from the list, a deck by its
path, a broken deck that cannot be played, and a seed that is not a number."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, OptionList, Select

from tests.helpers import (
    BROKEN,
    MINI,
    MINI_TEXT,
    RED,
    Notice,
    mini_session,
    record_notices,
    settle,
    text_of,
    waiting_for_a_key,
)
from wargame import storage
from wargame.cli import main
from wargame.model import HUMAN, Deck, Planner, Scripted
from wargame.storage import check_deck
from wargame.storage.saves import Facilitation, read_save
from wargame.tui.app import WargameApp
from wargame.tui.screens import start as start_screen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.start import StartScreen
from wargame.tui.widgets.controllers import ControllerList, controller_options, describe_controller

pytestmark = pytest.mark.tui

SIZE = (100, 34)
RUN = Facilitation(facilitator=True, turn_timer=45.0)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder whose decks/ holds the small test deck (the start screen lists it)."""
    (tmp_path / "decks").mkdir()
    shutil.copy(MINI, tmp_path / "decks" / "mini.toml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def started(app: WargameApp) -> bool:
    """Whether the game has begun and waits for the first human decision."""
    return any(isinstance(screen, GameScreen) for screen in app.screen_stack) and waiting_for_a_key(app)


def nations_listed(app: WargameApp) -> list[str]:
    return list(app.screen.query_one(ControllerList).controllers)


async def test_choosing_another_deck_in_the_list_shows_it_and_plays_it(folder: Path) -> None:
    app = WargameApp(saves_dir=folder / "saves", ai_delay=0, seed=5)
    notices = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, StartScreen)
        assert "Mini flank" not in text_of(app, "#about")
        bundled_nations = nations_listed(app)
        choice = app.screen.query_one("#deck", Select)
        options = [str(path) for path in app.screen.decks]  # the bundled decks, then decks/mini.toml
        assert options[-1] == "decks/mini.toml"
        steps = len(options) - 1 - options.index(str(choice.value))
        choice.focus()
        await pilot.press("enter", *["down"] * steps, "enter")
        await settle(pilot, lambda: "Mini flank" in text_of(app, "#about"))
        assert choice.value == Path("decks/mini.toml")
        assert "4 rounds, 3 nations" in text_of(app, "#about")
        assert nations_listed(app) == ["POL", "EST", "DEU"] != bundled_nations
        await pilot.click("#start")
        await settle(pilot, lambda: started(app))
    session = app.session
    assert session is not None and session.deck.info.id == "mini" and session.state.seed == 5
    assert session.deck_path == Path("decks/mini.toml") and not notices


async def test_a_deck_by_its_path_is_loaded_on_enter(folder: Path) -> None:
    elsewhere = folder / "elsewhere.toml"
    shutil.copy(MINI, elsewhere)
    app = WargameApp(saves_dir=folder / "saves", ai_delay=0, seed=9)
    notices = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#path", Input).focus()
        await pilot.press(*str(elsewhere), "enter")
        await settle(pilot, lambda: "Mini flank" in text_of(app, "#about"))
        assert nations_listed(app) == ["POL", "EST", "DEU"]
        assert isinstance(app.focused, ControllerList)  # ready to choose the players
        await pilot.press("enter")
        await settle(pilot, lambda: started(app))
    session = app.session
    assert session is not None and session.deck_path == elsewhere and session.deck.info.id == "mini"
    assert not notices


async def test_a_broken_deck_shows_its_problems_and_cannot_start(folder: Path) -> None:
    broken = BROKEN / "unknown-track.toml"
    app = WargameApp(saves_dir=folder / "saves", ai_delay=0, seed=9)
    notices = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#path", Input).focus()
        await pilot.press(*str(broken), "enter")
        await settle(pilot, lambda: "cannot be played" in text_of(app, "#about"))
        about = text_of(app, "#about")
        assert about.startswith(f"{broken} cannot be played until these problems are fixed:")
        problems = [problem for problem in check_deck(broken) if problem.is_error]
        assert problems and any("unknown track" in problem.message for problem in problems)
        for problem in problems:
            assert f"✗ line {problem.line}: {problem.path}: {problem.message}" in about
        assert [(n.title, n.severity) for n in notices] == [("Deck not loaded", "error")]
        assert nations_listed(app) == []
        app.screen.query_one("#seed", Input).focus()
        await pilot.press("enter")
        await settle(pilot, lambda: len(notices) == 2)
        assert notices[1].message == "Choose a deck that loads first."
        assert isinstance(app.screen, StartScreen) and app.session is None
    assert not (folder / "saves").exists()


async def test_a_seed_that_is_not_a_whole_number_is_refused(folder: Path) -> None:
    app = WargameApp(deck_path=MINI, saves_dir=folder / "saves", ai_delay=0, seed=9)
    notices = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        seed = app.screen.query_one("#seed", Input)
        seed.focus()
        await pilot.press("ctrl+a", "ctrl+k", "x", "y")  # letters are not typed into a number field
        assert seed.value == ""
        await pilot.press("-", "enter")
        await settle(pilot, lambda: bool(notices))
        assert notices == [Notice("", "The seed must be a whole number, not '-'.", "error")]
        assert isinstance(app.screen, StartScreen) and app.session is None
        await pilot.press("backspace", *"77", "enter")
        await settle(pilot, lambda: started(app))
    assert app.session is not None and app.session.state.seed == 77


def test_the_start_screen_lists_controllers_as_types(mini: Deck) -> None:
    options = controller_options(mini, "DEU")
    personas = ["dove", "hawk", "pragmatist"]  # its own first
    assert options == [HUMAN, *(Scripted(p) for p in personas), *(Planner(p) for p in personas)]
    assert [describe_controller(mini, option) for option in options[:2]] == ["human", "AI: Dove"]
    assert describe_controller(mini, options[4]) == "Plans: Dove"


async def test_the_start_screens_picker_changes_a_nations_controller(tmp_path: Path) -> None:
    app = WargameApp(saves_dir=tmp_path, ai_delay=0, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = app.screen.query_one(ControllerList)
        assert picker.deck is not None
        first = picker.deck.nations[0]
        picker.focus()
        await pilot.pause()
        toggled = Scripted(first.persona) if picker.controllers[first.id] == HUMAN else HUMAN
        await pilot.press("h")
        assert picker.controllers[first.id] == toggled
        options = controller_options(picker.deck, first.id)
        await pilot.press("right")
        assert picker.controllers[first.id] == options[(options.index(toggled) + 1) % len(options)]


async def test_enter_on_the_facilitator_switch_starts_the_game_and_space_toggles_it(folder: Path) -> None:
    app = WargameApp(deck_path=MINI, saves_dir=folder / "saves", ai_delay=0, seed=3)
    async with app.run_test(size=SIZE) as pilot:
        switch = app.screen.query_one("#facilitator", Checkbox)
        switch.focus()
        await pilot.press("space")
        assert switch.value and "ON" in str(switch.label)
        await pilot.press("enter")
        await settle(pilot, lambda: started(app))
    assert app.session is not None and app.session.facilitation.facilitator and app.facilitator


async def fill(pilot: Pilot[None], app: WargameApp, field: str, text: str) -> None:
    """Type `text` into a start-screen field in place of what it holds."""
    app.screen.query_one(field, Input).focus()
    await pilot.press("ctrl+a", "ctrl+k", *text)


async def test_the_timer_what_happens_when_it_runs_out_and_the_ai_pause_go_to_the_game(
    folder: Path,
) -> None:
    app = WargameApp(deck_path=MINI, saves_dir=folder / "saves", seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.query_one("#timer", Input).value == ""  # no timer unless asked
        assert app.screen.query_one("#ai-delay", Input).value == "0.6"
        await fill(pilot, app, "#timer", "45")
        await fill(pilot, app, "#ai-delay", "0")
        timeout = app.screen.query_one("#on-timeout", Select)
        timeout.focus()
        await pilot.press("enter", "down", "enter")  # the list opens; the AI decides
        await settle(pilot, lambda: timeout.value == "ai")
        app.screen.query_one("#seed", Input).focus()
        await pilot.press("enter")
        await settle(pilot, lambda: started(app))
        assert app.driver is not None and app.driver.clock is not None
        assert "Time left for Poland" in text_of(app, "#clock")
    session = app.session
    assert session is not None and session.save_path is not None
    assert session.facilitation == Facilitation(facilitator=False, turn_timer=45.0, on_timeout="ai")
    assert read_save(session.save_path).facilitation == session.facilitation
    assert (app.turn_timer, app.on_timeout, app.ai_delay) == (45.0, "ai", 0.0)


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("#timer", "0.5", "The turn timer must be a number of seconds between 1 and 86400, or empty"),
        ("#timer", "inf", "not 'inf'"),
        ("#timer", "soon", "The turn timer must be"),
        ("#ai-delay", "-1", "The AI's pause must be a number of seconds between 0 and 60; not '-1'."),
        ("#ai-delay", "nan", "The AI's pause must be"),
        ("#ai-delay", "61", "not '61'"),
    ],
)
async def test_a_timer_or_ai_pause_out_of_bounds_is_refused_with_the_bounds(
    folder: Path, field: str, typed: str, message: str
) -> None:
    app = WargameApp(deck_path=MINI, saves_dir=folder / "saves", ai_delay=0, seed=9)
    notices = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await fill(pilot, app, field, typed)
        await pilot.press("enter")
        await settle(pilot, lambda: bool(notices))
        assert message in notices[0].message and notices[0].severity == "error"
        assert isinstance(app.screen, StartScreen) and app.session is None
    assert not (folder / "saves").exists()


def test_wargame_play_refuses_an_ai_pause_that_would_hang_the_game(tmp_path: Path) -> None:
    for typed in ("inf", "nan", "61", "-1", "soon"):
        result = CliRunner().invoke(main, ["play", str(MINI), "--saves", str(tmp_path), "--ai-delay", typed])
        assert result.exit_code == 2, typed
        assert f'"{typed}" is not a number of seconds between 0 and 60' in result.output


def test_a_deck_in_the_folder_that_is_a_bundled_one_is_listed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An installed game run from the project's folder: its bundled decks, and the same decks in decks/.
    installed, project = tmp_path / "site-packages" / "decks", tmp_path / "project"
    installed.mkdir(parents=True)
    (project / "decks").mkdir(parents=True)
    shutil.copy(MINI, installed / "a.toml")
    shutil.copy(MINI, project / "decks" / "a.toml")
    (installed / "b.toml").write_text(MINI_TEXT + "\n# the installed b\n", "utf-8")
    (project / "decks" / "b.toml").write_text(MINI_TEXT + "\n# edited in the project\n", "utf-8")
    shutil.copy(MINI, project / "decks" / "mine.toml")  # a copy of a.toml under another name: the same
    (project / "decks" / "other.toml").write_text(MINI_TEXT + "\n# other\n", "utf-8")
    bundled = [installed / "a.toml", installed / "b.toml"]
    monkeypatch.setattr(storage, "bundled_decks", lambda: bundled)
    monkeypatch.setattr(start_screen, "bundled_decks", lambda: bundled, raising=False)  # where imported
    monkeypatch.chdir(project)
    decks = start_screen.known_decks()
    assert decks == [*bundled, Path("decks/b.toml"), Path("decks/other.toml")]
    # decks/b.toml differs from the bundled b.toml: its path tells the two apart.
    assert start_screen.deck_labels(decks) == ["a (bundled)", "b (bundled)", "decks/b.toml", "other"]


async def test_the_saved_games_tell_two_sessions_of_the_same_deck_and_seed_apart(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    solo = mini_session(saves, {"POL": "human"}, seed=7)
    hot_seat = mini_session(saves, {"POL": "human", "EST": "human"}, seed=7, facilitation=RUN)
    finished = mini_session(saves, {}, seed=7)
    while not finished.over:
        finished.decide(finished.ai_action())
    hot_seat.decide(hot_seat.ai_action())
    app = WargameApp(deck_path=MINI, saves_dir=saves, ai_delay=0, seed=1)
    async with app.run_test(size=SIZE):
        listed = app.screen.query_one("#saves", OptionList)
        labels = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
    assert len(labels) == 3 and len(set(labels)) == 3
    by_file = {
        path.name: next(label for label in labels if label.startswith(path.name))
        for path in (solo.save_path, hot_seat.save_path, finished.save_path)
        if path is not None
    }
    assert len(by_file) == 3
    assert solo.save_path is not None and hot_seat.save_path is not None and finished.save_path is not None
    assert "humans POL · seed 7" in by_file[solo.save_path.name]
    assert "round 1, turn 0" in by_file[solo.save_path.name]
    assert "humans POL, EST · seed 7 · facilitator · timer 45 s" in by_file[hot_seat.save_path.name]
    assert "turn 1 · saved " in by_file[hot_seat.save_path.name]
    ending = finished.state.ending
    assert ending is not None
    over = f"AI only · seed 7\n  over: {ending}, round {finished.state.round}"
    assert over in by_file[finished.save_path.name]


@pytest.mark.parametrize(
    ("keys", "controllers"),
    [
        (["up"], {"POL": "human", "EST": "ai:hawk:planner", "DEU": "ai:dove:planner", "moscow": "ai:prober"}),
        ([], {"POL": "human", "EST": "ai:hawk", "DEU": "ai:dove", "moscow": "ai:prober"}),
        (["down"], {"POL": "human", "EST": "ai:hawk", "DEU": "ai:dove", "moscow": "ai:prober:planner"}),
    ],
    ids=["easy", "normal", "hard"],
)
async def test_the_difficulty_seats_the_planners(
    folder: Path, monkeypatch: pytest.MonkeyPatch, keys: list[str], controllers: dict[str, str]
) -> None:
    games: list[StartScreen.NewGame] = []

    async def new_game(app: WargameApp, message: StartScreen.NewGame) -> None:
        games.append(message)

    monkeypatch.setattr(WargameApp, "on_start_screen_new_game", new_game)
    app = WargameApp(deck_path=RED, saves_dir=folder / "saves", seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.screen.query("#difficulty").first(Select).is_mounted)
        difficulty = app.screen.query_one("#difficulty", Select)
        assert difficulty.value == "normal"  # as today, unless asked
        difficulty.focus()
        await pilot.press("enter", *keys, "enter")  # the list opens on normal; up is easy, down hard
        await settle(pilot, lambda: difficulty.expanded is False and app.focused is difficulty)
        app.screen.query_one("#seed", Input).focus()
        await pilot.press("enter")
        await settle(pilot, lambda: bool(games))
    assert {seat: str(who) for seat, who in games[0].controllers.items()} == controllers


def listed(players: ControllerList) -> str:
    """The players' list as it reads."""
    shown = players.render()
    assert isinstance(shown, Text)
    return shown.plain


async def test_the_players_list_offers_the_planner_and_shows_the_difficultys(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    games: list[StartScreen.NewGame] = []

    async def new_game(app: WargameApp, message: StartScreen.NewGame) -> None:
        games.append(message)

    monkeypatch.setattr(WargameApp, "on_start_screen_new_game", new_game)
    app = WargameApp(deck_path=RED, saves_dir=folder / "saves", seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.screen.query("#difficulty").first(Select).is_mounted)
        players = app.screen.query_one(ControllerList)
        await settle(pilot, lambda: players.deck is not None)
        players.focus()
        await pilot.press("down", "p")  # Estonia (AI: Hawk) plans
        assert players.controllers["EST"] == Planner("hawk")
        assert "Plans: Hawk" in listed(players)
        # The difficulty rewrites the AI seats in the list: hard, Moscow plans and the nations do not.
        difficulty = app.screen.query_one("#difficulty", Select)
        difficulty.focus()
        await pilot.press("enter", "down", "enter")
        await settle(pilot, lambda: difficulty.value == "hard")
        await settle(pilot, lambda: players.controllers["moscow"] == Planner("prober"))
        assert players.controllers["EST"] == Scripted("hawk")
        assert "Plans: Prober" in listed(players)
        # A seat changed afterwards keeps its change: Moscow back to scripted, Germany (a dove) plans,
        # and a person's seat given to the planner gets its own persona.
        players.focus()
        await pilot.press("up", "p", "up", "p", "up", "p")  # from Estonia: Poland, Moscow, Germany
        assert players.controllers["POL"] == Planner("hawk")
        await pilot.press(
            "down", "down", "right"
        )  # back to Poland  # the picker goes on from the planner to the next persona's
        assert players.controllers["POL"] == Planner("dove")
        app.screen.query_one("#seed", Input).focus()
        await pilot.press("enter")
        await settle(pilot, lambda: bool(games))
    chosen = {seat: str(who) for seat, who in games[0].controllers.items()}
    assert chosen == {
        "POL": "ai:dove:planner",
        "EST": "ai:hawk",
        "DEU": "ai:dove:planner",
        "moscow": "ai:prober",
    }
