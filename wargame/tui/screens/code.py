"""The seat code screen: a team types the code the facilitator gave it (also the browser seat's
first page). The host's refusal of a code is shown here, and the team tries again."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

__all__ = ["CodeScreen", "normal_code"]


def normal_code(typed: str) -> str:
    """A code as typed, tidied: spaces gone, upper case (the host ignores dashes, spaces and case)."""
    return "".join(typed.split()).upper()


class CodeScreen(Screen[None]):
    """Asks for the seat code; posts `CodeScreen.Entered` with it."""

    CSS_PATH = "code.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Quit", key_display="esc"),
        Binding("ctrl+q", "leave", "Quit", show=False, priority=True),
    ]

    class Entered(Message):
        """A team entered a code."""

        def __init__(self, code: str) -> None:
            super().__init__()
            self.code = code

    def __init__(self, where: str, problem: str | None = None, code: str = "", *, busy: bool = False) -> None:
        """`where`: the host's address, as the team may read it; `problem`: why the last code was
        not taken (the host's words), or why the host could not be reached; `busy`: `code` is being
        tried already (given on the command line)."""
        super().__init__()
        self.where = where
        self.problem = problem
        self.code = code
        self.busy = busy

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Eastern Flank: take your seat", id="dialog-title")
            yield Static(Text(f"Host: {self.where}"), id="where")
            yield Static("Type the seat code the facilitator gave your team, then Enter.", id="help")
            yield Input(self.code, placeholder="e.g. K7M-4QX", id="code", max_length=64)
            yield Static(id="problem")
        yield Footer()

    def on_mount(self) -> None:
        self.show_problem(self.problem, busy=self.busy)

    def show_problem(self, problem: str | None, *, busy: bool = False) -> None:
        """Say why the last code was not taken (None: nothing to say); `busy`: the code is being
        tried (a plain line, not an error)."""
        line = self.query_one("#problem", Static)
        line.set_class(not busy and problem is not None, "-error")
        line.update(Text(problem or ""))
        entry = self.query_one(Input)
        entry.disabled = busy
        if not busy:  # the team types the code again (or mends it): the text is selected
            entry.focus()
            entry.select_all()

    def action_leave(self) -> None:
        """No seat is held yet: leave at once (q is a letter of the code here)."""
        self.app.exit()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        code = normal_code(event.value)
        if not code:
            self.show_problem("Type the code first.")
            return
        self.show_problem("Joining…", busy=True)
        self.post_message(self.Entered(code))
