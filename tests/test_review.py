"""Saved simulated games, `wargame replay` and the after-action report."""

from __future__ import annotations

import itertools
import os
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import assume, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.helpers import MINI, ROOT, played_to_the_end
from wargame.cli import main
from wargame.engine import apply, is_over, legal_actions, new_game
from wargame.lab.chart import SVG_NAMESPACE as SVG
from wargame.lab.report import GameRecord, markdown_text, report_files
from wargame.model import Action, AddNote, AdjustTrack, ChooseResponse, Deck, ForceRoll, Human
from wargame.session import Session, default_controllers
from wargame.session.report import write_report as write_session_report
from wargame.storage import load_deck
from wargame.storage.saves import load_game, make_save, read_save, write_save

#: The bundled deck as of v1, whose seed 0 is a mid-round defeat.
BUNDLED_V1 = ROOT / "tests" / "decks" / "v1" / "eastern-flank-2025.toml"


@pytest.fixture
def saved_games(tmp_path: Path) -> Path:
    folder = tmp_path / "games"
    run = CliRunner().invoke(main, ["simulate", str(MINI), "-n", "6", "-j", "1", "--save-games", str(folder)])
    assert run.exit_code == 0, run.output
    return folder


def test_simulate_saves_every_game_and_each_replays(saved_games: Path, mini: Deck) -> None:
    files = sorted(saved_games.glob("game-*.toml"))
    assert [f.name for f in files] == [f"game-{i:05d}.toml" for i in range(6)]
    for file in files:
        save, state = load_game(file)
        assert is_over(state) and save.over


def test_saved_games_do_not_depend_on_the_number_of_processes(saved_games: Path, tmp_path: Path) -> None:
    other = tmp_path / "two"
    run = CliRunner().invoke(main, ["simulate", str(MINI), "-n", "6", "-j", "2", "--save-games", str(other)])
    assert run.exit_code == 0, run.output
    for index in range(6):
        one, two = (
            read_save(saved_games / f"game-{index:05d}.toml"),
            read_save(other / f"game-{index:05d}.toml"),
        )
        assert (one.seed, one.actions) == (two.seed, two.actions)


def test_replay_prints_the_timeline_and_verifies(saved_games: Path) -> None:
    run = CliRunner().invoke(main, ["replay", str(saved_games / "game-00003.toml")])
    assert run.exit_code == 0, run.output
    assert "Round 1" in run.output and "Game over:" in run.output
    assert re.search(
        r"Verified: \d+ actions and their events replay to the saved game \(digest\)", run.output
    )


def steered_save(deck: Deck, folder: Path) -> Path:
    """A mini game with facilitator steering in it, saved."""
    opening = [
        AdjustTrack("escalation", 1, "a heated room"),
        AddNote("The Polish team argued for a shoot-down."),
        ForceRoll(True),
    ]
    state, actions = played_to_the_end(deck, 5, opening, {"POL": "human"})
    path = folder / "steered.toml"
    write_save(path, make_save(MINI, deck, state, actions))
    return path


def test_markdown_report_timeline_matches_the_log(mini: Deck, tmp_path: Path) -> None:
    path = steered_save(mini, tmp_path)
    run = CliRunner().invoke(main, ["report", str(path)])
    assert run.exit_code == 0, run.output
    text = (tmp_path / "steered.md").read_text()
    assert (tmp_path / "steered-tracks.svg").read_text().count('class="track"') == 3
    assert "![The tracks over the rounds](steered-tracks.svg)" in text
    timeline = text[text.index("## Timeline") :]
    assert "Facilitator moved escalation by +1: a heated room" in timeline
    assert "Note: The Polish team argued for a shoot-down." in timeline
    assert "forced by the facilitator" in timeline
    # Every choice of the log is in the timeline, in the same order; every vote in its council's table.
    save = read_save(path)
    expected, votes = [], []
    state = new_game(mini, save.seed, save.controllers)
    for action in save.actions:
        if isinstance(action, ChooseResponse):
            label = mini.card(state.card).response(action.response).label
            controller = save.controllers[action.nation]
            persona = "" if controller == Human() else mini.personas[str(controller).removeprefix("ai:")].name
            name = mini.nation(action.nation).name
            if state.pending.target is None:
                votes.append(f"| {name} | {f'AI ({persona})' if persona else 'team'} | {label} |")
            else:
                expected.append(f'{name} ({f"AI {persona}" if persona else "team"}) chose "{label}"')
        state, _ = apply(state, action)
    lines = [line for line in timeline.splitlines() if " chose " in line]
    lines = [line for line in lines if not line.startswith("- The council")]
    assert [re.sub(r" \(\w+ [+-]\d.*\)$", "", line.removeprefix("- ")) for line in lines] == expected
    assert " voted " not in timeline and votes
    councils = text[text.index("## Consultations and councils") : text.index("## Timeline")]
    assert [line for line in councils.splitlines() if line in votes] == votes
    assert "## Final scores" in text and "| Germany |" in text


