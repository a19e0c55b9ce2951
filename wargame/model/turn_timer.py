"""The bounds of the turn timer, in one place for every entry: the command line's `--turn-timer`, the
save's `[save.facilitation] turn_timer` and the decision clock itself.

A day is far beyond any workshop's decision, and a second is the least a person can act in; outside
them a countdown is a typing slip (`inf`, `nan` and `1e308` once crashed the game or showed 300 digits).
"""

from __future__ import annotations

import math

__all__ = ["TURN_TIMER_MAX", "TURN_TIMER_MIN", "TurnTimerError", "check_turn_timer", "is_turn_timer"]

# The bounds themselves live in wargame/pace.py, which `wargame` reads before loading the model.
from wargame.pace import TURN_TIMER_MAX, TURN_TIMER_MIN


class TurnTimerError(ValueError):
    """A turn timer out of bounds (or not a number); the message quotes it."""


def is_turn_timer(seconds: float) -> bool:
    """Whether `seconds` is a turn timer within bounds (never true of nan or infinity)."""
    return math.isfinite(seconds) and TURN_TIMER_MIN <= seconds <= TURN_TIMER_MAX


def bounds_text() -> str:
    """`between 1 and 86400`, for messages."""
    return f"between {TURN_TIMER_MIN} and {TURN_TIMER_MAX}"


def check_turn_timer(seconds: float) -> float:
    """`seconds` if it is a turn timer within bounds, else `TurnTimerError` quoting it."""
    if not is_turn_timer(seconds):
        raise TurnTimerError(f"{seconds:g} is not a number of seconds {bounds_text()}")
    return seconds
