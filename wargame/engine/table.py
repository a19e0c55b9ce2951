"""The table: a private, mutable working copy of a game state for the length of one `apply`.

Changing one frozen state per step would be slow and would leave half-changed states around when a
step fails; instead each `apply` copies the state onto a table, works there, and freezes the result.
The state passed in is never touched.
"""

from __future__ import annotations

from collections.abc import Iterable

from wargame.engine import prng
from wargame.engine.conditions import holds_all
from wargame.model import Condition, Decision, Deck, Effect, GameState
from wargame.model.events import Event, GameEnded, Narrated, StatMoved, TrackMoved


class Table:
    """A game in the middle of being changed."""

    def __init__(self, state: GameState) -> None:
        self.origin = state
        self.deck: Deck = state.deck
        self.rng = state.rng
        self.round = state.round
        self.tracks = dict(state.tracks)
        self.stats = {nation: dict(values) for nation, values in state.stats.items()}
        self.draw_pile = list(state.draw_pile)
        self.discard = list(state.discard)
        self.draws_left = state.draws_left
        self.card = state.card
        self.target = state.target
        self.pending: Decision | None = state.pending
        self.history = {track: list(values) for track, values in state.history.items()}
        self.consultations = list(state.consultations)
        self.forced_roll = state.forced_roll
        self.ending = state.ending
        self.events: list[Event] = []

    def freeze(self) -> GameState:
        """The state this table now holds, as a new frozen value."""
        origin = self.origin
        return GameState(
            deck=origin.deck,
            seed=origin.seed,
            controllers=origin.controllers,
            rng=self.rng,
            round=self.round,
            tracks=self.tracks,
            stats=self.stats,
            draw_pile=tuple(self.draw_pile),
            discard=tuple(self.discard),
            draws_left=self.draws_left,
            card=self.card,
            target=self.target,
            pending=self.pending,
            history={track: tuple(values) for track, values in self.history.items()},
            consultations=tuple(self.consultations),
            forced_roll=self.forced_roll,
            ending=self.ending,
            turn=origin.turn + 1,
        )

    # Chance

    def below(self, bound: int) -> int:
        """A number in `range(bound)` from the engine's PRNG."""
        self.rng, value = prng.below(self.rng, bound)
        return value

    def shuffle(self, items: list[str]) -> None:
        """Shuffle in place (Fisher-Yates) with the engine's PRNG."""
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]

    # Values

    def holds(
        self, conditions: Iterable[Condition], actor: str | None = None, target: str | None = None
    ) -> bool:
        """Whether every condition holds now."""
        return holds_all(conditions, self.tracks, self.stats, self.round, actor, target)

    def move_track(self, track: str, delta: int, cause: str) -> None:
        """Add `delta` to a track, clamped to its range."""
        bounds = self.deck.tracks[track]
        before = self.tracks[track]
        after = min(bounds.max, max(bounds.min, before + delta))
        if after != before:
            self.tracks[track] = after
            self.events.append(TrackMoved(track, before, after, cause))

    def move_stat(self, nation: str, stat: str, delta: int, cause: str) -> None:
        """Add `delta` to a nation's stat, clamped to its range."""
        bounds = self.deck.stats[stat]
        values = self.stats[nation]
        before = values[stat]
        after = min(bounds.max, max(bounds.min, before + delta))
        if after != before:
            values[stat] = after
            self.events.append(StatMoved(nation, stat, before, after, cause))

    def apply_effect(self, effect: Effect, actor: str | None, target: str | None, cause: str) -> None:
        """Apply every delta of an effect; `actor`/`target` deltas need that nation to exist."""
        for track, delta in effect.tracks.items():
            self.move_track(track, delta, cause)
        if actor is not None:
            for stat, delta in effect.actor.items():
                self.move_stat(actor, stat, delta, cause)
        if target is not None:
            for stat, delta in effect.target.items():
                self.move_stat(target, stat, delta, cause)
        for nation in self.deck.nations:
            for stat, delta in effect.all.items():
                self.move_stat(nation.id, stat, delta, cause)
            if nation.id != actor:
                for stat, delta in effect.others.items():
                    self.move_stat(nation.id, stat, delta, cause)
        if effect.text:
            self.events.append(Narrated(effect.text, cause))

    # Endings

    def is_over(self) -> bool:
        """Whether an ending has been reached."""
        return self.ending is not None

    def end(self, ending: str, defeat: bool) -> None:
        """End the game with this ending."""
        self.ending = ending
        self.pending = None
        self.events.append(GameEnded(ending, defeat))

    def check_defeat(self) -> bool:
        """End the game if a defeat ending holds; return whether the game is over."""
        if self.ending is not None:
            return True
        for ending in self.deck.endings:
            if ending.kind == "defeat" and self.holds(ending.when):
                self.end(ending.id, defeat=True)
                return True
        return False
