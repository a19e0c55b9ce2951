"""The pace of a session, in one place for the command line, the start screen, the save and the
clock: the pause before each AI decision, so the room can follow, and the bounds of the decision timer.

A minute is far beyond any pause a room needs; beyond it (or `inf`, `nan`) the game would seem to hang.
A day is far beyond any workshop's decision, and a second is the least a person can act in
(`wargame.model.turn_timer` checks a timer against these bounds).

A module of its own, importing nothing, so that `wargame` reads these numbers (for its help and its
start screen) without loading the game's model first.
"""

from __future__ import annotations

import math

__all__ = ["AI_DELAY", "AI_DELAY_MAX", "TURN_TIMER_MAX", "TURN_TIMER_MIN", "ai_delay_bounds", "is_ai_delay"]

#: The fewest seconds on the clock for one decision.
TURN_TIMER_MIN = 1
#: The most seconds on the clock for one decision: 24 hours.
TURN_TIMER_MAX = 24 * 60 * 60

#: Seconds between AI decisions by default.
AI_DELAY = 0.6
#: The longest pause, in seconds.
AI_DELAY_MAX = 60


def is_ai_delay(seconds: float) -> bool:
    """Whether `seconds` is a pause within bounds (never true of nan or infinity)."""
    return math.isfinite(seconds) and 0 <= seconds <= AI_DELAY_MAX


def ai_delay_bounds() -> str:
    """`between 0 and 60`, for messages."""
    return f"between 0 and {AI_DELAY_MAX}"
