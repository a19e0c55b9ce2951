"""The command palette (Ctrl+P): save, help, quit; the decision timer when there is one; and, in
facilitator mode only, the facilitator's panel and each of its tools."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from wargame.tui.app import WargameApp
    from wargame.tui.screens.facilitator import Tool

__all__ = ["GameCommands"]

#: The facilitator's commands: (title, help, tool; None for the panel itself).
FACILITATOR: list[tuple[str, str, Tool | None]] = [
    ("Facilitator: the panel", "All the facilitator's tools (key f)", None),
    ("Facilitator: put a card on top of the draw pile", "The next card drawn", "card"),
    ("Facilitator: force the next roll", "Succeed or fail, whatever the dice say", "roll"),
    ("Facilitator: adjust a track", "By a delta, with a reason", "track"),
    ("Facilitator: adjust a nation's stat", "By a delta, with a reason", "stat"),
    ("Facilitator: add a note", "Into the log, the save and the report", "note"),
    ("Facilitator: undo the last decision", "Back to before the last human or facilitator action", "undo"),
]


class GameCommands(Provider):
    """The game's own commands."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app: WargameApp = self.app  # type: ignore[assignment]
        found: list[tuple[str, str, Callable[[], object]]] = [
            ("Help: keys and rules", "Open the help screen", app.action_help),
            ("Quit", "Leave the game (it is saved after every decision)", app.action_request_quit),
        ]
        session = app.session
        if session is None:
            return found
        found.insert(0, ("Save the game now", "Write the save file again", app.action_save))
        clock = app.driver.clock if app.driver is not None else None
        if clock is not None and clock.active:
            found.append(("Timer: pause or resume", "The decision timer (key t)", app.action_toggle_timer))
        if app.facilitator:
            for title, help_text, tool in FACILITATOR:
                if session.over and tool not in (None, "undo"):
                    continue
                found.append((title, help_text, partial(app.action_facilitator, tool)))
        return found

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
