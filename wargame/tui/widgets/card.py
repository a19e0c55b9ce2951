"""The card in play: title, target, narrative, attribution and source; or the adversary's turn, or
the phase when no card is in play. A long card scrolls in its panel (`CardScroll`), so it is read to
its end on the smallest screen."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.reactive import reactive

from wargame.model import HIDDEN, GameState, InvestDecision, PlayDecision, PositionDecision, RespondDecision
from wargame.session.describe import attribution_text, card_source, incident_of, nation_name, seat_name
from wargame.tui.widgets.panel import StatePanel

__all__ = ["CardPanel", "CardScroll"]


class CardPanel(StatePanel):
    """What the room is looking at: the incursion card, or the investment phase."""

    DEFAULT_CSS = "CardPanel { height: auto; }"

    def draw(self, state: GameState) -> RenderableType:
        deck = state.deck
        decision = state.pending
        text = Text()
        if isinstance(decision, InvestDecision) or (decision is None and state.card is None):
            text.append("Investment phase" if decision is not None else "No card in play", style="bold")
            if decision is not None:
                text.append(
                    f"\nRound {state.round}: each nation in turn buys what it can afford, then passes."
                )
            return text
        if isinstance(decision, PlayDecision):
            hand = len(state.hand)
            text.append(f"{seat_name(deck, decision.seat)}'s turn", style="bold")
            text.append(f": a card from its hand ({hand}), and where it lands")
            if decision.only is not None:
                text.append("\nThe facilitator has chosen the card it plays next.", style="italic")
            return text
        if state.card is None:
            return text
        card = deck.card(state.card)
        text.append(card.title, style="bold")
        if state.target is None:
            how = "one objection deadlocks it" if deck.council.is_consensus else "every nation votes"
            text.append(f"  → council of the whole alliance: {how}", style="italic")
        else:
            frontline = " (frontline)" if deck.nation(state.target).frontline else ""
            text.append(f"  → {nation_name(deck, state.target)}{frontline}", style="italic")
        if card.text:
            text.append("\n" + card.text)
        if card.attribution:
            # The truth shows only where the state holds it: the view of a nation has none.
            words = attribution_text(card, incident_of(state.incidents, card.id), secret=True)
            text.append("\n" + words, style="bold" if words.startswith("Revealed") else "")
        if isinstance(decision, RespondDecision) and decision.votes:
            sealed = [nation for nation, response in decision.votes if response == HIDDEN]
            shown = [(nation, response) for nation, response in decision.votes if response != HIDDEN]
            if sealed:
                count = f"{len(decision.votes)} of {len(deck.nations)} have voted"
                text.append(f"\nVotes are sealed until every nation has voted: {count}")
            if shown:
                votes = ", ".join(f"{nation} {card.response(response).label}" for nation, response in shown)
                text.append(f"\n{'Your vote' if sealed else 'Votes so far'}: {votes}")
        if isinstance(decision, PositionDecision):
            text.append(f"\n{nation_name(deck, decision.invoker)} has invoked {deck.consultation.label}.")
        source = card_source(deck, card)
        if source is not None:
            text.append(f"\nSource: {source}", style="dim")
        return text


def _shown(state: GameState | None) -> tuple[object, ...]:
    """What the card panel is about: the card in play and where, or whose turn of what kind."""
    if state is None:
        return ()
    return state.round, state.card, state.target, type(state.pending)


class CardScroll(VerticalScroll):
    """The card panel, scrolled when the card is longer than the room the screen gives it: by the
    mouse wheel, or Tab to it and the arrows (it takes the focus only then, and its title says so)."""

    DEFAULT_CSS = "CardScroll { height: auto; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "scroll_down", "Read on", key_display="↓"),
        Binding("tab", "app.focus_next", "Back to the options", key_display="⇥"),
    ]
    TITLE = "Card"

    state: reactive[GameState | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield CardPanel().data_bind(CardScroll.state)

    def watch_state(self, old: GameState | None, state: GameState | None) -> None:
        # The investment phase has no card: the choices take its room.
        self.display = state is None or not isinstance(state.pending, InvestDecision)
        if _shown(old) != _shown(state):
            self.scroll_home(animate=False)  # a new card is read from its title; a vote keeps the place

    def allow_focus(self) -> bool:
        # A stop on the way to nothing more to read would only take the keys from the options.
        return self.allow_vertical_scroll

    def on_mount(self) -> None:
        self._title()

    def on_resize(self, event: events.Resize) -> None:
        self._title()

    def watch_virtual_size(self, size: Size) -> None:
        self._title()

    def _title(self) -> None:
        more = self.virtual_size.height > self.scrollable_content_region.height
        self.border_title = f"{self.TITLE} · more: Tab, then ↓" if more else self.TITLE
