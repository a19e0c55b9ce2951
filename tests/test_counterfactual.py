"""The counterfactual debrief (issue 13, point 3): `wargame report SAVE --counterfactual`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from tests.helpers import mini_session
from wargame.ai import planner
from wargame.cli import main
from wargame.lab import counterfactual
from wargame.lab.report import GameRecord
from wargame.storage import load_deck
from wargame.storage.saves import load_game

HUMANS = {"POL": "human", "EST": "human"}


@pytest.fixture
def save(tmp_path: Path) -> Path:
    """A finished game of the small deck with two human seats, the teams' choices varied (the
    AI's for the others), saved."""
    session = mini_session(tmp_path, HUMANS, seed=5)
    while not session.over:
        if session.is_human_turn:
            choices = session.choices()
            session.decide(choices[len(session.actions) % len(choices)])
        else:
            session.decide(session.ai_action())
    assert session.save_path is not None
    return session.save_path


def _report(save: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["report", str(save), "--counterfactual", "--rollouts", "4", *args])
    return result.exit_code, result.stdout, result.stderr


def _section(text: str) -> str:
    return text.split("## Decisions that mattered", 1)[1].split("## Timeline", 1)[0]


def test_the_section_ranks_the_largest_gaps_first_with_intervals(save: Path) -> None:
    code, _, err = _report(save, "-o", str(save.with_suffix(".md")))
    assert code == 0, err
    section = _section(save.with_suffix(".md").read_text("utf-8"))
    assert "with what the team knew at the time" in section
    told = re.findall(
        r"^\d\. Round (\d+), (\w+): you chose (.+) \(survival (\d+)% ± (\d+), score", section, re.M
    )
    assert 1 <= len(told) <= 5
    assert {seat for _, seat, _, _, _ in told} <= {"Poland", "Estonia"}
    # Ranked by the gap in survival: recompute each from the cache.
    cache = json.loads(counterfactual.cache_beside(save).read_text("utf-8"))
    judgements = [
        counterfactual.Judgement(
            j["turn"],
            j["round"],
            j["seat"],
            j["seat_name"],
            j["chosen"],
            tuple(counterfactual.Option(**o) for o in j["options"]),
        )
        for j in cache["judgements"]
    ]
    assert {j.seat for j in judgements} == {"POL", "EST"}
    ranked = counterfactual.gaps(judgements)
    assert [j.gap for j in ranked] == sorted((j.gap for j in ranked), reverse=True)
    assert [j.words() for j in ranked] == [
        line.split(". ", 1)[1] for line in re.findall(r"^\d\. .+$", section, re.M)
    ]
    assert all(j.gap > (0.0, 0.0) for j in ranked)
    # Every decision of the table has an interval for each option.
    assert section.count("% ± ") >= sum(len(j.options) for j in judgements)


def test_the_page_has_the_section_escaped(save: Path) -> None:
    page = save.with_suffix(".html")
    code, _, err = _report(save, "-o", str(page))
    assert code == 0, err
    html = page.read_text("utf-8")
    assert "<h2>Decisions that mattered</h2>" in html
    assert '<table class="counterfactual">' in html
    assert "with what the team knew at the time" in unescape(html)


