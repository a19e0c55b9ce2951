"""The decision timer for workshops: a countdown on each human decision. No textual, and the clock is
injectable, so tests move time by hand.

    clock = DecisionClock(30)
    clock.start("POL")          # a fresh countdown for a new decision (a nation's, or the adversary's)
    clock.pause(); clock.resume()
    clock.hold(); clock.release()   # a menu is open: time stands still
    clock.expired, clock.remaining

Time runs only while a decision is timed, the facilitator has not paused it and no menu holds it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Literal

from wargame.model.turn_timer import check_turn_timer

__all__ = ["DecisionClock", "OnTimeout", "clock_text", "time_left"]

#: What happens when the time is up: the screen says so and waits, or the AI decides.
OnTimeout = Literal["wait", "ai"]


class DecisionClock:
    """A countdown of `limit` seconds that can be paused (by the facilitator) and held (by menus).

    `TurnTimerError` (a ValueError) if `limit` is outside `TURN_TIMER_MIN`..`TURN_TIMER_MAX`.
    """

    def __init__(self, limit: float, now: Callable[[], float] = time.monotonic) -> None:
        self.limit = check_turn_timer(limit)
        self._now = now
        self.nation: str | None = None
        """The seat whose decision is timed (a nation, or the adversary played by a red-cell team);
        None while no decision is."""
        self.paused = False
        self._holds = 0
        self._left = limit
        self._since: float | None = None  # when the clock last began to run

    @property
    def active(self) -> bool:
        """Whether a decision is being timed."""
        return self.nation is not None

    @property
    def remaining(self) -> float:
        """Seconds left, never below 0."""
        left = self._left
        if self._since is not None:
            left -= self._now() - self._since
        return max(left, 0.0)

    @property
    def expired(self) -> bool:
        """Whether the timed decision has run out of time."""
        return self.active and self.remaining <= 0

    def _change(self, change: Callable[[], None]) -> None:
        """Fold the time run so far into what is left, change, and run on if the clock may."""
        self._left = self.remaining
        change()
        running = self.active and not self.paused and not self._holds
        self._since = self._now() if running else None

    def start(self, nation: str, left: float | None = None, paused: bool = False) -> None:
        """A fresh countdown, running, for this seat's decision; or, resuming a saved game, the one
        it had: `left` seconds (at most the limit), paused if the facilitator had paused it."""

        def begin() -> None:
            self.nation, self.paused = nation, paused
            self._left = self.limit if left is None else min(max(left, 0.0), self.limit)

        self._change(begin)

    def stop(self) -> None:
        """No decision is timed any more."""
        self._change(lambda: setattr(self, "nation", None))

    def pause(self) -> None:
        """The facilitator stops the countdown."""
        self._change(lambda: setattr(self, "paused", True))

    def resume(self) -> None:
        """The facilitator lets the countdown run again."""
        self._change(lambda: setattr(self, "paused", False))

    def hold(self) -> None:
        """A menu opened over the game: time stands still until it closes."""

        def more() -> None:
            self._holds += 1

        self._change(more)

    def release(self) -> None:
        """A menu closed."""

        def fewer() -> None:
            self._holds = max(self._holds - 1, 0)

        self._change(fewer)


def time_left(seconds: float) -> str:
    """Seconds as a countdown shows them: `0:27`, `1:02:05` once there are hours (rounded up)."""
    minutes, whole = divmod(math.ceil(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{whole:02d}" if hours else f"{minutes}:{whole:02d}"


def clock_text(clock: DecisionClock, name: str) -> str:
    """The countdown in words: `Time left for Poland: 0:27` (`1:02:05` once there are hours), `Paused: …`,
    or `Time is up for Poland.`"""
    if clock.expired:
        return f"Time is up for {name}. (t: more time)"
    left = time_left(clock.remaining)
    if clock.paused:
        return f"Paused: {left} left for {name} (t resumes)"
    return f"Time left for {name}: {left} (t pauses)"
