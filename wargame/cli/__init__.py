"""The `wargame` command, one module per family of subcommands.

Commands import what they need inside their functions, so `wargame deck check` never pays for
loading the terminal UI (textual) and `wargame --help` loads almost nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from wargame.tui.settings import THEMES

if TYPE_CHECKING:
    from wargame.model import Deck

__all__ = ["SEED", "a_path", "main", "planner_rollouts_option"]

DISTRIBUTION = "eastern-flank"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        pass
    # A source checkout that was never installed: the version is in pyproject.toml beside it.
    import tomllib

    import wargame

    pyproject = Path(wargame.__file__).parent.parent / "pyproject.toml"
    try:
        return str(tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"])
    except (OSError, ValueError, KeyError):
        return "unknown"


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"wargame {_version()}")
        ctx.exit()


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
@click.option(
    "--theme",
    type=click.Choice(list(THEMES)),
    help="The screens' colours for this run (the start screen's; the theme chosen in the command"
    " palette is kept between sessions).",
)
@click.pass_context
def main(ctx: click.Context, theme: str | None) -> None:
    """Eastern Flank: crisis games about NATO's eastern flank, played in the terminal."""
    if ctx.invoked_subcommand is None:
        from wargame.cli.play import open_start_screen

        open_start_screen(theme)


#: `--planner-rollouts N`, for the commands that seat planners (`simulate`, `play`).
planner_rollouts_option = click.option(
    "--planner-rollouts",
    metavar="N",
    type=click.IntRange(min=1),
    help="Sampled futures per option for every planner that names none (ai:PERSONA:planner:N does)."
    "  [default: 12 for a nation, 8 for the adversary]",
)


def a_path() -> click.Path:
    """A path argument or option that click leaves alone: whether it exists and can be read is for
    the storage layer to say, as `FILE: what is wrong` and exit status 1 (click's own checks give a
    usage error and status 2, and think root can read every file)."""
    return click.Path(path_type=Path, readable=False)


#: A seed a save can hold: TOML integers are 64-bit signed.
SEED = click.IntRange(-(2**63), 2**63 - 1)


def load_deck_or_exit(path: Path) -> Deck:
    """The deck at `path`, or every problem on stderr and exit status 1."""
    from wargame.storage import DeckError, load_deck

    try:
        return load_deck(path)
    except DeckError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{path}: cannot be played until these problems are fixed", err=True)
        raise SystemExit(1) from None


def bundled_deck() -> Path:
    """The bundled deck's path, or a clear error."""
    from wargame.storage import bundled_deck_path

    try:
        return bundled_deck_path()
    except FileNotFoundError as error:
        raise click.ClickException(f"the bundled deck is missing: {error}") from None


# The subcommands register themselves on `main` when imported.
from wargame.cli import deck, explain, host, join, lab, play, review, sweep  # noqa: E402, F401
