"""Warnings: what `deck check` points out in a deck that is legal but probably not what was meant.

The decks under tests/decks/warnings/ are the starter deck (which has no warnings) with one kind of
warning added each; each test asserts the exact `FILE:LINE: PATH: warning: message` lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from wargame.cli import main
from wargame.model import Condition, Deck, DeckInfo, Effect, Response, Track
from wargame.storage import check_deck, load_deck
from wargame.storage.deck_warnings import beats

TESTS = Path(__file__).parent
WARNINGS = TESTS / "decks" / "warnings"
STARTER = TESTS.parent / "wargame" / "storage" / "starter.toml"


def lines_of(name: str) -> list[str]:
    return [str(problem) for problem in check_deck(WARNINGS / f"{name}.toml")]


def test_the_starter_deck_has_no_warnings() -> None:
    assert check_deck(STARTER) == []


def test_a_persona_no_nation_uses() -> None:
    assert lines_of("unused-persona") == [
        f"{WARNINGS}/unused-persona.toml:125: personas.pragmatist: warning: "
        'no nation uses persona "pragmatist" (it plays only when chosen, as "ai:pragmatist")',
    ]


def test_responses_beaten_on_every_count() -> None:
    file = WARNINGS / "beaten-response.toml"
    why = "it costs no less, requires no less and does no better"
    assert lines_of("beaten-response") == [
        f'{file}:210: cards[1].responses[2]: warning: response "intercept" is beaten on every count '
        f'by "escort": {why}',
        f'{file}:217: cards[1].responses[3]: warning: response "shrug" is beaten on every count '
        f'by "ignore": {why}',
        f'{file}:255: cards[3].responses[2]: warning: response "stall" is beaten on every count '
        f'by "defer": {why}',
    ]


def test_cards_endings_and_costs_that_never_come_into_play() -> None:
    file = WARNINGS / "never-in-play.toml"
    assert lines_of("never-in-play") == [
        f'{file}:153: investments[1].cost: warning: investment "carrier" can never be bought: '
        "it costs 30 and treasury is at most 20",
        f'{file}:231: cards[2].responses[1].cost: warning: response "new-cable" can never be chosen: '
        "it costs 25 and treasury is at most 20",
        f'{file}:259: cards[4].on_draw: warning: card "ultimatum" never comes into play: '
        'its on-draw effect always ends the game (ending "war")',
        f'{file}:293: endings[1].when: warning: ending "doubt" already holds at the start: '
        "a game can end as soon as the first card is drawn",
        f'{file}:307: endings[4]: warning: ending "triumph" can never end a game: "stronger", '
        "listed before it, holds whenever it does",
    ]


@pytest.mark.parametrize("name", ["unused-persona", "beaten-response", "never-in-play"])
def test_warnings_do_not_stop_a_deck_from_loading(name: str) -> None:
    assert isinstance(load_deck(WARNINGS / f"{name}.toml"), Deck)


def test_strict_makes_warnings_fail() -> None:
    path = str(WARNINGS / "unused-persona.toml")
    runner = CliRunner()
    relaxed = runner.invoke(main, ["deck", "check", path])
    strict = runner.invoke(main, ["deck", "check", "--strict", path])
    assert relaxed.exit_code == 0
    assert relaxed.stdout.splitlines()[-1] == f'{path}: ok — "My deck" v0.1, 3 nations, 4 cards, 1 warning'
    assert strict.exit_code == 1
    assert strict.stdout.splitlines() == relaxed.stdout.splitlines()[:-1]


def test_warnings_wait_until_the_errors_are_fixed() -> None:
    # "dov" is a misspelled "dove": an unused-persona warning about "dove" would only echo the error.
    problems = check_deck(TESTS / "decks" / "broken" / "many-meanings.toml")
    assert problems
    assert all(problem.is_error for problem in problems)


# Beating on every count, case by case.

UP = Track(name="Up", min=0, max=10, start=5)
DOWN = Track(name="Down", min=0, max=10, start=5, higher_is_better=False)
DECK = Deck(
    info=DeckInfo(id="t", title="T", version="1", rounds=1),
    tracks={"up": UP, "down": DOWN},
    stats={},
    nations=(),
    personas={},
    cards=(),
    endings=(),
)
READY = Condition(actor="readiness", min=2)


def response(
    cost: int = 0,
    up: int = 0,
    down: int = 0,
    requires: tuple[Condition, ...] = (),
    chance: int | None = None,
    success: int = 0,
    failure: int = 0,
    actor: dict[str, int] | None = None,
    consultation: bool = False,
) -> Response:
    """A response changing the tracks "up" (higher is better) and "down" (lower is better)."""
    return Response(
        id="r",
        label="R",
        cost=cost,
        requires=requires,
        effects=Effect(tracks={"up": up, "down": down}, actor=actor or {}),
        chance=chance,
        success=Effect(tracks={"up": success}),
        failure=Effect(tracks={"up": failure}),
        consultation=consultation,
    )


@pytest.mark.parametrize(
    ("better", "worse", "expected"),
    [
        (response(up=1), response(up=0), True),
        (response(up=1), response(up=1), True),  # equal counts as "at least as good"
        (response(up=1), response(up=2), False),
        (response(down=-1), response(down=0), True),  # lower is better on "down"
        (response(down=1), response(down=0), False),
        (response(up=1, down=1), response(up=0, down=0), False),  # better on one, worse on another
        (response(cost=1, up=1), response(cost=2, up=1), True),
        (response(cost=2, up=1), response(cost=1, up=0), False),  # costs more
        (response(up=1), response(up=0, requires=(READY,)), True),
        (response(up=1, requires=(READY,)), response(up=0), False),  # requires more
        (response(up=1, requires=(READY,)), response(up=0, requires=(READY,)), True),
        (response(up=1), response(up=0, consultation=True), False),  # a consultation is no track
        # Rolls: the least `better` can do must match the most `worse` can do.
        (response(up=1), response(chance=50, success=1, failure=-1), True),
        (response(up=1), response(chance=50, success=2, failure=-1), False),
        (response(chance=50, success=2, failure=1), response(up=1), True),
        (response(chance=50, success=2, failure=0), response(up=1), False),
        # Stats have no direction: only the same change on every outcome compares.
        (response(up=1, actor={"pressure": 1}), response(actor={"pressure": 1}), True),
        (response(up=1, actor={"pressure": -1}), response(actor={"pressure": 1}), False),
        (response(up=1), response(actor={"treasury": -1}), False),
    ],
)
def test_beats(better: Response, worse: Response, expected: bool) -> None:
    assert beats(DECK, better, worse) is expected
