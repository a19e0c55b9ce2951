"""The game session behind the terminal UI: decisions, autosave, resume; and the words it shows."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers import MINI, mini_session, with_next_card
from wargame.engine import apply, legal_actions, new_game
from wargame.model import (
    AddNote,
    AdjustStat,
    ConsultationResult,
    Deck,
    Effect,
    Human,
    Invest,
    InvestDecision,
    Pass,
    Scripted,
)
from wargame.model.events import (
    DRIFT,
    FATIGUE,
    INCOME,
    CardDrawn,
    Cause,
    CauseKind,
    ConsultationResolved,
    Narrated,
    NoteAdded,
    RoundStarted,
    StatMoved,
    TrackMoved,
)
from wargame.session import Session, default_controllers, save_path_for
from wargame.session.choices import choices, decision_title
from wargame.session.describe import (
    condition_text,
    consultation_lines,
    defeat_thresholds,
    effect_text,
    event_lines,
)
from wargame.storage.saves import SaveError, read_save

NOW = datetime(2026, 3, 1, 12, 30, 5, tzinfo=UTC)


def play_out(session: Session, limit: int = 20) -> None:
    for _ in range(limit):
        if session.over:
            return
        session.decide(session.ai_action())


def test_the_first_frontline_nation_is_human_and_the_rest_play_their_personas(mini: Deck) -> None:
    hawk, dove = Scripted("hawk"), Scripted("dove")
    assert default_controllers(mini) == {"POL": Human(), "EST": hawk, "DEU": dove}
    assert default_controllers(mini, ["EST", "DEU"]) == {"POL": hawk, "EST": Human(), "DEU": Human()}


def test_a_new_game_is_saved_at_once_under_a_new_name(mini: Deck, tmp_path: Path) -> None:
    session = mini_session(tmp_path, seed=7, now=NOW)
    stamp = NOW.astimezone().strftime("%Y%m%d-%H%M%S")
    assert session.save_path == tmp_path / f"mini-{stamp}-seed7.toml"
    assert read_save(session.save_path).turn == 0
    again = mini_session(tmp_path, seed=7, now=NOW)
    assert again.save_path == tmp_path / f"mini-{stamp}-seed7-2.toml"
    assert save_path_for(tmp_path, mini, 7, NOW.astimezone()).name == f"mini-{stamp}-seed7-3.toml"


def test_each_decision_is_applied_logged_and_saved(mini: Deck, tmp_path: Path) -> None:
    session = mini_session(tmp_path, seed=7, now=NOW)
    assert session.is_human_turn and session.nation == "POL"
    assert isinstance(session.events[0], RoundStarted)
    action = legal_actions(session.state)[0]
    events = session.decide(action)
    assert session.actions == [action]
    assert events and session.events[-len(events) :] == events
    save = read_save(session.save_path)
    assert save.actions == (action,) and save.created == NOW
    assert save.updated >= NOW


def test_resume_restores_the_position_the_log_and_the_save_file(mini: Deck, tmp_path: Path) -> None:
    session = mini_session(tmp_path, seed=7, now=NOW)
    for _ in range(9):
        session.decide(session.ai_action())
    session.decide(AddNote("a note for the debrief"))
    back = Session.resume(session.save_path)
    assert back.state == session.state
    assert back.actions == session.actions
    assert back.events == session.events
    assert back.save_path == session.save_path and back.created == NOW
    back.decide(back.ai_action())
    assert read_save(session.save_path).turn == 11


def test_a_save_that_does_not_load_is_refused_and_never_overwritten(mini: Deck, tmp_path: Path) -> None:
    session = mini_session(tmp_path, seed=7, now=NOW)
    session.decide(session.ai_action())
    text = session.save_path.read_text(encoding="utf-8")
    broken = text.replace('response = "', 'response = "no-such-', 1)
    session.save_path.write_text(broken, encoding="utf-8")
    with pytest.raises(SaveError, match="illegal"):
        Session.resume(session.save_path)
    assert session.save_path.read_text(encoding="utf-8") == broken


def test_a_save_that_cannot_be_written_is_reported_and_the_game_goes_on(mini: Deck, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    session = mini_session(blocker, seed=7, now=NOW)
    assert session.save_problem is not None and "could not write" in session.save_problem
    session.decide(session.ai_action())
    assert session.actions and session.save_problem is not None


def test_a_session_without_saves_plays_to_the_end(mini: Deck) -> None:
    session = mini_session(None, seed=7, now=NOW)
    play_out(session, 200)
    assert session.over and session.save_path is None and session.nation is None
    with pytest.raises(ValueError, match="over"):
        session.ai_action()


# --- the words on the screens ----------------------------------------------------------------------


def test_effects_and_conditions_read_as_words(mini: Deck) -> None:
    effect = Effect(tracks={"escalation": 1}, actor={"pressure": -1}, others={"treasury": -1})
    assert (
        effect_text(mini, effect) == "Escalation +1; you: Public pressure -1; every other nation: Treasury -1"
    )
    assert effect_text(mini, Effect(target={"readiness": 2}), "Poland", "Poland") == "Poland: Readiness +2"
    card = mini.card("drones").response("shoot-down")
    assert condition_text(mini, card.requires[0]) == "Readiness ≥ 2"
    (escalation,) = defeat_thresholds(mini)["escalation"]
    assert (escalation.bound, escalation.title, escalation.alone) == ("≥ 10", "Open conflict", True)
    assert str(escalation) == "≥ 10: Open conflict"
    assert defeat_thresholds(mini)["credibility"] == []


def test_an_unaffordable_response_is_listed_barred_with_the_reason(mini: Deck) -> None:
    state = new_game(mini, 7, {"POL": "human"})
    state = with_next_card(state, "jets")
    while state.pending is None or state.card != "jets":
        state, _ = apply(state, legal_actions(state)[0])
    # Estonia answers "jets"; empty its treasury so that escorting (cost 1) is out of reach.
    state, _ = apply(state, AdjustStat("EST", "treasury", -30, "test"))
    listed = choices(state)
    assert [choice.title for choice in listed] == ["Escort them out", "Do nothing"]
    escort, ignore = listed
    assert escort.reason == "costs 1, your treasury is 0" and not escort.enabled
    assert escort.facts == ["cost 1"] and escort.effects == "Credibility +1"
    assert ignore.enabled and decision_title(state) == "Estonia answers the card"


def test_investment_options_end_with_a_pass(mini: Deck) -> None:
    state = new_game(mini, 7, {"POL": "human"})
    while not isinstance(state.pending, InvestDecision):
        state, _ = apply(state, legal_actions(state)[0])
    listed = choices(state)
    assert isinstance(listed[-1].action, Pass) and listed[-1].enabled
    assert all(isinstance(choice.action, Invest) for choice in listed[:-1])


def test_the_log_groups_alike_changes_and_leaves_out_income(mini: Deck) -> None:
    events = [
        StatMoved("POL", "treasury", 1, 4, INCOME),
        StatMoved("POL", "pressure", 3, 2, DRIFT),
        StatMoved("EST", "pressure", 2, 1, DRIFT),
        TrackMoved("cohesion", 6, 5, DRIFT),
    ]
    assert event_lines(mini, events) == [
        "  Public pressure -1: POL, EST (round end)",
        "  Cohesion 6 → 5 (round end)",
    ]


def test_the_game_commands_that_show_no_terminal_ui_do_not_import_it() -> None:
    code = (
        "import sys; from wargame.cli import main;"
        "import wargame.session, wargame.session.choices, wargame.session.describe;"
        "print(any(m.startswith('textual') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_deck_edited_during_the_game_is_not_recorded_as_the_one_played(tmp_path: Path) -> None:
    from wargame.storage import load_deck
    from wargame.storage.saves import hash_deck

    deck_file = tmp_path / "mini.toml"
    deck_file.write_text(MINI.read_text())
    played_with = hash_deck(deck_file)
    session = Session.new(deck_file, load_deck(deck_file), 7, {}, tmp_path / "saves", now=NOW)
    deck_file.write_text(MINI.read_text().replace("start = 6", "start = 7", 1))
    session.decide(AddNote("the designer edits the deck mid-game"))
    assert session.save_path is not None
    assert read_save(session.save_path).deck_sha256 == played_with
    with pytest.raises(SaveError, match="has changed since this game was saved"):
        Session.resume(session.save_path)


def test_a_save_whose_deck_moved_resumes_with_its_new_place(tmp_path: Path) -> None:
    from wargame.storage import load_deck

    old = tmp_path / "old.toml"
    old.write_text(MINI.read_text())
    session = Session.new(old, load_deck(old), 7, {}, tmp_path / "saves", now=NOW)
    session.decide(AddNote("before the move"))
    new = tmp_path / "moved" / "mini.toml"
    new.parent.mkdir()
    old.rename(new)
    assert session.save_path is not None
    with pytest.raises(SaveError, match="if it has moved, name it with --deck"):
        Session.resume(session.save_path)
    resumed = Session.resume(session.save_path, new)
    assert resumed.state == session.state and resumed.actions == session.actions
    assert resumed.decide(AddNote("after the move")) == [NoteAdded("after the move")]
    assert read_save(session.save_path).deck_path == new.resolve()


def test_a_consultations_lines_are_what_its_result_and_fatigue_moved_and_nothing_else(mini: Deck) -> None:
    unified = Cause(CauseKind.CONSULTATION, result=ConsultationResult.UNIFIED)
    drawn = Cause(CauseKind.CARD, card="drones")
    events = [
        TrackMoved("escalation", 2, 3, Cause(CauseKind.POSITION, position="support")),
        ConsultationResolved("POL", ConsultationResult.UNIFIED, 2, 0, 0, 1),
        TrackMoved("credibility", 4, 6, unified),
        StatMoved("POL", "readiness", 1, 3, unified),
        Narrated("Allies send jets.", unified),
        TrackMoved("credibility", 6, 5, FATIGUE),
        CardDrawn("drones", "EST"),
        TrackMoved("escalation", 3, 4, drawn),
    ]
    assert consultation_lines(mini, events) == [
        "Credibility 4 → 6",
        "Poland: Readiness 1 → 3",
        "“Allies send jets.”",
        "Credibility 6 → 5 (fatigue)",
    ]


#: `wargame` run as the console script runs it (headless), leaving at the start screen's first frame;
#: it prints the modules of `HEAVY` loaded by then and the ids of the screen's own widgets.
FIRST_FRAME = """
import sys
import wargame.command as command
from wargame.tui.screens.start import StartScreen

