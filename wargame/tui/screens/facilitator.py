"""The facilitator's panel (facilitator mode, key f): a menu of tools, each a small modal screen.

The menu returns the tool chosen; each tool's screen returns the facilitator's action (`Action | None`),
which the app applies like any other decision; undo is confirmed first (`ConfirmUndoScreen`).
"""

from __future__ import annotations

from typing import ClassVar, Literal, get_args

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from wargame.engine.legality import refusal
from wargame.model import Action, AddNote, ForceRoll, GameState, InjectCard
from wargame.session.describe import nation_name
from wargame.tui.screens.adjust import AdjustScreen

__all__ = ["TOOLS", "ConfirmUndoScreen", "FacilitatorScreen", "Tool", "tool_screen"]

Tool = Literal["card", "roll", "track", "stat", "note", "undo"]
TOOLS: tuple[Tool, ...] = get_args(Tool)

#: Each tool's key in the menu and what it does.
_MENU: dict[Tool, tuple[str, str]] = {
    "card": ("c", "Put a card on top of the draw pile"),
    "roll": ("r", "Force the next roll to succeed or fail"),
    "track": ("t", "Adjust a track, with a reason"),
    "stat": ("s", "Adjust a nation's stat, with a reason"),
    "note": ("n", "Add a note to the record"),
    "undo": ("u", "Undo the last decision"),
}


class FacilitatorScreen(ModalScreen[Tool | None]):
    """The facilitator's menu: a letter or Enter opens a tool."""

    CSS_PATH = "facilitator.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Close", key_display="esc"),
        *(Binding(key, f"tool('{tool}')", show=False) for tool, (key, _) in _MENU.items()),
    ]

    def __init__(self, state: GameState, undo: str | None) -> None:
        """`undo` says what an undo would take back; None when there is nothing to undo."""
        super().__init__()
        self.state = state
        self.undo = undo

    def _why_not(self, tool: Tool) -> str | None:
        if tool == "undo":
            return None if self.undo is not None else "nothing to undo yet"
        return "the game is over" if self.state.pending is None else None

    def compose(self) -> ComposeResult:
        options = []
        for tool, (key, what) in _MENU.items():
            text = Text(f"{key}  ", style="bold")
            text.append(what)
            extra = self._extra(tool)
            if extra:
                text.append(f"\n   {extra}", style="italic")
            options.append(Option(text, id=tool, disabled=self._why_not(tool) is not None))
        with Vertical(classes="dialog"):
            yield Static("Facilitator", classes="dialog-title")
            if self.state.pending is None:
                yield Static("The game is over: only undo can change it now.", classes="hint")
            yield OptionList(*options, id="tools", compact=True)
            yield Static("A letter or Enter opens a tool; Esc closes.", classes="hint")
        yield Footer()

    def _extra(self, tool: Tool) -> str:
        if tool == "undo":
            return f"takes back: {self.undo}" if self.undo is not None else "nothing to undo yet"
        if tool == "roll" and self.state.forced_roll is not None:
            return f"now: the next roll is forced to {'succeed' if self.state.forced_roll else 'fail'}"
        return ""

    def on_mount(self) -> None:
        tools = self.query_one(OptionList)
        tools.highlighted = next((i for i, tool in enumerate(TOOLS) if not self._why_not(tool)), None)
        tools.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_tool(str(event.option.id))

    def action_tool(self, tool: str) -> None:
        chosen = next(t for t in TOOLS if t == tool)
        why = self._why_not(chosen)
        if why is not None:
            self.notify(f"{_MENU[chosen][1]}: {why}.", severity="warning")
            return
        self.dismiss(chosen)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


def tool_screen(tool: Tool, state: GameState) -> ModalScreen[Action | None]:
    """The screen of a tool that makes an action (every tool but undo)."""
    if tool == "card":
        return CardScreen(state)
    if tool == "roll":
        return RollScreen(state)
    if tool == "note":
        return NoteScreen()
    if tool in ("track", "stat"):
        return AdjustScreen(state, tool)
    raise ValueError(f"{tool} makes no action")