def test_html_report_has_an_svg_chart_with_a_line_per_track(mini: Deck, tmp_path: Path) -> None:
    path = steered_save(mini, tmp_path)
    out = tmp_path / "debrief.html"
    run = CliRunner().invoke(main, ["report", str(path), "-o", str(out)])
    assert run.exit_code == 0, run.output
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 1
    tracks = re.findall(r'<polyline class="track" data-track="(\w+)"', page)
    assert tracks == ["cohesion", "escalation", "credibility"]
    assert "Turning points" in page and "a heated room" in page


def test_report_refuses_a_corrupt_save_and_leaves_it_alone(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"[save]\nformat = 1\nseed = \x00\x01")
    before = bad.read_bytes()
    for command in (["report", str(bad)], ["replay", str(bad)]):
        run = CliRunner().invoke(main, command)
        assert run.exit_code == 1
        assert "Traceback" not in run.output and "error:" in run.output
    assert bad.read_bytes() == before
    assert not (tmp_path / "bad.md").exists()


def test_a_changed_deck_is_refused_and_force_replays_as_far_as_it_can(tmp_path: Path) -> None:
    from wargame.storage import load_deck

    deck_file = tmp_path / "mini.toml"
    deck_file.write_text(MINI.read_text())
    deck = load_deck(deck_file)
    state, actions = played_to_the_end(deck, 8)
    save = tmp_path / "game.toml"
    write_save(save, make_save(deck_file, deck, state, actions))
    before = save.read_bytes()
    # The designer renames a response the game used: the log cannot replay past its first use.
    used = next(a for a in actions if isinstance(a, ChooseResponse))
    text = deck_file.read_text().replace(f'id = "{used.response}"', 'id = "renamed"', 1)
    deck_file.write_text(text)

    refused = CliRunner().invoke(main, ["replay", str(save)])
    assert refused.exit_code == 1
    assert 'the deck "mini"' in refused.output and "has changed since this game was saved" in refused.output
    forced = CliRunner().invoke(main, ["replay", "--force", str(save)])
    assert forced.exit_code == 0, forced.output
    stop = re.search(
        r"replayed (\d+) of (\d+) actions; stopped at action (\d+) \"choose-response\"", forced.output
    )
    assert stop is not None and int(stop[1]) + 1 == int(stop[3]) and int(stop[2]) == len(actions)
    assert save.read_bytes() == before


def test_report_never_overwrites_its_save(saved_games: Path) -> None:
    save = saved_games / "game-00001.toml"
    before = save.read_bytes()
    run = CliRunner().invoke(main, ["report", str(save), "-o", str(save)])
    assert run.exit_code == 2 and "would overwrite the save" in run.output
    assert save.read_bytes() == before


def test_setup_counts_decisions_and_facilitator_actions_apart(mini: Deck, tmp_path: Path) -> None:
    path = steered_save(mini, tmp_path)
    run = CliRunner().invoke(main, ["replay", str(path)])
    decisions = len(read_save(path).actions) - 3
    assert f"Decisions: {decisions}, and 3 facilitator actions" in run.output


def test_a_mid_round_defeat_ends_the_chart_at_the_final_position(mini: Deck, tmp_path: Path) -> None:
    from wargame.lab.chronicle import tell
    from wargame.lab.report import history_to_the_end

    state = new_game(mini, 2)
    state, _ = apply(state, AdjustTrack("escalation", 10, "test: war"))
    told = tell(mini, 2, state.controllers, [AdjustTrack("escalation", 10, "test: war")])
    assert told.state.ending == "war"
    history = history_to_the_end(told.state)
    assert history["escalation"] == (3, 10)
    assert told.turning_points()["escalation"][0].cause == "the facilitator: test: war"


