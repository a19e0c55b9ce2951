"""`wargame join ADDRESS [--code CODE]`: take a seat in a game a facilitator hosts (`wargame host`).

The same screens as `wargame play`, showing this seat's view and deciding only its decisions. Without
`--code` the first screen asks for the code (the browser seats' page shows the same screen: the host
runs `wargame join` for each browser under Textual's web driver, where stdin and stdout are pipes).
"""

from __future__ import annotations

import os

import click

from wargame.cli import main
from wargame.terminal import interactive
from wargame.tui.settings import THEMES

__all__ = ["join", "under_web_driver"]

#: The variable textual-serve (and `textual serve`) set for the app they run: Textual's web driver.
DRIVER_ENV = "TEXTUAL_DRIVER"


def under_web_driver() -> bool:
    """Whether the app runs under Textual's web driver (a browser seat): no terminal is needed."""
    return "web_driver" in os.environ.get(DRIVER_ENV, "")


@main.command()
@click.argument("address")
@click.option("--code", metavar="CODE", help="The seat code the facilitator gave the team.  [default: asked]")
@click.option(
    "--large-type",
    is_flag=True,
    help="The projector layout (the tracks above the card, no side panels): for a spectator's screen.",
)
@click.option("--theme", type=click.Choice(list(THEMES)), help="The screens' colours for this run.")
def join(address: str, code: str | None, large_type: bool, theme: str | None) -> None:
    """Take a seat in a hosted game: ADDRESS is what the host shows (e.g. 192.168.1.20:8765).

    A spectator's code (for the projector) shows the public view: the tracks, the postures, the log
    and whose turn it is. If the connection drops, the seat is taken again with the same code."""
    if not interactive() and not under_web_driver():
        raise click.ClickException(
            "joining needs an interactive terminal (its input and output are not a terminal)"
        )
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        raise click.ClickException("joining needs aiohttp: pip install 'eastern-flank[net]'") from None
    from wargame.tui.join import JoinApp
    from wargame.tui.screens.code import normal_code

    typed = normal_code(code) if code is not None else None
    where = "the host of this page" if under_web_driver() else None
    JoinApp(address, typed or None, theme=theme, large_type=large_type, where=where).run()
