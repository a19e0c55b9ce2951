"""Decisions that matter, measured (issue 11, point 6); not a test: run it by hand.

    python benchmarks/decisions.py                          # the bundled deck, 2000 games, 2 jobs
    python benchmarks/decisions.py --deck tests/decks/council.toml --json figures.json
    python benchmarks/decisions.py --rollout-games 50 --rollouts 5     # a quicker look

Every figure is from the deck's default tables (each nation and the adversary on its deck-default
persona) unless it says otherwise, over `--games` games of the run seeded `--seed` (the same games as
`wargame simulate --seed`):

- **Article 4**: the share of consultations that end split; and the consultations held in an
  all-pragmatist table (every nation `ai:pragmatist`, the adversary on its default).
- **Councils**: the share of councils deadlocked (0 under plurality, which cannot deadlock).
- **A human nation's decisions, by rollouts**: in the first `--rollout-games` games (every seat played
  by the AI), at every decision of `--nation` (default: the deck's first nation), each of its legal
  options is applied and the game played out by the AI for every seat, `--rollouts` times; the
  option's value is that nation's mean score at the end (its objectives' points as
  `engine.scoring.result` gives them: 0 on a defeat). Rollout k of a decision draws its chance from
  the same stream whatever the option (common random numbers: the state's `rng` is replaced by one
  seeded from the game, the turn and k), so options are compared on the same dice as far as they
  draw the same numbers. The gap of a decision is its best option's value minus its worst's. Reported:
  the median gap of its council decisions (plurality votes; a consensus council's proposal or answer),
  and the share of all its decisions (every kind; one with a single option has no gap) whose gap is
  at least 0.1 points.
- **Jets vs interceptors**: at each response of a nation played by `--hawk` (a default table's hawks)
  where a response of each group is offered, which group it chose. A group is a word of `--versus`;
  a response belongs to it when the word, less a plural "s", is its id, a "-"-separated part of its
  id, or such a part of a stat its cost asks (`jets` matches `jets` and a cost in `jet-hours`;
  `interceptors` a cost in `interceptors`).
- **Survival and endings**: the share of games not ending in a defeat ending, and of each ending;
  dead responses (offered at least 100 times, never chosen) and automatic ones (chosen in more than
  90% of their offers), as `wargame.lab.balance.extremes` finds them.

The games run on `--jobs` processes (spawned); the figures do not depend on it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wargame.ai import choose  # noqa: E402
from wargame.engine import Table, apply, legal_actions, legal_responses, new_game, play, prng, result  # noqa: E402
from wargame.lab import game_seed, simulate, summarise  # noqa: E402
from wargame.lab.balance import extremes  # noqa: E402
from wargame.model import (  # noqa: E402
    Action,
    Controller,
    Deck,
    GameState,
    ProposalDecision,
    RespondDecision,
    Response,
    Scripted,
)
from wargame.storage import load_deck  # noqa: E402

DECK = ROOT / "decks" / "eastern-flank-2025.toml"
#: `--nation` for each nation in turn, one a game.
EACH = "each"
#: A gap at least this wide is a decision that matters.
MATTERS = 0.1

Item = TypeVar("Item")
Out = TypeVar("Out")


# --- the lab's tallies: Article 4, councils, endings, responses --------------------------------------


def table_figures(deck_path: Path, deck: Deck, games: int, jobs: int, seed: int) -> dict[str, Any]:
    """Article 4, councils, survival, endings and extreme responses at the deck's default table."""
    tally = simulate(deck_path, games, jobs, seed, {}, deck=deck)
    data = summarise(deck, tally, 0.0, seed, jobs).as_json()
    held = sum(data["consultations"].values())
    defeats = sum(data["endings"][e.id] for e in deck.endings if e.kind == "defeat")
    dead, automatic = extremes(deck, tally)
    return {
        "games": tally.games,
        "consultations": held,
        "consultations_split": data["consultations"]["split"],
        "split_share": _ratio(data["consultations"]["split"], held),
        "councils": data["councils"],
        "survival_share": _ratio(tally.games - defeats, tally.games),
        "endings": {
            e.id: {
                "kind": e.kind,
                "games": data["endings"][e.id],
                "share": _ratio(data["endings"][e.id], games),
            }
            for e in deck.endings
        },
        "dead_responses": [f"{card}/{response} (offered {offers})" for card, response, offers in dead],
        "automatic_responses": [
            f"{card}/{response} ({chosen} of {offers}, {chosen / offers:.0%})"
            for card, response, offers, chosen in automatic
        ],
    }


