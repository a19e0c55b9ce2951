"""The event log: what happened, in order, newest at the bottom.

Textual's `RichLog` wraps a line once, at the width the log has when the line is written, and crops
it from then on. The log's width changes after lines are written: the game screen's breakpoints
(`-wide`) apply after its first layout (a resume or an undo writes the whole story before that), and
the terminal is resized. So the log keeps its entries and wraps them again whenever its width changes.

It is anchored to its newest line: the choices grow and shrink above it (a hand-over, a long list of
options), and the room must still see what the AI and the facilitator just did. Scrolling up to read
releases the anchor; the next entry brings the log back to the bottom.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.widgets import RichLog

from wargame.model import Deck
from wargame.model.events import Event
from wargame.session.describe import PUBLIC, event_lines

__all__ = ["EventLog"]

#: The entries kept (older ones scroll out of the log for good).
MAX_ENTRIES = 2000


class EventLog(RichLog):
    """The game's events in words; headings unindented and bold, their effects indented beneath."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, wrap=True, max_lines=4 * MAX_ENTRIES, auto_scroll=True, min_width=20)
        self.can_focus = False
        self.entries: deque[Text] = deque(maxlen=MAX_ENTRIES)
        """Every entry as written, unwrapped: wrapped again when the width changes."""
        self._wrapped_at: int | None = None
        """The width the lines shown were wrapped at."""

    def on_mount(self) -> None:
        self.anchor()

    def add(self, deck: Deck, events: Sequence[Event], seat: str = PUBLIC) -> None:
        """Write these events' lines, as `seat` may read them (by default: what every nation may)."""
        for line in event_lines(deck, events, seat):
            heading = not line.startswith(" ")
            entry = Text(line, style="bold" if heading and line.startswith(("──", "GAME")) else "")
            self.entries.append(entry)
            self.write(entry)

    def on_resize(self, event: events.Resize) -> None:
        # Runs before RichLog's own handler, which writes what waited for the first size at this width.
        width = self.scrollable_content_region.width
        if self._size_known and width != self._wrapped_at:
            self.clear()
            for entry in self.entries:
                self.write(entry, scroll_end=False)
        self._wrapped_at = width
