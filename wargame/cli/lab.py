"""`wargame simulate`: the simulation lab for deck designers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from wargame.cli import SEED, a_path, bundled_deck, load_deck_or_exit, main, planner_rollouts_option

if TYPE_CHECKING:
    from wargame.lab import Tally
    from wargame.model import Controller, Deck


@main.command()
@click.argument("deck_path", metavar="[DECK]", required=False, type=a_path())
@click.option(
    "--games", "-n", default=1000, show_default=True, type=click.IntRange(min=1), help="Games to play."
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), help="Processes to play them on.  [default: the core count]"
)
@click.option("--seed", "-s", default=1, show_default=True, type=SEED, help="Seed of the whole run.")
@click.option(
    "--persona", "-p", metavar="PERSONA", help="Persona for every nation (default: each nation's own)."
)
@click.option(
    "--controllers",
    "-c",
    metavar="NATION=ai:PERSONA,...",
    help="Persona of particular nations, e.g. POL=ai:hawk,DEU=ai:dove (after --persona);"
    " ai:PERSONA:planner for the planning AI, e.g. POL=ai:hawk:planner (slow: about 0.1 s a decision).",
)
@click.option(
    "--adversary",
    "-a",
    metavar="ai:PERSONA",
    help="Red persona of the deck's adversary, e.g. ai:escalator, or ai:escalator:planner for the"
    " planning AI (default: the deck's).",
)
@planner_rollouts_option
@click.option(
    "--json",
    "json_path",
    metavar="FILE",
    type=a_path(),
    help="Also write the figures as JSON.",
)
@click.option(
    "--save-games",
    metavar="DIR",
    type=a_path(),
    help="Also save every game there as game-NNNNN.toml (for replay, report or resume).",
)
@click.option(
    "--baseline",
    metavar="FILE",
    type=a_path(),
    help="Compare with an earlier run: its --json FILE, or a deck FILE (.toml) played with the same"
    " games, seed and seats; significant changes are marked.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Play on the Dask cluster of this scheduler (e.g. tcp://10.0.0.5:8786;"
    " needs eastern-flank[cluster]).",
)
def simulate(
    deck_path: Path | None,
    games: int,
    jobs: int | None,
    seed: int,
    persona: str | None,
    controllers: str | None,
    adversary: str | None,
    planner_rollouts: int | None,
    json_path: Path | None,
    save_games: Path | None,
    scheduler: str | None,
    baseline: Path | None,
) -> None:
    """Play many AI games of a deck and report its balance.

    Prints the endings and their shares, each track's final distribution, how often each response
    was offered and chosen and what it did, consultation results, what the adversary played and
    where, the attributions drawn and revealed, and balance warnings. DECK
    defaults to the bundled deck. Game i of a run always gets the same seed, so the figures do not
    depend on --jobs.
    """
    import json
    import os
    import time

    from wargame.lab import format_report, summarise

    path = deck_path or bundled_deck()
    loaded = load_deck_or_exit(path)
    chosen = _lab_controllers(loaded, persona, controllers)
    red_persona = _red_persona(loaded, adversary, chosen)
    from wargame.model import with_rollouts

    chosen = with_rollouts(chosen, planner_rollouts)
    jobs = jobs or os.cpu_count() or 1
    if save_games is not None:
        try:
            save_games.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            reason = "it is a file" if save_games.is_file() else _reason(error)
            raise click.ClickException(f"cannot save the games in {save_games}: {reason}") from None
    if scheduler is not None and save_games is not None:
        raise click.ClickException("--save-games plays on this machine: leave out --scheduler to save games")
    started = time.perf_counter()
    from wargame.lab.cluster import ClusterError
    from wargame.storage.saves import SaveError

    try:
        if scheduler is not None:
            tally = _play_on_cluster(scheduler, loaded, games, seed, chosen)
        else:
            tally = _play(path, games, jobs, seed, chosen, loaded, save_games)
    except SaveError as error:
        raise click.ClickException(f"cannot save a game: {error}") from None
    except ClusterError as error:
        raise click.ClickException(str(error)) from None
    summary = summarise(loaded, tally, time.perf_counter() - started, seed, jobs, red_persona)
    click.echo(format_report(summary))
    if baseline is not None:
        from wargame.lab.compare import compare, format_changes

        before = _baseline(baseline, games, jobs, seed, chosen, red_persona)
        changes = compare(before, summary.as_json(), [ending.id for ending in loaded.defeats])
        click.echo("\n" + format_changes(changes, str(baseline)))
    if save_games is not None:
        click.echo(f"Saved every game in {save_games}/ as game-00000.toml … game-{games - 1:05d}.toml")
    if json_path is not None:
        try:
            json_path.write_text(json.dumps(summary.as_json(), indent=2) + "\n", encoding="utf-8")
        except OSError as error:
            raise click.ClickException(f"cannot write {json_path}: {_reason(error)}") from None


def _reason(error: OSError) -> str:
    text = str(error.strerror or error)
    return text[:1].lower() + text[1:]


def _play(
    path: Path,
    games: int,
    jobs: int,
    seed: int,
    chosen: dict[str, Controller],
    loaded: Deck,
    save_games: Path | None,
) -> Tally:
    """Run the games, with a progress bar when both outputs are a terminal."""
    import sys

    from wargame.lab import simulate as run

    if sys.stderr.isatty() and sys.stdout.isatty():
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("Playing", total=games)
            return run(path, games, jobs, seed, chosen, lambda n: bar.advance(task, n), loaded, save_games)
    return run(path, games, jobs, seed, chosen, deck=loaded, save_games=save_games)


def _baseline(
    path: Path, games: int, jobs: int, seed: int, chosen: dict[str, Controller], red_persona: str | None
) -> dict[str, Any]:
    """A baseline's figures: read from an earlier run's JSON, or played from a deck with this run's
    games, seed and seats."""
    import json
    import time

    from wargame.lab import summarise

    if path.suffix.lower() != ".toml":
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise click.ClickException(f"cannot read the baseline {path}: {error}") from None
        except ValueError as error:
            raise click.ClickException(
                f"{path}: not the JSON of `wargame simulate --json`: {error}"
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("games"), int) or "endings" not in data:
            raise click.ClickException(
                f"{path}: not the JSON of `wargame simulate --json` (no games or endings)"
            )
        return data
    old = load_deck_or_exit(path)
    started = time.perf_counter()
    tally = _play(path, games, jobs, seed, chosen, old, None)
    return summarise(old, tally, time.perf_counter() - started, seed, jobs, red_persona).as_json()


def _play_on_cluster(
    scheduler: str, deck: Deck, games: int, seed: int, chosen: dict[str, Controller]
) -> Tally:
    """Run the games on a Dask cluster: the deck goes to the workers, the same chunks and seeds as on
    local processes, so the same figures."""
    from wargame.lab.cluster import play_on_cluster
    from wargame.lab.sweep import work_of

    return play_on_cluster(scheduler, [deck], work_of(1, games, seed), chosen)[0]


def _red_persona(deck: Deck, text: str | None, chosen: dict[str, Controller]) -> str | None:
    """The adversary's persona from --adversary (set in `chosen`), else from --controllers; None for
    the deck's default or a deck without an adversary."""
    from wargame.model import ControllerError, Scripted, parse_controller, persona_in

    red = deck.adversary
    if text is None:
        return None if red is None else persona_in(chosen.get(red.id, Scripted(red.persona)))
    if red is None:
        raise click.BadParameter(
            f'the deck "{deck.info.id}" has no adversary (no [adversary] table): its cards are drawn blind',
            param_hint="--adversary",
        )
    personas = ", ".join(f"ai:{persona}" for persona in red.personas)
    try:
        controller = parse_controller(text.strip())
    except ControllerError:
        controller = None
    if not isinstance(controller, Scripted) or controller.persona not in red.personas:
        why = (
            "the lab plays AI seats only"
            if text.strip() == "human"
            else f'"{text}" is not a red persona of {red.name}'
        )
        raise click.BadParameter(
            f"{why} (choose one of {personas}; ai:PERSONA:planner for the planning AI)",
            param_hint="--adversary",
        )
    chosen[red.id] = controller
    return controller.persona


