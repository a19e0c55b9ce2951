"""What `deck check` says about the rules v2 format: the adversary, attribution, prices and tags,
the new condition subjects, sealed votes.

Each case is tests/decks/red.toml with one small change, asserting the whole lines a designer sees
(`red.toml:LINE: PATH: message`): the line is the one that holds the faulty key.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz_strategies import MILD, mutated_document
from tests.helpers import RED, RED_TEXT, mini_with, red_problems, red_with
from wargame.ai import choose
from wargame.engine import apply, is_over, new_game
from wargame.model import Deck
from wargame.storage import check_deck, check_deck_text, load_deck_text

#: The two warnings of the unchanged red deck (it shares them with mini.toml, whose tests want them).
RED_WARNINGS = [
    'red.toml:105: personas.pragmatist: warning: no nation uses persona "pragmatist" '
    '(it plays only when chosen, as "ai:pragmatist")',
    'red.toml:218: cards[3].responses[1]: warning: response "defer" is beaten on every count by '
    '"unify": it costs no less, requires no less and does no better',
]

ENDINGS_READ_LESS = (
    "endings read only tracks and the round (a defeat ending is checked again only when one of them "
    "changes, so a change in anything else would go unseen)"
)


def test_the_red_deck_has_only_its_two_warnings() -> None:
    assert [str(problem) for problem in check_deck(RED)] == [
        line.replace("red.toml", str(RED)) for line in RED_WARNINGS
    ]


# The adversary's own table.


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            [('persona = "prober"', 'persona = "probe"')],
            ['red.toml:227: adversary.persona: unknown adversary persona "probe" (did you mean "prober"?)'],
            id="default persona",
        ),
        pytest.param(
            [('[adversary]\nid = "moscow"', '[adversary]\nid = "POL"')],
            ["red.toml:224: adversary.id: \"POL\" is a nation's id: the adversary's seat needs its own"],
            id="id of a nation",
        ),
        pytest.param(
            [('[adversary]\nid = "moscow"', '[adversary]\nid = "facilitator"')],
            [
                'red.toml:224: adversary.id: "facilitator" is the facilitator\'s seat: the adversary needs '
                "its own"
            ],
            id="id of the facilitator",
        ),
        pytest.param(
            [('[adversary]\nid = "moscow"', '[adversary]\nid = "frontline"')],
            [
                'red.toml:224: adversary.id: "frontline" is a card target word and cannot be the '
                "adversary's id"
            ],
            id="id a target word",
        ),
        pytest.param(
            [('[adversary]\nid = "moscow"', '[adversary]\nid = "red cell"')],
            ['red.toml:224: adversary.id: expected letters, digits and dashes, got "red cell"'],
            id="id not a word",
        ),
        pytest.param(
            [("hand = 3", "hand = 0")],
            ["red.toml:228: adversary.hand: must be at least 1, got 0"],
            id="empty hand",
        ),
        pytest.param(
            [("hand = 3", "hand = 6")],
            [
                "red.toml:228: adversary.hand: a hand of 6 is larger than the deck: its cards have 5 "
                "copies in all"
            ],
            id="hand larger than the deck",
        ),
        pytest.param(
            [("plays_per_round = 1", "plays_per_round = 0")],
            ["red.toml:229: adversary.plays_per_round: must be between 1 and 20, got 0"],
            id="no plays",
        ),
        pytest.param(
            [("plays_per_round = 1", "plays_per_round = 21")],
            ["red.toml:229: adversary.plays_per_round: must be between 1 and 20, got 21"],
            id="too many plays",
        ),
        pytest.param(
            [('budget = "leverage"', 'budget = "levrage"')],
            ['red.toml:230: adversary.budget: unknown adversary stat "levrage" (did you mean "leverage"?)'],
            id="budget",
        ),
        pytest.param(
            [("income = { leverage = 1 }", "income = { levrage = 1 }")],
            ['red.toml:231: adversary.income: unknown adversary stat "levrage" (did you mean "leverage"?)'],
            id="income",
        ),
        pytest.param(
            [("income = { leverage = 1 }", "income = { leverage = 2000000 }")],
            ["red.toml:231: adversary.income.leverage: must be between -1000000 and 1000000, got 2000000"],
            id="income amount",
        ),
        pytest.param(
            [("min = 0\nmax = 6\nstart = 2", "min = 0\nmax = 6\nstart = 7")],
            ["red.toml:237: adversary.stats.leverage.start: start 7 is outside the stat's range 0..6"],
            id="stat start",
        ),
        pytest.param(
            [("min = 0\nmax = 6\nstart = 2", "min = 6\nmax = 6\nstart = 6")],
            ["red.toml:236: adversary.stats.leverage.max: max 6 must be above min 6"],
            id="stat range",
        ),
        pytest.param(
            [("min = 0\nmax = 6\nstart = 2", "min = 0\nmax = 2000\nstart = 2")],
            [
                "red.toml:236: adversary.stats.leverage.max: the range 0..2000 is too wide: max may be at "
                "most 1000 above min (the AI weighs every value in a range)"
            ],
            id="stat span",
        ),
        pytest.param(
            [("stats = { leverage = 0.2 }", "stats = { leverag = 0.2 }")],
            [
                "red.toml:242: adversary.personas.prober.stats: "
                'unknown adversary stat "leverag" (did you mean "leverage"?)'
            ],
            id="persona stats",
        ),
        pytest.param(
            [("tracks = { cohesion = -1.5 }", "tracks = { coheson = -1.5 }")],
            [
                'red.toml:257: adversary.personas.divider.tracks: unknown track "coheson" (did you mean '
                '"cohesion"?)'
            ],
            id="persona tracks",
        ),
        pytest.param(
            [("targets = { readiness = -0.5, let_go = 1.0 }", "targets = { readines = -0.5, letgo = 1.0 }")],
            [
                "red.toml:243: adversary.personas.prober.targets: "
                'unknown target feature "readines" (did you mean "readiness"?)',
                "red.toml:243: adversary.personas.prober.targets: "
                'unknown target feature "letgo" (did you mean "let_go"?)',
            ],
            id="persona targets",
        ),
        pytest.param(
            [("targets = { dissent = 1.0 }", "targets = { grudge = 1.0 }")],
            [
                "red.toml:258: adversary.personas.divider.targets: unknown target feature "
                '"grudge": expected a nation stat or "frontline", "let_go" or "dissent"'
            ],
            id="persona targets without a close one",
        ),
        pytest.param(
            [('cards = ["rules"]', 'cards = ["rule"]')],
            [
                'red.toml:262: adversary.personas.divider.prefers[0].cards[0]: unknown card "rule" (did '
                'you mean "rules"?)'
            ],
            id="preferred card",
        ),
        pytest.param(
            [('tags = ["military"]\nweight', 'tags = ["militar"]\nweight')],
            [
                "red.toml:252: adversary.personas.escalator.prefers[0].tags[0]: "
                'no card has the tag "militar" (did you mean "military"?)'
            ],
            id="preferred tag",
        ),
        pytest.param(
            [('cards = ["rules"]\n', "")],
            [
                "red.toml:260: adversary.personas.divider.prefers[0]: a preference matches no card: set "
                '"tags", "cards" or both'
            ],
            id="preference of nothing",
        ),
        pytest.param(
            [('id = "leverage"\ntext', 'id = "doubt"\ntext')],
            [
                'red.toml:272: adversary.objectives[1].id: duplicate objective id "doubt" '
                "(first used at adversary.objectives[0])"
            ],
            id="objective id twice",
        ),
        pytest.param(
            [("points = 1\nwhen = [{ adversary", "points = -1\nwhen = [{ adversary")],
            ["red.toml:274: adversary.objectives[1].points: must be at least 0, got -1"],
            id="objective points",
        ),
    ],
)
def test_adversary_problems(changes: list[tuple[str, str]], expected: list[str]) -> None:
    assert red_problems(*changes) == expected


# Cards: targets, attribution, price; responses: reveal, claims, if_wrong.


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            [('target = ["EST", "POL"]', 'target = ["EST", "EST"]')],
            ['red.toml:167: cards[1].target[1]: nation "EST" is listed twice'],
            id="target listed twice",
        ),
        pytest.param(
            [('target = ["EST", "POL"]', 'target = ["EST", "frontline"]')],
            [
                'red.toml:167: cards[1].target[1]: "frontline" cannot be in a list: write target = '
                '"frontline" on its own'
            ],
            id="target word in a list",
        ),
        pytest.param(
            [('target = ["EST", "POL"]', 'target = ["EST", "PLO"]')],
            ['red.toml:167: cards[1].target[1]: unknown nation "PLO" (did you mean "POL"?)'],
            id="target unknown",
        ),
        pytest.param(
            [("price = 2", "price = -1")],
            ["red.toml:168: cards[1].price: must be at least 0, got -1"],
            id="negative price",
        ),
        pytest.param(
            [('budget = "leverage"\n', "")],
            [
                "red.toml:168: cards[1].price: a price is paid from the adversary's budget, and [adversary] "
                "sets none: set its `budget` to the stat cards are paid from"
            ],
            id="price without a budget",
        ),
        pytest.param(
            [
                (
                    "attribution = { state = 50, proxy = 30, accident = 20 }",
                    "attribution = { state = 0, proxy = 0 }",
                )
            ],
            [
                "red.toml:187: cards[2].attribution: every weight is 0, so no truth can be drawn: "
                "give at least one a weight above 0"
            ],
            id="weights all zero",
        ),
        pytest.param(
            [
                (
                    "attribution = { state = 50, proxy = 30, accident = 20 }",
                    "attribution = { state = 50, proxy = -5 }",
                )
            ],
            ["red.toml:187: cards[2].attribution.proxy: a weight must be at least 0, got -5"],
            id="negative weight",
        ),
        pytest.param(
            [
                (
                    "attribution = { state = 50, proxy = 30, accident = 20 }",
                    'attribution = { state = 50, "a proxy" = 5 }',
                )
            ],
            [
                "red.toml:187: cards[2].attribution: expected a truth of letters, digits, dashes and "
                'underscores, got "a proxy"'
            ],
            id="truth not an id",
        ),
        pytest.param(
            [('claims = "state"', 'claims = "sate"')],
            [
                'red.toml:199: cards[2].responses[1].claims: unknown truth "sate" (did you mean "state"?): '
                'card "sabotage" declares "state", "proxy" and "accident"'
            ],
            id="claims an undeclared truth",
        ),
        pytest.param(
            [('label = "Escort them out"', 'label = "Escort them out"\nclaims = "state"')],
            [
                'red.toml:175: cards[1].responses[0].claims: card "jets" declares no attribution: '
                "no truth to claim (give the card `attribution = { ... }`)"
            ],
            id="claims without attribution",
        ),
        pytest.param(
            [('claims = "state"\n', "")],
            [
                "red.toml:199: cards[2].responses[1].if_wrong: applies only when the response claims "
                'a truth: set "claims", or drop "if_wrong"'
            ],
            id="if_wrong without claims",
        ),
        pytest.param(
            [("if_wrong = { tracks = { credibility = -2 }", "if_wrong = { tracks = { credibilty = -2 }")],
            [
                "red.toml:200: cards[2].responses[1].if_wrong.tracks: "
                'unknown track "credibilty" (did you mean "credibility"?)'
            ],
            id="if_wrong's effect",
        ),
        pytest.param(
            [("reveal = 60", "reveal = 120")],
            ["red.toml:193: cards[2].responses[0].reveal: must be between 0 and 100, got 120"],
            id="reveal above 100",
        ),
        pytest.param(
            [("reveal = 60", "reveal = -1")],
            ["red.toml:193: cards[2].responses[0].reveal: must be between 0 and 100, got -1"],
            id="reveal below 0",
        ),
        pytest.param(
            [('label = "Escort them out"', 'label = "Escort them out"\nreveal = 50')],
            [
                'red.toml:175: cards[1].responses[0].reveal: card "jets" declares no attribution: nothing '
                "to reveal"
            ],
            id="reveal without attribution",
        ),
        pytest.param(
            [("reveal = 30", "reveal = 101")],
            ["red.toml:123: investments[0].reveal: must be between 0 and 100, got 101"],
            id="investment reveal",
        ),
        pytest.param(
            [("adversary = { leverage = -1 }", "adversary = { lverage = -1 }")],
            [
                "red.toml:206: cards[2].responses[2].effects.adversary: "
                'unknown adversary stat "lverage" (did you mean "leverage"?)'
            ],
            id="adversary effect",
        ),
    ],
)
def test_card_problems(changes: list[tuple[str, str]], expected: list[str]) -> None:
    assert red_problems(*changes) == expected


# Conditions: each subject only where the engine reads it.


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            [('requires = [{ attribution = "state" }]', 'requires = [{ attribution = "states" }]')],
            [
                'red.toml:205: cards[2].responses[2].requires[0].attribution: unknown truth "states" '
                '(did you mean "state"?): card "sabotage" declares "state", "proxy" and "accident"'
            ],
            id="truth the card does not declare",
        ),
        pytest.param(
            [
                (
                    'label = "Escort them out"',
                    'label = "Escort them out"\nrequires = [{ attribution = "state" }]',
                )
            ],
            [
                'red.toml:175: cards[1].responses[0].requires[0].attribution: card "jets" declares no '
                "attribution: no truth to test (give the card `attribution = { ... }`)"
            ],
            id="truth of a card without attribution",
        ),
        pytest.param(
            [('when = [{ track = "escalation", min = 7 }]', 'when = [{ attribution = "state" }]')],
            [
                'red.toml:285: drift[1].when[0].attribution: "attribution" cannot be used here: a truth '
                "belongs to the card in play, so only a card's responses may test it (in `requires`); "
                'use "track", "round", "adversary" or "consultation"'
            ],
            id="truth outside a response",
        ),
        pytest.param(
            [('requires = [{ attribution = "state" }]', 'requires = [{ attribution = "state", min = 1 }]')],
            [
                "red.toml:205: cards[2].responses[2].requires[0]: "
                'a condition on "attribution" names a fact and takes no min or max'
            ],
            id="truth with a bound",
        ),
        pytest.param(
            [('when = [{ track = "escalation", min = 10 }]', 'when = [{ consultation = "split" }]')],
            [
                'red.toml:292: endings[0].when[0].consultation: "consultation" cannot be used here: '
                f'{ENDINGS_READ_LESS}; use "track" or "round"'
            ],
            id="consultation in a defeat ending",
        ),
        pytest.param(
            [('when = [{ track = "credibility", min = 7 }]', 'when = [{ consultation = "unified" }]')],
            [
                'red.toml:304: endings[2].when[0].consultation: "consultation" cannot be used here: '
                f'{ENDINGS_READ_LESS}; use "track" or "round"'
            ],
            id="consultation in a final ending",
        ),
        pytest.param(
            [('when = [{ track = "cohesion", max = 0 }]', 'when = [{ adversary = "leverage", min = 5 }]')],
            [
                'red.toml:298: endings[1].when[0].adversary: "adversary" cannot be used here: '
                f'{ENDINGS_READ_LESS}; use "track" or "round"'
            ],
            id="adversary in an ending",
        ),
        pytest.param(
            [
                (
                    'requires = [{ actor = "readiness", min = 3 }]',
                    'requires = [{ target = "readiness", min = 3 }]',
                )
            ],
            [
                'red.toml:132: investments[1].requires[0].target: "target" cannot be used here; '
                'use "track", "actor", "round", "adversary" or "consultation"'
            ],
            id="target in an investment, with the subjects an investment may use",
        ),
        pytest.param(
            [('when = [{ adversary = "leverage", min = 4 }]', 'when = [{ adversary = "leverag", min = 4 }]')],
            [
                "red.toml:275: adversary.objectives[1].when[0].adversary: "
                'unknown adversary stat "leverag" (did you mean "leverage"?)'
            ],
            id="unknown adversary stat in a condition",
        ),
        pytest.param(
            [
                (
                    'when = [{ adversary = "leverage", min = 4 }]',
                    'when = [{ adversary = "leverage", min = 7 }]',
                )
            ],
            [
                'red.toml:275: adversary.objectives[1].when[0].min: never holds: adversary stat "leverage" '
                "is at most 6, not 7"
            ],
            id="adversary stat out of reach",
        ),
        pytest.param(
            [('when = [{ adversary = "leverage", min = 4 }]', 'when = [{ adversary = "leverage" }]')],
            [
                'red.toml:275: adversary.objectives[1].when[0]: condition has no bound: set "min", "max" '
                "or both"
            ],
            id="adversary stat without a bound",
        ),
        pytest.param(
            [('when = [{ consultation = "split" }]', 'when = [{ consultation = "split", max = 1 }]')],
            [
                "red.toml:261: adversary.personas.divider.prefers[0].when[0]: "
                'a condition on "consultation" names a fact and takes no min or max'
            ],
            id="consultation with a bound",
        ),
        pytest.param(
            [('when = [{ consultation = "split" }]', 'when = [{ actor = "readiness", min = 1 }]')],
            [
                'red.toml:261: adversary.personas.divider.prefers[0].when[0].actor: "actor" cannot be used '
                "here; "
                'use "track", "round", "adversary" or "consultation"'
            ],
            id="no nation in a preference",
        ),
        pytest.param(
            [('when = [{ adversary = "leverage", min = 4 }]', 'when = [{ target = "readiness", min = 4 }]')],
            [
                'red.toml:275: adversary.objectives[1].when[0].target: "target" cannot be used here; '
                'use "track", "round", "adversary" or "consultation"'
            ],
            id="no nation in the adversary's objective",
        ),
        pytest.param(
            [('when = [{ adversary = "leverage", min = 4 }]', "when = [{ max = 4 }]")],
            [
                "red.toml:275: adversary.objectives[1].when[0]: condition has no subject: "
                'set one of "track", "round = true", "adversary" or "consultation"'
            ],
            id="no subject",
        ),
    ],
)
def test_condition_problems(changes: list[tuple[str, str]], expected: list[str]) -> None:
    assert red_problems(*changes) == expected


def test_every_new_subject_holds_where_it_is_allowed() -> None:
    """The places that allow a subject accept it: no errors, only the deck's own warnings."""
    changes = [
        ('when = [{ actor = "readiness", min = 6 }]', 'when = [{ adversary = "leverage", max = 3 }]'),
        ('when = [{ track = "credibility", min = 6 }]', 'when = [{ consultation = "unified" }]'),
        ('when = [{ track = "credibility", max = 2 }]', 'when = [{ consultation = "restrained" }]'),
        ('when = [{ track = "escalation", min = 7 }]', 'when = [{ adversary = "leverage", min = 5 }]'),
        ('requires = [{ actor = "readiness", min = 2 }]', 'requires = [{ consultation = "split" }]'),
        (
            'when = [{ track = "credibility", max = 4 }]\ntags',
            'when = [{ adversary = "leverage", min = 3 }]\ntags',
        ),
        ('when = [{ track = "credibility", max = 4 }]\n\n', 'when = [{ consultation = "split" }]\n\n'),
    ]
    assert red_problems(*changes) == RED_WARNINGS


