"""`wargame explain`: why each persona answers a card as it does, for deck designers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from wargame.cli import a_path, load_deck_or_exit, main

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from wargame.ai.explain import Reading, Reason
    from wargame.model import Card, Deck

#: How a reason reads: what changes, as the persona counts it.
_KINDS = {"track": "{subject} {change}", "stat": "own {subject} {change}"}


@main.command()
@click.argument("deck_path", metavar="DECK", type=a_path())
@click.argument("card_id", metavar="CARD")
@click.option("--persona", "-p", help="Only this persona (default: each of the deck's).")
@click.option(
    "--nation",
    help="The nation that answers, or votes for an alliance card (default: the first the card may land on).",
)
@click.option(
    "--response",
    "-r",
    "response_id",
    help="Only this response: one line per persona, against the one it picks.",
)
def explain(
    deck_path: Path, card_id: str, persona: str | None, nation: str | None, response_id: str | None
) -> None:
    """Why each persona answers CARD as it does: every response's worth to it, and what makes it.

    The worths are what the AI compares (the best wins, the first of equals), in the state a game
    starts in, with the card in play for the nation; each is split into what every expected change
    adds: a track or the nation's own stat at the persona's weight, the fear of a defeat ending, and
    progress toward the nation's objectives.
    """
    import attrs

    from wargame.ai.explain import chosen, read_responses
    from wargame.engine import new_game
    from wargame.engine.adversary import targets
    from wargame.model import RespondDecision

    deck = load_deck_or_exit(deck_path)
    card = deck.card(_known(card_id, (card.id for card in deck.cards), "card"))
    personas = [_known(persona, deck.personas, "persona")] if persona else list(deck.personas)
    if response_id is not None:
        _known(response_id, (response.id for response in card.responses), f'response of card "{card.id}"')
    landing = targets(deck, card)
    vote = landing == (None,)
    if nation is None:
        nation = deck.nations[0].id if vote else str(landing[0])
    elif not vote and nation not in landing:
        allowed = ", ".join(str(target) for target in landing)
        raise click.ClickException(f'card "{card.id}" cannot land on "{nation}" (it may land on {allowed})')
    else:
        _known(nation, (n.id for n in deck.nations), "nation")
    start = new_game(deck, 1)
    decision = RespondDecision(card.id, None if vote else nation, nation)
    state = attrs.evolve(start, pending=decision)
    click.echo(_heading(deck, card, nation, vote, state.tracks, state.stats[nation]))
    for persona_id in personas:
        readings = read_responses(state, decision, persona_id)
        pick = chosen(readings)
        if response_id is not None:
            reading = next(r for r in readings if r.response == response_id)
            click.echo(f"{persona_id}: {_one_line(reading, pick)}")
            continue
        click.echo(f"\n{persona_id} picks {pick.response}")
        width = max(len(reading.response) for reading in readings)
        for reading in readings:
            mark = "*" if reading is pick else " "
            click.echo(f"  {mark} {reading.response:<{width}}  {_worth_and_why(reading)}")


def _known(word: str, known: Iterable[str], noun: str) -> str:
    """The word, if it is one of `known`; else a usage error that names the closest."""
    from wargame.storage.flaws import did_you_mean

    ids = list(known)
    if word not in ids:
        raise click.ClickException(f'unknown {noun} "{word}"{did_you_mean(word, ids)}')
    return word


def _heading(
    deck: Deck, card: Card, nation: str, vote: bool, tracks: Mapping[str, int], own: Mapping[str, int]
) -> str:
    who = f"{deck.nation(nation).name} ({nation})"
    at = ", ".join(f"{track} {value}" for track, value in tracks.items())
    stats = ", ".join(f"{stat} {value}" for stat, value in own.items())
    role = f"as {who} votes in the alliance council" if vote else f"as {who} answers it"
    return (
        f'Why the AI answers "{card.title}" ({card.id}) as it does, {role}, in the state a game starts in:'
        f"\n  tracks {at}; {nation}'s {stats}."
        "\n  Each response: its worth to the persona (the best is picked, the first of equals), then"
        "\n  what each expected change adds — a track or own stat at the persona's weight, the fear"
        "\n  of a defeat ending, progress toward the nation's objectives."
    )


def _worth_and_why(reading: Reading) -> str:
    if reading.refusal is not None:
        return f"not offered: {reading.refusal}"
    why = "; ".join(_reason(reason) for reason in reading.reasons) or "changes nothing it weighs"
    return f"{reading.worth:+.2f}  {why}"


def _one_line(reading: Reading, pick: Reading) -> str:
    if reading is pick:
        return f"picks {reading.response} ({_worth_and_why(reading)})"
    return f"{reading.response} {_worth_and_why(reading)}; it picks {pick.response} ({pick.worth:+.2f})"


def _reason(reason: Reason) -> str:
    change = f"{reason.change:+.2f}".rstrip("0").rstrip(".")
    if reason.kind == "defeat":
        what = f"{'nearer' if reason.worth < 0 else 'further from'} defeat on {reason.subject}"
    elif reason.kind == "objective":
        what = f"objective on {reason.subject} {change}"
    else:
        what = _KINDS[reason.kind].format(subject=reason.subject, change=change)
    return f"{what} ({reason.worth:+.2f})"
