"""Whether a person is at a terminal: asked by the `wargame` command before it imports anything else,
and by the play commands before they open the UI. Only the standard library, so that both may ask."""

from __future__ import annotations

import sys

__all__ = ["interactive"]


def interactive() -> bool:
    """Whether a person is at a terminal: the UI reads the keyboard (stdin) and draws on stderr."""
    stderr = sys.__stderr__
    return sys.stdin.isatty() and stderr is not None and stderr.isatty()
