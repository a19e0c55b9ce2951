"""The counterfactual debrief: what each alternative of a seat's decisions would have led to.

    judgements = judge(record, ["POL", "EST"], rollouts=12, jobs=2)

For each decision of the chosen seats (a decision with more than one legal option), every option is
played out in the same sampled futures (the planner's: `wargame.ai.planner.sample_worlds`, common
random numbers), every seat then played by its scripted AI to the end. **Judged with what the team
knew at the time**: the worlds are sampled from the seat's view at that decision (the unseen hand and
draw order, the unrevealed attributions, the others' sealed votes), never read from the true state.
For each option: the share of futures with no defeat of the alliance (survival) and the seat's mean
score, each with its 95% confidence interval (normal approximation, 1.96 standard errors).

The results are cached beside the save (`<save>.counterfactual.json`), keyed by the save's SHA-256,
the actions replayed, the deck, the rollouts and the seats: a second report reads them; a stale cache
is ignored and rewritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import multiprocessing
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import frozen

from wargame.model import (
    FACILITATOR_ACTIONS,
    Action,
    ChooseResponse,
    GameState,
    Human,
    Invest,
    Object,
    Pass,
    PlayCard,
    RequestConsultation,
    TakePosition,
)

if TYPE_CHECKING:
    from wargame.lab.report import GameRecord

__all__ = [
    "ROLLOUTS",
    "Judgement",
    "Option",
    "Progress",
    "cache_beside",
    "gaps",
    "human_seats",
    "judge",
    "judged",
]

#: Sampled futures per option by default: a 12-round game with 3 human seats in ≤ 20 s with 2 jobs
#: (docs/ai.md, *The counterfactual debrief*).
ROLLOUTS = 24
#: The z of a 95% confidence interval.
Z95 = 1.96
#: How many of the largest gaps the report tells in words.
TOLD = 5
#: The cache's format: a different one is stale.
_CACHE_FORMAT = 1


@frozen
class Option:
    """One option of a decision, judged over the sampled futures."""

    words: str
    survival: float
    """Share of the futures with no defeat of the alliance (0 to 1)."""
    survival_ci: float
    """Half-width of its 95% confidence interval."""
    score: float
    """The seat's mean score at the end."""
    score_ci: float


@frozen
class Judgement:
    """A decision of a seat, with each of its options judged; `chosen` is the index of the one taken."""

    turn: int
    round: int
    seat: str
    seat_name: str
    chosen: int
    options: tuple[Option, ...]

    @property
    def best(self) -> int:
        """The alternative (not the chosen option) with the highest survival, then score."""
        others = [i for i in range(len(self.options)) if i != self.chosen]
        return max(others, key=lambda i: (self.options[i].survival, self.options[i].score, -i))

    @property
    def gap(self) -> tuple[float, float]:
        """How much better the best alternative did than the choice: survival, then score."""
        best, chosen = self.options[self.best], self.options[self.chosen]
        return best.survival - chosen.survival, best.score - chosen.score

    def words(self) -> str:
        """ "Round 4, Poland: you chose Escort (survival 58% ± 4); Shoot down would have given 66% ± 4"."""
        chosen, best = self.options[self.chosen], self.options[self.best]
        return (
            f"Round {self.round}, {self.seat_name}: you chose {chosen.words} ({_survival(chosen)},"
            f" score {_score(chosen)}); {best.words} would have given {_survival(best, named=False)},"
            f" score {_score(best)}"
        )


def _survival(option: Option, named: bool = True) -> str:
    text = f"{round(option.survival * 100)}% ± {round(option.survival_ci * 100)}"
    return f"survival {text}" if named else text


def _score(option: Option) -> str:
    return f"{option.score:.1f} ± {option.score_ci:.1f}"


def human_seats(record: GameRecord) -> list[str]:
    """The nations the save's teams played."""
    deck = record.deck
    # A human red cell is not judged: the figures are the alliance's survival and a nation's score.
    return [
        seat
        for seat, controller in record.controllers.items()
        if isinstance(controller, Human) and not deck.is_adversary(seat)
    ]


