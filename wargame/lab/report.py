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
from typing import Any, NamedTuple
from urllib.parse import quote

import jinja2
from attrs import field, frozen
from markupsafe import Markup

from wargame.engine import result
from wargame.engine.conditions import holds_all
from wargame.lab.chart import defeat_lines, postures_svg, tracks_svg
from wargame.lab.chronicle import (
    Chronicle,
    ConsultationStory,
    CouncilStory,
    Decision,
    Entry,
    IncidentStory,
    RedPlay,
    controller_words,
    quoted,
    tell,
)
from wargame.model import (
    FACILITATOR_ACTIONS,
    POSITIONS,
    Action,
    Controller,
    Decider,
    Deck,
    GameState,
    Scripted,
)
from wargame.storage.saves import BranchedFrom, Save, Undone

__all__ = [
    "GameRecord",
    "ReportError",
    "chart_beside",
    "history_to_the_end",
    "markdown_text",
    "postures_chart_beside",
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
    deciders: tuple[Decider, ...] = ()
    """Who really made each action (the save's record); empty: as the seats' controllers say."""
    undone: tuple[Undone, ...] = ()
    """What undo took back, oldest first."""
    branched_from: BranchedFrom | None = None
    """The save this game was branched from, if it was."""

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
            save.deciders[: len(save.actions if actions is None else actions)],
            save.undone,
            save.branched_from,
        )


def setup(record: GameRecord) -> list[tuple[str, str]]:
    """The report's Setup block, label and value (also what `wargame replay` prints first)."""
    deck = record.deck
    steering = sum(1 for action in record.actions if isinstance(action, FACILITATOR_ACTIONS))
    players = ", ".join(
        f"{deck.seat_name(n)}: {controller_words(deck, n, c)}" for n, c in record.controllers.items()
    )
    return [
        # The file's name, not its folder: an installed deck lives deep in site-packages.
        ("Deck", f"{deck.info.title} v{deck.info.version} ({record.deck_path.name})"),
        ("Seed", str(record.seed)),
        ("Players", players),
        ("Started", _minute(record.created, "not recorded")),
        ("Last saved", _minute(record.updated, "never")),
        ("Decisions", f"{len(record.actions) - steering}, and {plural(steering, 'facilitator action')}"),
    ]


def _minute(moment: datetime | None, otherwise: str) -> str:
    return otherwise if moment is None else moment.isoformat(timespec="minutes")


def chart_beside(markdown: Path) -> Path:
    """Where the Markdown report's chart goes: `<name>-tracks.svg` beside it."""
    return markdown.with_name(f"{markdown.stem}-tracks.svg")


def postures_chart_beside(markdown: Path) -> Path:
    """Where the Markdown report's postures chart goes (a deck with postures): `<name>-postures.svg`."""
    return markdown.with_name(f"{markdown.stem}-postures.svg")


def report_files(
    record: GameRecord,
    *,
    html: Path | None = None,
    markdown: Path | None = None,
    counterfactual: Mapping[str, Any] | None = None,
) -> dict[Path, str]:
    """The report's files and their text: the page at `html`, the Markdown at `markdown` and its chart
    beside it (`chart_beside`); `counterfactual`: the section "Decisions that mattered"
    (`wargame.lab.counterfactual.section`). Raises the engine's errors if the actions do not replay."""
    chronicle = tell(record.deck, record.seed, record.controllers, record.actions, record.deciders)
    content = {**_content(record, chronicle), **_undone_and_branched(record)}
    content["counterfactual"] = counterfactual
    files: dict[Path, str] = {}
    if html is not None:
        files[html] = _HTML.get_template("report.html.jinja").render(content)
    if markdown is not None:
        chart = chart_beside(markdown)
        postures_chart = postures_chart_beside(markdown)
        files[markdown] = _MARKDOWN.get_template("report.md.jinja").render(
            content, chart_link=quote(chart.name), postures_chart_link=quote(postures_chart.name)
        )
        files[chart] = str(content["chart"]) + "\n"
        if content["postures_chart"] is not None:
            files[postures_chart] = str(content["postures_chart"]) + "\n"
    return files


