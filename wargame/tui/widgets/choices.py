"""The options of a decision: number keys pick, Enter confirms, `p` passes where passing is allowed."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from wargame.model import Action, Pass
from wargame.session.choices import Choice

__all__ = ["ChoiceList", "choice_prompt"]


def choice_prompt(number: int, choice: Choice, highlighted: bool = False) -> Table:
    """An option as shown: number and title, then what it costs and needs, does, and why it is barred
    (wrapped lines indented under the title)."""
    text = Text()
    text.append(choice.title, style="bold" if choice.enabled else "strike")
    if choice.facts:
        text.append("  · " + " · ".join(choice.facts), style="italic")
    if choice.effects:
        text.append("\n→ " + choice.effects)
    if choice.reason is not None:
        text.append("\n✗ unavailable: " + choice.reason)
    grid = Table.grid(expand=True)
    grid.add_column(width=3, no_wrap=True)
    grid.add_column(ratio=1)
    marker = "▶" if highlighted else " "
    grid.add_row(Text(f"{marker}{number if number <= 9 else ' '}", style="bold"), text)
    return grid


class ChoiceList(OptionList):
    """Numbered options; posts `ChoiceList.Chosen` with the action when one is confirmed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "pick(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)),
        Binding("enter", "select", "Confirm", key_display="⏎"),
        Binding("p", "pass_turn", "Pass"),
    ]

    class Chosen(Message):
        """A player confirmed an option."""

        def __init__(self, action: Action) -> None:
            super().__init__()
            self.action = action

    class Picked(Message):
        """The highlighted option changed (to show its details)."""

        def __init__(self, choice: Choice | None) -> None:
            super().__init__()
            self.choice = choice

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.choices: list[Choice] = []
        self.offered: list[Choice] = []
        """The options offered last, kept once one is confirmed (when `choices` are spent)."""
        self._marked: int | None = None

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        # The highlight is also a ▶ beside the option, so it does not rest on colour alone.
        if not self.choices:
            return
        for index in (self._marked, highlighted):
            if index is not None and index < len(self.choices):
                prompt = choice_prompt(index + 1, self.choices[index], index == highlighted)
                self.replace_option_prompt_at_index(index, prompt)
        self._marked = highlighted

    def offer(self, choices: list[Choice]) -> None:
        """Show these options, the first enabled one highlighted."""
        self.choices = list(choices)
        self.offered = list(choices)
        self._marked = None
        self.set_options(
            Option(choice_prompt(number, choice), disabled=not choice.enabled)
            for number, choice in enumerate(self.choices, start=1)
        )
        self.highlighted = next((i for i, choice in enumerate(self.choices) if choice.enabled), None)
        self.disabled = False
        self.refresh_bindings()
        self.post_message(self.Picked(self.current))

    def wait(self, message: str) -> None:
        """Show that someone else is deciding: no options, nothing to press."""
        self.choices, self.offered = [], []
        self.set_options([Option(Text(message, style="italic"), disabled=True)])
        self.highlighted = None
        self.refresh_bindings()
        self.post_message(self.Picked(None))

    @property
    def current(self) -> Choice | None:
        """The highlighted choice, if any."""
        index = self.highlighted
        return self.choices[index] if index is not None and index < len(self.choices) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pick", "select"):
            return bool(self.choices)
        if action == "pass_turn":
            return any(isinstance(choice.action, Pass) for choice in self.choices)
        return True

    def action_pick(self, number: int) -> None:
        """Highlight option `number` (from 1), enabled or not: a barred one shows why."""
        if number <= len(self.choices):
            self.highlighted = number - 1
            self.post_message(self.Picked(self.current))

    def action_select(self) -> None:
        choice = self.current
        if choice is None:
            return
        if choice.reason is not None:
            self.notify(f"{choice.title}: {choice.reason}", title="Not available", severity="warning")
            return
        self._confirm(choice)

    def action_pass_turn(self) -> None:
        for choice in self.choices:
            if isinstance(choice.action, Pass) and choice.enabled:
                self._confirm(choice)
                return

    def _confirm(self, choice: Choice) -> None:
        # Once confirmed, the options are spent: a second Enter must not decide twice.
        self.choices = []
        self.refresh_bindings()
        self.post_message(self.Chosen(choice.action))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.Picked(self.current))
