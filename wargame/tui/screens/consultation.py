"""Article 4: each nation's position as it is taken, then the result and its effects.

Bound to the screen's `state` and `positions`, the table of positions redraws itself as the app passes
on the driver's messages; `resolved` shows the result and lets the room go on (Enter).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Footer, Static

from wargame.engine import recent_consultations
from wargame.model import GameState, Position, PositionDecision
from wargame.model.events import ConsultationResolved, Event, PositionTaken
from wargame.session.describe import consultation_lines, effect_text, nation_name
from wargame.tui.screens.decision import DecisionScreen
from wargame.tui.widgets.board import controller_label
from wargame.tui.widgets.choices import ChoiceList
from wargame.tui.widgets.panel import StatePanel

__all__ = ["ConsultationScreen", "PositionsPanel", "result_text"]


class PositionsPanel(StatePanel):
    """Every nation but the invoker: who plays it and its position (▶ marks who decides now)."""

    DEFAULT_CSS = "PositionsPanel { height: auto; }"

    positions: reactive[Mapping[str, Position]] = reactive(dict, layout=True)

    def __init__(self, invoker: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.invoker = invoker

    def draw(self, state: GameState) -> RenderableType:
        pending = state.pending
        deciding = pending.seat if isinstance(pending, PositionDecision) else None
        table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False, pad_edge=False)
        for head in ("", "Nation", "Player", "Position"):
            table.add_column(head, no_wrap=True)
        for nation in state.deck.nations:
            if nation.id == self.invoker:
                continue
            position = self.positions.get(nation.id)
            shown = position.upper() if position else ("deciding…" if nation.id == deciding else "·")
            table.add_row(
                "▶" if nation.id == deciding else "",
                nation.name,
                controller_label(state, nation.id),
                shown,
                style="bold" if nation.id == deciding else None,
            )
        return table


def result_text(resolved: ConsultationResolved, outcome: Sequence[str]) -> Text:
    """A consultation's result, then what it did (`outcome`: `describe.consultation_lines`)."""
    text = Text()
    text.append(f"Result: {resolved.result.upper()}", style="bold reverse")
    text.append(f"  {resolved.support} support, {resolved.restrain} restrain, {resolved.abstain} abstain")
    for line in outcome:
        text.append(f"\n  {line}")
    return text


class ConsultationScreen(DecisionScreen):
    """Opened when a nation invokes a consultation (`state` is the position then); dismissed with
    Enter once it is resolved."""

    CSS_PATH = "consultation.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "close", "Continue", key_display="⏎")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 - textual's own type

    positions: reactive[Mapping[str, Position]] = reactive(dict)
    """The positions taken so far, by nation."""
    resolved: reactive[ConsultationResolved | None] = reactive(None, bindings=True)
    """The result, once the consultation is resolved."""

    def __init__(self, state: GameState) -> None:
        super().__init__(state)
        decision = state.pending
        assert isinstance(decision, PositionDecision)
        self.deck = state.deck
        self.invoker = decision.invoker
        self.card = decision.card
        self.set_reactive(ConsultationScreen.positions, dict(decision.positions))
        # Fatigue as it stands when the consultation opens (the consultation itself not yet counted).
        rules = self.deck.consultation
        self.outcome: list[str] = []
        """What the result moved, as log lines, once it is resolved."""
        self.fatigue = recent_consultations(state.consultations, state.round, rules.fatigue_window)

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            with VerticalScroll(id="about"):
                yield Static(id="title")
                yield Static(id="rules")
                yield Static(id="result")
            yield PositionsPanel(self.invoker, id="positions").data_bind(
                ConsultationScreen.state, ConsultationScreen.positions
            )
        with Vertical(id="ask"):
            yield Static(id="decision")
            yield Static(id="clock")
            yield ChoiceList(id="choices")
            yield Static(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        deck = self.deck
        label = deck.consultation.label
        title = Text(f"{label}: {nation_name(deck, self.invoker)} calls the allies to consult", style="bold")
        title.append(f"\nOver: {deck.card(self.card).title}", style="italic")
        self.query_one("#title", Static).update(title)
        self.query_one("#rules", Static).update(self._rules())

    def _rules(self) -> Text:
        deck = self.deck
        rules = deck.consultation
        invoker = nation_name(deck, self.invoker)
        text = Text()
        text.append(f"Among those not abstaining, {rules.threshold}% or more support: ")
        text.append("UNIFIED", style="bold")
        text.append(
            f" ({effect_text(deck, rules.unified, invoker) or 'no effect'}). {rules.threshold}% restrain: "
        )
        text.append("RESTRAINED", style="bold")
        text.append(f" ({effect_text(deck, rules.restrained, invoker) or 'no effect'}). Otherwise ")
        text.append("SPLIT", style="bold")
        text.append(f" ({effect_text(deck, rules.split, invoker) or 'no effect'}).")
        if self.fatigue:
            fatigue = effect_text(deck, rules.fatigue, invoker) or "no effect"
            window = rules.fatigue_window
            text.append(
                f"\nFatigue: {self.fatigue} consultation(s) in the last {window} rounds, each: {fatigue}.",
                style="bold",
            )
        return text

    def add_events(self, events: Sequence[Event]) -> None:
        """Record positions as they are taken, and the result when it comes."""
        for event in events:
            if isinstance(event, PositionTaken):
                self.positions = {**self.positions, event.nation: event.position}
            elif isinstance(event, ConsultationResolved) and self.resolved is None:
                # What the result moved travels with it, among the same action's events.
                self.outcome = consultation_lines(self.deck, events)
                self.resolved = event

    def watch_resolved(self, resolved: ConsultationResolved | None) -> None:
        if resolved is None:
            return
        self.query_one("#result", Static).update(result_text(resolved, self.outcome))
        self.query_one("#about", VerticalScroll).scroll_end(animate=False)
        self.query_one("#decision", Static).update(Text("Press Enter to continue.", style="bold"))
        self.query_one(ChoiceList).wait(f"{self.deck.consultation.label} is over.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return self.resolved is not None
        return super().check_action(action, parameters)

    def action_close(self) -> None:
        self.dismiss(None)
