"""`wargame replay` and `wargame report`: a finished (or unfinished) game, told for the debrief."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from wargame.cli import a_path, main

if TYPE_CHECKING:
    from wargame.lab.report import GameRecord
    from wargame.storage.saves import Save


FORCE_HELP = "For a save whose deck has changed since: replay as far as the deck allows."
DECK_HELP = (
    "The deck file, if it is no longer where the save says (default: the save's, else the bundled one)."
)


def _told(save_path: Path, force: bool, deck_path: Path | None) -> tuple[Save, GameRecord]:
    """Load, replay and verify a save; a bad save is a clear error, exit 1. The record holds the
    actions that replay (with --force, those before the first that no longer does)."""
    from wargame.lab.report import GameRecord
    from wargame.storage.saves import SaveError, force_load_game, load_game

    try:
        if force:
            save, state, how_far = force_load_game(save_path, deck_path)
            click.echo(f"{save_path}: {how_far}", err=True)
            actions = save.actions[: state.turn]
        else:
            save, state = load_game(save_path, deck_path)
            actions = save.actions
    except SaveError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(1) from None
    return save, GameRecord.of_save(save, state.deck, actions)


@main.command()
@click.argument("save_path", metavar="SAVE", type=a_path())
@click.option("--force", is_flag=True, help=FORCE_HELP)
@click.option("--deck", "deck_path", type=a_path(), help=DECK_HELP)
def replay(save_path: Path, force: bool, deck_path: Path | None) -> None:
    """Replay and verify a save, and print its timeline round by round."""
    from wargame.lab.chronicle import tell
    from wargame.lab.report import setup

    save, record = _told(save_path, force, deck_path)
    chronicle = tell(record.deck, record.seed, record.controllers, record.actions)
    for label, value in setup(record):
        click.echo(f"{label}: {value}")
    current = None
    for entry in chronicle.entries:
        if entry.round != current:
            current = entry.round
            click.echo(f"\nRound {current}")
        click.echo(f"  {entry.text}")
    if not force and save.digest is not None:
        click.echo(
            f"\nVerified: {len(save.actions)} actions and their events replay to the saved game (digest)."
        )
    elif not force:
        click.echo(
            f"\nVerified: {len(save.actions)} actions replay to the saved position (a format {save.format}"
            " save has no digest: checked against its snapshot only)."
        )


@main.command()
@click.argument("save_path", metavar="SAVE", type=a_path())
@click.option("-o", "--output", type=a_path(), help="Where to write it.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html"]),
    help="Markdown or HTML.  [default: from the output's suffix, else md]",
)
@click.option("--force", is_flag=True, help=FORCE_HELP)
@click.option("--deck", "deck_path", type=a_path(), help=DECK_HELP)
def report(
    save_path: Path, output: Path | None, fmt: str | None, force: bool, deck_path: Path | None
) -> None:
    """Write the after-action report of a save for the debrief.

    The setup, the timeline round by round, the tracks over the rounds as a chart, the turning
    points, and the final scores; with an adversary, what it played each round and why, and the
    attributions (every truth, hidden ones included, and the claims that turned out wrong). It is
    the facilitator's record. Markdown writes the chart beside the report as an SVG file;
    HTML holds it inline. OUTPUT defaults to the save's name with .md or .html.
    """
    from wargame.lab.report import ReportError, chart_beside, write_report

    if output is not None and output.is_dir():
        raise click.ClickException(f"{output}: is a directory, not a file to write the report to")
    fmt = fmt or ("html" if output is not None and output.suffix.lower() in (".html", ".htm") else "md")
    output = output or save_path.with_suffix(f".{fmt}")
    if save_path.resolve() in (output.resolve(), chart_beside(output).resolve()):
        raise click.UsageError(f"the report would overwrite the save {save_path}: choose another -o")
    _, record = _told(save_path, force, deck_path)
    try:
        if fmt == "html":
            write_report(record, html=output)
        else:
            write_report(record, markdown=output)
    except ReportError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote the after-action report to {output}")