HEAVY = {heavy!r}
seen = {{}}

async def at_the_first_frame(screen):
    inside = tuple(name + "." for name in HEAVY)
    seen["loaded"] = sorted(m for m in sys.modules if m in HEAVY or m.startswith(inside))
    seen["shown"] = [widget.id for widget in screen.children if not (widget.id or "").startswith("textual-")]
    screen.app.exit()

StartScreen.lay_out = at_the_first_frame  # called at the first frame's refresh
command.interactive = lambda: True
command._run = lambda app: app.run(headless=True, size=(100, 30))
sys.argv = ["wargame"]
command.main()
print(seen["loaded"], seen["shown"])
"""


def test_wargame_imports_no_game_code_nor_click_before_its_start_screens_first_frame(tmp_path: Path) -> None:
    # `wargame` draws its start screen first; the model, the engine, the AI, the saves and the decks
    # come just after, with the form; click only for the other commands (benchmarks/startup.py
    # measures the time this saves).
    heavy = (
        "click",
        "wargame.cli",
        "wargame.model",
        "wargame.engine",
        "wargame.ai",
        "wargame.session",
        "wargame.storage",
        "cattrs",
        "jinja2",
        "tomllib",
        "markdown_it",
    )
    code = FIRST_FRAME.format(heavy=heavy)
    env = {**os.environ, "WARGAME_CONFIG_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path, env=env
    )
    assert out.stdout.strip() == "[] ['title', 'at-once', None]"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--version"], "wargame "),
        (["--help"], "Usage: wargame [OPTIONS] [COMMAND]"),
        ([], "Usage: wargame [OPTIONS] [COMMAND]"),  # no terminal: the help, as click's `wargame` says it
    ],
)
def test_the_wargame_command_goes_to_click_unless_it_opens_the_start_screen(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    import wargame.command

    apps: list[object] = []
    monkeypatch.setattr(wargame.command, "_run", apps.append)
    monkeypatch.setattr(sys, "argv", ["wargame", *args])
    with pytest.raises(SystemExit) as leaving:
        wargame.command.main()
    assert leaving.value.code == 0 and capsys.readouterr().out.startswith(said) and apps == []
    monkeypatch.setattr(wargame.command, "interactive", lambda: True)
    monkeypatch.setattr(sys, "argv", ["wargame"])
    wargame.command.main()
    assert [type(app).__name__ for app in apps] == ["WargameApp"]
