"""`wargame explain`: why each persona answers a card as it does, for deck designers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from wargame.cli import SEED, a_path, load_deck_or_exit, main

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from wargame.ai.explain import Reason, Summary
    from wargame.model import Board, Card, Deck, RespondDecision

#: How a reason reads: what changes, as the persona counts it.
_KINDS = {
    "track": "{subject} {change}",
    "stat": "own {subject} {change}",
    "objective": "objective on {subject} {change}",
}


@main.command()
@click.argument("deck_path", metavar="DECK", type=a_path())
@click.argument("card_id", metavar="CARD")
@click.option("--persona", "-p", help="Only this persona (default: each of the deck's).")
@click.option(
    "--nation",
    help="Only where this nation answers the card (for an alliance card, votes on it); default: any.",
)
@click.option(
    "--response",
    "-r",
    "response_id",
    help="Only this response: one line per persona, against the one it picks most.",
)
@click.option(
    "--games",
    "-n",
    default=200,
    show_default=True,
    type=click.IntRange(min=0),
    help="AI games to find the card in (0: read it once, in the state a game starts in).",
)
@click.option("--seed", "-s", default=1, show_default=True, type=SEED, help="Seed of the games.")
def explain(
    deck_path: Path,
    card_id: str,
    persona: str | None,
    nation: str | None,
    response_id: str | None,
    games: int,
    seed: int,
) -> None:
    """Why each persona answers CARD as it does: every response's worth to it, and what makes it.

    The card is read in every state where it came up in AI games played as `simulate` plays them
    (every seat on its deck default persona), as each persona would read it there: how often each
    response is offered and picked, its mean worth (what the AI compares: the best is picked, the
    first of equals), and what each expected change adds on average — a track or the nation's own
    stat at the persona's weight, the fear of a defeat ending, progress toward the nation's
    objectives.
    """
    from wargame.ai.explain import read_responses, summarise

    deck = load_deck_or_exit(deck_path)
    card = deck.card(_known(card_id, (card.id for card in deck.cards), "card"))
    personas = [_known(persona, deck.personas, "persona")] if persona else list(deck.personas)
    if response_id is not None:
        _known(response_id, (response.id for response in card.responses), f'response of card "{card.id}"')
    if nation is not None:
        _known(nation, (n.id for n in deck.nations), "nation")
    readings: dict[str, list[tuple[object, ...]]] = {persona_id: [] for persona_id in personas}
    deciders: dict[str, int] = {}
    where = f"in the states where it came up in {games} AI games (seed {seed})"
    states = _states(deck, card, nation, games, seed) if games else iter(())
    for state, decision in states:
        deciders[decision.nation] = deciders.get(decision.nation, 0) + 1
        for persona_id in personas:
            readings[persona_id].append(read_responses(state, decision, persona_id))
    if not deciders:
        # Never came up (or --games 0): read it once, at the start of a game, for the first nation
        # it may land on.
        where = f"never came up in {games} AI games; read instead " if games else ""
        state, decision = _at_start(deck, card, nation)
        where += f"in the state a game starts in ({_values(state, decision.nation)})"
        deciders[decision.nation] = 1
        for persona_id in personas:
            readings[persona_id].append(read_responses(state, decision, persona_id))
    who = ", ".join(f"{n} {count}" for n, count in deciders.items())
    states_read = sum(deciders.values())
    click.echo(f'"{card.title}" ({card.id}), {where}: {states_read} state(s), decided by {who}.')
    click.echo(
        "Each response: how often offered and picked, its mean worth to the persona (the best is picked,"
        "\nthe first of equals), and what each expected change adds on average."
    )
    for persona_id in personas:
        summaries = summarise(readings[persona_id])  # type: ignore[arg-type]
        top = max(summaries, key=lambda summary: summary.picked)
        if response_id is not None:
            summary = next(s for s in summaries if s.response == response_id)
            click.echo(f"{persona_id}: {_line(summary, top)}")
            continue
        click.echo(f"\n{persona_id}")
        width = max(len(summary.response) for summary in summaries)
        for summary in summaries:
            click.echo(f"  {summary.response:<{width}}  {_figures(summary)}  {_why(summary.reasons)}")


def _states(
    deck: Deck, card: Card, nation: str | None, games: int, seed: int
) -> Iterator[tuple[Board, RespondDecision]]:
    """Every state of `games` AI games where the card waits for an answer (or a vote) from `nation`
    (any nation when None); the state is read before the game goes on."""
    from wargame.ai import choose
    from wargame.engine import new_game, play
    from wargame.engine.table import Table
    from wargame.lab.runner import game_seed
    from wargame.model import RespondDecision

    for index in range(games):
        table = Table(new_game(deck, game_seed(seed, index)), quiet=True)
        while table.pending is not None:
            decision = table.pending
            if (
                isinstance(decision, RespondDecision)
                and decision.card == card.id
                and nation in (None, decision.nation)
            ):
                yield table, decision
            play(table, choose(table, decision.seat))


def _at_start(deck: Deck, card: Card, nation: str | None) -> tuple[Board, RespondDecision]:
    """The state a game starts in, with the card in play for `nation` (or the first it may land on)."""
    import attrs

    from wargame.engine import new_game
    from wargame.engine.adversary import targets
    from wargame.model import RespondDecision

    landing = targets(deck, card)
    vote = landing == (None,)
    if nation is None:
        nation = deck.nations[0].id if vote else str(landing[0])
    elif not vote and nation not in landing:
        allowed = ", ".join(str(target) for target in landing)
        raise click.ClickException(f'card "{card.id}" cannot land on "{nation}" (it may land on {allowed})')
    decision = RespondDecision(card.id, None if vote else nation, nation)
    return attrs.evolve(new_game(deck, 1), pending=decision), decision


def _values(state: Board, nation: str) -> str:
    tracks = ", ".join(f"{track} {value}" for track, value in state.tracks.items())
    own = ", ".join(f"{stat} {value}" for stat, value in state.stats[nation].items())
    return f"{tracks}; {nation}'s {own}"


def _known(word: str, known: Iterable[str], noun: str) -> str:
    """The word, if it is one of `known`; else an error that names the closest."""
    from wargame.storage.flaws import did_you_mean

    ids = list(known)
    if word not in ids:
        raise click.ClickException(f'unknown {noun} "{word}"{did_you_mean(word, ids)}')
    return word


def _figures(summary: Summary) -> str:
    if not summary.offered:
        return "never offered"
    share = 100 * summary.picked / summary.offered
    return f"offered {summary.offered}, picked {share:3.0f}%  {summary.worth:+.2f}"


def _why(reasons: tuple[Reason, ...]) -> str:
    return "; ".join(_reason(reason) for reason in reasons) or "changes nothing it weighs"


def _line(summary: Summary, top: Summary) -> str:
    if not summary.offered:
        return f"{summary.response} was never offered"
    share = 100 * summary.picked / summary.offered
    line = (
        f"{summary.response} picked in {share:.0f}% of {summary.offered} states, worth {summary.worth:+.2f}"
    )
    if top is not summary:
        line += f" against {top.response}'s {top.worth:+.2f}"
    return f"{line}: {_why(summary.reasons)}"


def _reason(reason: Reason) -> str:
    change = f"{reason.change:+.2f}".rstrip("0").rstrip(".")
    if reason.kind == "defeat":
        what = f"{'nearer' if reason.worth < 0 else 'further from'} defeat on {reason.subject}"
    else:
        what = _KINDS[reason.kind].format(subject=reason.subject, change=change)
    return f"{what} ({reason.worth:+.2f})"