def _lab_controllers(deck: Deck, persona: str | None, spec: str | None) -> dict[str, Controller]:
    """Controllers for AI-only games, from --persona and --controllers."""
    from wargame.engine import SetupError, new_game
    from wargame.model import ControllerError, Scripted, parse_controller

    if persona is not None and persona not in deck.personas:
        raise click.BadParameter(
            f'unknown persona "{persona}" (the deck has {", ".join(deck.personas)})', param_hint="--persona"
        )
    chosen: dict[str, Controller] = {}
    if persona is not None:
        chosen = {nation.id: Scripted(persona) for nation in deck.nations}
    for item in (spec or "").split(","):
        if not item.strip():
            continue
        nation, sep, text = (part.strip() for part in item.partition("="))
        try:
            controller = parse_controller(text) if sep else None
        except ControllerError:
            controller = None
        if not isinstance(controller, Scripted):
            raise click.BadParameter(
                f'"{item.strip()}" is not NATION=ai:PERSONA or NATION=ai:PERSONA:planner'
                " (the lab plays AI nations only)",
                param_hint="--controllers",
            )
        chosen[nation] = controller
    try:
        new_game(deck, 0, chosen)
    except SetupError as error:
        raise click.BadParameter(str(error), param_hint="--controllers") from None
    return chosen
