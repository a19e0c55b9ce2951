"""The adversary of rules v2 in the terminal UI: words for its events, a red-cell team's hand-over and
hand, the AI adversary's plays, what the nations' screens never show, who plays Moscow on the start
screen, and the facilitator playing, vetoing and injecting the adversary's card."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot

from tests.helpers import RED, record_notices, red_session, screen_text, settle, waiting_for_a_key
from wargame import ai
from wargame.engine.views import FACILITATOR
from wargame.model import (
    HIDDEN,
    ChooseResponse,
    Condition,
    Effect,
    Incident,
    InjectCard,
    Pass,
    PlayCard,
    PlayDecision,
    RespondDecision,
    Scripted,
    VetoCard,
)
from wargame.model.events import (
    AdversaryStatMoved,
    AttributionRevealed,
    CardInjected,
    CardPlayed,
    CardVetoed,
    Cause,
    CauseKind,
    ClaimProved,
    HandFilled,
    TrackMoved,
    VoteCast,
    VotesRevealed,
)
from wargame.session import Session
from wargame.session.describe import (
    PUBLIC,
    attribution_facts,
    attribution_text,
    condition_text,
    effect_text,
    event_lines,
    price_text,
    targets_text,
    truth_text,
)
from wargame.storage import load_deck
from wargame.tui.app import WargameApp
from wargame.tui.screens.consultation import ConsultationScreen
from wargame.tui.screens.ending import EndingScreen
from wargame.tui.screens.facilitator import FacilitatorScreen, PlayScreen, VetoScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.modals import HandOverScreen
from wargame.tui.screens.start import StartScreen
from wargame.tui.widgets.board import AdversaryPanel
from wargame.tui.widgets.choices import ChoiceList
from wargame.tui.widgets.controllers import ControllerList
from wargame.tui.widgets.log import EventLog

pytestmark = pytest.mark.tui

SMALL = (80, 24)
MEDIUM = (100, 30)

deck = load_deck(RED)


def title(card: str) -> str:
    return deck.card(card).title


# --- words -------------------------------------------------------------------------------------------


def test_the_adversarys_play_its_price_and_its_draws_in_words() -> None:
    price = AdversaryStatMoved("leverage", 3, 1, Cause(CauseKind.PLAY, card="jets"))
    income = AdversaryStatMoved("leverage", 1, 2, Cause(CauseKind.INCOME))
    events = [income, HandFilled("moscow", ("jets", "rules")), price, CardPlayed("jets", "EST", "moscow")]
    assert event_lines(deck, events, PUBLIC) == [
        "Moscow draws 2 cards",
        f"Moscow plays “{title('jets')}” at Estonia",
        "  Moscow: Leverage 3 → 1 (its price)",
    ]
    # The adversary's team and the facilitator know what was drawn; a nation never does.
    drawn = f"Moscow draws 2 cards: “{title('jets')}”, “{title('rules')}”"
    assert event_lines(deck, events, "moscow")[0] == drawn
    assert event_lines(deck, events)[0] == drawn  # the facilitator's, by default
    assert event_lines(deck, events, "POL")[0] == "Moscow draws 2 cards"
    alliance = event_lines(deck, [CardPlayed("rules", None, "moscow")])
    assert alliance == [f"Moscow plays “{title('rules')}” at the whole alliance (a council votes)"]


def test_vetoes_and_injections_name_the_card_only_to_who_may_see_the_hand() -> None:
    events = [CardVetoed("jets"), CardInjected("sabotage")]
    assert event_lines(deck, events, PUBLIC) == [
        "Facilitator: vetoes a card in Moscow's hand",
        "Facilitator: chooses the card Moscow plays next",
    ]
    assert event_lines(deck, events, FACILITATOR) == [
        f"Facilitator: vetoes “{title('jets')}”, out of Moscow's hand",
        f"Facilitator: Moscow must play “{title('sabotage')}” next",
    ]


def test_reveals_and_claims_in_words_a_wrong_claim_flagged() -> None:
    wrong = ClaimProved("sabotage", "blame", "EST", "state", "accident", True)
    right = ClaimProved("sabotage", "blame", None, "state", "state", False)
    lines = event_lines(deck, [AttributionRevealed("sabotage", "accident", 3), wrong, right])
    assert lines == [
        f"Revealed: “{title('sabotage')}” (round 3) was an accident",
        "  ✗ WRONG CLAIM: Estonia's “Blame Moscow” said state-directed; it was an accident",
        "  ✓ the council's claim “Blame Moscow” was right: state-directed",
    ]


def test_sealed_votes_are_counted_not_shown_until_revealed_together() -> None:
    events = [VoteCast("rules", "defer", "POL"), VoteCast("rules", "unify", "EST")]
    assert event_lines(deck, events, PUBLIC) == ["Poland has voted (sealed)", "Estonia has voted (sealed)"]
    assert event_lines(deck, events, "POL") == ["Poland votes: Defer", "Estonia has voted (sealed)"]
    revealed = VotesRevealed("rules", (("POL", "defer"), ("EST", "unify")))
    assert event_lines(deck, [revealed], PUBLIC) == ["Votes revealed: Poland Defer, Estonia Unify them"]


def test_effects_conditions_targets_price_and_attribution_in_words() -> None:
    assert effect_text(deck, Effect(tracks={"credibility": 2}, adversary={"leverage": -1})) == (
        "Credibility +2; Moscow: Leverage -1"
    )
    assert condition_text(deck, Condition(adversary="leverage", min=4)) == "Moscow's Leverage ≥ 4"
    assert (
        condition_text(deck, Condition(attribution="state")) == "the attribution revealed as state-directed"
    )
    assert condition_text(deck, Condition(consultation="split")) == "the latest Article 4 split"
    assert targets_text(deck, deck.card("drones")) == "a frontline nation (Poland, Estonia)"
    assert targets_text(deck, deck.card("jets")) == "Poland or Estonia"  # the deck's order, not the card's
    assert targets_text(deck, deck.card("sabotage")) == "any nation"
    assert targets_text(deck, deck.card("rules")) == "the whole alliance (a council votes)"
    assert price_text(deck, deck.card("jets")) == "price 2 Leverage"
    assert price_text(deck, deck.card("drones")) == "free"
    sabotage = deck.card("sabotage")
    hidden = Incident("sabotage", 2, "proxy")
    assert attribution_text(sabotage, hidden) == "Attribution: unknown (state 50 · proxy 30 · accident 20)"
    assert attribution_text(sabotage, Incident("sabotage", 2, None)) == attribution_text(sabotage, hidden)
    assert "in truth proxy" in attribution_text(sabotage, hidden, secret=True)
    revealed = Incident("sabotage", 2, "proxy", revealed=3)
    assert attribution_text(sabotage, revealed) == "Revealed: proxy (the work of a proxy)"
    assert attribution_text(deck.card("jets")) == ""
    facts, wrong = attribution_facts(deck, sabotage, sabotage.response("blame"))
    assert facts == ["claims it was state-directed"] and wrong == "if the claim is wrong: Credibility -2"
    facts, wrong = attribution_facts(deck, sabotage, sabotage.response("investigate"))
    assert facts == ["60% chance to reveal who sent it"] and wrong == ""


# --- a red-cell game, hot-seat -------------------------------------------------------------------------


def public_titles(app: WargameApp) -> set[str]:
    """The titles of the cards everyone has seen played so far."""
    session = app.session
    assert session is not None
    return {title(event.card) for event in session.events if isinstance(event, CardPlayed)}


def secret_titles(app: WargameApp) -> set[str]:
    """The titles of the cards in the adversary's hand that no nation has seen played."""
    session = app.session
    assert session is not None
    return {title(card) for card in session.state.hand} - public_titles(app)


