"""Fuzzing the files a user hands the game: damaged decks and saves (tests/fuzz_strategies.py) are met
with the project's own errors, located, and never change the file; a deck that passes its check plays.

The number of examples comes from the hypothesis profile (tests/conftest.py): `ci` in CI, `thorough`
for long runs (`pytest tests/test_fuzz.py --hypothesis-profile=thorough -p no:xdist`).
"""

from __future__ import annotations

import re
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings

from tests.fuzz_strategies import (
    Bounds,
    mildly_mutated_decks,
    mutated_decks,
    mutated_saves,
    play_ai_game,
    save_texts,
)
from wargame.cli import main
from wargame.session import Session
from wargame.storage import DeckError, Problem, check_deck, load_deck
from wargame.storage.saves import SaveError, list_saves, load_game, read_save

#: The profile's examples (it is loaded before this module is imported); each test takes a share.
EXAMPLES = settings.default.max_examples if settings.default is not None else 100

#: A long profile runs long: 120 s a test, or a quarter of a second an example.
pytestmark = pytest.mark.timeout(max(120, EXAMPLES // 4))

#: Every example does real work (a check, a replay), so no deadline; the strategies draw much by design.
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def share(fraction: float) -> settings:
    """FUZZ with a share of the profile's examples: a deck is checked in tens of milliseconds, and the
    suite's time is shared with everything else."""
    return settings(FUZZ, max_examples=max(10, int(EXAMPLES * fraction)))


#: Decks are bigger than saves (the bundled one is 60 KB): a quarter of the examples.
DECKS = share(0.25)
SAVES = share(0.5)
#: A deck that passes plays 20 games: fewer examples.
PLAYS = share(0.15)

#: `FILE:LINE[:COLUMN]: ` at the start of a located problem.
LOCATED = r"^{file}:(\d+)(?::\d+)?: "


@contextmanager
def written(name: str, data: bytes) -> Iterator[Path]:
    """The bytes in a file named `name` in a fresh folder (hypothesis runs many examples per test, so
    pytest's function-scoped tmp_path would be shared by all of them)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def folder_of(path: Path) -> dict[str, bytes]:
    return {entry.name: entry.read_bytes() for entry in path.parent.iterdir()}


# --- decks ------------------------------------------------------------------------------------------


def check_located(path: Path, data: bytes) -> list[Problem]:
    """The deck file's problems, each of which must be located: `FILE:LINE: ` with a line of the file,
    or `FILE: ` for a fault of the whole file. The file must be unchanged."""
    problems = check_deck(path)
    lines = data.count(b"\n") + 1
    for problem in problems:
        assert problem.file == str(path)
        assert problem.message, problem
        rendered = str(problem)
        if problem.line is None:
            # Only a fault of the whole file (unreadable, not UTF-8 text, empty) has no line.
            assert rendered.startswith(f"{path}: "), rendered
            assert not problem.path, rendered
        else:
            assert 1 <= problem.line <= lines, (rendered, lines)
            located = re.match(LOCATED.format(file=re.escape(str(path))), rendered)
            assert located is not None and int(located.group(1)) == problem.line, rendered
    assert path.read_bytes() == data
    return problems


@DECKS
@given(mutated_decks(Bounds(magnitude=None)))
def test_a_deck_with_numbers_of_any_size_is_checked_with_every_problem_located(
    deck: tuple[str, bytes],
) -> None:
    # Not played: see Bounds.magnitude for what a passing deck with such numbers does to the AI.
    name, data = deck
    with written(name, data) as path:
        problems = check_located(path, data)
        event("errors" if any(p.is_error for p in problems) else "passes")


@DECKS
@given(mutated_decks())
def test_a_damaged_deck_is_checked_with_every_problem_located(deck: tuple[str, bytes]) -> None:
    name, data = deck
    with written(name, data) as path:
        problems = check_located(path, data)
        event("errors" if any(p.is_error for p in problems) else "warnings" if problems else "clean")
        if any(problem.is_error for problem in problems):
            try:
                load_deck(path)
            except DeckError as error:
                assert error.problems == [problem for problem in problems if problem.is_error]
            else:
                raise AssertionError("a deck with errors loaded")
        else:
            # A deck that passes the check plays: 20 games of the AI against itself, each to its end.
            loaded = load_deck(path)
            for seed in range(20):
                play_ai_game(loaded, seed)


@PLAYS
@given(mildly_mutated_decks())
def test_a_deck_with_odd_values_that_passes_its_check_plays(deck: tuple[str, bytes]) -> None:
    # Most damaged decks are refused; values changed in place pass more often, and then must play.
    name, data = deck
    with written(name, data) as path:
        problems = check_deck(path)
        passes = not any(problem.is_error for problem in problems)
        event("passes" if passes else "refused")
        if passes:
            loaded = load_deck(path)
            for seed in range(20):
                play_ai_game(loaded, seed)
        else:
            with pytest.raises(DeckError):
                load_deck(path)


@DECKS
@given(mutated_decks())
def test_deck_check_answers_a_damaged_deck_in_lines_and_an_exit_status(deck: tuple[str, bytes]) -> None:
    name, data = deck
    with written(name, data) as path:
        result = CliRunner().invoke(main, ["deck", "check", str(path)])
        assert result.exit_code in (0, 1), (result.output, result.exception)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
        assert "Traceback" not in result.output
        lines = result.output.splitlines()
        assert lines, "deck check said nothing"
        shape = re.compile(rf"^{re.escape(str(path))}(:\d+(:\d+)?)?: ")
        # A message may quote the file's text over several lines; each problem starts with its place.
        assert shape.match(lines[0]), lines[0]
        ok = [line for line in lines if line.startswith(f"{path}: ok — ")]
        assert (result.exit_code == 0) == bool(ok), result.output
        assert path.read_bytes() == data


# --- saves ------------------------------------------------------------------------------------------


@SAVES
@given(mutated_saves())
def test_a_damaged_save_is_refused_with_a_save_error_and_left_as_it_was(save: tuple[str, bytes]) -> None:
    name, data = save
    with written(f"{name}.toml", data) as path:
        before = folder_of(path)
        try:
            read_save(path)
        except SaveError as error:
            assert str(error).startswith(f"{path}: "), error
        try:
            load_game(path)
        except SaveError as error:
            assert str(error).startswith(f"{path}: "), error
            refused = True
        else:
            refused = False
        event("refused" if refused else "loaded")
        assert folder_of(path) == before
        try:
            session = Session.resume(path)
        except SaveError:
            assert refused, "resume refused a save that loads"
        else:
            assert not refused, "resume took a save that does not load"
            assert session.save_path == path
        # Resuming never writes: only the next decision autosaves.
        assert folder_of(path) == before


@SAVES
@given(mutated_saves())
def test_replay_answers_a_damaged_save_in_one_line_or_a_timeline(save: tuple[str, bytes]) -> None:
    name, data = save
    with written(f"{name}.toml", data) as path:
        before = folder_of(path)
        result = CliRunner().invoke(main, ["replay", str(path)])
        assert result.exit_code in (0, 1), (result.output, result.exception)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
        assert "Traceback" not in result.output
        if result.exit_code == 1:
            assert result.output.startswith(f"error: {path}: "), result.output
        else:
            assert "Verified: " in result.output, result.output
        assert folder_of(path) == before


def test_a_save_whose_deck_path_holds_a_nul_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    # Found by the fuzzing: `deck_path = "/tmp/x\u0000y.toml"` (a deck of no bundled id) reached the
    # deck's read_bytes, whose ValueError "embedded null byte" was a traceback in replay and resume.
    name, text = save_texts()[0]
    document = tomllib.loads(text)
    document["save"]["deck_path"] = "/tmp/x\x00y.toml"
    path = tmp_path / f"{name}.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["replay", str(path)])
    assert result.exit_code == 1, result.exc_info
    assert result.output == (
        f'error: {path}: save.deck_path: a file\'s path holds no NUL character, got "/tmp/x\\u0000y.toml"\n'
    )
    with pytest.raises(SaveError, match="NUL"):
        Session.resume(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("key", ["created", "updated"])
@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"])
def test_a_save_timed_at_the_end_of_the_calendar_is_refused_and_left_as_it_was(
    tmp_path: Path, key: str, moment: str
) -> None:
    # Found while fuzzing: a valid ISO time whose move to UTC leaves the calendar raised OverflowError,
    # a traceback in replay and resume, and on the start screen, which lists the saves it can read.
    name, text = save_texts()[0]
    document = tomllib.loads(text)
    document["save"][key] = moment
    path = tmp_path / f"{name}.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["replay", str(path)])
    assert result.exit_code == 1, result.exc_info
    assert result.output == (
        f'error: {path}: save.{key}: expected an ISO 8601 time with a UTC offset, got "{moment}"\n'
    )
    with pytest.raises(SaveError, match=f"save.{key}"):
        Session.resume(path)
    assert list_saves(tmp_path) == []
    assert path.read_bytes() == before
