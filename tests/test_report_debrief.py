"""The after-action report as a debrief rests on it: each fact checked against the engine's own events.

Issue 12: the consultation's invoker (finding 1), the HTML's table of the tracks and its agreement with
the chart (findings 3 and 4), the words a room reads (finding 9), and what a debrief needs: a table
per consultation and council, each decision with its effects, a summary per seat, the chart's marks,
the blow that ended the game, a print stylesheet.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from html import unescape
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from tests.helpers import BUNDLED_V2, MINI, ROOT, played_to_the_end
from wargame.cli import main
from wargame.engine import apply, result, start_game
from wargame.lab.chart import SVG_NAMESPACE as SVG
from wargame.lab.report import GameRecord, history_to_the_end, report_files
from wargame.model import (
    Action,
    AdjustTrack,
    ChooseResponse,
    Deck,
    ForceRoll,
    GameState,
    InjectCard,
    Invest,
    RespondDecision,
)
from wargame.model.events import (
    CauseKind,
    ConsultationOpened,
    ConsultationResolved,
    Event,
    GameEnded,
    Narrated,
    PositionTaken,
    ResponseChosen,
    RoundStarted,
    TrackMoved,
    VoteCast,
)
from wargame.storage import load_deck
from wargame.storage.saves import load_game

BUNDLED_V1 = ROOT / "tests" / "decks" / "v1" / "eastern-flank-2025.toml"


def record_of(deck: Deck, path: Path, state: GameState, actions: Sequence[Action]) -> GameRecord:
    return GameRecord(deck, path, state.seed, state.controllers, tuple(actions), None, None)


def steps(record: GameRecord) -> list[tuple[GameState, Action, list[Event]]]:
    """Each action of a record with the state before it and its events, as the engine plays them."""
    state, _ = start_game(record.deck, record.seed, record.controllers)
    told = []
    for action in record.actions:
        before = state
        state, events = apply(state, action)
        told.append((before, action, events))
    return told


def reports(record: GameRecord, folder: Path) -> tuple[str, str, str]:
    """The Markdown, the page (its text unescaped) and the chart of a record."""
    files = report_files(record, html=folder / "r.html", markdown=folder / "r.md")
    return files[folder / "r.md"], files[folder / "r.html"], files[folder / "r-tracks.svg"]


def section(text: str, start: str, end: str) -> str:
    """The text from `start` to the first `end` after it."""
    at = text.index(start)
    return text[at : text.index(end, at + len(start))]


# --- finding 1: who invoked the consultation -----------------------------------------------------------


def test_the_turning_points_name_who_really_invoked_each_consultation(tmp_path: Path) -> None:
    """The issue's reproduction: `wargame simulate --games 30 --seed 1 --save-games D`; in every game,
    each swing of a consultation's result names the nation of its `ConsultationResolved` event."""
    run = CliRunner().invoke(
        main, ["simulate", "--games", "30", "--seed", "1", "-j", "1", "--save-games", str(tmp_path)]
    )
    assert run.exit_code == 0, run.output
    from wargame.lab.chronicle import tell

    checked = 0
    for path in sorted(tmp_path.glob("game-*.toml")):
        save, state = load_game(path)
        deck = state.deck
        record = GameRecord.of_save(save, deck)
        # The engine's word: each consultation's result, who invoked it, and the tracks it moved.
        expected: list[tuple[int, str, str]] = []
        for before, _, events in steps(record):
            invoker = None
            for event in events:
                if isinstance(event, ConsultationResolved):
                    invoker = event.nation
                elif (
                    isinstance(event, TrackMoved)
                    and event.cause.kind is CauseKind.CONSULTATION
                    and event.after != event.before
                ):
                    assert invoker is not None
                    expected.append((before.round, event.track, deck.nation(invoker).name))
        told = tell(deck, save.seed, save.controllers, save.actions)
        label = deck.consultation.label
        swings = [s for s in told.swings if s.cause.startswith(f"{label} ended")]
        assert [(s.round, s.track, s.cause.rsplit("invoked by ", 1)[1]) for s in swings] == expected
        checked += len(expected)
        markdown = report_files(record, markdown=tmp_path / "r.md")[tmp_path / "r.md"]
        for line in re.findall(rf"{label} ended \w+, invoked by ([^\n]+)", markdown):
            assert line in {name for _, _, name in expected}
    assert checked > 10


# --- findings 3 and 4: the tracks round by round, in the page too ---------------------------------------


