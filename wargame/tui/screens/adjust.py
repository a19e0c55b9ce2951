"""The facilitator adjusts a track, or one nation's stat, by a delta, with a reason for the record.

The lists show each value now; the line under the fields shows the change before it is made, or why it
cannot be made. Enter in the reason applies; an empty reason, a delta of 0 or a change the range would
cancel is refused with a message, and nothing is applied.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from wargame.engine.legality import refusal
from wargame.model import Action, AdjustStat, AdjustTrack, GameState
from wargame.tui.widgets.picker import Picker

__all__ = ["AdjustScreen", "parse_delta"]


def parse_delta(raw: str) -> int | None:
    """`-2`, `+3`, `3` as a whole number other than 0; None for anything else."""
    try:
        delta = int(raw.strip())
    except ValueError:
        return None
    return delta or None


class AdjustScreen(ModalScreen[Action | None]):
    """`kind` "track": which track, by how much, why. "stat": which nation, which stat, by how much, why."""

    CSS_PATH = "facilitator.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel", key_display="esc")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012 - textual's own type

    def __init__(self, state: GameState, kind: Literal["track", "stat"]) -> None:
        super().__init__()
        self.state = state
        self.kind = kind
        deck = state.deck
        self.tracks = list(deck.tracks)
        self.nations = [nation.id for nation in deck.nations]
        self.stats = list(deck.stats)

    def compose(self) -> ComposeResult:
        deck, state = self.state.deck, self.state
        with Vertical(classes="dialog"):
            if self.kind == "track":
                yield Static("Adjust a track", classes="dialog-title")
                yield Static("Which track (↑↓), then Tab:", classes="hint")
                options = []
                for track_id in self.tracks:
                    track = deck.tracks[track_id]
                    better = "higher is better" if track.higher_is_better else "lower is better"
                    line = f"{track.name} {state.tracks[track_id]}  ({track.min}-{track.max}, {better})"
                    options.append(Option(line))
                yield Picker(*options, id="tracks", compact=True, classes="which")
            else:
                yield Static("Adjust a nation's stat", classes="dialog-title")
                yield Static("Which nation (↑↓), Tab, which stat (↑↓), Tab:", classes="hint")
                with Horizontal(id="which"):
                    nations = [Option(deck.nation(nation).name) for nation in self.nations]
                    yield Picker(*nations, id="nations", compact=True, classes="which")
                    yield Picker(id="stats", compact=True, classes="which")
            with Horizontal(classes="field"):
                yield Static("By", classes="label")
                yield Input(placeholder="e.g. -2 or 3", id="delta", compact=True, restrict=r"[-+]?\d*")
            with Horizontal(classes="field"):
                yield Static("Why", classes="label")
                yield Input(placeholder="the reason, for the record (required)", id="reason", compact=True)
            yield Static(id="preview")
            yield Static("Enter in Why applies it; Esc cancels.", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        first = self.query(OptionList).first()
        first.highlighted = 0
        if self.kind == "stat":
            self._show_stats()
        first.focus()
        self._preview()

    def _show_stats(self) -> None:
        nation = self._nation()
        stats = self.query_one("#stats", OptionList)
        highlighted = stats.highlighted
        names, values = self.state.deck.stats, self.state.stats[nation]
        stats.set_options(Option(f"{names[stat].name} {values[stat]}") for stat in self.stats)
        stats.highlighted = highlighted or 0

    def _nation(self) -> str:
        return self.nations[self.query_one("#nations", OptionList).highlighted or 0]

    def _which(self) -> tuple[str, str, int, int, int]:
        """The subject chosen: its id, its name, its value, min and max."""
        deck = self.state.deck
        if self.kind == "track":
            track_id = self.tracks[self.query_one("#tracks", OptionList).highlighted or 0]
            track = deck.tracks[track_id]
            return track_id, track.name, self.state.tracks[track_id], track.min, track.max
        nation = self._nation()
        stat_id = self.stats[self.query_one("#stats", OptionList).highlighted or 0]
        stat = deck.stats[stat_id]
        name = f"{deck.nation(nation).name}'s {stat.name}"
        return stat_id, name, self.state.stats[nation][stat_id], stat.min, stat.max

    def _preview(self) -> None:
        _, name, value, low, high = self._which()
        delta = parse_delta(self.query_one("#delta", Input).value)
        text = Text(f"{name} is {value}")
        if delta is not None:
            after = min(max(value + delta, low), high)
            text = Text(f"{name} {value} → {after}", style="bold")
            if after != value + delta:
                text.append(f"  (kept within {low}-{high})", style="")
            if after == value:
                text.append("  nothing would change", style="italic")
        self.query_one("#preview", Static).update(text)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_list.id == "nations":
            self._show_stats()
        self._preview()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.focus_next()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._preview()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "delta":
            self.query_one("#reason", Input).focus()
            return
        action = self.action_made()
        if isinstance(action, str):
            self.query_one("#preview", Static).update(Text(action, style="bold red"))
        else:
            self.dismiss(action)

    def action_made(self) -> Action | str:
        """The adjustment the fields describe, or why it cannot be made."""
        delta = parse_delta(self.query_one("#delta", Input).value)
        reason = self.query_one("#reason", Input).value.strip()
        if delta is None:
            self.query_one("#delta", Input).focus()
            return "By how much? A whole number other than 0, e.g. -2 or 3."
        if not reason:
            return "Give a reason: it goes into the log, the save and the report."
        subject, name, value, low, high = self._which()
        if min(max(value + delta, low), high) == value:
            return f"Nothing would change: {name} is {value}, at the end of its range ({low}-{high})."
        action: Action = (
            AdjustTrack(subject, delta, reason)
            if self.kind == "track"
            else AdjustStat(self._nation(), subject, delta, reason)
        )
        return action if (why := refusal(self.state, action)) is None else str(why)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
