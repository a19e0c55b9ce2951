"""The tracks over the rounds as an SVG chart, built as an XML tree (as python-chess's `chess/svg.py`
does): ElementTree escapes every name and number it writes, so no text has to remember to."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence

from wargame.model import Deck

__all__ = ["defeat_lines", "postures_svg", "tracks_svg"]

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

# Lines differ by dash pattern as well as colour, and each is labelled at its end: the chart must
# read in black and white and for colour-blind readers.
_STYLES = [
    ("#1f77b4", None),
    ("#d62728", "8 4"),
    ("#2ca02c", "2 3"),
    ("#9467bd", "12 3 2 3"),
    ("#8c564b", "4 4"),
]
_DEFEAT = "#8b0000"
_FACILITATOR = "#555"
_LABEL_GAP = 14
"""The least distance between two labels at the lines' ends, so that they do not overlap."""
_CHARACTER_WIDTH = 7
"""A generous width of one character of a label (12 px sans-serif), to leave them room: SVG has no
way to ask a viewer how wide its text will be."""


def tracks_svg(
    deck: Deck,
    history: Mapping[str, Sequence[int]],
    interventions: Sequence[tuple[int, str]] = (),
    width: int = 640,
    height: int = 300,
) -> str:
    """Every track over the rounds, one labelled polyline each (round 0 is the start); the lines where
    a track alone loses the game (dashed, dark red) and the rounds in which the facilitator stepped in
    (`interventions`: round and what was done; a dotted line marked F in the middle of the round).

    The chart is wider than `width` when a label at a line's end needs more room than the margin."""
    left, right, top, bottom = 40, 120, 24, 40
    # Each line is named at its end, with its last value.
    ends = {track: f"{deck.tracks[track].name} {values[-1]}" for track, values in history.items()}
    wider = max(0, 6 + _CHARACTER_WIDTH * max(map(len, ends.values())) + 4 - right)  # labels start at +6
    right, width = right + wider, width + wider
    low = min(track.min for track in deck.tracks.values())
    high = max(track.max for track in deck.tracks.values())
    rounds = max(len(values) for values in history.values()) - 1
    span_x, span_y = max(rounds, 1), max(high - low, 1)

    def x(i: int) -> float:
        return left + (width - left - right) * i / span_x

    def y(v: int) -> float:
        return top + (height - top - bottom) * (high - v) / span_y

    svg = _canvas(width, height, "The tracks over the rounds")
    ET.SubElement(svg, "line", _attributes(x1=left, y1=y(low), x2=width - right, y2=y(low), stroke="#444"))
    ET.SubElement(svg, "line", _attributes(x1=left, y1=top, x2=left, y2=y(low), stroke="#444"))
    for value in (low, (low + high) // 2, high):
        _text(svg, str(value), x=left - 6, y=y(value) + 4, font_size=11, text_anchor="end")
    for i in range(rounds + 1):
        _text(svg, str(i), x=x(i), y=y(low) + 16, font_size=11, text_anchor="middle")
    _text(svg, "round", x=(left + width - right) / 2, y=height - 6, font_size=12, text_anchor="middle")
    _thresholds(svg, deck, left, width - right, y, (low + high) / 2)
    _interventions(
        svg, interventions, rounds, lambda r: left + (width - left - right) * r / span_x, top, y(low)
    )

    labels: list[tuple[float, str, str]] = []
    for index, (track_id, values) in enumerate(history.items()):
        colour, dash = _STYLES[index % len(_STYLES)]
        name = deck.tracks[track_id].name
        line = ET.SubElement(
            svg,
            "polyline",
            _attributes(
                class_="track",
                data_track=track_id,
                fill="none",
                stroke=colour,
                stroke_width=2.5,
                stroke_dasharray=dash,
                points=" ".join(f"{_number(x(i))},{_number(y(v))}" for i, v in enumerate(values)),
            ),
        )
        ET.SubElement(line, "title").text = name
        labels.append((y(values[-1]) + 4, ends[track_id], colour))
    ordered = sorted(labels)
    for label_y, (_, text, colour) in zip(
        _apart([y for y, _, _ in ordered], height - 4), ordered, strict=True
    ):
        _text(svg, text, x=width - right + 6, y=label_y, font_size=12, fill=colour)

    ET.indent(svg, space="")
    return ET.tostring(svg, encoding="unicode")


def postures_svg(
    deck: Deck,
    changes: Sequence[tuple[int, str, str]],
    rounds: int,
    width: int = 640,
) -> str:
    """Each posture's level over the rounds, one band per posture (its levels from bottom to top in
    the deck's order) with a step line: the start level from round 0, and each change (`changes`:
    round, posture id, new level id, in order) inside the round it happened in, spread evenly when a
    round has several. `rounds` is the x axis's last round, as on the tracks' chart."""
    names = [level.label for posture in deck.postures.values() for level in posture.levels]
    left = 12 + _CHARACTER_WIDTH * max(map(len, names), default=4)
    right, top, row, gap, bottom = 20, 8, 20, 34, 36
    bands = [(posture_id, posture, len(posture.levels)) for posture_id, posture in deck.postures.items()]
    height = top + sum(gap + row * max(count - 1, 1) for _, _, count in bands) + bottom
    span_x = max(rounds, 1)

    def x(at: float) -> float:
        return left + (width - left - right) * at / span_x

    svg = _canvas(width, height, "The postures over the rounds")
    # Where each change falls: in round r (between the ends of rounds r - 1 and r), evenly spread.
    per_round: dict[int, int] = {}
    for at_round, _, _ in changes:
        per_round[at_round] = per_round.get(at_round, 0) + 1
    seen: dict[int, int] = {}
    placed: list[tuple[float, str, str]] = []
    for at_round, posture_id, level in changes:
        seen[at_round] = seen.get(at_round, 0) + 1
        at = max(at_round - 1, 0) + seen[at_round] / (per_round[at_round] + 1)
        placed.append((min(at, span_x), posture_id, level))
    offset = top
    for index, (posture_id, posture, count) in enumerate(bands):
        colour, _ = _STYLES[index % len(_STYLES)]
        band_top = offset + gap
        band_bottom = band_top + row * max(count - 1, 1)
        ids = [level.id for level in posture.levels]

        def y(
            level: str, ids: list[str] = ids, band_top: float = band_top, band_bottom: float = band_bottom
        ) -> float:
            if len(ids) == 1:
                return (band_top + band_bottom) / 2
            return band_bottom - (band_bottom - band_top) * ids.index(level) / (len(ids) - 1)

        group = ET.SubElement(svg, "g", _attributes(class_="posture", data_posture=posture_id))
        _text(group, posture.name, x=left, y=band_top - 12, font_size=12, font_weight="bold")
        ET.SubElement(
            group,
            "line",
            _attributes(x1=left, y1=band_bottom, x2=width - right, y2=band_bottom, stroke="#444"),
        )
        for step in posture.levels:
            _text(group, step.label, x=left - 6, y=y(step.id) + 4, font_size=11, text_anchor="end")
            ET.SubElement(
                group,
                "line",
                _attributes(x1=left, y1=y(step.id), x2=width - right, y2=y(step.id), stroke="#ddd"),
            )
        now = posture.start
        points = [(x(0), y(now))]
        for at, changed, after in placed:
            if changed == posture_id:
                points += [(x(at), y(now)), (x(at), y(after))]
                now = after
        points.append((x(span_x), y(now)))
        line = ET.SubElement(
            group,
            "polyline",
            _attributes(
                class_="level",
                fill="none",
                stroke=colour,
                stroke_width=2.5,
                points=" ".join(f"{_number(px)},{_number(py)}" for px, py in points),
            ),
        )
        ET.SubElement(line, "title").text = f"{posture.name}: {posture.level(now).label} at the end"
        offset = band_bottom
    for i in range(rounds + 1):
        _text(svg, str(i), x=x(i), y=offset + 16, font_size=11, text_anchor="middle")
    _text(svg, "round", x=(left + width - right) / 2, y=height - 6, font_size=12, text_anchor="middle")
    ET.indent(svg, space="")
    return ET.tostring(svg, encoding="unicode")


def defeat_lines(deck: Deck) -> dict[int, list[str]]:
    """Where a track alone loses the game: value, and the names of the tracks lost there (a defeat
    that needs more than one condition has no single line to draw)."""
    lines: dict[int, list[str]] = {}
    for ending in deck.defeats:
        condition = ending.when[0] if len(ending.when) == 1 else None
        if condition is None or condition.track is None:
            continue
        bounds = [bound for bound in (condition.min, condition.max) if bound is not None]
        if len(bounds) == 1:
            names = lines.setdefault(bounds[0], [])
            name = deck.tracks[condition.track].name
            if name not in names:
                names.append(name)
    return dict(sorted(lines.items()))


def _thresholds(
    svg: ET.Element, deck: Deck, left: float, right: float, y: Callable[[int], float], middle: float
) -> None:
    for value, names in defeat_lines(deck).items():
        group = ET.SubElement(svg, "g", _attributes(class_="defeat", data_value=value))
        ET.SubElement(group, "title").text = f"Defeat: {', '.join(names)} at {value}"
        ET.SubElement(
            group,
            "line",
            _attributes(
                x1=left,
                y1=y(value),
                x2=right,
                y2=y(value),
                stroke=_DEFEAT,
                stroke_width=1.5,
                stroke_dasharray="6 3",
            ),
        )
        # Inside the plot, on the side of the line away from the edge it is nearest.
        below = value > middle
        _text(
            group,
            f"defeat: {', '.join(names)} {value}",
            x=left + 4,
            y=y(value) + (13 if below else -4),
            font_size=10,
            fill=_DEFEAT,
        )


def _interventions(
    svg: ET.Element,
    interventions: Sequence[tuple[int, str]],
    rounds: int,
    x: Callable[[float], float],
    top: float,
    bottom: float,
) -> None:
    by_round: dict[int, list[str]] = {}
    for at_round, text in interventions:
        by_round.setdefault(at_round, []).append(text)
    for at_round, texts in sorted(by_round.items()):
        # During round r: between the end of round r - 1 and the end of round r (or where it stopped).
        where = x(min(max(at_round - 0.5, 0), rounds))
        group = ET.SubElement(svg, "g", _attributes(class_="intervention", data_round=at_round))
        ET.SubElement(group, "title").text = f"Round {at_round}, the facilitator: " + "; ".join(texts)
        ET.SubElement(
            group,
            "line",
            _attributes(x1=where, y1=top, x2=where, y2=bottom, stroke=_FACILITATOR, stroke_dasharray="1 3"),
        )
        label = "F" if len(texts) == 1 else f"F×{len(texts)}"
        _text(group, label, x=where, y=top - 6, font_size=11, text_anchor="middle", fill=_FACILITATOR)


def _apart(positions: list[float], lowest: float) -> list[float]:
    """Label positions (sorted, top to bottom) pushed apart where they would overlap, and kept above
    `lowest` (the chart's bottom edge): each line is named at its end whatever its neighbours."""
    placed: list[float] = []
    for position in positions:
        placed.append(max(position, placed[-1] + _LABEL_GAP) if placed else position)
    for index in range(len(placed) - 1, -1, -1):
        placed[index] = min(placed[index], lowest - _LABEL_GAP * (len(placed) - 1 - index))
    return placed


def _canvas(width: float, height: float, label: str) -> ET.Element:
    """An SVG root of this size on a white ground, labelled for screen readers."""
    svg = ET.Element(
        "svg",
        _attributes(
            xmlns=SVG_NAMESPACE,
            width=width,
            height=height,
            viewBox=f"0 0 {width} {height}",
            role="img",
            aria_label=label,
            # The same letters alone (an SVG file beside the Markdown) as inline in the page.
            font_family="sans-serif",
        ),
    )
    ET.SubElement(svg, "rect", _attributes(width=width, height=height, fill="white"))
    return svg


def _text(parent: ET.Element, content: str, **attributes: str | float | None) -> None:
    ET.SubElement(parent, "text", _attributes(**attributes)).text = content


def _attributes(**attributes: str | float | None) -> dict[str, str]:
    """SVG attributes from keyword arguments: `font_size` is `font-size`, `class_` is `class`, numbers
    have at most one decimal, and None leaves the attribute out."""
    return {
        name.rstrip("_").replace("_", "-"): value if isinstance(value, str) else _number(value)
        for name, value in attributes.items()
        if value is not None
    }


def _number(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.1f}".removesuffix(".0")
