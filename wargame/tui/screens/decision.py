"""What the game and consultation screens share: the position they show (a reactive `state` their
panels are bound to), and a decision area with its options, its detail line and the decision timer's
clock (widgets `#decision`, a `ChoiceList`, `#detail`, `#clock`).

The adversary's team decides in two steps: a card of its hand, then where it lands (Esc goes back to
the hand); a card that may land in one place only is played as soon as it is confirmed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static

from wargame.engine.adversary import targets
from wargame.model import GameState, PlayCard
from wargame.model.events import Event
from wargame.session.choices import Choice
from wargame.session.describe import quoted
from wargame.tui.driver import decision_text
from wargame.tui.hand import target_choices
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

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back_to_hand", "Back to the hand", key_display="esc"),
    ]

    state: reactive[GameState | None] = reactive(None, repaint=False)
    """The position shown; the screen's panels are bound to it (`data_bind`)."""

    def __init__(self, state: GameState) -> None:
        super().__init__()
        self.set_reactive(DecisionScreen.state, state)
        self._hand: list[Choice] = []
        """The adversary's cards while its team chooses where one lands (Esc offers them again)."""

    def _title(self) -> str:
        return "" if self.state is None else decision_text(self.state)

    def add_events(self, events: Sequence[Event]) -> None:
        """What happened to reach the position now shown."""

    def ask(self, choices: list[Choice]) -> None:
        """Offer a human the pending decision's options."""
        self._hand = []
        self._offer(choices, self._title() + ":")

    def _offer(self, choices: list[Choice], title: str) -> None:
        self.query_one("#decision", Static).update(Text(title, style="bold"))
        choice_list = self.query_one(ChoiceList)
        choice_list.offer(choices)
        choice_list.focus()
        self.refresh_bindings()

    def wait(self, message: str) -> None:
        """Show that the AI (or the hand-over) has the turn."""
        self._hand = []
        self.query_one("#decision", Static).update(Text(self._title()))
        self.query_one(ChoiceList).wait(message)
        self.refresh_bindings()

    def on_choice_list_chosen(self, message: ChoiceList.Chosen) -> None:
        """A card of the adversary's hand with several places to land: ask where, before the app
        hears of it."""
        action, state = message.action, self.state
        if not isinstance(action, PlayCard) or self._hand or state is None:
            return
        card = state.deck.card(action.card)
        if len(targets(state.deck, card)) < 2:
            return
        message.stop()
        self._hand = list(self.query_one(ChoiceList).offered)
        self._offer(target_choices(state, card.id), f"Where does {quoted(card.title)} land?")

    def action_back_to_hand(self) -> None:
        """From where a card lands, back to the cards of the hand."""
        if self._hand:
            hand, self._hand = self._hand, []
            self._offer(hand, self._title() + ":")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back_to_hand":
            return bool(self._hand)
        return True

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
