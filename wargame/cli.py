"""The `wargame` command.

Commands import what they need inside their functions, so `wargame deck check` never pays for
loading the terminal UI (textual) and `wargame --help` loads almost nothing.
"""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["main"]

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
@click.pass_context
def main(ctx: click.Context) -> None:
    """Eastern Flank: crisis games about NATO's eastern flank, played in the terminal."""
    if ctx.invoked_subcommand is None:
        # The start screen comes here once the terminal UI exists.
        click.echo(ctx.get_help())


@main.group()
def deck() -> None:
    """Work with deck files: check them."""


@deck.command("check")
@click.argument("paths", nargs=-1, metavar="[PATH]...", type=click.Path(path_type=Path))
def deck_check(paths: tuple[Path, ...]) -> None:
    """Check deck files and print every problem, one per line.

    With no PATH, checks the decks that ship with the game. Exits with status 1 if any file has a
    problem.
    """
    from wargame.storage import bundled_decks, check_deck, load_deck

    if not paths:
        paths = tuple(bundled_decks())
        if not paths:
            raise click.ClickException("no PATH given and no bundled decks found")
    failed = False
    for path in paths:
        problems = check_deck(path)
        for problem in problems:
            click.echo(str(problem))
        if any(problem.severity == "error" for problem in problems):
            failed = True
            continue
        loaded = load_deck(path)
        click.echo(
            f'{path}: ok — "{loaded.info.title}" v{loaded.info.version}, '
            f"{_count(len(loaded.nations), 'nation')}, {_count(len(loaded.cards), 'card')}"
        )
    if failed:
        raise SystemExit(1)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
