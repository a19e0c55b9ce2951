"""Instructions per lab game, for comparing two versions of the code on a machine whose timings vary.

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python benchmarks/instructions.py 0       # warm-up only
    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python benchmarks/instructions.py 100     # warm-up, then 100 games

The difference of the two "Collected" counts, divided by 100, is the instructions of one game of the
bundled deck (every seat on its default persona, played in place as `wargame simulate` plays it).
A deck file after the count plays that deck instead (`... instructions.py 100 tests/decks/red.toml`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from wargame.lab.runner import game_seed
from wargame.lab.tally import play_games
from wargame.storage import load_deck

DECK = Path(__file__).resolve().parent.parent / "decks" / "eastern-flank-2025.toml"

if __name__ == "__main__":
    deck = load_deck(Path(sys.argv[2]) if len(sys.argv) > 2 else DECK)
    games = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    play_games(deck, [game_seed(99, i) for i in range(20)], {})  # warm-up: the AI's memos fill
    play_games(deck, [game_seed(1, i) for i in range(games)], {})
