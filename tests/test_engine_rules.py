"""One test (or a few) per rule of DESIGN §3, on the small test deck."""

from __future__ import annotations

import attrs
import pytest

from tests.helpers import advance, at_card, play, quiet, with_next_card
from wargame.engine import IllegalActionError, SetupError, apply, is_over, legal_actions, new_game, result
from wargame.engine.rounds import consultation_result
from wargame.model import (
    Action,
    AddNote,
    AdjustStat,
    AdjustTrack,
    ChooseResponse,
    ConsultationResult,
    Deck,
    ForceRoll,
    GameState,
    InjectCard,
    Invest,
    InvestDecision,
    Pass,
    PositionDecision,
    RespondDecision,
    Response,
    Scripted,
    TakePosition,
)
from wargame.model.events import (
    DRIFT,
    FATIGUE,
    INCOME,
    CardDrawn,
    Cause,
    CauseKind,
    ConsultationResolved,
    Event,
    GameEnded,
    NoteAdded,
    Passed,
    RollMade,
    RoundEnded,
    RoundStarted,
    StatMoved,
    TrackMoved,
    VoteCast,
)


def test_new_game_pays_income_and_draws_the_first_card(mini: Deck) -> None:
    state = new_game(mini, 3)
    assert state.round == 1 and state.turn == 0
    assert state.tracks == {"cohesion": 6, "escalation": 3, "credibility": 5}
    assert state.history == {"cohesion": (6,), "escalation": (3,), "credibility": (5,)}
    # POL starts with treasury 4 and income 3 (the card drawn may cost nothing yet).
    assert state.stats["POL"]["treasury"] == 7
    assert state.card is not None
    assert len(state.draw_pile) + 1 == sum(card.copies for card in mini.cards)
    assert isinstance(state.pending, RespondDecision)
    assert state.controllers == {"POL": Scripted("hawk"), "EST": Scripted("hawk"), "DEU": Scripted("dove")}


def test_controllers_are_checked(mini: Deck) -> None:
    state = new_game(mini, 1, {"POL": "human", "DEU": "ai:pragmatist"})
    assert state.is_human("POL") and state.persona_of("DEU") == "pragmatist"
    with pytest.raises(SetupError, match='unknown seat "XXX"'):
        new_game(mini, 1, {"XXX": "human"})
    with pytest.raises(SetupError, match='controller "ai:owl"'):
        new_game(mini, 1, {"POL": "ai:owl"})
    with pytest.raises(SetupError, match='controller "robot"'):
        new_game(mini, 1, {"POL": "robot"})


def test_same_seed_and_actions_give_the_same_game(mini: Deck) -> None:
    one, two = new_game(mini, 42), new_game(mini, 42)
    assert one == two
    for _ in range(20):
        action = legal_actions(one)[-1]
        (one, events_one), (two, events_two) = apply(one, action), apply(two, action)
        assert one == two and events_one == events_two
    decks = {new_game(mini, seed).draw_pile for seed in range(10)}
    assert len(decks) > 1, "different seeds should shuffle differently"


def test_targets(mini: Deck) -> None:
    frontline_targets, any_targets = set(), set()
    for seed in range(40):
        frontline_targets.add(at_card(mini, "drones", seed).target)
        any_targets.add(at_card(mini, "sabotage", seed).target)
    assert frontline_targets == {"POL", "EST"}
    assert any_targets == {"POL", "EST", "DEU"}
    jets = at_card(mini, "jets")
    assert jets.target == "EST" and jets.pending == RespondDecision("jets", "EST", "EST")


def test_on_draw_effect_hits_the_target(mini: Deck) -> None:
    state = new_game(mini, 5)
    state = with_next_card(state, "drones")
    before = state
    state = advance(state, lambda s: s.card == "drones" and isinstance(s.pending, RespondDecision), quiet)
    target = state.target
    assert target is not None
    # Drift lowered every pressure by one at the round's end; the draw raised the target's by one.
    assert state.stats[target]["pressure"] == max(0, before.stats[target]["pressure"] - 1) + 1


