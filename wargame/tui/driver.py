"""The game loop: whose turn it is, asking a human or letting the AI play, and telling the app.

One async worker on the app's event loop plays the game forward: it asks a human and waits for the
answer, or lets the AI decide after a visible pause; it applies each decision through the `Session`
(which autosaves) and posts messages to the app saying what happened. The driver shows nothing and opens
no screen: the app does that in its handlers (data down, messages up). The UI never freezes: the worker
awaits between steps, and each decision is applied between two awaits, so it is never cut in half.

Every seat is played so: a nation's, and the adversary's when the deck has one (a red-cell team
chooses a card of its hand, then where it lands; its AI plays with the same pause as the nations').
A human seat is asked with the options of its own view (`seats.seat_view`), so that what is hidden
from it is not in them either.

The app talks back with plain calls: `answer` (a human chose), `handed_over` and `consultation_closed`
(the room pressed Enter), `hold`/`release` (a modal screen holds the loop while it is open), `nudge`
(a facilitator's action changed the state) and `stop` (an undo replaces the driver: nothing more is
applied or posted once it is stopped).

With a decision timer, each human decision gets a fresh countdown (`timer.DecisionClock`), posted a few
times a second; a menu holds it too. When the time is up the driver says so and waits, or
(`on_timeout="ai"`) the nation's default persona decides.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.message import Message

from wargame import ai
from wargame.engine import IllegalActionError
from wargame.model import (
    Action,
    ChooseResponse,
    Decider,
    GameState,
    Invest,
    Planner,
    PlayDecision,
    PositionDecision,
    RespondDecision,
)
from wargame.model.events import ConsultationResolved, Event
from wargame.session import Session
from wargame.session.choices import Choice, choices, decision_title
from wargame.session.describe import attribution_facts, reveal_text, seat_name
from wargame.session.timer import DecisionClock, OnTimeout, clock_text
from wargame.session.turns import Remote, choose_in_thread
from wargame.tui.hand import card_choices, play_title
from wargame.tui.seats import human_seats, seat_view

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer
    from textual.worker import Worker

#: How often the countdown is redrawn and checked, in seconds.
TICK = 0.25

__all__ = ["GameDriver", "decision_text", "options_for"]


def decision_text(state: GameState) -> str:
    """Who decides what, for any seat: `Poland answers the card`, `Moscow plays a card (...)`."""
    return play_title(state) if isinstance(state.pending, PlayDecision) else decision_title(state)


def options_for(state: GameState, seat: str) -> list[Choice]:
    """The options of the pending decision as `seat` sees them: the cards of the adversary's hand,
    or a nation's responses, positions or investments."""
    shown = seat_view(state, seat)
    if isinstance(shown.pending, PlayDecision):
        return card_choices(shown)
    return _with_attribution(shown, choices(shown))


def _with_attribution(state: GameState, options: list[Choice]) -> list[Choice]:
    """The options, with what each does about who sent the card: a chance to reveal it, a claim and
    what a wrong one costs (investments: a chance to reveal every truth not yet known)."""
    deck = state.deck
    card = deck.card(state.card) if state.card is not None else None
    vote = isinstance(state.pending, RespondDecision) and state.pending.is_vote
    for option in options:
        action = option.action
        if isinstance(action, ChooseResponse) and card is not None:
            actor = "the target" if vote else "you"
            facts, wrong = attribution_facts(deck, card, card.response(action.response), actor)
            option.facts.extend(facts)
            if wrong:
                option.effects = " | ".join(part for part in (option.effects, wrong) if part)
        elif isinstance(action, Invest):
            chance = deck.investment(action.investment).reveal
            reveal = reveal_text(chance, "every attribution still hidden")
            if reveal:
                option.facts.append(reveal)
    return options


