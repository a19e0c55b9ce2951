"""Article 4: each nation's position as it is taken, then the result and its effects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Static

from wargame.engine import recent_consultations
from wargame.model import PositionDecision
from wargame.model.events import ConsultationResolved, Event, Narrated, PositionTaken, StatMoved, TrackMoved
from wargame.session import Session
from wargame.session.describe import effect_text, event_lines, nation_name
from wargame.tui.screens.decision import DecisionScreen
from wargame.tui.widgets.board import controller_label
from wargame.tui.widgets.choices import ChoiceList

__all__ = ["ConsultationScreen"]


class ConsultationScreen(DecisionScreen):
    """Opened when a nation invokes a consultation; dismissed with Enter once it is resolved."""

    CSS_PATH = "consultation.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "close", "Continue", key_display="⏎")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 - textual's own type

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        decision = session.state.pending
        assert isinstance(decision, PositionDecision)
        self.invoker = decision.invoker
        self.card = decision.card
        self.positions: dict[str, str] = dict(decision.positions)
        self.resolved: ConsultationResolved | None = None
        self.outcome: list[str] = []
        # Fatigue as it stands when the consultation opens (the consultation itself not yet counted).
        rules = session.deck.consultation
        self.fatigue = recent_consultations(
            session.state.consultations, session.state.round, rules.fatigue_window
        )

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            with VerticalScroll(id="about"):
                yield Static(id="title")
                yield Static(id="rules")
                yield Static(id="result")
            yield Static(id="positions")
        with Vertical(id="ask"):
            yield Static(id="decision")
            yield Static(id="clock")
            yield ChoiceList(id="choices")
            yield Static(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        deck = self.session.deck
        label = deck.consultation.label
        title = Text(f"{label}: {nation_name(deck, self.invoker)} calls the allies to consult", style="bold")
        title.append(f"\nOver: {deck.card(self.card).title}", style="italic")
        self.query_one("#title", Static).update(title)
        self.query_one("#rules", Static).update(self._rules())
        self.show_game([])

    def _rules(self) -> Text:
        deck = self.session.deck
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

    def _positions(self) -> Table:
        state, deck = self.session.state, self.session.deck
        pending = state.pending
        deciding = pending.nation if isinstance(pending, PositionDecision) else None
        table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False, pad_edge=False)
        for head in ("", "Nation", "Player", "Position"):
            table.add_column(head, no_wrap=True)
        for nation in deck.nations:
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

    def show_game(self, events: Sequence[Event]) -> None:
        """Record positions as they are taken, and the result when it comes."""
        for index, event in enumerate(events):
            if isinstance(event, PositionTaken):
                self.positions[event.nation] = event.position
            elif isinstance(event, ConsultationResolved) and self.resolved is None:
                self.resolved = event
                effects = []
                for after in events[index + 1 :]:
                    if not isinstance(after, TrackMoved | StatMoved | Narrated):
                        break
                    effects.append(after)
                self.outcome = [line.strip() for line in event_lines(self.session.deck, effects)]
        self.query_one("#positions", Static).update(self._positions())
        if self.resolved is not None:
            self.query_one("#result", Static).update(self._result())
            self.query_one("#about", VerticalScroll).scroll_end(animate=False)
            self.query_one("#decision", Static).update(Text("Press Enter to continue.", style="bold"))
            self.query_one(ChoiceList).wait(f"{self.session.deck.consultation.label} is over.")
            self.refresh_bindings()

    def _result(self) -> Text:
        resolved = self.resolved
        assert resolved is not None
        text = Text()
        text.append(f"Result: {resolved.result.upper()}", style="bold reverse")
        text.append(f"  {resolved.support} support, {resolved.restrain} restrain, {resolved.abstain} abstain")
        for line in self.outcome:
            text.append(f"\n  {line}")
        return text

    def wait(self, message: str) -> None:
        """An AI is deciding (or the room is handing over)."""
        super().wait(message)
        self.query_one("#positions", Static).update(self._positions())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return self.resolved is not None
        return True

    def action_close(self) -> None:
        self.dismiss(None)