def option_words(before: GameState, action: Action) -> str:
    """An option in a word or two, as the team saw it: the response's label, the investment's name."""
    deck = before.deck
    if isinstance(action, ChooseResponse) and before.card is not None:
        return deck.card(before.card).response(action.response).label
    if isinstance(action, TakePosition):
        return f"the position {action.position}"
    if isinstance(action, Object):
        return "objecting" if action.objects else "accepting"
    if isinstance(action, RequestConsultation):
        return f"requesting {deck.consultation.label}" if action.request else f"no {deck.consultation.label}"
    if isinstance(action, Invest):
        return deck.investment(action.investment).name
    if isinstance(action, Pass):
        return "passing"
    if isinstance(action, PlayCard):
        return deck.card(action.card).title
    return type(action).__name__


def _decisions(record: GameRecord, seats: Sequence[str]) -> list[tuple[GameState, int, list[Action]]]:
    """Each decision of the seats with more than one option: the state before it, the index of the
    action taken among its legal options, and the options."""
    from wargame.engine import apply, legal_actions, start_game

    state, _ = start_game(record.deck, record.seed, record.controllers)
    found = []
    for action in record.actions:
        pending = state.pending
        if pending is not None and pending.seat in seats and not isinstance(action, FACILITATOR_ACTIONS):
            options = legal_actions(state)
            if len(options) > 1 and action in options:
                found.append((state, options.index(action), options))
        state, _ = apply(state, action)
    return found


def _judge_one(task: tuple[GameState, int, list[Action], int]) -> Judgement:
    """One decision, judged from its seat's view (run in a worker process with --jobs)."""
    from wargame.ai.planner import finish, planner_seed, sample_worlds
    from wargame.engine.scoring import score

    state, chosen, options, rollouts = task
    assert state.pending is not None
    seat = state.pending.seat
    deck = state.deck
    worlds = sample_worlds(state, seat, rollouts, planner_seed(state, seat))
    judged = []
    for option in options:
        survived: list[float] = []
        scores: list[float] = []
        for world in worlds:
            end = finish(world, option)
            assert end.ending is not None
            survived.append(0.0 if deck.ending(end.ending).kind == "defeat" else 1.0)
            scores.append(float(score(end, seat).points))
        judged.append(Option(option_words(state, option), *_mean_ci(survived), *_mean_ci(scores)))
    return Judgement(state.turn, state.round, seat, deck.seat_name(seat), chosen, tuple(judged))


def _mean_ci(values: Sequence[float]) -> tuple[float, float]:
    """The mean and the half-width of its 95% confidence interval (0 with fewer than 2 values)."""
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, 0.0
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, Z95 * math.sqrt(variance / n)


#: Told how far the judging is: (decisions judged, decisions in all). It may raise to stop the
#: judging (the ending screen's does when the screen is gone); the workers' queued decisions are dropped.
Progress = Callable[[int, int], None]


