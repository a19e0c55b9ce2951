"""What a move is expected to change, and what that is worth to one government.

An outlook adds up effects, weighted by their probability, as seen by one nation: the alliance's
tracks, and that nation's own stats. A persona then values it: its weights, its nation's objectives,
and its fear of defeat.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence

from wargame.model import (
    Action,
    ConsultationResult,
    Controller,
    Deck,
    Effect,
    Invest,
    Investment,
    Pass,
    Persona,
    Position,
)
from wargame.model.deck import NO_STAT_COSTS

#: How close (in points) a track may come to a defeat ending before a government worries.
DANGER_MARGIN = 3.0
#: Value of one point of progress toward an objective, per objective point.
OBJECTIVE_WEIGHT = 0.3
#: How many appraisals a briefing keeps (a bundled-deck game meets a few hundred new ones at most).
MEMO_SIZE = 100_000


class Outlook:
    """Expected changes to the tracks and to one nation's own stats."""

    __slots__ = ("nation", "own", "tracks")

    def __init__(self, nation: str) -> None:
        self.nation = nation
        self.tracks: dict[str, float] = {}
        self.own: dict[str, float] = {}

    def add(self, effect: Effect, weight: float, actor: str | None, target: str | None) -> None:
        """Count an effect that happens with probability `weight` (see `Table.apply_effect`)."""
        tracks, own, me = self.tracks, self.own, self.nation
        for track, delta in effect.tracks.items():
            tracks[track] = tracks.get(track, 0.0) + weight * delta
        parts: list[Mapping[str, int]] = [effect.all]
        if actor == me:
            parts.append(effect.actor)
        else:
            parts.append(effect.others)
        if target == me:
            parts.append(effect.target)
        for part in parts:
            for stat, delta in part.items():
                own[stat] = own.get(stat, 0.0) + weight * delta

    def spend(self, amount: int, stat_costs: Mapping[str, int] = NO_STAT_COSTS) -> None:
        """Count a price paid out: `amount` of treasury, and what it asks of each other stat."""
        own = self.own
        own["treasury"] = own.get("treasury", 0.0) - amount
        for stat, cost in stat_costs.items():
            own[stat] = own.get(stat, 0.0) - cost


def danger(value: float, bounds: Sequence[tuple[float | None, float | None]]) -> float:
    """How close a track value is to its defeat bounds: 0 when far, growing as it nears them."""
    total = 0.0
    for low, high in bounds:
        # A defeat ending "track at least `low`" or "track at most `high`".
        distance = (low - value) if low is not None else (value - high if high is not None else 99.0)
        if distance < DANGER_MARGIN:
            total += (DANGER_MARGIN - distance) ** 2
    return total


#: A defeat bound on a track: (at least, at most), one of them None.
Bound = tuple[float | None, float | None]
Bounds = dict[str, list[Bound]]
#: An objective condition as the AI reads it: (weight, whether on a track, track or own stat, min, max).
Aim = tuple[float, bool, str, int | None, int | None]


#: A value the worth of an outlook depends on: (whether it is a track, else an own stat; its id; what
#: the outlook adds to the worth at each value it may hold).
Term = tuple[bool, str, dict[int, float]]
#: What an outlook is worth to one persona: a part that is the same in every state, and a term for
#: each track near a defeat ending or objective it moves.
Appraisal = tuple[float, tuple[Term, ...]]


#: Reads some values of a mapping at once.
Reader = Callable[[Mapping[str, int]], object]


def _nothing(values: Mapping[str, int]) -> None:
    return None


def _at_best(appraisal: Appraisal) -> float:
    """The most an appraisal is worth at any values: each term at its best, added as `wanted` adds."""
    fixed, terms = appraisal
    value = 0.0 + fixed
    for _, _, values in terms:
        value += max(values.values())
    return value


