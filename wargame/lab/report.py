"""The after-action report for the debrief: one HTML page with the chart inline, or Markdown with the
chart as an SVG file beside it. `wargame report` and the Game over screen both write it from here.

    record = GameRecord.of_save(save, deck)             # or `session.report.record_of(session)`
    paths = write_report(record, html=Path("debrief.html"), markdown=Path("debrief.md"))

A report is made from a game's record alone (what a save's header holds and its actions), so the
report of a game is the same bytes whoever writes it. Each format escapes what the deck, the players
and the facilitator wrote in one place: the HTML template autoescapes, the Markdown template passes
every value through `markdown_text`, and the chart is an XML tree (`wargame.lab.chart`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from attrs import field, frozen
from markupsafe import Markup

from wargame.engine import result
from wargame.lab.chart import tracks_svg
from wargame.lab.chronicle import Chronicle, Entry, tell
from wargame.model import FACILITATOR_ACTIONS, Action, Controller, Deck, GameState
from wargame.storage.saves import Save

__all__ = [
    "GameRecord",
    "ReportError",
    "chart_beside",
    "history_to_the_end",
    "markdown_text",
    "report_files",
    "setup",
    "tracks_svg",
    "write_report",
]


class ReportError(OSError):
    """The report could not be written; the message names the file and why."""


def _as_saved(moment: datetime | None) -> datetime | None:
    """A time as a save writes it: UTC, whole seconds."""
    return None if moment is None else moment.astimezone(UTC).replace(microsecond=0)


@frozen
class GameRecord:
    """A game as its save records it: everything a report is made from."""

    deck: Deck
    deck_path: Path
    """The deck file, as the save names it (absolute)."""
    seed: int
    controllers: Mapping[str, Controller]
    actions: tuple[Action, ...]
    created: datetime | None = field(converter=_as_saved)
    """When the game began; None if it is not known (a game never saved)."""
    updated: datetime | None = field(converter=_as_saved)
    """When the game was last saved; None if it never was."""

    @classmethod
    def of_save(cls, save: Save, deck: Deck, actions: Sequence[Action] | None = None) -> GameRecord:
        """The record of a save played with `deck`; `actions` when only part of its log replays."""
        return cls(
            deck,
            save.deck_path,
            save.seed,
            save.controllers,
            tuple(save.actions if actions is None else actions),
            save.created,
            save.updated,
        )


def setup(record: GameRecord) -> list[tuple[str, str]]:
    """The report's Setup block, label and value (also what `wargame replay` prints first)."""
    deck = record.deck
    steering = sum(1 for action in record.actions if isinstance(action, FACILITATOR_ACTIONS))
    players = ", ".join(f"{deck.nation(n).name}: {c}" for n, c in record.controllers.items())
    return [
        ("Deck", f"{deck.info.title} v{deck.info.version} ({record.deck_path})"),
        ("Seed", str(record.seed)),
        ("Players", players),
        ("Started", _minute(record.created, "not recorded")),
        ("Last saved", _minute(record.updated, "never")),
        ("Decisions", f"{len(record.actions) - steering}, and {steering} facilitator action(s)"),
    ]


def _minute(moment: datetime | None, otherwise: str) -> str:
    return otherwise if moment is None else moment.isoformat(timespec="minutes")


def chart_beside(markdown: Path) -> Path:
    """Where the Markdown report's chart goes: `<name>-tracks.svg` beside it."""
    return markdown.with_name(f"{markdown.stem}-tracks.svg")


def report_files(
    record: GameRecord, *, html: Path | None = None, markdown: Path | None = None
) -> dict[Path, str]:
    """The report's files and their text: the page at `html`, the Markdown at `markdown` and its chart
    beside it (`chart_beside`). Raises the engine's errors if the record's actions do not replay."""
    chronicle = tell(record.deck, record.seed, record.controllers, record.actions)
    content = _content(record, chronicle)
    files: dict[Path, str] = {}
    if html is not None:
        files[html] = _HTML.get_template("report.html.jinja").render(content)
    if markdown is not None:
        chart = chart_beside(markdown)
        files[markdown] = _MARKDOWN.get_template("report.md.jinja").render(
            content, chart_link=quote(chart.name)
        )
        files[chart] = str(content["chart"]) + "\n"
    return files


def write_report(record: GameRecord, *, html: Path | None = None, markdown: Path | None = None) -> list[Path]:
    """Write the report's files (see `report_files`) and return their paths; `ReportError` if one of
    them cannot be written."""
    files = report_files(record, html=html, markdown=markdown)
    for path, text in files.items():
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise ReportError(f"cannot write {path}: {error.strerror or error}") from error
    return list(files)


