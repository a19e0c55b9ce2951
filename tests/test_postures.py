"""Postures: policy that lasts. A deck's `[postures.<id>]` declares levels and a start; an effect sets a
level, a condition tests one, and a level's modifiers change a response's chance and cost."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

import attrs
import pytest

from tests.helpers import DECKS, MINI, at_card, play, random_play, red_deck_with
from wargame.ai import choose
from wargame.ai.adversary import appraise_plays
from wargame.engine import apply, legal_actions, new_game, success_chance
from wargame.engine.legality import RefusalCode, refusal
from wargame.engine.postures import chance_bonus, extra_cost, level_of
from wargame.lab.chronicle import tell
from wargame.model import ChooseResponse, Deck, GameState, RespondDecision
from wargame.model.events import PostureSet, StatMoved
from wargame.session.choices import choices
from wargame.session.describe import event_line, posture_changes
from wargame.storage import check_deck_text, load_deck, load_deck_text
from wargame.storage.saves import load_game, make_save, read_save, write_save

POSTURES = DECKS / "postures.toml"
POSTURES_TEXT = POSTURES.read_text("utf-8")


@functools.cache
def deck() -> Deck:
    return load_deck(POSTURES)


def problems(*changes: tuple[str, str]) -> list[str]:
    text = POSTURES_TEXT
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return [f"{p.line}: {p.path}: {p.message}" for p in check_deck_text(text, "postures.toml")]


def loose(state: GameState) -> GameState:
    return attrs.evolve(state, postures={"roe": "loose"})


def council_unifies(seed: int = 1) -> tuple[GameState, list[object]]:
    """The "rules" council, every nation voting to unify (which sets the rules of engagement loose)."""
    state = at_card(deck(), "rules", seed)
    events: list[object] = []
    while isinstance(state.pending, RespondDecision) and state.card == "rules":
        state, new = apply(state, ChooseResponse(state.pending.nation, "unify"))
        events.extend(new)
    return state, events


# --- the deck ------------------------------------------------------------------------------------------


def test_the_fixture_deck_loads_with_its_posture() -> None:
    posture = deck().postures["roe"]
    assert posture.name == "Rules of engagement" and posture.start == "strict"
    assert [level.id for level in posture.levels] == ["strict", "loose"]
    assert posture.level("loose").chance == {"shoot-down": 20}
    assert posture.level("loose").cost == {"shoot-down": 1}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('start = "strict"', 'start = "strct"'),
            'postures.roe.start: posture "roe" has no level "strct" (did you mean "strict"?)',
        ),
        (
            ('cost = { "shoot-down" = 1 }', 'cost = { "shot-down" = 1 }'),
            "postures.roe.levels[1].cost.shot-down: "
            'unknown response "shot-down" (did you mean "shoot-down"?)',
        ),
        (
            ('posture = "roe", level = "loose"', 'posture = "rue", level = "loose"'),
            'cards[0].responses[3].requires[0].posture: unknown posture "rue" (did you mean "roe"?)',
        ),
        (
            ('posture = "roe", level = "loose"', 'posture = "roe", level = "lose"'),
            "cards[0].responses[3].requires[0].level: "
            'posture "roe" has no level "lose" (did you mean "loose"?)',
        ),
        (
            ('posture = "roe", level = "loose"', 'posture = "roe"'),
            "cards[0].responses[3].requires[0]: "
            'a condition on posture "roe" needs a level: one of "strict" or "loose"',
        ),
        (
            ('postures = { roe = "loose" }', 'postures = { roe = "lose" }'),
            "cards[3].responses[0].effects.postures.roe: "
            'posture "roe" has no level "lose" (did you mean "loose"?)',
        ),
    ],
)
def test_a_wrong_posture_or_level_is_a_file_line_path_error(change: tuple[str, str], expected: str) -> None:
    # The line is where the wrong words are written.
    lines = POSTURES_TEXT.replace(change[0], change[1]).splitlines()
    line = next(number for number, text in enumerate(lines, 1) if change[1] in text)
    assert f"{line}: {expected}" in problems(change)


def test_a_posture_named_in_a_deck_without_postures_says_there_are_none() -> None:
    text = MINI.read_text("utf-8").replace(
        "effects = { tracks = { cohesion = 1, credibility = 1 } }",
        'effects = { tracks = { cohesion = 1, credibility = 1 }, postures = { roe = "loose" } }',
    )
    found = [p.message for p in check_deck_text(text, "mini.toml")]
    assert 'unknown posture "roe": the deck declares no postures (add [postures.<id>] tables)' in found


# --- the engine ----------------------------------------------------------------------------------------


def test_a_game_starts_at_the_start_level_with_nothing_in_its_state() -> None:
    state = new_game(deck(), 1)
    assert state.postures == {} and level_of(state.deck, state.postures, "roe") == "strict"


def test_an_effect_sets_a_level_and_says_so() -> None:
    state, events = council_unifies()
    assert state.postures == {"roe": "loose"}
    moved = [event for event in events if isinstance(event, PostureSet)]
    assert [(m.posture, m.before, m.after) for m in moved] == [("roe", "strict", "loose")]
    line = event_line(deck(), moved[0])
    assert line is not None and "Rules of engagement: Strict → Loose" in line


def test_setting_the_level_a_posture_stands_at_changes_nothing() -> None:
    state = at_card(deck(), "drones")
    state, events = play(state, ChooseResponse(state.pending.nation, "protest"))  # type: ignore[union-attr]
    assert state.postures == {} and not any(isinstance(event, PostureSet) for event in events)


def test_a_condition_tests_the_level() -> None:
    state = at_card(deck(), "drones")
    nation = state.pending.nation  # type: ignore[union-attr]
    warn = ChooseResponse(nation, "warn-off")
    assert warn not in legal_actions(state)
    found = refusal(state, warn)
    assert found is not None and found.code is RefusalCode.REQUIREMENTS_NOT_MET
    assert warn in legal_actions(loose(state))


def test_a_level_changes_a_responses_chance() -> None:
    state = at_card(deck(), "drones")
    response = deck().card("drones").response("shoot-down")
    nation = state.pending.nation  # type: ignore[union-attr]
    strict = success_chance(response, state.stats, nation, state)
    assert chance_bonus(loose(state), "shoot-down") == 20
    assert success_chance(response, state.stats, nation, loose(state)) == strict + 20


def test_a_level_changes_a_responses_cost_paid_and_refused() -> None:
    state = at_card(deck(), "drones")
    nation = state.pending.nation  # type: ignore[union-attr]
    treasury = state.stats[nation]["treasury"]
    assert extra_cost(loose(state), "shoot-down") == 1
    _, events = play(loose(state), ChooseResponse(nation, "shoot-down"))
    paid = [e for e in events if isinstance(e, StatMoved) and e.stat == "treasury" and e.nation == nation]
    assert paid and paid[0].before - paid[0].after == 3  # the card's 2 and the posture's 1
    # With only the card's price in the treasury, loose rules make shooting down unaffordable.
    stats = {**state.stats, nation: {**state.stats[nation], "treasury": 2}}
    poor = attrs.evolve(state, stats=stats)
    assert ChooseResponse(nation, "shoot-down") in legal_actions(poor)
    found = refusal(loose(poor), ChooseResponse(nation, "shoot-down"))
    assert found is not None and found.code is RefusalCode.UNAFFORDABLE
    assert treasury >= 3


def test_the_ai_weighs_the_chance_the_posture_in_the_state_gives() -> None:
    # Loose rules that make shooting down all but hopeless: the AI reads them from the state. (With
    # this deck's +20, Poland shoots them down at either level, so the change is the chance's.)
    text = POSTURES_TEXT.replace('chance = { "shoot-down" = 20 }', 'chance = { "shoot-down" = -60 }')
    state = at_card(load_deck_text(text), "drones", seed=3)
    assert state.pending is not None and state.pending.nation == "POL" and state.postures == {}
    assert choose(state, "POL") == ChooseResponse("POL", "shoot-down")
    assert choose(loose(state), "POL") != ChooseResponse("POL", "shoot-down")
    assert choose(loose(at_card(deck(), "drones", seed=3)), "POL") == ChooseResponse("POL", "shoot-down")


def test_the_board_words_say_what_a_level_changes() -> None:
    level = deck().postures["roe"].level("loose")
    assert posture_changes(deck(), level) == "Shoot them down: chance +20, cost +1"
    assert posture_changes(deck(), deck().postures["roe"].level("strict")) == ""


def test_the_options_show_the_cost_and_chance_the_posture_gives() -> None:
    state = at_card(deck(), "drones", seed=3)

    def shoot(at: GameState) -> list[str]:
        return next(c.facts for c in choices(at) if c.action == ChooseResponse("POL", "shoot-down"))

    strict, looser = shoot(state), shoot(loose(state))
    assert "cost 2" in strict and "cost 3" in looser
    chance = success_chance(deck().card("drones").response("shoot-down"), state.stats, "POL", state)
    assert f"{chance}% chance" in strict and f"{chance + 20}% chance" in looser


def test_the_report_timeline_names_the_posture() -> None:
    for seed in range(40):
        states, actions = random_play(deck(), seed, controllers={"POL": "human"})
        if any(state.postures for state in states):
            break
    else:
        raise AssertionError("no random game set a posture")
    texts = [entry.text for entry in tell(deck(), seed, {"POL": "human"}, actions).entries]
    assert any(text.startswith("Rules of engagement set to") for text in texts)


def test_the_adversary_prefers_what_the_posture_in_the_state_makes_worth_it() -> None:
    # A looser rule of engagement deters military probes: the prober's preference, data in the deck,
    # holds while the posture stands at "loose".
    red = red_deck_with(
        (
            "[adversary.personas.escalator]\n",
            '[[adversary.personas.prober.prefers]]\nwhen = [{ posture = "roe", level = "loose" }]\n'
            'tags = ["military"]\nweight = -5.0\n\n[adversary.personas.escalator]\n',
        ),
        (
            "[adversary]\n",
            '[postures.roe]\nname = "Rules of engagement"\nstart = "strict"\n'
            'levels = [{ id = "strict" }, { id = "loose" }]\n\n[adversary]\n',
        ),
    )
    state = new_game(red, 5, {"moscow": "ai:prober"})
    assert "jets" in state.hand
    for postures, expected in (({}, 0.0), ({"roe": "loose"}, -5.0)):
        plays = appraise_plays(attrs.evolve(state, postures=postures), "moscow")
        assert {p.preference for p in plays if p.action.card == "jets"} == {expected}
        assert {p.preference for p in plays if p.action.card != "jets"} == {0.0}


# --- saves and decks without postures --------------------------------------------------------------------


def test_a_save_with_a_posture_round_trips_and_replays(tmp_path: Path) -> None:
    for seed in range(40):
        states, actions = random_play(deck(), seed, controllers={"POL": "human"})
        if states[-1].postures:
            break
    else:
        raise AssertionError("no random game ended with a posture set")
    path = tmp_path / "game.toml"
    save = make_save(POSTURES, deck(), states[-1], actions)
    write_save(path, save)
    assert read_save(path) == save
    loaded, state = load_game(path)
    assert state == states[-1] and state.postures == states[-1].postures
    write_save(tmp_path / "again.toml", loaded)
    assert (tmp_path / "again.toml").read_bytes() == path.read_bytes()
    assert "postures" not in tomllib.loads(path.read_text("utf-8")).get("save", {})


def test_a_deck_without_postures_plays_as_before() -> None:
    mini = load_deck(MINI)
    assert mini.postures == {}
    states, _ = random_play(mini, 3)
    assert all(state.postures == {} for state in states)


def test_a_posture_names_a_response_shared_by_several_cards_by_its_id() -> None:
    from wargame.session.describe import council_words, posture_changes, targets_text
    from wargame.storage import load_deck

    bundled = load_deck(Path(__file__).parent.parent / "decks" / "eastern-flank-2025.toml")
    loose = bundled.postures["roe"].level("loose")
    shared = [c for c in bundled.cards if any(r.id == "shoot" for r in c.responses)]
    assert len({r.label for c in shared for r in c.responses if r.id == "shoot"}) > 1
    text = posture_changes(bundled, loose)
    assert f"“shoot” ({len(shared)} cards): chance" in text
    # Under consensus an alliance card is decided by the council's consensus, not by votes.
    council_card = next(c for c in bundled.cards if c.targets == ("alliance",))
    assert council_words(bundled) == "a council decides by consensus"
    assert targets_text(bundled, council_card) == "the whole alliance (a council decides by consensus)"