def log_text(app: WargameApp) -> str:
    """Every line of the game screen's log, scrolled out of sight or not, with its wrapped lines
    joined and its spaces collapsed."""
    game = next(screen for screen in app.screen_stack if isinstance(screen, GameScreen))
    return " ".join(" ".join(line.text for line in game.query_one(EventLog).lines).split())


def adversary_decides(app: WargameApp) -> bool:
    screen = app.screen
    return (
        isinstance(screen, GameScreen)
        and isinstance(app.session and app.session.state.pending, PlayDecision)
        and bool(screen.query_one(ChoiceList).choices)
    )


async def answer(pilot: Pilot[None], app: WargameApp) -> None:
    """The first option that can be taken (a card's first target too), `p` to end investing, Enter on
    hand-over and result screens."""
    screen = app.screen
    if isinstance(screen, HandOverScreen | EndingScreen) or (
        isinstance(screen, ConsultationScreen) and not screen.query_one(ChoiceList).choices
    ):
        await pilot.press("enter")
        return
    options = screen.query_one(ChoiceList).choices
    if any(isinstance(choice.action, Pass) for choice in options):
        await pilot.press("p")
        return
    number = next(i for i, choice in enumerate(options, start=1) if choice.enabled)
    await pilot.press(str(number), "enter")


