"""The event log: what happened, in order, newest at the bottom."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import RichLog

from wargame.model import Deck
from wargame.model.events import Event
from wargame.session.describe import PUBLIC, event_lines

__all__ = ["EventLog"]


class EventLog(RichLog):
    """The game's events in words; headings unindented and bold, their effects indented beneath."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, wrap=True, max_lines=2000, auto_scroll=True, min_width=20)
        self.can_focus = False

    def add(self, deck: Deck, events: Sequence[Event], seat: str = PUBLIC) -> None:
        """Write these events' lines, as `seat` may read them (by default: what every nation may)."""
        for line in event_lines(deck, events, seat):
            heading = not line.startswith(" ")
            self.write(Text(line, style="bold" if heading and line.startswith(("──", "GAME")) else ""))
