"""Who plays each nation, on the start screen: ↑↓ choose a nation, ←→ or space change its player."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from wargame.model import HUMAN, Controller, Deck, Human, Scripted, persona_in

__all__ = ["ControllerList", "controller_options", "describe_controller"]


def controller_options(deck: Deck, nation: str) -> list[Controller]:
    """`human`, then the AI on the nation's own persona, then on the others."""
    own = deck.nation(nation).persona
    return [HUMAN, Scripted(own), *(Scripted(p) for p in deck.personas if p != own)]


def describe_controller(deck: Deck, controller: Controller) -> str:
    """`human` or `AI: Hawk`."""
    persona = persona_in(controller)
    return "human" if persona is None else f"AI: {deck.personas[persona].name}"


class ControllerList(Widget, can_focus=True):
    """One line per nation with its controller; Enter is left to the screen (start the game)."""

    DEFAULT_CSS = """
    ControllerList { height: auto; padding: 0 1; }
    ControllerList:focus { background-tint: $foreground 5%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("right,space", "cycle(1)", "Change player", key_display="←→"),
        Binding("left", "cycle(-1)", "Change player", show=False),
        Binding("h", "human", "Human/AI"),
    ]
    cursor: reactive[int] = reactive(0)

    class Changed(Message):
        """A nation's controller changed."""

    def __init__(
        self, deck: Deck | None, controllers: Mapping[str, Controller], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.deck = deck
        self.controllers = dict(controllers)

    def set_deck(self, deck: Deck | None, controllers: Mapping[str, Controller]) -> None:
        self.deck, self.controllers = deck, dict(controllers)
        self.cursor = 0
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        text = Text()
        if self.deck is None:
            return Text("No deck: choose one that loads.", style="italic")
        width = max(len(nation.name) for nation in self.deck.nations)
        for index, nation in enumerate(self.deck.nations):
            here = index == self.cursor and self.has_focus
            line = Text(f"{'▶' if index == self.cursor else ' '} {nation.id:<4}{nation.name:<{width}}  ")
            line.append(
                describe_controller(self.deck, self.controllers[nation.id]),
                style="bold" if isinstance(self.controllers[nation.id], Human) else "",
            )
            if here:
                line.stylize("reverse")
            text.append_text(line)
            if index < len(self.deck.nations) - 1:
                text.append("\n")
        return text

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def watch_cursor(self) -> None:
        self.refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.deck is not None or action not in ("move", "cycle", "human")

    def action_move(self, step: int) -> None:
        assert self.deck is not None
        self.cursor = (self.cursor + step) % len(self.deck.nations)

    def action_cycle(self, step: int) -> None:
        assert self.deck is not None
        nation = self.deck.nations[self.cursor].id
        options = controller_options(self.deck, nation)
        current = self.controllers[nation]
        index = options.index(current) if current in options else 0
        self.controllers[nation] = options[(index + step) % len(options)]
        self.refresh()
        self.post_message(self.Changed())

    def action_human(self) -> None:
        """Toggle between human and the nation's own AI persona."""
        assert self.deck is not None
        nation = self.deck.nations[self.cursor].id
        human = isinstance(self.controllers[nation], Human)
        self.controllers[nation] = Scripted(self.deck.nation(nation).persona) if human else HUMAN
        self.refresh()
        self.post_message(self.Changed())