def page_table(page: str) -> list[list[int]]:
    """The rows of the page's table of the tracks (round, then each track)."""
    table = section(page, '<table class="tracks">', "</table>")
    return [
        [int(cell) for cell in re.findall(r"<td[^>]*>(-?\d+)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table)
        if "<td" in row
    ]


def test_the_page_has_the_tracks_round_by_round_and_the_chart_a_point_for_each_row(tmp_path: Path) -> None:
    """A mid-round defeat (v1 deck, seed 0): the page's table, the Markdown's and the chart agree,
    from round 0 to where the game stopped."""
    deck = load_deck(BUNDLED_V1)
    state, actions = played_to_the_end(deck, 0)
    assert len(state.history["cohesion"]) == state.round, "a defeat before the round's end"
    markdown, page, chart = reports(record_of(deck, BUNDLED_V1, state, actions), tmp_path)
    history = history_to_the_end(state)
    expected = [[number, *(history[t][number] for t in deck.tracks)] for number in range(state.round + 1)]
    assert page_table(page) == expected
    header = section(page, '<table class="tracks">', "</thead>")
    assert re.findall(r"<th[^>]*>([^<]+)</th>", header) == ["round", *(t.name for t in deck.tracks.values())]
    rows = [
        [int(cell) for cell in line.strip("| ").split(" | ")]
        for line in section(markdown, "| round |", "## Turning points").splitlines()[2:]
        if line.strip()
    ]
    assert rows == expected
    inline = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    for svg in (ET.fromstring(chart), ET.fromstring(inline)):
        for line in svg.iter(f"{{{SVG}}}polyline"):
            assert len((line.get("points") or "").split()) == len(expected)


# --- finding 9: the words the room reads ----------------------------------------------------------------


def test_titles_are_quoted_once_players_by_persona_and_the_deck_by_its_file_name(tmp_path: Path) -> None:
    deck = load_deck(BUNDLED_V1)
    all_means = next(card for card in deck.cards if card.title == '"All means"')
    state, actions = played_to_the_end(deck, 3, [InjectCard(all_means.id)])
    installed = Path("/usr/lib/python3/site-packages/wargame/decks/eastern-flank-2025.toml")
    markdown, page, _ = reports(record_of(deck, installed, state, actions), tmp_path)
    for text in (markdown, unescape(page)):
        assert 'Card "All means" ' in text and '""' not in text
        assert "ai:" not in text and "site-packages" not in text
        assert "Eastern Flank 2025 v1.1 (eastern-flank-2025.toml)" in text
        assert "Poland: AI (Hawk)" in text and "Italy: AI (Dove)" in text
        assert not re.search(r"\b1 points\b", text)
        assert ", and 1 facilitator action\n" in text.replace("</li>", "\n") and "(s)" not in text


def test_a_seat_that_scores_one_point_has_one_point(mini: Deck, tmp_path: Path) -> None:
    one_each = attrs.evolve(
        mini,
        nations=tuple(
            attrs.evolve(n, objectives=tuple(attrs.evolve(o, points=1) for o in n.objectives))
            for n in mini.nations
        ),
    )
    for seed in range(20):
        state, actions = played_to_the_end(one_each, seed)
        if any(score.points == 1 for score in result(state).scores):
            break
    else:
        pytest.fail("no game of 20 where a nation met exactly one objective")
    markdown, page, _ = reports(record_of(one_each, MINI, state, actions), tmp_path)
    for score in result(state).scores:
        name = one_each.nation(score.nation).name
        words = "1 point" if score.points == 1 else f"{score.points} points"
        assert re.search(rf"### {name}\n\nPlayed by: [^.]+\. Score: {words}\.", markdown)
        assert re.search(rf"<h3>{name}</h3>\n<p>Played by: [^.]+\. Score: {words}\.", unescape(page))
    assert "Score: 1 point." in markdown and "1 points" not in markdown


# --- the debrief: consultations and councils, decisions, seats ------------------------------------------


@pytest.fixture(scope="module")
def debrief(tmp_path_factory: pytest.TempPathFactory) -> tuple[GameRecord, str, str, str]:
    """A game of the bundled deck as of v2.0 (Moscow, council votes by plurality) with consultations,
    councils and the facilitator's steering."""
    deck = load_deck(BUNDLED_V2)
    folder = tmp_path_factory.mktemp("debrief")
    for seed in range(40):
        opening: list[Action] = [AdjustTrack("escalation", 1, "a heated room"), ForceRoll(True)]
        state, actions = played_to_the_end(deck, seed, opening)
        record = record_of(deck, BUNDLED_V2, state, actions)
        events = [event for _, _, told in steps(record) for event in told]
        if any(isinstance(e, ConsultationOpened) for e in events) and any(
            isinstance(e, VoteCast) for e in events
        ):
            return (record, *reports(record, folder))
    raise AssertionError("no game of 40 with both a consultation and a council")


def test_each_consultation_has_a_table_of_positions_and_each_reaction_once(
    debrief: tuple[GameRecord, str, str, str],
) -> None:
    record, markdown, page, _ = debrief
    deck = record.deck
    tables = section(markdown, "## Consultations and councils", "## Timeline")
    timeline = markdown[markdown.index("## Timeline") :]
    consultations = 0
    positions: list[tuple[str, str]] = []
    reactions: list[str] = []
    for _, _, events in steps(record):
        for event in events:
            if isinstance(event, ConsultationOpened):
                positions, reactions = [], []
            elif isinstance(event, PositionTaken):
                positions.append((deck.nation(event.nation).name, event.position))
            elif isinstance(event, Narrated) and event.cause.kind is CauseKind.POSITION:
                reactions.append(event.text)
            elif isinstance(event, ConsultationResolved):
                consultations += 1
                block = tables.split("\n### ")[consultations]
                assert block.startswith("Round ") and f"{deck.nation(event.nation).name} invoked" in block
                rows = re.findall(r"^\| ([^|]+) \| [^|]+ \| (support|restrain|abstain) \|$", block, re.M)
                assert rows == positions
                for line in set(reactions):
                    assert block.count(line) == 1  # once, however many nations it was told of
                    assert line not in timeline
                counts = f"{event.support} support, {event.restrain} restrain, {event.abstain} abstain"
                assert f"Result: {event.result} ({counts})" in block
    assert consultations > 0
    assert unescape(page).count('<section class="consultation">') == len(tables.split("\n### ")) - 1


def test_each_council_has_a_table_of_votes_and_the_response_chosen(
    debrief: tuple[GameRecord, str, str, str],
) -> None:
    record, markdown, _, _ = debrief
    deck = record.deck
    blocks = [b for b in section(markdown, "## Consultations and councils", "## Timeline").split("\n### ")]
    councils = [b for b in blocks if ": the council on " in b.splitlines()[0]]
    votes: list[tuple[str, str]] = []
    found = 0
    for _, _, events in steps(record):
        for event in events:
            if isinstance(event, VoteCast):
                votes.append(
                    (deck.nation(event.nation).name, deck.card(event.card).response(event.response).label)
                )
            elif isinstance(event, ResponseChosen) and event.nation is None:
                block = councils[found]
                rows = re.findall(r"^\| ([^|]+) \| [^|]+ \| ([^|]+) \|$", block, re.M)[1:]  # after the header
                assert [(n, v) for n, v in rows if n != "---"] == votes
                label = deck.card(event.card).response(event.response).label
                assert f'The council chose "{label}"' in block
                votes, found = [], found + 1
    assert found == len(councils) > 0


def test_each_decision_of_a_seat_shows_its_own_effects_on_the_tracks(
    debrief: tuple[GameRecord, str, str, str],
) -> None:
    """Each response and investment, with the tracks its own causes moved (by the engine's events)."""
    record, markdown, _, _ = debrief
    deck = record.deck
    own: dict[type, set[CauseKind]] = {
        ChooseResponse: {CauseKind.RESPONSE, CauseKind.ROLL},
        Invest: {CauseKind.INVESTMENT},
    }
    expected: dict[str, list[tuple[int, str]]] = {}
    for before, action, events in steps(record):
        if type(action) not in own:
            continue
        assert isinstance(action, ChooseResponse | Invest)
        if isinstance(action, ChooseResponse) and not (
            isinstance(before.pending, RespondDecision) and before.pending.target is not None
        ):
            continue  # a vote: the council's choice moves the tracks, in its table
        moved: dict[str, int] = {}
        for event in events:
            if isinstance(event, TrackMoved) and event.cause.kind in own[type(action)]:
                moved[event.track] = moved.get(event.track, 0) + event.after - event.before
        effects = (
            ", ".join(f"{deck.tracks[t].name} {moved[t]:+d}" for t in deck.tracks if moved.get(t)) or "—"
        )
        expected.setdefault(action.nation, []).append((before.round, effects))
    assert any(effects != "—" for rows in expected.values() for _, effects in rows)
    for nation, rows in expected.items():
        block = section(markdown, f"\n### {deck.nation(nation).name}\n", "\n### ")
        shown = re.findall(r"^\| (\d+) \| (?:Chose|Bought) [^|]+ \| ([^|]+) \|$", block, re.M)
        assert [(int(number), effects) for number, effects in shown] == rows


def test_each_seat_has_its_player_objectives_and_score(debrief: tuple[GameRecord, str, str, str]) -> None:
    record, markdown, page, _ = debrief
    deck = record.deck
    state = steps(record)[-1][0]
    state, _ = apply(state, record.actions[-1])
    seats = section(markdown, "## Each seat", "## Consultations and councils")
    for score in result(state).scores:
        nation = deck.nation(score.nation)
        block = section(seats, f"### {nation.name}\n", "\n### ")
        points = "1 point" if score.points == 1 else f"{score.points} points"
        assert f"Score: {points}." in block
        texts = {o.id: o.text for o in nation.objectives}
        met = "; ".join(texts[o] for o in score.met) or "none"
        assert f"Objectives met: {met}." in block
    assert deck.adversary is not None
    red = result(state).adversary
    assert red is not None
    points = "1 point" if red.points == 1 else f"{red.points} points"
    assert f"### Moscow (the adversary)\n\nPlayed by: AI (Prober). Score: {points}." in seats
    assert unescape(page).count('<section class="seat">') == len(state.controllers)
    # Every table of the Markdown is one when rendered (a blank line before each, none inside).
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    assert (
        rendered.count("<table>") == len(re.findall(r"^\| --- \|", markdown, re.M)) > len(state.controllers)
    )


def test_the_chart_marks_the_defeat_lines_and_the_facilitator(
    debrief: tuple[GameRecord, str, str, str],
) -> None:
    record, markdown, page, chart = debrief
    svg = ET.fromstring(chart)
    lines = {
        int(g.get("data-value") or -1): g.findtext(f"{{{SVG}}}title")
        for g in svg.iter(f"{{{SVG}}}g")
        if g.get("class") == "defeat"
    }
    alone = {}
    for ending in record.deck.defeats:
        if len(ending.when) == 1 and ending.when[0].track is not None:
            condition = ending.when[0]
            bound = condition.min if condition.min is not None else condition.max
            alone.setdefault(bound, []).append(record.deck.tracks[condition.track].name)
    assert alone and set(lines) == set(alone)
    for value, names in alone.items():
        assert all(name in (lines[value] or "") for name in names)
    marks = [g for g in svg.iter(f"{{{SVG}}}g") if g.get("class") == "intervention"]
    assert [m.get("data-round") for m in marks] == ["1"]
    title = marks[0].findtext(f"{{{SVG}}}title") or ""
    assert "a heated room" in title and "forced the next roll" in title
    assert "F×2" in chart
    assert "Dotted, marked F" in markdown and "Dashed dark red" in unescape(page)


def test_the_turning_points_include_the_blow_that_ended_the_game(tmp_path: Path) -> None:
    """The last track moved before the defeat is among its track's turning points, named as such,
    even when it is not one of the largest swings."""
    deck = load_deck(BUNDLED_V1)
    state, actions = played_to_the_end(deck, 0)
    record = record_of(deck, BUNDLED_V1, state, actions)
    before, _, events = steps(record)[-1]
    ended = next(i for i, e in enumerate(events) if isinstance(e, GameEnded))
    blow = [e for e in events[:ended] if isinstance(e, TrackMoved) and e.after != e.before][-1]
    # The round it fell in: the last action's, or the next one's when that began in the same step.
    started = [e.round for e in events[: events.index(blow)] if isinstance(e, RoundStarted)]
    at_round = started[-1] if started else before.round
    markdown, page, _ = reports(record, tmp_path)
    points = section(markdown, "## Turning points", "## Final scores")
    track = section(
        points,
        f"**{deck.tracks[blow.track].name}**",
        "\n\n**" if blow.track != list(deck.tracks)[-1] else "## Final",
    )
    marked = [line for line in track.splitlines() if line.endswith("(the blow that ended the game)")]
    assert len(marked) == 1 and marked[0].startswith(f"- round {at_round}: {blow.after - blow.before:+d}")
    assert points.count("the blow that ended the game") == 1
    assert "the blow that ended the game" in unescape(page)


def test_the_page_has_a_print_stylesheet(debrief: tuple[GameRecord, str, str, str]) -> None:
    _, _, page, _ = debrief
    style = section(page, "<style>", "</style>")
    printed = style[style.index("@media print") :]
    assert "size:A4" in printed and "break-inside:avoid" in printed
    assert re.search(r"table[^{]*\{break-inside:avoid\}", printed) and "figure" in printed
