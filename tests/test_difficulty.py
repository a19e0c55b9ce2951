"""Difficulty for solo players: who of the AI seats plans (`with_difficulty`, `wargame play
--difficulty`), kept in the save's controllers and so through a resume."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import MINI, RED
from wargame.cli import main
from wargame.cli import play as play_command
from wargame.model import HUMAN, Planner, Scripted
from wargame.session import DIFFICULTIES, Session, default_controllers, with_difficulty
from wargame.storage import load_deck


def started(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deck: Path = RED) -> Session:
    """The session `wargame play DECK ARGS` would open (the terminal UI is not run)."""
    sessions: list[Session] = []
    monkeypatch.setattr(play_command, "interactive", lambda: True)
    monkeypatch.setattr(play_command, "_play_session", lambda session, *_: sessions.append(session))
    run = CliRunner().invoke(main, ["play", str(deck), "--saves", str(tmp_path), "--seed", "3", *args])
    assert run.exit_code == 0, run.output
    return sessions[0]


@pytest.mark.parametrize(
    ("difficulty", "controllers"),
    [
        (
            "easy",
            {"POL": "human", "EST": "ai:hawk:planner", "DEU": "ai:dove:planner", "moscow": "ai:prober"},
        ),
        ("normal", {"POL": "human", "EST": "ai:hawk", "DEU": "ai:dove", "moscow": "ai:prober"}),
        ("hard", {"POL": "human", "EST": "ai:hawk", "DEU": "ai:dove", "moscow": "ai:prober:planner"}),
    ],
)
def test_play_difficulty_seats_the_planners(
    difficulty: str, controllers: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = started(["--difficulty", difficulty], tmp_path, monkeypatch)
    assert {seat: str(who) for seat, who in session.state.controllers.items()} == controllers
    # The difficulty is only the controllers, which the save keeps: a resume plays on at it.
    assert session.save_path is not None
    resumed = Session.resume(session.save_path)
    assert resumed.state.controllers == session.state.controllers


def test_normal_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = started([], tmp_path, monkeypatch)
    assert not any(isinstance(who, Planner) for who in session.state.controllers.values())


def test_controllers_win_over_the_difficulty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["--difficulty", "hard", "-c", "moscow=ai:divider,EST=ai:dove:planner:3", "--human", "POL"]
    session = started(args, tmp_path, monkeypatch)
    controllers = {seat: str(who) for seat, who in session.state.controllers.items()}
    assert controllers == {
        "POL": "human",
        "EST": "ai:dove:planner:3",
        "DEU": "ai:dove",
        "moscow": "ai:divider",
    }


def test_hard_with_rollouts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = started(["--difficulty", "hard", "--planner-rollouts", "2"], tmp_path, monkeypatch)
    assert session.state.controllers["moscow"] == Planner("prober", 2)


def test_hard_without_an_adversary_is_normal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hard = started(["--difficulty", "hard"], tmp_path, monkeypatch, deck=MINI)
    normal = started(["--difficulty", "normal"], tmp_path / "normal", monkeypatch, deck=MINI)
    assert hard.state.controllers == normal.state.controllers
    assert not any(isinstance(who, Planner) for who in hard.state.controllers.values())


def test_a_human_seat_stays_human_at_every_difficulty() -> None:
    deck = load_deck(RED)
    seated = default_controllers(deck, ["POL", "moscow"])
    for difficulty in DIFFICULTIES:
        chosen = with_difficulty(deck, seated, difficulty)
        assert chosen["POL"] == HUMAN and chosen["moscow"] == HUMAN
        assert chosen["EST"] == (Planner("hawk") if difficulty == "easy" else Scripted("hawk"))


def test_an_unknown_difficulty_is_refused(tmp_path: Path) -> None:
    run = CliRunner().invoke(main, ["play", str(RED), "--saves", str(tmp_path), "--difficulty", "brutal"])
    assert run.exit_code == 2 and "'brutal' is not one of 'easy', 'normal', 'hard'" in run.output, run.output
    assert "Traceback" not in run.output
