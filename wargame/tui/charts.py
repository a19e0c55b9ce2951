"""Tracks drawn in text: a one-line sparkline and a small bar chart, scaled to the track's range.

Plain strings, no colour: the shape carries the meaning.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["bar_chart", "sparkline"]

_BLOCKS = " ▁▂▃▄▅▆▇█"


def _level(value: int, low: int, high: int, steps: int) -> int:
    """`value` in `low..high` as a whole number of steps in `0..steps` (at least 1 above `low`)."""
    if high <= low:
        return steps
    share = (min(max(value, low), high) - low) / (high - low)
    level = round(share * steps)
    return max(level, 1) if value > low else 0


def sparkline(values: Sequence[int], low: int, high: int, width: int | None = None) -> str:
    """One block per value, its height the value's place in `low..high`; the last `width` values."""
    shown = list(values)[-width:] if width else list(values)
    return "".join(_BLOCKS[_level(value, low, high, 8)] or "▁" for value in shown).replace(" ", "▁")


def bar_chart(values: Sequence[int], low: int, high: int, height: int = 4) -> list[str]:
    """Rows of a bar chart, top first: one two-block-wide bar per value, `height` rows of eighth blocks,
    the track's bounds on the left, then a row with each value and a row with its index (the round)."""
    label = max(len(str(low)), len(str(high)))
    levels = [_level(value, low, high, height * 8) for value in values]
    rows = []
    for row in range(height - 1, -1, -1):
        cells = [_BLOCKS[min(max(level - row * 8, 0), 8)] * 2 for level in levels]
        axis = str(high) if row == height - 1 else str(low) if row == 0 else ""
        rows.append(f"{axis:>{label}} ┤{' '.join(cells)}".rstrip())
    rows.append(" " * label + " └" + "─" * (len(values) * 3 - 1))
    rows.append(" " * (label + 1) + "".join(f"{value:>3}" for value in values) + "  value")
    rows.append(" " * (label + 1) + "".join(f"{index:>3}" for index in range(len(values))) + "  round")
    return rows
