"""A fingerprint of many games, to show that a change to the house left every game the same.

    python benchmarks/fingerprint.py                 # prints one SHA-256 per deck and kind of game
    python benchmarks/fingerprint.py --check FILE    # compares with a recorded run; exit 1 on a difference

For each bundled deck it plays AI games (every nation on its default persona, through `ai.choose`)
and random games (random legal actions with random facilitator actions between them, through
`engine.apply`), and hashes every action, every event and the final state. Values are hashed by their
text (`str`), so a cause or a result that becomes a type with the same words keeps its fingerprint.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

import attrs

from wargame.ai import choose
from wargame.engine import apply, legal_actions, new_game
from wargame.model import AddNote, AdjustStat, AdjustTrack, ForceRoll, InjectCard
from wargame.storage import load_deck

ROOT = Path(__file__).resolve().parent.parent
DECKS = sorted((ROOT / "decks").glob("*.toml"))


def _text(value: object) -> str:
    # A class with words of its own (a cause) is hashed by them, like the text it replaced.
    if attrs.has(type(value)) and type(value).__str__ is object.__str__:
        fields = ",".join(f"{f.name}={_text(getattr(value, f.name))}" for f in attrs.fields(type(value)))
        return f"{type(value).__name__}({fields})"
    if isinstance(value, dict) or hasattr(value, "items"):
        return "{" + ",".join(f"{_text(k)}:{_text(v)}" for k, v in value.items()) + "}"  # type: ignore[attr-defined]
    if isinstance(value, tuple | list):
        return "[" + ",".join(_text(item) for item in value) + "]"
    return str(value)


def _final(state: object) -> str:
    names = (
        "rng",
        "round",
        "tracks",
        "stats",
        "draw_pile",
        "discard",
        "history",
        "consultations",
        "ending",
        "turn",
        "pending",
    )
    return ";".join(f"{name}={_text(getattr(state, name))}" for name in names)


def _facilitator(chooser: random.Random, state: object) -> object:
    deck = state.deck  # type: ignore[attr-defined]
    kind = chooser.choice(["inject", "force", "track", "stat", "note"])
    cards = [*state.draw_pile, *state.discard]  # type: ignore[attr-defined]
    if kind == "inject" and cards:
        return InjectCard(chooser.choice(cards))
    if kind == "force":
        return ForceRoll(chooser.random() < 0.5)
    if kind == "track":
        return AdjustTrack(chooser.choice(list(deck.tracks)), chooser.randint(-2, 2), "a reason")
    if kind == "stat":
        nation = chooser.choice([n.id for n in deck.nations])
        return AdjustStat(nation, chooser.choice(list(deck.stats)), chooser.randint(-2, 2), "why")
    return AddNote("a note")


def fingerprints(ai_games: int, random_games: int) -> dict[str, str]:
    found = {}
    for path in DECKS:
        deck = load_deck(path)
        for kind, games in (("ai", ai_games), ("random", random_games)):
            digest = hashlib.sha256()
            for seed in range(games):
                state = new_game(deck, seed)
                chooser = random.Random(seed)
                while state.pending is not None:
                    if kind == "ai":
                        action = choose(state, state.pending.nation)
                    elif chooser.random() < 0.1:
                        action = _facilitator(chooser, state)
                    else:
                        action = chooser.choice(legal_actions(state))
                    state, events = apply(state, action)
                    digest.update(_text(action).encode())
                    for event in events:
                        digest.update(_text(event).encode())
                digest.update(_final(state).encode())
            found[f"{path.name} {kind}"] = digest.hexdigest()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ai-games", type=int, default=200)
    parser.add_argument("--random-games", type=int, default=100)
    parser.add_argument("--check", type=Path, help="a file this script wrote with --write")
    parser.add_argument("--write", type=Path, help="write the fingerprints to this file")
    options = parser.parse_args()
    found = fingerprints(options.ai_games, options.random_games)
    for name, value in found.items():
        print(f"{value}  {name}")
    if options.write:
        options.write.write_text(json.dumps(found, indent=2) + "\n")
    if options.check:
        expected = json.loads(options.check.read_text())
        differ = [name for name in expected if expected[name] != found.get(name)]
        if differ:
            print("different:", ", ".join(differ), file=sys.stderr)
            return 1
        print("every fingerprint is the same")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
