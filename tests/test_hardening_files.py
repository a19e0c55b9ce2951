"""Hostile files (issue 14): every deck and save that is too deep, too long, too large, not a file, or
unreadable is refused in time, with one line `FILE: what is wrong`, exit status 1 and the file as it
was; and the other ways in (`deck new`, `report -o`, `simulate --save-games`, seeds) say what is wrong
instead of a traceback.

Anything that could block (a named pipe) runs in a child process with a timeout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.helpers import BROKEN, DECKS, MINI, MINI_TEXT, ROOT, mini_session
from wargame.cli import main
from wargame.storage import bundled_decks, check_deck
from wargame.storage.reading import (
    DECK_LIMIT,
    MAX_DEPTH,
    MAX_KEY_PARTS,
    SAVE_LIMIT,
    TextRefused,
    check_shape,
)
from wargame.storage.saves import SaveError, list_saves, newest_save, read_save

DEEP_TABLES = "x = " + "{a=" * 400 + "1" + "}" * 400 + "\n"
DEEP_ARRAYS = "x = " + "[" * 600 + "]" * 600 + "\n"
LONG_KEY = ".".join(["k"] * 50_000) + " = 1\n"
LONG_HEADER = "[[" + ".".join(["q"] * 50_000) + "]]\n"


def run(*args: str, cwd: Path = ROOT, timeout: float = 20) -> tuple[int, list[str], float]:
    """`python -m wargame ARGS` in a child process: its status, its output lines and its time."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "wargame", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = (done.stdout + done.stderr).splitlines()
    return done.returncode, lines, time.perf_counter() - started


