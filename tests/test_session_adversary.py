"""The session with an adversary seat: the red AI's turns, a red-cell team's choices, the facilitator's
veto, autosave, resume and undo; and `wargame play` taking the adversary's seat."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from tests.helpers import DECKS, MINI
from wargame import ai
from wargame.cli import main
from wargame.cli import play as play_command
from wargame.engine import IllegalActionError, apply, legal_actions, new_game
from wargame.engine.views import view
from wargame.model import (
    HUMAN,
    AddNote,
    Deck,
    GameState,
    InjectCard,
    PlayCard,
    PlayDecision,
    Scripted,
    VetoCard,
)
from wargame.session import Session, default_controllers
from wargame.session.choices import choices, decision_title
from wargame.session.describe import seat_name
from wargame.session.facilitator import action_text, last_play, undo_point
from wargame.storage import load_deck
from wargame.storage.saves import load_game

RED = DECKS / "red.toml"


@functools.cache
def red_deck() -> Deck:
    return load_deck(RED)


def red_session(folder: Path | None, controllers: dict[str, str] | None = None, seed: int = 3) -> Session:
    """A session of the red deck, saved into `folder` (None: not saved); Poland human by default."""
    chosen = {"POL": "human"} if controllers is None else controllers
    return Session.new(RED, red_deck(), seed, chosen, folder)


def play_until(session: Session, until: object) -> None:
    """Let the AI play every seat (people's too) until `until(session)` holds."""
    assert callable(until)
    for _ in range(500):
        if until(session):
            return
        session.decide(session.ai_action())
    raise AssertionError("it never happened")


def the_adversary_to_play(session: Session) -> bool:
    return isinstance(session.state.pending, PlayDecision)


# --- seats and the red AI --------------------------------------------------------------------------


def test_default_controllers_seat_the_adversary_after_the_nations() -> None:
    deck = red_deck()
    assert default_controllers(deck) == {
        "POL": HUMAN,
        "EST": Scripted("hawk"),
        "DEU": Scripted("dove"),
        "moscow": Scripted("prober"),
    }
    assert default_controllers(deck, ["moscow", "EST"]) == {
        "POL": Scripted("hawk"),
        "EST": HUMAN,
        "DEU": Scripted("dove"),
        "moscow": HUMAN,
    }
    assert "moscow" not in default_controllers(load_deck(MINI))


def test_the_session_plays_the_red_ai_from_its_view_to_the_end(tmp_path: Path) -> None:
    session = red_session(tmp_path, {"POL": "human", "moscow": "ai:escalator"})
    assert session.seat == "moscow" == session.nation and not session.is_human_turn
    assert session.is_adversary(session.seat) and not session.is_adversary("POL")
    plays = 0
    while not session.over:
        seat = session.seat
        assert seat is not None
        action = session.ai_action()
        assert action == ai.choose(session.state, seat) == ai.choose(view(session.state, seat), seat)
        if seat == "moscow":
            assert isinstance(action, PlayCard) and action in legal_actions(session.state)
            plays += 1
        session.decide(action)
    assert plays >= red_deck().info.rounds and session.seat is None
    assert load_game(session.save_path)[1] == session.state  # type: ignore[arg-type]


def test_a_red_cell_team_is_a_human_seat(tmp_path: Path) -> None:
    session = red_session(tmp_path, {"moscow": "human", "EST": "human"})
    assert session.humans == ["EST", "moscow"]  # the nations in turn order, then the adversary
    assert session.is_human("moscow") and not session.is_human("POL")
    assert session.default_persona("moscow") == "prober" and session.default_persona("EST") == "hawk"
    assert session.seat == "moscow" and session.is_human_turn
    options = choices(session.state)
    assert {option.action for option in options if option.enabled} == set(session.choices())
    session.decide(options[0].action)
    assert not session.is_adversary(session.seat)


# --- a red-cell team's choices -------------------------------------------------------------------


def test_the_choices_of_a_play_are_every_card_at_every_target() -> None:
    state = new_game(red_deck(), 3, {"moscow": "human"})
    assert state.hand == ("jets", "rules", "drones")
    assert decision_title(state) == "Moscow plays a card from its hand (Leverage 3)"
    options = choices(state)
    assert [option.title for option in options] == [
        "“Fighter jets linger” at Poland",
        "“Fighter jets linger” at Estonia",
        "“Unify the rules of engagement” for the alliance to decide",
        "“Drones cross the border” at Poland",
        "“Drones cross the border” at Estonia",
    ]
    assert [option.action for option in options] == legal_actions(state)
    assert options[0].facts == ["price 2 Leverage", "military"]
    assert options[2].facts == ["free"] and options[2].action == PlayCard("moscow", "rules", None)
    assert options[3].effects == "Poland: Public pressure +1"
    assert all(option.enabled for option in options)


def test_a_card_the_adversary_cannot_pay_for_is_listed_with_the_reason() -> None:
    state = attrs.evolve(new_game(red_deck(), 3, {"moscow": "human"}), adversary_stats={"leverage": 1})
    assert decision_title(state) == "Moscow plays a card from its hand (Leverage 1)"
    jets = [option for option in choices(state) if option.action.card == "jets"]  # type: ignore[union-attr]
    assert len(jets) == 2 and all(option.reason == "costs 2, the budget is 1" for option in jets)
    assert sum(option.enabled for option in choices(state)) == 3


def test_an_injected_card_is_the_only_one_to_play() -> None:
    state, _ = apply(new_game(red_deck(), 3, {"moscow": "human"}), InjectCard("sabotage"))
    assert decision_title(state) == (
        "Moscow must play “Sabotage at a depot”, injected by the facilitator (Leverage 3)"
    )
    options = choices(state)
    enabled = [option for option in options if option.enabled]
    assert {option.action.card for option in enabled} == {"sabotage"}  # type: ignore[union-attr]
    assert [option.title for option in enabled] == [
        "“Sabotage at a depot” at Poland",
        "“Sabotage at a depot” at Estonia",
        "“Sabotage at a depot” at Germany",
    ]
    assert enabled[0].facts == ["free", "blamed on: state 50%, proxy 30%, accident 20%"]
    refused = next(option for option in options if not option.enabled)
    assert refused.reason == 'the facilitator injected "sabotage": it is the one to play'


# --- words ---------------------------------------------------------------------------------------


def test_plays_and_vetoes_in_words() -> None:
    state = new_game(red_deck(), 3)
    deck = red_deck()
    assert (
        action_text(state, PlayCard("moscow", "jets", "EST"))
        == "Moscow plays “Fighter jets linger” at Estonia"
    )
    assert action_text(state, PlayCard("moscow", "rules", None)) == (
        "Moscow plays “Unify the rules of engagement” for the alliance to decide"
    )
    assert action_text(state, VetoCard("drones")) == (
        "the facilitator vetoes “Drones cross the border” (Moscow must play another card)"
    )
    assert action_text(state, InjectCard("sabotage")) == (
        "the facilitator makes “Sabotage at a depot” Moscow's next play"
    )
    assert seat_name(deck, "moscow") == "Moscow" and seat_name(deck, "EST") == "Estonia"
    assert seat_name(deck, None) == "the alliance"
    mini = load_deck(MINI)
    assert action_text(new_game(mini, 1), InjectCard("jets")) == (
        "the facilitator puts Fighter jets linger on top of the draw pile"
    )


# --- the facilitator's veto ---------------------------------------------------------------------


@pytest.fixture
def played(tmp_path: Path) -> Iterator[Session]:
    """A red game in which the AI adversary has just played its second card, Poland human."""
    session = red_session(tmp_path)
    play_until(session, lambda s: sum(isinstance(a, PlayCard) for a in s.actions) == 2)
    assert isinstance(session.actions[-1], PlayCard)
    yield session


def test_the_card_just_played_can_be_vetoed_and_the_adversary_chooses_again(played: Session) -> None:
    session = played
    play = session.last_play()
    assert play is not None and play == session.actions[-1] == last_play(session.actions)
    assert session.state.card == play.card
    before = list(session.actions)
    events = session.veto_last_play()
    assert session.actions == [*before[:-1], VetoCard(play.card)]
    assert type(events[0]).__name__ == "CardVetoed"
    state = session.state
    assert isinstance(state.pending, PlayDecision) and state.discard[-1] == play.card
    assert state.hand.count(play.card) == session.state_after(len(before) - 1).hand.count(play.card) - 1
    # The red AI chooses again among the rest.
    again = session.ai_action()
    assert isinstance(again, PlayCard) and again != play
    session.decide(again)
    # The save holds the veto, not the play, and loads as the same game.
    assert session.save_path is not None
    save, loaded = load_game(session.save_path)
    assert save.actions == (*before[:-1], VetoCard(play.card), again) and loaded == session.state


def test_an_undo_takes_the_veto_back_and_the_ai_plays_the_same_card_again(played: Session) -> None:
    session = played
    play = session.last_play()
    assert play is not None
    before = list(session.actions)
    session.veto_last_play()
    again = session.ai_action()
    session.decide(again)
    assert session.undo() == [VetoCard(play.card), again]
    assert session.actions == before[:-1]
    assert session.ai_action() == play


def test_there_is_nothing_to_veto_once_the_card_is_answered(played: Session) -> None:
    session = played
    session.decide(session.ai_action())  # the card's target answers it
    assert session.last_play() is None
    actions, state = list(session.actions), session.state
    with pytest.raises(ValueError, match="no play to veto"):
        session.veto_last_play()
    assert session.actions == actions and session.state == state
    # A note after the play: the play is no longer the last action.
    assert last_play([PlayCard("moscow", "jets", "EST"), AddNote("x")]) is None
    assert last_play([]) is None


def test_a_red_cell_teams_card_is_vetoed_while_it_chooses(tmp_path: Path) -> None:
    session = red_session(tmp_path, {"moscow": "human"})
    assert session.state.hand == ("jets", "rules", "drones")
    session.veto("jets")
    assert session.state.hand == ("rules", "drones") and session.actions == [VetoCard("jets")]
    assert all(option.action.card != "jets" for option in choices(session.state))  # type: ignore[union-attr]
    with pytest.raises(IllegalActionError):
        session.veto("jets")
    assert session.actions == [VetoCard("jets")]
    assert session.undo() == [VetoCard("jets")] and session.state.hand == ("jets", "rules", "drones")


# --- undo, autosave and resume --------------------------------------------------------------------


def test_undo_takes_back_a_red_cell_teams_play_but_not_the_red_ais(tmp_path: Path) -> None:
    human = red_session(tmp_path, {"moscow": "human"})
    first = human.choices()[0]
    human.decide(first)
    human.decide(human.ai_action())
    assert undo_point(human.start, human.actions) == 0
    assert human.undo()[0] == first and human.actions == [] and human.seat == "moscow"
    machine = red_session(None, {"POL": "ai:hawk", "EST": "ai:hawk", "DEU": "ai:dove"})
    play_until(machine, lambda s: len(s.actions) >= 6)
    assert machine.undo_point() is None and machine.undo() == []


def test_a_red_game_resumes_where_it_was_at_any_point(tmp_path: Path) -> None:
    session = red_session(tmp_path, {"moscow": "human", "POL": "human"})
    assert session.save_path is not None
    while not session.over:
        session.decide(session.ai_action())
        if len(session.actions) % 4 == 0:
            resumed = Session.resume(session.save_path)
            assert resumed.state == session.state and resumed.actions == session.actions
            assert resumed.events == session.events and resumed.humans == ["POL", "moscow"]
            assert resumed.seat == session.seat and resumed.is_human_turn == session.is_human_turn
    resumed = Session.resume(session.save_path)
    assert resumed.over and resumed.state == session.state


# --- wargame play --------------------------------------------------------------------------------


def started(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deck: Path = RED) -> Session:
    """The session `wargame play DECK ARGS` would open (the terminal UI is not run)."""
    sessions: list[Session] = []
    monkeypatch.setattr(play_command, "interactive", lambda: True)
    monkeypatch.setattr(play_command, "_play_session", lambda session, *_: sessions.append(session))
    run = CliRunner().invoke(main, ["play", str(deck), "--saves", str(tmp_path), "--seed", "3", *args])
    assert run.exit_code == 0, run.output
    return sessions[0]


@pytest.mark.parametrize(
    ("args", "controllers"),
    [
        ([], {"POL": "human", "EST": "ai:hawk", "DEU": "ai:dove", "moscow": "ai:prober"}),
        (["--human", "Moscow,pol"], {"POL": "human", "EST": "ai:hawk", "DEU": "ai:dove", "moscow": "human"}),
        (["--human", "none"], {"POL": "ai:hawk", "EST": "ai:hawk", "DEU": "ai:dove", "moscow": "ai:prober"}),
        (
            ["--controllers", "moscow=human"],
            {"POL": "human", "EST": "ai:hawk", "DEU": "ai:dove", "moscow": "human"},
        ),
        (
            ["--human", "EST", "-c", "moscow=ai:divider, EST=ai:pragmatist,DEU=human"],
            {"POL": "ai:hawk", "EST": "ai:pragmatist", "DEU": "human", "moscow": "ai:divider"},
        ),
    ],
)
def test_wargame_play_seats_the_adversary(
    args: list[str], controllers: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = started(args, tmp_path, monkeypatch)
    assert {seat: str(who) for seat, who in session.state.controllers.items()} == controllers
    assert session.save_path is not None and session.save_path.exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["--human", "kremlin"],
            ["--human", "unknown seat kremlin", "the nations POL, EST, DEU", "the adversary moscow"],
        ),
        (
            ["--controllers", "kremlin=human"],
            ["--controllers", "unknown seat kremlin", "the adversary moscow"],
        ),
        (
            ["--controllers", "moscow=ai:hawk"],
            [
                "--controllers",
                'unknown persona "hawk" for moscow',
                "Moscow's personas: prober, escalator, divider",
            ],
        ),
        (
            ["--controllers", "EST=ai:prober"],
            [
                "--controllers",
                'unknown persona "prober" for EST',
                "the deck's personas: hawk, dove, pragmatist",
            ],
        ),
        (
            ["--controllers", "moscow=robot"],
            ['"robot" for moscow is neither "human" nor "ai:PERSONA"', "prober"],
        ),
        (["--controllers", "moscow"], ['"moscow" is not SEAT=human or SEAT=ai:PERSONA']),
    ],
)
def test_wargame_play_refuses_unknown_seats_and_personas(
    args: list[str], words: list[str], tmp_path: Path
) -> None:
    run = CliRunner().invoke(main, ["play", str(RED), "--saves", str(tmp_path), *args])
    assert run.exit_code == 2 and "Traceback" not in run.output, run.output
    for word in words:
        assert word in run.output, run.output
    assert list(tmp_path.iterdir()) == []


