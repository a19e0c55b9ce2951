"""Spreading games over processes, tallying them as they finish."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping
from pathlib import Path

from wargame.engine import prng
from wargame.lab.tally import Tally, play_games
from wargame.model import Action, Controller, Deck, GameState

#: Games per unit of work sent to a process: small enough for a smooth progress bar and an even
#: split, large enough that sending results back costs little.
CHUNK = 50

_worker_deck: Deck | None = None
_worker_saver: GameSaver | None = None


def game_seed(seed: int, index: int) -> int:
    """The seed of game `index` in a run seeded `seed`: well mixed, and below 2**63 (a TOML integer)."""
    _, value = prng.next_value(prng.seed_state(seed) ^ prng.seed_state(index * 0xD1B54A32D192ED03))
    return value >> 1


def simulate(
    deck_path: Path,
    games: int,
    jobs: int,
    seed: int,
    controllers: Mapping[str, Controller],
    progress: Callable[[int], None] | None = None,
    deck: Deck | None = None,
    save_games: Path | None = None,
) -> Tally:
    """Play `games` AI games on `jobs` processes; `progress(n)` is told of every n games finished.

    With one job the games run in this process. The deck is loaded from `deck_path` by each worker
    (`deck`, when given, saves loading it here). With `save_games`, game i is saved there as
    `game-<i>.toml`, by the process that played it.
    """
    from wargame.storage import load_deck

    chunks = [(start, min(start + CHUNK, games)) for start in range(0, games, CHUNK)]
    total = Tally()
    if jobs <= 1:
        loaded = deck or load_deck(deck_path)
        keep = GameSaver(deck_path, loaded, save_games) if save_games else None
        for start, stop in chunks:
            seeds = [game_seed(seed, i) for i in range(start, stop)]
            total.merge(play_games(loaded, seeds, controllers, keep, start))
            if progress is not None:
                progress(stop - start)
        return total
    # Spawned, not forked: the same on every platform, and safe beside a progress bar's thread.
    context = multiprocessing.get_context("spawn")
    work = ((seed, start, stop, dict(controllers)) for start, stop in chunks)
    setup = (str(deck_path), str(save_games) if save_games else None)
    with context.Pool(jobs, initializer=_load_worker_deck, initargs=setup) as pool:
        for part, count in pool.imap_unordered(_play_chunk, work):
            total.merge(part)
            if progress is not None:
                progress(count)
    return total


class GameSaver:
    """Writes each finished game as a save, so a designer can open game 37 (replay, report, resume)."""

    def __init__(self, deck_path: Path, deck: Deck, folder: Path) -> None:
        self.deck_path, self.deck, self.folder = deck_path, deck, folder

    def __call__(self, index: int, state: GameState, actions: list[Action]) -> None:
        from wargame.storage.saves import make_save, write_save

        write_save(
            self.folder / f"game-{index:05d}.toml", make_save(self.deck_path, self.deck, state, actions)
        )


def _load_worker_deck(deck_path: str, save_games: str | None) -> None:
    from wargame.storage import load_deck

    global _worker_deck, _worker_saver
    _worker_deck = load_deck(Path(deck_path))
    _worker_saver = GameSaver(Path(deck_path), _worker_deck, Path(save_games)) if save_games else None


def _play_chunk(work: tuple[int, int, int, dict[str, Controller]]) -> tuple[Tally, int]:
    seed, start, stop, controllers = work
    assert _worker_deck is not None
    seeds = [game_seed(seed, index) for index in range(start, stop)]
    return play_games(_worker_deck, seeds, controllers, _worker_saver, start), stop - start
