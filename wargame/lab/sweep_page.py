"""A sweep's figures as text, and as one self-contained HTML page with a chart of the endings
against each variant (built as an XML tree, as `chart.py` builds the tracks)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from wargame.lab.chart import SVG_NAMESPACE
from wargame.model import Deck

__all__ = ["endings_svg", "sweep_html", "sweep_rows", "sweep_text"]

# Defeats in reds, the other endings in blues and greens, each also told by its pattern's label in
# the legend and by its share written in the bar: the chart must read in black and white.
_DEFEATS = ["#8b0000", "#c0392b", "#e67e73", "#f5b7b1", "#a93226"]
_OTHERS = ["#1f4e79", "#2e86c1", "#85c1e9", "#1e8449", "#82e0aa", "#7d6608", "#d4ac0d", "#5b2c6f"]


def sweep_rows(deck: Deck, figures: Sequence[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """Each figure a sweep compares, as (name, the value for each variant): survival, the endings,
    split consultations, deadlocked councils, the tracks' means at the end, each seat's mean score and
    the share of purchases without effect (a run's JSON from before issue 15 has neither)."""
    rows: list[tuple[str, list[str]]] = []
    defeats = {ending.id for ending in deck.defeats}
    rows.append(("survival", [_share(_survivors(f, defeats), f["games"]) for f in figures]))
    for ending in deck.endings:
        rows.append((f"  {ending.id}", [_share(f["endings"][ending.id], f["games"]) for f in figures]))
    consulted = [sum(f["consultations"].values()) for f in figures]
    rows.append(
        (
            "consultations split",
            [_share(f["consultations"]["split"], n) for f, n in zip(figures, consulted, strict=True)],
        )
    )
    if any(f.get("councils", {}).get("deadlocked") for f in figures):
        rows.append(
            (
                "councils deadlocked",
                [_share(f["councils"]["deadlocked"], f["councils"]["held"]) for f in figures],
            )
        )
    for posture, levels in (figures[0].get("postures") or {}).items() if figures else ():
        for level in levels:
            rows.append(
                (
                    f"{posture} ends {level}",
                    [_share(f["postures"][posture][level]["games"], f["games"]) for f in figures],
                )
            )
    for track in deck.tracks:
        rows.append((f"{track}, mean at the end", [f"{f['tracks'][track]['mean']}" for f in figures]))
    if figures and all("scores" in f for f in figures):
        for seat in figures[0]["scores"]:
            rows.append((f"{seat}, mean score", [f"{f['scores'].get(seat)}" for f in figures]))
    if any(f.get("investments") for f in figures):
        bought = [sum(i["bought"] for i in f.get("investments", {}).values()) for f in figures]
        futile = [sum(i["bought_without_effect"] for i in f.get("investments", {}).values()) for f in figures]
        rows.append(("purchases without effect", [_share(a, b) for a, b in zip(futile, bought, strict=True)]))
    return rows


def sweep_text(
    deck: Deck, labels: Sequence[str], figures: Sequence[dict[str, Any]], games: int, seconds: float
) -> str:
    """The sweep as a table for a terminal: a column per variant."""
    rows = sweep_rows(deck, figures)
    first = max(len(name) for name, _ in rows)
    width = max(6, *(len(value) for _, values in rows for value in values))
    lines = [f'{len(labels)} variants × {games} games of "{deck.info.title}" in {seconds:.1f} s', ""]
    lines += [f"  {i + 1}. {label}" for i, label in enumerate(labels)]
    lines.append("")
    lines.append(" " * first + "".join(f"  {i + 1:>{width}}" for i in range(len(labels))))
    for name, values in rows:
        lines.append(f"{name:<{first}}" + "".join(f"  {value:>{width}}" for value in values))
    return "\n".join(lines)


def endings_svg(
    deck: Deck, labels: Sequence[str], figures: Sequence[dict[str, Any]], width: int = 720
) -> str:
    """One stacked bar per variant: the share of games that ended in each ending, defeats first."""
    ET.register_namespace("", SVG_NAMESPACE)
    order = [e for e in deck.endings if e.kind == "defeat"] + [e for e in deck.endings if e.kind != "defeat"]
    colours: dict[str, str] = {}
    defeats, others = iter(_DEFEATS * 4), iter(_OTHERS * 4)
    for ending in order:
        colours[ending.id] = next(defeats) if ending.kind == "defeat" else next(others)
    left, bar, gap, top = 16, 26, 22, 16
    legend_rows = (len(order) + 2) // 3
    height = top + len(labels) * (bar + gap) + 20 + legend_rows * 18
    svg = ET.Element(
        f"{{{SVG_NAMESPACE}}}svg", width=str(width), height=str(height), viewBox=f"0 0 {width} {height}"
    )
    ET.SubElement(svg, "title").text = "Endings against each variant"
    span = width - 2 * left
    for row, (label, data) in enumerate(zip(labels, figures, strict=True)):
        y = top + row * (bar + gap)
        _label(svg, left, y - 4, f"{row + 1}. {label}")
        x = float(left)
        games = max(data["games"], 1)
        for ending in order:
            share = data["endings"][ending.id] / games
            if not share:
                continue
            part = span * share
            rect = ET.SubElement(
                svg,
                "rect",
                x=f"{x:.1f}",
                y=str(y),
                width=f"{part:.1f}",
                height=str(bar),
                fill=colours[ending.id],
            )
            ET.SubElement(rect, "title").text = f"{ending.id}: {share:.0%}"
            if part > 30:
                _label(svg, x + 3, y + bar - 9, f"{share:.0%}", size=11, fill=_ink(colours[ending.id]))
            x += part
    y = top + len(labels) * (bar + gap) + 4
    for i, ending in enumerate(order):
        lx, ly = left + (i % 3) * (span / 3), y + (i // 3) * 18
        ET.SubElement(svg, "rect", x=f"{lx:.1f}", y=str(ly), width="12", height="12", fill=colours[ending.id])
        kind = " (defeat)" if ending.kind == "defeat" else ""
        _label(svg, lx + 16, ly + 11, f"{ending.id}{kind}")
    return ET.tostring(svg, encoding="unicode")


def sweep_html(deck: Deck, labels: Sequence[str], figures: Sequence[dict[str, Any]], command: str) -> str:
    """The whole page: the chart, then the table of every figure."""
    import jinja2
    from markupsafe import Markup

    loader = jinja2.PackageLoader("wargame.lab", "templates")
    page = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = page.get_template("sweep.html.jinja")
    return template.render(
        title=deck.info.title,
        command=command,
        games=figures[0]["games"] if figures else 0,
        labels=labels,
        chart=Markup(endings_svg(deck, labels, figures)),
        rows=sweep_rows(deck, figures),
    )


def _survivors(figures: dict[str, Any], defeats: set[str]) -> int:
    ended: dict[str, int] = figures["endings"]
    return int(figures["games"]) - sum(count for ending, count in ended.items() if ending in defeats)


def _ink(colour: str) -> str:
    """Black on a light colour, white on a dark one (by the colour's relative luminance)."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "#000" if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.5 else "#fff"


def _label(svg: ET.Element, x: float, y: float, content: str, size: int = 12, fill: str = "#000") -> None:
    attributes = {"x": f"{x:.1f}", "y": f"{y:.1f}", "font-size": str(size), "font-family": "sans-serif"}
    ET.SubElement(svg, "text", attributes | {"fill": fill}).text = content


def _share(count: int, total: int) -> str:
    return f"{count / total:.0%}" if total else "–"
