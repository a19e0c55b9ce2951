"""The consensus council (`[council] kind = "consensus"`): the chair proposes one of an alliance
card's responses, each other nation accepts or objects, and one objection deadlocks the council (the
deck's deadlock effects, then its fallback response)."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from tests.helpers import DECKS, MINI, at_card, play, random_play
from wargame.ai import choose
from wargame.cli import main
from wargame.engine import IllegalActionError, apply, is_over, legal_actions, new_game
from wargame.engine.legality import RefusalCode
from wargame.engine.views import event_view, is_secret_in_play, view
from wargame.lab.chronicle import tell
from wargame.lab.tally import Tally
from wargame.model import (
    HIDDEN,
    ChooseResponse,
    Deck,
    GameState,
    Object,
    ProposalDecision,
    RespondDecision,
    TakePosition,
)
from wargame.model.events import CouncilConcluded, ProposalAnswered, ProposalMade, VoteCast
from wargame.session.choices import choices, decision_title
from wargame.session.describe import event_lines
from wargame.storage import check_deck_text, load_deck
from wargame.storage.saves import load_game, make_save, read_save, write_save

COUNCIL = DECKS / "council.toml"
COUNCIL_TEXT = COUNCIL.read_text("utf-8")


@functools.cache
def consensus() -> Deck:
    return load_deck(COUNCIL)


def sealed() -> Deck:
    deck = consensus()
    return attrs.evolve(deck, info=attrs.evolve(deck.info, sealed_votes=True))


def proposed(deck: Deck, card: str, response: str) -> GameState:
    """The state after the chair proposed `response` to the alliance card `card`."""
    state = at_card(deck, card)
    assert state.pending == RespondDecision(card, None, "POL")
    after, _ = apply(state, ChooseResponse("POL", response))
    return after


# --- the deck format --------------------------------------------------------------------------------


def test_a_consensus_council_with_no_fallback_is_refused_with_file_line_and_path(tmp_path: Path) -> None:
    text = COUNCIL_TEXT.replace('fallback = "defer"\n', "")
    line = text.splitlines().index('kind = "consensus"') + 1
    problems = [p for p in check_deck_text(text, "bad.toml") if "warning" not in p.message]
    assert [(p.path, p.line) for p in problems] == [("council.kind", line)]
    path = tmp_path / "bad.toml"
    path.write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["deck", "check", str(path)])
    assert result.exit_code == 1
    assert (
        f'{path}:{line}: council.kind: a consensus council with no fallback: add fallback = "<response id>",'
        " the response a deadlocked council resolves (every alliance card must have it)"
    ) in result.stdout.splitlines()


def test_an_unknown_fallback_is_refused_with_did_you_mean() -> None:
    text = COUNCIL_TEXT.replace('fallback = "defer"', 'fallback = "defre"')
    line = text.splitlines().index('fallback = "defre"') + 1
    problems = [p for p in check_deck_text(text, "bad.toml") if "warning" not in p.message]
    assert [(p.path, p.line) for p in problems] == [("council.fallback", line)] * 2
    assert '(did you mean "defer"?)' in problems[0].message
    assert 'alliance card "rules"' in problems[0].message


def test_an_unknown_kind_and_a_bad_deadlock_are_refused() -> None:
    text = COUNCIL_TEXT.replace('kind = "consensus"', 'kind = "consent"')
    assert any(p.path == "council.kind" for p in check_deck_text(text, "bad.toml"))
    text = COUNCIL_TEXT.replace(
        "deadlock = { tracks = { cohesion = -1 }", "deadlock = { tracks = { cohesoin = -1 }"
    )
    messages = [p.message for p in check_deck_text(text, "bad.toml") if p.path.startswith("council.deadlock")]
    assert messages and 'did you mean "cohesion"' in messages[0]


def test_decks_without_a_council_table_vote_by_plurality_as_before() -> None:
    mini = load_deck(MINI)
    assert mini.council.kind == "plurality" and not mini.council.is_consensus
    state = at_card(mini, "rules")
    after, events = apply(state, ChooseResponse("POL", "unify"))
    assert after.pending == RespondDecision("rules", None, "EST", (("POL", "unify"),))
    assert events == [VoteCast("rules", "unify", "POL")]


# --- the engine -------------------------------------------------------------------------------------


def test_the_chair_proposes_and_each_other_nation_answers_in_turn_order() -> None:
    state = at_card(consensus(), "patrols")
    after, events = apply(state, ChooseResponse("POL", "deploy"))
    assert events == [ProposalMade("patrols", "deploy", "POL")]
    assert after.pending == ProposalDecision("patrols", "deploy", "POL", "EST")
    assert legal_actions(after) == [Object("EST", False), Object("EST", True)]
    after, _ = apply(after, Object("EST", False))
    assert after.pending == ProposalDecision("patrols", "deploy", "POL", "DEU", (("EST", "accept"),))


def test_no_objection_adopts_and_resolves_the_proposal() -> None:
    before = proposed(consensus(), "patrols", "deploy")
    state, events = play(before, Object("EST", False), Object("DEU", False))
    assert CouncilConcluded("patrols", "deploy", (), "deploy") in events
    # deploy: credibility +2, escalation +2; no deadlock.
    assert state.tracks["credibility"] == before.tracks["credibility"] + 2
    assert state.tracks["escalation"] == before.tracks["escalation"] + 2
    assert state.tracks["cohesion"] == before.tracks["cohesion"]
    assert "patrols" in state.discard


def test_one_objection_deadlocks_the_council_with_its_effects_and_the_fallback() -> None:
    before = proposed(consensus(), "patrols", "deploy")
    state, events = play(before, Object("EST", False), Object("DEU", True))
    concluded = [e for e in events if isinstance(e, CouncilConcluded)]
    assert concluded == [CouncilConcluded("patrols", "deploy", ("DEU",), "defer")]
    assert not concluded[0].adopted
    # The deck's deadlock: cohesion -1; the fallback "defer" on patrols does nothing.
    assert state.tracks["cohesion"] == before.tracks["cohesion"] - 1
    assert state.tracks["credibility"] == before.tracks["credibility"]
    assert state.tracks["escalation"] == before.tracks["escalation"]
    assert "patrols" in state.discard


def test_objecting_is_refused_at_any_other_moment_and_so_is_a_second_proposal() -> None:
    state = at_card(consensus(), "patrols")
    with pytest.raises(IllegalActionError) as caught:
        apply(state, Object("POL", True))
    assert caught.value.reason.code is RefusalCode.NO_PROPOSAL
    assert str(caught.value.reason) == "no proposal of the council's chair is waiting for answers"
    after = proposed(consensus(), "patrols", "deploy")
    with pytest.raises(IllegalActionError) as caught:
        apply(after, Object("DEU", True))
    assert caught.value.reason.code is RefusalCode.NOT_YOUR_DECISION
    with pytest.raises(IllegalActionError):
        apply(after, ChooseResponse("EST", "defer"))
    with pytest.raises(IllegalActionError) as caught:
        apply(after, TakePosition("EST", "support"))
    assert caught.value.reason.code is RefusalCode.NO_CONSULTATION


# --- sealed votes -----------------------------------------------------------------------------------


def test_sealed_objections_are_hidden_from_the_other_nations_until_all_have_answered() -> None:
    state = proposed(sealed(), "patrols", "deploy")
    state, events = apply(state, Object("EST", True))
    assert state.pending == ProposalDecision("patrols", "deploy", "POL", "DEU", (("EST", "object"),))
    seen = view(state, "DEU").pending
    assert isinstance(seen, ProposalDecision) and seen.answers == (("EST", HIDDEN),)
    own = view(state, "EST").pending
    assert isinstance(own, ProposalDecision) and own.answers == (("EST", "object"),)
    assert view(state, "facilitator").pending == state.pending
    assert is_secret_in_play(state, "DEU") and not is_secret_in_play(state, "EST")
    answered = ProposalAnswered("patrols", "EST", "object")
    assert events == [answered]
    assert event_view(answered, "DEU", sealed()) == ProposalAnswered("patrols", "EST", HIDDEN)
    assert event_view(answered, "DEU", consensus()) == answered
    assert event_lines(sealed(), events, "DEU") == ["  Estonia answers (sealed)"]
    # Once every nation has answered, the result names the objectors.
    _, events = apply(state, Object("DEU", False))
    assert CouncilConcluded("patrols", "deploy", ("EST",), "defer") in events


def test_the_ai_decides_the_same_whatever_the_sealed_answers_it_cannot_see() -> None:
    state = proposed(sealed(), "patrols", "deploy")
    after_accept, _ = apply(state, Object("EST", False))
    after_object, _ = apply(state, Object("EST", True))
    assert choose(after_accept, "DEU") == choose(after_object, "DEU")


# --- the AI -----------------------------------------------------------------------------------------


def test_the_ai_objects_when_the_proposal_costs_it_more_than_the_deadlock() -> None:
    # The hawk chair proposes forward patrols (credibility +2, escalation +2).
    state = at_card(consensus(), "patrols")
    assert choose(state, "POL") == ChooseResponse("POL", "deploy")
    state = proposed(consensus(), "patrols", "deploy")
    # A hawk Estonia gains by it and accepts; the dove Germany fears escalation more than it minds
    # the deadlock's cohesion -1 and objects.
    assert choose(state, "EST") == Object("EST", False)
    state, _ = apply(state, Object("EST", False))
    assert choose(state, "DEU") == Object("DEU", True)
    # A proposal that costs nobody anything is accepted by all: unify the rules of engagement.
    state = proposed(consensus(), "rules", "unify")
    assert choose(state, "EST") == Object("EST", False)
    state, _ = apply(state, Object("EST", False))
    assert choose(state, "DEU") == Object("DEU", False)


def test_ai_games_on_the_consensus_deck_adopt_and_deadlock() -> None:
    adopted: set[bool] = set()
    for seed in range(20):
        state = new_game(consensus(), seed)
        while not is_over(state):
            decision = state.pending
            assert decision is not None
            state, events = apply(state, choose(state, decision.seat))
            adopted |= {e.adopted for e in events if isinstance(e, CouncilConcluded)}
    assert adopted == {True, False}


# --- saves, the session and the report --------------------------------------------------------------


def test_a_save_with_objections_round_trips_and_replays(tmp_path: Path) -> None:
    deck = consensus()
    for seed in range(40):
        states, actions = random_play(deck, seed, controllers={"POL": "human"})
        if any(isinstance(action, Object) and action.objects for action in actions):
            break
    else:
        raise AssertionError("no random game objected")
    path = tmp_path / "game.toml"
    save = make_save(COUNCIL, deck, states[-1], actions)
    write_save(path, save)
    written = tomllib.loads(path.read_text("utf-8"))["actions"]
    assert any(a["type"] == "object" and a["objects"] is True for a in written)
    assert read_save(path) == save
    loaded, state = load_game(path)
    assert state == states[-1]
    write_save(tmp_path / "again.toml", loaded)
    assert (tmp_path / "again.toml").read_bytes() == path.read_bytes()


def test_the_session_shows_the_proposal_and_two_answers_and_the_log_names_them() -> None:
    state = at_card(consensus(), "patrols")
    assert decision_title(state) == (
        "Poland chairs the alliance council: propose a response (one objection deadlocks it)"
    )
    after = proposed(consensus(), "patrols", "deploy")
    assert decision_title(after) == (
        "Estonia accepts or objects to Poland's proposal “Deploy forward patrols” (0 of 2 answered)"
    )
    options = choices(after)
    assert [(o.action, o.enabled) for o in options] == [
        (Object("EST", False), True),
        (Object("EST", True), True),
    ]
    assert options[1].facts == ["falls back to “Defer”"]
    _, events = play(after, Object("EST", False), Object("DEU", True))
    lines = event_lines(consensus(), events)
    assert "  Germany objects" in lines
    assert "The council deadlocks (Germany objected): it falls back to “Defer”" in lines


def test_the_chronicle_names_proposals_objections_and_deadlocks() -> None:
    deck = consensus()
    for seed in range(40):
        _, actions = random_play(deck, seed, controllers={"POL": "human"})
        if any(isinstance(action, Object) and action.objects for action in actions):
            break
    told = tell(deck, seed, {"POL": "human"}, actions)
    texts = [entry.text for entry in told.entries]
    assert any(text.startswith("Poland") and "proposed" in text for text in texts), texts
    assert any(text.endswith("objected") for text in texts), texts
    assert any(text.startswith("The council deadlocked (") for text in texts), texts
    assert any(d.text.startswith("objected to the proposal on") for d in told.decisions)


def test_the_lab_counts_councils_adopted_and_deadlocked_only_under_consensus() -> None:
    tally = Tally()
    for seed in range(10):
        tally.play(consensus(), seed, {})
    assert set(tally.councils) == {"adopted", "deadlocked"}
    result = CliRunner().invoke(main, ["simulate", str(COUNCIL), "--games", "20"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[lines.index("Councils (consensus)") + 1].startswith("  held ")
    plain = CliRunner().invoke(main, ["simulate", str(MINI), "--games", "20"])
    # A plurality council cannot deadlock: its councils are all decided by the most votes.
    assert "Councils (plurality)" in plain.output.splitlines()
    assert "deadlocked" not in plain.output


def test_the_chair_sees_which_response_is_the_fallback() -> None:
    from wargame.session.choices import choices
    from wargame.storage import load_deck

    deck = load_deck(DECKS / "council.toml")
    alliance = next(card for card in deck.cards if card.targets == ("alliance",))
    state = at_card(deck, alliance.id)
    marked = [c.title for c in choices(state) if "the fallback if the council deadlocks" in c.facts]
    pending = state.pending
    assert isinstance(pending, RespondDecision) and deck.council.fallback is not None
    fallback = deck.card(pending.card).response(deck.council.fallback)
    assert marked == [fallback.label]
