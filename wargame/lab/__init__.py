"""The simulation lab: many headless AI games, and what they say about a deck's balance.

    tally = simulate(Path("decks/eastern-flank-2025.toml"), games=1000, jobs=2, seed=1)
    print(format_report(summarise(tally, ...)))

Game *i* of a run with seed *S* always has the same seed, whatever the number of processes, and the
totals merge in any order to the same figures.
"""

from __future__ import annotations

from wargame.lab.balance import Summary, format_report, summarise
from wargame.lab.runner import game_seed, simulate
from wargame.lab.tally import Tally, play_games

__all__ = ["Summary", "Tally", "format_report", "game_seed", "play_games", "simulate", "summarise"]