class Catalogue:
    """Every investment of a deck as one government sees it, and its worth at the values seen so far.

    An investment's worth depends on a few values only (the tracks and own stats its terms read), and
    they repeat: in the lab nine investment turns in ten meet values already seen.
    """

    __slots__ = (
        "_own_at",
        "_tracks_at",
        "actions",
        "appraisals",
        "floor",
        "hopeful",
        "items",
        "keys",
        "memo",
    )

    def __init__(
        self, nation: str, items: tuple[Investment, ...], appraisals: tuple[Appraisal, ...], floor: float
    ) -> None:
        self.items = items
        self.appraisals = appraisals
        self.floor = floor
        """What passing is worth: `wanted` leaves out the investments worth no more."""
        #: The investments that may be worth more than passing at some values, with their appraisals:
        #: those worth no more even at each term's best are never wanted, so never weighed (a float
        #: sum cannot grow when a part shrinks, so at its best is the most an investment is worth).
        self.hopeful: tuple[tuple[Investment, Appraisal], ...] = tuple(
            (item, appraisal)
            for item, appraisal in zip(items, appraisals, strict=True)
            if _at_best(appraisal) > floor
        )
        #: Every value a term of those reads, in a fixed order: what the worths depend on.
        self.keys: tuple[tuple[bool, str], ...] = tuple(
            dict.fromkeys((on_track, key) for _, (_, terms) in self.hopeful for on_track, key, _ in terms)
        )
        self.memo: dict[tuple[object, object], tuple[tuple[Investment, float], ...]] = {}
        #: The government's actions at its investment turn, by the investment it buys (None: it passes),
        #: made once.
        self.actions: dict[str | None, Action] = {None: Pass(nation)}
        self.actions.update((item.id, Invest(nation, item.id)) for item in items)
        # Reading those values, tracks and own stats apart, in C: this runs at every investment turn.
        on_tracks = [key for on_track, key in self.keys if on_track]
        own_stats = [key for on_track, key in self.keys if not on_track]
        self._tracks_at: Reader = operator.itemgetter(*on_tracks) if on_tracks else _nothing
        self._own_at: Reader = operator.itemgetter(*own_stats) if own_stats else _nothing

    def wanted(
        self, tracks: Mapping[str, int], own: Mapping[str, int]
    ) -> tuple[tuple[Investment, float], ...]:
        """The investments worth more than `floor` at these values, with their worths, in the deck's
        order (in the lab, six in ten are worth less than keeping the money)."""
        at = (self._tracks_at(tracks), self._own_at(own))
        found = self.memo.get(at)
        if found is None:
            wanted = []
            for item, (fixed, terms) in self.hopeful:
                # As `ai._best` adds them, in the same order, so that the sums are the same floats.
                value = 0.0 + fixed
                for on_track, key, values in terms:
                    value += values[tracks[key] if on_track else own[key]]
                if value > self.floor:
                    wanted.append((item, value))
            if len(self.memo) >= MEMO_SIZE // 10:
                self.memo.clear()
            found = self.memo[at] = tuple(wanted)
        return found


class Briefing:
    """What the AI works out once per deck: defeat bounds, objectives, and the appraisals that depend
    on the deck alone (an investment's, a response's at a given chance), memoised."""

    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.bounds = defeat_bounds(deck)
        self.aims: dict[str, tuple[Aim, ...]] = {
            nation.id: tuple(
                (OBJECTIVE_WEIGHT * objective.points, c.track is not None, key, c.min, c.max)
                for objective in nation.objectives
                for c in objective.when
                if (key := c.track or c.actor) is not None
            )
            for nation in deck.nations
        }
        #: (nation, persona id) to what each investment is worth to that government.
        self.catalogues: dict[tuple[str, str], Catalogue] = {}
        #: Other appraisals that depend on the deck alone, by what they are of (see `ai.choose`).
        self.appraisals: dict[tuple[object, ...], Appraisal] = {}
        #: (invoker, every nation's persona id) to each other nation and its expected leaning.
        self.leanings: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, Position], ...]] = {}
        #: The same key to the result a consultation the invoker opened is expected to reach.
        self.expected: dict[tuple[str, tuple[str, ...]], ConsultationResult] = {}
        #: The options of a decision with what they are worth, by what they depend on (see
        #: `ai._positions` and `ai._answers`): as a choice, its appraisal and the persona's bias.
        self.options: dict[tuple[object, ...], tuple[tuple[str, Appraisal, float], ...]] = {}
        #: The controllers last seen, and every nation's persona id under them: a game keeps one
        #: mapping of controllers from start to end, so this is worked out once a game.
        self.seated: Mapping[str, Controller] | None = None
        self.seating: tuple[str, ...] = ()
        self.persona_ids: dict[str, str] = {}

    def keep(
        self, key: tuple[object, ...], options: tuple[tuple[str, Appraisal, float], ...]
    ) -> tuple[tuple[str, Appraisal, float], ...]:
        """Memoise a decision's options; the memo is emptied when full, so memory stays flat."""
        if len(self.options) >= MEMO_SIZE // 10:
            self.options.clear()
        self.options[key] = options
        return options

    def remember(self, key: tuple[object, ...], appraisal: Appraisal) -> Appraisal:
        """Memoise an appraisal; the memo is emptied when full, so memory stays flat."""
        if len(self.appraisals) >= MEMO_SIZE:
            self.appraisals.clear()
        self.appraisals[key] = appraisal
        return appraisal