# A deck without an adversary.


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            [('when = [{ track = "escalation", min = 7 }]', 'when = [{ adversary = "leverage", min = 1 }]')],
            [
                'mini.toml:217: drift[1].when[0].adversary: "adversary" needs an [adversary] table, and '
                "this deck has none"
            ],
            id="adversary condition",
        ),
        pytest.param(
            [
                (
                    "min = 7 }]\neffects = { tracks = { cohesion = -1 } }",
                    "min = 7 }]\neffects = { adversary = { leverage = 1 } }",
                )
            ],
            [
                'mini.toml:218: drift[1].effects.adversary: "adversary" needs an [adversary] table, and '
                "this deck has none"
            ],
            id="adversary effect",
        ),
        pytest.param(
            [('target = "EST"', 'target = "EST"\nprice = 1')],
            ["mini.toml:166: cards[1].price: a price needs an [adversary] to pay it: this deck has none"],
            id="price",
        ),
        pytest.param(
            [
                (
                    'when = [{ track = "escalation", min = 7 }]',
                    "when = [{ round = true, max = 0 }, { max = 1 }]",
                )
            ],
            [
                "mini.toml:217: drift[1].when[0].max: never holds: the round is at least 1, not 0",
                'mini.toml:217: drift[1].when[1]: condition has no subject: set one of "track", "round = '
                'true" '
                'or "consultation"',
            ],
            id="no subject offers no adversary",
        ),
    ],
)
def test_problems_without_an_adversary(changes: list[tuple[str, str]], expected: list[str]) -> None:
    assert [str(problem) for problem in check_deck_text(mini_with(*changes), "mini.toml")] == expected


