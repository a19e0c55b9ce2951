"""Whether a deck's conditions hold: data, never code."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from wargame.model import Condition


def value_of(
    condition: Condition,
    tracks: Mapping[str, int],
    stats: Mapping[str, Mapping[str, int]],
    round_number: int,
    actor: str | None,
    target: str | None,
) -> int | None:
    """The value a condition reads, or None when its subject has no nation to read."""
    if condition.track is not None:
        return tracks[condition.track]
    if condition.actor is not None:
        return None if actor is None else stats[actor][condition.actor]
    if condition.target is not None:
        return None if target is None else stats[target][condition.target]
    return round_number


def holds_all(
    conditions: Iterable[Condition],
    tracks: Mapping[str, int],
    stats: Mapping[str, Mapping[str, int]],
    round_number: int,
    actor: str | None = None,
    target: str | None = None,
) -> bool:
    """Whether every condition holds (true for none)."""
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
        else:
            value = round_number
        if condition.min is not None and value < condition.min:
            return False
        if condition.max is not None and value > condition.max:
            return False
    return True
