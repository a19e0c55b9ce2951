"""The game loop: whose turn it is, what the screens show meanwhile, and when the AI plays.

One async worker on the app's event loop plays the game forward: it asks a human (through the screen
that shows the decision) and waits for the answer, or lets the AI decide after a visible pause. The UI
never freezes: the worker awaits between steps, and each decision is applied between two awaits, so
it is never cut in half. Modal screens (help, quit, the facilitator) hold the loop while they are open.

With a decision timer, each human decision gets a fresh countdown (`timer.DecisionClock`), shown on the
screen and checked a few times a second; a menu holds it too. When the time is up the screen says so
and waits, or (`on_timeout="ai"`) the nation's default persona decides. `stop` ends the loop for good
(an undo replaces the driver): nothing is applied once it is stopped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from wargame.engine import IllegalActionError
from wargame.model import Action, PositionDecision
from wargame.model.events import ConsultationResolved, Event
from wargame.session import Session
from wargame.session.choices import Choice, choices, decision_title
from wargame.session.describe import nation_name
from wargame.session.timer import DecisionClock, OnTimeout, clock_text
from wargame.tui.screens.consultation import ConsultationScreen
from wargame.tui.screens.ending import EndingScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.modals import HandOverScreen

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer
    from textual.worker import Worker

#: How often the countdown is redrawn and checked, in seconds.
TICK = 0.25

__all__ = ["GameDriver"]


class GameView(Protocol):
    """What a screen that shows the game offers the driver."""

    def show_game(self, events: list[Event]) -> None: ...
    def ask(self, choices: list[Choice]) -> None: ...
    def wait(self, message: str) -> None: ...
    def show_clock(self, text: str | None, expired: bool = False) -> None: ...


class GameDriver:
    """Plays one session forward on an app; `start` (re)starts the loop from the session's state."""

    def __init__(
        self,
        app: App[None],
        session: Session,
        ai_delay: float,
        clock: DecisionClock | None = None,
        on_timeout: OnTimeout = "wait",
    ) -> None:
        self.app = app
        self.session = session
        self.ai_delay = ai_delay
        self.clock = clock
        """The decision timer, if the game has one."""
        self.on_timeout = on_timeout
        self._free = asyncio.Event()
        self._free.set()
        self._holds = 0
        self._answer: asyncio.Future[Action | None] | None = None
        self.last_human: str | None = None
        """The human nation whose choices were shown last (a hand-over screen comes between two)."""
        self._consultation_closed: asyncio.Event | None = None
        self._worker: Worker[None] | None = None
        self._ticker: Timer | None = None
        self._announced = False
        self._timed: object = None  # the decision the countdown belongs to
        self.stopped = False

    def start(self) -> None:
        """Run the loop (replacing a running one)."""
        self._worker = self.app.run_worker(self._run(), name="game", group="game", exclusive=True)
        if self.clock is not None and self._ticker is None:
            self._ticker = self.app.set_interval(TICK, self.tick, name="decision timer")

    def stop(self) -> None:
        """End the loop for good: cancel the worker and the timer; nothing more is applied."""
        self.stopped = True
        if self._worker is not None:
            self._worker.cancel()
        if self._ticker is not None:
            self._ticker.stop()
        if self.clock is not None:
            self.clock.stop()
        if self._answer is not None and not self._answer.done():
            self._answer.cancel()

    # --- calls from the app ----------------------------------------------------------------------------

    def answer(self, action: Action) -> None:
        """A human confirmed an option."""
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(action)

    def nudge(self) -> None:
        """The state changed outside the loop (a facilitator's action): look at it again."""
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(None)

    def hold(self) -> None:
        """A modal screen opened: no AI moves until it closes, and the countdown stands still."""
        self._holds += 1
        self._free.clear()
        if self.clock is not None:
            self.clock.hold()

    def release(self) -> None:
        """A modal screen closed."""
        if self._holds and self.clock is not None:
            self.clock.release()
        self._holds = max(self._holds - 1, 0)
        if not self._holds:
            self._free.set()

    def apply(self, action: Action) -> list[Event]:
        """Decide, autosave and show; an illegal action or a failed save is reported, not raised."""
        if self.stopped:
            return []
        try:
            events = self.session.decide(action)
        except IllegalActionError as error:
            self.app.notify(str(error.reason), title="Not allowed", severity="error")
            return []
        if self.session.save_problem:
            self.app.notify(
                self.session.save_problem, title="The game could not be saved", severity="error", timeout=10
            )
        for screen in self.app.screen_stack:
            if isinstance(screen, GameScreen | ConsultationScreen):
                screen.show_game(events)
        return events

    # --- the loop ------------------------------------------------------------------------------------

    def _view(self) -> GameScreen | ConsultationScreen:
        view = self._view_or_none()
        if view is None:
            raise LookupError("no game screen")
        return view

    def _view_or_none(self) -> GameScreen | ConsultationScreen | None:
        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, GameScreen | ConsultationScreen):
                return screen
        return None

    async def _run(self) -> None:
        session = self.session
        while True:
            await self._free.wait()
            if session.over:
                self._untime()
                await self.app.switch_screen(EndingScreen(session))
                return
            decision = session.state.pending
            assert decision is not None
            if isinstance(decision, PositionDecision) and not isinstance(self._view(), ConsultationScreen):
                closed = asyncio.Event()
                self._consultation_closed = closed
                await self.app.push_screen(ConsultationScreen(session), callback=_setter(closed))
            view = self._view()
            nation = decision.nation
            name = nation_name(session.deck, nation)
            if session.is_human_turn:
                if len(session.humans) > 1 and nation != self.last_human:
                    view.wait(f"Handing over to {name}…")
                    await self.app.push_screen_wait(HandOverScreen(name, decision_title(session.state)))
                    await self._free.wait()
                self.last_human = nation
                self._answer = asyncio.get_running_loop().create_future()
                view.ask(choices(session.state))
                self._time(nation)
                action = await self._answer
                self._answer = None
                if action is None or session.nation != nation:
                    continue
                self._untime()
            else:
                persona = session.state.persona_of(nation)
                view.wait(f"{name} (AI, {persona}) is deciding…")
                await asyncio.sleep(self.ai_delay)
                await self._free.wait()
                if session.state.pending != decision:
                    continue  # a facilitator's action changed things meanwhile
                action = session.ai_action()
            events = self.apply(action)
            resolved = any(isinstance(event, ConsultationResolved) for event in events)
            if resolved and self._consultation_closed is not None:
                await self._consultation_closed.wait()
                self._consultation_closed = None

    # --- the decision timer ----------------------------------------------------------------------

    def _time(self, nation: str) -> None:
        """Time a human decision: a fresh countdown, unless this very decision is asked again (after
        a facilitator's action), whose countdown runs on."""
        clock = self.clock
        if clock is None:
            return
        pending = self.session.state.pending
        if clock.nation != nation or self._timed != pending:
            clock.start(nation)
            self._timed, self._announced = pending, False
            self.app.refresh_bindings()
        self.tick()

    def _untime(self) -> None:
        """No decision is timed any more."""
        if self.clock is not None and self.clock.active:
            self.clock.stop()
            self._timed = None
            view = self._view_or_none()
            if view is not None:
                view.show_clock(None)
            self.app.refresh_bindings()

    def tick(self) -> None:
        """Redraw the countdown; when the time is up, say so (or let the AI decide)."""
        clock = self.clock
        if clock is None or self.stopped:
            return
        view = self._view_or_none()
        nation = clock.nation
        if nation is None or nation != self.session.nation:
            if view is not None:
                view.show_clock(None)
            return
        name = nation_name(self.session.deck, nation)
        if view is not None:
            view.show_clock(clock_text(clock, name), clock.expired)
        if not clock.expired or self._announced:
            return
        self._announced = True
        if self.on_timeout == "ai" and self._answer is not None and not self._answer.done():
            persona = self.session.deck.nation(nation).persona
            self.app.notify(f"Time is up for {name}: the AI decides for it, as a {persona}.", title="Time")
            if view is not None:
                view.wait(f"Time is up: the AI decides for {name}…")
            self._answer.set_result(self.session.ai_action())
        else:
            self.app.notify(f"Time is up for {name}.", title="Time", severity="warning", timeout=10)

    def toggle_timer(self) -> str | None:
        """The facilitator pauses or resumes the countdown (after the time is up: a fresh one)."""
        clock = self.clock
        if clock is None or clock.nation is None:
            return None
        if clock.expired:
            clock.start(clock.nation)
            self._announced = False
            message = "A fresh countdown"
        elif clock.paused:
            clock.resume()
            message = "The timer runs again"
        else:
            clock.pause()
            message = "The timer is paused"
        self.tick()
        return message


def _setter(event: asyncio.Event) -> Callable[[object], None]:
    """A screen callback that sets `event` when the screen is dismissed."""
    return lambda _result: event.set()
