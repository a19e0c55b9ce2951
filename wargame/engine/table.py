"""The table: a private, mutable working copy of a game state.

Changing one frozen state per step would be slow and would leave half-changed states around when a
step fails; instead each `apply` copies the state onto a table, works there, and freezes the result.
The state passed in is never touched. The lab keeps one table for a whole game and plays every
action on it in place (`engine.play`), freezing only the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from wargame.engine import prng
from wargame.engine.conditions import holds_all
from wargame.engine.interned import track_moved
from wargame.engine.postures import set_levels
from wargame.model import Board, Condition, Effect, GameState
from wargame.model.events import (
    AdversaryStatMoved,
    Cause,
    CauseKind,
    Event,
    GameEnded,
    Narrated,
    StatMoved,
)

#: The causes whose stat moves a quiet table still notes, in `told`: the lab counts what a response
#: or an investment did to the stats, and those moves are a small part of a game's.
_TOLD = frozenset((CauseKind.RESPONSE, CauseKind.ROLL, CauseKind.INVESTMENT))

#: The names of a game's fields, in order: a table copies them all, whatever they are.
_FIELDS = tuple(field.name for field in attrs.fields(GameState))


class Table(Board):
    """A game in the middle of being changed: a mutable `Board`, copied from a state field by field."""

    __slots__ = ("_undefeated", "_written", "events", "quiet", "told")

    # The fields this table changes in place rather than replacing: copied on the way in.
    tracks: dict[str, int]
    stats: dict[str, Mapping[str, int]]
    adversary_stats: dict[str, int]

    def __init__(self, state: GameState, *, quiet: bool = False) -> None:
        """A `quiet` table leaves out the events that only tell the story: stat moves (`StatMoved`,
        `AdversaryStatMoved`), passes, votes and answers to a proposal, purchases, narration, the
        rounds' starts and ends and the adversary's hand fills, two thirds of a game's events; it
        notes the stat moves a response or an investment caused in `told` instead. The game is the
        same; the lab, which counts none of the events left out, plays on quiet tables."""
        super().__init__(**{name: getattr(state, name) for name in _FIELDS})
        self.quiet = quiet
        self.tracks = dict(state.tracks)
        # Copy on write: a nation's stats are copied the first time this table changes them.
        self.stats = dict(state.stats)
        self.adversary_stats = dict(state.adversary_stats)
        self._written: dict[str, dict[str, int]] = {}
        self.events: list[Event] = []
        self.told: list[tuple[str | None, str, int, Cause]] = []
        """On a quiet table, the stat moves a response, its roll or an investment caused, as (nation,
        or None for the adversary; stat; change; cause): plain tuples, cheaper than events. Whoever
        reads them empties the list."""
        # Endings read only the tracks and the round: unless one of them changed, a defeat check
        # that found none still holds.
        self._undefeated = False

    def freeze(self) -> GameState:
        """The state this table now holds, as a new frozen value; play no more on this table."""
        return GameState(**{name: getattr(self, name) for name in _FIELDS})

    # Chance

    def below(self, bound: int) -> int:
        """A number in `range(bound)` from the engine's PRNG."""
        self.rng, value = prng.below(self.rng, bound)
        return value

    def shuffle(self, items: list[str]) -> None:
        """Shuffle in place (Fisher-Yates) with the engine's PRNG."""
        self.rng = prng.shuffle(self.rng, items)

    # Cards

    def draw(self) -> str:
        """Take the top card; when the draw pile is empty, the discard pile is shuffled into a new one."""
        if not self.draw_pile:
            pile = list(self.discard)
            self.shuffle(pile)
            self.draw_pile, self.discard = tuple(pile), ()
        card, self.draw_pile = self.draw_pile[0], self.draw_pile[1:]
        return card

    def discard_card(self, card: str) -> None:
        """Put a resolved card on the discard pile."""
        self.discard = (*self.discard, card)

    def put_on_top(self, card: str) -> None:
        """Move one copy of a card to the top of the draw pile: from the discard pile if a copy is
        there, else from within the draw pile, so cards are neither created nor lost."""
        if card in self.discard:
            discard = list(self.discard)
            discard.remove(card)
            self.discard = tuple(discard)
            self.draw_pile = (card, *self.draw_pile)
        else:
            pile = list(self.draw_pile)
            pile.remove(card)
            self.draw_pile = (card, *pile)

    def next_round(self) -> None:
        """Move on to the next round."""
        self.round += 1
        self._undefeated = False

    def record_history(self) -> None:
        """Append every track's value to its history."""
        self.history = {track: (*values, self.tracks[track]) for track, values in self.history.items()}

    def record_consultation(self, result: str) -> None:
        """Note that a consultation was held this round, and its result."""
        self.consultations = (*self.consultations, self.round)
        self.results = (*self.results, result)

    # Values

    def holds(
        self, conditions: Iterable[Condition], actor: str | None = None, target: str | None = None
    ) -> bool:
        """Whether every condition holds now."""
        return holds_all(conditions, self.tracks, self.stats, self.round, actor, target, self)

    def move_track(self, track: str, delta: int, cause: Cause) -> None:
        """Add `delta` to a track, clamped to its range."""
        bounds = self.deck.tracks[track]
        before = self.tracks[track]
        # Clamped by comparisons written out here and in the other moves, not by a helper: values
        # move hundreds of times a game.
        after = before + delta
        if after < bounds.min:
            after = bounds.min
        elif after > bounds.max:
            after = bounds.max
        if after != before:
            self.tracks[track] = after
            self._undefeated = False
            self.events.append(track_moved(track, before, after, cause))

    def move_stat(self, nation: str, stat: str, delta: int, cause: Cause) -> None:
        """Add `delta` to a nation's stat, clamped to its range."""
        bounds = self.deck.stats[stat]
        before = self.stats[nation][stat]
        after = before + delta
        if after < bounds.min:
            after = bounds.min
        elif after > bounds.max:
            after = bounds.max
        if after != before:
            values = self._written.get(nation)
            if values is None:
                values = self._written[nation] = dict(self.stats[nation])
                self.stats[nation] = values
            values[stat] = after
            if not self.quiet:
                self.events.append(StatMoved(nation, stat, before, after, cause))
            elif cause.kind in _TOLD:
                self.told.append((nation, stat, after - before, cause))

    def move_stats(self, nation: str, deltas: Mapping[str, int], cause: Cause) -> None:
        """Add each delta to a nation's stat, clamped to its range, in order: the same as
        `move_stat` for each, with the nation's values looked up once (an effect on every nation
        moves a few stats of each)."""
        ranges = self.deck.stats
        values = self._written.get(nation)
        current = self.stats[nation] if values is None else values
        for stat, delta in deltas.items():
            bounds = ranges[stat]
            before = current[stat]
            after = before + delta
            if after < bounds.min:
                after = bounds.min
            elif after > bounds.max:
                after = bounds.max
            if after != before:
                if values is None:
                    values = self._written[nation] = dict(current)
                    self.stats[nation] = current = values
                values[stat] = after
                if not self.quiet:
                    self.events.append(StatMoved(nation, stat, before, after, cause))
                elif cause.kind in _TOLD:
                    self.told.append((nation, stat, after - before, cause))

    def _move_every(self, deltas: Mapping[str, int], cause: Cause) -> None:
        """`move_stats` for every nation in turn order, the same moves in the same order."""
        ranges, written, stats = self.deck.stats, self._written, self.stats
        quiet, told = self.quiet, self.quiet and cause.kind in _TOLD
        # A stat already at the bound its delta moves it towards stays put: the stocks' refill finds
        # most nations full, and this skips the clamping for them.
        moves = []
        for stat, delta in deltas.items():
            low, high = ranges[stat].min, ranges[stat].max
            moves.append((stat, delta, high if delta > 0 else low, low, high))
        for nation in self.deck.nation_ids:
            values = written.get(nation)
            current = stats[nation] if values is None else values
            for stat, delta, full, low, high in moves:
                before = current[stat]
                if before == full:
                    continue
                after = before + delta
                if after < low:
                    after = low
                elif after > high:
                    after = high
                if after != before:
                    if values is None:
                        values = written[nation] = dict(current)
                        stats[nation] = current = values
                    values[stat] = after
                    if not quiet:
                        self.events.append(StatMoved(nation, stat, before, after, cause))
                    elif told:
                        self.told.append((nation, stat, after - before, cause))

    def pay_income(self, cause: Cause) -> None:
        """Add each nation's income to its treasury, in turn order: `move_stat` for each, in one loop
        (at every round's start; a call per nation cost more than the move)."""
        bounds = self.deck.stats["treasury"]
        low, high, written, stats = bounds.min, bounds.max, self._written, self.stats
        quiet, told = self.quiet, self.quiet and cause.kind in _TOLD
        for nation in self.deck.nation_ids:
            values = written.get(nation)
            current = stats[nation] if values is None else values
            before = current["treasury"]
            after = before + current["income"]
            if after < low:
                after = low
            elif after > high:
                after = high
            if after != before:
                if values is None:
                    values = written[nation] = dict(current)
                    stats[nation] = values
                values["treasury"] = after
                if not quiet:
                    self.events.append(StatMoved(nation, "treasury", before, after, cause))
                elif told:
                    self.told.append((nation, "treasury", after - before, cause))

    def move_adversary_stat(self, stat: str, delta: int, cause: Cause) -> None:
        """Add `delta` to one of the adversary's stats, clamped to its range."""
        adversary = self.deck.adversary
        if adversary is None:
            return
        bounds = adversary.stats[stat]
        before = self.adversary_stats[stat]
        after = before + delta
        if after < bounds.min:
            after = bounds.min
        elif after > bounds.max:
            after = bounds.max
        if after != before:
            self.adversary_stats[stat] = after
            if not self.quiet:
                self.events.append(AdversaryStatMoved(stat, before, after, cause))
            elif cause.kind in _TOLD:
                self.told.append((None, stat, after - before, cause))

    def apply_effect(self, effect: Effect, actor: str | None, target: str | None, cause: Cause) -> None:
        """Apply every delta of an effect; `actor`/`target` deltas need that nation to exist."""
        # Most effects move one or two kinds of value: an empty part is skipped without a loop.
        if effect.tracks:
            for track, delta in effect.tracks.items():
                self.move_track(track, delta, cause)
        if actor is not None and effect.actor:
            self.move_stats(actor, effect.actor, cause)
        if target is not None and effect.target:
            self.move_stats(target, effect.target, cause)
        if effect.all or effect.others:
            every, others = effect.all, effect.others
            if not others:
                # The stocks' refill moves every nation at every round's end: one loop, not a call
                # per nation.
                self._move_every(every, cause)
            else:
                for nation in self.deck.nations:
                    if every:
                        self.move_stats(nation.id, every, cause)
                    if nation.id != actor:
                        self.move_stats(nation.id, others, cause)
        if effect.adversary:
            for stat, delta in effect.adversary.items():
                self.move_adversary_stat(stat, delta, cause)
        if effect.postures:
            self.postures, moved = set_levels(self.deck, self.postures, effect.postures, cause)
            self.events.extend(moved)
        if effect.text and not self.quiet:
            self.events.append(Narrated(effect.text, cause))

    # Endings

    def end(self, ending: str, defeat: bool) -> None:
        """End the game with this ending."""
        self.ending = ending
        self.pending = None
        self.events.append(GameEnded(ending, defeat))

    def check_defeat(self) -> bool:
        """End the game if a defeat ending holds; return whether the game is over."""
        if self.ending is not None:
            return True
        if self._undefeated:
            return False
        bounds = self.deck.defeat_bounds
        if bounds is None:
            for ending in self.deck.defeats:
                if holds_all(ending.when, self.tracks, self.stats, self.round):
                    self.end(ending.id, defeat=True)
                    return True
        else:
            # `holds_all` written out for tracks' bounds: a game checks some fifty times.
            tracks = self.tracks
            for ending_id, tests in bounds:
                for track, low, high in tests:
                    value = tracks[track]
                    if value < low or value > high:
                        break
                else:
                    self.end(ending_id, defeat=True)
                    return True
        self._undefeated = True
        return False
