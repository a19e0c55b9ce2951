"""Small screens over the game, each with a typed result: hand-over, help and quit (the facilitator's
are in `facilitator.py`)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown, Static

from wargame.model import Deck
from wargame.session.describe import defeat_thresholds

__all__ = ["ConfirmQuitScreen", "HandOverScreen", "HelpScreen", "help_markdown"]

HELP = Path(__file__).parent.parent / "help.md"


class HandOverScreen(ModalScreen[None]):
    """Hot-seat: names the seat whose turn it is before its choices are shown. A hand-over to or from
    the adversary's team is `secret`: it hides the whole screen until a key, since the adversary's
    hand is on the screen for its team only."""

    CSS_PATH = "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "dismiss", "I am ready", key_display="⏎"),
        # A modal screen hides the app's keys; these stay at hand while the room hands over.
        Binding("question_mark", "app.help", "Help", key_display="?"),
        Binding("q", "app.request_quit", "Quit"),
        Binding("f", "app.facilitator", "Facilitator"),
        Binding("f", "app.facilitator_off", show=False),
    ]

    def __init__(self, nation: str, what: str, *, team: bool = False, hidden: str | None = None) -> None:
        """`nation`: the name of who plays next; `team`: it is the adversary's team (the hand comes
        next); `hidden`: the adversary's name, when its hand was on the screen before (then, as with
        `team`, the hand-over hides the whole screen)."""
        super().__init__(classes="-secret" if team or hidden else None)
        self.nation = nation
        self.what = what
        self.team = team
        self.hidden = hidden

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            if self.team:
                yield Static(f"Pass the keyboard to {self.nation}'s team", id="dialog-title")
                yield Static(
                    f"{self.what}.\n\nThe next screen shows {self.nation}'s hand: only its team should"
                    f" see it. {self.nation}'s team presses Enter to see the hand."
                )
            elif self.hidden:
                yield Static(f"Pass the keyboard to {self.nation}", id="dialog-title")
                yield Static(
                    f"{self.hidden}'s hand is hidden again. {self.what}.\n\n"
                    f"The player of {self.nation} presses Enter to see the choices."
                )
            else:
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
