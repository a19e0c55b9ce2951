"""Follow-up Article 4: after its own response to a card with `article4_after`, the target nation may
also request consultations (Poland shot the drones down *and* invoked Article 4)."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import (
    DECKS,
    MINI,
    advance,
    at_card,
    play,
    quiet,
    random_play,
    red_deck_with,
    with_next_card,
)
from wargame.ai import choose
from wargame.cli import main
from wargame.engine import IllegalActionError, apply, is_over, legal_actions, new_game
from wargame.engine.legality import RefusalCode
from wargame.lab.chronicle import tell
from wargame.model import (
    ChooseResponse,
    Deck,
    FollowUpDecision,
    GameState,
    InjectCard,
    InvestDecision,
    Pass,
    PlayCard,
    PlayDecision,
    PositionDecision,
    RequestConsultation,
    RespondDecision,
    TakePosition,
)
from wargame.model.events import ConsultationOpened, ConsultationRequested, ConsultationResolved
from wargame.session.choices import choices, decision_title
from wargame.session.describe import event_line
from wargame.storage import check_deck_text, load_deck
from wargame.storage.saves import load_game, make_save, read_save, write_save

FOLLOW_UP = DECKS / "follow-up.toml"
FOLLOW_UP_TEXT = FOLLOW_UP.read_text("utf-8")


@functools.cache
def flagged() -> Deck:
    return load_deck(FOLLOW_UP)


@functools.cache
def mini() -> Deck:
    return load_deck(MINI)


def answered(deck: Deck, card: str, response: str, seed: int = 1) -> tuple[RespondDecision, GameState]:
    """The decision at `card` and the state after its target chose `response`."""
    state = at_card(deck, card, seed)
    decision = state.pending
    assert isinstance(decision, RespondDecision)
    after, _ = apply(state, ChooseResponse(decision.nation, response))
    return decision, after


# --- the deck format --------------------------------------------------------------------------------


def test_the_flag_is_refused_on_an_alliance_card_with_file_line_and_path(tmp_path: Path) -> None:
    text = FOLLOW_UP_TEXT.replace('target = "alliance"\n', 'target = "alliance"\narticle4_after = true\n')
    assert text != FOLLOW_UP_TEXT
    line = text.splitlines().index('target = "alliance"') + 2  # the flag's own line
    problems = [p for p in check_deck_text(text, "bad.toml") if "warning" not in p.message]
    assert [(p.path, p.line) for p in problems] == [("cards[3].article4_after", line)]
    path = tmp_path / "bad.toml"
    path.write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["deck", "check", str(path)])
    assert result.exit_code == 1
    assert (
        f"{path}:{line}: cards[3].article4_after: an alliance card has no target nation to request"
        " consultations after its response: article4_after is only for cards aimed at a nation"
    ) in result.stdout.splitlines()


def test_the_flag_must_be_a_boolean() -> None:
    text = FOLLOW_UP_TEXT.replace("article4_after = true", 'article4_after = "yes"', 1)
    messages = [(p.path, p.message) for p in check_deck_text(text, "bad.toml")]
    assert any(path == "cards[0].article4_after" for path, _ in messages), messages


def test_the_fixture_deck_is_valid_and_flags_its_two_nation_cards() -> None:
    assert [card.id for card in flagged().cards if card.article4_after] == ["drones", "jets"]
    assert not any(card.article4_after for card in mini().cards)


# --- the engine -------------------------------------------------------------------------------------


def test_the_decision_follows_the_flagged_cards_own_response() -> None:
    _, after = answered(flagged(), "jets", "escort")
    assert after.pending == FollowUpDecision("jets", "EST")
    assert legal_actions(after) == [RequestConsultation("EST", True), RequestConsultation("EST", False)]
    assert after.card == "jets"  # the card stays in play until the second decision


def test_no_decision_without_the_flag_or_when_the_response_opened_consultations() -> None:
    _, plain = answered(mini(), "jets", "escort")
    assert not isinstance(plain.pending, FollowUpDecision)
    assert plain.card != "jets"
    _, invoked = answered(flagged(), "drones", "article-4")
    assert isinstance(invoked.pending, PositionDecision)
    # The consultation it opened resolves and the game moves on: no second request.
    state = invoked
    while isinstance(state.pending, PositionDecision):
        state, _ = apply(state, TakePosition(state.pending.nation, "abstain"))
    assert not isinstance(state.pending, FollowUpDecision)


def test_requesting_opens_consultations_with_their_effects() -> None:
    _, after = answered(flagged(), "jets", "escort")
    credibility, readiness = after.tracks["credibility"], after.stats["EST"]["readiness"]
    state, events = play(after, RequestConsultation("EST", True))
    assert events[:2] == [ConsultationRequested("jets", "EST", True), ConsultationOpened("EST", "jets")]
    assert state.pending == PositionDecision("jets", "EST", "POL")
    state, events = play(state, TakePosition("POL", "support"), TakePosition("DEU", "support"))
    resolved = [e for e in events if isinstance(e, ConsultationResolved)]
    assert [(e.nation, e.result) for e in resolved] == [("EST", "unified")]
    assert state.results == ("unified",) and state.consultations == (after.round,)
    # The deck's unified result: credibility +2, the invoker's readiness +2.
    assert state.tracks["credibility"] == credibility + 2
    assert state.stats["EST"]["readiness"] == readiness + 2


def test_declining_moves_on_to_the_next_card() -> None:
    _, after = answered(flagged(), "jets", "escort")
    state, events = play(after, RequestConsultation("EST", False))
    assert events[0] == ConsultationRequested("jets", "EST", False)
    assert not any(isinstance(e, ConsultationOpened) for e in events)
    assert state.consultations == () and "jets" in state.discard
    assert isinstance(state.pending, RespondDecision | InvestDecision)


def test_the_request_is_refused_at_any_other_moment() -> None:
    state = at_card(flagged(), "jets")
    with pytest.raises(IllegalActionError) as caught:
        apply(state, RequestConsultation("EST", True))
    assert caught.value.reason.code is RefusalCode.NO_FOLLOW_UP
    assert str(caught.value.reason) == "no nation may request consultations now"
    _, after = answered(flagged(), "jets", "escort")
    with pytest.raises(IllegalActionError) as caught:
        apply(after, RequestConsultation("POL", True))
    assert caught.value.reason.code is RefusalCode.NOT_YOUR_DECISION
    with pytest.raises(IllegalActionError) as caught:
        apply(after, TakePosition("EST", "support"))
    assert caught.value.reason.code is RefusalCode.NO_CONSULTATION


# --- the AI -----------------------------------------------------------------------------------------


def test_the_ai_requests_when_it_expects_a_unified_result_and_not_a_split() -> None:
    # Estonia is a hawk; with a dove Germany the others split (1 support, 1 restrain): no request.
    _, after = answered(flagged(), "jets", "escort")
    assert choose(after, "EST") == RequestConsultation("EST", False)
    # With a hawk Germany too, everyone supports: the hawk asks.
    state = new_game(flagged(), 1, {"DEU": "ai:hawk"})
    if state.card != "jets":
        state = with_next_card(state, "jets")
    state = advance(state, lambda s: isinstance(s.pending, RespondDecision) and s.card == "jets", quiet)
    state, _ = apply(state, ChooseResponse("EST", "escort"))
    assert choose(state, "EST") == RequestConsultation("EST", True)


def test_ai_games_on_the_flagged_deck_finish_with_both_decisions() -> None:
    seen: set[bool] = set()
    for seed in range(40):
        state = new_game(flagged(), seed, {"DEU": "ai:pragmatist"})
        while not is_over(state):
            decision = state.pending
            assert decision is not None
            action = choose(state, decision.seat)
            if isinstance(decision, FollowUpDecision):
                assert isinstance(action, RequestConsultation)
                seen.add(action.request)
            state, _ = apply(state, action)
    assert seen == {True, False}


# --- saves, the session and the report ----------------------------------------------------------------


def test_a_save_with_requests_round_trips_and_replays(tmp_path: Path) -> None:
    deck = flagged()
    for seed in range(30):
        states, actions = random_play(deck, seed, 10_000, controllers={"POL": "human"})
        if any(isinstance(action, RequestConsultation) for action in actions):
            break
    else:
        raise AssertionError("no random game requested consultations")
    path = tmp_path / "game.toml"
    save = make_save(FOLLOW_UP, deck, states[-1], actions)
    write_save(path, save)
    written = tomllib.loads(path.read_text("utf-8"))["actions"]
    assert any(a["type"] == "request-consultation" and isinstance(a["request"], bool) for a in written)
    assert read_save(path) == save
    loaded, state = load_game(path)
    assert state == states[-1]
    write_save(tmp_path / "again.toml", loaded)
    assert (tmp_path / "again.toml").read_bytes() == path.read_bytes()


def test_the_session_shows_two_options_and_the_log_names_the_request() -> None:
    _, after = answered(flagged(), "jets", "escort")
    assert decision_title(after) == "Estonia may also request Article 4"
    options = choices(after)
    assert [(o.action, o.enabled) for o in options] == [
        (RequestConsultation("EST", True), True),
        (RequestConsultation("EST", False), True),
    ]
    assert options[0].title == "Request consultations (Article 4)"
    deck = flagged()
    assert event_line(deck, ConsultationRequested("jets", "EST", True)) == (
        "Estonia requests consultations (Article 4)"
    )


def test_the_chronicle_names_the_request() -> None:
    deck = flagged()
    for seed in range(40):
        _, actions = random_play(deck, seed, 10_000, controllers={"POL": "human"})
        requests = [a for a in actions if isinstance(a, RequestConsultation) and a.request]
        if requests:
            break
    told = tell(deck, seed, {"POL": "human"}, actions)
    texts = [entry.text for entry in told.entries]
    name = deck.nation(requests[0].nation).name
    assert any(text.startswith(name) and "requested consultations (Article 4)" in text for text in texts), (
        texts
    )
    assert any(d.kind == "follow-up" for d in told.decisions)


def test_other_actions_are_refused_at_the_follow_up_as_at_any_wrong_moment() -> None:
    _, after = answered(flagged(), "jets", "escort")
    for action, code in (
        (ChooseResponse("EST", "escort"), RefusalCode.NO_CARD_WAITING),
        (Pass("EST"), RefusalCode.NOT_INVESTMENT_PHASE),
    ):
        with pytest.raises(IllegalActionError) as caught:
            apply(after, action)
        assert caught.value.reason.code is code


def test_with_an_adversary_a_request_takes_the_nation_out_of_let_go() -> None:
    deck = red_deck_with(('target = ["EST", "POL"]\n', 'target = ["EST", "POL"]\narticle4_after = true\n'))
    red = deck.adversary
    assert red is not None
    state = new_game(deck, 4)
    state = advance(state, lambda s: isinstance(s.pending, PlayDecision), quiet)
    state, _ = apply(state, InjectCard("jets"))
    state, _ = play(state, PlayCard(red.id, "jets", "EST"), ChooseResponse("EST", "ignore"))
    assert state.pending == FollowUpDecision("jets", "EST")
    assert "EST" in state.let_go  # a response that lets the card go...
    requested, _ = apply(state, RequestConsultation("EST", True))
    assert "EST" not in requested.let_go  # ...but talks after all
    declined, _ = apply(state, RequestConsultation("EST", False))
    assert "EST" in declined.let_go
