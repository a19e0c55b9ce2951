"""The bundled deck's "decisions that matter" figures (issue 11, point 6), from AI games (not a test).

    python benchmarks/deck_figures.py                          # 2000 games, the deck's own tables
    python benchmarks/deck_figures.py --persona hawk           # an all-hawk table
    python benchmarks/deck_figures.py --adversary escalator --games 2000 --jobs 2

Prints, for the same games `wargame simulate` plays (same seeds): survival and each ending's share,
Article 4 results (split share), councils adopted and deadlocked, and jets against cheap interceptors:
at every nation's answer where a response paid in jet-hours and one paid in interceptors are both
legal, which of the two kinds was chosen. A response's kind is read from its cost: a cost in the
`jet_hours` stat is a jet, in the `interceptors` stat an interceptor. Postures' levels at the end of
each game are counted too.
"""

from __future__ import annotations

import argparse
import multiprocessing
from collections import Counter
from pathlib import Path

from wargame.ai import choose
from wargame.engine import Table, legal_responses, new_game, play
from wargame.lab.runner import game_seed
from wargame.model import Controller, Deck, RespondDecision, Scripted
from wargame.model.events import ConsultationResolved, CouncilConcluded, GameEnded, ResponseChosen
from wargame.storage import load_deck

ROOT = Path(__file__).resolve().parent.parent
DECK = ROOT / "decks" / "eastern-flank-2025.toml"
JETS, INTERCEPTORS = "jet_hours", "interceptors"


def _kinds(deck: Deck) -> dict[tuple[str, str], str]:
    """(card, response) to "jets" or "interceptors", for responses paid in one of those stats."""
    kinds: dict[tuple[str, str], str] = {}
    for card in deck.cards:
        for response in card.responses:
            if JETS in response.stat_costs:
                kinds[card.id, response.id] = "jets"
            elif INTERCEPTORS in response.stat_costs:
                kinds[card.id, response.id] = "interceptors"
    return kinds


def _play(work: tuple[str, list[int], dict[str, Controller]]) -> Counter[str]:
    deck_path, seeds, controllers = work
    deck = load_deck(Path(deck_path))
    kinds = _kinds(deck)
    counts: Counter[str] = Counter()
    for seed in seeds:
        table = Table(new_game(deck, seed, controllers), quiet=True)
        while table.pending is not None:
            decision = table.pending
            action = choose(table, decision.seat)
            both = False
            if isinstance(decision, RespondDecision) and decision.target is not None:
                offered = {kinds.get((decision.card, r.id)) for r in legal_responses(table, decision)}
                both = "jets" in offered and "interceptors" in offered
            for event in play(table, action):
                if isinstance(event, ConsultationResolved):
                    counts[f"consultation {event.result}"] += 1
                elif isinstance(event, CouncilConcluded):
                    counts["council " + ("adopted" if event.adopted else "deadlocked")] += 1
                elif isinstance(event, GameEnded):
                    counts[f"ending {event.ending}"] += 1
                elif isinstance(event, ResponseChosen) and both:
                    kind = kinds.get((event.card, event.response), "other")
                    counts[f"both offered: {kind}"] += 1
        for posture, level in table.freeze().postures.items():
            counts[f"posture {posture} {level}"] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deck", type=Path, default=DECK)
    parser.add_argument("--games", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--persona", help="persona of every nation (default: each nation's own)")
    parser.add_argument("--adversary", help="red persona (default: the deck's)")
    args = parser.parse_args()
    deck = load_deck(args.deck)
    controllers: dict[str, Controller] = {}
    if args.persona:
        controllers = {nation.id: Scripted(args.persona) for nation in deck.nations}
    if args.adversary and deck.adversary is not None:
        controllers[deck.adversary.id] = Scripted(args.adversary)
    seeds = [game_seed(args.seed, i) for i in range(args.games)]
    parts = [(str(args.deck), seeds[i :: args.jobs], controllers) for i in range(args.jobs)]
    counts: Counter[str] = Counter()
    if args.jobs == 1:
        counts = _play(parts[0])
    else:
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            for part in pool.map(_play, parts):
                counts += part
    games = args.games
    defeats = {e.id for e in deck.endings if e.kind == "defeat"}
    lost = sum(counts[f"ending {e}"] for e in defeats)
    print(
        f"{games} games of {deck.info.title} v{deck.info.version}, persona {args.persona or 'default'}, "
        f"adversary {args.adversary or 'default'}"
    )
    print(f"survival {1 - lost / games:.1%}")
    for ending in deck.endings:
        print(f"  {ending.id:<24} {ending.kind:<7} {counts[f'ending {ending.id}'] / games:6.1%}")
    held = sum(counts[f"consultation {r}"] for r in ("unified", "restrained", "split"))
    print(
        f"consultations {held} ({held / games:.2f} a game): "
        + ", ".join(
            f"{r} {counts[f'consultation {r}'] / max(held, 1):.1%}"
            for r in ("unified", "restrained", "split")
        )
    )
    councils = counts["council adopted"] + counts["council deadlocked"]
    print(f"councils {councils}: deadlocked {counts['council deadlocked'] / max(councils, 1):.1%}")
    both = sum(counts[f"both offered: {k}"] for k in ("jets", "interceptors", "other"))
    print(
        f"answers with jets and interceptors both legal: {both}: "
        + ", ".join(
            f"{k} {counts[f'both offered: {k}'] / max(both, 1):.1%}"
            for k in ("jets", "interceptors", "other")
        )
    )
    for key in sorted(k for k in counts if k.startswith("posture ")):
        print(f"  end {key.removeprefix('posture ')}: {counts[key] / games:.1%} of games (moved from start)")


if __name__ == "__main__":
    main()
