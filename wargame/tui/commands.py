"""The command palette (Ctrl+P): save, help, quit, and the facilitator's menu in facilitator mode."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from wargame.tui.app import WargameApp

__all__ = ["GameCommands"]


class GameCommands(Provider):
    """The game's own commands."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app: WargameApp = self.app  # type: ignore[assignment]
        found: list[tuple[str, str, Callable[[], object]]] = [
            ("Help: keys and rules", "Open the help screen", app.action_help),
            ("Quit", "Leave the game (it is saved after every decision)", app.action_request_quit),
        ]
        if app.session is not None:
            found.insert(0, ("Save the game now", "Write the save file again", app.action_save))
            if app.facilitator and not app.session.over:
                found.append(("Facilitator menu", "Steer the game: notes and more", app.action_facilitator))
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
