"""Objectives and results: how each nation scores and how the game ended."""

from __future__ import annotations

from wargame.engine.conditions import holds_all
from wargame.model import GameState, Result, Score


def score(state: GameState, nation: str) -> Score:
    """The objectives this nation meets now (its final score once the alliance has held)."""
    met: list[str] = []
    missed: list[str] = []
    points = 0
    for objective in state.deck.nation(nation).objectives:
        if holds_all(objective.when, state.tracks, state.stats, state.round, nation, None, state):
            met.append(objective.id)
            points += objective.points
        else:
            missed.append(objective.id)
    return Score(nation, points, tuple(met), tuple(missed))


def result(state: GameState) -> Result:
    """How a finished game ended; on a defeat every nation scores 0 (the alliance lost together).

    Raises `ValueError` while the game is still going.
    """
    if state.ending is None:
        raise ValueError("the game is not over")
    ending = state.deck.ending(state.ending)
    defeat = ending.kind == "defeat"
    scores = []
    for nation in state.deck.nations:
        nation_score = score(state, nation.id)
        if defeat:
            nation_score = Score(nation.id, 0, (), tuple(o.id for o in nation.objectives))
        scores.append(nation_score)
    return Result(ending.id, defeat, tuple(scores), adversary_score(state))


def adversary_score(state: GameState) -> Score | None:
    """The adversary's objectives met now, or None when the deck has no adversary."""
    red = state.deck.adversary
    if red is None:
        return None
    met: list[str] = []
    missed: list[str] = []
    points = 0
    for objective in red.objectives:
        if holds_all(objective.when, state.tracks, state.stats, state.round, None, None, state):
            met.append(objective.id)
            points += objective.points
        else:
            missed.append(objective.id)
    return Score(red.id, points, tuple(met), tuple(missed))