def test_turning_points_credit_each_event_to_its_own_cause(mini: Deck) -> None:
    """A council vote and the card drawn right after it move credibility in one step: two swings."""
    import attrs

    from wargame.lab.chronicle import tell
    from wargame.model import Effect, InjectCard

    jets = attrs.evolve(mini.card("jets"), on_draw=Effect(tracks={"credibility": -1}))
    deck = attrs.evolve(
        mini,
        info=attrs.evolve(mini.info, draws_per_round=3),
        cards=tuple(jets if card.id == "jets" else card for card in mini.cards),
    )
    seed = next(seed for seed in range(50) if new_game(deck, seed).card not in ("jets", "rules"))
    state = new_game(deck, seed)
    actions: list[Action] = [InjectCard("jets"), InjectCard("rules")]
    for action in actions:
        state, _ = apply(state, action)
    while state.card != "rules":
        # Anything but a consultation, to reach the council quickly.
        action = next(a for a in legal_actions(state) if getattr(a, "response", "") != "article-4")
        state, _ = apply(state, action)
        actions.append(action)
    actions += [ChooseResponse(nation.id, "unify") for nation in deck.nations]
    told = tell(deck, seed, state.controllers, actions)
    last_round = [s for s in told.swings if s.track == "credibility"][-2:]
    assert [(s.delta, s.cause) for s in last_round] == [
        (1, 'the council chose "Unify them" on "Unify the rules of engagement"'),
        (-1, 'the card "Fighter jets linger" as it was drawn'),
    ]


# --- one report, whoever writes it ---------------------------------------------------------------

HOSTILE = '</li><script>alert("x")</script> <b>&"| *bold* [link](javascript:x)'


@pytest.fixture(scope="module")
def defeated(tmp_path_factory: pytest.TempPathFactory) -> Session:
    """The bundled deck of v1, all AI, seed 0: a defeat in the middle of round 8, with a note to escape."""
    deck = load_deck(BUNDLED_V1)
    folder = tmp_path_factory.mktemp("saves")
    # The deck as a room names it on the command line: relative to the working folder.
    deck_path = Path(os.path.relpath(BUNDLED_V1))
    session = Session.new(deck_path, deck, 0, default_controllers(deck, humans=[]), saves_dir=folder)
    session.decide(AddNote(f'The room: <b>&"| {HOSTILE}'))
    while not session.over:
        session.decide(session.ai_action())
    state = session.state
    assert deck.ending(state.ending).kind == "defeat"
    assert len(state.history["cohesion"]) == state.round, "the defeat came before the round's end"
    return session


def test_the_game_over_screen_and_wargame_report_write_the_same_bytes(
    defeated: Session, tmp_path: Path
) -> None:
    page, text, chart = write_session_report(defeated)
    assert defeated.save_path is not None
    runner = CliRunner()
    for name in ("debrief.md", "debrief.html"):
        run = runner.invoke(main, ["report", str(defeated.save_path), "-o", str(tmp_path / name)])
        assert run.exit_code == 0, run.output
    assert (tmp_path / "debrief.html").read_bytes() == page.read_bytes()
    assert (tmp_path / "debrief-tracks.svg").read_bytes() == chart.read_bytes()
    # The Markdown differs only in its link to the chart, which is named after the report.
    link = f"![The tracks over the rounds]({chart.name})".encode()
    assert text.read_bytes().count(link) == 1
    mine = text.read_bytes().replace(link, b"![The tracks over the rounds](debrief-tracks.svg)")
    assert (tmp_path / "debrief.md").read_bytes() == mine
    # The setup is what the save records, not when the report was written.
    save = read_save(defeated.save_path)
    lines = text.read_text(encoding="utf-8").splitlines()
    assert f"- **Started:** {save.created.isoformat(timespec='minutes')}" in lines
    assert f"- **Last saved:** {save.updated.isoformat(timespec='minutes')}" in lines
    assert f"- **Deck:** Eastern Flank 2025 v{save.deck_version} ({save.deck_path.name})" in lines
    assert f"- **Decisions:** {len(save.actions) - 1}, and 1 facilitator action" in lines