def judge(
    record: GameRecord,
    seats: Sequence[str],
    rollouts: int = ROLLOUTS,
    jobs: int = 1,
    progress: Progress | None = None,
) -> list[Judgement]:
    """Every decision of the seats, in the game's order, each option judged over `rollouts` futures
    sampled from the seat's view at that decision; `jobs` worker processes (spawned) share them;
    `progress` is told after each decision."""
    tasks = [(state, chosen, options, rollouts) for state, chosen, options in _decisions(record, seats)]
    told = progress or (lambda done, total: None)
    told(0, len(tasks))
    judgements: list[Judgement] = []
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            judgements.append(_judge_one(task))
            told(len(judgements), len(tasks))
        return judgements
    _start_the_resource_tracker()
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    try:
        # Small chunks, so that the progress moves (a decision takes a fraction of a second).
        for judgement in pool.map(_judge_one, tasks, chunksize=max(1, len(tasks) // (jobs * 8))):
            judgements.append(judgement)
            told(len(judgements), len(tasks))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return judgements


def _start_the_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real standard error: it hands `sys.stderr`'s
    file descriptor to its process, and under the TUI (the Game over screen's judging) `sys.stderr`
    is Textual's capture, whose descriptor is -1 ("bad value(s) in fds_to_keep")."""
    from multiprocessing import resource_tracker

    captured = sys.stderr
    try:
        usable = captured is not None and captured.fileno() >= 0
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is an OSError
        usable = False
    if usable or sys.__stderr__ is None:
        return
    sys.stderr = sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = captured


def gaps(judgements: Sequence[Judgement], told: int = TOLD) -> list[Judgement]:
    """The decisions whose best alternative did better than the choice, the largest gaps first."""
    better = [j for j in judgements if j.gap > (0.0, 0.0)]
    return sorted(better, key=lambda j: j.gap, reverse=True)[:told]


# --- the cache beside the save ----------------------------------------------------------------------


def cache_beside(save: Path) -> Path:
    """Where a save's counterfactual results are kept: `<save>.counterfactual.json`."""
    return save.with_name(f"{save.name}.counterfactual.json")


def _key(save: Path, record: GameRecord, seats: Sequence[str], rollouts: int) -> dict[str, Any]:
    """What the cached figures depend on: the save's bytes, the actions replayed (fewer with
    --force), the deck it was replayed with, the rollouts and the seats."""
    try:
        deck = hashlib.sha256(record.deck_path.read_bytes()).hexdigest()
    except OSError:
        deck = record.deck.info.version
    return {
        "format": _CACHE_FORMAT,
        "save_sha256": hashlib.sha256(save.read_bytes()).hexdigest(),
        "actions": len(record.actions),
        "deck": deck,
        "rollouts": rollouts,
        "seats": list(seats),
    }


def _read_cache(path: Path, key: dict[str, Any]) -> list[Judgement] | None:
    """The cached judgements if the cache is for this key; None if absent, stale or unreadable."""
    try:
        document = json.loads(path.read_text("utf-8"))
        if document.get("key") != key:
            return None
        return [
            Judgement(
                j["turn"],
                j["round"],
                j["seat"],
                j["seat_name"],
                j["chosen"],
                tuple(Option(**o) for o in j["options"]),
            )
            for j in document["judgements"]
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_cache(path: Path, key: dict[str, Any], judgements: Sequence[Judgement]) -> None:
    from attrs import asdict

    document = {"key": key, "judgements": [asdict(j) for j in judgements]}
    # A cache that cannot be written only costs the next report its time.
    with contextlib.suppress(OSError):
        path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


def judged(
    save: Path,
    record: GameRecord,
    seats: Sequence[str],
    rollouts: int = ROLLOUTS,
    jobs: int = 1,
    progress: Progress | None = None,
) -> tuple[list[Judgement], bool]:
    """The judgements of a save's decisions, from its cache if it is fresh (then True), else worked
    out (`judge`) and cached."""
    key = _key(save, record, seats, rollouts)
    path = cache_beside(save)
    cached = _read_cache(path, key)
    if cached is not None:
        return cached, True
    judgements = judge(record, seats, rollouts, jobs, progress)
    _write_cache(path, key, judgements)
    return judgements, False


# --- the report's section ---------------------------------------------------------------------------

#: What the section says of how it judged (both formats).
KNEW = (
    "Judged with what the team knew at the time: at each decision, the hidden information (the cards"
    " not yet seen and their order, the truth of unrevealed attributions, the others' sealed votes) is"
    " sampled from that seat's view, never read from what really happened; each option is then played"
    " out in the same {rollouts} sampled futures, every seat played by its scripted AI to the end."
    " Survival: the share of those futures with no defeat of the alliance; score: the seat's points"
    " at the end; ± the half-width of a 95% confidence interval."
)


def section(
    judgements: Sequence[Judgement] | None, seat_names: Sequence[str], rollouts: int, missing: str = ""
) -> dict[str, Any]:
    """The content of "Decisions that mattered" for the report's templates; `missing`: why no seat
    was judged (judgements None)."""
    if judgements is None:
        return {"missing": missing, "note": "", "told": [], "decisions": [], "seats": ""}
    return {
        "missing": "",
        "note": KNEW.format(rollouts=rollouts),
        "seats": ", ".join(seat_names),
        "told": [j.words() for j in gaps(judgements)],
        "decisions": [
            (
                j.round,
                j.seat_name,
                [
                    (o.words, _survival(o, named=False), _score(o), i == j.chosen)
                    for i, o in enumerate(j.options)
                ],
            )
            for j in judgements
        ],
    }