@pytest.mark.parametrize("size", [SMALL, MEDIUM], ids=["80x24", "100x30"])
async def test_a_red_cell_hot_seat_game_never_shows_the_hand_to_the_nations(size: tuple[int, int]) -> None:
    session = red_session({"moscow": "human", "POL": "human"})
    app = WargameApp(session, ai_delay=0)
    seen = {"hand": 0, "nation": 0, "secret hand-overs": 0, "sealed": 0}
    async with app.run_test(size=size) as pilot:
        for _ in range(300):
            await settle(pilot, lambda: waiting_for_a_key(app))
            await pilot.pause()
            screen, state, text = app.screen, session.state, screen_text(app)
            if isinstance(screen, EndingScreen):
                break
            if adversary_decides(app):
                # Moscow's team sees its hand: every card's title, its price and where it may land.
                seen["hand"] += 1
                if "Where does" not in text:  # the cards; then, once one is chosen, where it lands
                    assert all(title(card) in text for card in state.hand), text
                assert isinstance(screen, GameScreen) and screen.state is not None
                assert screen.state.hand == state.hand
            else:
                if isinstance(screen, HandOverScreen):
                    seen["secret hand-overs"] += screen.has_class("-secret")
                    if screen.has_class("-secret"):  # the whole screen hidden: only the dialog shows
                        assert "Tracks" not in text and "Log" not in text
                else:
                    seen["nation"] += 1
                hidden = secret_titles(app)
                assert not any(card in text for card in hidden), (hidden, text)
                game = next(s for s in app.screen_stack if isinstance(s, GameScreen))
                assert game.state is not None and all(card == HIDDEN for card in game.state.hand)
                assert all(
                    incident.truth is None or incident.is_revealed for incident in game.state.incidents
                )
                assert not any(card in log_text(app) for card in hidden)
                decision = state.pending
                if isinstance(decision, RespondDecision) and decision.is_vote and decision.votes:
                    seen["sealed"] += 1
                    assert f"{len(decision.votes)} of 3 have voted" in text
                    assert all(response == HIDDEN for _, response in game.state.pending.votes)  # type: ignore[union-attr]
            await answer(pilot, app)
        assert isinstance(app.screen, EndingScreen)
    assert seen["hand"] >= 4 and seen["nation"] >= 4 and seen["secret hand-overs"] >= 4, seen


async def test_the_adversarys_team_chooses_a_card_then_where_it_lands_and_can_go_back() -> None:
    session = red_session({"moscow": "human"})  # one human seat: no hand-over
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot, lambda: adversary_decides(app))
        choices = app.screen.query_one(ChoiceList)
        assert [choice.title for choice in choices.choices] == [title(c) for c in ("drones", "jets", "rules")]
        assert "price 2 Leverage" in choices.choices[1].facts
        text = screen_text(app)
        assert "Moscow plays a card (Leverage 3; 1 play left this round)" in text
        await pilot.press("2", "enter")  # the jets: two places to land
        await settle(pilot, lambda: "Where does" in screen_text(app))
        assert [choice.title for choice in choices.choices] == ["Poland", "Estonia"]
        await pilot.press("escape")
        await settle(pilot, lambda: "Where does" not in screen_text(app))
        assert len(choices.choices) == 3 and session.actions == []
        await pilot.press("2", "enter", "2", "enter")
        await settle(pilot, lambda: bool(session.actions))
        assert session.actions[0] == PlayCard("moscow", "jets", "EST")
        await settle(pilot, lambda: "Moscow plays “Fighter jets linger” at Estonia" in log_text(app))


