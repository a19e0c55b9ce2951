"""The game screen: tracks, nations and the adversary on the left; the card, the choices and the log
on the right.

The screen's `state` is the position shown (a seat's view: see `seats.py`); the status line and every
panel are bound to it (`data_bind`), so setting it redraws them all. Events go to the log as they come
(`add_events`), in the words the room may read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Footer, Static

from wargame.engine.views import FACILITATOR, SPECTATOR, seats
from wargame.model import Deck, GameState
from wargame.model.events import Event
from wargame.tui.screens.decision import DecisionScreen
from wargame.tui.seats import room_seat
from wargame.tui.widgets.board import AdversaryPanel, NationsPanel, ObjectivesPanel, TracksPanel
from wargame.tui.widgets.card import CardScroll
from wargame.tui.widgets.choices import ChoiceList
from wargame.tui.widgets.log import EventLog

__all__ = ["GameScreen", "StatusLine", "Table", "status_text"]


class Table(Protocol):
    """What the game screen reads of a game: a local `Session`, or a remote seat's copy of what the
    host shows it (`wargame.tui.remote.SeatTable`)."""

    @property
    def deck(self) -> Deck: ...

    @property
    def state(self) -> GameState: ...

    @property
    def events(self) -> Sequence[Event]: ...


def status_text(state: GameState, seed: bool = True, you: str | None = None) -> str:
    """The top line: deck, round, seed (unless `seed` is false: a remote seat's view hides it) and who
    plays; `you`, a remote seat's screen: whose seat it is (a team on its own device reads its own
    name first)."""
    deck = state.deck
    humans = [nation.name for nation in deck.nations if state.is_human(nation.id)]
    red = deck.adversary
    if red is not None and state.is_human(red.id):
        humans.append(f"{red.name} (red cell)")
    players = (
        f"you play {humans[0]}"
        if len(humans) == 1
        else f"players: {', '.join(humans)}"
        if humans
        else "AI only"
    )
    if you == SPECTATOR:
        players = f"watching · {players}"
    elif you is not None and you in seats(deck) and you != FACILITATOR:
        players = f"you play {deck.seat_name(you)}"
    shown = f" · seed {state.seed}" if seed else ""
    return f"{deck.info.title} · round {state.round} of {deck.info.rounds}{shown} · {players}"


class StatusLine(Static):
    """The top line (`status_text`) of the state it is bound to."""

    state: reactive[GameState | None] = reactive(None)

    def __init__(self, *, seed: bool = True, you: str | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.seed = seed
        self.you = you

    def watch_state(self, state: GameState | None) -> None:
        if state is not None:
            self.update(Text(status_text(state, self.seed, self.you)))


class GameScreen(DecisionScreen):
    """Shows the position; the app passes on the driver's messages (a human's choices, who else is
    deciding, the events, the countdown)."""

    CSS_PATH = "game.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 - textual's own type
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012

    def __init__(
        self,
        session: Table,
        state: GameState | None = None,
        *,
        large_type: bool = False,
        seat: str | None = None,
        seed: bool = True,
    ) -> None:
        """`state`: the position as the screen may show it (by default the session's own);
        `large_type`: the projector layout (the tracks above the card, no side panels: every line
        as wide as the screen); `seat`: whose eyes the log has (by default the room's: `room_seat`;
        a remote seat's screen is its own); `seed`: whether the status line shows the seed (a
        remote seat's view does not hold it)."""
        super().__init__(session.state if state is None else state)
        self.session = session
        self.seat = seat
        self.seed = seed
        self.large_type = large_type
        self.set_class(large_type, "-large-type")

    def compose(self) -> ComposeResult:
        # A remote seat's screen (no seed shown) says whose it is; the room's names its players.
        you = None if self.seed else self.seat
        yield StatusLine(seed=self.seed, you=you, id="status").data_bind(GameScreen.state)
        if self.large_type:
            with Vertical(id="main"):
                yield TracksPanel(id="tracks").data_bind(GameScreen.state)
                yield from self._decision()
            yield Footer()
            return
        with Vertical(id="side"):
            yield TracksPanel(id="tracks").data_bind(GameScreen.state)
            yield NationsPanel(id="nations").data_bind(GameScreen.state)
            if self.session.deck.adversary is not None:
                yield AdversaryPanel(id="adversary").data_bind(GameScreen.state)
            yield ObjectivesPanel(id="objectives").data_bind(GameScreen.state)
        with Vertical(id="main"):
            yield from self._decision()
        yield Footer()

    def _decision(self) -> ComposeResult:
        """The card, the decision, its options and the log."""
        yield CardScroll(id="card").data_bind(GameScreen.state)
        yield Static(id="decision")
        yield Static(id="clock")
        yield ChoiceList(id="choices")
        yield Static(id="detail")
        yield EventLog(id="log")

    def on_mount(self) -> None:
        titles = {"#tracks": "Tracks", "#nations": "Nations", "#adversary": "Adversary"}
        titles |= {"#objectives": "Objectives"}  # the card's panel names itself (CardScroll)
        for selector, title in titles.items():
            for panel in self.query(selector):
                panel.border_title = title
        self.query_one("#log").border_title = "Log"
        self.add_events(self.session.events)

    def add_events(self, events: Sequence[Event]) -> None:
        """Log these events, as the room may read them."""
        if events:
            seat = self.seat if self.seat is not None else room_seat(self.session.state)
            self.query_one(EventLog).add(self.session.deck, events, seat)
