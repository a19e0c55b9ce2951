"""The facilitator's desk: the panel (key f), its tools, their palette commands, and undo.

Each tool's screen returns an action that the game driver applies like a decision (logged, autosaved,
posted). Undo replays the session without its last human or facilitator action and the AI's after it
(`session.undo`), then the app plays the session on afresh: the old driver is stopped first, so it can
apply nothing more.

With an adversary, the facilitator may play its card for it, and veto a card of its hand while it
chooses; or veto the card it has just played (its AI plays after a short pause only): that play is
taken back, as an undo would, and the card vetoed there, so the adversary chooses again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, Protocol

from textual.app import SystemCommand
from textual.screen import ModalScreen, Screen

from wargame.model import Action, PlayCard, PlayDecision, VetoCard
from wargame.session import Session
from wargame.session.facilitator import action_text
from wargame.tui.driver import GameDriver
from wargame.tui.screens.facilitator import (
    BranchScreen,
    ConfirmUndoScreen,
    FacilitatorScreen,
    Tool,
    tool_screen,
    tools_for,
)
from wargame.tui.screens.modals import HandOverScreen

__all__ = ["MODE_OFF", "FacilitatorDesk"]

MODE_OFF = (
    "Facilitator mode is off. Start the game with `wargame play --facilitator` (or `wargame resume"
    " --facilitator`), or switch it on on the start screen."
)

#: The facilitator's palette commands: (title, help, tool; None for the panel itself).
COMMANDS: list[tuple[str, str, Tool | None]] = [
    ("Facilitator: the panel", "All the facilitator's tools (key f)", None),
    ("Facilitator: put a card on top of the draw pile", "The next card drawn", "card"),
    ("Facilitator: play the adversary's card for it", "A card of its hand, and where it lands", "play"),
    ("Facilitator: veto a card of the adversary's hand", "While it chooses, or the card just played", "veto"),
    ("Facilitator: force the next roll", "Succeed or fail, whatever the dice say", "roll"),
    ("Facilitator: adjust a track", "By a delta, with a reason", "track"),
    ("Facilitator: adjust a nation's stat", "By a delta, with a reason", "stat"),
    ("Facilitator: add a note", "Into the log, the save and the report", "note"),
    ("Facilitator: undo the last decision", "Back to before the last human or facilitator action", "undo"),
    ("Facilitator: branch the game", "Go on from an earlier decision in a new save", "branch"),
]


class DeskApp(Protocol):
    """What the desk needs of the app it sits in (the app is `WargameApp`, which imports the desk)."""

    session: Session | None
    driver: GameDriver | None
    facilitator: bool

    @property
    def screen(self) -> Screen[object]: ...
    def open_modal(self, screen: Screen[Any], then: Callable[[Any], object] | None = None) -> None: ...
    def notify(
        self, message: str, *, title: str = ..., severity: Any = ..., timeout: float | None = ...
    ) -> None: ...
    def call_later(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool: ...
    async def play(self, session: Session, last_human: str | None = None) -> None: ...


class FacilitatorDesk:
    """The facilitator's tools on an app in facilitator mode."""

    def __init__(self, app: DeskApp) -> None:
        self.app = app

    def commands(self) -> Iterator[SystemCommand]:
        """The panel and each tool, for the command palette (once the game is over: the panel and undo)."""
        session = self.app.session
        if session is None or not self.app.facilitator:
            return
        tools = tools_for(session.deck)
        for title, help_text, tool in COMMANDS:
            if (session.over and tool not in (None, "undo", "branch")) or (
                tool is not None and tool not in tools
            ):
                continue
            yield SystemCommand(title, help_text, partial(self.open, tool))

    def _busy(self) -> bool:
        """Whether a menu or dialog is open (the hand-over screen does not count)."""
        screen = self.app.screen
        return isinstance(screen, ModalScreen) and not isinstance(screen, HandOverScreen)

    def open(self, tool: Tool | None = None) -> None:
        """The facilitator's panel; or, given a tool, that tool at once."""
        session = self.app.session
        if session is None or not self.app.facilitator or self._busy():
            return
        if tool is not None:
            self.open_tool(tool)
        else:
            saved = session.save_path is not None
            screen = FacilitatorScreen(
                session.state, self.undo_text(), self.just_played(), saved=saved, remote=session.remote
            )
            self.app.open_modal(screen, then=self.open_tool)

    def open_tool(self, tool: Tool | None) -> None:
        app, session = self.app, self.app.session
        if tool is None or session is None:
            return
        if tool == "undo":
            what = self.undo_text()
            if what is None:
                app.notify("There is nothing to undo: no person or facilitator has acted yet.")
                return
            app.open_modal(ConfirmUndoScreen(what), then=self._confirmed)
        elif tool == "branch":
            if session.save_path is None or not session.actions:
                app.notify("A branch starts from a saved game with a decision made.", severity="warning")
                return
            turns = [
                (turn, before.round, action_text(before, action))
                for turn, (before, action) in enumerate(
                    zip(session.states_before(), session.actions, strict=True)
                )
            ]
            app.open_modal(BranchScreen(turns), then=self._branch_at)
        elif session.over:
            app.notify("The game is over: only undo can change it now.", severity="warning")
        elif tool not in tools_for(session.deck):
            app.notify("This deck has no adversary.", severity="warning")
        else:
            app.open_modal(tool_screen(tool, session.state, self.just_played()), then=self.steer)

    def _branch_at(self, turn: int | None) -> None:
        if turn is not None:
            if self.app.driver is not None:
                self.app.driver.stop()  # at once: the game being left makes no more moves
            self.app.call_later(self.branch, turn)

    async def branch(self, turn: int) -> None:
        """Go on from turn `turn` in a new save beside this game's (this game's save is left whole)."""
        app, session = self.app, self.app.session
        path = None if session is None else session.branch_path(turn)
        if session is None or path is None:
            return
        last_human = app.driver.last_human if app.driver is not None else None
        try:
            branch = session.branch(turn, path)
        except ValueError as error:  # a SaveError too: the original could not be read, or the new written
            await app.play(session, last_human)  # the game goes on where it was
            app.notify(str(error), title="No branch", severity="error")
            return
        original = session.save_path.name if session.save_path is not None else "the game"
        await app.play(branch, last_human)
        app.notify(f"Branched at turn {turn} into {path.name}; {original} is unchanged.", title="Branch")

    def just_played(self) -> str | None:
        """The card the adversary has just played, before anyone answered it (the last action is the
        play): the facilitator may still veto it."""
        session = self.app.session
        last = session.actions[-1] if session is not None and session.actions else None
        return last.card if isinstance(last, PlayCard) and session is not None and not session.over else None

    def _confirmed(self, undo: bool) -> None:
        if undo:
            if self.app.driver is not None:
                self.app.driver.stop()  # at once: no AI move may slip in before the undo
            self.app.call_later(self.undo)

    def steer(self, action: Action | None) -> None:
        """Apply a facilitator's action like any other decision, then let the loop look again."""
        driver, session = self.app.driver, self.app.session
        if action is None or driver is None or session is None:
            return
        if isinstance(action, VetoCard) and not isinstance(session.state.pending, PlayDecision):
            driver.stop()  # at once: no AI move may slip in before the play is taken back
            self.app.call_later(self.veto_last_play, action)
            return
        driver.apply(action, "facilitator")  # a play made for the adversary is the facilitator's too
        driver.nudge()

    async def veto_last_play(self, veto: VetoCard) -> None:
        """Take back the adversary's play that has just been made, veto its card there, and play on."""
        app, session = self.app, self.app.session
        if session is None or self.just_played() != veto.card:
            return
        last_human = None
        if app.driver is not None:
            app.driver.stop()
            last_human = app.driver.last_human
        session.replay(session.actions[:-1])  # back to the adversary's choice, the card in its hand
        session.decide(veto)
        await app.play(session, last_human)

    def undo_text(self) -> str | None:
        """What one undo takes back, in words; None when there is nothing to undo."""
        session = self.app.session
        keep = session.undo_point() if session is not None else None
        if session is None or keep is None:
            return None
        what = action_text(session.state_after(keep), session.actions[keep])
        after = len(session.actions) - keep - 1
        if after:
            what += f", and the AI's {after} decision{'s' if after > 1 else ''} after it"
        return what

    async def undo(self) -> None:
        """Take back the last human or facilitator action (and the AI's after it); play on from there."""
        app, session = self.app, self.app.session
        what = self.undo_text()
        if session is None or what is None:
            return
        last_human = None
        if app.driver is not None:
            app.driver.stop()
            last_human = app.driver.last_human
        session.undo()
        await app.play(session, last_human)
        app.notify(f"Undone: {what}.", title="Undo")
