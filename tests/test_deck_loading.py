"""Reading decks: the strict converter, every problem with its exact place, and the rules pass.

The broken decks under tests/decks/broken/ are mini.toml with one thing broken each (two of them
with several); each test names the exact path, message and line a designer would see.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest

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

DECKS = Path(__file__).parent / "decks"
MINI = DECKS / "mini.toml"
BROKEN = DECKS / "broken"
MINI_TEXT = MINI.read_text("utf-8")


def found(problems: list[Problem]) -> list[tuple[str, str, int | None]]:
    return [(problem.path, problem.message, problem.line) for problem in problems]


def mini_with(*changes: tuple[str, str]) -> str:
    """mini.toml with each `old` text replaced by `new`; each `old` must occur exactly once."""
    text = MINI_TEXT
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def problems_in(*changes: tuple[str, str]) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in check_deck_text(mini_with(*changes), "mini.toml")]


# The valid deck.


def test_mini_has_no_problems() -> None:
    assert check_deck(MINI) == []


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
    assert str(caught.value) == "my.toml:7: deck.rounds: must be at least 1, got 0"


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
    assert found(check_deck_text("", "empty.toml")) == [
        ("", f'missing required key "{key}"', None)
        for key in ("deck", "tracks", "stats", "nations", "personas", "cards", "endings")
    ]


def test_problem_text() -> None:
    assert str(Problem("d.toml", "cards[0].cost", "bad")) == "d.toml: cards[0].cost: bad"
    assert str(Problem("d.toml", "cards[0].cost", "bad", line=9)) == "d.toml:9: cards[0].cost: bad"
    assert str(Problem("d.toml", "", "bad", line=3, column=7)) == "d.toml:3:7: bad"
    assert str(Problem("d.toml", "", "no such file")) == "d.toml: no such file"


# Structure: more shapes of wrong input.


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            (("start = 6", "start = true"),),
            [("tracks.cohesion.start", "expected an integer, got the boolean true")],
        ),
        (
            (('name = "Cohesion"', "name = 5"),),
            [("tracks.cohesion.name", "expected a string, got the integer 5")],
        ),
        (
            (("higher_is_better = false", 'higher_is_better = "no"'),),
            [("tracks.escalation.higher_is_better", 'expected true or false, got the string "no"')],
        ),
        (
            (("firmness = 0.7", 'firmness = "high"'),),
            [("personas.hawk.firmness", 'expected a number, got the string "high"')],
        ),
        (
            (("risk_aversion = 0.5", "risk_aversion = true"),),
            [("personas.hawk.risk_aversion", "expected a number, got the boolean true")],
        ),
        (
            (("stats = { treasury = 4,", 'stats = { treasury = "4",'),),
            [("nations[0].stats.treasury", 'expected an integer, got the string "4"')],
        ),
        (
            (('when = [{ actor = "readiness", min = 6 }]', 'when = { actor = "readiness", min = 6 }'),),
            [("nations[0].objectives[0].when", "expected an array, got a table")],
        ),
        (
            (('when = [{ actor = "readiness", min = 6 }]', 'when = "readiness at least 6"'),),
            [("nations[0].objectives[0].when", 'expected an array, got the string "readiness at least 6"')],
        ),
        (
            (("on_draw = { target = { pressure = 1 } }", "on_draw = [1]"),),
            [("cards[0].on_draw", "expected a table, got an array")],
        ),
        (
            (('[consultation]\nlabel = "Article 4"', '[consultation]\nlabel = "Article 4"\nquorum = 3'),),
            [("consultation", 'unknown key "quorum"')],
        ),
        (
            (("fatigue = { tracks = { credibility = -1 } }", "fatigue = { trakcs = { credibility = -1 } }"),),
            [("consultation.fatigue", 'unknown key "trakcs" (did you mean "tracks"?)')],
        ),
        (
            (('[deck]\nid = "mini"', 'info = 1\n[deck]\nid = "mini"'),),
            [("", 'unknown key "info"')],
        ),
    ],
)
def test_structure_problems(changes: tuple[tuple[str, str], ...], expected: list[tuple[str, str]]) -> None:
    assert problems_in(*changes) == expected


# Meaning: the rules pass.


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            (('id = "mini"', 'id = "mini deck"'),),
            [("deck.id", 'expected letters, digits and dashes, got "mini deck"')],
        ),
        (
            (("draws_per_round = 1", "draws_per_round = 0"),),
            [("deck.draws_per_round", "must be at least 1, got 0")],
        ),
        (
            (("start = 6", "start = 11"),),
            [("tracks.cohesion.start", "start 11 is outside the track's range 0..10")],
        ),
        (
            (
                (
                    '[stats.income]\nname = "Income"\nmin = 0\nmax = 10',
                    '[stats.income]\nname = "Income"\nmin = 10\nmax = 0',
                ),
            ),
            [("stats.income.max", "max 0 must be above min 10")],
        ),
        (
            (("treasury = 8, income = 4", "treasury = 8, income = 40"),),
            [("nations[2].stats.income", "40 is outside the stat's range 0..10")],
        ),
        (
            (
                (
                    "treasury = 8, income = 4, readiness = 5, pressure = 1",
                    "treasury = 8, income = 4, readiness = 5, presure = 1",
                ),
            ),
            [
                ("nations[2].stats", 'missing stat "pressure"'),
                ("nations[2].stats", 'unknown stat "presure" (did you mean "pressure"?)'),
            ],
        ),
        (
            (('id = "DEU"', 'id = "any"'),),
            [("nations[2].id", '"any" is a card target word and cannot be a nation id')],
        ),
        (
            (('points = 2\nwhen = [{ track = "escalation"', 'points = -2\nwhen = [{ track = "escalation"'),),
            [("nations[2].objectives[0].points", "must be at least 0, got -2")],
        ),
        (
            (('when = [{ track = "escalation", max = 4 }]', 'when = [{ target = "pressure", max = 4 }]'),),
            [
                (
                    "nations[2].objectives[0].when[0].target",
                    '"target" cannot be used here; use "track" or "actor" or "round"',
                )
            ],
        ),
        (
            (("stats = { pressure = -0.5, treasury = 0.1 }", "stats = { presure = -0.5, treasury = 0.1 }"),),
            [("personas.hawk.stats", 'unknown stat "presure" (did you mean "pressure"?)')],
        ),
        (
            (
                (
                    "tracks = { credibility = 0.5, escalation = -2.0",
                    "tracks = { credibility = 0.5, escalatio = -2.0",
                ),
            ),
            [("personas.dove.tracks", 'unknown track "escalatio" (did you mean "escalation"?)')],
        ),
        (
            (("firmness = 0.7", "firmness = 1.5"),),
            [("personas.hawk.firmness", "must be between -1 and 1, got 1.5")],
        ),
        (
            (("risk_aversion = 2.0", "risk_aversion = -1"),),
            [("personas.dove.risk_aversion", "must be at least 0, got -1")],
        ),
        (
            (("threshold = 60", "threshold = 0"),),
            [("consultation.threshold", "must be between 1 and 100, got 0")],
        ),
        (
            (("fatigue_window = 3", "fatigue_window = -1"),),
            [("consultation.fatigue_window", "must be at least 0, got -1")],
        ),
        (
            (("cost = 3\nlimit = 2", "cost = -3\nlimit = 0"),),
            [
                ("investments[0].cost", "must be at least 0, got -3"),
                ("investments[0].limit", "must be at least 1, got 0"),
            ],
        ),
        (
            (("effects = { actor = { readiness = 1 } }", "effects = { target = { readiness = 1 } }"),),
            [
                (
                    "investments[0].effects.target",
                    '"target" cannot be used here: an investment has no target nation',
                )
            ],
        ),
        (
            (
                (
                    'requires = [{ actor = "readiness", min = 3 }]',
                    'requires = [{ target = "readiness", min = 3 }]',
                ),
            ),
            [
                (
                    "investments[1].requires[0].target",
                    '"target" cannot be used here; use "track" or "actor" or "round"',
                )
            ],
        ),
        (
            (('id = "counter-drone"', 'id = "air-policing"'),),
            [("investments[1].id", 'duplicate investment id "air-policing" (first used at investments[0])')],
        ),
        ((("copies = 2", "copies = 0"),), [("cards[0].copies", "must be at least 1, got 0")]),
        (
            (("readiness_bonus = 5", "readiness_bonus = -5"),),
            [("cards[0].responses[0].readiness_bonus", "must be at least 0, got -5")],
        ),
        (
            (('target = "EST"', 'target = "Estonia"'),),
            [
                (
                    "cards[1].target",
                    'unknown target "Estonia": expected a nation id, "frontline", "any" or "alliance"',
                )
            ],
        ),
        (
            (
                ("frontline = true\nstats = { treasury = 4", "stats = { treasury = 4"),
                ("frontline = true\nstats = { treasury = 2", "stats = { treasury = 2"),
            ),
            [("cards[0].target", 'a "frontline" card needs a nation with frontline = true')],
        ),
        (
            (('id = "ignore"', 'id = "escort"'),),
            [
                (
                    "cards[1].responses[1].id",
                    'duplicate response id "escort" (first used at cards[1].responses[0])',
                )
            ],
        ),
        (
            (
                (
                    'id = "ignore"\nlabel = "Do nothing"',
                    'id = "ignore"\nlabel = "Do nothing"\nrequires = [{ round = true, min = 2 }]',
                ),
            ),
            [
                (
                    "cards[1].responses",
                    "no free response: at least one response must cost 0 and require nothing",
                )
            ],
        ),
        (
            (
                (
                    'id = "unify"\nlabel = "Unify them"',
                    'id = "unify"\nlabel = "Unify them"\nconsultation = true\n'
                    "requires = [{ round = true, min = 2 }]\nsuccess = { actor = { readiness = 1 } }",
                ),
            ),
            [
                (
                    "cards[3].responses[0].consultation",
                    "an alliance card's responses cannot invoke a consultation",
                ),
                ("cards[3].responses[0].requires", "an alliance card's responses cannot have requirements"),
                (
                    "cards[3].responses[0].success.actor",
                    '"actor" cannot be used here: an alliance card has no acting or target nation',
                ),
            ],
        ),
        (
            (('target = "alliance"', 'target = "alliance"\non_draw = { target = { pressure = 1 } }'),),
            [
                (
                    "cards[3].on_draw.target",
                    '"target" cannot be used here: an alliance card has no target nation',
                )
            ],
        ),
        (
            (
                (
                    'when = [{ track = "credibility", max = 2 }]',
                    'when = [{ actor = "readiness", max = 2 }, { round = true, min = 9 }]',
                ),
            ),
            [
                ("extra_draws[0].when[0].actor", '"actor" cannot be used here; use "track" or "round"'),
                ("extra_draws[0].when[1].min", "never holds: the round is at most 4, not 9"),
            ],
        ),
        ((("count = 1", "count = 0"),), [("extra_draws[0].count", "must be at least 1, got 0")]),
        (
            (("effects = { all = { pressure = -1 } }", "effects = { others = { pressure = -1 } }"),),
            [
                (
                    "drift[0].effects.others",
                    '"others" cannot be used here: '
                    'drift has no acting or target nation (use "tracks" or "all")',
                )
            ],
        ),
        (
            (
                (
                    'when = [{ track = "escalation", min = 7 }]',
                    'when = [{ track = "escalation", min = 7, max = 5 }]',
                ),
            ),
            [("drift[1].when[0].min", "min 7 is above max 5: never holds")],
        ),
        (
            (('when = [{ track = "escalation", min = 10 }]', 'when = [{ track = "escalation", min = 11 }]'),),
            [("endings[0].when[0].min", 'never holds: track "escalation" is at most 10, not 11')],
        ),
        (
            (('when = [{ track = "cohesion", max = 0 }]', 'when = [{ max = 0 }, { track = "cohesion" }]'),),
            [
                (
                    "endings[1].when[0]",
                    'condition has no subject: set one of "track", "actor", "target" or "round = true"',
                ),
                ("endings[1].when[1]", 'condition has no bound: set "min", "max" or both'),
            ],
        ),
        (
            (
                (
                    'title = "The alliance holds"',
                    'title = "The alliance holds"\nwhen = [{ round = true, min = 4 }]',
                ),
            ),
            [("endings[3].when", "the last final ending is the default and must have no conditions")],
        ),
        (
            (
                ('kind = "final"\nwhen', 'kind = "defeat"\nwhen'),
                (
                    'title = "The alliance holds"\nkind = "final"',
                    'title = "The alliance holds"\nkind = "defeat"',
                ),
            ),
            [("endings", 'a deck needs at least one ending with kind = "final"')],
        ),
        (
            (('id = "war"', 'id = "holds"'),),
            [("endings[3].id", 'duplicate ending id "holds" (first used at endings[0])')],
        ),
        (
            (
                ('[stats.income]\nname = "Income"\nmin = 0\nmax = 10\n', ""),
                ("income = 3, ", ""),
                ("income = 1, ", ""),
                ("income = 4, ", ""),
            ),
            [("stats", 'missing required stat "income"')],
        ),
    ],
)
def test_rule_problems(changes: tuple[tuple[str, str], ...], expected: list[tuple[str, str]]) -> None:
    assert problems_in(*changes) == expected


def test_a_deck_needs_nations_and_cards() -> None:
    text = MINI_TEXT
    start, end = text.index("[[nations]]"), text.index("[personas.hawk]")
    cards_start, cards_end = text.index("[[cards]]"), text.index("[[extra_draws]]")
    # Empty arrays must come before the first table, or they would belong to it.
    text = "nations = []\ncards = []\n" + text[:start] + text[end:cards_start] + text[cards_end:]
    assert [(p.path, p.message) for p in check_deck_text(text)] == [
        ("nations", "a deck needs at least one nation"),
        ("cards", "a deck needs at least one card"),
    ]


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
    assert lines.line(("not",)) is None


# Bundled decks.


def test_unknown_bundled_deck() -> None:
    with pytest.raises(FileNotFoundError, match='no bundled deck "no-such-deck"'):
        bundled_deck_path("no-such-deck")


@pytest.mark.parametrize("path", bundled_decks(), ids=lambda path: path.name)
def test_bundled_deck_has_no_problems(path: Path) -> None:
    assert [str(problem) for problem in check_deck(path)] == []
    assert bundled_deck_path(path.stem) == path
