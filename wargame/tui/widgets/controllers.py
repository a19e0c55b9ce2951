"""Who plays each seat, on the start screen: ↑↓ choose a nation (or the adversary, last), ←→ or space
change its player: a person, or the AI on one of the personas (the adversary's are its red personas),
scripted ("AI: Hawk") or planning ahead ("Plans: Hawk", `ai:<persona>:planner`); p turns a seat's
planning on or off."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:  # the model is imported once a deck is shown, after the start screen's first frame
    from wargame.model import Controller, Deck

__all__ = ["ControllerList", "controller_options", "describe_controller", "seat_rows"]


def seat_rows(deck: Deck) -> list[tuple[str, str]]:
    """The seats the start screen lists, as (id, name): the nations, then the adversary."""
    rows = [(nation.id, nation.name) for nation in deck.nations]
    if deck.adversary is not None:
        rows.append((deck.adversary.id, deck.adversary.name))
    return rows


def _personas(deck: Deck, seat: str) -> tuple[str, list[str]]:
    """A seat's own persona and every persona it may be played with."""
    red = deck.adversary
    if red is not None and red.id == seat:
        return red.persona, list(red.personas)
    return deck.nation(seat).persona, list(deck.personas)


def controller_options(deck: Deck, nation: str) -> list[Controller]:
    """`human`, then the scripted AI on the seat's own persona, then on the others (the adversary: its
    red personas), then the planner on each of them in the same order (p, `action_plans`, goes
    straight from one to the other)."""
    from wargame.model import HUMAN, Planner, Scripted

    own, personas = _personas(deck, nation)
    ordered = [own, *(p for p in personas if p != own)]
    return [HUMAN, *(Scripted(p) for p in ordered), *(Planner(p) for p in ordered)]


def describe_controller(deck: Deck, controller: Controller, seat: str | None = None) -> str:
    """`human`, `AI: Hawk` or, for a planner, `Plans: Hawk` (short: the list fits 80 columns; for
    the adversary's `seat`: `AI: Prober`, one of its red personas)."""
    from wargame.model import Planner, persona_in

    persona = persona_in(controller)
    if persona is None:
        return "human"
    who = "Plans:" if isinstance(controller, Planner) else "AI:"
    red = deck.adversary
    if red is not None and red.id == seat and persona in red.personas:
        return f"{who} {red.personas[persona].name}"
    return f"{who} {deck.personas[persona].name}"


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
        Binding("p", "plans", "Plans"),
    ]
    cursor: reactive[int] = reactive(0)

    class Changed(Message):
        """A nation's controller changed."""

    def __init__(
        self, deck: Deck | None, controllers: Mapping[str, Controller], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.deck = deck
        self.controllers = self._every_seat(deck, controllers)

    def set_deck(self, deck: Deck | None, controllers: Mapping[str, Controller]) -> None:
        self.deck, self.controllers = deck, self._every_seat(deck, controllers)
        self.cursor = 0
        self.refresh(layout=True)

    @staticmethod
    def _every_seat(deck: Deck | None, controllers: Mapping[str, Controller]) -> dict[str, Controller]:
        """The controllers given, and the AI on its own persona for every other seat (the adversary)."""
        chosen = dict(controllers)
        if deck is not None:
            for seat, _ in seat_rows(deck):
                chosen.setdefault(seat, controller_options(deck, seat)[1])
        return chosen

    def _seats(self) -> list[tuple[str, str]]:
        return [] if self.deck is None else seat_rows(self.deck)

    def _controller(self, seat: str) -> Controller:
        return self.controllers[seat]

    #: What the list says while it has no deck (the start screen sets it while the deck loads).
    empty = "No deck: choose one that loads."

    def render(self) -> RenderableType:
        if self.deck is None:
            return Text(self.empty, style="italic")
        from wargame.model import Human

        text = Text()
        rows = self._seats()
        ids = max(4, *(len(seat) + 1 for seat, _ in rows))
        width = max(len(name) for _, name in rows)
        for index, (seat, name) in enumerate(rows):
            here = index == self.cursor and self.has_focus
            line = Text(f"{'▶' if index == self.cursor else ' '} {seat:<{ids}}{name:<{width}}  ")
            controller = self._controller(seat)
            line.append(
                describe_controller(self.deck, controller, seat),
                style="bold" if isinstance(controller, Human) else "",
            )
            if here:
                line.stylize("reverse")
            text.append_text(line)
            if index < len(rows) - 1:
                text.append("\n")
        return text

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def watch_cursor(self) -> None:
        self.refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.deck is not None or action not in ("move", "cycle", "human", "plans")

    def action_move(self, step: int) -> None:
        assert self.deck is not None
        self.cursor = (self.cursor + step) % len(self._seats())

    def action_cycle(self, step: int) -> None:
        assert self.deck is not None
        nation = self._seats()[self.cursor][0]
        options = controller_options(self.deck, nation)
        current = self._controller(nation)
        index = options.index(current) if current in options else 0
        self.controllers[nation] = options[(index + step) % len(options)]
        self.refresh()
        self.post_message(self.Changed())

    def action_human(self) -> None:
        """Toggle between human and the nation's own AI persona."""
        assert self.deck is not None
        from wargame.model import HUMAN, Human

        nation = self._seats()[self.cursor][0]
        human = isinstance(self._controller(nation), Human)
        self.controllers[nation] = controller_options(self.deck, nation)[1] if human else HUMAN
        self.refresh()
        self.post_message(self.Changed())

    def action_plans(self) -> None:
        """Turn the seat's planning on or off, on the same persona (a person's seat: the planner on the
        seat's own persona)."""
        assert self.deck is not None
        from wargame.model import Planner, Scripted

        nation = self._seats()[self.cursor][0]
        current = self._controller(nation)
        if isinstance(current, Planner):
            chosen: Controller = Scripted(current.persona)
        elif isinstance(current, Scripted):
            chosen = Planner(current.persona)
        else:
            chosen = Planner(_personas(self.deck, nation)[0])
        self.controllers[nation] = chosen
        self.refresh()
        self.post_message(self.Changed())
