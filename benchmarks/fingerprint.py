"""A fingerprint of many games, to show that a change to the house left every game the same.

    python benchmarks/fingerprint.py                 # prints one SHA-256 per deck and kind of game
    python benchmarks/fingerprint.py --check FILE    # compares with a recorded run; exit 1 on a difference

    python benchmarks/fingerprint.py --decks decks --check benchmarks/fingerprints-v2.json

By default it plays the three bundled decks as they were in rules v1 (`tests/decks/v1/`, kept
unchanged), so `benchmarks/fingerprints.json`, recorded in v1, proves that a deck without
`[adversary]` still plays exactly as in v1. `--decks decks` plays today's bundled decks instead; their
fingerprints (`fingerprints-v2.json`) change whenever a deck's numbers do, and must then be written
again with `--write`.

For each deck it plays AI games (every seat on its default persona, through `ai.choose`) and random
games (random legal actions with random facilitator actions between them, through `engine.apply`),
and hashes every action, every event and the final state. Values are hashed by their text (`str`),
so a cause or a result that becomes a type with the same words keeps its fingerprint.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
from pathlib import Path

import attrs

from wargame.ai import choose
from wargame.engine import apply, legal_actions, new_game
from wargame.model import AddNote, AdjustStat, AdjustTrack, ForceRoll, InjectCard, PlayDecision, VetoCard
from wargame.storage import load_deck

ROOT = Path(__file__).resolve().parent.parent
#: The bundled decks as of rules v1: the fingerprints recorded in v1 are of these.
V1_DECKS = ROOT / "tests" / "decks" / "v1"


def _text(value: object) -> str:
    # A class with words of its own (a cause) is hashed by them, like the text it replaced.
    if attrs.has(type(value)) and type(value).__str__ is object.__str__:
        # A field added later (`LATER_FIELD`) is left out while None: the games before it hash the same.
        fields = ",".join(
            f"{f.name}={_text(getattr(value, f.name))}"
            for f in attrs.fields(type(value))
            if getattr(value, f.name) is not None or not f.metadata.get("later")
        )
        return f"{type(value).__name__}({fields})"
    if isinstance(value, dict) or hasattr(value, "items"):
        return "{" + ",".join(f"{_text(k)}:{_text(v)}" for k, v in value.items()) + "}"  # type: ignore[attr-defined]
    if isinstance(value, tuple | list):
        return "[" + ",".join(_text(item) for item in value) + "]"
    if isinstance(value, set | frozenset):
        # In a fixed order: a set's own order changes with the interpreter's hash seed.
        return "{" + ",".join(sorted(_text(item) for item in value)) + "}"
    return str(value)


#: What the final state is hashed by; a deck with secrets (rules v2) adds `_SECRETS`, so a v1 deck's
#: final state is hashed as it was in v1.
_NAMES = (
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
_SECRETS = ("hand", "adversary_stats", "incidents", "let_go", "dissent", "forced_card")


def _final(state: object) -> str:
    names = _NAMES + (_SECRETS if state.deck.has_secrets else ())  # type: ignore[attr-defined]
    return ";".join(f"{name}={_text(getattr(state, name))}" for name in names)


def _facilitator(chooser: random.Random, state: object) -> object:
    deck = state.deck  # type: ignore[attr-defined]
    # A veto only where there is an adversary: a v1 deck draws from the same list as in v1.
    kinds = ["inject", "force", "track", "stat", "note"] + (["veto"] if deck.adversary else [])
    kind = chooser.choice(kinds)
    cards = [*state.draw_pile, *state.discard]  # type: ignore[attr-defined]
    if kind == "inject" and cards:
        return InjectCard(chooser.choice(cards))
    if kind == "veto" and isinstance(state.pending, PlayDecision):  # type: ignore[attr-defined]
        return VetoCard(chooser.choice(state.hand))  # type: ignore[attr-defined]
    if kind == "force":
        return ForceRoll(chooser.random() < 0.5)
    if kind == "track":
        return AdjustTrack(chooser.choice(list(deck.tracks)), chooser.randint(-2, 2), "a reason")
    if kind == "stat":
        nation = chooser.choice([n.id for n in deck.nations])
        return AdjustStat(nation, chooser.choice(list(deck.stats)), chooser.randint(-2, 2), "why")
    return AddNote("a note")


def fingerprints(ai_games: int, random_games: int, folder: Path = V1_DECKS) -> dict[str, str]:
    """One SHA-256 per deck in `folder` and kind of game ("NAME.toml ai", "NAME.toml random")."""
    found = {}
    for path in sorted(folder.glob("*.toml")):
        deck = load_deck(path)
        for kind, games in (("ai", ai_games), ("random", random_games)):
            digest = hashlib.sha256()
            for seed in range(games):
                state = new_game(deck, seed)
                chooser = random.Random(seed)
                while state.pending is not None:
                    if kind == "ai":
                        action = choose(state, state.pending.seat)
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
    parser.add_argument("--decks", type=Path, default=V1_DECKS, help="the folder of decks to play")
    options = parser.parse_args()
    found = fingerprints(options.ai_games, options.random_games, options.decks)
    print(f"decks: {os.path.relpath(options.decks.resolve(), ROOT)}/*.toml")
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