def test_alliance_council_plurality(mini: Deck) -> None:
    state = at_card(mini, "rules")
    assert state.pending == RespondDecision("rules", None, "POL")
    assert {a.response for a in legal_actions(state) if isinstance(a, ChooseResponse)} == {"unify", "defer"}
    state, events = play(
        state, ChooseResponse("POL", "defer"), ChooseResponse("EST", "unify"), ChooseResponse("DEU", "defer")
    )
    assert [e for e in events if isinstance(e, VoteCast)] == [
        VoteCast("rules", "defer", "POL"),
        VoteCast("rules", "unify", "EST"),
        VoteCast("rules", "defer", "DEU"),
    ]
    cohesion = [e for e in events if isinstance(e, TrackMoved) and e.track == "cohesion"]
    assert (
        cohesion[0].cause == Cause(CauseKind.RESPONSE, card="rules", response="defer")
        and cohesion[0].after == cohesion[0].before - 1
    )
    halfway, _ = apply(at_card(mini, "rules"), ChooseResponse("POL", "defer"))
    with pytest.raises(IllegalActionError, match="it is EST's decision, not POL's"):
        apply(halfway, ChooseResponse("POL", "defer"))


def test_alliance_council_tie_goes_to_the_first_response(mini: Deck) -> None:
    rules = mini.card("rules")
    third = Response(id="study", label="Commission a study")
    deck = attrs.evolve(
        mini,
        cards=tuple(
            attrs.evolve(c, responses=(*c.responses, third)) if c.id == "rules" else c for c in mini.cards
        ),
    )
    state = at_card(deck, "rules")
    state, events = play(
        state, ChooseResponse("POL", "study"), ChooseResponse("EST", "defer"), ChooseResponse("DEU", "unify")
    )
    assert rules.responses[0].id == "unify"
    chosen = [e for e in events if type(e).__name__ == "ResponseChosen"]
    assert chosen[0].response == "unify" and chosen[0].nation is None


def test_response_cost_and_requirements(mini: Deck) -> None:
    state = at_card(mini, "drones")
    nation = state.pending.nation
    treasury = state.stats[nation]["treasury"]
    state, _ = apply(state, AdjustStat(nation, "treasury", -treasury + 1, "test: broke"))
    assert ChooseResponse(nation, "shoot-down") not in legal_actions(state)
    snapshot = attrs.evolve(state)
    with pytest.raises(IllegalActionError, match='"shoot-down" costs 2, treasury is 1'):
        apply(state, ChooseResponse(nation, "shoot-down"))
    assert state == snapshot
    state, _ = apply(state, AdjustStat(nation, "treasury", 5, "test: funds"))
    state, _ = apply(state, AdjustStat(nation, "readiness", -10, "test: grounded"))
    with pytest.raises(IllegalActionError, match='requirements of "shoot-down" are not met'):
        apply(state, ChooseResponse(nation, "shoot-down"))
    state, _ = apply(state, AdjustStat(nation, "readiness", 2, "test: repaired"))
    after, _ = apply(state, ForceRoll(True))
    after, _ = apply(after, ChooseResponse(nation, "shoot-down"))
    assert after.stats[nation]["treasury"] == state.stats[nation]["treasury"] - 2


@pytest.mark.parametrize(("success", "delta"), [(True, 2), (False, -1)])
def test_forced_roll_applies_success_or_failure(mini: Deck, success: bool, delta: int) -> None:
    state = at_card(mini, "drones")
    nation = state.pending.nation
    base = state.tracks
    state, _ = apply(state, ForceRoll(success))
    assert state.forced_roll is success
    state, events = apply(state, ChooseResponse(nation, "shoot-down"))
    roll = next(e for e in events if isinstance(e, RollMade))
    assert roll.forced and roll.success is success
    assert state.forced_roll is None
    moved = {e.track: e.after for e in events if isinstance(e, TrackMoved) and e.cause.kind is CauseKind.ROLL}
    assert moved["credibility"] == base["credibility"] + delta


