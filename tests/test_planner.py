"""The planning AI (`wargame.ai.planner`): its futures are sampled from the seat's view, it is
deterministic for a state and seed, it plays differently from the scripted AI, and its controller
(`ai:<persona>:planner[:N]`) is read, written, saved and played by the lab.

The hidden-information property over generated states is in test_views.py.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import wargame.ai.planner
from tests.helpers import MINI, RED, play
from wargame.ai import choose, scripted
from wargame.ai.adversary import appraise_plays
from wargame.ai.planner import (
    ROLLOUTS,
    default_rollouts,
    plan,
    planner_seed,
    sample_world,
    shortlist,
    values,
    worth,
)
from wargame.cli import main
from wargame.engine import apply, is_over, legal_actions, new_game, result
from wargame.engine.views import view
from wargame.lab import game_seed
from wargame.model import (
    HIDDEN,
    AdjustTrack,
    ControllerError,
    Deck,
    GameState,
    Human,
    InjectCard,
    Planner,
    PlayCard,
    Scripted,
    parse_controller,
    with_rollouts,
)
from wargame.storage.saves import load_game, make_save, write_save

RED_SEAT = "moscow"


def at_sabotage(deck: Deck, cohesion: int = 4, seed: int = 1) -> GameState:
    """red.toml's sabotage card played at Poland, its truth drawn and hidden from the nations."""
    state = new_game(deck, seed, {"POL": "ai:hawk:planner"})
    state, _ = play(state, InjectCard("sabotage"), PlayCard(RED_SEAT, "sabotage", "POL"))
    state, _ = apply(state, AdjustTrack("cohesion", cohesion - state.tracks["cohesion"], "a test"))
    assert not state.incidents[-1].is_revealed
    return state


def hidden_twins(state: GameState, seat: str) -> list[GameState]:
    """The state and two others that differ from it only in what the nation `seat` cannot see: the
    adversary's hand and the draw pile dealt again, every unrevealed truth another declared one, the
    dice."""
    unseen = state.hand + state.draw_pile
    twins = [state]
    for number in (1, 2):
        dealt = unseen[::-1] if number == 1 else unseen[number:] + unseen[:number]
        incidents = tuple(
            incident
            if incident.is_revealed
            else attrs.evolve(incident, truth=_another(state.deck, incident.card, incident.truth, number))
            for incident in state.incidents
        )
        twin = attrs.evolve(
            state,
            hand=dealt[: len(state.hand)],
            draw_pile=dealt[len(state.hand) :],
            incidents=incidents,
            rng=state.rng + number,
        )
        assert twin != state and view(twin, seat) == view(state, seat)
        twins.append(twin)
    return twins


def _another(deck: Deck, card: str, truth: str | None, number: int) -> str:
    truths = list(deck.card(card).attribution)
    return truths[(truths.index(truth or "") + number) % len(truths)]


def bundled_at(deck: Deck, seat: str, decisions: int) -> GameState:
    """The bundled deck after `decisions` of the seat's own, at its next decision with a choice."""
    state = new_game(deck, 2)
    while True:
        decision = state.pending
        assert decision is not None, "the game ended first"
        if decision.seat == seat and len(legal_actions(state)) > 1:
            if decisions == 0:
                return state
            decisions -= 1
        state, _ = apply(state, scripted(state, decision.seat))


# --- what it may know ----------------------------------------------------------------------------------


def test_the_planner_gives_the_same_answer_whatever_its_seat_cannot_see(red: Deck, bundled: Deck) -> None:
    for state in (at_sabotage(red, 2), at_sabotage(red, 5), bundled_at(bundled, "POL", 6)):
        twins = hidden_twins(state, "POL")
        options = legal_actions(state)
        # Not only the same choice: the same worth for every option, to the last bit.
        worths = [values(twin, "POL", options, 6, 5) for twin in twins]
        assert worths[0] == worths[1] == worths[2]
        assert len({plan(twin, "POL", 6, 5) for twin in twins}) == 1