def invoke(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output.splitlines()


def refused_in_one_line(status: int, lines: list[str], *parts: str) -> str:
    assert status == 1, lines
    assert len(lines) == 1, lines
    assert "Traceback" not in lines[0]
    for part in parts:
        assert part in lines[0], (part, lines[0])
    return lines[0]


@pytest.fixture
def good_save(tmp_path: Path) -> Path:
    """A save of the small deck, 12 decisions in."""
    session = mini_session(tmp_path / "saves", {"POL": "ai:hawk"})
    for _ in range(12):
        session.decide(session.ai_action())
    assert session.save_path is not None
    return session.save_path


# --- 1. deep nesting -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", [DEEP_TABLES, DEEP_ARRAYS], ids=["inline-tables", "arrays"])
def test_a_deeply_nested_deck_is_refused_at_its_line(tmp_path: Path, text: str) -> None:
    deck = tmp_path / "deep.toml"
    deck.write_text(MINI_TEXT + text, encoding="utf-8")
    line = MINI_TEXT.count("\n") + 1
    status, lines = invoke("deck", "check", str(deck))
    refused_in_one_line(status, lines, f"{deck}:{line}:", f"nested more than {MAX_DEPTH} deep")


@pytest.mark.parametrize("command", ["replay", "report", "resume"])
def test_a_save_with_deep_nesting_appended_is_refused_and_left_as_it_is(
    good_save: Path, command: str
) -> None:
    data = good_save.read_bytes() + DEEP_TABLES.encode()
    good_save.write_bytes(data)
    status, lines = invoke(command, str(good_save))
    refused_in_one_line(status, lines, str(good_save), "not a save", f"nested more than {MAX_DEPTH} deep")
    assert good_save.read_bytes() == data


def test_a_recursion_error_in_tomllib_is_a_problem_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A safety net under the scan: tomllib may recurse on shapes the scan lets through.
    import wargame.storage.reading

    monkeypatch.setattr(wargame.storage.reading, "check_shape", lambda text: None)
    deck = tmp_path / "deep.toml"
    deck.write_text(DEEP_TABLES, encoding="utf-8")
    assert [str(problem) for problem in check_deck(deck)] == [f"{deck}: nested too deeply to be read"]
    save = tmp_path / "deep-save.toml"
    save.write_text(DEEP_TABLES, encoding="utf-8")
    with pytest.raises(SaveError, match=r"not a save: nested too deeply to be read$"):
        read_save(save)


# --- 3. named pipes, devices, folders ------------------------------------------------------------


def test_a_named_pipe_or_a_device_as_a_deck_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    status, lines, seconds = run("deck", "check", str(fifo))
    refused_in_one_line(status, lines, f"{fifo}: is a named pipe (FIFO), not a deck file")
    status, lines, seconds_zero = run("deck", "check", "/dev/zero")
    refused_in_one_line(status, lines, "/dev/zero: is a character device, not a deck file")
    assert max(seconds, seconds_zero) < 5


@pytest.mark.parametrize("command", ["replay", "report", "resume"])
def test_a_save_whose_deck_is_a_named_pipe_is_refused_without_blocking(
    tmp_path: Path, good_save: Path, command: str
) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    data = good_save.read_bytes().replace(str(MINI.resolve()).encode(), str(fifo).encode())
    good_save.write_bytes(data)
    status, lines, seconds = run(command, str(good_save))
    refused_in_one_line(status, lines, f"{good_save}: cannot read the deck {fifo}: is a named pipe (FIFO)")
    assert seconds < 5 and good_save.read_bytes() == data


def test_a_named_pipe_or_a_folder_as_a_save_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    for command in ("replay", "report", "resume"):
        status, lines, seconds = run(command, str(fifo))
        refused_in_one_line(
            status, lines, f"{fifo}: cannot read the save: is a named pipe (FIFO), not a save file"
        )
        assert seconds < 5
        status, lines = invoke(command, str(tmp_path))
        refused_in_one_line(
            status, lines, f"{tmp_path}: cannot read the save: is a directory, not a save file"
        )


# --- 4. quadratic keys and large files -----------------------------------------------------------


@pytest.mark.parametrize("text", [LONG_KEY, LONG_HEADER], ids=["dotted-key", "table-header"])
def test_a_key_of_too_many_parts_is_refused_at_once(tmp_path: Path, text: str) -> None:
    deck = tmp_path / "long.toml"
    deck.write_text(MINI_TEXT + text, encoding="utf-8")
    line = MINI_TEXT.count("\n") + 1
    started = time.perf_counter()
    status, lines = invoke("deck", "check", str(deck))
    refused_in_one_line(status, lines, f"{deck}:{line}:", f"more than {MAX_KEY_PARTS} parts")
    assert time.perf_counter() - started < 5


def test_a_deck_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    deck = tmp_path / "huge.toml"
    deck.write_text(MINI_TEXT + "# padding\n" * (2 * 1024 * 1024), encoding="utf-8")  # 20 MB
    started = time.perf_counter()
    status, lines = invoke("deck", "check", str(deck))
    refused_in_one_line(status, lines, f"{deck}: is too large for a deck file: 20.0 MB (at most 1 MB)")
    assert time.perf_counter() - started < 1


def test_a_save_over_the_size_limit_is_refused_and_skipped_in_the_list(
    tmp_path: Path, good_save: Path
) -> None:
    data = good_save.read_bytes() + b"#" * SAVE_LIMIT
    good_save.write_bytes(data)
    with pytest.raises(SaveError, match=r"is too large for a save file: 1\.0 MB \(at most 1 MB\)$"):
        read_save(good_save)
    assert list_saves(good_save.parent) == [] and good_save.read_bytes() == data


def test_a_deck_at_the_size_limit_is_read(tmp_path: Path) -> None:
    deck = tmp_path / "padded.toml"
    deck.write_bytes(MINI.read_bytes().ljust(DECK_LIMIT, b"\n"))
    assert not [problem for problem in check_deck(deck) if problem.is_error]


# --- the scan never refuses a valid deck ---------------------------------------------------------


def test_every_bundled_and_test_deck_passes_the_scan() -> None:
    decks = [*bundled_decks(), *DECKS.rglob("*.toml")]
    assert len(decks) > 10 and BROKEN in {path.parent for path in decks}
    for path in decks:
        check_shape(path.read_text("utf-8"))


def test_brackets_and_dots_in_strings_and_comments_do_not_count() -> None:
    many = "[{" * 40
    dots = ".".join(["a"] * 100)
    check_shape(
        f'a = "{many} {dots}"\nb = \'{many}\'\nc = """\n{many}\n\\""" {dots}"""\n'
        f"d = '''{many}\n{dots}'''''\n# {many} {dots}\ne = 1.5\nf = 1979-05-27T07:32:00.999Z\n"
        f'"{dots}".x = 1\n'
    )
    nested = "x = " + "[" * MAX_DEPTH + "]" * MAX_DEPTH
    check_shape(nested)
    with pytest.raises(TextRefused) as caught:
        check_shape("\n" + "x = " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert (caught.value.line, caught.value.column) == (2, 5 + MAX_DEPTH)
    check_shape(".".join(["k"] * MAX_KEY_PARTS) + " = 1")
    with pytest.raises(TextRefused):
        check_shape('k . "k" . ' + ".".join(["k"] * MAX_KEY_PARTS) + " = 1")


# --- saves in the saves folder -------------------------------------------------------------------


def test_a_deep_save_in_the_folder_is_skipped_by_the_list_and_by_resume(
    tmp_path: Path, good_save: Path
) -> None:
    deep = good_save.parent / "zz-deep.toml"
    deep.write_bytes(good_save.read_bytes() + DEEP_ARRAYS.encode())
    os.utime(deep)  # the newest file
    assert [path for path, _ in list_saves(good_save.parent)] == [good_save]
    assert newest_save(good_save.parent) == good_save


def test_a_named_pipe_in_the_saves_folder_does_not_block_the_list(tmp_path: Path, good_save: Path) -> None:
    os.mkfifo(good_save.parent / "fifo.toml")
    script = (
        "import sys; from wargame.storage.saves import list_saves, newest_save;"
        "print([p.name for p, _ in list_saves(sys.argv[1])], newest_save(sys.argv[1]).name)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(good_save.parent)],
        env=env,
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert done.stdout.split() == [f"['{good_save.name}']", good_save.name], done.stderr


# --- 7. an unreadable deck -----------------------------------------------------------------------


def test_a_folder_given_as_a_deck_or_a_save_is_a_message_not_a_usage_error(
    tmp_path: Path, good_save: Path
) -> None:
    status, lines = invoke("replay", str(good_save), "--deck", str(tmp_path))
    refused_in_one_line(status, lines, f"cannot read the deck {tmp_path}: is a directory, not a deck file")
    status, lines = invoke("simulate", "-n", "1", str(tmp_path))
    assert status == 1 and lines[0] == f"{tmp_path}: is a directory, not a deck file", lines


def test_a_deck_that_even_root_cannot_read_is_a_message_and_exit_1() -> None:
    # The tests run as root, who reads every file whatever its mode; but not this one.
    mem = "/proc/self/mem"
    if not Path(mem).is_file():
        pytest.skip("needs Linux's /proc")
    status, lines = invoke("deck", "check", mem)
    refused_in_one_line(status, lines, f"{mem}: cannot be read: input/output error")


def test_no_path_of_the_command_line_is_checked_by_click() -> None:
    # click's `readable` and `dir_okay` checks end in a usage error and exit status 2, and click asks
    # os.access, for which root may read every file: the storage layer says what is wrong instead.
    import click

    checked = [
        f"{command.name} {param.name}"
        for command in _commands(main)
        for param in command.params
        if isinstance(param.type, click.Path)
        and (param.type.readable or param.type.exists or not param.type.dir_okay)
        and param.name != "saves_dir"  # a folder to write into, not a file to read
    ]
    assert checked == []


def _commands(group: object) -> list[Any]:
    import click

    assert isinstance(group, click.Group)
    found: list[Any] = []
    for command in group.commands.values():
        found.extend(_commands(command) if isinstance(command, click.Group) else [command])
    return found


# --- other ways in -------------------------------------------------------------------------------


def test_deck_new_into_a_folder_a_missing_folder_or_under_a_file(tmp_path: Path) -> None:
    status, lines = invoke("deck", "new", str(tmp_path))
    refused_in_one_line(status, lines, f'"{tmp_path}" already exists: nothing was written')
    status, lines = invoke("deck", "new", str(tmp_path / "missing" / "d.toml"))
    assert status == 0 and (tmp_path / "missing" / "d.toml").is_file()  # the folder is made
    (tmp_path / "file").write_text("x")
    status, lines = invoke("deck", "new", str(tmp_path / "file" / "d.toml"))
    refused_in_one_line(status, lines, "cannot write", "not a directory")


def test_report_into_a_folder_is_a_message(good_save: Path, tmp_path: Path) -> None:
    status, lines = invoke("report", str(good_save), "-o", str(tmp_path))
    refused_in_one_line(status, lines, str(tmp_path), "is a directory")


def test_simulate_saves_into_a_file_is_a_message(tmp_path: Path) -> None:
    afile = tmp_path / "file"
    afile.write_text("x")
    for where in (afile, afile / "sub"):
        status, lines = invoke("simulate", "-n", "1", str(MINI), "--save-games", str(where))
        refused_in_one_line(status, lines, f"cannot save the games in {where}: ")
    assert afile.read_text() == "x"


@pytest.mark.parametrize("seed", [str(2**63), str(-(2**63) - 1), "12x"])
@pytest.mark.parametrize("command", ["simulate", "play"])
def test_a_seed_a_save_cannot_hold_is_a_usage_error(command: str, seed: str) -> None:
    result = CliRunner().invoke(main, [command, str(MINI), "--seed", seed])
    assert result.exit_code == 2 and "--seed" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "option", [["--controllers", "POL=human"], ["--controllers", "POL"], ["--persona", "x"]]
)
def test_bad_controllers_and_personas_are_usage_errors(option: list[str]) -> None:
    result = CliRunner().invoke(main, ["simulate", "-n", "1", str(MINI), *option])
    assert result.exit_code == 2 and option[0] in result.output and result.exception is not None
    assert isinstance(result.exception, SystemExit)
