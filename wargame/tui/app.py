"""The Eastern Flank terminal app: the start screen, then a game played by a `GameDriver`.

    WargameApp().run()                                  # the start screen
    WargameApp(session=Session.resume(path)).run()      # straight into a game
    WargameApp(session, facilitator=True, turn_timer=60, on_timeout="ai")

Data down, messages up: the driver plays and posts messages (`GameDriver.PositionChanged`, `Asking`,
`HandOver`, `ConsultationOpened`, `GameOver`, ...); the app's handlers set the screens' `state` (their
panels are bound to it) and open, switch and close the screens. Screens report choices with messages.
The facilitator's panel, tools and undo are a `FacilitatorDesk` (`desk.py`); the palette's commands
come from `get_system_commands`.

The screens show the view of the seat deciding while a person decides, else the room's view
(`seats.py`): a nation's screen never holds the adversary's hand, a truth not yet revealed or another
nation's sealed vote.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme

from wargame.pace import AI_DELAY
from wargame.tui.screens.start import StartScreen
from wargame.tui.settings import HIGH_CONTRAST, THEMES, RoomSettings, read_settings, write_settings

# Only the start screen is imported at start: the game's screens, the driver, the facilitator's desk,
# the session, the engine and the AI come when a game does (benchmarks/startup.py).
if TYPE_CHECKING:
    from wargame.model import GameState
    from wargame.session import Session
    from wargame.session.timer import OnTimeout
    from wargame.storage.saves import Facilitation
    from wargame.tui.desk import FacilitatorDesk
    from wargame.tui.driver import GameDriver
    from wargame.tui.screens.consultation import ConsultationScreen
    from wargame.tui.screens.decision import DecisionScreen
    from wargame.tui.screens.facilitator import Tool
    from wargame.tui.screens.game import GameScreen
    from wargame.tui.widgets.choices import ChoiceList

__all__ = ["DEFAULT_AI_DELAY", "WargameApp"]

#: Seconds between AI decisions, so the room can follow them.
DEFAULT_AI_DELAY = AI_DELAY
#: White on black, the accents in pure yellow and cyan: legible on a washed-out projector.
HIGH_CONTRAST_THEME = Theme(
    name=HIGH_CONTRAST,
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFAA00",
    error="#FF5555",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    dark=True,
)

#: Where saves go unless told otherwise: `wargame.session.DEFAULT_SAVES` (not imported at start).
DEFAULT_SAVES = Path("saves")


class WargameApp(App[None]):
    """Eastern Flank in the terminal."""

    TITLE = "Eastern Flank"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "request_quit", "Quit"),
        Binding("ctrl+q", "request_quit", "Quit", show=False, priority=True),
        Binding("f", "facilitator", "Facilitator"),
        Binding("f", "facilitator_off", show=False),
        Binding("t", "toggle_timer", "Timer"),
    ]

    def __init__(
        self,
        session: Session | None = None,
        *,
        deck_path: Path | None = None,
        seed: int | None = None,
        saves_dir: Path | None = DEFAULT_SAVES,
        ai_delay: float = DEFAULT_AI_DELAY,
        facilitator: bool = False,
        turn_timer: float | None = None,
        on_timeout: OnTimeout = "wait",
        clock: Callable[[], float] = time.monotonic,
        theme: str | None = None,
        settings: Path | None = None,
    ) -> None:
        """`turn_timer`: seconds for each human decision (None: no timer); `on_timeout`: what happens
        when they run out; `clock`: the timer's clock (tests pass their own); `theme`: a theme for
        this run only (`--theme`: dark, light, high-contrast), else the one kept in `settings` (the
        room's settings file: `wargame.tui.settings`)."""
        super().__init__()
        self.register_theme(HIGH_CONTRAST_THEME)
        self.theme_option = THEMES.get(theme, theme) if theme is not None else None
        self.settings_file = settings
        self.room = RoomSettings()
        """The room's settings: the theme, the large-type layout (kept between sessions)."""
        self.session = session
        self.deck_path = deck_path
        self.seed = seed
        self.saves_dir = saves_dir
        self.ai_delay = ai_delay
        self.facilitator = facilitator
        self.turn_timer = turn_timer
        self.on_timeout: OnTimeout = on_timeout
        self.clock = clock
        self.driver: GameDriver | None = None
        self._desk: FacilitatorDesk | None = None
        self._game: GameScreen | None = None
        self._consultation: ConsultationScreen | None = None
        self._timed = False  # whether the screens show a countdown

    @property
    def desk(self) -> FacilitatorDesk:
        """The facilitator's tools (used in facilitator mode only)."""
        if self._desk is None:
            from wargame.tui.desk import FacilitatorDesk

            self._desk = FacilitatorDesk(self)
        return self._desk

    def on_mount(self) -> None:
        self._apply_settings()
        if self.session is not None:
            self.call_later(self.play, self.session)
        else:
            self.push_screen(self._start_screen())

    def _apply_settings(self) -> None:
        """The room's settings from their file (a one-line warning if it is damaged), the theme of
        `--theme` over the kept one; then every change of theme is kept."""
        from wargame.tui.settings import settings_path

        if self.settings_file is None:
            self.settings_file = settings_path()
        self.room, warning = read_settings(self.settings_file)
        if warning is not None:
            self.notify(warning, title="Settings", severity="warning", timeout=12)
        theme = self.theme_option or self.room.theme
        if theme not in self.available_themes:
            self.notify(f"There is no theme {theme!r}: the dark one is used.", severity="warning")
            theme = THEMES["dark"]
        self.theme = theme
        announced = False  # the signal first announces the theme just set: not a change to keep

        def changed(new: Theme) -> None:
            nonlocal announced
            if not announced and new.name == theme:
                announced = True
                return
            announced = True
            self.keep(theme=new.name)

        self.theme_changed_signal.subscribe(self, changed)

    def keep(self, *, theme: str | None = None, large_type: bool | None = None) -> None:
        """Keep a setting the room changed (the theme from the palette, large type on the start
        screen) in the settings file; a theme given by `--theme` is for this run only."""
        from dataclasses import replace

        changed = replace(
            self.room,
            theme=self.room.theme if theme is None or theme == self.theme_option else theme,
            large_type=self.room.large_type if large_type is None else large_type,
        )
        if changed == self.room or self.settings_file is None:
            return
        self.room = changed
        problem = write_settings(self.settings_file, changed)
        if problem is not None:
            self.notify(problem, title="Settings", severity="warning", timeout=12)

    def _start_screen(self) -> StartScreen:
        return StartScreen(
            self.deck_path,
            self.seed,
            self.saves_dir,
            self.facilitator,
            turn_timer=self.turn_timer,
            on_timeout=self.on_timeout,
            ai_delay=self.ai_delay,
            large_type=self.room.large_type,
        )

    # --- starting and resuming ---------------------------------------------------------------------

    async def play(self, session: Session, last_human: str | None = None) -> None:
        """Show the game screen and play this session (`last_human`: whose choices were on the screen
        last, so that no hand-over comes before that nation's next decision)."""
        from wargame.session.timer import DecisionClock
        from wargame.tui.driver import GameDriver
        from wargame.tui.screens.game import GameScreen

        self.session = session
        # Kept in the save, so that resuming after a crash runs the session the same way.
        session.facilitation = self._facilitation()
        timer = None if self.turn_timer is None else DecisionClock(self.turn_timer, self.clock)
        self.driver = GameDriver(self, session, self.ai_delay, timer, self.on_timeout, last_human)
        self._game = GameScreen(session, self._shown(session.state), large_type=self.room.large_type)
        self._consultation, self._timed = None, False
        await self._show(self._game)
        if session.save_problem:
            self.notify(session.save_problem, title="The game could not be saved", severity="error")
        if session.notice:
            self.notify(session.notice, title="Resumed as far as the deck allows", timeout=20)
            session.notice = None
        self.driver.start()
        self.refresh_bindings()

    async def on_start_screen_new_game(self, message: StartScreen.NewGame) -> None:
        from wargame.session import Session

        self.facilitator, self.turn_timer = message.facilitator, message.turn_timer
        self.on_timeout, self.ai_delay = message.on_timeout, message.ai_delay
        self.keep(large_type=message.large_type)
        try:
            session = Session.new(
                message.deck_path,
                message.deck,
                message.seed,
                message.controllers,
                self.saves_dir,
                facilitation=self._facilitation(),
            )
        except ValueError as error:  # the engine's SetupError
            self.notify(str(error), title="Cannot start", severity="error")
            return
        await self.play(session)

    async def on_start_screen_resume_game(self, message: StartScreen.ResumeGame) -> None:
        from wargame.session import Session
        from wargame.storage.saves import SaveError

        try:
            session = Session.resume(message.path)
        except SaveError as error:
            self.notify(str(error), title="Cannot resume", severity="error", timeout=15)
            return
        # The game goes on as it was run: facilitator mode and timer from its save.
        kept = session.facilitation
        self.facilitator, self.turn_timer, self.on_timeout = (
            kept.facilitator,
            kept.turn_timer,
            kept.on_timeout,
        )
        await self.play(session)

    def _facilitation(self) -> Facilitation:
        from wargame.storage.saves import Facilitation

        return Facilitation(self.facilitator, self.turn_timer, self.on_timeout)

    async def _show(self, screen: Screen[Any]) -> None:
        """Show `screen` in place of the start, game or ending screen and whatever is open over it."""
        while len(self.screen_stack) > 2:  # the default screen, then the start, game or ending screen
            await self.pop_screen()
        if len(self.screen_stack) > 1:
            await self.switch_screen(screen)
        else:
            await self.push_screen(screen)

    def action_new_game(self) -> None:
        """Back to the start screen (from the ending)."""
        if self.driver is not None:
            self.driver.stop()
        self.session, self.driver, self.seed = None, None, None
        self.switch_screen(self._start_screen())

    # --- what the driver posts ----------------------------------------------------------------------

    def _current(self, message: GameDriver.Posted) -> bool:
        """Whether a driver's message is still news: it comes from the driver playing now, its game
        screen is up, and the app is not shutting down (an undo replaces the driver, and quitting
        takes the screens apart, while messages may still be on their way)."""
        return (
            self.is_running
            and message.driver is self.driver
            and self._game is not None
            and self._game.is_attached
        )

    def _shown(self, state: GameState, seat: str | None = None) -> GameState:
        """What the screens may show of `state`: `seat`'s view while it decides, else the room's."""
        from wargame.tui.seats import room_seat, seat_view

        return seat_view(state, seat if seat is not None else room_seat(state))

    def _deciding(self) -> DecisionScreen | None:
        """The screen where decisions are made now: the consultation's while it is open."""
        return self._consultation if self._consultation is not None else self._game

    def on_game_driver_position_changed(self, message: GameDriver.PositionChanged) -> None:
        if self._current(message):
            shown = self._shown(message.state)
            for screen in (self._game, self._consultation):
                if screen is not None:
                    screen.state = shown
                    screen.add_events(message.events)

    async def on_game_driver_consultation_opened(self, message: GameDriver.ConsultationOpened) -> None:
        if not self._current(message):
            return
        from wargame.tui.screens.consultation import ConsultationScreen

        driver, screen = message.driver, ConsultationScreen(self._shown(message.state))

        def closed(_result: object) -> None:
            if self._consultation is screen:
                self._consultation = None
            driver.consultation_closed()

        self._consultation = screen
        await self.push_screen(screen, callback=closed)

    async def on_game_driver_hand_over(self, message: GameDriver.HandOver) -> None:
        from wargame.tui.screens.modals import HandOverScreen

        if self._current(message):
            driver = message.driver
            red = driver.session.deck.adversary
            team = red is not None and red.id == message.seat
            hidden = red.name if red is not None and message.secret and not team else None
            screen = HandOverScreen(message.nation, message.what, team=team, hidden=hidden)
            await self.push_screen(screen, callback=lambda _: driver.handed_over())

    def on_game_driver_hand_over_void(self, message: GameDriver.HandOverVoid) -> None:
        from wargame.tui.screens.modals import HandOverScreen

        screen = self.screen
        if self._current(message) and isinstance(screen, HandOverScreen):
            screen.dismiss(None)

    def on_game_driver_asking(self, message: GameDriver.Asking) -> None:
        screen = self._deciding()
        if self._current(message) and screen is not None:
            if message.state is not None:
                shown = self._shown(message.state, message.seat)
                for each in (self._game, self._consultation):
                    if each is not None:
                        each.state = shown
            screen.ask(message.choices)

    def on_game_driver_waiting(self, message: GameDriver.Waiting) -> None:
        screen = self._deciding()
        if self._current(message) and screen is not None:
            screen.wait(message.text)

    def on_game_driver_clock_changed(self, message: GameDriver.ClockChanged) -> None:
        screen = self._deciding()
        if not self._current(message) or screen is None:
            return
        screen.show_clock(message.text, message.expired)
        if self._timed != (message.text is not None):
            self._timed = message.text is not None
            self.refresh_bindings()  # the timer's key comes and goes with the countdown

    async def on_game_driver_game_over(self, message: GameDriver.GameOver) -> None:
        if self._current(message):
            self._game = self._consultation = None
            from wargame.tui.screens.ending import EndingScreen

            await self._show(EndingScreen(message.driver.session))

    def on_choice_list_chosen(self, message: ChoiceList.Chosen) -> None:
        if self.driver is not None:
            self.driver.answer(message.action)

    # --- modal screens, commands, keys ---------------------------------------------------------------

    def open_modal(self, screen: Screen[Any], then: Callable[[Any], object] | None = None) -> None:
        """Open a modal screen, holding the game loop until it closes."""
        driver = self.driver
        if driver is not None:
            driver.hold()

        def closed(result: object) -> None:
            # `then` first: a screen it opens holds the loop before this one lets it go.
            if then is not None:
                then(result)
            if driver is not None:
                driver.release()

        self.push_screen(screen, callback=closed)

    def action_help(self) -> None:
        from wargame.tui.screens.modals import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.open_modal(HelpScreen(self.session.deck if self.session else None))

    def action_request_quit(self) -> None:
        from wargame.session import shown_path
        from wargame.tui.screens.modals import ConfirmQuitScreen

        if isinstance(self.screen, ConfirmQuitScreen):
            return
        session = self.session
        if session is None or session.over:
            self.exit()
            return
        where = session.save_warning() or "This game is not saved."
        if session.is_saved and session.save_path is not None:
            where = (
                f"The game is saved after every decision, in {shown_path(session.save_path)}.\n"
                "Continue it later with: "
                + ("wargame host --resume" if session.remote is not None else "wargame resume")
            )
        self.open_modal(ConfirmQuitScreen(where), then=lambda quit: self.exit() if quit else None)

    def action_save(self) -> None:
        from wargame.session import shown_path

        session = self.session
        if session is None or session.save_path is None:
            self.notify("There is no game to save.", severity="warning")
        elif session.autosave():
            self.notify(f"Saved in {shown_path(session.save_path)}", title="Saved")
        else:
            self.notify(session.save_problem or "", title="The game could not be saved", severity="error")

    def action_facilitator(self, tool: Tool | None = None) -> None:
        """The facilitator's panel; or, given a tool, that tool at once (from the command palette)."""
        self.desk.open(tool)

    def action_facilitator_off(self) -> None:
        from wargame.tui.desk import MODE_OFF

        self.notify(MODE_OFF, title="Facilitator", severity="warning", timeout=8)

    def action_toggle_timer(self) -> None:
        """Pause or resume the decision timer (once the time is up: a fresh countdown)."""
        message = self.driver.toggle_timer() if self.driver is not None else None
        if message is not None:
            self.notify(message, title="Timer")
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "facilitator":
            return self.facilitator and self.session is not None
        if action == "facilitator_off":
            return not self.facilitator and self.session is not None
        if action == "toggle_timer":
            clock = self.driver.clock if self.driver is not None else None
            return clock is not None and clock.active
        if action == "save":
            return self.session is not None
        return True

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands (but its Quit: ours asks first), then the game's: save, help, quit; the
        decision timer when there is one; and, in facilitator mode only, the panel and each tool."""
        for command in super().get_system_commands(screen):
            if command.title != "Quit":
                yield command
        session = self.session
        if session is not None:
            yield SystemCommand("Save the game now", "Write the save file again", self.action_save)
        yield SystemCommand("Help: keys and rules", "Open the help screen", self.action_help)
        if session is None or session.over:
            leave = "Leave Eastern Flank"
        elif session.is_saved:
            leave = "Leave the game (it is saved after every decision)"
        else:
            leave = "Leave the game (it asks first: the game is not saved)"
        yield SystemCommand("Quit", leave, self.action_request_quit)
        if session is None:
            return
        clock = self.driver.clock if self.driver is not None else None
        if clock is not None and clock.active:
            yield SystemCommand(
                "Timer: pause or resume", "The decision timer (key t)", self.action_toggle_timer
            )
        yield from self.desk.commands()
