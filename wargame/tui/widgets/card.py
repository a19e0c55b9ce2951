"""The card in play: title, target, narrative and source; or the phase when no card is in play."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text

from wargame.model import GameState, InvestDecision, PositionDecision, RespondDecision
from wargame.session.describe import nation_name
from wargame.tui.widgets.panel import StatePanel

__all__ = ["CardPanel"]


class CardPanel(StatePanel):
    """What the room is looking at: the incursion card, or the investment phase."""

    DEFAULT_CSS = "CardPanel { height: auto; }"

    def watch_state(self, state: GameState | None) -> None:
        # The investment phase has no card: the choices take its room.
        self.display = state is None or not isinstance(state.pending, InvestDecision)

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
        if state.card is None:
            return text
        card = deck.card(state.card)
        text.append(card.title, style="bold")
        if state.target is None:
            text.append("  → council of the whole alliance: every nation votes", style="italic")
        else:
            frontline = " (frontline)" if deck.nation(state.target).frontline else ""
            text.append(f"  → {nation_name(deck, state.target)}{frontline}", style="italic")
        if card.text:
            text.append("\n" + card.text)
        if isinstance(decision, RespondDecision) and decision.votes:
            votes = ", ".join(
                f"{nation} {card.response(response).label}" for nation, response in decision.votes
            )
            text.append(f"\nVotes so far: {votes}")
        if isinstance(decision, PositionDecision):
            text.append(f"\n{nation_name(deck, decision.invoker)} has invoked {deck.consultation.label}.")
        if card.source:
            text.append(f"\nSource: {card.source}", style="dim")
        return text
