"""Sweeping a deck's parameters: one deck per combination of values, the same games on each.

    variations = [parse_variation("cards.estonia-migs.responses.shoot.cost=1,2,3,4")]
    variants = make_variants(deck_text, variations)          # one per combination, checked
    tallies = play_variants(variants, games=2000, jobs=2, seed=1, controllers={})

Game *i* of every variant has the same seed, so two variants differ by the parameter, not by luck
(common random numbers). The games of all variants share one pool of processes (or one cluster,
`wargame.lab.cluster`), so a sweep of 4 values × 2,000 games takes about as long as one `simulate`
of 8,000.
"""

from __future__ import annotations

import copy
import itertools
import multiprocessing
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import tomli_w
from attrs import frozen

from wargame.lab.runner import CHUNK, game_seed
from wargame.lab.tally import Tally, play_games
from wargame.model import Controller, Deck

__all__ = [
    "Variant",
    "Variation",
    "VariationError",
    "make_variants",
    "parse_variation",
    "play_chunk",
    "play_variants",
    "work_of",
]

#: A step of a path: a key, an index (`[2]`), or the id of an element of a list (`cards.estonia-migs`).
_STEP = re.compile(r'"(?P<quoted>[^"]*)"|(?P<bare>[^.\[\]"]+)|\[(?P<index>\d+)\]')


class VariationError(ValueError):
    """A `--vary` that cannot be applied: its message quotes it."""


@frozen
class Variation:
    """A place in the deck and the values it takes, one variant each."""

    path: str
    """As written, e.g. `cards.estonia-migs.responses.shoot.cost` or `cards[3].responses[1].cost`."""
    steps: tuple[str | int, ...]
    values: tuple[Any, ...]


@frozen
class Variant:
    """One deck of a sweep: the values it sets, and the deck."""

    values: tuple[tuple[str, Any], ...]
    """(path, value) for each variation, in the order given."""
    deck: Deck

    @property
    def label(self) -> str:
        """`path=value, ...`, with the values as TOML writes them."""
        return ", ".join(f"{path}={_toml_value(value)}" for path, value in self.values)


def parse_variation(text: str) -> Variation:
    """`PATH=V1,V2,...`: each value is read as TOML (`3`, `true`, `"x"`), and as a plain string when
    it is not one (`consensus`)."""
    path, equals, raw = text.partition("=")
    path = path.strip()
    if not equals or not path or not raw.strip():
        raise VariationError(f'"{text}": write PATH=VALUE,VALUE,... (e.g. cards.ID.responses.ID.cost=1,2,3)')
    steps = _steps(path, text)
    values = tuple(_value(part.strip()) for part in raw.split(","))
    if any(part.strip() == "" for part in raw.split(",")):
        raise VariationError(f'"{text}": an empty value')
    return Variation(path, steps, values)


def make_variants(text: str, variations: Sequence[Variation], name: str = "<deck>") -> list[Variant]:
    """The deck of each combination of the variations' values, in order (the last varies fastest).

    Raises `VariationError` when a path is not in the deck, or when a variant's deck has errors (each
    named with the variant and the place in the deck, as `deck check` names it).
    """
    base = tomllib.loads(text)
    variants: list[Variant] = []
    for combination in itertools.product(*(variation.values for variation in variations)):
        data = copy.deepcopy(base)
        values = tuple((v.path, value) for v, value in zip(variations, combination, strict=True))
        for variation, value in zip(variations, combination, strict=True):
            _set(data, variation, value)
        variants.append(Variant(values, _checked(data, name, values)))
    return variants


def _checked(data: dict[str, Any], name: str, values: tuple[tuple[str, Any], ...]) -> Deck:
    """The variant's deck, checked as `deck check` checks one for errors; built from the data, since
    reading TOML text again costs most of a deck's loading (a few tenths of a second)."""
    from wargame.storage import check_deck_text
    from wargame.storage.converter import converter
    from wargame.storage.deck_rules import check_rules

    try:
        deck = converter.structure(data, Deck)
        if not check_rules(deck):
            return deck
    except Exception:
        pass
    # Something is wrong: the check of the variant's text says what, and where.
    errors = [problem for problem in check_deck_text(tomli_w.dumps(data), name) if problem.is_error]
    label = ", ".join(f"{path}={_toml_value(value)}" for path, value in values)
    said = "; ".join(f"{p.path}: {p.message}" if p.path else p.message for p in errors) or "not a valid deck"
    raise VariationError(f"{name} with {label}: {said}")


def work_of(decks: int, games: int, seed: int) -> list[tuple[int, int, int, int]]:
    """The units of work of `games` games on each of `decks` decks: (deck, seed, first game, last
    game + 1), `CHUNK` games each, the decks' chunks interleaved so that every deck's figures fill
    in as the run goes."""
    chunks = [(start, min(start + CHUNK, games)) for start in range(0, games, CHUNK)]
    return [(index, seed, start, stop) for start, stop in chunks for index in range(decks)]


