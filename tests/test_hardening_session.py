"""Hardening of the play layer (issue 14, items 2, 5 and 6): the turn timer is bounded at the clock
and in the save; a game that could not be saved says so and never claims a file it did not write;
the temporary files a killed autosave leaves are cleaned at the next start. Real files, real
failures: the tests run as root, where a read-only folder stops nothing, so a folder that cannot be
written is one whose parent is a regular file, and a write that fails part-way is a child process
whose files may not grow (RLIMIT_FSIZE)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import MINI, mini_session
from wargame.cli import main
from wargame.model.turn_timer import TURN_TIMER_MAX, TURN_TIMER_MIN, TurnTimerError
from wargame.session import Session
from wargame.session.timer import DecisionClock, clock_text
from wargame.storage.saves import (
    STALE_TEMPORARY_SECONDS,
    Facilitation,
    SaveError,
    read_save,
    remove_stale_temporaries,
)

BAD_LIMITS = [float("inf"), float("-inf"), float("nan"), 1e308, 0.5, 0, -5, TURN_TIMER_MAX + 1]


# --- item 2: the turn timer, bounded ------------------------------------------------------------


def test_the_bounds_are_one_second_to_a_day() -> None:
    assert (TURN_TIMER_MIN, TURN_TIMER_MAX) == (1, 24 * 60 * 60)


@pytest.mark.parametrize("limit", BAD_LIMITS)
def test_the_clock_refuses_a_limit_out_of_bounds(limit: float) -> None:
    with pytest.raises(TurnTimerError) as caught:
        DecisionClock(limit)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == f"{limit:g} is not a number of seconds between 1 and 86400"


@pytest.mark.parametrize("limit", [TURN_TIMER_MIN, 30, TURN_TIMER_MAX])
def test_the_clock_takes_every_limit_within_bounds(limit: float) -> None:
    clock = DecisionClock(limit, lambda: 0.0)
    clock.start("POL")
    assert clock.remaining == limit


@pytest.mark.parametrize(
    ("limit", "shown"),
    [(27, "0:27"), (599, "9:59"), (3599, "59:59"), (3600, "1:00:00"), (3725, "1:02:05"), (86400, "24:00:00")],
)
def test_the_countdown_shows_hours_once_there_are_any(limit: float, shown: str) -> None:
    clock = DecisionClock(limit, lambda: 0.0)
    clock.start("POL")
    assert clock_text(clock, "Poland") == f"Time left for Poland: {shown} (t pauses)"


def saved_with_timer(tmp_path: Path, timer: str) -> Path:
    """A save of a new game on the small deck whose turn timer reads `timer` (TOML text)."""
    session = mini_session(tmp_path / "saves", facilitation=Facilitation(turn_timer=90.0))
    assert session.save_path is not None
    text = session.save_path.read_text("utf-8")
    assert text.count("turn_timer = 90.0") == 1
    session.save_path.write_text(text.replace("turn_timer = 90.0", f"turn_timer = {timer}"), "utf-8")
    return session.save_path


@pytest.mark.parametrize("timer", ["inf", "nan", "-inf", "1e308", "86401.0", "0.5"])
def test_a_save_with_a_timer_out_of_bounds_is_refused_and_left_as_it_is(tmp_path: Path, timer: str) -> None:
    path = saved_with_timer(tmp_path, timer)
    before = path.read_bytes()
    with pytest.raises(SaveError) as caught:
        read_save(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: save.facilitation.turn_timer: ")
    assert message.endswith(f"got the float {float(timer)}")
    if timer not in ("inf", "-inf", "nan"):  # those the converter refuses as not finite
        assert "between 1 and 86400" in message
    result = CliRunner().invoke(main, ["resume", str(path)])
    assert result.exit_code == 1 and "save.facilitation.turn_timer" in result.output
    assert "Traceback" not in result.output and path.read_bytes() == before


def test_a_save_with_a_day_on_the_clock_loads(tmp_path: Path) -> None:
    path = saved_with_timer(tmp_path, "86400.0")
    assert read_save(path).facilitation.turn_timer == 86400


@pytest.mark.parametrize("command", ["play", "resume"])
@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "1e308", "86401", "0.5", "-1", "soon", ""])
def test_the_turn_timer_option_is_bounded_quoting_the_input(tmp_path: Path, command: str, value: str) -> None:
    saves = tmp_path / "saves"
    target = str(MINI) if command == "play" else str(tmp_path / "none.toml")
    result = CliRunner().invoke(main, [command, target, "--saves", str(saves), "--turn-timer", value])
    assert result.exit_code == 2, result.output
    assert f'"{value}" is not a number of seconds between 1 and 86400 (0: no timer)' in result.output
    assert "--turn-timer" in result.output and "Traceback" not in result.output
    assert not saves.exists()


# --- item 5: a save that could not be written ---------------------------------------------------


def unwritable(tmp_path: Path) -> Path:
    """A saves folder that cannot be made, even by root: its parent is a regular file."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder's parent should be")
    return blocker / "saves"


