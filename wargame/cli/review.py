"""`wargame replay` and `wargame report`: a finished (or unfinished) game, told for the debrief."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from wargame.cli import main

if TYPE_CHECKING:
    from wargame.lab.chronicle import Chronicle
    from wargame.storage.saves import Save


FORCE_HELP = "For a save whose deck has changed since: replay as far as the deck allows."
DECK_HELP = (
    "The deck file, if it is no longer where the save says (default: the save's, else the bundled one)."
)


def _told(save_path: Path, force: bool, deck_path: Path | None) -> tuple[Save, Chronicle]:
    """Load, replay and verify a save, then tell it; a bad save is a clear error, exit 1."""
    from wargame.lab.chronicle import tell
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
    return save, tell(state.deck, save.seed, save.controllers, actions)


def _setup(save: Save, chronicle: Chronicle) -> dict[str, str]:
    from wargame.model import ChooseResponse, Invest, Pass, TakePosition

    deck = chronicle.state.deck
    decisions = sum(1 for a in save.actions if isinstance(a, ChooseResponse | TakePosition | Invest | Pass))
    steering = len(save.actions) - decisions
    players = ", ".join(f"{deck.nation(n).name}: {c}" for n, c in save.controllers.items())
    return {
        "Deck": f"{deck.info.title} v{deck.info.version} ({save.deck_path})",
        "Seed": str(save.seed),
        "Players": players,
        "Started": save.created.isoformat(timespec="minutes"),
        "Last saved": save.updated.isoformat(timespec="minutes"),
        "Decisions": f"{decisions}, and {steering} facilitator action(s)",
    }


@main.command()
@click.argument("save_path", metavar="SAVE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help=FORCE_HELP)
@click.option("--deck", "deck_path", type=click.Path(dir_okay=False, path_type=Path), help=DECK_HELP)
def replay(save_path: Path, force: bool, deck_path: Path | None) -> None:
    """Replay and verify a save, and print its timeline round by round."""
    save, chronicle = _told(save_path, force, deck_path)
    for key, value in _setup(save, chronicle).items():
        click.echo(f"{key}: {value}")
    current = None
    for entry in chronicle.entries:
        if entry.round != current:
            current = entry.round
            click.echo(f"\nRound {current}")
        click.echo(f"  {entry.text}")
    if not force:
        click.echo(f"\nVerified: {len(save.actions)} actions replay to the saved position.")


@main.command()
@click.argument("save_path", metavar="SAVE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Where to write it.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html"]),
    help="Markdown or HTML.  [default: from the output's suffix, else md]",
)
@click.option("--force", is_flag=True, help=FORCE_HELP)
@click.option("--deck", "deck_path", type=click.Path(dir_okay=False, path_type=Path), help=DECK_HELP)
def report(
    save_path: Path, output: Path | None, fmt: str | None, force: bool, deck_path: Path | None
) -> None:
    """Write the after-action report of a save for the debrief.

    The setup, the timeline round by round, the tracks over the rounds as a chart, the turning
    points, and the final scores. Markdown writes the chart beside the report as an SVG file;
    HTML holds it inline. OUTPUT defaults to the save's name with .md or .html.
    """
    from wargame.lab.report import history_to_the_end, html_report, markdown_report, tracks_svg

    fmt = fmt or ("html" if output is not None and output.suffix.lower() in (".html", ".htm") else "md")
    output = output or save_path.with_suffix(f".{fmt}")
    chart = output.with_name(output.stem + "-tracks.svg")
    if save_path.resolve() in (output.resolve(), chart.resolve()):
        raise click.UsageError(f"the report would overwrite the save {save_path}: choose another -o")
    save, chronicle = _told(save_path, force, deck_path)
    setup = _setup(save, chronicle)
    try:
        if fmt == "html":
            output.write_text(html_report(chronicle, setup), encoding="utf-8")
        else:
            state = chronicle.state
            chart.write_text(tracks_svg(state.deck, history_to_the_end(state)), encoding="utf-8")
            output.write_text(markdown_report(chronicle, setup, chart.name), encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror}") from None
    click.echo(f"Wrote the after-action report to {output}")
