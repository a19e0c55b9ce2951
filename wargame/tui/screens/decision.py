"""What the game and consultation screens share: the position they show (a reactive `state` their
panels are bound to), and a decision area with its options, its detail line and the decision timer's
clock (widgets `#decision`, a `ChoiceList`, `#detail`, `#clock`)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static

from wargame.model import GameState
from wargame.model.events import Event
from wargame.session.choices import Choice, decision_title
from wargame.tui.widgets.choices import ChoiceList

__all__ = ["DecisionScreen", "detail_text"]

#: Below this width the footer drops its spacing, so every key fits (facilitator and timer included).
COMPACT_BELOW = 100


def detail_text(choice: Choice | None) -> Text:
    """What the highlighted option means, or why it is barred."""
    text = Text()
    if choice is None:
        return text
    if choice.reason is not None:
        text.append(f"{choice.title} is not available: {choice.reason}", style="bold")
    elif choice.text:
        text.append(choice.text, style="italic")
    return text


class DecisionScreen(Screen[None]):
    """A screen where a nation decides. The app sets `state` as the game moves and passes on the
    driver's messages: `add_events`, `ask`, `wait` and `show_clock`."""

    state: reactive[GameState | None] = reactive(None, repaint=False)
    """The position shown; the screen's panels are bound to it (`data_bind`)."""

    def __init__(self, state: GameState) -> None:
        super().__init__()
        self.set_reactive(DecisionScreen.state, state)

    def _title(self) -> str:
        return "" if self.state is None else decision_title(self.state)

    def add_events(self, events: Sequence[Event]) -> None:
        """What happened to reach the position now shown."""

    def ask(self, choices: list[Choice]) -> None:
        """Offer a human the pending decision's options."""
        self.query_one("#decision", Static).update(Text(self._title() + ":", style="bold"))
        choice_list = self.query_one(ChoiceList)
        choice_list.offer(choices)
        choice_list.focus()

    def wait(self, message: str) -> None:
        """Show that the AI (or the hand-over) has the turn."""
        self.query_one("#decision", Static).update(Text(self._title()))
        self.query_one(ChoiceList).wait(message)

    def show_clock(self, text: str | None, expired: bool = False) -> None:
        """The decision timer's countdown (None: no decision is timed)."""
        clock = self.query_one("#clock", Static)
        clock.display = text is not None
        clock.set_class(expired, "-expired")
        if text is not None:
            clock.update(Text(text))

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(Footer).compact = event.size.width < COMPACT_BELOW

    def on_choice_list_picked(self, message: ChoiceList.Picked) -> None:
        self.query_one("#detail", Static).update(detail_text(message.choice))
