"""Playing the lab's games on a Dask cluster (`--scheduler ADDRESS`), for designers with machines.

The optional extra `eastern-flank[cluster]` installs Dask's `distributed`; without it the lab plays on
local processes as always. A unit of work is `sweep.play_chunk`: a deck, a run's seed and a range of
games, so a worker needs nothing but this package (the same version). Tallies merge in any order to the same
figures, and game *i* has the same seed wherever it is played: a run on a cluster gives the figures
of the same run played locally.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from wargame.lab.tally import Tally
from wargame.model import Controller, Deck

__all__ = ["ClusterError", "play_on_cluster"]


class ClusterError(RuntimeError):
    """The cluster cannot be used: `distributed` is missing, or the scheduler cannot be reached."""


def play_on_cluster(
    address: str | Any,
    decks: Sequence[Deck],
    work: Sequence[tuple[int, int, int, int]],
    controllers: Mapping[str, Controller],
    progress: Callable[[int], None] | None = None,
) -> list[Tally]:
    """Play each unit of work (deck index, seed, first game, last game + 1) on the cluster whose
    scheduler is at `address` (or on a `distributed.Client`'s cluster); a tally per deck."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ClusterError(
            "--scheduler needs Dask's distributed package: pip install 'eastern-flank[cluster]'"
        ) from None
    from wargame.lab.sweep import play_chunk

    own_client = not isinstance(address, Client)
    client: Any
    try:
        client = Client(address, timeout="10s") if own_client else address  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        # Each deck is sent to every worker once, not with each unit of work.
        sent = client.scatter(list(decks), broadcast=True)
        chosen = dict(controllers)
        futures = {
            client.submit(play_chunk, sent[index], seed, start, stop, chosen, pure=False): (
                index,
                stop - start,
            )
            for index, seed, start, stop in work
        }
        tallies = [Tally() for _ in decks]
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            index, count = futures[future]
            tallies[index].merge(future.result())
            if progress is not None:
                progress(count)
        return tallies
    finally:
        if own_client:
            client.close()
