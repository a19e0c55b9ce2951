"""`wargame replay` and `wargame report`: a finished (or unfinished) game, told for the debrief.

`replay` prints the facilitator's view, everything included: with an adversary, after the timeline,
what the adversary played (and the truth of each card it played, hidden from the nations when it was
played), the facilitator's vetoes and injections, each attribution revealed and each claim settled,
round by round, and its score once the game is over.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from wargame.cli import a_path, main

if TYPE_CHECKING:
    from wargame.lab.report import GameRecord
    from wargame.model import Deck, GameState
    from wargame.model.events import Event
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
    import attrs

    from wargame.lab.chronicle import tell
    from wargame.lab.report import setup

    save, record = _told(save_path, force, deck_path)
    chronicle = tell(record.deck, record.seed, record.controllers, record.actions, record.deciders)
    red = record.deck.adversary
    # The set-up names the nations' players; the adversary's gets a line of its own.
    nations = {seat: who for seat, who in record.controllers.items() if red is None or seat != red.id}
    for label, value in setup(attrs.evolve(record, controllers=nations)):
        click.echo(f"{label}: {value}")
    if red is not None:
        from wargame.lab.chronicle import controller_words
        from wargame.model import Scripted

        played_by = controller_words(
            record.deck, red.id, record.controllers.get(red.id, Scripted(red.persona))
        )
        click.echo(f"Adversary: {red.name}: {played_by}")
    current = None
    for entry in chronicle.entries:
        if entry.round != current:
            current = entry.round
            click.echo(f"\nRound {current}")
        click.echo(f"  {entry.text}")
    if red is not None:
        for line in _adversary_lines(record):
            click.echo(line)
    if not force and save.digest is not None:
        click.echo(
            f"\nVerified: {len(save.actions)} actions and their events replay to the saved game (digest)."
        )
    elif not force:
        click.echo(
            f"\nVerified: {len(save.actions)} actions replay to the saved position (a format {save.format}"
            " save has no digest: checked against its snapshot only)."
        )


def _adversary_lines(record: GameRecord) -> list[str]:
    """What the adversary did, as the facilitator saw it: each play with its truth, each veto and
    injection, each reveal and settled claim, round by round; then its score once the game is over."""
    from wargame.engine import apply, result, start_game
    from wargame.model import InjectCard, PlayCard, VetoCard
    from wargame.session.describe import quoted
    from wargame.session.facilitator import action_text

    deck = record.deck
    red = deck.adversary
    assert red is not None
    state, _ = start_game(deck, record.seed, record.controllers)
    lines = [f"\n{red.name}: its plays, and what came to light"]
    for action in record.actions:
        before = state
        state, events = apply(state, action)
        if isinstance(action, PlayCard | VetoCard | InjectCard):
            text = action_text(before, action)
            truth = _truth_drawn(before, state, action)
            lines.append(f"  Round {before.round}: {text[:1].upper()}{text[1:]}{truth}")
        lines.extend(f"  Round {before.round}: {text}" for text in _event_words(deck, events))
    if len(lines) == 1:
        lines.append("  nothing yet")
    hidden = [incident for incident in state.incidents if not incident.is_revealed]
    for incident in hidden:
        title = deck.card(incident.card).title
        lines.append(f"  Never revealed: {quoted(title)} (round {incident.round}) was {incident.truth}")
    if state.ending is not None:
        score = result(state).adversary
        if score is not None:
            met = ", ".join(score.met) or "none"
            lines.append(f"  {red.name}'s score: {score.points} (objectives met: {met})")
    return lines


def _truth_drawn(before: GameState, after: GameState, action: object) -> str:
    """The secret truth drawn as a played card came into play, for the facilitator's eyes."""
    from wargame.model import PlayCard

    if not isinstance(action, PlayCard) or len(after.incidents) == len(before.incidents):
        return ""
    return f" (in truth: {after.incidents[-1].truth}, hidden from the nations)"


def _event_words(deck: Deck, events: list[Event]) -> list[str]:
    """The attribution's events in words: a truth revealed, a claim settled."""
    from wargame.model.events import AttributionRevealed, ClaimProved
    from wargame.session.describe import quoted

    words = []
    for event in events:
        if isinstance(event, AttributionRevealed):
            title = deck.card(event.card).title
            words.append(f"Revealed: {quoted(title)} (round {event.round}) was {event.truth}")
        elif isinstance(event, ClaimProved):
            card = deck.card(event.card)
            who = "the alliance council" if event.nation is None else deck.nation(event.nation).name
            verdict = "wrong" if event.wrong else "right"
            words.append(
                f"{who[:1].upper()}{who[1:]}'s claim “{card.response(event.response).label}”"
                f" ({event.claimed}) on {quoted(card.title)} was {verdict}"
            )
    return words


#: The report's formats by the output's suffix; csv and json are the timeline, one row per decision.
_SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".csv": "csv", ".json": "json"}


