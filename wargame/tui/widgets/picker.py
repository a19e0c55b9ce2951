"""A list to pick from whose highlighted row says so without colour: a `▶` in front of it, and bold.

A projector washes the highlight's colour out, and a facilitator picking a card in front of a room must
still see which one Enter takes.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import OptionList

__all__ = ["MARKER", "Picker"]

#: In front of the highlighted row (and blank in front of the others, so the rows stay aligned).
MARKER = "▶ "


class Picker(OptionList):
    """An `OptionList` that marks its highlighted option with `MARKER` and bold, not by colour alone."""

    DEFAULT_CSS = """
    Picker > .option-list--option-highlighted {
        text-style: bold;
    }
    """

    def _get_left_gutter_width(self) -> int:
        return len(MARKER)

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            index, line = self._lines[self.scroll_offset.y + y]
        except IndexError:  # below the last option: a blank line as wide as the list
            return strip
        highlighted = index == self.highlighted and not self.options[index].disabled
        classes = ["option-list--option", "option-list--option-highlighted"][: 2 if highlighted else 1]
        style = self.get_visual_style(*classes)
        mark = MARKER if highlighted and line == 0 else " " * len(MARKER)
        return Strip.join([Strip([Segment(mark, style.rich_style)], len(MARKER)), strip])
