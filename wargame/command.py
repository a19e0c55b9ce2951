"""The `wargame` command's entry point (the console script, and `python -m wargame`).

`wargame` alone, at a terminal, opens the start screen without importing click: click and the
subcommands' modules cost some 40 ms before the first frame (benchmarks/startup.py). Everything else
(an option, a subcommand, `--help`, or no terminal, where `wargame` prints its help) goes to click's
`wargame.cli.main`, so it is exactly the command it always was.

Nothing here imports more than the standard library until it knows which way it goes.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from wargame.terminal import interactive

if TYPE_CHECKING:
    from wargame.tui.app import WargameApp

__all__ = ["interactive", "main"]


def main() -> None:
    """`wargame` as typed: the start screen at once when it is the whole command, else click."""
    if sys.argv[1:] or not interactive():
        from wargame.cli import main as command

        command(prog_name="wargame")
        return
    from wargame.tui.app import WargameApp

    _run(WargameApp())  # the start screen; its saves go to the working folder's saves/


def _run(app: WargameApp) -> None:
    """Run the app; then, as `wargame` does through click, say where the game is saved (or, with
    exit status 1, that its save file does not hold it)."""
    app.run()
    import click  # after the game: it no longer delays anything

    from wargame.cli.play import tell_where_saved

    try:
        tell_where_saved(app)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