def play_variants(
    variants: Sequence[Variant],
    games: int,
    jobs: int,
    seed: int,
    controllers: Mapping[str, Controller],
    progress: Callable[[int], None] | None = None,
) -> list[Tally]:
    """Play `games` AI games on each variant, on `jobs` processes; a tally per variant, in order."""
    tallies = [Tally() for _ in variants]
    work = work_of(len(variants), games, seed)
    if jobs <= 1:
        for index, run_seed, start, stop in work:
            seeds = [game_seed(run_seed, i) for i in range(start, stop)]
            tallies[index].merge(play_games(variants[index].deck, seeds, controllers))
            if progress is not None:
                progress(stop - start)
        return tallies
    context = multiprocessing.get_context("spawn")
    decks = [variant.deck for variant in variants]
    tasks = ((index, run_seed, start, stop, dict(controllers)) for index, run_seed, start, stop in work)
    # Each process is sent the decks once, as objects: parsing each variant's TOML again in every
    # process would cost more than the games of a small sweep.
    with context.Pool(jobs, initializer=_hold, initargs=(decks,)) as pool:
        for index, tally, count in pool.imap_unordered(_play_task, tasks):
            tallies[index].merge(tally)
            if progress is not None:
                progress(count)
    return tallies


#: The decks of the sweep this process plays, in order.
_held: list[Deck] = []


def _hold(decks: list[Deck]) -> None:
    _held[:] = decks


def play_chunk(deck: Deck, seed: int, start: int, stop: int, controllers: Mapping[str, Controller]) -> Tally:
    """Games `start` to `stop - 1` of a run seeded `seed`, on this deck: the unit of work of a
    cluster's worker (everything it needs is in its arguments)."""
    return play_games(deck, [game_seed(seed, i) for i in range(start, stop)], controllers)


def _play_task(task: tuple[int, int, int, int, dict[str, Controller]]) -> tuple[int, Tally, int]:
    index, seed, start, stop, controllers = task
    return index, play_chunk(_held[index], seed, start, stop, controllers), stop - start


def _steps(path: str, text: str) -> tuple[str | int, ...]:
    steps: list[str | int] = []
    for part in path.split("."):
        position = 0
        while position < len(part):
            match = _STEP.match(part, position)
            if match is None or match.end() == position:
                raise VariationError(f'"{text}": cannot read the path "{path}"')
            if match["index"] is not None:
                steps.append(int(match["index"]))
            else:
                steps.append(match["quoted"] if match["quoted"] is not None else match["bare"])
            position = match.end()
    return tuple(steps)


def _set(data: dict[str, Any], variation: Variation, value: Any) -> None:
    """Set the value at the variation's path; every step but the last must be in the deck."""
    node: Any = data
    walked: list[str] = []
    *steps, last = variation.steps
    for step in steps:
        node = _step(node, step, variation, walked)
        walked.append(str(step))
    if isinstance(node, list):
        if isinstance(last, int) and last < len(node):
            node[last] = value
            return
        raise VariationError(
            f'"{variation.path}": "{".".join(walked)}" is a list; name an element by index or id'
        )
    if not isinstance(node, dict) or isinstance(last, int):
        raise VariationError(f'"{variation.path}": "{".".join(walked)}" holds no keys')
    node[last] = value


def _step(node: Any, step: str | int, variation: Variation, walked: list[str]) -> Any:
    where = ".".join(walked) or "the deck"
    if isinstance(node, list):
        if isinstance(step, int):
            if step < len(node):
                return node[step]
            raise VariationError(f'"{variation.path}": {where} has {len(node)} elements, no [{step}]')
        for element in node:
            if isinstance(element, dict) and element.get("id") == step:
                return element
        ids = [str(element.get("id")) for element in node if isinstance(element, dict) and "id" in element]
        raise VariationError(f'"{variation.path}": {where} has no "{step}"{_known(step, ids)}')
    if isinstance(node, dict) and isinstance(step, str):
        if step in node:
            return node[step]
        raise VariationError(f'"{variation.path}": {where} has no "{step}"{_known(step, list(node))}')
    raise VariationError(f'"{variation.path}": {where} holds no "{step}"')


def _known(word: str, ids: list[str]) -> str:
    from wargame.storage.flaws import did_you_mean

    return did_you_mean(word, ids) or (f" (it has {', '.join(ids)})" if ids and len(ids) <= 12 else "")


def _value(raw: str) -> Any:
    try:
        return tomllib.loads(f"value = {raw}")["value"]
    except tomllib.TOMLDecodeError:
        return raw


def _toml_value(value: Any) -> str:
    return tomli_w.dumps({"v": value}).partition("=")[2].strip()