def test_after_a_mid_round_defeat_the_chart_has_a_point_for_every_row_of_the_table(defeated: Session) -> None:
    page, text, chart = write_session_report(defeated)
    markdown = text.read_text(encoding="utf-8")
    table = markdown[markdown.index("| round |") : markdown.index("## Turning points")].strip().splitlines()
    rows = [line.split("|")[2:-1] for line in table[2:]]
    assert len(rows) == defeated.state.round + 1  # round 0 (the start) to where the game stopped
    final = [int(cell) for cell in rows[-1]]
    assert final == [defeated.state.tracks[track] for track in defeated.deck.tracks]
    inline = page.read_text(encoding="utf-8")
    inline = inline[inline.index("<svg") : inline.index("</svg>") + len("</svg>")]
    for svg in (ET.fromstring(chart.read_text(encoding="utf-8")), ET.fromstring(inline)):
        lines = svg.findall(f"{{{SVG}}}polyline")
        assert [line.get("data-track") for line in lines] == list(defeated.deck.tracks)
        for line, track in zip(lines, defeated.deck.tracks, strict=True):
            points = [point.split(",") for point in (line.get("points") or "").split()]
            assert len(points) == len(rows)
            assert float(points[-1][1]) == pytest.approx(y_of(svg, defeated.state.tracks[track]), abs=0.05)


def y_of(svg: ET.Element, value: int) -> float:
    """Where `value` is on the chart, read from its axis's labels (each drawn 4 below its value)."""
    ticks = {
        int(t.text or ""): float(t.get("y") or 0) - 4
        for t in svg.findall(f"{{{SVG}}}text")
        if t.get("text-anchor") == "end"
    }
    low, high = min(ticks), max(ticks)
    return ticks[low] + (ticks[high] - ticks[low]) * (value - low) / (high - low)


def hostile_record(mini: Deck) -> GameRecord:
    """A finished mini game whose deck title, track name, a facilitator's reason and note are hostile."""
    tracks = dict(mini.tracks)
    tracks["cohesion"] = attrs.evolve(tracks["cohesion"], name=f"Cohesion {HOSTILE}")
    deck = attrs.evolve(mini, info=attrs.evolve(mini.info, title=f"Mini {HOSTILE}"), tracks=tracks)
    opening: list[Action] = [
        AddNote(f"Note one {HOSTILE}\nand a second line"),
        AdjustTrack("cohesion", -1, HOSTILE),
    ]
    state, actions = played_to_the_end(deck, 5, opening, {"POL": "human"})
    moment = datetime(2025, 9, 10, 6, 30, tzinfo=UTC)
    return GameRecord(deck, MINI.resolve(), 5, state.controllers, tuple(actions), moment, moment)


