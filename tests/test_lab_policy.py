"""The lab and the report know postures and councils (issue 11, point 7): the `postures` and
`councils` figures of `simulate`, and the report's postures chart and council tables.

Every figure is checked against the same games replayed apart with `apply`, their events read."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import DECKS
from wargame.ai import choose
from wargame.engine import apply, new_game
from wargame.engine.postures import level_of
from wargame.lab import format_report, game_seed, simulate, summarise
from wargame.lab.report import GameRecord, report_files
from wargame.model import Action, Deck
from wargame.model.events import CouncilConcluded, PostureSet, ResponseChosen, RoundEnded
from wargame.storage import load_deck

POSTURES = DECKS / "postures.toml"
COUNCIL = DECKS / "council.toml"
GAMES = 40


def replayed(deck: Deck, seed: int, games: int) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """Each posture's final level and the councils' outcomes, counted over the games replayed apart."""
    levels: dict[str, Counter[str]] = {posture: Counter() for posture in deck.postures}
    councils: Counter[str] = Counter()
    for index in range(games):
        state = new_game(deck, game_seed(seed, index), {})
        while state.pending is not None:
            state, events = apply(state, choose(state, state.pending.seat))
            for event in events:
                if isinstance(event, CouncilConcluded):
                    councils["adopted" if event.adopted else "deadlocked"] += 1
                elif isinstance(event, ResponseChosen) and event.nation is None:
                    councils["decided"] += 1
        for posture in deck.postures:
            levels[posture][level_of(deck, state.postures, posture)] += 1
    return levels, councils


def test_simulate_counts_the_level_each_posture_ends_at() -> None:
    deck = load_deck(POSTURES)
    data = summarise(deck, simulate(POSTURES, GAMES, 1, 3, {}, deck=deck), 1.0, 3, 1).as_json()
    levels, councils = replayed(deck, 3, GAMES)
    assert set(data["postures"]) == {"roe"}
    roe = data["postures"]["roe"]
    assert list(roe) == ["strict", "loose"]  # every level, in the deck's order
    assert {level: figures["games"] for level, figures in roe.items()} == {
        level: levels["roe"][level] for level in roe
    }
    assert sum(figures["games"] for figures in roe.values()) == data["games"] == GAMES
    for figures in roe.values():
        assert figures["share"] == round(figures["games"] / GAMES, 4)
    # Both levels are reached in these games: the count is not a constant.
    assert all(figures["games"] for figures in roe.values()), roe
    # A plurality council always decides: every one adopted, none deadlocked.
    assert data["councils"] == {
        "kind": "plurality",
        "held": councils["decided"],
        "adopted": councils["decided"],
        "deadlocked": 0,
        "deadlocked_share": 0.0,
    }
    assert councils["decided"] > 0
    text = format_report(summarise(deck, simulate(POSTURES, GAMES, 1, 3, {}, deck=deck), 1.0, 3, 1))
    lines = text.splitlines()
    start = lines.index("Postures at the end: games (share)")
    assert lines[start + 1].startswith("  Rules of engagement (roe, starts strict)")
    assert lines[start + 2].split()[:2] == ["strict", str(roe["strict"]["games"])]
    assert f"  held {councils['decided']} — every one decided by the most votes" in lines


def test_simulate_counts_consensus_councils_adopted_and_deadlocked() -> None:
    deck = load_deck(COUNCIL)
    data = summarise(deck, simulate(COUNCIL, GAMES, 1, 5, {}, deck=deck), 1.0, 5, 1).as_json()
    _, councils = replayed(deck, 5, GAMES)
    figures = data["councils"]
    assert figures["kind"] == "consensus"
    assert (figures["adopted"], figures["deadlocked"]) == (councils["adopted"], councils["deadlocked"])
    assert figures["held"] == figures["adopted"] + figures["deadlocked"]
    assert figures["deadlocked"] > 0 and figures["adopted"] > 0
    assert figures["deadlocked_share"] == round(figures["deadlocked"] / figures["held"], 4)
    assert data["postures"] == {}
    text = format_report(summarise(deck, simulate(COUNCIL, GAMES, 1, 5, {}, deck=deck), 1.0, 5, 1))
    assert "Postures" not in text
    assert f"  held {figures['held']} — adopted {figures['adopted']} (" in text


def test_tallies_of_parts_merge_to_the_tally_of_the_whole() -> None:
    from wargame.lab.tally import play_games

    deck = load_deck(POSTURES)
    seeds = [game_seed(9, index) for index in range(20)]
    whole = play_games(deck, seeds, {})
    part = play_games(deck, seeds[:7], {})
    part.merge(play_games(deck, seeds[7:], {}))
    assert part.postures == whole.postures and part.decided == whole.decided
    assert sum(whole.postures["roe"].values()) == 20


# --- the report -------------------------------------------------------------------------------------


def played(path: Path, wanted: type, seeds: range = range(1, 60)) -> tuple[GameRecord, list[list[object]]]:
    """The first AI game (by seed) with an event of type `wanted`, and its events action by action."""
    deck = load_deck(path)
    for seed in seeds:
        state = new_game(deck, seed, {})
        actions: list[Action] = []
        events: list[list[object]] = []
        while state.pending is not None:
            action = choose(state, state.pending.seat)
            state, happened = apply(state, action)
            actions.append(action)
            events.append(list(happened))
        if any(isinstance(event, wanted) for step in events for event in step):
            return GameRecord(deck, path, seed, state.controllers, tuple(actions), None, None), events
    raise AssertionError(f"no game with a {wanted.__name__}")


def test_the_report_charts_each_posture_and_tables_its_level_at_each_round(tmp_path: Path) -> None:
    record, events = played(POSTURES, PostureSet)
    deck = record.deck
    files = report_files(record, html=tmp_path / "r.html", markdown=tmp_path / "r.md")
    assert set(files) == {tmp_path / name for name in ("r.html", "r.md", "r-tracks.svg", "r-postures.svg")}
    markdown = files[tmp_path / "r.md"]
    section = markdown[markdown.index("## Postures over the rounds") : markdown.index("## Turning points")]
    assert "![The postures over the rounds](r-postures.svg)" in section
    # The level at each round's end, from the engine's own events.
    level, expected = deck.postures["roe"].start, [(0, deck.postures["roe"].start)]
    moves = []
    for step in events:
        for event in step:
            if isinstance(event, PostureSet):
                level = event.after
                moves.append(event)
            elif isinstance(event, RoundEnded):
                expected.append((event.round, level))
    names = {lv.id: lv.label for lv in deck.postures["roe"].levels}
    rows = re.findall(r"^\| (\d+) \| (\w+) \|$", section, re.M)
    assert [(int(r), name) for r, name in rows][: len(expected)] == [(r, names[lv]) for r, lv in expected]
    told = re.findall(r"^- round (\d+): Rules of engagement from (\w+) to (\w+) — ", section, re.M)
    assert [(b, a) for _, b, a in told] == [(names[m.before], names[m.after]) for m in moves]
    # The chart: one band per posture, its line stepping once per change.
    svg = files[tmp_path / "r-postures.svg"]
    lines = re.findall(r'<polyline class="level"[^>]* points="([^"]+)"', svg)
    assert len(lines) == len(deck.postures) == 1
    points = lines[0].split()
    assert len(points) == 2 + 2 * len(moves)
    ys = [float(p.split(",")[1]) for p in points]
    assert len(set(ys)) == len({m.after for m in moves} | {deck.postures["roe"].start})
    page = files[tmp_path / "r.html"]
    assert "<h2>Postures over the rounds</h2>" in page and 'class="level"' in page
    assert page.count("<td>Strict</td>") + page.count("<td>Loose</td>") >= len(expected)


def test_a_deck_without_postures_has_no_postures_section(tmp_path: Path) -> None:
    record, _ = played(COUNCIL, CouncilConcluded)
    files = report_files(record, html=tmp_path / "r.html", markdown=tmp_path / "r.md")
    assert tmp_path / "r-postures.svg" not in files
    assert "Postures over the rounds" not in files[tmp_path / "r.md"] + files[tmp_path / "r.html"]


@pytest.mark.parametrize("deadlocked", [True, False])
def test_each_consensus_council_has_a_table_of_the_proposal_the_answers_and_the_result(
    tmp_path: Path, deadlocked: bool
) -> None:
    deck = load_deck(COUNCIL)
    # The first game with a council that ended so (deadlocked, or adopted).
    for seed in range(1, 80):
        record, events = played(COUNCIL, RoundEnded, range(seed, seed + 1))
        concluded = [e for step in events for e in step if isinstance(e, CouncilConcluded)]
        if any(e.adopted != deadlocked for e in concluded):
            break
    else:
        raise AssertionError("no such council")
    files = report_files(record, html=tmp_path / "r.html", markdown=tmp_path / "r.md")
    markdown, page = files[tmp_path / "r.md"], files[tmp_path / "r.html"]
    blocks = markdown[markdown.index("## Consultations and councils") : markdown.index("## Timeline")]
    councils = [b for b in blocks.split("\n### ") if ": the council on " in b.splitlines()[0]]
    assert len(councils) == len(concluded)
    for block, event in zip(councils, concluded, strict=True):
        rows = re.findall(r"^\| ([^|]+) \| [^|]+ \| ([^|]+) \|$", block, re.M)[2:]  # after the header
        card = deck.card(event.card)
        proposal = card.response(event.proposal).label
        assert rows[0] == (deck.nations[0].name, f'proposed "{proposal}"')
        answers = {name: said for name, said in rows[1:]}
        assert [n.name for n in deck.nations if answers.get(n.name) == "objected"] == [
            deck.nation(n).name for n in event.objectors
        ]
        assert len(rows) == len(deck.nations)
        resolved = card.response(event.resolved).label
        if event.adopted:
            assert "Result: adopted by consensus (no objection)." in block
            assert f'The council chose "{resolved}"' in block
            assert "Result: adopted by consensus (no objection).</p>" in page
        else:
            objectors = ", ".join(deck.nation(n).name for n in event.objectors)
            assert f"Result: deadlocked ({objectors} objected)." in block
            assert f'The council fell back to "{resolved}"' in block
            assert f"<p>Result: deadlocked ({objectors} objected).</p>" in page


def test_a_plurality_council_says_it_was_adopted_and_by_how_many_votes(tmp_path: Path) -> None:
    record, events = played(POSTURES, PostureSet)
    chosen = [e for step in events for e in step if isinstance(e, ResponseChosen) and e.nation is None]
    markdown = report_files(record, markdown=tmp_path / "r.md")[tmp_path / "r.md"]
    results = re.findall(r"^Result: adopted by plurality \((\d+) of (\d+) votes\)\.$", markdown, re.M)
    assert len(results) == len(chosen) > 0
    for backers, votes in results:
        assert 1 <= int(backers) <= int(votes) == len(record.deck.nations)