# Warnings.


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            [("price = 2", "price = 7")],
            [
                'red.toml:168: cards[1].price: warning: card "jets" can never be played: it costs 7 and '
                'the adversary\'s "leverage" is at most 6'
            ],
            id="price above the budget",
        ),
        pytest.param(
            [("plays_per_round = 1", "plays_per_round = 4")],
            [
                "red.toml:229: adversary.plays_per_round: warning: the adversary plays 4 cards a round but "
                "holds only 3: the hand is filled once a round, so it can never play more than 3"
            ],
            id="plays above the hand",
        ),
        pytest.param(
            [
                ("hand = 3\nplays_per_round = 1\n", "hand = 1\n"),
                ("draws_per_round = 1", "draws_per_round = 2"),
            ],
            [
                "red.toml:228: adversary.hand: warning: the adversary plays 2 cards a round but holds only "
                "1: the hand is filled once a round, so it can never play more than 1"
            ],
            id="draws above the hand",
        ),
        pytest.param(
            [('target = "alliance"', 'target = "any"')],
            [
                'red.toml:11: deck.sealed_votes: warning: no card has target = "alliance", so no council '
                "ever votes and there is nothing to seal"
            ],
            id="sealed votes without a council",
        ),
        pytest.param(
            [
                ("attribution = { state = 50, proxy = 30, accident = 20 }\nexposed = 25\n", "\n"),
                ("reveal = 60\n", ""),
                (
                    'claims = "state"\nif_wrong = { tracks = { credibility = -2 }, text = "It was not '
                    'Moscow after all." }\n',
                    "",
                ),
                ('requires = [{ attribution = "state" }]\n', ""),
            ],
            [
                'red.toml:123: investments[0].reveal: warning: investment "counter-drone" reveals truths, '
                "but no card has an attribution"
            ],
            id="reveal without truths",
        ),
    ],
)
def test_warnings(changes: list[tuple[str, str]], expected: list[str]) -> None:
    """The new warning, in its place among the deck's own two (which may have moved down or up)."""
    problems = red_problems(*changes)
    assert sorted(problems, key=lambda line: int(line.split(":")[1])) == problems
    own = [said(line) for line in RED_WARNINGS]
    assert [line for line in problems if said(line) not in own] == expected
    assert [said(line) for line in problems if said(line) in own] == own