def test_a_deck_without_an_adversary_has_no_adversary_seat(tmp_path: Path) -> None:
    for option in ("--human", "--controllers"):
        value = "moscow" if option == "--human" else "moscow=human"
        run = CliRunner().invoke(main, ["play", str(MINI), "--saves", str(tmp_path), option, value])
        assert run.exit_code == 2 and "unknown nation moscow (the deck has POL, EST, DEU)" in run.output


def test_a_red_cell_game_starts_at_moscows_hand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = started(["--human", "moscow,POL"], tmp_path, monkeypatch)
    state: GameState = session.state
    assert session.seat == "moscow" and session.is_human_turn and session.humans == ["POL", "moscow"]
    assert isinstance(state.pending, PlayDecision)
    assert view(state, "moscow").hand == state.hand == ("jets", "rules", "drones")
    assert view(state, "POL").hand == ("?", "?", "?")


def test_a_card_whose_title_is_a_quotation_is_quoted_once() -> None:
    from tests.helpers import BUNDLED
    from wargame.model import PlayCard
    from wargame.model.events import CardPlayed
    from wargame.session.describe import event_lines, quoted

    deck = load_deck(BUNDLED)
    assert deck.card("de-facto-war").title == '"De facto at war"'  # the deck quotes an article
    assert quoted('"De facto at war"') == quoted("De facto at war") == "“De facto at war”"
    assert event_lines(deck, [CardPlayed("de-facto-war", None, "moscow")])[0].startswith(
        "Moscow plays “De facto at war” at"
    )
    state = new_game(deck, 1)
    assert "“De facto at war”" in action_text(state, PlayCard("moscow", "de-facto-war", None))
