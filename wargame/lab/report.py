"""The after-action report for the debrief, in Markdown or HTML, with the tracks as an SVG chart."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from wargame.engine import result
from wargame.lab.chronicle import Chronicle, Entry
from wargame.model import Deck, GameState

# Lines differ by dash pattern as well as colour, and each is labelled at its end: the chart must
# read in black and white and for colour-blind readers.
_STYLES = [
    ("#1f77b4", ""),
    ("#d62728", "8 4"),
    ("#2ca02c", "2 3"),
    ("#9467bd", "12 3 2 3"),
    ("#8c564b", "4 4"),
]


def tracks_svg(deck: Deck, history: Mapping[str, Sequence[int]], width: int = 640, height: int = 300) -> str:
    """Every track over the rounds, one labelled polyline each (round 0 is the start)."""
    left, right, top, bottom = 40, 120, 20, 40
    low = min(track.min for track in deck.tracks.values())
    high = max(track.max for track in deck.tracks.values())
    rounds = max(len(values) for values in history.values()) - 1
    span_x, span_y = max(rounds, 1), max(high - low, 1)

    def x(i: int) -> float:
        return left + (width - left - right) * i / span_x

    def y(v: int) -> float:
        return top + (height - top - bottom) * (high - v) / span_y

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="The tracks over the rounds">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<line x1="{left}" y1="{y(low)}" x2="{width - right}" y2="{y(low)}" stroke="#444"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{y(low)}" stroke="#444"/>',
    ]
    for value in (low, (low + high) // 2, high):
        parts.append(
            f'<text x="{left - 6}" y="{y(value) + 4}" font-size="11" text-anchor="end">{value}</text>'
        )
    for i in range(rounds + 1):
        parts.append(f'<text x="{x(i)}" y="{y(low) + 16}" font-size="11" text-anchor="middle">{i}</text>')
    middle = (left + width - right) / 2
    parts.append(f'<text x="{middle}" y="{height - 6}" font-size="12" text-anchor="middle">round</text>')
    labels: list[tuple[float, str, str]] = []
    for index, (track_id, values) in enumerate(history.items()):
        colour, dash = _STYLES[index % len(_STYLES)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        dashing = f' stroke-dasharray="{dash}"' if dash else ""
        name = html.escape(deck.tracks[track_id].name)
        parts.append(
            f'<polyline class="track" data-track="{track_id}" fill="none" stroke="{colour}" '
            f'stroke-width="2.5"{dashing} points="{points}"><title>{name}</title></polyline>'
        )
        labels.append((y(values[-1]) + 4, f"{name} {values[-1]}", colour))
    # Each line is named at its end; names that would overlap are pushed apart.
    previous = float("-inf")
    for label_y, text, colour in sorted(labels):
        label_y = max(label_y, previous + 14)
        previous = label_y
        parts.append(
            f'<text x="{width - right + 6}" y="{label_y:.1f}" font-size="12" fill="{colour}">{text}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def history_to_the_end(state: GameState) -> dict[str, tuple[int, ...]]:
    """Each track's history, with the final values added when the game ended mid-round (a defeat):
    the history itself records only the rounds' ends."""
    history = {track: tuple(values) for track, values in state.history.items()}
    if state.ending is not None and len(next(iter(history.values()), ())) <= state.round:
        history = {track: (*values, state.tracks[track]) for track, values in history.items()}
    return history


def markdown_report(chronicle: Chronicle, setup: Mapping[str, str], chart_link: str) -> str:
    """The report as Markdown; the chart is the SVG file at `chart_link` (written beside it)."""
    state, deck = chronicle.state, chronicle.state.deck
    lines = [f"# After-action report: {deck.info.title}", "", "## Setup", ""]
    lines += [f"- **{key}:** {value}" for key, value in setup.items()]
    lines += ["", "## Outcome", "", *_outcome(chronicle), "", "## Tracks over the rounds", ""]
    lines += [f"![The tracks over the rounds]({chart_link})", ""]
    history = history_to_the_end(state)
    lines += ["| round | " + " | ".join(deck.tracks[t].name for t in history) + " |"]
    lines += ["| --- | " + " | ".join("---" for _ in history) + " |"]
    for i in range(len(next(iter(history.values())))):
        lines += [f"| {i} | " + " | ".join(str(values[i]) for values in history.values()) + " |"]
    lines += ["", "## Turning points", ""]
    for track, swings in chronicle.turning_points().items():
        lines += [f"**{deck.tracks[track].name}**", ""]
        lines += [f"- round {s.round}: {s.delta:+d} — {s.cause}" for s in swings] or ["- never moved"]
        lines += [""]
    lines += ["## Final scores", "", "| nation | points | objectives met | objectives missed |"]
    lines += ["| --- | --- | --- | --- |"]
    lines += [f"| {name} | {points} | {met} | {missed} |" for name, points, met, missed in _scores(chronicle)]
    lines += ["", "## Timeline", ""]
    for round_number, entries in _by_round(chronicle.entries):
        lines += [f"### Round {round_number}", ""]
        lines += [f"- {_markdown_escape(entry.text)}" for entry in entries]
        lines += [""]
    return "\n".join(lines)


def html_report(chronicle: Chronicle, setup: Mapping[str, str]) -> str:
    """The report as one self-contained HTML page with an inline SVG chart."""
    state, deck = chronicle.state, chronicle.state.deck
    e = html.escape
    body = [f"<h1>After-action report: {e(deck.info.title)}</h1>", "<h2>Setup</h2>", "<ul>"]
    body += [f"<li><strong>{e(key)}:</strong> {e(value)}</li>" for key, value in setup.items()]
    body += ["</ul>", "<h2>Outcome</h2>", *(f"<p>{e(line)}</p>" for line in _outcome(chronicle))]
    chart = tracks_svg(deck, history_to_the_end(state))
    body += ["<h2>Tracks over the rounds</h2>", chart, "<h2>Turning points</h2>"]
    for track, swings in chronicle.turning_points().items():
        body += [f"<h3>{e(deck.tracks[track].name)}</h3>", "<ul>"]
        body += [f"<li>round {s.round}: {s.delta:+d} — {e(s.cause)}</li>" for s in swings] or [
            "<li>never moved</li>"
        ]
        body += ["</ul>"]
    body += [
        "<h2>Final scores</h2>",
        "<table><tr><th>nation</th><th>points</th><th>met</th><th>missed</th></tr>",
    ]
    body += [
        f"<tr><td>{e(n)}</td><td>{p}</td><td>{e(met)}</td><td>{e(missed)}</td></tr>"
        for n, p, met, missed in _scores(chronicle)
    ]
    body += ["</table>", "<h2>Timeline</h2>"]
    for round_number, entries in _by_round(chronicle.entries):
        body += [f"<h3>Round {round_number}</h3>", "<ul>"]
        body += [f'<li class="{entry.kind}">{e(entry.text)}</li>' for entry in entries]
        body += ["</ul>"]
    style = (
        "body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .6em}"
        ".facilitator,.note{font-style:italic}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(deck.info.title)} — '
        f"after-action report</title><style>{style}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


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


def _markdown_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")
