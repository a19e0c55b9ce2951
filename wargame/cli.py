"""The `wargame` command.

Commands import what they need inside their functions, so `wargame deck check` never pays for
loading the terminal UI (textual) and `wargame --help` loads almost nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from wargame.model import Deck

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


@main.command()
@click.argument("deck_path", metavar="[DECK]", required=False, type=click.Path(path_type=Path))
@click.option(
    "--games", "-n", default=1000, show_default=True, type=click.IntRange(min=1), help="Games to play."
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), help="Processes to play them on.  [default: the core count]"
)
@click.option("--seed", "-s", default=1, show_default=True, type=int, help="Seed of the whole run.")
@click.option(
    "--persona", "-p", metavar="PERSONA", help="Persona for every nation (default: each nation's own)."
)
@click.option(
    "--controllers",
    "-c",
    metavar="NATION=ai:PERSONA,...",
    help="Persona of particular nations, e.g. POL=ai:hawk,DEU=ai:dove (after --persona).",
)
@click.option(
    "--json",
    "json_path",
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="Also write the figures as JSON.",
)
def simulate(
    deck_path: Path | None,
    games: int,
    jobs: int | None,
    seed: int,
    persona: str | None,
    controllers: str | None,
    json_path: Path | None,
) -> None:
    """Play many AI games of a deck and report its balance.

    Prints the endings and their shares, each track's final distribution, how often each response
    was offered and chosen and what it did, consultation results, and balance warnings. DECK
    defaults to the bundled deck. Game i of a run always gets the same seed, so the figures do not
    depend on --jobs.
    """
    import json
    import os
    import sys
    import time

    from wargame.lab import format_report, summarise
    from wargame.lab import simulate as run

    path = deck_path or _bundled_deck()
    loaded = _load_deck_or_exit(path)
    chosen = _lab_controllers(loaded, persona, controllers)
    jobs = jobs or os.cpu_count() or 1
    started = time.perf_counter()
    if sys.stderr.isatty() and sys.stdout.isatty():
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("Playing", total=games)
            tally = run(path, games, jobs, seed, chosen, lambda n: bar.advance(task, n), deck=loaded)
    else:
        tally = run(path, games, jobs, seed, chosen, deck=loaded)
    summary = summarise(loaded, tally, time.perf_counter() - started, seed, jobs)
    click.echo(format_report(summary))
    if json_path is not None:
        try:
            json_path.write_text(json.dumps(summary.as_json(), indent=2) + "\n", encoding="utf-8")
        except OSError as error:
            raise click.ClickException(f"cannot write {json_path}: {error.strerror}") from None


def _bundled_deck() -> Path:
    from wargame.storage import bundled_deck_path

    try:
        return bundled_deck_path()
    except FileNotFoundError as error:
        raise click.ClickException(f"the bundled deck is missing: {error}") from None


def _load_deck_or_exit(path: Path) -> Deck:
    """The deck at `path`, or every problem on stderr and exit status 1."""
    from wargame.storage import DeckError, load_deck

    try:
        return load_deck(path)
    except DeckError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{path}: cannot be played until these problems are fixed", err=True)
        raise SystemExit(1) from None


def _lab_controllers(deck: Deck, persona: str | None, spec: str | None) -> dict[str, str]:
    """Controllers for AI-only games, from --persona and --controllers."""
    from wargame.engine import SetupError, new_game

    chosen = {nation.id: f"ai:{persona}" for nation in deck.nations} if persona else {}
    for item in (spec or "").split(","):
        if not item.strip():
            continue
        nation, sep, controller = (part.strip() for part in item.partition("="))
        if not sep or not controller.startswith("ai:"):
            raise click.BadParameter(
                f'"{item.strip()}" is not NATION=ai:PERSONA (the lab plays AI nations only)',
                param_hint="--controllers",
            )
        chosen[nation] = controller
    try:
        new_game(deck, 0, chosen)
    except SetupError as error:
        hint = "--persona" if persona and not spec else "--controllers"
        raise click.BadParameter(str(error), param_hint=hint) from None
    return chosen
