"""A remote seat's app (`wargame join`, and each browser seat): the game's screens, fed by the host.

    JoinApp("192.168.1.20:8765").run()                  # asks for the seat code first
    JoinApp("192.168.1.20:8765", code="K7M-4QX").run()

The app holds no game: a `RemoteDriver` (`remote.py`) follows the host and posts what comes; the
handlers here set the screens' `state` and open and close them, as `WargameApp`'s do for a local
game. The screens show this seat's view only (the host sends nothing else); the seat is offered
choices only when the host waits for its decision, and otherwise sees who decides and the timer.
A spectator's seat (the projector) shows the public view and never decides.

When the connection drops, the driver rejoins with the same code by itself, and the screens say so;
a refused code brings the code screen back with the host's words.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown

from wargame.model import Deck, PositionDecision
from wargame.session.describe import seat_name
from wargame.tui.remote import RemoteDriver, SeatTable, remote_clock_text, seat_choices, waiting_text
from wargame.tui.screens.code import CodeScreen
from wargame.tui.screens.consultation import ConsultationScreen
from wargame.tui.screens.ending import EndingScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.modals import HelpScreen, help_markdown

if TYPE_CHECKING:
    from wargame.session import Session
    from wargame.tui.screens.decision import DecisionScreen
    from wargame.tui.widgets.choices import ChoiceList

__all__ = ["JoinApp", "SeatEndingScreen", "SeatHelpScreen", "seat_help_markdown"]

#: How often the timer's countdown is redrawn, in seconds.
TICK = 0.25


def _composed(screen: DecisionScreen) -> bool:
    """Whether the screen's widgets are there (a screen is mounted a moment before its children)."""
    return screen.is_mounted and bool(screen.query("#clock"))


