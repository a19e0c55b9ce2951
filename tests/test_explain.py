"""`wargame explain`: the worths it prints are the ones the AI compares, and its pick is the AI's."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import DECKS
from wargame.ai import _persona_id, choose
from wargame.ai.explain import chosen, read_responses, summarise
from wargame.cli import main
from wargame.engine import new_game, play
from wargame.engine.table import Table
from wargame.model import ChooseResponse, RespondDecision
from wargame.storage import load_deck

BUNDLED = Path(__file__).parent.parent / "decks" / "eastern-flank-2025.toml"


@pytest.mark.parametrize(
    "path", [BUNDLED, DECKS / "postures.toml", DECKS / "red.toml", DECKS / "council.toml"]
)
def test_the_reading_picks_what_the_ai_picks(path: Path) -> None:
    deck = load_deck(path)
    compared = 0
    for seed in range(1, 9):
        table = Table(new_game(deck, seed))
        while table.pending is not None:
            decision = table.pending
            action = choose(table, decision.seat)
            if isinstance(decision, RespondDecision):
                readings = read_responses(table, decision, _persona_id(table, decision.nation))
                offered = [reading for reading in readings if reading.refusal is None]
                worths = sorted((reading.worth for reading in offered), reverse=True)
                # A near tie may fall either way by float rounding: compare only clear choices.
                if len(worths) == 1 or worths[0] - worths[1] > 1e-6:
                    assert isinstance(action, ChooseResponse)
                    assert chosen(readings).response == action.response
                    compared += 1
                for reading in readings:
                    assert reading.worth == pytest.approx(sum(reason.worth for reason in reading.reasons))
            play(table, action)
    assert compared > 20


def test_refused_responses_say_why() -> None:
    deck = load_deck(DECKS / "postures.toml")
    table = Table(new_game(deck, 1))
    # Empty the treasury of whoever answers first: what costs money is refused, with the figures.
    while not (isinstance(table.pending, RespondDecision) and not table.pending.is_vote):
        play(table, choose(table, table.pending.seat))  # type: ignore[union-attr]
    decision = table.pending
    assert isinstance(decision, RespondDecision)
    table.stats[decision.nation] = {**table.stats[decision.nation], "treasury": 0}
    readings = read_responses(table, decision, _persona_id(table, decision.nation))
    refused = [reading for reading in readings if reading.refusal is not None]
    costly = [r.id for r in deck.card(decision.card).responses if r.cost > 0]
    assert costly and {reading.response for reading in refused} >= set(costly)
    assert all("treasury" in (reading.refusal or "") for reading in refused if reading.response in costly)


def test_explain_names_each_persona_in_one_line() -> None:
    deck = load_deck(BUNDLED)
    card = deck.cards[0]
    response = card.responses[-1]
    result = CliRunner().invoke(main, ["explain", str(BUNDLED), card.id, "--response", response.id])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.split(":")[0].strip() in deck.personas]
    assert sorted(line.split(":")[0].strip() for line in lines) == sorted(deck.personas)
    assert all(response.id in line for line in lines)


def test_a_summary_counts_what_the_readings_hold() -> None:
    deck = load_deck(BUNDLED)
    readings = []
    for seed in range(1, 30):
        table = Table(new_game(deck, seed), quiet=True)
        while table.pending is not None:
            decision = table.pending
            if isinstance(decision, RespondDecision) and decision.card == "estonia-migs":
                readings.append(read_responses(table, decision, "hawk"))
            play(table, choose(table, decision.seat))
    summaries = summarise(readings)
    assert [summary.response for summary in summaries] == [r.id for r in deck.card("estonia-migs").responses]
    # One pick per state; each response's mean worth is the mean of its readings' worths.
    assert len(readings) > 5 and sum(summary.picked for summary in summaries) == len(readings)
    for summary in summaries:
        worths = [
            r.worth for rs in readings for r in rs if r.response == summary.response and r.refusal is None
        ]
        assert summary.offered == len(worths)
        assert summary.worth == pytest.approx(sum(worths) / len(worths))
        assert sum(reason.worth for reason in summary.reasons) == pytest.approx(summary.worth)


def test_without_games_it_reads_the_start_state() -> None:
    result = CliRunner().invoke(main, ["explain", str(BUNDLED), "estonia-migs", "--games", "0"])
    assert result.exit_code == 0, result.output
    assert (
        "in the state a game starts in (cohesion" in result.output
        and "1 state(s), decided by EST 1" in result.output
    )


def test_explain_refuses_an_unknown_card_with_a_suggestion() -> None:
    result = CliRunner().invoke(main, ["explain", str(BUNDLED), "estonia-mig"])
    assert result.exit_code == 1
    assert 'unknown card "estonia-mig"' in result.output and "estonia-migs" in result.output
    assert "Traceback" not in result.output
