"""`wargame deck ...`: commands for deck designers."""

from __future__ import annotations

from pathlib import Path

import click

from wargame.cli import main


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