def pragmatist_figures(
    deck_path: Path, deck: Deck, games: int, jobs: int, seed: int, persona: str
) -> dict[str, Any]:
    """Consultations held when every nation plays `persona` (the adversary on its default)."""
    if persona not in deck.personas:
        return {"persona": persona, "error": f'the deck has no persona "{persona}"'}
    seats: dict[str, Controller] = {nation.id: Scripted(persona) for nation in deck.nations}
    tally = simulate(deck_path, games, jobs, seed, seats, deck=deck)
    held = sum(tally.consultations.values())
    return {
        "persona": persona,
        "games": tally.games,
        "consultations": held,
        "per_game": round(held / tally.games, 3) if tally.games else None,
        "results": dict(sorted(tally.consultations.items())),
    }


# --- jets vs interceptors -------------------------------------------------------------------------


def _word(text: str) -> str:
    return text.removesuffix("s")


def in_group(response: Response, word: str) -> bool:
    """Whether a response belongs to a `--versus` group: the word (less a plural "s") is its id, a
    "-"-separated part of its id, or a part of a stat its cost asks."""
    wanted = _word(word)
    names = [response.id, *response.stat_costs]
    return any(_word(name) == wanted or wanted in map(_word, name.split("-")) for name in names)


def versus_in_games(deck: Deck, seeds: Sequence[int], groups: tuple[str, str], persona: str) -> Counter[str]:
    """At every response of a `persona` nation (default table) where both groups are offered: the
    group it chose (or "other"); "offered" counts those decisions."""
    counts: Counter[str] = Counter()
    first, second = groups
    deciders = {nation.id for nation in deck.nations if nation.persona == persona}
    for seed in seeds:
        table = Table(new_game(deck, seed, {}), quiet=True)
        while table.pending is not None:
            decision = table.pending
            action = choose(table, decision.seat)
            if (
                isinstance(decision, RespondDecision)
                and decision.target is not None
                and decision.nation in deciders
            ):
                offered = legal_responses(table, decision)
                if any(in_group(r, first) for r in offered) and any(in_group(r, second) for r in offered):
                    chosen = decision_response(deck, decision.card, action)
                    counts["offered"] += 1
                    counts[
                        first if in_group(chosen, first) else second if in_group(chosen, second) else "other"
                    ] += 1
            play(table, action)
    return counts


def decision_response(deck: Deck, card: str, action: Action) -> Response:
    response = getattr(action, "response", None)
    assert isinstance(response, str)
    return deck.card(card).response(response)


# --- rollouts: what a nation's decisions are worth ---------------------------------------------------


@attrs.frozen
class Gap:
    """One decision of the measured nation: its kind, its options' mean scores, and their spread."""

    kind: str
    """"council" (a vote, a proposal or an answer), "response", "position", "follow-up" or "investment"."""
    values: tuple[float, ...]
    """Each legal option's mean score over the rollouts, in `legal_actions`'s order."""

    @property
    def best(self) -> float:
        return max(self.values)

    @property
    def worst(self) -> float:
        return min(self.values)

    @property
    def gap(self) -> float:
        return self.best - self.worst


def kind_of(state: GameState) -> str:
    decision = state.pending
    if isinstance(decision, ProposalDecision) or (
        isinstance(decision, RespondDecision) and decision.target is None
    ):
        return "council"
    return {
        "RespondDecision": "response",
        "PositionDecision": "position",
        "FollowUpDecision": "follow-up",
        "InvestDecision": "investment",
    }[type(decision).__name__]


def rollout_stream(state: GameState, rollout: int) -> int:
    """The PRNG state rollout k of a decision starts from: the same for every option of the decision
    (common random numbers), different from one rollout, one decision and one game to the next."""
    return prng.seed_state(game_seed(game_seed(state.seed, state.turn), rollout))


def play_out(state: GameState) -> GameState:
    """The game played to its end by the AI for every seat, on a quiet table (as the lab plays)."""
    table = Table(state, quiet=True)
    while table.pending is not None:
        play(table, choose(table, table.pending.seat))
    return table.freeze()


def nation_points(state: GameState, nation: str) -> int:
    return next(score.points for score in result(state).scores if score.nation == nation)


def option_values(state: GameState, nation: str, rollouts: int) -> tuple[float, ...]:
    """Each legal option's mean score for `nation` over `rollouts` play-outs, with common random numbers.

    States are values: each branch starts from the same frozen state, with its `rng` replaced."""
    options = legal_actions(state)
    streams = [rollout_stream(state, k) for k in range(rollouts)]
    values = []
    for option in options:
        total = 0
        for stream in streams:
            branch, _ = apply(attrs.evolve(state, rng=stream), option)
            total += nation_points(play_out(branch), nation)
        values.append(total / rollouts)
    return tuple(values)


def gaps_in_game(deck: Deck, seed: int, nation: str, rollouts: int) -> list[Gap]:
    """Every decision of `nation` in one AI game and its options' values (the game goes on with the
    AI's own choice)."""
    state = new_game(deck, seed, {})
    gaps: list[Gap] = []
    while state.pending is not None:
        seat = state.pending.seat
        if seat == nation:
            gaps.append(Gap(kind_of(state), option_values(state, nation, rollouts)))
        state, _ = apply(state, choose(state, seat))
    return gaps