class _Texts(HTMLParser):
    """Every tag opened in a page, and the text of each element by tag (with its children's text)."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.texts: dict[str, list[str]] = {}
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.texts.setdefault(tag, []).append("")
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        for tag in set(self.open):
            self.texts[tag][-1] += data


def test_hostile_text_is_text_in_the_page_the_chart_and_the_markdown(mini: Deck, tmp_path: Path) -> None:
    files = report_files(hostile_record(mini), html=tmp_path / "r.html", markdown=tmp_path / "r.md")
    page, markdown, chart = (
        files[tmp_path / "r.html"],
        files[tmp_path / "r.md"],
        files[tmp_path / "r-tracks.svg"],
    )
    # The page: no element the text did not come from the template, and the text is shown as written.
    parsed = _Texts()
    parsed.feed(page)
    assert "script" not in parsed.tags and "b" not in parsed.tags and "a" not in parsed.tags
    assert f"After-action report: Mini {HOSTILE}" in parsed.texts["h1"]
    assert f"Note: Note one {HOSTILE} and a second line" not in parsed.texts["li"]
    assert f"Note: Note one {HOSTILE}\nand a second line" in parsed.texts["li"]
    assert f"Facilitator moved cohesion by -1: {HOSTILE} (Cohesion {HOSTILE} -1)" in parsed.texts["li"]
    # The chart parses as XML, in its file and in the page, and names the track as the deck does.
    inline = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    for svg in (ET.fromstring(chart), ET.fromstring(inline)):
        titles = [line.findtext(f"{{{SVG}}}title") for line in svg.iter(f"{{{SVG}}}polyline")]
        assert titles[0] == f"Cohesion {HOSTILE}"
        assert any(
            (label.text or "").startswith(f"Cohesion {HOSTILE} ") for label in svg.iter(f"{{{SVG}}}text")
        )
    assert "<script" not in chart and "<script" not in page
    # The Markdown, rendered as CommonMark with tables: the same texts, and no markup made of them.
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    parsed = _Texts()
    parsed.feed(rendered)
    assert {"script", "b", "a", "em", "strong"} & set(parsed.tags) == {"strong"}  # only the template's
    assert f"After-action report: Mini {HOSTILE}" in parsed.texts["h1"]
    assert f"Note: Note one {HOSTILE} and a second line" in parsed.texts["li"]
    assert f"Cohesion {HOSTILE}" in parsed.texts["th"]  # a "|" in a name does not split the table
    first = rendered[rendered.index("<thead>") : rendered.index("</thead>")]
    assert first.count("<th>") == 1 + len(mini.tracks)


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("- a list?", "\\- a list?"),
        ("12. an ordered list?", "12\\. an ordered list?"),
        ("## a heading?", "\\## a heading?"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("-1 and 2. and # stay", "-1 and 2. and # stay"),
        (
            "a | b <i> & *c* _d_ `e` [f] ~g~ \\",
            "a \\| b \\<i\\> \\& \\*c\\* \\_d\\_ \\`e\\` \\[f\\] \\~g\\~ \\\\",
        ),
        ("  two\r\nlines  ", "two lines"),
    ],
)
def test_markdown_text_escapes_what_markdown_would_read_as_markup(text: str, markdown: str) -> None:
    assert markdown_text(text) == markdown


@given(st.text(st.characters(min_codepoint=32, max_codepoint=126) | st.sampled_from("—éł€"), min_size=1))
def test_markdown_text_reads_back_as_the_text_in_a_list_a_table_and_a_paragraph(text: str) -> None:
    text = text.strip()
    assume(text)
    value = markdown_text(text)
    places = {
        f"- {value}\n": [text],
        f"| a |\n| --- |\n| {value} |\n": ["a", text],
        f"Defeat: in round 3.\n{value}\n": [f"Defeat: in round 3.\n{text}"],
    }
    for markdown, shown in places.items():
        tokens = _MARKDOWN.parse(markdown)
        inline = [token.children or [] for token in tokens if token.type == "inline"]
        assert [
            [child.type for child in children if child.type not in ("text", "softbreak")]
            for children in inline
        ] == [[] for _ in shown]
        assert ["".join(child.content or "\n" for child in children) for children in inline] == shown
        assert not {"heading_open", "hr", "code_block"} & {token.type for token in tokens}


_MARKDOWN = MarkdownIt("commonmark").enable("table")


def test_the_labels_at_the_lines_ends_fit_in_the_chart_and_do_not_overlap(tmp_path: Path) -> None:
    """The Baltic deck's "Undersea infrastructure" once lost its value past the chart's right edge."""
    deck = load_deck(ROOT / "decks" / "baltic-sabotage.toml")
    record = GameRecord(deck, Path("baltic.toml"), 1, default_controllers(deck, []), (), None, None)
    svg = ET.fromstring(report_files(record, markdown=tmp_path / "r.md")[tmp_path / "r-tracks.svg"])
    width, height = float(svg.get("width") or 0), float(svg.get("height") or 0)
    # The labels at the lines' ends (the defeat lines' labels are in their own groups).
    labels = [text for text in svg.findall(f"{{{SVG}}}text") if text.get("fill")]
    assert {label.text for label in labels} == {
        f"{track.name} {track.start}" for track in deck.tracks.values()
    }
    for label in labels:  # at most 7 px a character in 12 px sans-serif
        assert float(label.get("x") or 0) + 7 * len(label.text or "") <= width
    heights = sorted(float(label.get("y") or 0) for label in labels)
    assert all(lower - upper >= 14 for upper, lower in itertools.pairwise(heights)) and heights[-1] <= height
