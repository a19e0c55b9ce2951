"""Reading decks: the strict converter, every problem with its exact place, and the rules pass.

The broken decks under tests/decks/broken/ are mini.toml with one thing broken each (two of them
with several); each test names the exact path, message and line a designer would see.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

import pytest

from tests.helpers import BROKEN, MINI, MINI_TEXT, mini_with
from wargame.model import Deck, DeckInfo, Effect, Persona
from wargame.storage import (
    DeckError,
    Problem,
    bundled_deck_path,
    bundled_decks,
    check_deck,
    check_deck_text,
    load_deck,
    load_deck_text,
)
from wargame.storage.converter import UnknownChoiceError, WrongTypeError, converter
from wargame.storage.decks import LineFinder


def found(problems: list[Problem]) -> list[tuple[str, str, int | None]]:
    return [(problem.path, problem.message, problem.line) for problem in problems]


# The valid deck.


def test_mini_has_no_errors_and_two_warnings() -> None:
    # mini.toml keeps a persona for the tests that no nation uses, and a council card whose second
    # response is there to be outvoted: both are legal, and `deck check` points them out.
    assert found(check_deck(MINI)) == [
        (
            "personas.pragmatist",
            'no nation uses persona "pragmatist" (it plays only when chosen, as "ai:pragmatist")',
            104,
        ),
        (
            "cards[3].responses[1]",
            'response "defer" is beaten on every count by "unify": '
            "it costs no less, requires no less and does no better",
            204,
        ),
    ]
    assert {problem.severity for problem in check_deck(MINI)} == {"warning"}


def test_mini_loads_with_its_values() -> None:
    deck = load_deck(MINI)
    assert deck.info == DeckInfo(
        id="mini",
        title="Mini flank",
        version="1.0",
        rounds=4,
        draws_per_round=1,
        description="Three nations, four cards: enough to exercise every rule.",
        author="Eastern Flank tests",
    )
    assert list(deck.tracks) == ["cohesion", "escalation", "credibility"]
    assert deck.tracks["escalation"].higher_is_better is False
    assert deck.tracks["cohesion"].higher_is_better is True
    assert list(deck.stats) == ["treasury", "income", "readiness", "pressure"]
    assert [nation.id for nation in deck.nations] == ["POL", "EST", "DEU"]
    assert deck.nation("POL").stats == {"treasury": 4, "income": 3, "readiness": 4, "pressure": 3}
    assert deck.nation("DEU").frontline is False
    assert deck.nation("POL").objectives[0].when[0].actor == "readiness"
    hawk = deck.personas["hawk"]
    assert hawk.tracks["credibility"] == 2.0
    assert isinstance(hawk.tracks["credibility"], float)
    assert hawk.on_restrain == Effect(actor={"pressure": 1}, text="Hawks at home cry weakness.")
    assert deck.personas["pragmatist"].risk_aversion == 1.0
    drones = deck.card("drones")
    assert (drones.copies, drones.target) == (2, "frontline")
    assert drones.on_draw.target == {"pressure": 1}
    shoot = drones.response("shoot-down")
    assert (shoot.cost, shoot.chance, shoot.readiness_bonus) == (2, 40, 5)
    assert shoot.success.actor == {"pressure": -1}
    assert drones.response("article-4").consultation is True
    assert deck.card("jets").response("escort").chance is None
    assert deck.consultation.unified.target == {"readiness": 2}
    assert deck.investment("counter-drone").limit == 2
    assert deck.investment("air-policing").requires[0].min == 3
    assert deck.extra_draws[0].when[0].max == 2
    assert deck.drift[0].effects.all == {"pressure": -1}
    assert deck.drift[0].when == ()
    assert [e.kind for e in deck.endings] == ["defeat", "defeat", "final", "final"]
    assert deck.endings[-1].when == ()
    assert isinstance(deck.nations, tuple)


def test_load_deck_text_names_the_deck_in_problems() -> None:
    assert load_deck_text(MINI_TEXT) == load_deck(MINI)
    with pytest.raises(DeckError) as caught:
        load_deck_text(mini_with(("rounds = 4", "rounds = 0")), "my.toml")
    assert str(caught.value) == "my.toml:7: deck.rounds: must be between 1 and 100, got 0"


# Broken files: one thing each.


def test_syntax_error_has_line_and_column() -> None:
    path = BROKEN / "syntax.toml"
    [problem] = check_deck(path)
    assert (problem.path, problem.message) == ("", "invalid TOML: invalid value")
    assert (problem.line, problem.column) == (7, 10)
    assert str(problem) == f"{path}:7:10: invalid TOML: invalid value"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "wrong-type-deep",
            [("cards[1].responses[0].cost", 'expected an integer, got the string "one"', 171)],
        ),
        ("string-number", [("deck.rounds", 'expected an integer, got the string "7"', 7)]),
        ("float-int", [("cards[0].copies", "expected an integer, got the float 2.9", 138)]),
        (
            "unknown-key",
            [("tracks.cohesion", 'unknown key "descripton" (did you mean "description"?)', 14)],
        ),
        ("missing-key", [("deck", 'missing required key "title"', 3)]),
        (
            "unknown-track",
            [
                (
                    "cards[0].responses[0].effects.tracks",
                    'unknown track "escalaton" (did you mean "escalation"?)',
                    148,
                )
            ],
        ),
        ("duplicate-id", [("cards[1].id", 'duplicate card id "drones" (first used at cards[0])', 163)]),
        (
            "no-free-response",
            [
                (
                    "cards[1].responses",
                    "no free response: at least one response must cost 0 and require nothing",
                    168,
                )
            ],
        ),
        (
            "alliance-cost",
            [("cards[3].responses[0].cost", "an alliance card's responses must cost 0, got 2", 202)],
        ),
    ],
)
def test_broken_deck(name: str, expected: list[tuple[str, str, int]]) -> None:
    assert found(check_deck(BROKEN / f"{name}.toml")) == expected


def test_every_structural_problem_is_reported_together() -> None:
    assert found(check_deck(BROKEN / "many-types.toml")) == [
        ("deck", 'missing required key "title"', 3),
        ("deck.rounds", 'expected an integer, got the string "7"', 6),
        ("tracks.cohesion", 'unknown key "colour"', 13),
        ("cards[0].copies", "expected an integer, got the float 2.9", 138),
        ("cards[1].responses[0].cost", 'expected an integer, got the string "one"', 171),
        (
            "endings[2].kind",
            'expected one of "defeat", "final", got the string "finale" (did you mean "final"?)',
            235,
        ),
    ]


def test_every_problem_of_meaning_is_reported_together() -> None:
    assert found(check_deck(BROKEN / "many-meanings.toml")) == [
        ("nations[2].persona", 'unknown persona "dov" (did you mean "dove"?)', 80),
        ("cards[0].responses[0].chance", "must be between 0 and 100, got 140", 146),
        (
            "cards[0].responses[0].effects.tracks",
            'unknown track "escalaton" (did you mean "escalation"?)',
            148,
        ),
        ("cards[1].id", 'duplicate card id "drones" (first used at cards[0])', 163),
        ("cards[1].target", 'unknown target "ESTT" (did you mean "EST"?)', 165),
        ("cards[3].responses[0].cost", "an alliance card's responses must cost 0, got 2", 202),
        ("endings[1].when[0]", 'condition has several subjects ("track", "actor"): set exactly one', 231),
        ("endings[1].when[0].actor", '"actor" cannot be used here; use "track" or "round"', 231),
    ]


def test_load_deck_raises_with_every_problem() -> None:
    path = BROKEN / "many-types.toml"
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    error = caught.value
    assert isinstance(error, ValueError)
    assert len(error.problems) == 6
    assert str(error).splitlines() == [str(problem) for problem in error.problems]
    assert str(error).splitlines()[0] == f'{path}:3: deck: missing required key "title"'


# Files that cannot be read are problems too, never tracebacks.


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    assert [str(p) for p in check_deck(path)] == [f"{path}: no such file"]
    with pytest.raises(DeckError, match="no such file"):
        load_deck(path)


def test_directory(tmp_path: Path) -> None:
    assert [str(p) for p in check_deck(tmp_path)] == [f"{tmp_path}: is a directory, not a deck file"]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[deck]\nid = "caf\xe9"\n')
    [problem] = check_deck(path)
    assert (problem.message, problem.line) == ("not UTF-8 text (byte 0xe9)", 2)


def test_empty_file_misses_every_required_table() -> None:
    # The top-level table begins at line 1: that is the line of what is missing from it.
    assert found(check_deck_text("", "empty.toml")) == [
        ("", f'missing required key "{key}"', 1)
        for key in ("deck", "tracks", "stats", "nations", "personas", "cards", "endings")
    ]


def test_problem_text() -> None:
    assert str(Problem("d.toml", "cards[0].cost", "bad")) == "d.toml: cards[0].cost: bad"
    assert str(Problem("d.toml", "cards[0].cost", "bad", line=9)) == "d.toml:9: cards[0].cost: bad"
    assert str(Problem("d.toml", "", "bad", line=3, column=7)) == "d.toml:3:7: bad"
    assert str(Problem("d.toml", "", "no such file")) == "d.toml: no such file"
    warning = Problem("d.toml", "personas.dove", "unused", line=4, severity="warning")
    assert str(warning) == "d.toml:4: personas.dove: warning: unused"
    assert not warning.is_error
    assert warning.as_json() == {
        "file": "d.toml",
        "line": 4,
        "column": None,
        "path": "personas.dove",
        "severity": "warning",
        "message": "unused",
    }


# The converter alone.


def test_converter_is_strict() -> None:
    assert converter.structure(7, int) == 7
    assert converter.structure(2, float) == 2.0
    assert isinstance(converter.structure(2, float), float)
    for value, cls in [
        ("7", int),
        (2.9, int),
        (True, int),
        ("2", float),
        (False, float),
        (3, str),
        (1, bool),
    ]:
        with pytest.raises(WrongTypeError):
            converter.structure(value, cls)
    with pytest.raises(UnknownChoiceError, match='did you mean "final"'):
        converter.structure("finl", Literal["defeat", "final"])
    with pytest.raises(UnknownChoiceError):
        converter.structure(True, Literal[1, "final"])
    assert converter.structure(None, int | None) is None
    assert converter.structure(["a"], tuple[str, ...]) == ("a",)
    with pytest.raises(WrongTypeError, match='expected an array, got the string "ab"'):
        converter.structure("ab", tuple[str, ...])


def test_converter_reads_and_writes_renamed_fields() -> None:
    deck = load_deck(MINI)
    data: dict[str, Any] = converter.unstructure(deck)
    assert "deck" in data
    assert "info" not in data
    assert converter.structure(data, Deck) == deck
    assert converter.structure({"name": "Hawk", "tracks": {"cohesion": 1}}, Persona).tracks == {
        "cohesion": 1.0
    }


# Lines.


def test_line_finder_follows_tables_arrays_and_strings() -> None:
    text = "\n".join(
        [
            "[deck]",  # 1
            'text = """',  # 2
            "[not.a.table]",  # 3
            '"""',  # 4
            "[[cards]]",  # 5
            'id = "a"',  # 6
            "[[cards.responses]]",  # 7
            "when = [",  # 8
            "  { track = 'x' },  # a comment [with brackets]",  # 9
            '  { "quoted key" = 1 },',  # 10
            "]",  # 11
            "[[cards]]",  # 12
            "[[cards.responses]]",  # 13
            "[[cards.responses]]",  # 14
            "effects.tracks = { cohesion = 1 }",  # 15
            "[tracks.cohesion]",  # 16
        ]
    )
    lines = LineFinder(text)
    assert lines.line(("deck", "text")) == 2
    assert lines.line(("cards", 0, "id")) == 6
    assert lines.line(("cards", 0, "responses", 0, "when", 0, "track")) == 9
    assert lines.line(("cards", 0, "responses", 0, "when", 1, "quoted key")) == 10
    assert lines.line(("cards", 1)) == 12
    assert lines.line(("cards", 1, "responses", 1, "effects", "tracks", "cohesion")) == 15
    assert lines.line(("cards", 1, "responses", 1, "cost")) == 14
    assert lines.line(("tracks", "cohesion", "min")) == 16
    assert lines.line(("not",)) == 1  # not found: the top-level table's line


