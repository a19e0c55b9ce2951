"""The pause before each AI decision, so the room can follow: its default and bounds, in one place for
the command line's `--ai-delay` and the start screen's field.

A minute is far beyond any pause a room needs; beyond it (or `inf`, `nan`) the game would seem to hang.
"""

from __future__ import annotations

import math

__all__ = ["AI_DELAY", "AI_DELAY_MAX", "ai_delay_bounds", "is_ai_delay"]

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