def test_the_same_check_fails_when_the_planner_reads_the_state(
    bundled: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With its futures built from the state rather than Poland's view, the planner's worths follow the
    hidden hand, draw order and truths: the check above would fail."""
    state = bundled_at(bundled, "POL", 6)
    options = legal_actions(state)
    monkeypatch.setattr(wargame.ai.planner, "view", lambda state, seat: state)
    worths = [values(twin, "POL", options, 6, 5) for twin in hidden_twins(state, "POL")]
    assert len({tuple(worth) for worth in worths}) > 1


def test_a_sampled_world_keeps_what_the_seat_sees_and_deals_what_it_does_not(red: Deck) -> None:
    state = at_sabotage(red)
    seen = view(state, "POL")
    truths = Counter()
    for rollout in range(40):
        world = sample_world(state, "POL", 9, rollout)
        # The cards are conserved, the hand keeps its size, the public values are the state's.
        assert sorted(world.hand + world.draw_pile) == sorted(state.hand + state.draw_pile)
        assert len(world.hand) == len(state.hand) and HIDDEN not in world.hand
        assert (world.tracks, world.stats, world.pending, world.discard) == (
            state.tracks,
            state.stats,
            state.pending,
            state.discard,
        )
        assert view(world, "POL") == attrs.evolve(seen, controllers=world.controllers)
        truths[world.incidents[-1].truth] += 1
    # Truths come from the card's declared weights (state 50, proxy 30, accident 20), not the state's.
    assert set(truths) == {"state", "proxy", "accident"} and truths["state"] > truths["accident"]
    # A planner plays its futures as the scripted AI of its persona: no future plans in turn.
    assert world.controllers["POL"] == Scripted("hawk")


def test_sealed_votes_are_sampled_as_the_voters_ai_would_cast_them(red: Deck) -> None:
    state = new_game(red, 1)
    state, _ = play(state, InjectCard("rules"), PlayCard(RED_SEAT, "rules", None))
    for vote in ("unify", "defer"):
        cast, _ = apply(state, legal_actions(state)[0 if vote == "unify" else 1])
        world = sample_world(cast, "EST", 3, 0)
        # Estonia cannot see Poland's vote: the world holds the vote Poland's AI would cast.
        assert world.pending.votes == (("POL", scripted(state, "POL").response),)
        assert view(world, "EST") == attrs.evolve(view(cast, "EST"), controllers=world.controllers)


def test_the_adversary_samples_only_the_draw_order(red: Deck) -> None:
    state = new_game(red, 2)
    world = sample_world(state, RED_SEAT, 1, 0)
    assert world.hand == state.hand and world.incidents == state.incidents
    assert sorted(world.draw_pile) == sorted(state.draw_pile) and world.draw_pile != state.draw_pile


# --- how it decides ------------------------------------------------------------------------------------


def test_the_planner_is_deterministic_for_a_state_and_a_seed(bundled: Deck) -> None:
    state = bundled_at(bundled, "POL", 6)
    options = legal_actions(state)
    assert values(state, "POL", options, 6, 11) == values(state, "POL", options, 6, 11)
    assert plan(state, "POL", 6, 11) == plan(state, "POL", 6, 11)
    # The seed matters: other futures, other worths.
    assert values(state, "POL", options, 6, 11) != values(state, "POL", options, 6, 12)


def test_a_game_of_planners_replays_with_the_same_choices(red: Deck) -> None:
    controllers = {"POL": "ai:hawk:planner:3", "EST": "ai:dove:planner:3", RED_SEAT: "ai:prober:planner:3"}

    def game() -> list[object]:
        state, chosen = new_game(red, 8, controllers), []
        while not is_over(state):
            action = choose(state, state.pending.seat)
            chosen.append(action)
            state, _ = apply(state, action)
        return chosen

    assert game() == game()


def test_the_planner_plays_differently_from_the_scripted_ai(red: Deck) -> None:
    """On red.toml, a hawkish Poland that plans parts from its scripted persona at some decisions of a
    game: the look-ahead changes choices (and not at every decision: often the persona is right)."""
    state = new_game(red, 3, {"POL": "ai:hawk:planner:6"})
    same = differ = 0
    while not is_over(state):
        seat = state.pending.seat
        action = choose(state, seat)
        if seat == "POL" and len(legal_actions(state)) > 1:
            if action == scripted(state, seat):
                same += 1
            else:
                differ += 1
        state, _ = apply(state, action)
    assert differ >= 1 and same >= 1, (same, differ)


def test_choose_plans_for_a_planner_seat_and_a_forced_choice_needs_no_future(red: Deck) -> None:
    state = at_sabotage(red, 3)
    expected = plan(state, "POL", ROLLOUTS, planner_seed(state, "POL"))
    assert choose(state, "POL") == expected
    counted = attrs.evolve(state, controllers={**state.controllers, "POL": Planner("hawk", 4)})
    assert choose(counted, "POL") == plan(state, "POL", 4, planner_seed(state, "POL"))
    with pytest.raises(ValueError, match="not EST's decision"):
        plan(state, "EST")


def test_a_decision_with_one_option_needs_no_future(red: Deck, monkeypatch: pytest.MonkeyPatch) -> None:
    # The facilitator injected an alliance card: the adversary has one play.
    state, _ = apply(new_game(red, 1), InjectCard("rules"))
    assert legal_actions(state) == [PlayCard(RED_SEAT, "rules", None)]
    monkeypatch.setattr(wargame.ai.planner, "values", None)  # a future would fail to be played
    assert plan(state, state.pending.seat) == legal_actions(state)[0]


def test_what_a_future_is_worth(red: Deck) -> None:
    state = new_game(red, 5, {"POL": "ai:dove:planner"})
    while not is_over(state):
        state, _ = apply(state, scripted(state, state.pending.seat))
    ending = red.ending(state.ending or "")
    from wargame.engine.scoring import adversary_score, score

    survival = 0.0 if ending.kind == "defeat" else red.personas["dove"].risk_aversion
    points = 0 if ending.kind == "defeat" else score(state, "POL").points
    assert worth(state, "POL") == points + survival
    red_score = adversary_score(state)
    assert red_score is not None and worth(state, RED_SEAT) == red_score.points


# --- the controller ------------------------------------------------------------------------------------


def test_planner_controllers_are_read_and_written_back() -> None:
    for text, controller in [
        ("ai:hawk:planner", Planner("hawk")),
        ("ai:hawk:planner:24", Planner("hawk", 24)),
        ("ai:hawk", Scripted("hawk")),
    ]:
        assert parse_controller(text) == controller and str(controller) == text
    assert Planner("hawk") != Scripted("hawk")
    for bad in ("ai:hawk:planner:0", "ai:hawk:planner:", "ai:hawk:planners", "ai::planner", "ai:x:planner:²"):
        with pytest.raises(ControllerError, match="planner"):
            parse_controller(bad)
    given = {"POL": Planner("hawk"), "EST": Planner("dove", 5), "DEU": Human()}
    assert with_rollouts(given, 7) == {"POL": Planner("hawk", 7), "EST": Planner("dove", 5), "DEU": Human()}
    assert with_rollouts(given, None) == given


def test_a_game_with_a_planner_is_saved_and_read_back(red: Deck, tmp_path: Path) -> None:
    controllers = {"POL": "ai:hawk:planner:2", RED_SEAT: "ai:prober:planner", "EST": "human"}
    state = new_game(red, 4, controllers)
    actions = []
    for _ in range(6):
        action = choose(state, state.pending.seat)
        actions.append(action)
        state, _ = apply(state, action)
    path = tmp_path / "game.toml"
    write_save(path, make_save(RED, red, state, actions))
    assert 'POL = "ai:hawk:planner:2"' in path.read_text("utf-8")
    save, loaded = load_game(path)
    assert save.controllers["POL"] == Planner("hawk", 2) and save.controllers[RED_SEAT] == Planner("prober")
    assert loaded == state


def test_an_unknown_persona_is_refused_for_a_planner(red: Deck) -> None:
    from wargame.engine import SetupError

    with pytest.raises(SetupError, match="ai:owl:planner"):
        new_game(red, 1, {"POL": "ai:owl:planner"})


def test_simulate_plays_planner_controllers(tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    run = CliRunner().invoke(
        main,
        [
            "simulate",
            str(RED),
            "--games",
            "20",
            "--jobs",
            "1",
            "--controllers",
            "POL=ai:hawk:planner",
            "--adversary",
            "ai:prober:planner:2",
            "--planner-rollouts",
            "2",
            "--json",
            str(out),
        ],
    )
    assert run.exit_code == 0, run.output
    assert json.loads(out.read_text("utf-8"))["games"] == 20
    scripted_run = CliRunner().invoke(main, ["simulate", str(RED), "--games", "20", "--jobs", "1"])
    # The planners play other games than the scripted AI.
    assert run.output.split("\n", 1)[1] != scripted_run.output.split("\n", 1)[1]


def test_simulate_refuses_a_malformed_planner(tmp_path: Path) -> None:
    for args, message in [
        (["--controllers", "POL=ai:hawk:planner:0"], "NATION=ai:PERSONA:planner"),
        (["--controllers", "POL=ai:owl:planner"], "ai:owl:planner"),
        (["--planner-rollouts", "0"], "--planner-rollouts"),
        (["--adversary", "ai:hawk:planner"], "ai:PERSONA:planner"),
    ]:
        run = CliRunner().invoke(
            main, ["simulate", str(MINI if "owl" in str(args) else RED), "-n", "1", *args]
        )
        assert run.exit_code == 2 and message in run.output, run.output
        assert "Traceback" not in run.output


def test_simulates_json_has_the_planners_mean_scores(red: Deck, tmp_path: Path) -> None:
    """The issue's done-when, small: `simulate --controllers POL=ai:hawk:planner --json F` gives
    `scores` (seat → mean) and `survival`, the means of the very games the planners play."""
    out = tmp_path / "run.json"
    controllers = {"POL": "ai:hawk:planner:2", RED_SEAT: "ai:prober:planner:2"}
    args = ["simulate", str(RED), "--games", "6", "--jobs", "1", "--json", str(out)]
    run = CliRunner().invoke(
        main, [*args, "-c", "POL=ai:hawk:planner:2", "--adversary", "ai:prober:planner:2"]
    )
    assert run.exit_code == 0, run.output
    found = json.loads(out.read_text("utf-8"))
    points: dict[str, list[int]] = {}
    survived = []
    for index in range(found["games"]):
        state = new_game(red, game_seed(found["seed"], index), controllers)
        while not is_over(state):
            state, _ = apply(state, choose(state, state.pending.seat))
        ended = result(state)
        for nation_score in ended.scores:
            points.setdefault(nation_score.nation, []).append(nation_score.points)
        assert ended.adversary is not None
        points.setdefault(RED_SEAT, []).append(ended.adversary.points)
        survived.append(not ended.defeat)
    assert found["scores"] == pytest.approx({seat: sum(p) / len(p) for seat, p in points.items()})
    assert found["survival"] == pytest.approx(sum(survived) / len(survived))


def test_the_adversary_plans_over_each_card_once_at_its_personas_target(bundled: Deck) -> None:
    state = new_game(bundled, 4, {"moscow": "ai:prober:planner"})
    while state.pending is not None and state.pending.seat != "moscow":
        state, _ = apply(state, scripted(state, state.pending.seat))
    options = legal_actions(state)
    kept = shortlist(state, "moscow", options)
    cards = [option.card for option in options if isinstance(option, PlayCard)]
    assert len(options) > len(set(cards)), "a card with several targets, to choose among"
    # Each card once, in the legal order, at its best target by the persona (the scripted AI's play
    # among them): the appraisal's value is the highest of the card's plays.
    assert [o.card for o in kept if isinstance(o, PlayCard)] == list(dict.fromkeys(cards))
    assert scripted(state, "moscow") in kept
    worth_of = {a.action: a.value for a in appraise_plays(state, "moscow")}
    for option in kept:
        assert isinstance(option, PlayCard)
        same_card = [o for o in options if isinstance(o, PlayCard) and o.card == option.card]
        assert worth_of[option] == max(worth_of[o] for o in same_card)
    # The planner takes one of them, over 8 futures by default (12 for a nation).
    assert default_rollouts(state, "moscow") == 8 and default_rollouts(state, "POL") == ROLLOUTS
    assert choose(state, "moscow") == plan(state, "moscow", 8, planner_seed(state, "moscow"))
    assert choose(state, "moscow") in kept