def test_line_finder_skips_every_kind_of_string() -> None:
    # Quotes inside strings, escapes, empty strings and multi-line strings that end in extra quotes:
    # a key after each must still be found on its own line.
    text = "\n".join(
        [
            "[deck]",  # 1
            'a = "say \\"[x]\\" = 1"',  # 2
            "b = ''",  # 3
            'c = ""',  # 4
            'd = """two ""quotes"" inside',  # 5
            '[not.a.table]""""',  # 6: the string ends with a quote
            "e = '''raw ''x'''''",  # 7: ends with two quotes
            "f = 'C:\\path\\'",  # 8: no escapes in literal strings
            "[[cards]]",  # 9
        ]
    )
    lines = LineFinder(text)
    assert tomllib.loads(text)["deck"]["d"].endswith('table]"')
    assert [lines.line(("deck", key)) for key in "abcdef"] == [2, 3, 4, 5, 7, 8]
    assert lines.line(("cards", 0)) == 9
    assert lines.line(("not",)) == 1


# Bundled decks.


def test_unknown_bundled_deck() -> None:
    with pytest.raises(FileNotFoundError, match='no bundled deck "no-such-deck"'):
        bundled_deck_path("no-such-deck")


@pytest.mark.parametrize("path", bundled_decks(), ids=lambda path: path.name)
def test_bundled_deck_has_no_problems(path: Path) -> None:
    # Neither errors nor warnings: `wargame deck check --strict` passes on every bundled deck.
    assert [str(problem) for problem in check_deck(path)] == []
    assert bundled_deck_path(path.stem) == path


def test_a_deck_needs_a_track_and_finite_numbers_and_may_start_with_a_bom(tmp_path: Path) -> None:
    import re as regex

    no_tracks = "tracks = {}\n" + regex.sub(r"\[tracks\.(\w+)\][^\[]*", "", MINI_TEXT)
    with pytest.raises(DeckError) as caught:
        load_deck_text(no_tracks, "t.toml")
    assert "tracks: a deck needs at least one track" in str(caught.value)
    with pytest.raises(DeckError) as caught:
        load_deck_text(MINI_TEXT.replace("risk_aversion = 0.5", "risk_aversion = nan"), "n.toml")
    assert "personas.hawk.risk_aversion: expected a finite number, got the float nan" in str(caught.value)
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + MINI_TEXT.encode("utf-8"))
    assert load_deck(bom) == load_deck(MINI)