def history_to_the_end(state: GameState) -> dict[str, tuple[int, ...]]:
    """Each track's history, with the final values added when the game ended mid-round (a defeat):
    the history itself records only the rounds' ends."""
    history = {track: tuple(values) for track, values in state.history.items()}
    if state.ending is not None and len(next(iter(history.values()), ())) <= state.round:
        history = {track: (*values, state.tracks[track]) for track, values in history.items()}
    return history


# --- what the templates show ------------------------------------------------------------------------


def _content(record: GameRecord, chronicle: Chronicle) -> dict[str, Any]:
    """Everything the report says, for either template: both formats show the same facts."""
    state, deck = chronicle.state, record.deck
    history = history_to_the_end(state)
    return {
        "title": deck.info.title,
        "setup": setup(record),
        "outcome": _outcome(chronicle),
        # The chart is an XML tree serialised by ElementTree, which escaped it: safe in the page as is.
        "chart": Markup(tracks_svg(deck, history)),
        "tracks": [deck.tracks[track].name for track in history],
        "rounds": [
            (number, [values[number] for values in history.values()])
            for number in range(len(next(iter(history.values()))))
        ],
        "turning_points": [
            (deck.tracks[track].name, [(s.round, f"{s.delta:+d}", s.cause) for s in swings])
            for track, swings in chronicle.turning_points().items()
        ],
        "scores": _scores(chronicle),
        "timeline": _by_round(chronicle.entries),
    }


def _outcome(chronicle: Chronicle) -> list[str]:
    state = chronicle.state
    if state.ending is None:
        return [f"The game was not finished: it stopped in round {state.round}."]
    ending = state.deck.ending(state.ending)
    kind = "Defeat" if ending.kind == "defeat" else "The alliance held"
    return [f"{kind}: {ending.title} (round {state.round}).", *([ending.text] if ending.text else [])]


def _scores(chronicle: Chronicle) -> list[tuple[str, int, str, str]]:
    state = chronicle.state
    if state.ending is None:
        return []
    deck = state.deck
    ranked = sorted(result(state).scores, key=lambda score: -score.points)
    rows = []
    for score in ranked:
        objectives = {o.id: o.text for o in deck.nation(score.nation).objectives}
        met = "; ".join(objectives[o] for o in score.met) or "—"
        missed = "; ".join(objectives[o] for o in score.missed) or "—"
        rows.append((deck.nation(score.nation).name, score.points, met, missed))
    return rows


def _by_round(entries: Sequence[Entry]) -> list[tuple[int, list[Entry]]]:
    rounds: dict[int, list[Entry]] = {}
    for entry in entries:
        rounds.setdefault(entry.round, []).append(entry)
    return sorted(rounds.items())


# --- the two formats ------------------------------------------------------------------------------

# Characters that start inline Markdown (emphasis, code, links, HTML, entities, table cells, strike):
# escaped wherever they are. CommonMark allows a backslash before any ASCII punctuation.
_INLINE = re.compile(r"[\\`*_\[\]<>&|~]")
# What starts a block when it begins a line (a list item, a heading, a rule, a heading's underline):
# escaped only there, so that "-1" or "2." in the middle of a sentence stay as they are.
_BLOCK = re.compile(r"^(-(?=[-\s]|$)|\+(?=\s|$)|=|#(?=#{0,5}(?:\s|$))|\d{1,9}(?=[.)](?:\s|$)))")
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")


def markdown_text(value: object) -> str:
    """Any value as Markdown that shows exactly its text, on one line and without surrounding spaces
    (which Markdown drops, or reads as code when there are four): nothing in it is read as markup.

    The Markdown template applies it to every value it writes (the environment's `finalize`)."""
    text = _INLINE.sub(lambda match: "\\" + match[0], _LINE_BREAK.sub(" ", str(value)).strip())

    def escape_marker(match: re.Match[str]) -> str:
        marker = match[1]
        # An ordered list's "1." or "1)": the backslash goes after the number.
        return f"{marker}\\" if marker[0].isdigit() else f"\\{marker}"

    return _BLOCK.sub(escape_marker, text, count=1)


_LOADER = jinja2.PackageLoader("wargame.lab", "templates")
_OPTIONS: dict[str, Any] = {
    "loader": _LOADER,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
    "undefined": jinja2.StrictUndefined,
}
_HTML = jinja2.Environment(autoescape=True, **_OPTIONS)
_MARKDOWN = jinja2.Environment(autoescape=False, finalize=markdown_text, **_OPTIONS)
