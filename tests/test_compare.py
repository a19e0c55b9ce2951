"""`simulate --baseline`: the changes that are not luck are marked, and luck alone marks nothing."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.helpers import DECKS
from wargame.cli import main
from wargame.lab import summarise
from wargame.lab.compare import compare, format_changes
from wargame.lab.sweep import make_variants, parse_variation, play_variants

MINI = DECKS / "mini.toml"
GAMES = 1000


def _runs(vary: str, seeds: tuple[int, int]) -> tuple[dict[str, object], dict[str, object], list[str]]:
    """The mini deck's figures with `seed[0]`, and its variant's (the deck itself at its own value,
    or with a change) with `seed[1]`."""
    variants = make_variants(MINI.read_text("utf-8"), [parse_variation(vary)], "mini.toml")
    first = play_variants(variants[:1], GAMES, 2, seeds[0], {})[0]
    second = play_variants(variants[-1:], GAMES, 2, seeds[1], {})[0]
    deck = variants[0].deck
    defeats = [ending.id for ending in deck.defeats]
    as_json = [
        summarise(v.deck, t, 1.0, s, 2).as_json()
        for v, t, s in ((variants[0], first, seeds[0]), (variants[-1], second, seeds[1]))
    ]
    return as_json[0], as_json[1], defeats


def test_a_defeat_moved_on_purpose_is_marked() -> None:
    # The mini deck never loses; at escalation 5 rather than 10, open conflict is common.
    before, after, defeats = _runs("endings.war.when[0].min=10,5", (1, 1))
    changes = {(c.section, c.name): c for c in compare(before, after, defeats)}
    assert changes["endings", "war"].significant and changes["endings", "war"].after > 0.2
    assert changes["endings", "survival"].significant and changes["endings", "survival"].before == 1.0


def test_another_seed_alone_marks_nothing() -> None:
    before, after, defeats = _runs("endings.war.when[0].min=10", (1, 2))
    changes = compare(before, after, defeats)
    assert len([c for c in changes if c.p_value is not None]) >= 15  # many shares were compared
    assert [c for c in changes if c.significant] == []
    # And some did move a little: the test had something to judge.
    assert any(c.before != c.after for c in changes)


def test_simulate_prints_the_comparison_with_a_json_or_a_deck_baseline(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    run = ["simulate", str(MINI), "-n", "200", "-j", "1"]
    assert CliRunner().invoke(main, [*run, "--json", str(old)]).exit_code == 0
    changed = tmp_path / "changed.toml"
    changed.write_text(MINI.read_text("utf-8").replace("min = 10 }]", "min = 5 }]", 1), "utf-8")
    for baseline in (old, MINI):
        result = CliRunner().invoke(
            main, ["simulate", str(changed), "-n", "200", "-j", "1", "--baseline", str(baseline)]
        )
        assert result.exit_code == 0, result.output
        assert f"Against the baseline {baseline}" in result.output
        assert "* endings: war" in result.output and "* endings: survival" in result.output


def test_a_baseline_that_is_not_a_run_is_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"hello": 1}), "utf-8")
    result = CliRunner().invoke(main, ["simulate", str(MINI), "-n", "5", "--baseline", str(bad)])
    assert result.exit_code == 1 and "not the JSON of `wargame simulate --json`" in result.output
    assert "Traceback" not in result.output


def test_the_text_marks_with_a_star() -> None:
    before, after, defeats = _runs("endings.war.when[0].min=10,5", (1, 1))
    text = format_changes(compare(before, after, defeats), "old.json")
    assert text.startswith("Against the baseline old.json:")
    assert any(line.startswith("* endings: war") for line in text.splitlines())