class SeatEndingScreen(EndingScreen):
    """The ending as a remote seat sees it: the host keeps the save and writes the report."""

    CSS_PATH = "screens/ending.tcss"  # a path from this module's folder

    def _saved(self) -> Any:
        from rich.text import Text

        return Text("The host keeps this game's save; the facilitator writes the after-action report there.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The report and the judging of decisions need the save and the whole game: the host's.
        return action not in ("report", "counterfactual")


class JoinApp(App[None]):
    """Eastern Flank at a remote seat."""

    TITLE = "Eastern Flank"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "request_quit", "Quit"),
        Binding("ctrl+q", "request_quit", "Quit", show=False, priority=True),
        Binding("r", "rejoin", "Take the seat back"),
    ]

    def __init__(
        self,
        address: str,
        code: str | None = None,
        *,
        theme: str | None = None,
        large_type: bool = False,
        where: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`where`: the host as the code screen names it (by default `address`; a browser seat's
        address is the host's loopback, which means nothing to the team)."""
        super().__init__()
        from wargame.tui.app import HIGH_CONTRAST_THEME
        from wargame.tui.settings import THEMES

        self.register_theme(HIGH_CONTRAST_THEME)
        if theme is not None:
            self.theme = THEMES.get(theme, theme)
        self.address = address
        self.where = where or address
        self.code = code
        self.large_type = large_type
        self.clock = clock
        self.driver: RemoteDriver | None = None
        self.table: SeatTable | None = None
        self._game: GameScreen | None = None
        self._consultation: ConsultationScreen | None = None
        self._logged = 0
        """How many events of the table's log the screens have logged."""
        self._asked: object = None
        """The decision whose options are on the screen (not offered again when a view repeats it)."""
        self._timed_view: object = None
        self._timer_seen = 0.0
        """When the view `_timed_view` came (the host's countdown goes on from there)."""
        self._stranded = False
        """Whether the connection is lost and the driver does not try again (key r does)."""
        self._dropped = False
        """Whether the connection is lost (said once; the decision area says the rest)."""

    def on_mount(self) -> None:
        if self.code is None:
            self.push_screen(CodeScreen(self._where()))
        else:
            self.push_screen(CodeScreen(self._where(), "Joining…", self.code, busy=True))
            self._join(self.code)
        self.set_interval(TICK, self._tick, name="decision timer")

    def _where(self) -> str:
        """The host's address as the team typed it."""
        return self.where

    def _join(self, code: str) -> None:
        if self.driver is not None:
            self.driver.stop()
        self.code = code
        self.driver = RemoteDriver(self, self.address, code)
        self.driver.start()

    def on_code_screen_entered(self, message: CodeScreen.Entered) -> None:
        self._join(message.code)

    # --- what the driver posts ----------------------------------------------------------------------

    def _current(self, message: RemoteDriver.Posted) -> bool:
        return self.is_running and message.driver is self.driver

    async def _show(self, screen: Screen[Any]) -> None:
        """Show `screen` in place of whatever is up (the code, game or ending screen, and modals)."""
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        if len(self.screen_stack) > 1:
            await self.switch_screen(screen)
        else:
            await self.push_screen(screen)

    async def on_remote_driver_joined(self, message: RemoteDriver.Joined) -> None:
        if not self._current(message):
            return
        table = self.table = message.table
        self._stranded, self._dropped = False, False
        self.title = f"Eastern Flank · {table.name}"
        if table.view.over:
            await self._end()
            return
        await self._new_game_screen()
        held = f"You hold the seat of {table.name}."
        if table.spectator:
            held = "You watch the game: the public view."
        self.notify(held, title="Joined", timeout=4)

    async def on_remote_driver_view_changed(self, message: RemoteDriver.ViewChanged) -> None:
        table = self.table
        if not self._current(message) or table is None or self._game is None:
            return
        if table.view.over:
            await self._end()
        elif message.rewritten:  # the facilitator undid decisions: the log is shown again
            await self._new_game_screen()
        else:
            await self._follow()

    async def _new_game_screen(self) -> None:
        """A game screen with the table's whole log (after a join, a rejoin or an undo)."""
        table = self.table
        assert table is not None
        # The screen logs the events of its table as it mounts: a copy, so that events that come
        # meanwhile are logged once, by `_follow`.
        shown = SeatTable(table.deck, table.seat, table.name, table.view, list(table.events))
        self._logged = len(shown.events)
        self._consultation, self._asked = None, None
        self._game = GameScreen(shown, table.state, large_type=self.large_type, seat=table.seat, seed=False)
        await self._show(self._game)
        self.call_after_refresh(self._follow)

    async def _end(self) -> None:
        table = self.table
        assert table is not None
        self._game = self._consultation = None
        await self._show(SeatEndingScreen(cast("Session", table)))  # it reads the deck and state only

    async def _follow(self) -> None:
        """Show the table's view and the events not logged yet; open a consultation as it opens;
        offer the seat's choices when the host waits for it, else say who decides."""
        table, game = self.table, self._game
        if table is None or game is None:
            return
        if not _composed(game):
            self.call_after_refresh(self._follow)  # once it is, it shows what came meanwhile
            return
        state = table.state
        events = table.events[self._logged :]
        self._logged = len(table.events)
        for screen in (game, self._consultation):
            if screen is not None:
                screen.state = state
                screen.add_events(events)
        if isinstance(state.pending, PositionDecision) and self._consultation is None:
            await self._open_consultation()
        self._decide()

    async def _open_consultation(self) -> None:
        table = self.table
        assert table is not None
        screen = ConsultationScreen(table.state)

        def closed(_result: object) -> None:
            if self._consultation is screen:
                self._consultation = None
                self._asked = None
                self._decide()

        self._consultation = screen
        self._asked = None
        await self.push_screen(screen, callback=closed)

    def _deciding(self) -> DecisionScreen | None:
        """The screen where the seat decides now (the consultation's while it is open), once it is
        on the screen."""
        screen = self._consultation if self._consultation is not None else self._game
        return screen if screen is not None and _composed(screen) else None

    def _decide(self) -> None:
        """The decision area: the seat's options when it decides, else who does."""
        table, screen = self.table, self._deciding()
        if table is None or screen is None:
            return
        consultation = self._consultation
        if consultation is not None and consultation.resolved is not None:
            return  # the result is on the screen until the team presses Enter
        if not table.deciding:
            self._asked = None
            screen.wait(waiting_text(table))
            return
        state, choices = seat_choices(table)
        asked = (state.turn, state.pending)
        if asked == self._asked:
            return  # a view that changes nothing for this seat keeps its highlight
        self._asked = asked
        for each in (self._game, consultation):
            if each is not None:
                each.state = state
        screen.ask(choices)

    def on_choice_list_chosen(self, message: ChoiceList.Chosen) -> None:
        screen = self._deciding()
        if self.driver is not None:
            self.driver.answer(message.action)
        if screen is not None:
            screen.wait("Sent to the host…")

    def on_remote_driver_action_refused(self, message: RemoteDriver.ActionRefused) -> None:
        if self._current(message):
            self.notify(message.reason, title="Not taken", severity="error", timeout=8)
            self._asked = None
            self._decide()

    async def on_remote_driver_code_refused(self, message: RemoteDriver.CodeRefused) -> None:
        if not self._current(message):
            return
        self.driver = None
        self.table = self._game = self._consultation = None
        if isinstance(self.screen, CodeScreen):
            self.screen.show_problem(message.reason)
        else:
            await self._show(CodeScreen(self._where(), message.reason))

    async def on_remote_driver_dropped(self, message: RemoteDriver.Dropped) -> None:
        if not self._current(message):
            return
        if message.retry_in is None:
            self._stranded = True
            text = f"{message.reason} Press r to take the seat back."
        else:
            text = f"{message.reason} Trying again in {message.retry_in:g} s…"
        self._asked = None
        screen = self._deciding()
        if isinstance(self.screen, CodeScreen) and self.table is None:
            self.screen.show_problem(text, busy=message.retry_in is not None)
            if message.retry_in is None:
                self.driver = None
        elif screen is not None:
            screen.wait(text)
            screen.show_clock(None)
        on_code_screen = isinstance(self.screen, CodeScreen)  # which says it already
        if not on_code_screen and (not self._dropped or message.retry_in is None):
            self.notify(message.reason, title="Connection", severity="warning", timeout=8)
        self._dropped = True
        self.refresh_bindings()

    # --- the timer ----------------------------------------------------------------------------------

    def _tick(self) -> None:
        """Count the host's timer down between its views."""
        table, screen = self.table, self._deciding()
        if table is None or screen is None:
            return
        timer = table.view.timer
        consultation = self._consultation
        if timer is None or table.view.over or (consultation is not None and consultation.resolved):
            screen.show_clock(None)  # (a resolved consultation's screen: the next decision is not its)
            return
        if table.view is not self._timed_view:
            self._timed_view, self._timer_seen = table.view, self.clock()
        left = timer.seconds_left - (0.0 if timer.paused else self.clock() - self._timer_seen)
        text = remote_clock_text(timer, left, seat_name(table.deck, timer.seat))
        screen.show_clock(text, timer.expired or left <= 0)

    # --- keys ----------------------------------------------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(SeatHelpScreen(self.table.deck if self.table is not None else None))

    def action_request_quit(self) -> None:
        from wargame.tui.screens.modals import ConfirmQuitScreen

        if isinstance(self.screen, ConfirmQuitScreen):
            return
        if self.table is None or self.table.view.over or self.table.spectator:
            self.exit()  # nothing to keep: no seat yet, the game over, or a spectator's screen
            return
        where = f"The host keeps your seat: take it again with the same code at {self._where()}."
        self.push_screen(ConfirmQuitScreen(where), callback=lambda quit: self.exit() if quit else None)

    def action_rejoin(self) -> None:
        if self._stranded and self.code is not None:
            self._stranded = False
            self._join(self.code)
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rejoin":
            return self._stranded
        if action == "request_quit" and isinstance(self.screen, CodeScreen):
            return False  # the code screen's own keys leave (q is a letter of the code there)
        return action != "new_game"


#: A remote seat's own help: its seat code, the facilitator steering, rejoining, its keys.
SEAT_HELP = Path(__file__).parent / "help-seat.md"


def seat_help_markdown(deck: Deck | None) -> str:
    """The help at a remote seat: `help-seat.md`, then the rules from the table's help (how a round
    goes, winning, the screen, the adversary) and the deck's tracks, without the local game's keys,
    hot-seat and saves, which do not apply at a remote seat."""
    table = help_markdown(deck)
    start, end = table.index("## How a round goes"), table.index("## Hot-seat and saves")
    this_deck = table.find("\n## This deck", end)
    rules = table[start:end].rstrip() + "\n"
    deck_part = table[this_deck:] if this_deck >= 0 else ""
    return SEAT_HELP.read_text(encoding="utf-8") + "\n" + rules + deck_part


class SeatHelpScreen(HelpScreen):
    """The help at a remote seat (`seat_help_markdown`)."""

    CSS_PATH = "screens/modals.tcss"  # (relative to this module, not the help screen's)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(seat_help_markdown(self.deck))
        yield Footer()
