"""`wargame deck check`, as a designer calls it: through click and as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from wargame.cli import main

ROOT = Path(__file__).parent.parent
MINI = "tests/decks/mini.toml"
BROKEN = "tests/decks/broken"
MINI_OK = f'{MINI}: ok — "Mini flank" v1.0, 3 nations, 4 cards'


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m wargame ARGS` from the repository's top, as installed or not."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "wargame", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Relative paths in the output, as a designer working in the repository sees them."""
    monkeypatch.chdir(ROOT)


def invoke(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout.splitlines()


def test_a_valid_deck_is_ok() -> None:
    assert invoke("deck", "check", MINI) == (0, [MINI_OK])


def test_every_problem_of_every_file_is_printed() -> None:
    code, lines = invoke("deck", "check", f"{BROKEN}/unknown-track.toml", MINI, f"{BROKEN}/many-types.toml")
    assert code == 1
    assert lines[:2] == [
        f"{BROKEN}/unknown-track.toml:148: cards[0].responses[0].effects.tracks: "
        'unknown track "escalaton" (did you mean "escalation"?)',
        MINI_OK,
    ]
    assert len(lines) == 2 + 6
    assert lines[2] == f'{BROKEN}/many-types.toml:3: deck: missing required key "title"'


def test_syntax_error_names_line_and_column() -> None:
    assert invoke("deck", "check", f"{BROKEN}/syntax.toml") == (
        1,
        [f"{BROKEN}/syntax.toml:7:10: invalid TOML: invalid value"],
    )


def test_a_missing_file_is_a_clear_message() -> None:
    assert invoke("deck", "check", "no-such-deck.toml") == (1, ["no-such-deck.toml: no such file"])


def test_version_and_help() -> None:
    code, lines = invoke("--version")
    assert code == 0
    assert lines[0].startswith("wargame ")
    code, lines = invoke()
    assert code == 0
    assert lines[0].startswith("Usage:")
    assert any(line.strip().startswith("deck") for line in lines)


def test_deck_check_as_a_real_process() -> None:
    done = run("deck", "check", MINI)
    assert (done.returncode, done.stdout, done.stderr) == (0, MINI_OK + "\n", "")
    done = run("deck", "check", MINI, f"{BROKEN}/duplicate-id.toml", "no-such-deck.toml")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        MINI_OK,
        f'{BROKEN}/duplicate-id.toml:163: cards[1].id: duplicate card id "drones" (first used at cards[0])',
        "no-such-deck.toml: no such file",
    ]
    assert "Traceback" not in done.stderr


def test_checking_decks_does_not_load_the_terminal_ui() -> None:
    code = (
        "import sys, wargame.cli, wargame.storage\n"
        "wargame.storage.check_deck('tests/decks/mini.toml')\n"
        "print('textual' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