async def test_the_ai_adversary_plays_visibly_after_the_usual_pause() -> None:
    session = red_session({"POL": "human"})
    app = WargameApp(session, ai_delay=0.3)
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot, lambda: "Moscow (AI, prober) is deciding…" in screen_text(app))
        assert session.actions == []
        await settle(pilot, lambda: waiting_for_a_key(app), limit=400)
        play = session.actions[0]
        assert isinstance(play, PlayCard) and play.seat == "moscow"
        target = (
            "the whole alliance (a council votes)" if play.target is None else deck.nation(play.target).name
        )
        assert f"Moscow plays “{title(play.card)}” at {target}" in screen_text(app)
        assert "Moscow  AI prober" in screen_text(app)  # the board: who plays the adversary


def sabotage_on_estonia(seed: int) -> Session:
    """Estonia (human) must answer the sabotage, which Moscow played at it (the facilitator chose it)."""
    session = red_session({"EST": "human"}, seed)
    session.decide(InjectCard("sabotage"))
    session.decide(PlayCard("moscow", "sabotage", "EST"))
    return session


def revealing_seed() -> int:
    """A seed at which investigating the sabotage reveals who sent it (a 60% chance)."""
    for seed in range(1, 100):
        session = sabotage_on_estonia(seed)
        session.decide(ChooseResponse("EST", "investigate"))
        if session.state.incidents[-1].is_revealed:
            return seed
    raise AssertionError("no seed reveals it")


async def test_the_board_shows_an_attribution_unknown_then_revealed() -> None:
    session = sabotage_on_estonia(revealing_seed())
    truth = session.state.incidents[-1].truth
    assert truth is not None
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        text = screen_text(app)
        assert "Attribution: unknown (state 50 · proxy 30 · accident 20)" in text
        assert "in truth" not in text
        options = app.screen.query_one(ChoiceList).choices
        assert "60% chance to reveal who sent it" in options[0].facts
        assert "claims it was state-directed" in options[1].facts
        assert "if the claim is wrong: Credibility -2" in options[1].effects
        await pilot.press("1", "enter")
        line = f"Revealed: “{title('sabotage')}” (round 1) was {truth_text(truth)}"
        await settle(pilot, lambda: line in log_text(app))
        board = app.screen.query_one(AdversaryPanel)
        await settle(pilot, lambda: board.state is not None and board.state.incidents[-1].is_revealed)
        assert board.state is not None
        drawn = board.draw(board.state)
        assert isinstance(drawn, Text) and f"(round 1): Revealed: {truth}" in drawn.plain
        if isinstance(app.screen.state.pending, RespondDecision):  # type: ignore[attr-defined]
            assert f"Revealed: {truth}" in screen_text(app)  # the card's own panel


# --- the start screen ----------------------------------------------------------------------------------


async def test_the_start_screen_chooses_who_plays_moscow(tmp_path: Path) -> None:
    app = WargameApp(deck_path=RED, seed=4, saves_dir=tmp_path, ai_delay=0)
    async with app.run_test(size=SMALL) as pilot:
        assert isinstance(app.screen, StartScreen)
        players = app.screen.query_one(ControllerList)
        assert players.controllers["moscow"] == Scripted("prober")
        text = screen_text(app)
        assert "moscow Moscow" in text and "AI: Prober" in text
        players.focus()
        await pilot.press("up")  # from Poland, up to the last seat: the adversary
        assert players.cursor == 3
        await pilot.press("right")
        assert players.controllers["moscow"] == Scripted("escalator")
        await pilot.press("right")
        assert players.controllers["moscow"] == Scripted("divider")
        await pilot.press("h")
        assert str(players.controllers["moscow"]) == "human"
        await pilot.press("enter")
        await settle(pilot, lambda: app.session is not None)
        assert app.session is not None and app.session.state.is_human("moscow")


# --- the facilitator -------------------------------------------------------------------------------


