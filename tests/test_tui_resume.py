"""Saves that do not load: a corrupt or truncated save, and one whose deck has changed since, are refused
with a clear message and never changed, on the command line and in the terminal UI; `wargame resume
--force` replays as far as a changed deck allows and goes on in a new file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import OptionList

from tests.helpers import MINI, record_notices, settle
from wargame.cli import main
from wargame.cli import play as play_command
from wargame.model import Invest
from wargame.session import Session
from wargame.storage import load_deck
from wargame.storage.saves import Facilitation, load_game, read_save
from wargame.tui.app import WargameApp
from wargame.tui.screens.start import StartScreen

pytestmark = pytest.mark.tui


def deck_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    return Path(shutil.copy(MINI, folder / "mini.toml"))


def played_save(deck_path: Path, saves: Path, actions: int = 12) -> Session:
    """A game of the mini deck (seed 3, Poland human) with its first `actions` decided by the AI."""
    deck = load_deck(deck_path)
    controllers = {"POL": "human", "EST": "ai:hawk", "DEU": "ai:dove"}
    session = Session.new(deck_path, deck, 3, controllers, saves)
    for _ in range(actions):
        session.decide(session.ai_action())
    return session


def change_deck(deck_path: Path) -> None:
    """Air policing costs 5, not 4: a purchase of it in the saved game is no longer affordable."""
    text = deck_path.read_text(encoding="utf-8")
    name = 'name = "Air-policing rotation"\n'
    changed = text.replace(f"{name}cost = 4", f"{name}cost = 5")
    assert changed != text
    deck_path.write_text(changed, encoding="utf-8")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: b"\x00\x01 [[[ not a save", "not a save"),
        # Cut in the middle of a string, wherever the half falls: a cut between two lines can leave
        # valid TOML (the times in the save move the half from run to run).
        (lambda data: data[: data.index(b'= "', len(data) // 2) + 4], "not a save: invalid TOML"),
        (lambda data: data[: data.rindex(b"[[actions]]")], "is the file truncated?"),
    ],
    ids=["garbage", "cut-in-half", "last-action-lost"],
)
def test_a_damaged_save_is_refused_by_wargame_resume_and_left_as_it_is(
    tmp_path: Path, damage: object, message: str
) -> None:
    session = played_save(MINI, tmp_path)
    assert session.save_path is not None
    data = damage(session.save_path.read_bytes())  # type: ignore[operator]
    session.save_path.write_bytes(data)
    result = CliRunner().invoke(main, ["resume", str(session.save_path)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and message in result.output
    assert "Traceback" not in result.output
    assert session.save_path.read_bytes() == data


def test_a_save_whose_deck_changed_is_refused_naming_the_deck_and_the_change(tmp_path: Path) -> None:
    deck_path = deck_copy(tmp_path)
    session = played_save(deck_path, tmp_path / "saves")
    assert session.save_path is not None
    change_deck(deck_path)
    data = session.save_path.read_bytes()
    result = CliRunner().invoke(main, ["resume", str(session.save_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert 'the deck "mini"' in result.output and str(deck_path) in result.output
    assert "has changed since this game was saved" in result.output and "--force" in result.output
    assert session.save_path.read_bytes() == data


def test_resume_force_replays_as_far_as_the_deck_allows_and_goes_on_in_a_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck_path = deck_copy(tmp_path)
    session = played_save(deck_path, tmp_path / "saves")
    original = session.save_path
    assert original is not None
    change_deck(deck_path)
    data = original.read_bytes()
    apps: list[WargameApp] = []
    monkeypatch.setattr(play_command, "interactive", lambda: True)
    monkeypatch.setattr(play_command, "_run", apps.append)
    result = CliRunner().invoke(main, ["resume", str(original), "--force", "--facilitator"])
    assert result.exit_code == 0, result.output
    replayed = re.search(r"replayed (\d+) of 12 actions; stopped at action (\d+)", result.output)
    assert replayed is not None, result.output
    done = int(replayed[1])
    assert int(replayed[2]) == done + 1 and 0 < done < 12
    assert session.actions[done] == Invest(session.actions[done].nation, "air-policing")
    assert "is illegal" in result.output and "is unchanged" in result.output
    resumed = apps[0].session
    assert resumed is not None and apps[0].facilitator
    assert resumed.actions == session.actions[:done] and resumed.save_path != original
    assert resumed.save_path is not None and str(resumed.save_path) in result.output
    assert resumed.save_path.parent == original.parent and resumed.notice is not None
    assert original.read_bytes() == data  # the old save is never written
    save, state = load_game(resumed.save_path)
    assert save.actions == tuple(session.actions[:done]) and state == resumed.state
    assert save.created == read_save(original).created


def test_resume_force_on_a_save_that_loads_resumes_it_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = played_save(MINI, tmp_path, actions=3)
    apps: list[WargameApp] = []
    monkeypatch.setattr(play_command, "interactive", lambda: True)
    monkeypatch.setattr(play_command, "_run", apps.append)
    result = CliRunner().invoke(main, ["resume", str(session.save_path), "--force"])
    assert result.exit_code == 0, result.output
    resumed = apps[0].session
    assert resumed is not None and resumed.save_path == session.save_path
    assert resumed.actions == session.actions and list(tmp_path.glob("*.toml")) == [session.save_path]


async def test_the_start_screen_lists_damaged_saves_and_refuses_them_with_the_reason(tmp_path: Path) -> None:
    deck_path = deck_copy(tmp_path)
    saves = tmp_path / "saves"
    changed = played_save(deck_path, saves, actions=4)
    change_deck(deck_path)
    corrupt = saves / "corrupt.toml"
    corrupt.write_bytes(b"[save]\nformat = 1\n[[actions]")
    before = {path: path.read_bytes() for path in saves.iterdir()}
    app = WargameApp(saves_dir=saves, deck_path=MINI, seed=1, ai_delay=0)
    toasts = record_notices(app)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, StartScreen))
        screen = app.screen
        assert isinstance(screen, StartScreen)
        assert screen.entries == [changed.save_path, corrupt]
        listed = screen.query_one("#saves", OptionList)
        assert "damaged" in str(listed.get_option_at_index(1).prompt)
        await pilot.press("r")
        await settle(pilot, lambda: any('the deck "mini"' in n.message for n in toasts))
        listed.highlighted = 1
        await pilot.press("r")
        await settle(pilot, lambda: any("corrupt.toml: not a save" in n.message for n in toasts))
        assert isinstance(app.screen, StartScreen) and app.session is None
    assert {path: path.read_bytes() for path in saves.iterdir()} == before


def test_force_does_not_hide_what_is_wrong_with_a_damaged_save(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from wargame.cli import main

    damaged = tmp_path / "x.toml"
    damaged.write_bytes(b"garbage\x00")
    run = CliRunner().invoke(main, ["resume", "--force", str(damaged)])
    assert run.exit_code == 1
    assert "not a save: invalid TOML" in run.output and "interactive terminal" not in run.output
    assert damaged.read_bytes() == b"garbage\x00"


def test_resume_runs_the_session_as_it_was_saved_unless_told_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a crash, `wargame resume` brings back facilitator mode and the turn timer by itself."""
    deck = load_deck(MINI)
    run = Facilitation(facilitator=True, turn_timer=60.0, on_timeout="ai")
    session = Session.new(MINI, deck, 3, {"POL": "human"}, tmp_path / "saves", facilitation=run)
    assert session.save_path is not None and read_save(session.save_path).facilitation == run
    apps: list[WargameApp] = []
    monkeypatch.setattr(play_command, "interactive", lambda: True)
    monkeypatch.setattr(play_command, "_run", apps.append)
    as_saved = CliRunner().invoke(main, ["resume", str(session.save_path)])
    assert as_saved.exit_code == 0, as_saved.output
    assert (apps[0].facilitator, apps[0].turn_timer, apps[0].on_timeout) == (True, 60.0, "ai")
    changed = CliRunner().invoke(
        main, ["resume", str(session.save_path), "--no-facilitator", "--turn-timer", "0"]
    )
    assert changed.exit_code == 0, changed.output
    assert (apps[1].facilitator, apps[1].turn_timer, apps[1].on_timeout) == (False, None, "ai")
    assert apps[1].session is not None and apps[1].session.facilitation == Facilitation(on_timeout="ai")


def test_wargame_play_saves_how_the_session_is_run_from_the_first_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apps: list[WargameApp] = []
    monkeypatch.setattr(play_command, "interactive", lambda: True)
    monkeypatch.setattr(play_command, "_run", apps.append)
    saves = tmp_path / "saves"
    args = ["play", str(MINI), "--saves", str(saves), "--facilitator", "--turn-timer", "45"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    (path,) = saves.glob("*.toml")
    assert read_save(path).facilitation == Facilitation(facilitator=True, turn_timer=45.0)
    assert apps[0].facilitator and apps[0].turn_timer == 45.0 and apps[0].on_timeout == "wait"