class GameDriver:
    """Plays one session forward on an app; `start` (re)starts the loop from the session's state."""

    class Posted(Message):
        """What every message of a driver carries: the driver, so that the app can drop the messages
        of a driver it has replaced (after an undo) that were still on their way."""

        def __init__(self, driver: GameDriver) -> None:
            super().__init__()
            self.driver = driver

    class PositionChanged(Posted):
        """A decision (or a facilitator's action) was applied: the new state, and the events it made."""

        def __init__(self, driver: GameDriver, state: GameState, events: list[Event]) -> None:
            super().__init__(driver)
            self.state = state
            self.events = events

    class ConsultationOpened(Posted):
        """A nation invoked a consultation: `state` is the position as it opened (positions pending).

        The driver goes on once the consultation is resolved and the room has closed it
        (`consultation_closed`)."""

        def __init__(self, driver: GameDriver, state: GameState) -> None:
            super().__init__(driver)
            self.state = state

    class HandOver(Posted):
        """Hot-seat: another human plays next; the driver waits for `handed_over`."""

        def __init__(
            self, driver: GameDriver, nation: str, what: str, seat: str = "", secret: bool = False
        ) -> None:
            super().__init__(driver)
            self.nation = nation
            """The name of who plays next: a nation's, or the adversary's."""
            self.what = what
            """What it decides, e.g. `Estonia answers the card`."""
            self.seat = seat
            """Its seat (a nation id, or the adversary's id)."""
            self.secret = secret
            """Whether the adversary's hand is on the screen before or after it: the hand-over then
            hides everything until a key."""

    class HandOverVoid(Posted):
        """A facilitator's action during a hand-over gave the decision to another seat: close the
        hand-over screen (the driver then hands over to whoever decides now)."""

    class Asking(Posted):
        """A human decides: show `state` as `seat` may see it and offer these choices; the driver
        waits for `answer`."""

        def __init__(
            self, driver: GameDriver, choices: list[Choice], seat: str = "", state: GameState | None = None
        ) -> None:
            super().__init__(driver)
            self.choices = choices
            self.seat = seat
            """Who decides: a nation's or the adversary's id."""
            self.state = state
            """The position it decides in (the whole state: the app shows the seat's view of it)."""

    class Waiting(Posted):
        """Someone else has the turn (an AI, or the room handing over): say so."""

        def __init__(self, driver: GameDriver, text: str) -> None:
            super().__init__(driver)
            self.text = text

    class ClockChanged(Posted):
        """The decision timer's countdown (`text` None: no decision is timed)."""

        def __init__(self, driver: GameDriver, text: str | None, expired: bool = False) -> None:
            super().__init__(driver)
            self.text = text
            self.expired = expired

    class GameOver(Posted):
        """The game has ended; the driver's loop is over."""

    def __init__(
        self,
        app: App[None],
        session: Session,
        ai_delay: float,
        clock: DecisionClock | None = None,
        on_timeout: OnTimeout = "wait",
        last_human: str | None = None,
    ) -> None:
        self.app = app
        self.session = session
        self.ai_delay = ai_delay
        self.clock = clock
        """The decision timer, if the game has one."""
        self.on_timeout = on_timeout
        self.last_human = last_human
        """The human nation whose choices were shown last (a hand-over screen comes between two)."""
        self._free = asyncio.Event()
        self._free.set()
        self._holds = 0
        self._answer: asyncio.Future[Action | None] | None = None
        self._handed_over = asyncio.Event()
        self._handing: str | None = None
        """The seat a hand-over screen waits for, while one is up."""
        self._consultation: asyncio.Event | None = None
        """While a consultation is open: set once the room has closed it."""
        self._worker: Worker[None] | None = None
        self._ticker: Timer | None = None
        self._announced = False
        self._timed: object = None  # the decision the countdown belongs to
        self._timed_out = False  # whether the AI answered for the team whose time ran out
        self._remote_task: asyncio.Future[Action] | None = None
        """While a seat on its own machine decides: the wait for its decision over the network."""
        self.stopped = False

    def start(self) -> None:
        """Run the loop (replacing a running one)."""
        if self.session.remote is not None:  # the seats on their own machines follow this session
            self.session.remote.follow(self.session, self.clock)
        self._worker = self.app.run_worker(self._run(), name="game", group="game", exclusive=True)
        if self.clock is not None and self._ticker is None:
            self._ticker = self.app.set_interval(TICK, self.tick, name="decision timer")

    def stop(self) -> None:
        """End the loop for good: cancel the worker and the timer; nothing more is applied or posted."""
        self.stopped = True
        if self._worker is not None:
            self._worker.cancel()
        if self._ticker is not None:
            self._ticker.stop()
        if self.clock is not None:
            self.clock.stop()
        if self._answer is not None and not self._answer.done():
            self._answer.cancel()
        if self._remote_task is not None:
            self._remote_task.cancel()

    def _post(self, message: GameDriver.Posted) -> None:
        if not self.stopped:
            self.app.post_message(message)

    # --- calls from the app ----------------------------------------------------------------------------

    def answer(self, action: Action) -> None:
        """A human confirmed an option."""
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(action)

    def handed_over(self) -> None:
        """The next player has the keyboard."""
        self._handed_over.set()

    def consultation_closed(self) -> None:
        """The room has seen the consultation's result."""
        if self._consultation is not None:
            self._consultation.set()

    def nudge(self) -> None:
        """The state changed outside the loop (a facilitator's action): look at it again."""
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(None)
        if self._handing is not None and self._handing != self._seat():
            self._post(self.HandOverVoid(self))

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

    def apply(self, action: Action, by: Decider | None = None) -> list[Event]:
        """Decide, autosave and post the new position; an illegal action or a failed save is reported,
        not raised. `by`: who really decided, for the record (None: the seat's team or AI, or the
        facilitator for its own actions)."""
        if self.stopped:
            return []
        try:
            events = self.session.decide(action, by)
        except IllegalActionError as error:
            self.app.notify(str(error.reason), title="Not allowed", severity="error")
            return []
        if self.session.save_problem:
            self.app.notify(
                self.session.save_problem, title="The game could not be saved", severity="error", timeout=10
            )
        self._post(self.PositionChanged(self, self.session.state, events))
        if self.session.remote is not None:
            self.session.remote.changed()
        return events

    # --- the loop ------------------------------------------------------------------------------------

    def _seat(self) -> str | None:
        """Who decides now (a nation's or the adversary's id); None once the game is over."""
        pending = self.session.state.pending
        return None if pending is None else pending.seat

    async def _run(self) -> None:
        session = self.session
        deck = session.deck
        while True:
            await self._free.wait()
            if session.over:
                self._untime()
                self._post(self.GameOver(self))
                return
            decision = session.state.pending
            assert decision is not None
            if isinstance(decision, PositionDecision) and self._consultation is None:
                self._consultation = asyncio.Event()
                self._post(self.ConsultationOpened(self, session.state))
            seat = decision.seat
            name = seat_name(deck, seat)
            remote = session.remote
            action: Action | None
            by: Decider | None = None
            if remote is not None and seat in remote.seats:
                decided = await self._remote_decision(remote, seat, name)
                if decided is None:
                    continue  # a facilitator's action meanwhile: look again
                action, by = decided
            elif session.state.is_human(seat):
                if len(human_seats(session.state)) > 1 and seat != self.last_human:
                    # The adversary's hand is on the screen for its team only: the hand-over to it,
                    # and the one after it, hide everything until a key.
                    secret = deck.is_adversary(seat) or deck.is_adversary(self.last_human or "")
                    self._post(self.Waiting(self, f"Handing over to {name}…"))
                    self._handed_over.clear()
                    self._handing = seat
                    self._post(self.HandOver(self, name, decision_text(session.state), seat, secret))
                    await self._handed_over.wait()
                    self._handing = None
                    await self._free.wait()
                    if self._seat() != seat:
                        continue  # a facilitator's action meanwhile: someone else decides now
                self.last_human = seat
                self._answer = asyncio.get_running_loop().create_future()
                self._timed_out = False
                self._post(self.Asking(self, options_for(session.state, seat), seat, session.state))
                self._time(seat)
                action = await self._answer
                self._answer = None
                if action is None or self._seat() != seat:
                    continue
                self._untime()
                # The record says who really decided: the AI, when the team's time ran out.
                by = "ai-timeout" if self._timed_out else None
            else:
                persona = session.state.persona_of(seat)
                planning = isinstance(session.state.controllers.get(seat), Planner)
                doing = "is planning" if planning else "is deciding"
                self._post(self.Waiting(self, f"{name} (AI, {persona}) {doing}…"))
                await asyncio.sleep(self.ai_delay)
                await self._free.wait()
                if session.state.pending != decision:
                    continue  # a facilitator's action changed things meanwhile
                state = session.state
                if planning:
                    # The planner plays many futures to the end: in a thread, so the screen stays
                    # live meanwhile (the state is immutable, so the thread reads it safely).
                    action = await choose_in_thread(state, seat)
                    await self._free.wait()
                    if self.stopped or session.state is not state:
                        continue  # an undo or a facilitator's action meanwhile: decide afresh
                else:
                    action = ai.choose(state, seat)
            events = self.apply(action, by)
            consultation = self._consultation
            if consultation is not None and any(isinstance(e, ConsultationResolved) for e in events):
                await consultation.wait()  # the room reads the result first
                self._consultation = None

    async def _remote_decision(
        self, remote: Remote, seat: str, name: str
    ) -> tuple[Action, Decider | None] | None:
        """A seat on its own machine decides: wait for its decision over the network (timed like a
        team at the keyboard); None when a facilitator's action changed the decision meanwhile."""
        self._post(self.Waiting(self, f"{name} decides on its own screen…"))
        self._answer = asyncio.get_running_loop().create_future()
        self._timed_out = False
        waiting = asyncio.ensure_future(remote.decision(seat))
        self._remote_task = waiting

        def arrived(done: asyncio.Future[Action]) -> None:
            if not done.cancelled() and done.exception() is None:
                self.answer(done.result())

        waiting.add_done_callback(arrived)
        self._time(seat)
        try:
            action = await self._answer
        finally:
            waiting.cancel()
            self._remote_task, self._answer = None, None
        if action is None or self._seat() != seat:
            return None
        self._untime()
        return action, "ai-timeout" if self._timed_out else None

    # --- the decision timer ----------------------------------------------------------------------

    def _time(self, nation: str) -> None:
        """Time a human decision: a fresh countdown, unless this very decision is asked again (after
        a facilitator's action), whose countdown runs on."""
        clock = self.clock
        if clock is None:
            return
        pending = self.session.state.pending
        if clock.nation != nation or self._timed != pending:
            # A countdown the facilitator had paused (kept in the save) stays paused after a resume.
            kept = self.session.paused_timer
            clock.start(nation, kept, paused=kept is not None)
            self._timed, self._announced = pending, False
        self.tick()

    def _untime(self) -> None:
        """No decision is timed any more."""
        if self.clock is not None and self.clock.active:
            self.clock.stop()
            self._timed = None
            self._post(self.ClockChanged(self, None))

    def tick(self) -> None:
        """Post the countdown; when the time is up, say so (or let the AI decide)."""
        clock = self.clock
        if clock is None or self.stopped:
            return
        nation = clock.nation
        if nation is None or nation != self._seat():
            self._post(self.ClockChanged(self, None))
            return
        deck = self.session.deck
        name = seat_name(deck, nation)
        self._post(self.ClockChanged(self, clock_text(clock, name), clock.expired))
        if not clock.expired or self._announced:
            return
        self._announced = True
        if self.on_timeout == "ai" and self._answer is not None and not self._answer.done():
            red = deck.adversary
            persona = red.persona if red is not None and red.id == nation else deck.nation(nation).persona
            self.app.notify(f"Time is up for {name}: the AI decides for it, as a {persona}.", title="Time")
            self._post(self.Waiting(self, f"Time is up: the AI decides for {name}…"))
            self._timed_out = True
            self._answer.set_result(ai.choose(self.session.state, nation))
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
        # Saved, so that a resume after a crash finds the timer as the facilitator left it.
        self.session.keep_timer(clock.remaining if clock.paused else None)
        self.tick()
        if self.session.remote is not None:
            self.session.remote.changed()  # the seats' countdowns too
        return message