class _Pick(ModalScreen[Action | None]):
    """A list of actions to pick from with the arrows and Enter; barred ones show why."""

    CSS_PATH = "facilitator.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel", key_display="esc")]
    TITLE_TEXT = ""
    HINT = "↑↓ choose, Enter confirms, Esc cancels."

    def __init__(self, state: GameState) -> None:
        super().__init__()
        self.state = state
        self.actions: list[Action] = []

    def items(self) -> list[tuple[Action, Text]]:
        raise NotImplementedError

    def why_not(self, action: Action) -> str | None:
        """Why the game refuses this action now, in the facilitator's words."""
        return None if (why := refusal(self.state, action)) is None else str(why)

    def compose(self) -> ComposeResult:
        options = []
        for action, text in self.items():
            reason = self.why_not(action)
            if reason is not None:
                text.append(f"  ✗ {reason}", style="italic")
            self.actions.append(action)
            options.append(Option(text, disabled=reason is not None))
        with Vertical(classes="dialog"):
            yield Static(self.TITLE_TEXT, classes="dialog-title")
            yield OptionList(*options, id="picks", compact=True)
            yield Static(self.HINT, classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        picks = self.query_one(OptionList)
        picks.highlighted = next(
            (i for i, action in enumerate(self.actions) if self.why_not(action) is None), None
        )
        picks.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.actions[event.option_index])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class CardScreen(_Pick):
    """Which card goes on top of the draw pile (the next card drawn)."""

    TITLE_TEXT = "Put a card on top of the draw pile"
    HINT = "The card chosen is the next one drawn. ↑↓ choose, Enter confirms, Esc cancels."

    def items(self) -> list[tuple[Action, Text]]:
        deck = self.state.deck
        found: list[tuple[Action, Text]] = []
        for card in deck.cards:
            text = Text(card.title, style="bold")
            target = card.target
            where = {"frontline": "a frontline nation", "any": "any nation", "alliance": "the alliance"}.get(
                target
            ) or nation_name(deck, target)
            text.append(f"  · on {where}")
            found.append((InjectCard(card.id), text))
        return found

    def why_not(self, action: Action) -> str | None:
        return "in play now" if refusal(self.state, action) is not None else None


class RollScreen(_Pick):
    """Whether the next roll succeeds or fails."""

    TITLE_TEXT = "Force the next roll"
    HINT = "The next response that rolls gets this result (the dice are still shown). Esc cancels."

    def items(self) -> list[tuple[Action, Text]]:
        return [
            (ForceRoll(True), Text("Succeed: the next roll succeeds")),
            (ForceRoll(False), Text("Fail: the next roll fails")),
        ]


class NoteScreen(ModalScreen[Action | None]):
    """A note for the record (the log, the save and the after-action report)."""

    CSS_PATH = "facilitator.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel", key_display="esc")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Add a note to the record", classes="dialog-title")
            yield Static("It goes into the log, the save and the after-action report.")
            yield Input(placeholder="the note; Enter adds it", id="note")
            yield Static(id="error", classes="error")
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.query_one("#error", Static).update("Type the note first (or Esc to cancel).")
            return
        self.dismiss(AddNote(text))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class ConfirmUndoScreen(ModalScreen[bool]):
    """Undo? Names what goes: the last action of a person or the facilitator, and the AI's after it."""

    CSS_PATH = "facilitator.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Undo", key_display="y"),
        Binding("n,escape", "answer(False)", "Keep it", key_display="n"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Undo the last decision?", classes="dialog-title")
            yield Static(f"Takes back: {self.what}.\nThe game goes back to just before it.")
            yield Static("y or Enter undoes, n or Esc keeps it.", classes="hint")
        yield Footer()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