def test_a_game_whose_first_save_failed_is_not_saved(tmp_path: Path) -> None:
    session = mini_session(unwritable(tmp_path))
    assert session.save_path is not None and not session.save_path.exists()
    assert not session.is_saved and session.save_problem is not None
    warning = session.save_warning()
    assert warning is not None and warning.startswith("The game is not saved: ")
    assert "not a directory" in warning and "cannot be continued later" in warning
    assert "wargame resume" not in warning


def test_a_saved_game_has_no_warning(tmp_path: Path) -> None:
    session = mini_session(tmp_path / "saves")
    assert session.is_saved and session.save_warning() is None
    session.decide(session.choices()[0])
    assert session.is_saved and session.save_warning() is None
    assert session.save_path is not None
    resumed = Session.resume(session.save_path)
    assert resumed.is_saved and resumed.save_warning() is None


def test_a_game_not_meant_to_be_saved_is_not_saved_and_not_warned_about(tmp_path: Path) -> None:
    session = mini_session(None)
    assert not session.is_saved and session.save_warning() is None


def test_a_save_that_works_again_is_saved_again(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("in the way")
    session = mini_session(blocker / "saves")
    assert not session.is_saved
    blocker.unlink()  # the folder can be made now
    session.decide(session.choices()[0])
    assert session.is_saved and session.save_path is not None
    assert read_save(session.save_path).turn == 1


# A session whose later autosave fails part-way, for real: once the first save is written, the child
# may not grow a file past that size plus a few bytes, so the next (longer) save fails with EFBIG.
PLAY_UNDER_A_LIMIT = """
import resource, signal, sys
from pathlib import Path
from tests.helpers import mini_session
session = mini_session(Path(sys.argv[1]))
size = session.save_path.stat().st_size
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 10, size + 10))
session.decide(session.choices()[0])
session.decide(session.choices()[0])
print(session.is_saved)
print(session.save_warning())
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs resource.RLIMIT_FSIZE")
def test_a_game_whose_later_save_failed_says_how_far_its_file_goes(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    run = subprocess.run(
        [sys.executable, "-c", PLAY_UNDER_A_LIMIT, str(saves)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=Path(__file__).parent.parent,
    )
    assert run.returncode == 0, run.stderr
    (path,) = saves.glob("*.toml")
    is_saved, warning = run.stdout.splitlines()
    assert is_saved == "False"
    assert warning.startswith(f"The game is not saved: {path}: could not write the save: file too large.")
    assert "holds it only as far as turn 0" in warning and f"wargame resume {path}" in warning
    assert read_save(path).turn == 0  # the file is whole, at the turn it says
    assert sorted(os.listdir(saves)) == [path.name]


class StubApp:
    """Just what `_run` uses of the app: `run()` and the session it played."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def run(self) -> None:
        pass


def run_after_the_game(session: Session) -> tuple[int, str]:
    from wargame.cli import play as play_command

    @main.command("after-the-game")
    def after() -> None:
        play_command._run(StubApp(session))  # type: ignore[arg-type]

    try:
        result = CliRunner().invoke(main, ["after-the-game"])
    finally:
        main.commands.pop("after-the-game")
    return result.exit_code, result.output


def test_after_the_game_the_command_line_says_a_game_was_not_saved(tmp_path: Path) -> None:
    session = mini_session(unwritable(tmp_path))
    code, output = run_after_the_game(session)
    assert code == 1 and "The game is not saved" in output and "cannot be continued later" in output
    assert "Continue it with" not in output and "The game is saved in" not in output


def test_after_the_game_the_command_line_says_where_a_saved_game_is(tmp_path: Path) -> None:
    session = mini_session(tmp_path / "saves")
    code, output = run_after_the_game(session)
    assert code == 0 and "The game is saved in" in output and "Continue it with: wargame resume" in output


# --- item 6: stale temporary files ----------------------------------------------------------------


def age(path: Path, seconds: float) -> Path:
    """`path` made as if last written `seconds` ago."""
    moment = time.time() - seconds
    os.utime(path, (moment, moment))
    return path


def temporaries_beside(save: Path) -> dict[str, Path]:
    """Files around a save: its own old and new temporaries, another save's old one, and look-alikes."""
    folder = save.parent
    files = {
        "own old": folder / f".{save.name}.k3j_x9q2.tmp",
        "own new": folder / f".{save.name}.p0p0p0p0.tmp",
        "other old": folder / ".other-20260101-000000-seed1.toml.abcdefgh.tmp",
        "not ours": folder / f".{save.name}.notes.tmp",
        "not hidden": folder / f"{save.name}.abcdefgh.tmp",
    }
    for file in files.values():
        file.write_text("half a save")
    for key in ("own old", "other old", "not ours", "not hidden"):
        age(files[key], 10 * STALE_TEMPORARY_SECONDS)
    return files


def test_resuming_a_save_removes_its_own_stale_temporary_files_only(tmp_path: Path) -> None:
    session = mini_session(tmp_path / "saves")
    assert session.save_path is not None
    files = temporaries_beside(session.save_path)
    Session.resume(session.save_path)
    left = {key for key, file in files.items() if file.exists()}
    assert left == {"own new", "other old", "not ours", "not hidden"}


def test_a_new_game_removes_the_folders_stale_temporary_files(tmp_path: Path) -> None:
    first = mini_session(tmp_path / "saves")
    assert first.save_path is not None
    files = temporaries_beside(first.save_path)
    # A save whose first write was killed: only its temporary file exists.
    orphan = tmp_path / "saves" / ".mini-20260101-000000-seed9.toml.zzzzzzzz.tmp"
    orphan.write_text("half")
    age(orphan, 10 * STALE_TEMPORARY_SECONDS)
    mini_session(tmp_path / "saves", seed=4)
    left = {key for key, file in files.items() if file.exists()}
    assert left == {"own new", "not ours", "not hidden"} and not orphan.exists()


def test_the_cleaner_leaves_folders_and_links_and_reports_what_it_removed(tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    folder.mkdir()
    stale = folder / ".a.toml.aaaaaaaa.tmp"
    stale.write_text("x")
    age(stale, 2 * STALE_TEMPORARY_SECONDS)
    (folder / ".b.toml.bbbbbbbb.tmp").mkdir()
    target = tmp_path / "kept.txt"
    target.write_text("kept")
    link = folder / ".c.toml.cccccccc.tmp"
    link.symlink_to(target)
    os.utime(link, (0, 0), follow_symlinks=False)
    assert remove_stale_temporaries(folder) == [stale]
    assert (folder / ".b.toml.bbbbbbbb.tmp").is_dir() and link.is_symlink() and target.exists()
    assert remove_stale_temporaries(tmp_path / "missing") == []
