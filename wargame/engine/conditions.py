"""Whether a deck's conditions hold: data, never code."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from wargame.engine.postures import level_of
from wargame.model import Board, Condition


def value_of(
    condition: Condition,
    tracks: Mapping[str, int],
    stats: Mapping[str, Mapping[str, int]],
    round_number: int,
    actor: str | None,
    target: str | None,
    board: Board | None = None,
) -> int | None:
    """The number a condition reads, or None when its subject has nothing to read (no nation, or a
    fact: `attribution` and `consultation` name facts, see `holds_all`)."""
    if condition.track is not None:
        return tracks[condition.track]
    if condition.actor is not None:
        return None if actor is None else stats[actor][condition.actor]
    if condition.target is not None:
        return None if target is None else stats[target][condition.target]
    if condition.adversary is not None:
        return None if board is None else board.adversary_stats.get(condition.adversary)
    if (
        condition.attribution is not None
        or condition.consultation is not None
        or condition.posture is not None
    ):
        return None
    return round_number


def holds_all(
    conditions: Iterable[Condition],
    tracks: Mapping[str, int],
    stats: Mapping[str, Mapping[str, int]],
    round_number: int,
    actor: str | None = None,
    target: str | None = None,
    board: Board | None = None,
) -> bool:
    """Whether every condition holds (true for none).

    `board` gives what the rarer subjects read (the adversary's stats, the card in play's revealed
    truth, the last consultation's result); without it they do not hold.
    """
    for condition in conditions:
        # `value_of`, written out: this runs for every candidate action of every decision.
        if condition.track is not None:
            value = tracks[condition.track]
        elif condition.actor is not None:
            if actor is None:
                return False
            value = stats[actor][condition.actor]
        elif condition.target is not None:
            if target is None:
                return False
            value = stats[target][condition.target]
        elif condition.adversary is not None:
            if board is None or condition.adversary not in board.adversary_stats:
                return False
            value = board.adversary_stats[condition.adversary]
        elif (
            condition.attribution is not None
            or condition.consultation is not None
            or condition.posture is not None
        ):
            if not holds_fact(condition, board):
                return False
            continue
        else:
            value = round_number
        if condition.min is not None and value < condition.min:
            return False
        if condition.max is not None and value > condition.max:
            return False
    return True


def holds_fact(condition: Condition, board: Board | None) -> bool:
    """Whether a condition naming a fact holds: the card in play's truth is revealed and is the one
    named (so a choice offered never gives a hidden truth away), the latest consultation ended
    with the result named, or the posture named stands at the level named."""
    if board is None:
        return False
    if condition.attribution is not None:
        incident = board.incidents[-1] if board.incidents else None
        return (
            incident is not None
            and incident.card == board.card
            and incident.is_revealed
            and incident.truth == condition.attribution
        )
    if condition.consultation is not None:
        return bool(board.results) and board.results[-1] == condition.consultation
    if condition.posture is not None:
        return level_of(board.deck, board.postures, condition.posture) == condition.level
    return False