@main.command()
@click.argument("save_path", metavar="SAVE", type=a_path())
@click.option(
    "-o", "--output", type=a_path(), help="Where to write it (csv and json: - for standard output)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "csv", "json"]),
    help="Markdown or HTML; or the timeline, one row per decision, as CSV or JSON."
    "  [default: from the output's suffix, else md]",
)
@click.option("--force", is_flag=True, help=FORCE_HELP)
@click.option("--deck", "deck_path", type=a_path(), help=DECK_HELP)
@click.option(
    "--counterfactual",
    is_flag=True,
    help='Add "Decisions that mattered": each alternative of the seats\' decisions played out in futures'
    " sampled from what the seat knew then (cached beside the save).",
)
@click.option(
    "--seats",
    metavar="POL,EST",
    help="The seats whose decisions --counterfactual judges  [default: the save's human seats]",
)
@click.option(
    "--rollouts",
    type=click.IntRange(2, 1000),
    default=None,
    help="Sampled futures per option for --counterfactual  [default: 24]",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes for --counterfactual.",
)
def report(
    save_path: Path,
    output: Path | None,
    fmt: str | None,
    force: bool,
    deck_path: Path | None,
    counterfactual: bool,
    seats: str | None,
    rollouts: int | None,
    jobs: int,
) -> None:
    """Write the after-action report of a save for the debrief.

    The setup, the timeline round by round, the tracks over the rounds as a chart and a table, the
    turning points, the final scores, each seat's decisions with their effects, and a table per
    consultation and council; with an adversary, what it played each round and why, and the
    attributions (every truth, hidden ones included, and the claims that turned out wrong). It is
    the facilitator's record. Markdown writes the chart beside the report as an SVG file;
    HTML holds it inline. OUTPUT defaults to the save's name with .md or .html.

    --format csv or json writes the timeline instead: one row per decision, with its turn, round,
    seat, who decided (team, ai, ai-timeout, facilitator), card, choice, roll and effects on the
    tracks; -o - writes it to standard output.

    --counterfactual adds "Decisions that mattered": for each decision of the seats (--seats, default
    the human ones), each legal option's expected alliance survival and the seat's expected score,
    with 95% confidence intervals, judged with what the team knew at the time; the five largest gaps
    first. The results are cached in SAVE.counterfactual.json, so a second report is instant.
    """
    from wargame.lab.report import ReportError, chart_beside, postures_chart_beside, write_report

    to_stdout = output is not None and str(output) == "-"
    if output is not None and not to_stdout and output.is_dir():
        raise click.ClickException(f"{output}: is a directory, not a file to write the report to")
    if fmt is None:
        fmt = "md" if output is None or to_stdout else _SUFFIXES.get(output.suffix.lower(), "md")
    if fmt in ("csv", "json"):
        _write_timeline(save_path, None if to_stdout else output, to_stdout, fmt, force, deck_path)
        return
    if to_stdout:
        raise click.UsageError("-o - writes the timeline (--format csv or json); the report needs a file")
    output = output or save_path.with_suffix(f".{fmt}")
    beside = (chart_beside(output).resolve(), postures_chart_beside(output).resolve())
    if save_path.resolve() in (output.resolve(), *beside):
        raise click.UsageError(f"the report would overwrite the save {save_path}: choose another -o")
    if not counterfactual and (seats is not None or rollouts is not None):
        raise click.UsageError("--seats and --rollouts go with --counterfactual")
    _, record = _told(save_path, force, deck_path)
    judged = _counterfactual(save_path, record, seats, rollouts, jobs) if counterfactual else None
    try:
        if fmt == "html":
            write_report(record, html=output, counterfactual=judged)
        else:
            write_report(record, markdown=output, counterfactual=judged)
    except ReportError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote the after-action report to {output}")


def _counterfactual(
    save_path: Path, record: GameRecord, seats: str | None, rollouts: int | None, jobs: int
) -> dict[str, Any]:
    """The section "Decisions that mattered": the seats' decisions judged (or read from the cache)."""
    import time

    from wargame.lab import counterfactual

    deck = record.deck
    if seats is None:
        chosen = counterfactual.human_seats(record)
        if not chosen:
            missing = (
                "This save has no human seats: name the seats to judge with --seats (e.g. --seats POL,EST)."
            )
            click.echo(f"{save_path}: {missing}", err=True)
            return counterfactual.section(None, [], 0, missing)
    else:
        chosen = [seat.strip() for seat in seats.split(",") if seat.strip()]
        known = [nation.id for nation in deck.nations]
        unknown = [seat for seat in chosen if seat not in known]
        if unknown or not chosen:
            raise click.BadParameter(
                f"{', '.join(unknown) or 'none given'}: not a nation of {deck.info.title}"
                f" (its nations: {', '.join(known)})",
                param_hint="--seats",
            )
    count = counterfactual.ROLLOUTS if rollouts is None else rollouts
    started = time.perf_counter()
    judgements, cached = counterfactual.judged(save_path, record, chosen, count, jobs)
    if cached:
        click.echo(f"Decisions that mattered: from {counterfactual.cache_beside(save_path)}", err=True)
    else:
        click.echo(
            f"Decisions that mattered: {len(judgements)} decisions judged, {count} futures an option,"
            f" in {time.perf_counter() - started:.1f} s",
            err=True,
        )
    return counterfactual.section(judgements, [deck.seat_name(seat) for seat in chosen], count)


def _write_timeline(
    save_path: Path, output: Path | None, to_stdout: bool, fmt: str, force: bool, deck_path: Path | None
) -> None:
    """The timeline of a save, one row per decision, as CSV or JSON: to standard output, or to
    `output` (default: the save's name with .csv or .json)."""
    from wargame.lab.timeline import timeline_csv, timeline_json, timeline_rows

    target = output or save_path.with_suffix(f".{fmt}")
    if not to_stdout and target.resolve() == save_path.resolve():
        raise click.UsageError(f"the timeline would overwrite the save {save_path}: choose another -o")
    _, record = _told(save_path, force, deck_path)
    rows = timeline_rows(record)
    text = timeline_csv(rows, record.deck) if fmt == "csv" else timeline_json(rows)
    if to_stdout:
        click.echo(text, nl=False)
        return
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {target}: {error.strerror or error}") from None
    click.echo(f"Wrote the timeline ({len(rows)} decisions) to {target}")
