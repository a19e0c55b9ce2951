"""`wargame deck check`, as a designer calls it: through click and as a real process.

The broken decks under tests/decks/broken/ assert the exact `FILE:LINE: PATH: message` lines; the
decks with warnings are in test_deck_warnings.py.
"""

from __future__ import annotations

import json
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
MINI_WARNINGS = [
    f"{MINI}:104: personas.pragmatist: warning: "
    'no nation uses persona "pragmatist" (it plays only when chosen, as "ai:pragmatist")',
    f"{MINI}:204: cards[3].responses[1]: warning: "
    'response "defer" is beaten on every count by "unify": '
    "it costs no less, requires no less and does no better",
]
MINI_OK = f'{MINI}: ok — "Mini flank" v1.0, 3 nations, 4 cards, 2 warnings'


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


def test_a_valid_deck_is_ok_with_its_warnings() -> None:
    assert invoke("deck", "check", MINI) == (0, [*MINI_WARNINGS, MINI_OK])


def test_strict_makes_warnings_fail() -> None:
    assert invoke("deck", "check", "--strict", MINI) == (1, MINI_WARNINGS)
    starter = "wargame/storage/starter.toml"
    assert invoke("deck", "check", "--strict", starter) == (
        0,
        [f'{starter}: ok — "My deck" v0.1, 3 nations, 4 cards'],
    )


def test_json_lists_every_problem_as_an_object() -> None:
    result = CliRunner().invoke(
        main, ["deck", "check", "--format", "json", MINI, f"{BROKEN}/duplicate-id.toml"]
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "file": MINI,
            "line": 104,
            "column": None,
            "path": "personas.pragmatist",
            "severity": "warning",
            "message": 'no nation uses persona "pragmatist" (it plays only when chosen, as "ai:pragmatist")',
        },
        {
            "file": MINI,
            "line": 204,
            "column": None,
            "path": "cards[3].responses[1]",
            "severity": "warning",
            "message": 'response "defer" is beaten on every count by "unify": '
            "it costs no less, requires no less and does no better",
        },
        {
            "file": f"{BROKEN}/duplicate-id.toml",
            "line": 163,
            "column": None,
            "path": "cards[1].id",
            "severity": "error",
            "message": 'duplicate card id "drones" (first used at cards[0])',
        },
    ]
    code, lines = invoke("deck", "check", "--format", "json", "--strict", MINI)
    assert code == 1
    assert [item["severity"] for item in json.loads("\n".join(lines))] == ["warning", "warning"]
    code, lines = invoke("deck", "check", "--format", "json", f"{BROKEN}/syntax.toml")
    assert (code, json.loads("\n".join(lines))[0]["column"]) == (1, 10)
    assert invoke("deck", "check", "--format", "json", "wargame/storage/starter.toml") == (0, ["[]"])


def test_misspelled_keys_get_a_suggestion() -> None:
    file = f"{BROKEN}/misspelled-keys.toml"
    assert invoke("deck", "check", file) == (
        1,
        [
            f'{file}:133: consultation: unknown key "fatigue_windows" (did you mean "fatigue_window"?)',
            f'{file}:169: cards[0].on_draw: unknown key "track" (did you mean "tracks"?)',
            f"{file}:177: cards[0].responses[0]: "
            'unknown key "readyness_bonus" (did you mean "readiness_bonus"?)',
        ],
    )


def test_misspelled_ids_tracks_and_stats_get_a_suggestion() -> None:
    file = f"{BROKEN}/misspelled-ids.toml"
    assert invoke("deck", "check", file) == (
        1,
        [
            f'{file}:95: nations[2].persona: unknown persona "dvoe" (did you mean "dove"?)',
            f"{file}:102: nations[2].objectives[0].when[0].track: "
            'unknown track "escalaton" (did you mean "escalation"?)',
            f'{file}:148: investments[0].effects.actor: unknown stat "readines" (did you mean "readiness"?)',
            f'{file}:196: cards[1].target: unknown target "LTV" (did you mean "LTU"?)',
            f"{file}:241: cards[3].responses[1].effects.tracks: "
            'unknown track "cohesoin" (did you mean "cohesion"?)',
        ],
    )


def test_values_out_of_range_and_conditions_that_never_hold() -> None:
    file = f"{BROKEN}/bad-ranges.toml"
    assert invoke("deck", "check", file) == (
        1,
        [
            f"{file}:20: tracks.cohesion.start: start 12 is outside the track's range 0..10",
            f"{file}:49: stats.income.max: max 5 must be above min 6",
            f"{file}:83: nations[1].stats.pressure: 11 is outside the stat's range 0..10",
            f"{file}:153: investments[1].requires[0].min: "
            'never holds: stat "readiness" is at most 10, not 14',
            f"{file}:175: cards[0].responses[0].chance: must be between 0 and 100, got 150",
            f"{file}:276: endings[2].when[0].min: min 7 is above max 3: never holds",
            f"{file}:276: endings[2].when[1].min: never holds: the round is at most 6, not 7",
            f"{file}:282: endings[3].when: the last final ending is the default and must have no conditions",
        ],
    )


def test_every_problem_of_every_file_is_printed() -> None:
    code, lines = invoke("deck", "check", f"{BROKEN}/unknown-track.toml", MINI, f"{BROKEN}/many-types.toml")
    assert code == 1
    assert lines[:4] == [
        f"{BROKEN}/unknown-track.toml:148: cards[0].responses[0].effects.tracks: "
        'unknown track "escalaton" (did you mean "escalation"?)',
        *MINI_WARNINGS,
        MINI_OK,
    ]
    assert len(lines) == 4 + 6
    assert lines[4] == f'{BROKEN}/many-types.toml:3: deck: missing required key "title"'


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
    # `wargame` alone opens the start screen; `--help` lists the commands.
    code, lines = invoke("--help")
    assert code == 0
    assert lines[0].startswith("Usage:")
    assert any(line.strip().startswith("deck") for line in lines)
    code, lines = invoke("deck", "--help")
    assert code == 0
    assert [line.split()[0] for line in lines[lines.index("Commands:") + 1 :]] == ["check", "new", "schema"]


def test_deck_check_as_a_real_process() -> None:
    done = run("deck", "check", MINI)
    assert (done.returncode, done.stdout.splitlines(), done.stderr) == (0, [*MINI_WARNINGS, MINI_OK], "")
    done = run("deck", "check", MINI, f"{BROKEN}/duplicate-id.toml", "no-such-deck.toml")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        *MINI_WARNINGS,
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


def test_the_deck_commands_do_not_load_the_terminal_ui(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from wargame.cli import main\n"
        "runner = CliRunner()\n"
        f"for args in (['deck', 'check', '--format', 'json', {MINI!r}], ['deck', 'schema'],\n"
        f"             ['deck', 'new', {str(tmp_path / 'new.toml')!r}]):\n"
        "    assert runner.invoke(main, args).exit_code == 0, args\n"
        "print('textual' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
