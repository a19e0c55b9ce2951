"""Costs in any stat: `cost = 3` is treasury, `cost = { treasury = 2, interceptors = 1 }` any of the
deck's per-nation stats; a nation may choose only what it can pay in every stat, and pays them all."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import BUNDLED_V2, DECKS, MINI_TEXT, ROOT, advance, at_card, with_next_card
from wargame.ai import choose
from wargame.engine import IllegalActionError, apply, legal_actions, new_game
from wargame.engine.legality import Refusal, RefusalCode
from wargame.model import (
    AdjustStat,
    ChooseResponse,
    Deck,
    GameState,
    Invest,
    InvestDecision,
    RespondDecision,
)
from wargame.model.events import StatMoved
from wargame.session.choices import choices
from wargame.storage import check_deck_text, load_deck, load_deck_text

#: mini.toml with a fifth stat, interceptors, that every nation holds 2 of.
INTERCEPTORS = """
[stats.interceptors]
name = "Interceptors"
min = -3
max = 5

[[nations]]"""


def deck_text(*changes: tuple[str, str]) -> str:
    """mini.toml with interceptors, and each `old` (found once) replaced by `new`."""
    text = MINI_TEXT.replace("\n[[nations]]", INTERCEPTORS, 1)
    text = text.replace("pressure = 3 }", "pressure = 3, interceptors = 2 }", 1)
    text = text.replace("pressure = 2 }", "pressure = 2, interceptors = 2 }", 1)
    text = text.replace("pressure = 1 }", "pressure = 1, interceptors = 2 }", 1)
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


#: Shooting the drones down costs 2 treasury and 1 interceptor; buying counter-drone systems 3 and 2.
TWO_STATS = (
    (
        'cost = 2\nrequires = [{ actor = "readiness", min = 2 }]',
        'cost = { treasury = 2, interceptors = 1 }\nrequires = [{ actor = "readiness", min = 2 }]',
    ),
    ("cost = 3\nlimit = 2", "cost = { treasury = 3, interceptors = 2 }\nlimit = 2"),
)


@pytest.fixture(scope="module")
def costly() -> Deck:
    return load_deck_text(deck_text(*TWO_STATS), "costly.toml")


def at_drones(deck: Deck, treasury: int, interceptors: int) -> tuple[GameState, str]:
    """A game at the drones card, its target holding this treasury and these interceptors (and
    readiness enough to shoot)."""
    state = at_card(deck, "drones")
    assert isinstance(state.pending, RespondDecision)
    nation = state.pending.nation
    own = state.stats[nation]
    for stat, value in (("treasury", treasury), ("interceptors", interceptors), ("readiness", 5)):
        state, _ = apply(state, AdjustStat(nation, stat, value - own[stat], "set up"))
    return state, nation


def test_a_response_costing_two_stats_is_legal_only_when_both_can_be_paid(costly: Deck) -> None:
    for treasury, interceptors, legal in ((2, 1, True), (9, 0, False), (1, 5, False), (0, 0, False)):
        state, nation = at_drones(costly, treasury, interceptors)
        assert (ChooseResponse(nation, "shoot-down") in legal_actions(state)) is legal, (
            treasury,
            interceptors,
        )
    state, nation = at_drones(costly, 9, 0)
    with pytest.raises(IllegalActionError) as refused:
        apply(state, ChooseResponse(nation, "shoot-down"))
    reason = refused.value.reason
    assert reason == Refusal(
        RefusalCode.UNAFFORDABLE, subject="shoot-down", cost=1, stat="interceptors", held=0
    )
    assert str(reason) == '"shoot-down" costs 1 interceptors, interceptors is 0'
    # Short of treasury, the refusal is worded as it always was.
    state, nation = at_drones(costly, 1, 5)
    with pytest.raises(IllegalActionError) as refused:
        apply(state, ChooseResponse(nation, "shoot-down"))
    assert str(refused.value.reason) == '"shoot-down" costs 2, treasury is 1'


def test_paying_moves_every_stat_of_the_price(costly: Deck) -> None:
    state, nation = at_drones(costly, 5, 2)
    after, events = apply(state, ChooseResponse(nation, "shoot-down"))
    paid = {(e.stat, e.before, e.after) for e in events if isinstance(e, StatMoved) and e.nation == nation}
    assert {("treasury", 5, 3), ("interceptors", 2, 1)} <= paid
    assert after.stats[nation]["interceptors"] == 1


def test_what_is_free_stays_free_in_every_stat_even_in_debt() -> None:
    # A price of 0 interceptors never refuses, even with interceptors below 0.
    deck = load_deck_text(
        deck_text(("cost = 2\nrequires", "cost = { treasury = 2, interceptors = 0 }\nrequires")), "free.toml"
    )
    state, nation = at_drones(deck, 2, -3)
    assert ChooseResponse(nation, "shoot-down") in legal_actions(state)
    assert deck.card("drones").response("shoot-down").stat_costs == {}


def test_an_investment_is_bought_only_when_every_stat_can_pay_and_pays_them_all(costly: Deck) -> None:
    state = advance(new_game(costly, 7), lambda s: isinstance(s.pending, InvestDecision))
    assert isinstance(state.pending, InvestDecision)
    nation = state.pending.nation
    own = state.stats[nation]
    state, _ = apply(state, AdjustStat(nation, "treasury", 9 - own["treasury"], "rich"))
    state, _ = apply(state, AdjustStat(nation, "interceptors", 1 - own["interceptors"], "few"))
    buy = Invest(nation, "counter-drone")
    assert buy not in legal_actions(state)
    with pytest.raises(IllegalActionError) as refused:
        apply(state, buy)
    assert refused.value.reason == Refusal(
        RefusalCode.UNAFFORDABLE, subject="counter-drone", cost=2, stat="interceptors", held=1
    )
    item = next(c for c in choices(state) if c.action == buy)
    assert item.facts[0] == "cost 3 Treasury, 2 Interceptors"
    assert item.reason == "costs 2 Interceptors, you have 1"
    state, _ = apply(state, AdjustStat(nation, "interceptors", 1, "more"))
    assert buy in legal_actions(state)
    after, events = apply(state, buy)
    assert after.stats[nation]["treasury"] == 6 and after.stats[nation]["interceptors"] == 0
    assert any(isinstance(e, StatMoved) and e.stat == "interceptors" for e in events)


def test_a_response_choice_names_every_stat_it_costs(costly: Deck) -> None:
    state, nation = at_drones(costly, 5, 0)
    shoot = next(c for c in choices(state) if c.action == ChooseResponse(nation, "shoot-down"))
    assert "cost 2 Treasury, 1 Interceptors" in shoot.facts
    assert shoot.reason == "costs 1 Interceptors, you have 0"


def test_the_ai_weighs_the_other_stats_a_price_asks() -> None:
    # Hawks shoot the drones down when it costs treasury alone; when it costs interceptors they prize
    # (weighed in their persona), they do not.
    prized = (
        "stats = { pressure = -0.5, treasury = 0.1 }",
        "stats = { pressure = -0.5, treasury = 0.1, interceptors = 50.0 }",
    )
    cheap = load_deck_text(deck_text(prized), "cheap.toml")
    dear = load_deck_text(deck_text(prized, TWO_STATS[0]), "dear.toml")
    for deck, shoots in ((cheap, True), (dear, False)):
        state, nation = at_drones(deck, 5, 2)
        assert (choose(state, nation) == ChooseResponse(nation, "shoot-down")) is shoots


def problems(*changes: tuple[str, str], warnings: bool = False) -> list[str]:
    found = check_deck_text(deck_text(*changes), "mini.toml")
    return [str(p) for p in found if p.is_error != warnings]


def line_of(needle: str, *changes: tuple[str, str]) -> int:
    """The line (from 1) of the changed deck that `needle` starts on."""
    text = deck_text(*changes)
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


#: Where the changes below land: the counter-drone investment's cost, the escort response's, the jets
#: card's responses, and the line after the unify response's label.
BUY = line_of("cost = 3\nlimit")
ESCORT = line_of("cost = 1\neffects = { tracks = { credibility = 1 } }")
JETS = line_of('[[cards.responses]]\nid = "escort"')
UNIFY = line_of('label = "Unify them"') + 1


def test_a_cost_naming_an_unknown_stat_is_an_error_with_its_line_and_a_guess() -> None:
    assert problems(("cost = 3\nlimit", "cost = { treasury = 3, intercepters = 1 }\nlimit")) == [
        f'mini.toml:{BUY}: investments[0].cost: unknown stat "intercepters" (did you mean "interceptors"?)'
    ]
    assert problems(
        (
            'id = "escort"\nlabel = "Escort them out"\ncost = 1',
            'id = "escort"\nlabel = "Escort them out"\ncost = { treasry = 1 }',
        )
    ) == [
        f'mini.toml:{ESCORT}: cards[1].responses[0].cost: unknown stat "treasry" (did you mean "treasury"?)'
    ]


def test_a_cost_in_a_stat_is_refused_negative_or_not_an_integer() -> None:
    assert problems(("cost = 3\nlimit", "cost = { interceptors = -1 }\nlimit")) == [
        f"mini.toml:{BUY}: investments[0].cost.interceptors: must be at least 0, got -1"
    ]
    assert problems(("cost = 3\nlimit", 'cost = { interceptors = "1" }\nlimit')) == [
        f'mini.toml:{BUY}: investments[0].cost.interceptors: expected an integer, got the string "1"'
    ]
    assert problems(("cost = 3\nlimit", "cost = { interceptors = 1.5 }\nlimit")) == [
        f"mini.toml:{BUY}: investments[0].cost.interceptors: expected an integer, got the float 1.5"
    ]
    # The only free response of a card may not cost another stat; an alliance card's responses none.
    assert problems(
        (
            'id = "ignore"\nlabel = "Do nothing"',
            'id = "ignore"\nlabel = "Do nothing"\ncost = { interceptors = 1 }',
        )
    ) == [
        f"mini.toml:{JETS}: cards[1].responses: "
        "no free response: at least one response must cost 0 and require nothing"
    ]
    assert problems(
        (
            'id = "unify"\nlabel = "Unify them"',
            'id = "unify"\nlabel = "Unify them"\ncost = { interceptors = 1 }',
        )
    ) == [
        f"mini.toml:{UNIFY}: cards[3].responses[0].cost: "
        "an alliance card's responses must cost 0, got { interceptors = 1 }"
    ]


def test_a_price_no_stat_can_ever_pay_is_a_warning() -> None:
    warnings = [
        str(p)
        for p in check_deck_text(
            deck_text(("cost = 3\nlimit", "cost = { interceptors = 6 }\nlimit")), "mini.toml"
        )
        if not p.is_error
    ]
    assert (
        f"mini.toml:{BUY}: investments[0].cost.interceptors: warning: "
        'investment "counter-drone" can never be bought: '
        "it costs 6 interceptors and interceptors is at most 5"
    ) in warnings


def test_the_schema_takes_an_integer_or_a_table_of_integers() -> None:
    validator = jsonschema.Draft4Validator(
        json.loads((ROOT / "decks" / "deck.schema.json").read_text("utf-8"))
    )
    good = tomllib.loads(deck_text(*TWO_STATS))
    assert list(validator.iter_errors(good)) == []
    bad = tomllib.loads(deck_text(("cost = 3\nlimit", 'cost = { interceptors = "1" }\nlimit')))
    found = [(e.json_path, e.message) for e in validator.iter_errors(bad)]
    assert found == [("$.investments[0].cost.interceptors", "'1' is not of type 'integer'")]


@pytest.mark.parametrize(
    "path", [BUNDLED_V2, *sorted((DECKS / "v1").glob("*.toml"))], ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_v1_and_v2_decks_cost_treasury_alone_as_before(path: Path) -> None:
    deck = load_deck(path)
    data = tomllib.loads(path.read_text("utf-8"))
    written = [r.get("cost", 0) for card in data["cards"] for r in card["responses"]]
    written += [item["cost"] for item in data.get("investments", [])]
    priced = [r for card in deck.cards for r in card.responses] + list(deck.investments)
    assert [item.cost for item in priced] == written
    assert all(item.stat_costs == {} for item in priced)


def test_a_game_of_costs_in_two_stats_is_played_legally_by_the_ai(costly: Deck) -> None:
    for seed in range(3):
        state = with_next_card(new_game(costly, seed), "drones")
        for _ in range(400):
            if state.pending is None:
                break
            action = choose(state, state.pending.seat)
            assert action in legal_actions(state)
            state, _ = apply(state, action)
            for nation in state.stats.values():
                assert nation["interceptors"] >= -3