def said(line: str) -> str:
    """A line of `deck check` without its file and line number."""
    return line.split(":", 2)[2]


def test_a_reveal_is_a_reason_to_choose() -> None:
    """A response alike to another but for its reveal beats it on no count, nor is beaten by it."""
    blame = '[[cards.responses]]\nid = "blame"'
    look = '[[cards.responses]]\nid = "look"\nlabel = "Look"\neffects = { target = { pressure = -1 } }\n'
    alike = red_problems((blame, look + "reveal = 60\n\n" + blame))
    assert (
        'red.toml:195: cards[2].responses[1]: warning: response "look" is beaten on every count by '
        '"investigate": it costs no less, requires no less and does no better'
    ) in alike
    assert not any('"look"' in line for line in red_problems((blame, look + "\n" + blame)))


def test_an_unused_red_persona_is_no_warning() -> None:
    """Red personas are there to be chosen (`ai:escalator`): only the default plays unasked."""
    deck = load_deck_text(red_with())
    assert deck.adversary is not None and set(deck.adversary.personas) == {"prober", "escalator", "divider"}
    assert not any("escalator" in line or "divider" in line for line in red_problems())


# Wrong types of every new key: the converter's messages, never a traceback.


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("sealed_votes = true", 'sealed_votes = "yes"'),
            'red.toml:11: deck.sealed_votes: expected true or false, got the string "yes"',
        ),
        (
            ('target = ["EST", "POL"]', "target = 3"),
            "red.toml:167: cards[1].target: expected a string or an array of nation ids, got the integer 3",
        ),
        (
            ('target = ["EST", "POL"]', 'target = ["EST", 3]'),
            "red.toml:167: cards[1].target: expected a nation id (item 2 of the array), got the integer 3",
        ),
        (
            ("price = 2", 'price = "2"'),
            'red.toml:168: cards[1].price: expected an integer, got the string "2"',
        ),
        (
            ('price = 2\ntags = ["military"]', 'price = 2\ntags = "military"'),
            'red.toml:169: cards[1].tags: expected an array, got the string "military"',
        ),
        (
            ('price = 2\ntags = ["military"]', "price = 2\ntags = [1]"),
            "red.toml:169: cards[1].tags[0]: expected a string, got the integer 1",
        ),
        (
            ("attribution = { state = 50, proxy = 30, accident = 20 }", 'attribution = ["state"]'),
            "red.toml:187: cards[2].attribution: expected a table, got an array",
        ),
        (
            ("attribution = { state = 50, proxy = 30, accident = 20 }", "attribution = { state = 0.5 }"),
            "red.toml:187: cards[2].attribution.state: expected an integer, got the float 0.5",
        ),
        (
            ("reveal = 60", "reveal = true"),
            "red.toml:193: cards[2].responses[0].reveal: expected an integer, got the boolean true",
        ),
        (
            ('claims = "state"', "claims = 1"),
            "red.toml:199: cards[2].responses[1].claims: expected a string, got the integer 1",
        ),
        (
            (
                'if_wrong = { tracks = { credibility = -2 }, text = "It was not Moscow after all." }',
                "if_wrong = 3",
            ),
            "red.toml:200: cards[2].responses[1].if_wrong: expected a table, got the integer 3",
        ),
        (
            ("reveal = 30", 'reveal = "30"'),
            'red.toml:123: investments[0].reveal: expected an integer, got the string "30"',
        ),
        (
            ("adversary = { leverage = -1 }", 'adversary = "leverage"'),
            "red.toml:206: cards[2].responses[2].effects.adversary: expected a table, got the string "
            '"leverage"',
        ),
        (
            ('requires = [{ attribution = "state" }]', "requires = [{ attribution = true }]"),
            "red.toml:205: cards[2].responses[2].requires[0].attribution: expected a string, got the "
            "boolean true",
        ),
        (
            ('when = [{ consultation = "split" }]', 'when = [{ consultation = "splt" }]'),
            "red.toml:261: adversary.personas.divider.prefers[0].when[0].consultation: expected one of "
            '"unified", "restrained", "split", got the string "splt" (did you mean "split"?)',
        ),
        (
            ('when = [{ adversary = "leverage", min = 4 }]', "when = [{ adversary = 4, min = 4 }]"),
            "red.toml:275: adversary.objectives[1].when[0].adversary: expected a string, got the integer 4",
        ),
        (
            ('[adversary]\nid = "moscow"', "[adversary]\nid = 7"),
            "red.toml:224: adversary.id: expected a string, got the integer 7",
        ),
        (
            ('persona = "prober"', 'persona = ["prober"]'),
            "red.toml:227: adversary.persona: expected a string, got an array",
        ),
        (
            ("hand = 3", 'hand = "3"'),
            'red.toml:228: adversary.hand: expected an integer, got the string "3"',
        ),
        (
            ("plays_per_round = 1", "plays_per_round = 1.5"),
            "red.toml:229: adversary.plays_per_round: expected an integer, got the float 1.5",
        ),
        (
            ('budget = "leverage"', "budget = 3"),
            "red.toml:230: adversary.budget: expected a string, got the integer 3",
        ),
        (
            ("income = { leverage = 1 }", "income = 1"),
            "red.toml:231: adversary.income: expected a table, got the integer 1",
        ),
        (
            ("income = { leverage = 1 }", 'income = { leverage = "1" }'),
            'red.toml:231: adversary.income.leverage: expected an integer, got the string "1"',
        ),
        (
            ('[adversary.stats.leverage]\nname = "Leverage"', "[adversary.stats.leverage]\nname = 1"),
            "red.toml:234: adversary.stats.leverage.name: expected a string, got the integer 1",
        ),
        (
            ("start = 2\n\n[adversary.personas.prober]", 'start = "2"\n\n[adversary.personas.prober]'),
            'red.toml:237: adversary.stats.leverage.start: expected an integer, got the string "2"',
        ),
        (
            (
                '[adversary.personas.prober]\nname = "Prober"',
                '[adversary.personas.prober]\nname = "Prober"\ncolour = 1',
            ),
            'red.toml:241: adversary.personas.prober: unknown key "colour"',
        ),
        (
            ("targets = { frontline = 1.0 }", 'targets = { frontline = "yes" }'),
            "red.toml:248: adversary.personas.escalator.targets.frontline: expected a number, got the "
            'string "yes"',
        ),
        (
            ('cards = ["rules"]', 'cards = "rules"'),
            "red.toml:262: adversary.personas.divider.prefers[0].cards: expected an array, got the string "
            '"rules"',
        ),
        (
            ("weight = 1.5", 'weight = "heavy"'),
            "red.toml:263: adversary.personas.divider.prefers[0].weight: expected a number, got the "
            'string "heavy"',
        ),
        (
            ("weight = 1.5", "wieght = 1.5"),
            'red.toml:260: adversary.personas.divider.prefers[0]: missing required key "weight"',
        ),
        (
            ('[[adversary.objectives]]\nid = "doubt"', "[[adversary.objectives]]\nid = 1"),
            "red.toml:266: adversary.objectives[0].id: expected a string, got the integer 1",
        ),
        (
            ('[adversary]\nid = "moscow"', '[adversary]\nid = "moscow"\nhands = 3'),
            'red.toml:225: adversary: unknown key "hands" (did you mean "hand"?)',
        ),
    ],
)
def test_wrong_types_of_new_keys(change: tuple[str, str], expected: str) -> None:
    assert expected in red_problems(change)


