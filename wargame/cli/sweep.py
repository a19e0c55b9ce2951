"""`wargame sweep`: one deck, a parameter varied, the same games played on each variant."""

from __future__ import annotations

from pathlib import Path

import click

from wargame.cli import SEED, a_path, load_deck_or_exit, main


@main.command()
@click.argument("deck_path", metavar="DECK", type=a_path())
@click.option(
    "--vary",
    "varied",
    multiple=True,
    required=True,
    metavar="PATH=V1,V2,...",
    help="A place in the deck and its values, e.g. 'cards.estonia-migs.responses.shoot.cost=1,2,3,4'"
    " (ids or [index] for list elements, as `deck check` prints paths); several --vary play every"
    " combination.",
)
@click.option(
    "--games", "-n", default=1000, show_default=True, type=click.IntRange(min=1), help="Games per variant."
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Processes (default: one per core).")
@click.option("--seed", "-s", default=1, show_default=True, type=SEED, help="Seed of the whole run.")
@click.option("--persona", help="Every nation played by this AI persona (default: each nation's own).")
@click.option("--controllers", metavar="SEAT=ai:PERSONA,...", help="Some seats' personas, e.g. POL=ai:hawk.")
@click.option(
    "--json", "json_path", metavar="FILE", type=a_path(), help="Also write every variant's figures as JSON."
)
@click.option(
    "--html",
    "html_path",
    metavar="FILE",
    type=a_path(),
    help="Also write a page with a chart of the endings.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Play on the Dask cluster of this scheduler (e.g. tcp://10.0.0.5:8786;"
    " needs eastern-flank[cluster]).",
)
def sweep(
    deck_path: Path,
    varied: tuple[str, ...],
    games: int,
    jobs: int | None,
    seed: int,
    persona: str | None,
    controllers: str | None,
    json_path: Path | None,
    html_path: Path | None,
    scheduler: str | None,
) -> None:
    """Play the same games on each variant of DECK and print the figures side by side.

    Each --vary sets one place in the deck to each of its values in turn (several: every
    combination). Game i of every variant has the same seed, so the variants differ by the
    parameter, not by luck. A variant that is not a valid deck is refused before any game is played.
    """
    import json
    import os
    import shlex
    import sys
    import time

    from wargame.cli.lab import _lab_controllers
    from wargame.lab import summarise
    from wargame.lab.cluster import ClusterError, play_on_cluster
    from wargame.lab.sweep import VariationError, make_variants, parse_variation, play_variants, work_of
    from wargame.lab.sweep_page import sweep_html, sweep_text
    from wargame.storage.reading import DECK_LIMIT, read_capped

    deck = load_deck_or_exit(deck_path)
    chosen = _lab_controllers(deck, persona, controllers)
    try:
        variations = [parse_variation(text) for text in varied]
        text = read_capped(deck_path, DECK_LIMIT, "deck").decode("utf-8")
        variants = make_variants(text, variations, str(deck_path))
    except VariationError as error:
        raise click.ClickException(str(error)) from None
    jobs = jobs or os.cpu_count() or 1
    started = time.perf_counter()
    try:
        if scheduler is not None:
            work = work_of(len(variants), games, seed)
            tallies = play_on_cluster(scheduler, [v.deck for v in variants], work, chosen)
        else:
            tallies = play_variants(variants, games, jobs, seed, chosen)
    except ClusterError as error:
        raise click.ClickException(str(error)) from None
    seconds = time.perf_counter() - started
    figures = [
        summarise(v.deck, tally, seconds, seed, jobs).as_json()
        for v, tally in zip(variants, tallies, strict=True)
    ]
    labels = [variant.label for variant in variants]
    click.echo(sweep_text(deck, labels, figures, games, seconds))
    command = shlex.join(["wargame", "sweep", *sys.argv[2:]]) if len(sys.argv) > 1 else "wargame sweep"
    outputs = []
    if json_path is not None:
        data = {
            "deck": deck.info.id,
            "games": games,
            "seed": seed,
            "vary": [variation.path for variation in variations],
            "variants": [
                {"values": dict(variant.values), "label": variant.label, "figures": figure}
                for variant, figure in zip(variants, figures, strict=True)
            ],
        }
        outputs.append((json_path, json.dumps(data, indent=2) + "\n"))
    if html_path is not None:
        outputs.append((html_path, sweep_html(deck, labels, figures, command)))
    for path, content in outputs:
        try:
            path.write_text(content, encoding="utf-8")
        except OSError as error:
            raise click.ClickException(f"cannot write {path}: {error.strerror or error}") from None