def test_roll_chance_uses_readiness_and_is_capped(mini: Deck) -> None:
    state = at_card(mini, "drones")
    nation = state.pending.nation
    readiness = state.stats[nation]["readiness"]
    _, events = apply(state, ChooseResponse(nation, "shoot-down"))
    roll = next(e for e in events if isinstance(e, RollMade))
    assert roll.chance == 40 + 5 * readiness
    assert roll.success == (roll.roll <= roll.chance) and 1 <= roll.roll <= 100
    boosted = attrs.evolve(
        mini,
        cards=tuple(
            attrs.evolve(c, responses=tuple(attrs.evolve(r, readiness_bonus=30) for r in c.responses))
            for c in mini.cards
        ),
    )
    state = at_card(boosted, "drones")
    _, events = apply(state, ChooseResponse(state.pending.nation, "shoot-down"))
    assert next(e for e in events if isinstance(e, RollMade)).chance == 95


@pytest.mark.parametrize(
    ("support", "restrain", "threshold", "expected"),
    [
        (2, 0, 60, "unified"),
        (0, 2, 60, "restrained"),
        (1, 1, 60, "split"),
        (0, 0, 60, "split"),
        (3, 2, 60, "unified"),
        (2, 3, 60, "restrained"),
        (1, 1, 50, "unified"),
    ],
)
def test_consultation_result(support: int, restrain: int, threshold: int, expected: str) -> None:
    assert consultation_result(support, restrain, threshold) == expected


def invoke(deck: Deck, seed: int = 1) -> GameState:
    state = at_card(deck, "drones", seed)
    state, _ = apply(state, ChooseResponse(state.pending.nation, "article-4"))
    assert isinstance(state.pending, PositionDecision)
    return state


@pytest.mark.parametrize(
    ("positions", "result", "credibility", "cohesion"),
    [
        (("support", "support"), "unified", 2, 0),
        (("support", "abstain"), "unified", 2, 0),
        (("restrain", "restrain"), "restrained", -1, 0),
        (("support", "restrain"), "split", 0, -2),
        (("abstain", "abstain"), "split", 0, -2),
    ],
)
def test_consultation_outcomes(
    mini: Deck, positions: tuple[str, str], result: str, credibility: int, cohesion: int
) -> None:
    state = invoke(mini)
    invoker = state.pending.invoker
    others = [n.id for n in mini.nations if n.id != invoker]
    assert state.pending.nation == others[0]
    readiness = state.stats[invoker]["readiness"]
    tracks = dict(state.tracks)
    state, events = play(state, *(TakePosition(n, p) for n, p in zip(others, positions, strict=True)))
    resolved = next(e for e in events if isinstance(e, ConsultationResolved))
    assert resolved.result == result and resolved.fatigue == 0
    assert state.consultations == (state.round,)
    assert state.tracks["credibility"] - tracks["credibility"] == credibility
    assert state.tracks["cohesion"] - tracks["cohesion"] == cohesion
    if result == "unified":
        assert state.stats[invoker]["readiness"] == min(10, readiness + 2)


def test_position_effects_follow_the_nations_persona(mini: Deck) -> None:
    state = invoke(mini)
    positions = {n: "restrain" for n in (x.id for x in mini.nations) if n != state.pending.invoker}
    pressures = {n: state.stats[n]["pressure"] for n in positions}
    state, events = play(state, *(TakePosition(n, p) for n, p in positions.items()))
    moved = {
        e.nation: e.after
        for e in events
        if isinstance(e, StatMoved) and e.cause == Cause(CauseKind.POSITION, position="restrain")
    }
    for nation, before in pressures.items():
        if mini.nation(nation).persona == "hawk":
            assert moved[nation] == before + 1
        else:
            assert nation not in moved


def support_all(state: GameState) -> tuple[GameState, list[Event]]:
    """Every nation but the invoker supports the open consultation."""
    others = [n.id for n in state.deck.nations if n.id != state.pending.invoker]
    return play(state, *(TakePosition(n, "support") for n in others))


