"""`wargame deck ...`: commands for deck designers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from wargame.cli import a_path, main

if TYPE_CHECKING:
    from wargame.storage import Problem


@main.group()
def deck() -> None:
    """Work with deck files: check them, start a new one, get the JSON Schema for editors."""


@deck.command("check")
@click.argument("paths", nargs=-1, metavar="[PATH]...", type=a_path())
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one problem a line; json: a list of objects for tools.",
)
def deck_check(paths: tuple[Path, ...], strict: bool, output: str) -> None:
    """Check deck files and print every problem, one per line.

    Each problem reads FILE:LINE: PATH: message, where PATH is the place inside the deck
    (cards[3].responses[1].effects.tracks); warnings read FILE:LINE: PATH: warning: message. A
    deck with errors cannot be played; a warning points at something legal but probably not meant
    (a response that another beats on every count, a persona no nation uses, a card the adversary
    can never afford, ...). With no PATH, checks the decks that ship with the game. Exits with
    status 1 if any file has an error, or a warning with --strict.
    """
    import json

    from wargame.storage import bundled_decks
    from wargame.storage.converter import quote
    from wargame.storage.decks import read_deck

    if not paths:
        paths = tuple(bundled_decks())
        if not paths:
            raise click.ClickException("no PATH given and no bundled decks found")
    failed = False
    found: list[Problem] = []
    for path in paths:
        loaded, problems = read_deck(path)
        found.extend(problems)
        warnings = sum(1 for problem in problems if not problem.is_error)
        failed = failed or loaded is None or (strict and warnings > 0)
        if output != "text":
            continue
        for problem in problems:
            click.echo(str(problem))
        if loaded is not None and not (strict and warnings):
            counts = [_count(len(loaded.nations), "nation"), _count(len(loaded.cards), "card")]
            if warnings:
                counts.append(_count(warnings, "warning"))
            click.echo(f"{path}: ok — {quote(loaded.info.title)} v{loaded.info.version}, {', '.join(counts)}")
    if output == "json":
        click.echo(json.dumps([problem.as_json() for problem in found], indent=2, ensure_ascii=False))
    if failed:
        raise SystemExit(1)


@deck.command("schema")
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    type=a_path(),
    help="Write the schema to FILE (replacing it) instead of printing it.",
)
def deck_schema(output: Path | None) -> None:
    """Print the JSON Schema of deck files, for editors.

    Taplo and Even Better TOML use it for a deck whose first line points at it, as in
    `#:schema ./deck.schema.json` (a path relative to the deck). The schema is generated from the
    game's model, so it matches the version of the game that wrote it.
    """
    from wargame.storage.schema import schema_text

    text = schema_text()
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        reason = "no such folder" if isinstance(error, FileNotFoundError) else error.strerror or error
        raise click.ClickException(f'cannot write "{output}": {str(reason).lower()}') from None


@deck.command("new")
@click.argument("path", type=a_path())
@click.option("--title", help="Title of the deck.  [default: from PATH]")
@click.option(
    "--id", "deck_id", help="Id of the deck: letters (of any script), digits, dashes.  [default: from PATH]"
)
def deck_new(path: Path, title: str | None, deck_id: str | None) -> None:
    """Write a commented starter deck to PATH, to change into your own.

    The deck plays as it is and passes `wargame deck check`. Its first line points editors at
    deck.schema.json in the same folder, which is written too unless a file of that name is there
    already. Makes PATH's folder if it is missing. Never overwrites PATH.
    """
    import shlex
    import unicodedata

    from wargame.storage.deck_rules import DECK_ID
    from wargame.storage.decks import write_new_deck
    from wargame.storage.schema import SCHEMA_FILE

    if deck_id is not None:
        deck_id = unicodedata.normalize("NFC", deck_id)
    if deck_id is not None and not DECK_ID.fullmatch(deck_id):
        raise click.BadParameter(f'expected letters, digits and dashes, got "{deck_id}"', param_hint="--id")
    try:
        schema = write_new_deck(path, title, deck_id)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"wrote {path}: a starter deck; its comments say what each table does")
    beside = path.parent / SCHEMA_FILE
    if schema is not None:
        click.echo(f"wrote {schema}: the JSON Schema its #:schema line points editors at")
    else:
        click.echo(f"kept {beside} (refresh it with: wargame deck schema -o {beside})")
    shown = shlex.quote(str(path))  # to be copied into a shell: "Marea Neagră.toml" needs quotes
    click.echo(f"next: edit it, then run  wargame deck check {shown}  and  wargame simulate {shown}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
