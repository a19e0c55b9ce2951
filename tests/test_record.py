"""The debrief's record (issue 12): who really made each decision, the paused timer across a resume,
a forced roll that names its nation, undo's abandoned lines, branching a session, and the timeline
export as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from tests.helpers import MINI, ROOT, at_card, mini_session, played_session, sha256
from wargame.cli import main
from wargame.engine import IllegalActionError, apply
from wargame.lab.report import GameRecord, report_files
from wargame.model import (
    FACILITATOR_ACTIONS,
    AddNote,
    AdjustTrack,
    ChooseResponse,
    Deck,
    ForceRoll,
    Pass,
)
from wargame.model.events import RollMade
from wargame.session import Session
from wargame.storage.digest import canonical
from wargame.storage.saves import Facilitation, format_save, load_game, make_save, read_save, write_save

NOW = datetime(2026, 3, 1, 14, 32, tzinfo=UTC)
V1_FACILITATED = ROOT / "tests" / "saves" / "v1" / "eastern-flank-2025-facilitated.toml"


def to_human_turn(session: Session) -> None:
    """Let the AI play until a person decides."""
    while not session.over and not session.is_human_turn:
        session.decide(session.ai_action())


def four_deciders(saves: Path) -> Session:
    """A session of the small deck where all four kinds of decider acted: the AI, Poland's team, the
    AI on Poland's timeout, and the facilitator."""
    session = mini_session(saves, {"POL": "human"})
    to_human_turn(session)
    session.decide(session.choices()[0])  # Poland's team
    session.decide(AddNote("the room argues"))  # the facilitator
    to_human_turn(session)
    session.decide(session.ai_action(), by="ai-timeout")  # the AI, Poland's time having run out
    to_human_turn(session)
    return session


# --- finding 2: who really decided -------------------------------------------------------------


def test_the_save_marks_who_really_made_each_decision(tmp_path: Path) -> None:
    session = four_deciders(tmp_path)
    assert session.save_path is not None
    assert set(session.deciders) == {"team", "ai", "ai-timeout", "facilitator"} and len(
        session.deciders
    ) == len(session.actions)
    save, _ = load_game(session.save_path)
    assert save.deciders == tuple(session.deciders)
    timed_out = session.deciders.index("ai-timeout")
    assert save.controllers["POL"] == Session.resume(session.save_path).state.controllers["POL"]
    # The file says it, action by action.
    assert re.findall(r'^by = "([a-z-]+)"$', session.save_path.read_text("utf-8"), re.M) == session.deciders
    # The report tells the AI's decision on the timeout apart from the team's.
    record = GameRecord.of_save(save, session.deck)
    markdown = next(iter(report_files(record, markdown=tmp_path / "r.md").values()))
    assert "Poland (the AI, on the team's timeout)" in markdown
    assert record.deciders[timed_out] == "ai-timeout"


def test_who_decided_stays_out_of_the_digest(tmp_path: Path) -> None:
    session = four_deciders(tmp_path)
    assert session.save_path is not None
    save = read_save(session.save_path)
    inferred = make_save(MINI, session.deck, session.state, session.actions, deck_sha256=save.deck_sha256)
    assert inferred.deciders != save.deciders and inferred.digest == save.digest
    # An edit of `by` alone is no edit of the game: it loads, and says what the file says.
    text = session.save_path.read_text("utf-8").replace('by = "ai-timeout"', 'by = "team"')
    session.save_path.write_text(text, "utf-8")
    assert "ai-timeout" not in load_game(session.save_path)[0].deciders


def test_an_older_save_infers_who_decided_and_is_written_again_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    save = read_save(V1_FACILITATED)
    assert save.format == 3
    for action, by in zip(save.actions, save.deciders, strict=True):
        if isinstance(action, FACILITATOR_ACTIONS):
            assert by == "facilitator"
        else:
            assert by == ("team" if action.nation == "POL" else "ai")
    assert {"team", "ai", "facilitator"} == set(save.deciders)
    assert format_save(save) == V1_FACILITATED.read_text("utf-8")
    # Once something new is recorded (an undo), it is written in format 4.
    copy = tmp_path / V1_FACILITATED.name
    shutil.copy(V1_FACILITATED, copy)
    session = Session.resume(copy)
    session.undo()
    assert read_save(copy).format == 4 and len(read_save(copy).undone) == 1