def gap_figures(gaps: Sequence[Gap], games: int) -> dict[str, Any]:
    """The median council gap, and the share (and count a game) of decisions that matter."""
    council = [g.gap for g in gaps if g.kind == "council"]
    matter = [g for g in gaps if g.gap >= MATTERS - 1e-9]
    by_kind: dict[str, dict[str, int]] = {}
    for g in gaps:
        entry = by_kind.setdefault(g.kind, {"decisions": 0, "matter": 0})
        entry["decisions"] += 1
        entry["matter"] += g.gap >= MATTERS - 1e-9
    return {
        "games": games,
        "decisions": len(gaps),
        "decisions_per_game": round(len(gaps) / games, 2) if games else None,
        "with_a_choice": sum(1 for g in gaps if len(g.values) > 1),
        "matter": len(matter),
        "matter_per_game": round(len(matter) / games, 2) if games else None,
        "matter_share": _ratio(len(matter), len(gaps)),
        "council_decisions": len(council),
        "council_median_gap": round(statistics.median(council), 3) if council else None,
        "council_mean_gap": round(statistics.fmean(council), 3) if council else None,
        "by_kind": by_kind,
    }


# --- running it --------------------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _load(deck_path: str) -> None:
    _worker["deck"] = load_deck(Path(deck_path))


def _versus_chunk(work: tuple[list[int], tuple[str, str], str]) -> Counter[str]:
    seeds, groups, persona = work
    return versus_in_games(_worker["deck"], seeds, groups, persona)


def _gaps_one(work: tuple[int, str, int]) -> list[Gap]:
    seed, nation, rollouts = work
    return gaps_in_game(_worker["deck"], seed, nation, rollouts)


def spread(
    deck_path: Path, deck: Deck, jobs: int, function: Callable[[Item], Out], items: Iterable[Item]
) -> list[Out]:
    """`function` over the items, on `jobs` spawned processes (each loads the deck) or in this one."""
    if jobs <= 1:
        _worker["deck"] = deck
        return [function(item) for item in items]
    context = multiprocessing.get_context("spawn")
    with context.Pool(jobs, initializer=_load, initargs=(str(deck_path),)) as pool:
        return list(pool.imap(function, items))


