"""Small screens over the game, each with a typed result: hand-over, help, quit and facilitator."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Markdown, Static

from wargame.model import Action, AddNote, Deck
from wargame.tui.describe import defeat_thresholds

__all__ = ["ConfirmQuitScreen", "FacilitatorScreen", "HandOverScreen", "HelpScreen", "help_markdown"]

HELP = Path(__file__).parent.parent / "help.md"


class HandOverScreen(ModalScreen[None]):
    """Hot-seat: names the nation whose turn it is before its choices are shown."""

    CSS_PATH = "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "dismiss", "I am ready", key_display="⏎")]

    def __init__(self, nation: str, what: str) -> None:
        super().__init__()
        self.nation = nation
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(f"Hand over to {self.nation}", id="dialog-title")
            yield Static(f"{self.what}.\n\nThe player of {self.nation} presses Enter to see the choices.")
        yield Footer()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)


def help_markdown(deck: Deck | None) -> str:
    """The help text: the keys and rules, and this deck's tracks and how it is lost."""
    text = HELP.read_text(encoding="utf-8")
    if deck is None:
        return text
    lines = [f"\n## This deck: {deck.info.title}\n", f"{deck.info.rounds} rounds.\n"]
    defeats = defeat_thresholds(deck)
    for track_id, track in deck.tracks.items():
        better = "higher is better" if track.higher_is_better else "lower is better"
        lost = "; ".join(f"lost at {where}" for where in defeats[track_id])
        lines.append(
            f"- **{track.name}** ({track.min}-{track.max}, {better}{'; ' + lost if lost else ''}). "
            f"{track.description}"
        )
    lines.append("")
    for stat in deck.stats.values():
        lines.append(f"- **{stat.name}**: {stat.description}")
    return text + "\n".join(lines) + "\n"


class HelpScreen(ModalScreen[None]):
    """The keys and the rules."""

    CSS_PATH = "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close", key_display="esc"),
    ]

    def __init__(self, deck: Deck | None) -> None:
        super().__init__()
        self.deck = deck

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(help_markdown(self.deck))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)


class ConfirmQuitScreen(ModalScreen[bool]):
    """Quit? The game is saved after every decision; says where."""

    CSS_PATH = "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Quit", key_display="y"),
        Binding("n,escape", "answer(False)", "Keep playing", key_display="n"),
    ]

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Quit the game?", id="dialog-title")
            yield Static(self.where)
        yield Footer()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class FacilitatorScreen(ModalScreen[Action | None]):
    """The facilitator's menu (facilitator mode, key f). For now: add a note to the record.

    The full panel (inject a card, force a roll, adjust a track or a stat, undo) builds on this: it
    returns the facilitator's action, and the app applies it like any other.
    """

    CSS_PATH = "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Close", key_display="esc")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Facilitator", id="dialog-title")
            yield Static("Add a note to the game's record (Enter to add, Esc to close):")
            yield Input(placeholder="note", id="note")
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        self.dismiss(AddNote(text) if text else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