def second_consultation(deck: Deck) -> tuple[GameState, list[Event], int]:
    """Two unified consultations in consecutive rounds: the state and events after the second, and
    the credibility just before its result."""
    state, _ = support_all(invoke(deck))
    state = with_next_card(state, "drones")
    state = advance(state, lambda s: s.card == "drones" and isinstance(s.pending, RespondDecision), quiet)
    state, _ = apply(state, ChooseResponse(state.pending.nation, "article-4"))
    credibility = state.tracks["credibility"]
    state, events = support_all(state)
    return state, events, credibility


def test_fatigue_weakens_consultations_within_the_window(mini: Deck) -> None:
    state, events, credibility = second_consultation(mini)
    resolved = next(e for e in events if isinstance(e, ConsultationResolved))
    assert resolved.fatigue == 1
    assert [e.cause for e in events if isinstance(e, TrackMoved) and e.track == "credibility"] == [
        Cause(CauseKind.CONSULTATION, result=ConsultationResult.UNIFIED),
        FATIGUE,
    ]
    assert state.tracks["credibility"] == min(10, credibility + 2) - 1


def test_fatigue_forgets_consultations_outside_the_window(mini: Deck) -> None:
    short = attrs.evolve(mini, consultation=attrs.evolve(mini.consultation, fatigue_window=1))
    _, events, _ = second_consultation(short)
    assert next(e for e in events if isinstance(e, ConsultationResolved)).fatigue == 0


def at_investment(deck: Deck, seed: int = 1) -> GameState:
    return advance(new_game(deck, seed), lambda s: isinstance(s.pending, InvestDecision), quiet)


def test_investments_cost_limit_and_requirements(mini: Deck) -> None:
    state = at_investment(mini)
    assert state.pending == InvestDecision("POL", {})
    state, _ = apply(state, AdjustStat("POL", "treasury", 30, "test: rich"))
    readiness = state.stats["POL"]["readiness"]
    state, _ = play(state, Invest("POL", "counter-drone"), Invest("POL", "counter-drone"))
    assert state.stats["POL"]["readiness"] == readiness + 2
    assert state.stats["POL"]["treasury"] == 30 - 6
    assert Invest("POL", "counter-drone") not in legal_actions(state)
    with pytest.raises(IllegalActionError, match="may be bought 2 time"):
        apply(state, Invest("POL", "counter-drone"))
    state, _ = apply(state, AdjustStat("EST", "treasury", 10, "test: funds"))
    state, _ = apply(state, Pass("POL"))
    assert state.pending == InvestDecision("EST", {})
    state, _ = apply(state, AdjustStat("EST", "readiness", -10, "test: grounded"))
    with pytest.raises(IllegalActionError, match='requirements of "air-policing"'):
        apply(state, Invest("EST", "air-policing"))


def test_a_nation_that_can_buy_nothing_passes_at_once(mini: Deck) -> None:
    state = at_investment(mini)
    state, _ = play(
        state,
        AdjustStat("POL", "treasury", 3 - state.stats["POL"]["treasury"], "test: one purchase left"),
        AdjustStat("EST", "treasury", -30, "test: broke"),
        AdjustStat("DEU", "treasury", 30, "test: rich"),
    )
    state, events = apply(state, Invest("POL", "counter-drone"))
    # POL can afford nothing more and EST nothing at all: both pass without being asked.
    assert [e for e in events if isinstance(e, Passed)] == [Passed("POL"), Passed("EST")]
    assert state.pending == InvestDecision("DEU", {})


def test_air_policing_helps_the_others(mini: Deck) -> None:
    state = at_investment(mini)
    state, _ = apply(state, AdjustStat("POL", "treasury", 10, "test"))
    before = state.stats
    state, _ = apply(state, Invest("POL", "air-policing"))
    assert state.stats["EST"]["readiness"] == before["EST"]["readiness"] + 1
    assert state.stats["DEU"]["readiness"] == before["DEU"]["readiness"] + 1
    assert state.stats["POL"]["readiness"] == before["POL"]["readiness"]