def test_a_bad_decider_is_refused_in_one_line(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"})
    to_human_turn(session)
    assert session.save_path is not None
    text = session.save_path.read_text("utf-8").replace('by = "ai"', 'by = "robot"', 1)
    session.save_path.write_text(text, "utf-8")
    expected = 'action 1 ("choose-response"): by: expected one of "team", "ai", "ai-timeout",'
    with pytest.raises(ValueError, match=re.escape(f'{expected} "facilitator", got the string "robot"')):
        read_save(session.save_path)
    session.save_path.write_text(text.replace('by = "robot"\n', "", 1), "utf-8")  # a table cut short
    with pytest.raises(ValueError, match=re.escape(f'{expected} "facilitator", got nothing')):
        read_save(session.save_path)


# --- finding 8: a paused timer stays paused after a crash ---------------------------------------


def test_a_paused_timer_is_kept_in_the_save_and_restored(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"}, facilitation=Facilitation(True, 30.0))
    to_human_turn(session)
    session.keep_timer(12.34)
    assert session.save_path is not None
    resumed = Session.resume(session.save_path)  # as after a kill -9: only the file is left
    assert resumed.paused_timer == 12.3
    resumed.keep_timer(None)
    assert Session.resume(session.save_path).paused_timer is None
    resumed.keep_timer(5.0)
    resumed.decide(resumed.choices()[0])  # the decision is made: the pause belonged to it
    assert Session.resume(session.save_path).paused_timer is None


def test_a_paused_timer_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"}, facilitation=Facilitation(True, 30.0))
    session.keep_timer(10.0)
    assert session.save_path is not None
    text = session.save_path.read_text("utf-8").replace("paused_timer = 10.0", "paused_timer = 99.0")
    session.save_path.write_text(text, "utf-8")
    with pytest.raises(ValueError, match=r"save\.paused_timer: expected the seconds left"):
        read_save(session.save_path)


# --- finding 10: a forced roll names its nation ---------------------------------------------------


def test_a_roll_forced_for_one_nation_is_not_taken_by_another(mini: Deck) -> None:
    state = at_card(mini, "drones")
    target = state.pending.nation
    other = next(n.id for n in mini.nations if n.id != target)
    forced, _ = apply(state, ForceRoll(True, other))
    after, events = apply(forced, ChooseResponse(target, "shoot-down"))
    roll = next(e for e in events if isinstance(e, RollMade))
    assert not roll.forced  # the target rolled its own dice
    assert after.forced_roll is True and after.forced_seat == other  # still waiting for `other`
    # Forced for the target, it is the target's.
    forced, _ = apply(state, ForceRoll(False, target))
    after, events = apply(forced, ChooseResponse(target, "shoot-down"))
    roll = next(e for e in events if isinstance(e, RollMade))
    assert roll.forced and not roll.success and after.forced_roll is None
    with pytest.raises(IllegalActionError, match='unknown nation "XXX"'):
        apply(state, ForceRoll(True, "XXX"))


def test_a_forced_roll_for_whoever_rolls_next_keeps_its_digest_and_save() -> None:
    # A field that is None is left out: the games played before it have the same digest.
    assert canonical(ForceRoll(True)) == '["ForceRoll",{"success":true}]'
    assert canonical(ForceRoll(True, "EST")) == '["ForceRoll",{"seat":"EST","success":true}]'


# --- undo keeps an abandoned line -----------------------------------------------------------------


def test_undo_keeps_what_it_took_back_and_the_report_shows_it(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"})
    to_human_turn(session)
    turn, round_number = session.state.turn, session.state.round
    session.decide(AdjustTrack("escalation", 7, "the shoot-down"))  # escalation 3 → 10: open conflict
    assert session.over
    removed = session.undo(now=NOW)
    assert removed and not session.over
    assert session.save_path is not None
    save = read_save(session.save_path)
    (line,) = save.undone
    hour = NOW.astimezone().strftime("%H:%M")
    assert line.summary == (
        f"undone at {hour}: the facilitator moves Escalation +7 (the shoot-down),"
        " which had led to Open conflict"
    )
    assert (line.turn, line.round, line.actions, line.deciders) == (
        turn,
        round_number,
        tuple(removed),
        ("facilitator",),
    )
    assert line.at == NOW
    record = GameRecord.of_save(save, session.deck)
    files = report_files(record, html=tmp_path / "r.html", markdown=tmp_path / "r.md")
    html, markdown = files[tmp_path / "r.html"], files[tmp_path / "r.md"]
    assert "<h2>Undone and branched</h2>" in html and "## Undone and branched" in markdown
    assert "which had led to Open conflict" in html and "which had led to Open conflict" in markdown
    # A person's decision and the AI's after it: counted.
    passing = [choice for choice in session.choices() if isinstance(choice, Pass)]
    session.decide((passing or session.choices())[0])
    to_human_turn(session)
    after = len(session.actions) - turn - 1
    assert after > 0
    session.undo(now=NOW)
    summary = session.undone[-1].summary
    assert summary.startswith(f"undone at {hour}: Poland's ")
    assert f", and the AI's {after} decision" in summary


# --- branching ------------------------------------------------------------------------------------


def test_a_branch_goes_on_in_a_new_save_and_leaves_the_original_whole(tmp_path: Path) -> None:
    session = played_session(tmp_path)
    original = session.save_path
    assert original is not None
    before = sha256(original)
    branch = session.branch(5, tmp_path / "what-if.toml", now=NOW)
    assert sha256(original) == before
    assert branch.actions == session.actions[:5] and branch.deciders == session.deciders[:5]
    branch.decide(branch.choices()[0] if branch.is_human_turn else branch.ai_action())
    assert sha256(original) == before
    save, state = load_game(tmp_path / "what-if.toml")
    assert state == branch.state and save.actions[:5] == tuple(session.actions[:5])
    assert save.branched_from is not None
    assert (save.branched_from.path, save.branched_from.sha256, save.branched_from.turn) == (
        original.resolve(),
        before,
        5,
    )
    record = GameRecord.of_save(save, branch.deck)
    html = next(iter(report_files(record, html=tmp_path / "b.html").values()))
    assert f"This game was branched from {original.resolve()} at turn 5" in html


def test_a_branch_refuses_a_turn_it_has_not_and_a_file_that_exists(tmp_path: Path) -> None:
    session = played_session(tmp_path)
    with pytest.raises(ValueError, match=r"there is no turn 13 .* its turns are 0 to 12"):
        session.branch(13, tmp_path / "new.toml")
    taken = tmp_path / "taken.toml"
    taken.write_text("keep me")
    with pytest.raises(ValueError, match="already exists"):
        session.branch(3, taken)
    assert taken.read_text() == "keep me" and not (tmp_path / "new.toml").exists()


# --- the timeline export --------------------------------------------------------------------------


def test_the_timeline_as_csv_tells_the_four_deciders_apart(tmp_path: Path) -> None:
    session = four_deciders(tmp_path)
    assert session.save_path is not None
    run = CliRunner().invoke(main, ["report", str(session.save_path), "--format", "csv", "-o", "-"])
    assert run.exit_code == 0, run.output
    rows = list(csv.DictReader(io.StringIO(run.output)))
    assert len(rows) == len(session.actions)  # one row per decision
    assert [row["decided_by"] for row in rows] == session.deciders
    assert {row["decided_by"] for row in rows} == {"team", "ai", "ai-timeout", "facilitator"}
    assert [int(row["turn"]) for row in rows] == list(range(len(rows)))
    assert all(row["roll"] in ("success", "failure", "none") for row in rows)
    note = rows[session.actions.index(AddNote("the room argues"))]
    assert (note["seat"], note["kind"], note["choice"]) == ("facilitator", "note", "the room argues")
    team = rows[session.deciders.index("team")]
    assert team["seat"] == "POL" and team["seat_name"] == "Poland" and team["choice"]
    # Some decision moved a track, written as `track +N`.
    assert any(re.fullmatch(r"([a-z]+ [+-]\d+)(; [a-z]+ [+-]\d+)*", row["effects"]) for row in rows)


def test_the_timeline_as_json_and_to_a_file(tmp_path: Path) -> None:
    session = four_deciders(tmp_path)
    assert session.save_path is not None
    run = CliRunner().invoke(main, ["report", str(session.save_path), "-o", str(tmp_path / "t.json")])
    assert run.exit_code == 0, run.output
    rows = json.loads((tmp_path / "t.json").read_text("utf-8"))
    assert [row["decided_by"] for row in rows] == session.deciders
    assert all(isinstance(row["effects"], dict) for row in rows)
    run = CliRunner().invoke(main, ["report", str(session.save_path), "--format", "csv"])
    assert run.exit_code == 0 and session.save_path.with_suffix(".csv").exists()
    run = CliRunner().invoke(main, ["report", str(session.save_path), "--format", "md", "-o", "-"])
    assert run.exit_code == 2 and "-o - writes the timeline" in run.output


def test_a_formula_in_a_note_is_written_as_text(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"})
    session.decide(AddNote("=HYPERLINK(1)"))
    assert session.save_path is not None
    run = CliRunner().invoke(main, ["report", str(session.save_path), "--format", "csv", "-o", "-"])
    rows = list(csv.DictReader(io.StringIO(run.output)))
    assert rows[-1]["choice"] == "'=HYPERLINK(1)"


def test_a_record_of_a_save_built_by_hand_infers_its_deciders(mini: Deck, tmp_path: Path) -> None:
    session = played_session(tmp_path, 6)
    save = make_save(MINI, mini, session.state, session.actions)
    bare = attrs.evolve(save, deciders=())
    assert bare.deciders == save.deciders
    write_save(tmp_path / "bare.toml", bare)
    assert read_save(tmp_path / "bare.toml").deciders == save.deciders


def test_a_paused_timer_resumed_with_a_shorter_timer_still_saves(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {"POL": "human"}, facilitation=Facilitation(True, 90.0))
    to_human_turn(session)
    session.keep_timer(80.0)
    assert session.save_path is not None
    resumed = Session.resume(session.save_path)
    resumed.facilitation = Facilitation(True, 30.0)  # wargame resume --turn-timer 30
    resumed.decide(AddNote("a shorter timer"))
    assert resumed.is_saved and Session.resume(session.save_path).paused_timer == 30.0


def test_wargame_replay_says_who_decided_on_a_timeout(tmp_path: Path) -> None:
    session = four_deciders(tmp_path)
    assert session.save_path is not None
    run = CliRunner().invoke(main, ["replay", str(session.save_path)])
    assert run.exit_code == 0, run.output
    assert "Poland (the AI, on the team's timeout)" in run.output and "Poland (team)" in run.output
