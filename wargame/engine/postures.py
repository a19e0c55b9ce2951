"""Postures: policy that lasts. A deck's `[postures.<id>]` names levels; effects set them,
conditions test them, and the level a posture stands at adds to a response's chance and cost.

The state holds only the postures set since the start (`Board.postures`); any other stands at its
deck's `start`. A deck without postures never reaches this module's loops: callers test
`deck.postures` first, so such a game costs what it did before.
"""

from __future__ import annotations

from collections.abc import Mapping

from wargame.model import Board, Deck, PostureLevel
from wargame.model.events import Cause, PostureSet


def level_of(deck: Deck, postures: Mapping[str, str], posture: str) -> str:
    """The id of the level a posture stands at."""
    return postures.get(posture) or deck.postures[posture].start


def levels_now(deck: Deck, postures: Mapping[str, str]) -> list[tuple[str, PostureLevel]]:
    """Each of the deck's postures, in its order, with the level it stands at."""
    return [
        (posture_id, posture.level(level_of(deck, postures, posture_id)))
        for posture_id, posture in deck.postures.items()
    ]


def chance_bonus(board: Board, response: str) -> int:
    """The points the postures, at their levels now, add to a response's percent chance."""
    return modifiers(board.deck, board.postures)[0].get(response, 0)


def extra_cost(board: Board, response: str) -> int:
    """The treasury the postures, at their levels now, add to a response's cost."""
    return modifiers(board.deck, board.postures)[1].get(response, 0)


def modifiers(deck: Deck, postures: Mapping[str, str]) -> tuple[Mapping[str, int], Mapping[str, int]]:
    """What the postures, at these levels, add to each response's chance and to its cost.

    Worked out once per deck and set of levels (a game meets a handful): the engine asks it of every
    response it offers, and the AI of every response it weighs.
    """
    global _last
    last = _last  # one read of one tuple: another thread (the TUI's planner) may replace it
    if last is not None and last[0] is postures and last[1] is deck:
        # The same levels as last asked, by identity: a state's postures are replaced, never
        # changed in place (`set_levels`), and the engine, the AI and the lab ask several times a
        # decision. Held here, so that no other mapping can take the same address.
        return last[2]
    key = tuple(postures.items())
    found = deck.posture_modifiers.get(key)
    if found is None:
        chance: dict[str, int] = {}
        cost: dict[str, int] = {}
        for _, level in levels_now(deck, postures):
            for response, points in level.chance.items():
                chance[response] = chance.get(response, 0) + points
            for response, amount in level.cost.items():
                cost[response] = cost.get(response, 0) + amount
        found = deck.posture_modifiers[key] = (chance, cost)
    _last = (postures, deck, found)
    return found


#: The postures, deck and answer `modifiers` gave last.
_last: tuple[Mapping[str, str], Deck, tuple[Mapping[str, int], Mapping[str, int]]] | None = None


def set_levels(
    deck: Deck, postures: Mapping[str, str], changes: Mapping[str, str], cause: Cause
) -> tuple[dict[str, str], list[PostureSet]]:
    """The postures after an effect sets these levels, and an event for each that moved."""
    after = dict(postures)
    events: list[PostureSet] = []
    for posture, level in changes.items():
        before = level_of(deck, after, posture)
        if level != before:
            after[posture] = level
            events.append(PostureSet(posture, before, level, cause))
    return after, events