async def test_the_facilitator_sees_the_hand_and_plays_moscows_card_for_it() -> None:
    session = red_session({"moscow": "human", "POL": "human"})
    app = WargameApp(session, ai_delay=0, facilitator=True)
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, HandOverScreen))
        await pilot.press("f")
        await settle(pilot, lambda: isinstance(app.screen, FacilitatorScreen))
        text = screen_text(app)
        assert "Only you see:" in text and all(title(card) in text for card in session.state.hand)
        await pilot.press("p")
        await settle(pilot, lambda: isinstance(app.screen, PlayScreen))
        await pilot.press("down", "enter")  # the drones at Estonia
        await settle(pilot, lambda: bool(session.actions))
        assert session.actions[0] == PlayCard("moscow", "drones", "EST")
        # The hand-over to Moscow's team is void: it closes, and nobody sees the hand.
        await settle(
            pilot, lambda: not isinstance(app.screen, HandOverScreen) or "Moscow" not in screen_text(app)
        )


async def test_the_facilitator_vetoes_a_card_of_the_hand_and_moscow_chooses_again() -> None:
    session = red_session({"moscow": "human"})
    app = WargameApp(session, ai_delay=0, facilitator=True)
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot, lambda: adversary_decides(app))
        await pilot.press("f", "v")
        await settle(pilot, lambda: isinstance(app.screen, VetoScreen))
        await pilot.press("enter")  # the first card: the drones
        await settle(pilot, lambda: bool(session.actions))
        assert session.actions == [VetoCard("drones")]
        assert "drones" in session.state.discard and "drones" not in session.state.hand
        await settle(pilot, lambda: adversary_decides(app))
        titles = [choice.title for choice in app.screen.query_one(ChoiceList).choices]
        assert title("drones") not in titles and titles
        assert f"Facilitator: vetoes “{title('drones')}”, out of Moscow's hand" in log_text(app)


async def test_the_facilitator_vetoes_the_card_the_ai_adversary_just_played() -> None:
    session = red_session({"POL": "human", "EST": "human"})  # the AI plays first: at one of them
    app = WargameApp(session, ai_delay=0, facilitator=True)
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot, lambda: waiting_for_a_key(app))
        play = session.actions[-1]
        assert isinstance(play, PlayCard)
        await pilot.press("f", "v")
        await settle(pilot, lambda: isinstance(app.screen, VetoScreen))
        assert "just played" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, lambda: VetoCard(play.card) in session.actions)
        assert session.actions[0] == VetoCard(play.card)  # the play is gone: the veto came before it
        await settle(pilot, lambda: waiting_for_a_key(app))
        assert isinstance(session.actions[1], PlayCard)


async def test_an_injected_card_is_the_one_moscows_team_must_play() -> None:
    session = red_session({"moscow": "human"})
    app = WargameApp(session, ai_delay=0, facilitator=True)
    notices = record_notices(app)
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot, lambda: adversary_decides(app))
        await pilot.press("f", "c")
        await settle(pilot, lambda: "Choose Moscow's next card" in screen_text(app))
        cards = [card.id for card in deck.cards]
        await pilot.press(*["down"] * cards.index("sabotage"), "enter")
        await settle(pilot, lambda: session.state.forced_card == "sabotage")
        await settle(
            pilot, lambda: adversary_decides(app) and len(app.screen.query_one(ChoiceList).choices) == 4
        )
        options = app.screen.query_one(ChoiceList).choices
        assert [choice.title for choice in options if choice.enabled] == [title("sabotage")]
        barred = next(choice for choice in options if not choice.enabled)
        assert barred.reason == f"the facilitator chose “{title('sabotage')}” as your next play"
        assert "Facilitator: Moscow must play “Sabotage at a depot” next" in log_text(app)
    assert not [notice for notice in notices if notice.severity == "error"]


async def test_a_red_game_ends_with_moscows_score_and_every_truth() -> None:
    session = red_session({})
    while session.state.pending is not None:
        session.decide(ai.choose(session.state, session.state.pending.seat))
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot, lambda: "Game over" in screen_text(app))
        text = screen_text(app)
        assert "Moscow (AI prober):" in text
        for incident in session.state.incidents:
            assert f"“{title(incident.card)}” (round {incident.round}) was" in text


def test_track_moves_by_a_wrong_claim_read_plainly() -> None:
    moved = TrackMoved("credibility", 5, 3, Cause(CauseKind.CLAIM, card="sabotage", response="blame"))
    assert event_lines(deck, [moved]) == ["  Credibility 5 → 3"]
