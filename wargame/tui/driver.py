"""The game loop: whose turn it is, what the screens show meanwhile, and when the AI plays.

One async worker on the app's event loop plays the game forward: it asks a human (through the screen
that shows the decision) and waits for the answer, or lets the AI decide after a visible pause. The UI
never freezes: the worker awaits between steps, and each decision is applied between two awaits, so
it is never cut in half. Modal screens (help, quit, the facilitator) hold the loop while they are open.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from wargame.engine import IllegalActionError
from wargame.model import Action, PositionDecision
from wargame.model.events import ConsultationResolved, Event
from wargame.tui.choices import Choice, choices, decision_title
from wargame.tui.describe import nation_name
from wargame.tui.screens.consultation import ConsultationScreen
from wargame.tui.screens.ending import EndingScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.modals import HandOverScreen
from wargame.tui.session import Session

if TYPE_CHECKING:
    from textual.app import App

__all__ = ["GameDriver"]


class GameView(Protocol):
    """What a screen that shows the game offers the driver."""

    def show_game(self, events: list[Event]) -> None: ...
    def ask(self, choices: list[Choice]) -> None: ...
    def wait(self, message: str) -> None: ...


class GameDriver:
    """Plays one session forward on an app; `start` (re)starts the loop from the session's state."""

    def __init__(self, app: App[None], session: Session, ai_delay: float) -> None:
        self.app = app
        self.session = session
        self.ai_delay = ai_delay
        self._free = asyncio.Event()
        self._free.set()
        self._holds = 0
        self._answer: asyncio.Future[Action | None] | None = None
        self._last_human: str | None = None
        self._consultation_closed: asyncio.Event | None = None

    def start(self) -> None:
        """Run the loop (replacing a running one)."""
        self.app.run_worker(self._run(), name="game", group="game", exclusive=True)

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
        """A modal screen opened: no AI moves until it closes."""
        self._holds += 1
        self._free.clear()

    def release(self) -> None:
        """A modal screen closed."""
        self._holds = max(self._holds - 1, 0)
        if not self._holds:
            self._free.set()

    def apply(self, action: Action) -> list[Event]:
        """Decide, autosave and show; an illegal action or a failed save is reported, not raised."""
        try:
            events = self.session.decide(action)
        except IllegalActionError as error:
            self.app.notify(error.reason, title="Not allowed", severity="error")
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
        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, GameScreen | ConsultationScreen):
                return screen
        raise LookupError("no game screen")

    async def _run(self) -> None:
        session = self.session
        while True:
            await self._free.wait()
            if session.over:
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
                if len(session.humans) > 1 and nation != self._last_human:
                    view.wait(f"Handing over to {name}…")
                    await self.app.push_screen_wait(HandOverScreen(name, decision_title(session.state)))
                    await self._free.wait()
                self._last_human = nation
                self._answer = asyncio.get_running_loop().create_future()
                view.ask(choices(session.state))
                action = await self._answer
                self._answer = None
                if action is None or session.nation != nation:
                    continue
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


def _setter(event: asyncio.Event) -> Callable[[object], None]:
    """A screen callback that sets `event` when the screen is dismissed."""
    return lambda _result: event.set()
