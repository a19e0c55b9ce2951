"""`wargame`, `wargame play` and `wargame resume`: the terminal UI (being built, see issue 4)."""

from __future__ import annotations

import click


def open_start_screen() -> None:
    """Open the start screen (until the terminal UI lands: the help)."""
    click.echo(click.get_current_context().get_help())