@pytest.mark.parametrize("value", ["3", "[]", '"moscow"', "true", "{}"])
def test_a_wrong_adversary_table_is_a_message(value: str) -> None:
    start, end = red_with().index("[adversary]\n"), red_with().index("[[extra_draws]]")
    text = f"adversary = {value}\n" + red_with()[:start] + red_with()[end:]
    problems = [str(problem) for problem in check_deck_text(text, "red.toml")]
    assert problems and all(line.startswith("red.toml:1: adversary") for line in problems), problems


# Fuzz-ish: the red deck damaged at random, its new keys among the places hit.

FUZZ = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])


def play_to_the_end(deck: Deck, seed: int) -> None:
    """A game of the AI in every seat, the adversary's too, to its end."""
    state = new_game(deck, seed)
    for _ in range(3000):
        if is_over(state):
            return
        assert state.pending is not None
        state, _ = apply(state, choose(state, state.pending.seat))
    raise AssertionError(f"the game of seed {seed} did not end")


@FUZZ
@given(st.one_of(mutated_document(RED_TEXT), mutated_document(RED_TEXT, mutations=MILD)))
def test_a_damaged_red_deck_is_checked_and_plays_if_it_passes(text: str) -> None:
    problems = check_deck_text(text, "red.toml")
    lines = text.count("\n") + 1
    assert all(problem.line is None or 1 <= problem.line <= lines for problem in problems), problems
    if any(problem.is_error for problem in problems):
        return
    deck = load_deck_text(text, "red.toml")
    for seed in range(5):
        play_to_the_end(deck, seed)
