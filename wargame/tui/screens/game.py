"""The game screen: tracks and nations on the left; the card, the choices and the log on the right."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Static

from wargame.model import InvestDecision
from wargame.model.events import Event
from wargame.session import Session
from wargame.session.describe import nation_name
from wargame.tui.screens.decision import DecisionScreen
from wargame.tui.widgets.board import NationsPanel, ObjectivesPanel, TracksPanel
from wargame.tui.widgets.card import CardPanel
from wargame.tui.widgets.choices import ChoiceList
from wargame.tui.widgets.log import EventLog

__all__ = ["GameScreen", "status_text"]


def status_text(session: Session) -> str:
    """The top line: deck, round, seed and who plays."""
    state, info = session.state, session.deck.info
    humans = [nation_name(session.deck, nation) for nation in session.humans]
    players = (
        f"you play {humans[0]}"
        if len(humans) == 1
        else f"players: {', '.join(humans)}"
        if humans
        else "AI only"
    )
    return f"{info.title} · round {state.round} of {info.rounds} · seed {state.seed} · {players}"


class GameScreen(DecisionScreen):
    """Shows the state; the app's driver asks it for a human's choice or shows who else is deciding."""

    CSS_PATH = "game.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 - textual's own type
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        state = self.session.state
        yield Static(id="status")
        with Vertical(id="side"):
            yield TracksPanel(state, id="tracks")
            yield NationsPanel(state, id="nations")
            yield ObjectivesPanel(state, id="objectives")
        with Vertical(id="main"):
            yield CardPanel(state, id="card")
            yield Static(id="decision")
            yield Static(id="clock")
            yield ChoiceList(id="choices")
            yield Static(id="detail")
            yield EventLog(id="log")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#tracks").border_title = "Tracks"
        self.query_one("#nations").border_title = "Nations"
        self.query_one("#card").border_title = "Card"
        self.query_one("#objectives").border_title = "Objectives"
        self.query_one("#log").border_title = "Log"
        self.query_one(EventLog).add(self.session.deck, self.session.events)
        self.show_game([])

    def show_game(self, events: Sequence[Event]) -> None:
        """Bring every panel up to the session's state and log the new events."""
        state = self.session.state
        self.query_one("#status", Static).update(Text(status_text(self.session)))
        self.query_one(TracksPanel).show(state)
        self.query_one(NationsPanel).show(state)
        self.query_one(ObjectivesPanel).show(state)
        card = self.query_one(CardPanel)
        card.show(state)
        card.display = not isinstance(state.pending, InvestDecision)
        if events:
            self.query_one(EventLog).add(self.session.deck, events)
