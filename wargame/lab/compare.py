"""Comparing a run's figures with a baseline's, and marking the changes that are not luck.

    changes = compare(baseline_json, figures_json)
    print(format_changes(changes, "old.json"))

Every share a run reports is compared (the endings and survival, consultation results, council
deadlocks, the level each posture ends at, the positions taken, each objective met, each investment's
purchases without effect, each response's share of the times it was offered) with a
two-proportion z-test. A change is marked significant when the test rejects "no change" at 99%,
Holm-corrected over every share compared: a run that differs from its baseline only by its seed
marks nothing, 99 times in 100, though it compares hundreds of shares. Track means are shown with
their change but not tested (the figures keep no spread to test them with).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from attrs import frozen

__all__ = ["Change", "compare", "format_changes"]

#: The family-wise confidence of the marks.
CONFIDENCE = 0.99


@frozen
class Change:
    """One figure in the baseline and now."""

    section: str
    """What it is part of: "endings", "consultations", "councils", "positions", "postures",
    "objectives", "investments", "responses", "tracks"."""
    name: str
    before: float
    after: float
    p_value: float | None
    """The two-proportion test's, for a share; None for a mean, or when a share has no cases."""
    significant: bool = False
    is_share: bool = True
    cases: tuple[int, int] = (0, 0)
    """How many cases each share is out of (games, consultations, offers): baseline, now."""


def compare(
    baseline: Mapping[str, Any], now: Mapping[str, Any], defeats: Collection[str] = ()
) -> list[Change]:
    """Every figure the two runs share, in a fixed order, with the significant changes marked;
    `defeats` are the defeat endings' ids, for the share of games survived."""
    changes = list(_shares(baseline, now, set(defeats))) + list(_means(baseline, now))
    tested = sorted(
        (change for change in changes if change.p_value is not None), key=lambda change: change.p_value or 0.0
    )
    # Holm's step-down: the i-th smallest p-value is held against (1 - confidence) / (m - i).
    alpha, marked = 1 - CONFIDENCE, set()
    for i, change in enumerate(tested):
        assert change.p_value is not None
        if change.p_value > alpha / (len(tested) - i):
            break
        marked.add(id(change))
    return [
        Change(c.section, c.name, c.before, c.after, c.p_value, id(c) in marked, c.is_share, c.cases)
        for c in changes
    ]


def format_changes(changes: list[Change], baseline_name: str, everything: bool = False) -> str:
    """The comparison as text: survival, endings, consultations and councils always; the other
    figures when they changed significantly (or all with `everything`)."""
    marked = sum(change.significant for change in changes)
    lines = [
        f"Against the baseline {baseline_name}: {marked} significant change(s)"
        f" (* : a two-proportion test at {CONFIDENCE:.0%}, Holm-corrected over {_tested(changes)} shares)",
        f"  {'':<44} {'baseline':>9} {'now':>9} {'change':>9}",
    ]
    for change in changes:
        shown = change.section in ("endings", "consultations", "councils", "postures", "tracks")
        if not (shown or change.significant or everything):
            continue
        mark = "*" if change.significant else " "
        if change.is_share:
            figures = f"{change.before:>9.1%} {change.after:>9.1%} {_points(change.after - change.before):>9}"
        else:
            figures = f"{change.before:>9.3f} {change.after:>9.3f} {change.after - change.before:>+9.3f}"
        lines.append(f"{mark} {change.section + ': ' + change.name:<44} {figures}")
    return "\n".join(lines)


def _shares(baseline: Mapping[str, Any], now: Mapping[str, Any], defeats: set[str]) -> Iterator[Change]:
    games = (int(baseline["games"]), int(now["games"]))
    endings = (baseline.get("endings", {}), now.get("endings", {}))
    if defeats:
        survived = tuple(
            g - sum(count for ending, count in e.items() if ending in defeats)
            for g, e in zip(games, endings, strict=True)
        )
        yield _share("endings", "survival", survived, games)
    for ending in _common(*endings):
        yield _share("endings", ending, (endings[0][ending], endings[1][ending]), games)
    for section in ("consultations", "positions"):
        counts = (baseline.get(section) or {}, now.get(section) or {})
        totals = (sum(counts[0].values()), sum(counts[1].values()))
        for name in _common(*counts):
            yield _share(section, name, (counts[0][name], counts[1][name]), totals)
    councils = (baseline.get("councils") or {}, now.get("councils") or {})
    if all("held" in council for council in councils):
        held = (councils[0]["held"], councils[1]["held"])
        yield _share("councils", "deadlocked", (councils[0]["deadlocked"], councils[1]["deadlocked"]), held)
    postures = (baseline.get("postures") or {}, now.get("postures") or {})
    for posture in _common(*postures):
        for level in _common(postures[0][posture], postures[1][posture]):
            ended = (postures[0][posture][level]["games"], postures[1][posture][level]["games"])
            yield _share("postures", f"{posture} ends {level}", ended, games)
    objectives = (baseline.get("objectives") or {}, now.get("objectives") or {})
    for nation in _common(*objectives):
        for objective in _common(objectives[0][nation], objectives[1][nation]):
            met = (objectives[0][nation][objective]["games"], objectives[1][nation][objective]["games"])
            yield _share("objectives", f"{nation} {objective}", met, games)
    investments = (baseline.get("investments") or {}, now.get("investments") or {})
    for item in _common(*investments):
        old, new = investments[0][item], investments[1][item]
        yield _share(
            "investments",
            f"{item} without effect",
            (old["bought_without_effect"], new["bought_without_effect"]),
            (old["bought"], new["bought"]),
        )
    responses = (baseline.get("responses", {}), now.get("responses", {}))
    for card in _common(*responses):
        for response in _common(responses[0][card], responses[1][card]):
            old, new = responses[0][card][response], responses[1][card][response]
            yield _share(
                "responses",
                f"{card} {response}",
                (old["chosen"], new["chosen"]),
                (old["offered"], new["offered"]),
            )


def _means(baseline: Mapping[str, Any], now: Mapping[str, Any]) -> Iterator[Change]:
    tracks = (baseline.get("tracks", {}), now.get("tracks", {}))
    for track in _common(*tracks):
        before, after = tracks[0][track]["mean"], tracks[1][track]["mean"]
        if before is not None and after is not None:
            yield Change("tracks", f"{track} (mean at the end)", before, after, None, is_share=False)


def _share(section: str, name: str, counts: tuple[int, int], totals: tuple[int, int]) -> Change:
    (a, b), (n, m) = counts, totals
    before, after = (a / n if n else 0.0), (b / m if m else 0.0)
    return Change(section, name, before, after, _two_proportions(a, n, b, m), cases=totals)


def _two_proportions(a: int, n: int, b: int, m: int) -> float | None:
    """The two-sided p-value of "the same share" for a of n against b of m (pooled z-test)."""
    if not n or not m:
        return None
    pooled = (a + b) / (n + m)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / m))
    if spread == 0:
        return 1.0
    z = abs(a / n - b / m) / spread
    return math.erfc(z / math.sqrt(2))


def _common(first: Mapping[str, Any], second: Mapping[str, Any]) -> list[str]:
    """The keys of both, in the newer run's order."""
    return [key for key in second if key in first]


def _tested(changes: list[Change]) -> int:
    return sum(change.p_value is not None for change in changes)


def _points(delta: float) -> str:
    return f"{100 * delta:+.1f} pt"