def measure(
    deck_path: Path,
    *,
    games: int,
    jobs: int,
    seed: int,
    nation: str | None,
    rollout_games: int,
    rollouts: int,
    versus: tuple[str, str],
    hawk: str,
    pragmatist: str,
) -> dict[str, Any]:
    """Every figure of the module's docstring, as JSON-ready data."""
    deck = load_deck(deck_path)
    nations = [n.id for n in deck.nations]
    if nation not in (None, EACH, *nations):
        raise SystemExit(f'--nation: the deck has no nation "{nation}" ({", ".join(nations)}, or {EACH})')
    started = time.perf_counter()
    figures: dict[str, Any] = {"deck": deck.info.id, "deck_version": deck.info.version, "seed": seed}
    figures["default_table"] = table_figures(deck_path, deck, games, jobs, seed)
    figures["all_pragmatist"] = pragmatist_figures(deck_path, deck, games, jobs, seed, pragmatist)
    seeds = [game_seed(seed, index) for index in range(games)]
    chunks = [(seeds[start : start + 100], versus, hawk) for start in range(0, games, 100)]
    counts: Counter[str] = Counter()
    for part in spread(deck_path, deck, jobs, _versus_chunk, chunks):
        counts += part
    first, second = versus
    offered = counts["offered"]
    figures["versus"] = {
        "groups": list(versus),
        "persona": hawk,
        "games": games,
        "both_offered": offered,
        first: counts[first],
        second: counts[second],
        "other": counts["other"],
        f"{first}_share": _ratio(counts[first], offered),
        f"{second}_share": _ratio(counts[second], offered),
        "responses": {
            group: [f"{c.id}/{r.id}" for c in deck.cards for r in c.responses if in_group(r, group)]
            for group in versus
        },
    }
    sample = seeds[:rollout_games]
    # One nation, or each in turn: game i measures the nation at i modulo their number.
    measured = [
        nations[i % len(nations)] if nation == EACH else nation or nations[0] for i in range(len(sample))
    ]
    work = [(s, measured[i], rollouts) for i, s in enumerate(sample)]
    gaps = [gap for found in spread(deck_path, deck, jobs, _gaps_one, work) for gap in found]
    figures["rollouts"] = {
        "nation": "each in turn" if nation == EACH else nation or nations[0],
        "rollouts": rollouts,
        "sample": f"the first {len(sample)} of the {games} games, {rollouts} rollouts per option",
        **gap_figures(gaps, len(sample)),
    }
    figures["seconds"] = round(time.perf_counter() - started, 1)
    return figures


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def report(figures: dict[str, Any], command: str, jobs: int) -> str:
    """The figures as text, with the command and the machine."""
    table, calm, versus, roll = (
        figures["default_table"],
        figures["all_pragmatist"],
        figures["versus"],
        figures["rollouts"],
    )
    first, second = versus["groups"]
    councils = table["councils"]
    lines = [
        f"$ {command}",
        f"machine: {platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()},"
        f" {platform.system()}; {jobs} job(s), {figures['seconds']} s",
        f"deck: {figures['deck']} v{figures['deck_version']}, seed {figures['seed']},"
        f" {table['games']} games a figure (default tables unless said)",
        "",
        f"Article 4: {table['consultations']} consultations, {table['consultations_split']} split"
        f" ({_pct(table['split_share'])})",
    ]
    if "error" in calm:
        lines.append(f"  all-{calm['persona']} table: {calm['error']}")
    else:
        lines.append(
            f"  all-{calm['persona']} table: {calm['consultations']} consultations in {calm['games']} games"
            f" ({calm['per_game']} a game) {calm['results']}"
        )
    lines += [
        f"Councils ({councils['kind']}): {councils['held']}, deadlocked {councils['deadlocked']}"
        f" ({_pct(councils['deadlocked_share'])})",
        "",
        f"Decisions of {roll['nation']} by rollouts ({roll['sample']}):",
        f"  {roll['decisions']} decisions ({roll['decisions_per_game']} a game, {roll['with_a_choice']} with"
        f" more than one option); best - worst >= {MATTERS}: {roll['matter']} ({_pct(roll['matter_share'])},"
        f" {roll['matter_per_game']} a game)",
        f"  council decisions: {roll['council_decisions']}, median gap {roll['council_median_gap']},"
        f" mean gap {roll['council_mean_gap']} points",
    ]
    for kind, entry in roll["by_kind"].items():
        lines.append(f"    {kind:<12} {entry['decisions']:>6} decisions, {entry['matter']:>6} matter")
    lines += [
        "",
        f"{first} vs {second}: {versus['both_offered']} responses of {versus['persona']} nations"
        f" offered both; {first} {versus[first]} ({_pct(versus[f'{first}_share'])}),"
        f" {second} {versus[second]} ({_pct(versus[f'{second}_share'])}), other {versus['other']}",
    ]
    for group, ids in versus["responses"].items():
        lines.append(f"  {group}: {', '.join(ids) or 'no response of the deck'}")
    lines += ["", f"Survival: {_pct(table['survival_share'])}"]
    for ending_id, ending in table["endings"].items():
        lines.append(f"  {ending_id:<28} {ending['kind']:<7} {ending['games']:>6}  {_pct(ending['share'])}")
    lines.append(
        f"Dead responses (offered >= 100, never chosen): {', '.join(table['dead_responses']) or 'none'}"
    )
    lines.append(f"Automatic responses (chosen > 90%): {', '.join(table['automatic_responses']) or 'none'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deck", type=Path, default=DECK, help="the deck (default: the bundled one)")
    parser.add_argument("--games", type=int, default=2000, help="games per figure (default 2000)")
    parser.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--nation", help='the nation whose decisions are rolled out (default: the first), or "each" in turn'
    )
    parser.add_argument(
        "--rollout-games", type=int, default=200, help="games sampled for rollouts (default 200)"
    )
    parser.add_argument("--rollouts", type=int, default=10, help="rollouts per option (default 10)")
    parser.add_argument(
        "--versus", default="jets,interceptors", help="two groups of responses (default jets,interceptors)"
    )
    parser.add_argument(
        "--hawk", default="hawk", help="the persona whose choices between them count (default hawk)"
    )
    parser.add_argument(
        "--pragmatist", default="pragmatist", help="the persona of the calm table (default pragmatist)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    groups = tuple(word.strip() for word in args.versus.split(","))
    if len(groups) != 2 or not all(groups):
        parser.error("--versus takes two words, e.g. jets,interceptors")
    figures = measure(
        args.deck,
        games=args.games,
        jobs=args.jobs,
        seed=args.seed,
        nation=args.nation,
        rollout_games=min(args.rollout_games, args.games),
        rollouts=args.rollouts,
        versus=(groups[0], groups[1]),
        hawk=args.hawk,
        pragmatist=args.pragmatist,
    )
    command = "python benchmarks/decisions.py " + " ".join(sys.argv[1:])
    print(report(figures, command.strip(), args.jobs))
    if args.json:
        args.json.write_text(
            json.dumps({"command": command.strip(), **figures}, indent=2) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