def write_report(
    record: GameRecord,
    *,
    html: Path | None = None,
    markdown: Path | None = None,
    counterfactual: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write the report's files (see `report_files`) and return their paths; `ReportError` if one of
    them cannot be written."""
    files = report_files(record, html=html, markdown=markdown, counterfactual=counterfactual)
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
    interventions = [(d.round, d.text) for d in chronicle.decisions if d.kind == "facilitator"]
    blow = chronicle.blow
    return {
        "title": deck.info.title,
        "setup": setup(record),
        "outcome": _outcome(chronicle),
        # The chart is an XML tree serialised by ElementTree, which escaped it: safe in the page as is.
        "chart": Markup(tracks_svg(deck, history, interventions)),
        "chart_notes": _chart_notes(deck, len(interventions)),
        "tracks": [deck.tracks[track].name for track in history],
        # The table and the chart come from the same history: a row for each point of each line.
        "rounds": [
            (number, [values[number] for values in history.values()])
            for number in range(len(next(iter(history.values()))))
        ],
        "turning_points": [
            (
                deck.tracks[track].name,
                [(s.round, f"{s.delta:+d}", s.cause, s is blow) for s in swings],
            )
            for track, swings in chronicle.turning_points().items()
        ],
        "scores": _scores(chronicle),
        "seats": _seats(record, chronicle),
        "consultation_label": deck.consultation.label,
        "consultations": [_consultation(deck, story, state.controllers) for story in chronicle.consultations],
        "councils": [_council(deck, story, state.controllers) for story in chronicle.councils],
        **_postures(deck, chronicle, len(next(iter(history.values()))) - 1),
        "adversary": None if deck.adversary is None else deck.adversary.name,
        "red_plays": _red_plays(deck, chronicle.plays),
        "attribution": any(card.attribution for card in deck.cards),
        "incidents": [_incident(deck, story, state.controllers) for story in chronicle.incidents],
        "timeline": _by_round(deck, chronicle.entries),
    }


def plural(count: int, word: str) -> str:
    """`1 point`, `3 points`."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def effects_text(deck: Deck, effects: Sequence[tuple[str, int]]) -> str:
    """What moved the tracks, in words: `Cohesion -1, Escalation +2`; "" when nothing did."""
    return ", ".join(f"{deck.tracks[track].name} {delta:+d}" for track, delta in effects)


def _chart_notes(deck: Deck, interventions: int) -> list[str]:
    """What the chart's marks mean, under it."""
    lines = "; ".join(f"{', '.join(names)} at {value}" for value, names in defeat_lines(deck).items())
    notes = [f"Dashed dark red: where a track alone loses the game ({lines})."] if lines else []
    if interventions:
        notes.append(
            "Dotted, marked F: a round in which the facilitator stepped in"
            f" ({plural(interventions, 'time')} in all; the timeline says how)."
        )
    return notes


def _seats(record: GameRecord, chronicle: Chronicle) -> list[dict[str, Any]]:
    """Each seat: who played it, its decisions and what they did, its objectives and its score."""
    state, deck = chronicle.state, record.deck
    over = state.ending is not None
    scores = {score.nation: score for score in result(state).scores} if over else {}
    red, red_score = deck.adversary, result(state).adversary if over else None
    seats = []
    for seat, controller in state.controllers.items():
        if red is not None and seat == red.id:
            objectives = {o.id: o.text for o in red.objectives}
            outcome = red_score
        else:
            objectives = {o.id: o.text for o in deck.nation(seat).objectives}
            outcome = scores.get(seat)
        decisions = [d for d in chronicle.decisions if d.seat == seat]
        seats.append(
            {
                "name": deck.seat_name(seat)
                + (" (the adversary)" if red is not None and seat == red.id else ""),
                "played_by": controller_words(deck, seat, controller),
                "score": None if outcome is None else plural(outcome.points, "point"),
                "met": [] if outcome is None else [objectives[o] for o in outcome.met],
                "missed": [] if outcome is None else [objectives[o] for o in outcome.missed],
                "decisions": [_decision_row(deck, d) for d in decisions],
            }
        )
    return seats


def _decision_row(deck: Deck, decision: Decision) -> tuple[int, str, str]:
    text = decision.text[:1].upper() + decision.text[1:]
    if decision.roll is not None:
        text += f" ({decision.roll[:1].lower()}{decision.roll[1:]})"
    return decision.round, text, effects_text(deck, decision.effects) or "—"


def _consultation(
    deck: Deck, story: ConsultationStory, controllers: Mapping[str, Controller]
) -> dict[str, Any]:
    """A consultation as a table: each nation's position, once each reaction at home, the result."""
    title = quoted(deck.card(story.card).title)
    if story.result is None:
        outcome = "still open when the record ends"
    else:
        counts = {position: sum(1 for _, p in story.positions if p == position) for position in POSITIONS}
        tally = ", ".join(f"{counts[p]} {p}" for p in POSITIONS)
        moved = effects_text(deck, story.effects)
        outcome = f"{story.result} ({tally})" + (f": {moved}" if moved else "")
    return {
        "heading": f"Round {story.round}: {deck.seat_name(story.invoker)} invoked {deck.consultation.label}"
        f" on {title}",
        "rows": [
            (deck.seat_name(nation), controller_words(deck, nation, controllers.get(nation)), position)
            for nation, position in story.positions
        ],
        "reactions": [f"{position}: {text}" for position, text in story.reactions],
        "outcome": outcome,
    }


def _council(deck: Deck, story: CouncilStory, controllers: Mapping[str, Controller]) -> dict[str, Any]:
    """A council as a table: each nation's vote (under consensus, the chair's proposal and each other
    nation's answer), whether it was adopted or deadlocked, and the response resolved."""
    card = deck.card(story.card)
    if story.chosen is None:
        outcome = "was still deciding when the record ends"
    else:
        moved = effects_text(deck, story.effects)
        roll = "" if story.roll is None else f"; {story.roll[:1].lower()}{story.roll[1:]}"
        fell_back = story.consensus and story.adopted is False
        outcome = (
            f"{'fell back to' if fell_back else 'chose'} {quoted(card.response(story.chosen).label)}"
            + (f": {moved}" if moved else "")
            + roll
        )
    rows = [
        (
            deck.seat_name(nation),
            controller_words(deck, nation, controllers.get(nation)),
            (
                f"proposed {quoted(card.response(response).label)}"
                if story.consensus
                else card.response(response).label
            ),
        )
        for nation, response in story.votes
    ]
    rows += [
        (
            deck.seat_name(nation),
            controller_words(deck, nation, controllers.get(nation)),
            "objected" if answer == "object" else "accepted",
        )
        for nation, answer in story.answers
    ]
    return {
        "heading": f"Round {story.round}: the council on {quoted(card.title)}",
        "rows": rows,
        "result": _council_result(deck, story),
        "outcome": outcome,
    }


def _council_result(deck: Deck, story: CouncilStory) -> str:
    """Adopted or deadlocked, and why, in words."""
    if story.adopted is None:
        return "undecided when the record ends"
    if not story.consensus:
        assert story.chosen is not None
        backers = sum(1 for _, response in story.votes if response == story.chosen)
        return f"adopted by plurality ({backers} of {plural(len(story.votes), 'vote')})"
    if story.adopted:
        return "adopted by consensus (no objection)"
    objectors = ", ".join(deck.seat_name(nation) for nation, answer in story.answers if answer == "object")
    return f"deadlocked ({objectors} objected)"


def _postures(deck: Deck, chronicle: Chronicle, rounds: int) -> dict[str, Any]:
    """The postures over the rounds: a chart, a table of each one's level at each round's end (as the
    tracks' table), and every change with its cause. Nothing for a deck without postures."""
    if not deck.postures:
        return {"postures_chart": None, "postures": [], "posture_rounds": [], "posture_changes": []}
    changes = chronicle.postures
    rows = []
    for number in range(rounds + 1):
        levels = {posture_id: posture.start for posture_id, posture in deck.postures.items()}
        for change in changes:
            if change.round <= number:
                levels[change.posture] = change.after
        rows.append((number, [deck.postures[p].level(level).label for p, level in levels.items()]))
    return {
        # An XML tree serialised by ElementTree, like the tracks' chart: safe in the page as is.
        "postures_chart": Markup(
            postures_svg(deck, [(c.round, c.posture, c.after) for c in changes], rounds)
        ),
        "postures": [posture.name for posture in deck.postures.values()],
        "posture_rounds": rows,
        "posture_changes": [
            (
                c.round,
                deck.postures[c.posture].name,
                deck.postures[c.posture].level(c.before).label,
                deck.postures[c.posture].level(c.after).label,
                c.cause,
            )
            for c in changes
        ],
    }


def _undone_and_branched(record: GameRecord) -> dict[str, Any]:
    """The record's abandoned lines (what undo took back) and the save a branch came from."""
    branch = record.branched_from
    return {
        "undone": [
            f"Turn {line.turn}, round {line.round}: {line.summary[:1].upper()}{line.summary[1:]}"
            for line in record.undone
        ],
        "branched_from": None
        if branch is None
        else f"This game was branched from {branch.path} at turn {branch.turn}"
        f" (that save's SHA-256 then: {branch.sha256[:12]}…).",
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
    red, red_score = deck.adversary, result(state).adversary
    if red is not None and red_score is not None:
        objectives = {o.id: o.text for o in red.objectives}
        met = "; ".join(objectives[o] for o in red_score.met) or "—"
        missed = "; ".join(objectives[o] for o in red_score.missed) or "—"
        rows.append((f"{red.name} (the adversary)", red_score.points, met, missed))
    return rows


# --- the adversary's plays and the attributions ----------------------------------------------------


def _red_plays(deck: Deck, plays: Sequence[RedPlay]) -> list[tuple[int, list[tuple[str, list[str]]]]]:
    """Each round's plays: what the adversary played where, and why (the red AI's appraisal)."""
    rounds: dict[int, list[tuple[str, list[str]]]] = {}
    for play in plays:
        red = deck.adversary
        assert red is not None
        card = deck.card(play.card)
        where = "at the whole alliance" if play.target is None else f"on {deck.nation(play.target).name}"
        who = controller_words(deck, play.seat, play.controller, nested=True)
        headline = f"{red.name} ({who}) played {quoted(card.title)} {where}"
        rounds.setdefault(play.round, []).append((headline, _why(deck, play)))
    return sorted(rounds.items())


def _why(deck: Deck, play: RedPlay) -> list[str]:
    """Why the adversary chose this play, in words: the parts of its value as the red AI saw them."""
    chosen = play.appraisal
    if not isinstance(play.controller, Scripted) or chosen is None:
        return ["The red-cell team's choice."]
    red = deck.adversary
    assert red is not None
    persona = red.personas[play.controller.persona]
    seen = play.seen
    target = "the alliance" if play.target is None else deck.nation(play.target).name
    lines = [
        f"Value {chosen.value:+.2f}: the card's stakes {chosen.stakes:+.2f}, what drew it to {target}"
        f" {chosen.draw:+.2f}, preferences {chosen.preference:+.2f}."
    ]
    if play.target is None:
        lines.append("An alliance card: it draws by the mean of what draws the persona to each nation.")
    elif chosen.reasons:
        features = ", ".join(
            f"{_feature(deck, seen, play.target, feature)} ({part:+.2f})" for feature, part in chosen.reasons
        )
        lines.append(f"{target}: {features}.")
    else:
        lines.append(f"{target}: nothing in particular drew it there.")
    if chosen.preference:
        card = deck.card(play.card)
        matched = [
            f"{_preferred(preference.cards, preference.tags, card.id, card.tags)} ({preference.weight:+.2f})"
            for preference in persona.prefers
            if (card.id in preference.cards or any(tag in card.tags for tag in preference.tags))
            and holds_all(preference.when, seen.tracks, seen.stats, seen.round, None, None, seen)
        ]
        lines.append(f"{persona.name} prefers now: {', '.join(matched)}.")
    others = [a for a in play.ranked if a.action != chosen.action]
    if not play.is_ai_choice:
        best = play.ranked[0]
        lines.append(
            f"Not the AI's own pick: it valued {_play_words(deck, best.action.card, best.action.target)}"
            f" most ({best.value:+.2f})."
        )
    elif others:
        runner = others[0]
        lines.append(
            f"The best of {len(play.ranked)} possible plays; the next: "
            f"{_play_words(deck, runner.action.card, runner.action.target)} ({runner.value:+.2f})."
        )
    else:
        lines.append("Its only possible play.")
    return lines


def _feature(deck: Deck, seen: GameState, nation: str, feature: str) -> str:
    """A feature of a target nation as the adversary saw it, in words."""
    if feature == "frontline":
        return "on the front line"
    if feature == "let_go":
        return "let the last card go"
    if feature == "dissent":
        return f"stood against the alliance {seen.dissent.get(nation, 0)} time(s)"
    stat = deck.stats.get(feature)
    return f"{feature if stat is None else stat.name.lower()} {seen.stats[nation].get(feature, 0)}"


def _preferred(cards: Sequence[str], tags: Sequence[str], card: str, card_tags: Sequence[str]) -> str:
    if card in cards:
        return "this card"
    return "cards tagged " + ", ".join(tag for tag in tags if tag in card_tags)


def _play_words(deck: Deck, card: str, target: str | None) -> str:
    where = "at the alliance" if target is None else f"on {deck.nation(target).name}"
    return f"{quoted(deck.card(card).title)} {where}"


def _incident(
    deck: Deck, story: IncidentStory, controllers: Mapping[str, Controller]
) -> tuple[str, list[str]]:
    """An incident in words (its truth, and when it was revealed), and its claims."""
    card = deck.card(story.card)
    where = "the alliance" if story.target is None else deck.nation(story.target).name
    if story.revealed is None:
        known = "never revealed in play"
    else:
        by = f" ({story.revealed_by})" if story.revealed_by else ""
        known = f"revealed in round {story.revealed}{by}"
    headline = f"{quoted(card.title)} (round {story.round}, on {where}): the truth was {story.truth}, {known}"
    claims = []
    for claim in story.claims:
        if claim.nation is None:
            who = "The council"
        else:
            played_by = controller_words(deck, claim.nation, controllers[claim.nation], nested=True)
            who = f"{deck.nation(claim.nation).name} ({played_by})"
        verdict = "wrong" if claim.wrong else "right"
        proved = "never proved in play" if claim.proved is None else f"proved in round {claim.proved}"
        label = card.response(claim.response).label
        claims.append(
            f"{who} chose {quoted(label)} in round {claim.round}, claiming {claim.claimed}:"
            f" {verdict}, {proved}"
        )
    return headline, claims


#: Lines of the timeline that the consultations' and councils' tables tell instead, once each.
_IN_TABLES = frozenset({"position", "reaction", "vote"})


class _Line(NamedTuple):
    """A line of the report's timeline."""

    kind: str
    text: str
    effects: str
    """Its effects on the tracks in words; "" for none."""


def _by_round(deck: Deck, entries: Sequence[Entry]) -> list[tuple[int, list[_Line]]]:
    """The timeline round by round, each decision with its effects on the tracks."""
    rounds: dict[int, list[_Line]] = {}
    for entry in entries:
        if entry.kind not in _IN_TABLES:
            line = _Line(entry.kind, entry.text, effects_text(deck, entry.effects))
            rounds.setdefault(entry.round, []).append(line)
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
