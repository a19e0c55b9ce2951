"""What `deck check` says about wrong structure (types, keys) and wrong meaning (the rules pass).

Each case is mini.toml with a small change, asserting the paths and messages; test_cli_deck_check.py
runs the broken files under tests/decks/broken/ and asserts the whole lines a designer sees.
"""

from __future__ import annotations

import pytest

from tests.helpers import MINI_TEXT, problems_in
from wargame.storage import check_deck_text

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
            [("deck.draws_per_round", "must be between 1 and 20, got 0")],
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
                    '"target" cannot be used here; use "track", "actor", "round" or "consultation"',
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
                    '"target" cannot be used here; use "track", "actor", "round" or "consultation"',
                )
            ],
        ),
        (
            (('id = "counter-drone"', 'id = "air-policing"'),),
            [("investments[1].id", 'duplicate investment id "air-policing" (first used at investments[0])')],
        ),
        ((("copies = 2", "copies = 0"),), [("cards[0].copies", "must be between 1 and 100, got 0")]),
        (
            (("copies = 2", "copies = 1000000000"),),
            [("cards[0].copies", "must be between 1 and 100, got 1000000000")],
        ),
        (
            (("readiness_bonus = 5", "readiness_bonus = -5"),),
            [("cards[0].responses[0].readiness_bonus", "must be at least 0, got -5")],
        ),
        (
            (('target = "EST"', 'target = "Estonia"'),),
            [
                (
                    "cards[1].target",
                    'unknown target "Estonia" (did you mean "EST"?)',
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
                (
                    "extra_draws[0].when[0].actor",
                    '"actor" cannot be used here; use "track", "round" or "consultation"',
                ),
                ("extra_draws[0].when[1].min", "never holds: the round is at most 4, not 9"),
            ],
        ),
        ((("count = 1", "count = 0"),), [("extra_draws[0].count", "must be between 1 and 20, got 0")]),
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
                    'condition has no subject: set one of "track" or "round = true"',
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
            [
                ("endings", 'a deck needs at least one ending with kind = "final"'),
                (
                    "endings[3]",
                    'defeat ending "holds" has no conditions, so it ends every game at once: '
                    "give it `when = [...]`",
                ),
            ],
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


def test_ranges_and_amounts_the_ai_cannot_weigh_are_refused() -> None:
    # A range of a hundred million values passed once and the AI weighed each one (it hung); an amount
    # of 10**400 passed and the AI's float conversion raised OverflowError.
    assert problems_in(("min = 0\nmax = 10\nstart = 6", "min = 0\nmax = 100000000\nstart = 6")) == [
        (
            "tracks.cohesion.max",
            "the range 0..100000000 is too wide: max may be at most 1000 above min"
            " (the AI weighs every value in a range)",
        )
    ]
    huge = "1" + "0" * 400
    found = problems_in(
        ("effects = { tracks = { escalation = 1 } }", f"effects = {{ tracks = {{ escalation = {huge} }} }}")
    )
    assert found == [
        (
            "cards[0].responses[0].effects.tracks.escalation",
            f"must be between -1000000 and 1000000, got {huge}",
        )
    ]
    widest = problems_in(("min = 0\nmax = 10\nstart = 6", "min = 0\nmax = 1000\nstart = 6"))
    assert widest == problems_in(("start = 6", "start = 6"))  # as wide as allowed: only the usual warnings
