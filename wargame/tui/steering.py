"""The facilitator's side of the app: the panel (key f), its tools, and undo.

Each tool's screen returns an action that the driver applies like a decision (logged, autosaved,
shown). Undo replays the session without its last human or facilitator action and the AI's after it
(`facilitator.undo_point`), then restarts the game loop on a fresh game screen: the old loop is
cancelled first, so it can apply nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen

from wargame.model import Action
from wargame.session.facilitator import action_text
from wargame.tui.screens.facilitator import ConfirmUndoScreen, FacilitatorScreen, Tool, tool_screen
from wargame.tui.screens.modals import HandOverScreen

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from wargame.session import Session
    from wargame.tui.driver import GameDriver

    _Base = App[None]
else:
    _Base = object

__all__ = ["FacilitatorMixin"]

MODE_OFF = (
    "Facilitator mode is off. Start the game with `wargame play --facilitator` (or `wargame resume"
    " --facilitator`), or switch it on on the start screen."
)


class FacilitatorMixin(_Base):
    """The facilitator's panel and undo, for `WargameApp`."""

    session: Session | None
    driver: GameDriver | None
    facilitator: bool

    if TYPE_CHECKING:

        def _modal(self, screen: Screen[Any], then: Callable[[Any], object] | None = None) -> None: ...
        async def play(self, session: Session, last_human: str | None = None) -> None: ...

    def _busy(self) -> bool:
        """Whether a menu or dialog is open (the hand-over screen does not count)."""
        return isinstance(self.screen, ModalScreen) and not isinstance(self.screen, HandOverScreen)

    def action_facilitator(self, tool: Tool | None = None) -> None:
        """The facilitator's panel; or, given a tool, that tool at once (from the command palette)."""
        session = self.session
        if session is None or not self.facilitator or self._busy():
            return
        if tool is not None:
            self.open_tool(tool)
        else:
            self._modal(FacilitatorScreen(session.state, self.undo_text()), then=self.open_tool)

    def action_facilitator_off(self) -> None:
        self.notify(MODE_OFF, title="Facilitator", severity="warning", timeout=8)

    def open_tool(self, tool: Tool | None) -> None:
        session = self.session
        if tool is None or session is None:
            return
        if tool == "undo":
            what = self.undo_text()
            if what is None:
                self.notify("There is nothing to undo: no person or facilitator has acted yet.")
                return
            self._modal(ConfirmUndoScreen(what), then=self._confirmed)
        elif session.over:
            self.notify("The game is over: only undo can change it now.", severity="warning")
        else:
            self._modal(tool_screen(tool, session.state), then=self.steer)

    def _confirmed(self, undo: bool) -> None:
        if undo:
            if self.driver is not None:
                self.driver.stop()  # at once: no AI move may slip in before the undo
            self.call_later(self.undo)

    def steer(self, action: Action | None) -> None:
        """Apply a facilitator's action like any other decision, then let the loop look again."""
        if action is not None and self.driver is not None:
            self.driver.apply(action)
            self.driver.nudge()

    def undo_text(self) -> str | None:
        """What one undo takes back, in words; None when there is nothing to undo."""
        session = self.session
        keep = session.undo_point() if session is not None else None
        if session is None or keep is None:
            return None
        what = action_text(session.state_after(keep), session.actions[keep])
        after = len(session.actions) - keep - 1
        if after:
            what += f", and the AI's {after} decision{'s' if after > 1 else ''} after it"
        return what

    async def undo(self) -> None:
        """Take back the last human or facilitator action (and the AI's after it); restart the loop."""
        session = self.session
        what = self.undo_text()
        if session is None or what is None:
            return
        last_human = None
        if self.driver is not None:
            self.driver.stop()
            last_human = self.driver.last_human
        session.undo()
        while len(self.screen_stack) > 2:  # the default screen, then the game (or ending) screen
            await self.pop_screen()
        await self.play(session, last_human)
        self.notify(f"Undone: {what}.", title="Undo")
