"""The types that replaced parsed text: refusals, causes, controllers, consultation results, the
facilitator's actions, and a game's fields written once (`Board`)."""

from __future__ import annotations

import json
from typing import get_args

import attrs
import pytest

from tests.helpers import advance
from wargame.engine import IllegalActionError, Refusal, RefusalCode, SetupError, Table, apply, new_game
from wargame.model import (
    FACILITATOR_ACTIONS,
    HUMAN,
    PLAYER_ACTIONS,
    AdjustStat,
    ChooseResponse,
    ConsultationResult,
    ControllerError,
    Deck,
    FacilitatorAction,
    GameState,
    Human,
    Invest,
    InvestDecision,
    PlayerAction,
    PositionDecision,
    RespondDecision,
    Scripted,
    parse_controller,
    persona_in,
)
from wargame.model.events import DRIFT, FATIGUE, INCOME, Cause, CauseKind
from wargame.session.choices import Choice, choices


def test_a_cause_reads_as_the_text_it_replaced() -> None:
    assert [
        str(cause)
        for cause in (
            Cause(CauseKind.RESPONSE, card="drones", response="shoot-down"),
            Cause(CauseKind.ROLL, card="drones", response="shoot-down"),
            Cause(CauseKind.CARD, card="drones"),
            Cause(CauseKind.CONSULTATION, result=ConsultationResult.SPLIT),
            FATIGUE,
            Cause(CauseKind.POSITION, position="restrain"),
            Cause(CauseKind.INVESTMENT, investment="counter-drone"),
            INCOME,
            DRIFT,
            Cause(CauseKind.FACILITATOR, reason="a speech: rousing"),
        )
    ] == [
        "response:drones/shoot-down",
        "roll:drones/shoot-down",
        "card:drones",
        "consultation:split",
        "fatigue",
        "position:restrain",
        "investment:counter-drone",
        "income",
        "drift",
        "facilitator: a speech: rousing",
    ]
    assert Cause(CauseKind.FACILITATOR, reason="x").is_steering and not DRIFT.is_steering


def on_drones(state: GameState) -> bool:
    return isinstance(state.pending, RespondDecision) and state.card == "drones"


def investments(state: GameState) -> dict[str, Choice]:
    return {
        choice.action.investment: choice for choice in choices(state) if isinstance(choice.action, Invest)
    }


def test_a_refusal_has_a_code_its_fields_and_the_same_words(mini: Deck) -> None:
    state = advance(
        new_game(mini, 7), lambda s: isinstance(s.pending, RespondDecision) and s.card == "drones"
    )
    assert state.pending is not None
    nation = state.pending.nation
    state, _ = apply(state, AdjustStat(nation, "treasury", -30, "broke"))
    with pytest.raises(IllegalActionError) as refused:
        apply(state, ChooseResponse(nation, "shoot-down"))
    reason = refused.value.reason
    assert reason == Refusal(RefusalCode.UNAFFORDABLE, subject="shoot-down", cost=2, treasury=0)
    assert str(reason) == '"shoot-down" costs 2, treasury is 0'
    assert str(refused.value).endswith(': "shoot-down" costs 2, treasury is 0')
    other = next(n.id for n in mini.nations if n.id != nation)
    with pytest.raises(IllegalActionError) as refused:
        apply(state, ChooseResponse(other, "shoot-down"))
    assert refused.value.reason.code is RefusalCode.NOT_YOUR_DECISION
    assert str(refused.value.reason) == f"it is {nation}'s decision, not {other}'s"


def test_an_investment_refused_is_told_in_the_players_words(mini: Deck) -> None:
    state = advance(new_game(mini, 7), lambda s: isinstance(s.pending, InvestDecision))
    assert state.pending is not None
    nation = state.pending.nation
    state, _ = apply(state, AdjustStat(nation, "treasury", 30, "rich"))
    state, _ = apply(state, AdjustStat(nation, "readiness", -10, "unready"))
    readiness = state.stats[nation]["readiness"]
    by_id = {
        choice.action.investment: choice for choice in choices(state) if isinstance(choice.action, Invest)
    }
    assert by_id["air-policing"].reason == f"needs Readiness ≥ 3; Readiness is {readiness}"
    assert by_id["counter-drone"].enabled
    state, _ = apply(state, AdjustStat(nation, "readiness", 10, "ready"))
    for _ in range(2):
        state, _ = apply(state, Invest(nation, "counter-drone"))
    by_id = {
        choice.action.investment: choice for choice in choices(state) if isinstance(choice.action, Invest)
    }
    assert by_id["counter-drone"].reason == "may be bought 2 time(s) a round"
    assert by_id["air-policing"].enabled


def test_controllers_read_from_text_and_back() -> None:
    assert parse_controller("human") == Human() == HUMAN
    assert parse_controller("ai:hawk") == Scripted("hawk")
    assert [str(HUMAN), str(Scripted("hawk"))] == ["human", "ai:hawk"]
    assert persona_in(Scripted("dove")) == "dove" and persona_in(HUMAN) is None
    for text in ("robot", "ai:", "Human"):
        with pytest.raises(ControllerError, match=f'"{text}"'):
            parse_controller(text)


def test_a_new_game_takes_controllers_or_their_text(mini: Deck) -> None:
    typed = new_game(mini, 3, {"POL": HUMAN, "DEU": Scripted("pragmatist")})
    assert new_game(mini, 3, {"POL": "human", "DEU": "ai:pragmatist"}) == typed
    assert typed.is_human("POL") and typed.persona_of("DEU") == "pragmatist"
    for bad in ("robot", Scripted("owl")):
        with pytest.raises(SetupError, match=f'controller "{bad}" of POL'):
            new_game(mini, 3, {"POL": bad})


def test_consultation_results_keep_their_words() -> None:
    assert [str(result) for result in ConsultationResult] == ["unified", "restrained", "split"]
    assert json.dumps({ConsultationResult.UNIFIED: 1, "x": ConsultationResult.SPLIT}) == (
        '{"unified": 1, "x": "split"}'
    )


def test_the_action_tuples_are_the_unions() -> None:
    assert get_args(FacilitatorAction) == FACILITATOR_ACTIONS
    assert get_args(PlayerAction) == PLAYER_ACTIONS


def test_every_field_of_a_game_survives_a_table(mini: Deck) -> None:
    state = advance(new_game(mini, 5), lambda s: isinstance(s.pending, PositionDecision))
    assert Table(state).freeze() == state
    # Every field, including one added later, marked with a value of its own: a table that dropped
    # a field, or reset it to its default, would not give the mark back. The tracks and stats are
    # copied onto the table (it changes them in place), so they come back equal, not identical.
    copied = {"tracks", "stats", "adversary_stats"}
    marks = {field.name: object() for field in attrs.fields(GameState) if field.name not in copied}
    marked = attrs.evolve(state, **marks)
    frozen = Table(marked).freeze()
    assert {name: getattr(frozen, name) is mark for name, mark in marks.items()} == dict.fromkeys(marks, True)
    assert (frozen.tracks, frozen.stats, frozen.adversary_stats) == (
        state.tracks,
        state.stats,
        state.adversary_stats,
    )
    assert frozen.tracks is not state.tracks