def test_round_end_drift_history_and_next_round(mini: Deck) -> None:
    state = at_investment(mini)
    pressures = {n: state.stats[n]["pressure"] for n in state.stats}
    treasury = state.stats["DEU"]["treasury"]
    events = []
    while state.round == 1:
        state, new = apply(state, Pass(state.pending.nation))
        events.extend(new)
    ended = next(e for e in events if isinstance(e, RoundEnded))
    assert ended.round == 1 and state.round == 2
    assert all(len(values) == 2 for values in state.history.values())
    assert state.history["cohesion"][-1] == ended.tracks["cohesion"]
    # Drift lowers pressure before round 2's income and draw (which may raise the target's).
    drift = {e.nation: e.after for e in events if isinstance(e, StatMoved) and e.cause == DRIFT}
    assert all(drift[n] == pressures[n] - 1 for n in pressures if pressures[n] > 0)
    income = {e.nation: e.after - e.before for e in events if isinstance(e, StatMoved) and e.cause == INCOME}
    assert income == {"POL": 3, "EST": 1, "DEU": 4}, "round 2 pays every nation its income"
    assert state.stats["DEU"]["treasury"] == treasury + 4  # its income; the card drawn costs it nothing


def test_extra_draw_while_credibility_is_low(mini: Deck) -> None:
    state = at_investment(mini)
    state, _ = apply(state, AdjustTrack("credibility", -10, "test: deterrence gone"))
    drawn = []
    while not isinstance(state.pending, InvestDecision) or state.round == 1:
        state, events = apply(state, quiet(state))
        drawn += [e.card for e in events if isinstance(e, CardDrawn)]
    assert state.round == 2 and len(drawn) == 2, "one card a round, one more while credibility is low"


def test_defeat_ends_the_game_at_once(mini: Deck) -> None:
    state = new_game(mini, 9)
    state, events = apply(state, AdjustTrack("escalation", 10, "test: war"))
    assert is_over(state) and state.ending == "war" and state.pending is None
    assert events[-1] == GameEnded("war", True)
    outcome = result(state)
    assert outcome.defeat and all(s.points == 0 for s in outcome.scores)
    assert legal_actions(state) == []
    with pytest.raises(IllegalActionError, match="the game is over"):
        apply(state, AddNote("too late"))


def test_cohesion_collapse_is_the_other_defeat(mini: Deck) -> None:
    state, _ = apply(new_game(mini, 9), AdjustTrack("cohesion", -6, "test: quarrel"))
    assert state.ending == "fracture"


def test_result_before_the_end_is_an_error(mini: Deck) -> None:
    with pytest.raises(ValueError, match="not over"):
        result(new_game(mini, 1))


@pytest.mark.parametrize(("credibility", "ending"), [(10, "strong"), (-10, "holds")])
def test_final_endings_and_objectives(mini: Deck, credibility: int, ending: str) -> None:
    state = new_game(mini, 4)
    while not is_over(state):
        state, _ = apply(state, quiet(state))
        if isinstance(state.pending, InvestDecision) and state.round == mini.info.rounds:
            state, _ = play(
                state,
                AdjustTrack("credibility", credibility, "test"),
                AdjustTrack("escalation", -10, "test"),
                AdjustTrack("cohesion", 10, "test"),
            )
            while not is_over(state):
                state, _ = apply(state, Pass(state.pending.nation))
    outcome = result(state)
    assert outcome.ending == ending and not outcome.defeat
    assert state.round == mini.info.rounds
    scores = {s.nation: s for s in outcome.scores}
    assert scores["DEU"].points == 2 and scores["DEU"].met == ("calm",)
    assert scores["EST"].points == (2 if credibility > 0 else 0)


def test_inject_card_moves_a_copy_to_the_top(mini: Deck) -> None:
    state = new_game(mini, 2)
    pile = sorted(state.draw_pile + state.discard)
    state, _events = apply(state, InjectCard("sabotage"))
    assert state.draw_pile[0] == "sabotage"
    assert sorted(state.draw_pile + state.discard) == pile
    with pytest.raises(IllegalActionError, match='unknown card "nope"'):
        apply(state, InjectCard("nope"))