def defeat_bounds(deck: Deck) -> Bounds:
    """Track id to the bounds its defeat endings set: (min, None) for "at least", (None, max)."""
    bounds: Bounds = {}
    for ending in deck.defeats:
        for condition in ending.when:
            if condition.track is None:
                continue
            pair = (
                None if condition.min is None else float(condition.min),
                None if condition.max is None else float(condition.max),
            )
            bounds.setdefault(condition.track, []).append(pair)
    return bounds


def appraise(outlook: Outlook, persona: Persona, briefing: Briefing) -> Appraisal:
    """The persona's view of an outlook, worked out for every value the tracks and stats may hold, so
    that what it is worth in a given state is a few look-ups: its fixed part, plus for each term what
    it adds at the value that track or own stat holds now."""
    fixed = 0.0
    for track, delta in outlook.tracks.items():
        fixed += persona.tracks.get(track, 0.0) * delta
    for stat, delta in outlook.own.items():
        fixed += persona.stats.get(stat, 0.0) * delta
    deck = briefing.deck
    terms: dict[tuple[bool, str], dict[int, float]] = {}
    for track, delta in outlook.tracks.items():
        if delta and track in briefing.bounds:
            bounds = briefing.bounds[track]
            # The fear of defeat: what the move adds to the danger, in proportion to risk aversion.
            terms[True, track] = {
                before: fear(persona, bounds, before, delta) for before in _values(deck, True, track)
            }
    for weight, on_track, key, low, high in briefing.aims[outlook.nation]:
        delta = (outlook.tracks if on_track else outlook.own).get(key, 0.0)
        if delta:
            # Progress toward an objective: how much nearer the value comes to its range.
            nearer = {
                before: progress(weight, low, high, before, delta) for before in _values(deck, on_track, key)
            }
            known = terms.setdefault((on_track, key), dict.fromkeys(nearer, 0.0))
            for before, value in nearer.items():
                known[before] += value
    return fixed, tuple((on_track, key, values) for (on_track, key), values in terms.items())


def fear(persona: Persona, bounds: Sequence[Bound], before: int, delta: float) -> float:
    """The fear of defeat: what a move of `delta` from `before` adds to a track's danger, in
    proportion to the persona's risk aversion (negative when it nears a defeat ending)."""
    return -persona.risk_aversion * (danger(before + delta, bounds) - danger(before, bounds))


def progress(weight: float, low: int | None, high: int | None, before: int, delta: float) -> float:
    """Progress toward an objective's range [low, high]: how much nearer a move brings the value."""
    return weight * (gap(before, low, high) - gap(before + delta, low, high))


def _values(deck: Deck, on_track: bool, key: str) -> range:
    """Every value a track or stat may hold (the engine keeps them within their ranges)."""
    span = deck.tracks[key] if on_track else deck.stats[key]
    return range(span.min, span.max + 1)


def gap(value: float, low: int | None, high: int | None) -> float:
    """How far a value is from lying within [low, high]."""
    if low is not None and value < low:
        return low - value
    if high is not None and value > high:
        return value - high
    return 0.0