def test_a_second_report_reads_the_cache_and_other_rollouts_ignore_it(
    save: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = str(save.with_suffix(".md"))
    assert _report(save, "-o", out)[0] == 0
    first = save.with_suffix(".md").read_text("utf-8")
    judged: list[int] = []
    real = counterfactual._judge_one
    monkeypatch.setattr(counterfactual, "_judge_one", lambda task: judged.append(1) or real(task))
    code, _, err = _report(save, "-o", out)
    assert code == 0 and "from " in err and judged == []
    assert save.with_suffix(".md").read_text("utf-8") == first
    code, _, err = _report(save, "-o", out, "--rollouts", "3")
    assert code == 0 and "3 futures an option" in err and judged
    # A changed save is stale too.
    count = len(judged)
    save.write_text(save.read_text("utf-8") + "\n", encoding="utf-8")
    assert _report(save, "-o", out, "--rollouts", "3")[0] == 0
    assert len(judged) > count


def test_bad_seats_get_a_clear_message(save: Path) -> None:
    code, _, err = _report(save, "--seats", "POL,XYZ", "-o", str(save.with_suffix(".md")))
    assert code == 2
    assert "XYZ: not a nation" in err and "POL, EST, DEU" in err and "Traceback" not in err


def test_a_save_without_human_seats_says_so(tmp_path: Path) -> None:
    session = mini_session(tmp_path, {}, seed=2)
    for _ in range(3):
        session.decide(session.ai_action())
    assert session.save_path is not None
    out = tmp_path / "r.md"
    code, _, err = _report(session.save_path, "-o", str(out))
    assert code == 0 and "no human seats" in err
    assert "--seats" in _section(out.read_text("utf-8"))


def test_it_judges_from_the_seats_view(save: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worlds are sampled from the seat's view: hidden information changed before a decision (the
    draw order, the engine's PRNG) gives the same figures, and every sampling asks for the seat's view."""
    saved, _ = load_game(save)
    record = GameRecord.of_save(saved, load_deck(saved.deck_path))
    decisions = counterfactual._decisions(record, ["POL", "EST"])
    decision, chosen, options = next(d for d in decisions if len(d[0].draw_pile) > 1)
    hidden = attrs.evolve(decision, draw_pile=decision.draw_pile[::-1], rng=decision.rng ^ 0xABCDEF)
    assert hidden != decision
    seen: list[str] = []
    real = planner.view
    monkeypatch.setattr(planner, "view", lambda board, seat: seen.append(seat) or real(board, seat))
    one = counterfactual._judge_one((decision, chosen, options, 4))
    other = counterfactual._judge_one((hidden, chosen, options, 4))
    assert one == other
    assert decision.pending is not None
    assert seen == [decision.pending.seat] * 8
    # And the options are told apart: the figures are not all the same.
    assert len({o.survival for o in one.options} | {o.score for o in one.options}) > 1


def test_jobs_give_the_same_figures(save: Path) -> None:
    """Spawned worker processes judge each decision as one process does (the seed is the decision's)."""
    saved, _ = load_game(save)
    record = GameRecord.of_save(saved, load_deck(saved.deck_path))
    one = counterfactual.judge(record, ["EST"], rollouts=3, jobs=1)
    two = counterfactual.judge(record, ["EST"], rollouts=3, jobs=2)
    assert len(one) > 1
    assert one == two


def test_worker_processes_start_under_a_captured_stderr(save: Path) -> None:
    """The Game over screen judges with 2 jobs while Textual holds `sys.stderr`, whose file descriptor
    is -1: multiprocessing's resource tracker, started then, refused it ("bad value(s) in
    fds_to_keep"). In a fresh process (the tracker not yet running), as under the TUI."""
    script = f"""
import sys
from pathlib import Path
from wargame.lab import counterfactual
from wargame.lab.report import GameRecord
from wargame.storage import load_deck
from wargame.storage.saves import load_game

class Captured:
    def write(self, text): return len(text)
    def flush(self): pass
    def fileno(self): return -1

saved, _ = load_game(Path({str(save)!r}))
record = GameRecord.of_save(saved, load_deck(saved.deck_path))
sys.stderr = Captured()
judged = counterfactual.judge(record, ["EST"], rollouts=2, jobs=2)
print(len(judged), isinstance(sys.stderr, Captured))
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [str(len(counterfactual.judge(record_of(save), ["EST"], 2))), "True"]


def record_of(save: Path) -> GameRecord:
    saved, _ = load_game(save)
    return GameRecord.of_save(saved, load_deck(saved.deck_path))
