"""The rules at their edges: a roll exactly at its chance and one above it, the roll's whole range, a
council's roll on the alliance's mean readiness, `target` and `round` requirements in play, a defeat
caused by a consultation position, and the refusals no other test reaches."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.helpers import advance, at_card, mini_with, quiet, with_next_card
from wargame.engine import IllegalActionError, apply, is_over, legal_actions, refusal, result
from wargame.model import (
    AddNote,
    AdjustStat,
    ChooseResponse,
    Deck,
    GameState,
    Invest,
    InvestDecision,
    PositionDecision,
    RespondDecision,
    TakePosition,
)
from wargame.model.events import (
    ConsultationResolved,
    Event,
    GameEnded,
    PositionTaken,
    RollMade,
    TrackMoved,
    VoteCast,
)
from wargame.storage import load_deck_text

# --- the roll ----------------------------------------------------------------------------------------


def shoot_down(deck: Deck, seed: int) -> tuple[GameState, GameState, list[Event], RollMade]:
    """Mini game `seed` at the drones card, answered with a shoot-down: before, after, events, roll."""
    state = at_card(deck, "drones", seed)
    after, events = apply(state, ChooseResponse(state.pending.nation, "shoot-down"))
    return state, after, events, next(event for event in events if isinstance(event, RollMade))


# Found once by searching seeds 0-399 for a roll exactly at its chance and one just above it (Estonia,
# readiness 2, shoots down with a chance of 40 + 5 × 2 = 50).
AT_THE_CHANCE = 209
ONE_ABOVE = 9


def test_a_roll_equal_to_its_chance_succeeds(mini: Deck) -> None:
    before, after, _, roll = shoot_down(mini, AT_THE_CHANCE)
    assert before.pending.nation == "EST" and before.stats["EST"]["readiness"] == 2
    assert (roll.chance, roll.roll, roll.success, roll.forced) == (50, 50, True, False)
    # The success: credibility +2 after the response's own escalation +1; a failure would be -1.
    assert after.tracks["credibility"] == before.tracks["credibility"] + 2


def test_a_roll_one_above_its_chance_fails(mini: Deck) -> None:
    before, after, _, roll = shoot_down(mini, ONE_ABOVE)
    assert before.pending.nation == "EST" and before.stats["EST"]["readiness"] == 2
    assert (roll.chance, roll.roll, roll.success, roll.forced) == (50, 51, False, False)
    assert after.tracks["credibility"] == before.tracks["credibility"] - 1


def test_rolls_run_from_1_to_100_and_reach_both_ends(mini: Deck) -> None:
    rolls = Counter(shoot_down(mini, seed)[3].roll for seed in range(1000))
    assert min(rolls) == 1 and max(rolls) == 100
    assert set(rolls) <= set(range(1, 101))
    assert len(rolls) == 100  # every value turns up in a thousand rolls of these seeds


def test_every_roll_succeeds_exactly_when_it_is_at_most_its_chance(mini: Deck) -> None:
    seen = Counter()
    for seed in range(300):
        _, _, _, roll = shoot_down(mini, seed)
        assert roll.success == (roll.roll <= roll.chance), (seed, roll)
        seen[roll.success] += 1
    assert seen[True] and seen[False]


# --- an alliance council's roll ---------------------------------------------------------------------

# The rules card, unified by a roll: 40 % plus 10 per point of readiness.
COUNCIL_ROLL = mini_with(
    (
        'id = "unify"\nlabel = "Unify them"\n',
        'id = "unify"\nlabel = "Unify them"\nchance = 40\nreadiness_bonus = 10\n'
        "success = { tracks = { credibility = 1 } }\nfailure = { tracks = { escalation = 1 } }\n",
    )
)


def test_a_council_rolls_on_the_alliances_mean_readiness_rounded_down() -> None:
    deck = load_deck_text(COUNCIL_ROLL, "council.toml")
    state = at_card(deck, "rules")
    assert isinstance(state.pending, RespondDecision) and state.pending.target is None
    readiness = {nation: values["readiness"] for nation, values in state.stats.items()}
    assert readiness == {"POL": 4, "EST": 2, "DEU": 5}  # a mean of 11 / 3 = 3.67
    state, events = apply(state, ChooseResponse("POL", "unify"))
    state, more = apply(state, ChooseResponse("EST", "unify"))
    events += more
    state, more = apply(state, ChooseResponse("DEU", "defer"))
    events += more
    assert [e.nation for e in events if isinstance(e, VoteCast)] == ["POL", "EST", "DEU"]
    roll = next(event for event in events if isinstance(event, RollMade))
    # 40 + 10 × 3: the mean rounded down (not 4, rounded to the nearest; not a single nation's).
    assert (roll.card, roll.response, roll.chance) == ("rules", "unify", 70)


# --- `target` and `round` requirements in play ---------------------------------------------------------

# A response that needs the target under pressure (4 or more), and Article 4 open from round 2 on.
REQUIREMENTS = mini_with(
    (
        'id = "protest"\nlabel = "Protest"\n',
        'id = "summon"\nlabel = "Summon the ambassador"\nrequires = [{ target = "pressure", min = 4 }]\n\n'
        '[[cards.responses]]\nid = "protest"\nlabel = "Protest"\n',
    ),
    (
        'label = "Invoke Article 4"\nconsultation = true\n',
        'label = "Invoke Article 4"\nconsultation = true\nrequires = [{ round = true, min = 2 }]\n',
    ),
)


def offered(state: GameState) -> list[str]:
    return [action.response for action in legal_actions(state) if isinstance(action, ChooseResponse)]


def test_a_response_requiring_a_target_stat_is_offered_only_when_it_holds() -> None:
    deck = load_deck_text(REQUIREMENTS, "requirements.toml")
    pressures: dict[int, int] = {}
    for seed in range(20):
        state = at_card(deck, "drones", seed)
        target = state.target
        assert target is not None and state.pending.nation == target
        pressure = state.stats[target]["pressure"]
        pressures[pressure] = pressures.get(pressure, 0) + 1
        summon = ChooseResponse(target, "summon")
        if pressure >= 4:
            assert "summon" in offered(state) and refusal(state, summon) is None
        else:
            assert "summon" not in offered(state)
            assert str(refusal(state, summon)) == 'the requirements of "summon" are not met'
    assert any(p >= 4 for p in pressures) and any(p < 4 for p in pressures), pressures


def test_a_response_requiring_a_round_is_offered_from_that_round_on() -> None:
    deck = load_deck_text(REQUIREMENTS, "requirements.toml")
    first = at_card(deck, "drones", 2)
    assert first.round == 1
    article4 = ChooseResponse(first.pending.nation, "article-4")
    assert "article-4" not in offered(first)
    assert str(refusal(first, article4)) == 'the requirements of "article-4" are not met'
    investing = advance(first, lambda s: isinstance(s.pending, InvestDecision), quiet)
    later = with_next_card(investing, "drones")  # the second round's card
    later = advance(later, lambda s: isinstance(s.pending, RespondDecision) and s.card == "drones", quiet)
    assert later.round == 2
    assert "article-4" in offered(later)
    assert refusal(later, ChooseResponse(later.pending.nation, "article-4")) is None


# --- a defeat in the middle of a consultation ---------------------------------------------------------

# A hawk that urges restraint breaks the alliance: cohesion (6 at the start) falls by 10.
BRITTLE = mini_with(
    (
        'on_restrain = { actor = { pressure = 1 }, text = "Hawks at home cry weakness." }',
        'on_restrain = { actor = { pressure = 1 }, tracks = { cohesion = -10 }, text = "It breaks." }',
    )
)


def test_a_position_that_breaks_the_alliance_ends_the_game_at_once() -> None:
    deck = load_deck_text(BRITTLE, "brittle.toml")
    state = at_card(deck, "drones")
    invoker = state.pending.nation
    state, _ = apply(state, ChooseResponse(invoker, "article-4"))
    assert isinstance(state.pending, PositionDecision)
    hawk = state.pending.nation
    assert hawk in {"POL", "EST"} and hawk != invoker  # the other frontline nation, a hawk, is asked first
    state, events = apply(state, TakePosition(hawk, "restrain"))
    assert is_over(state) and state.pending is None
    assert result(state).ending == "fracture" and result(state).defeat
    assert [e for e in events if isinstance(e, PositionTaken)] == [PositionTaken(hawk, "restrain")]
    fall = [e for e in events if isinstance(e, TrackMoved) and e.track == "cohesion"]
    assert [e.after for e in fall] == [0]
    assert not any(isinstance(e, ConsultationResolved) for e in events)  # Germany is never asked
    assert events[-1] == GameEnded("fracture", True)


# --- refusals no other test reaches ---------------------------------------------------------------------


def at_investment(deck: Deck) -> GameState:
    return advance(at_card(deck, "drones"), lambda s: isinstance(s.pending, InvestDecision), quiet)


def test_a_response_while_no_card_waits_is_refused(mini: Deck) -> None:
    state = at_investment(mini)
    nation = state.pending.nation
    assert str(refusal(state, ChooseResponse(nation, "protest"))) == "no card is waiting for a response"
    with pytest.raises(IllegalActionError, match="no card is waiting for a response"):
        apply(state, ChooseResponse(nation, "protest"))


def test_an_unaffordable_investment_is_refused_with_its_price(mini: Deck) -> None:
    state = at_investment(mini)
    nation = state.pending.nation
    broke, _ = apply(state, AdjustStat(nation, "treasury", -30, "the budget is spent"))
    assert broke.stats[nation]["treasury"] == 0
    assert str(refusal(broke, Invest(nation, "counter-drone"))) == '"counter-drone" costs 3, treasury is 0'
    assert str(refusal(broke, Invest(nation, "no-such-thing"))) == 'unknown investment "no-such-thing"'


def test_facilitator_actions_with_nothing_to_act_on_are_refused(mini: Deck) -> None:
    state = at_card(mini, "drones")
    assert str(refusal(state, AdjustStat("XXX", "readiness", 1, "why"))) == 'unknown nation "XXX"'
    assert str(refusal(state, AddNote("  \n"))) == "a note needs text"
    with pytest.raises(IllegalActionError, match="a note needs text"):
        apply(state, AddNote(""))


def test_an_unknown_position_is_refused(mini: Deck) -> None:
    state = at_card(mini, "drones")
    state, _ = apply(state, ChooseResponse(state.pending.nation, "article-4"))
    nation = state.pending.nation
    assert str(refusal(state, TakePosition(nation, "shrug"))) == 'unknown position "shrug"'  # type: ignore[arg-type]