def test_facilitator_adjustments_need_a_reason_and_are_recorded(mini: Deck) -> None:
    state = new_game(mini, 2)
    with pytest.raises(IllegalActionError, match="needs a reason"):
        apply(state, AdjustTrack("cohesion", 1, " "))
    with pytest.raises(IllegalActionError, match='unknown track "cohesian"'):
        apply(state, AdjustTrack("cohesian", 1, "typo"))
    with pytest.raises(IllegalActionError, match='unknown stat "morale"'):
        apply(state, AdjustStat("POL", "morale", 1, "why"))
    after, events = apply(state, AdjustTrack("cohesion", 2, "a rousing speech"))
    assert events == [TrackMoved("cohesion", 6, 8, Cause(CauseKind.FACILITATOR, reason="a rousing speech"))]
    assert after.pending == state.pending and after.turn == state.turn + 1
    after, events = apply(after, AddNote("Room split on the shoot-down."))
    assert events == [NoteAdded("Room split on the shoot-down.")]


def test_illegal_actions_say_why_and_change_nothing(mini: Deck) -> None:
    state = at_card(mini, "jets")
    copy = attrs.evolve(state)
    cases: list[tuple[Action, str]] = [
        (ChooseResponse("POL", "escort"), "it is EST's decision, not POL's"),
        (ChooseResponse("EST", "nuke"), 'card "jets" has no response "nuke"'),
        (TakePosition("EST", "support"), "no consultation is open"),
        (Pass("EST"), "not the investment phase"),
    ]
    for action, reason in cases:
        with pytest.raises(IllegalActionError) as error:
            apply(state, action)
        assert reason in str(error.value) and repr(action) in str(error.value)
    assert state == copy


def test_values_are_clamped(mini: Deck) -> None:
    state, events = apply(new_game(mini, 1), AdjustTrack("credibility", 50, "test"))
    assert state.tracks["credibility"] == 10
    state, events = apply(state, AdjustTrack("credibility", 1, "test"))
    assert events == [] and state.tracks["credibility"] == 10


def test_the_card_in_play_is_discarded_after_resolution(mini: Deck) -> None:
    state = at_card(mini, "jets")
    state, _ = apply(state, ChooseResponse("EST", "ignore"))
    assert "jets" in state.discard and state.card is None
    assert state.draw_pile.count("jets") + state.discard.count("jets") == 1


def test_inject_card_takes_from_the_discard_pile_first_and_refuses_a_card_in_play(mini: Deck) -> None:
    state = at_card(mini, "jets")
    with pytest.raises(IllegalActionError, match='every copy of "jets" is in play'):
        apply(state, InjectCard("jets"))
    state, _ = apply(state, ChooseResponse("EST", "ignore"))
    assert "jets" in state.discard
    pile = state.draw_pile
    state, _ = apply(state, InjectCard("jets"))
    assert state.draw_pile == ("jets", *pile) and "jets" not in state.discard


def test_start_game_tells_what_the_set_up_did(mini: Deck) -> None:
    from wargame.engine import start_game

    state, events = start_game(mini, 6)
    assert state == new_game(mini, 6)
    assert events[0] == RoundStarted(1)
    assert [e.nation for e in events if isinstance(e, StatMoved) and e.cause == INCOME] == [
        "POL",
        "EST",
        "DEU",
    ]
    assert CardDrawn(state.card, state.target) in events


def test_a_free_response_stays_legal_in_debt(mini: Deck) -> None:
    """A deck may let the treasury go below zero; a free response must still be there to take."""
    indebted = attrs.evolve(
        mini, stats={**mini.stats, "treasury": attrs.evolve(mini.stats["treasury"], min=-20)}
    )
    state = at_card(indebted, "jets")
    state, _ = apply(state, AdjustStat("EST", "treasury", -30, "test: debt"))
    assert state.stats["EST"]["treasury"] == -20
    assert legal_actions(state) == [ChooseResponse("EST", "ignore")]
