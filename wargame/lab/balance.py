"""From a tally to what a deck designer reads: shares, percentiles, and balance warnings."""

from __future__ import annotations

from collections import Counter
from typing import Any

from attrs import frozen

from wargame.lab.tally import ALLIANCE, Tally
from wargame.model import Deck

#: A response offered at least this often is judged by the balance warnings.
JUDGED = 100
#: Chosen in more than this share of its offers, a response is "always" chosen.
DOMINANT = 0.9


@frozen
class Summary:
    """A simulation's figures, ready for text or JSON (see `as_json`)."""

    deck: Deck
    tally: Tally
    seconds: float
    seed: int
    jobs: int
    red_persona: str | None = None
    """The adversary's persona in every game (None: the deck's default, or no adversary)."""

    def as_json(self) -> dict[str, Any]:
        """The figures as JSON-ready data; all but `seconds` and `games_per_second` depend only on
        the deck, the seed and the number of games."""
        tally = self.tally
        responses: dict[str, dict[str, dict[str, Any]]] = {}
        for card in self.deck.cards:
            responses[card.id] = {}
            for response in card.responses:
                choice = (card.id, response.id)
                chosen = tally.chosen[choice]
                responses[card.id][response.id] = {
                    "offered": tally.offered[choice],
                    "chosen": chosen,
                    "mean_effect": _means(tally.effects.get(choice), chosen),
                    "mean_stats": _means(tally.stat_effects.get(choice), chosen),
                    "mean_consultation": _means(tally.consulted.get(choice), chosen),
                }
        return {
            "deck": self.deck.info.id,
            "games": tally.games,
            "seed": self.seed,
            "jobs": self.jobs,
            "seconds": round(self.seconds, 3),
            "games_per_second": round(tally.games / self.seconds, 1) if self.seconds else None,
            "endings": {e.id: tally.endings[e.id] for e in self.deck.endings},
            "survival": self._survival(),
            "defeat_rounds": self._defeat_rounds(),
            "scores": self._scores(),
            "objectives": self._objectives(),
            "investments": self._investments(),
            "tracks": {
                track: _distribution(tally.finals.get(track, Counter())) for track in self.deck.tracks
            },
            "consultations": {r: tally.consultations[r] for r in ("unified", "restrained", "split")},
            "positions": {p: tally.positions[p] for p in ("support", "restrain", "abstain")},
            "responses": responses,
            "warnings": warnings(self.deck, tally),
            "adversary": self._adversary(),
            "attribution": self._attribution(),
            "councils": self._councils(),
            "postures": self._postures(),
        }

    def _survival(self) -> float | None:
        """The share of games that did not end in a defeat ending."""
        games = self.tally.games
        defeats = sum(self.tally.endings[ending.id] for ending in self.deck.defeats)
        return round((games - defeats) / games, 4) if games else None

    def _defeat_rounds(self) -> dict[str, dict[str, int]]:
        """Defeat ending id to round (every round of the game, as text) to the games it ended."""
        rounds = range(1, self.deck.info.rounds + 1)
        found = self.tally.defeat_rounds
        return {
            ending.id: {str(n): found.get(ending.id, Counter())[n] for n in rounds}
            for ending in self.deck.defeats
        }

    def _scores(self) -> dict[str, float | None]:
        """Seat (each nation, then the adversary) to its mean points a game; a defeat scores 0 for
        every nation."""
        games, points = self.tally.games, self.tally.points
        seats = [nation.id for nation in self.deck.nations]
        if self.deck.adversary is not None:
            seats.append(self.deck.adversary.id)
        return {seat: round(points[seat] / games, 3) if games else None for seat in seats}

    def _objectives(self) -> dict[str, dict[str, dict[str, float | int]]]:
        """Nation id to objective id to the games that ended with it met (as scored) and their share."""
        games, met = self.tally.games, self.tally.met
        return {
            nation.id: {
                objective.id: {
                    "games": met[nation.id, objective.id],
                    "share": round(met[nation.id, objective.id] / games, 4) if games else 0.0,
                }
                for objective in nation.objectives
            }
            for nation in self.deck.nations
        }

    def _investments(self) -> dict[str, dict[str, float | int | None]]:
        """Investment id to the turns it was offered, the purchases, and the purchases whose whole
        effect was clamped away (nothing moved but the price)."""
        tally = self.tally
        figures: dict[str, dict[str, float | int | None]] = {}
        for item in self.deck.investments:
            bought, futile = tally.bought[item.id], tally.futile[item.id]
            figures[item.id] = {
                "offered": tally.invest_offered[item.id],
                "bought": bought,
                "bought_without_effect": futile,
                "without_effect_share": round(futile / bought, 4) if bought else None,
            }
        return figures

    def _councils(self) -> dict[str, Any]:
        """How the councils ended: a consensus council is adopted or deadlocked; a plurality council
        always decides, so its every council counts as adopted and none as deadlocked."""
        tally, consensus = self.tally, self.deck.council.is_consensus
        adopted = tally.councils["adopted"] if consensus else tally.decided
        deadlocked = tally.councils["deadlocked"] if consensus else 0
        held = adopted + deadlocked
        return {
            "kind": self.deck.council.kind,
            "held": held,
            "adopted": adopted,
            "deadlocked": deadlocked,
            "deadlocked_share": round(deadlocked / held, 4) if held else None,
        }

    def _postures(self) -> dict[str, dict[str, dict[str, float | int]]]:
        """Posture id to level id (every level, in the deck's order) to the games that ended with the
        posture at that level and their share; empty for a deck without postures."""
        games = self.tally.games
        postures: dict[str, dict[str, dict[str, float | int]]] = {}
        for posture_id, posture in self.deck.postures.items():
            ended = self.tally.postures.get(posture_id, Counter())
            postures[posture_id] = {
                level.id: {
                    "games": ended[level.id],
                    "share": round(ended[level.id] / games, 4) if games else 0.0,
                }
                for level in posture.levels
            }
        return postures

    def _adversary(self) -> dict[str, Any] | None:
        """The adversary's plays and score; None for a deck without one."""
        red, tally = self.deck.adversary, self.tally
        if red is None:
            return None
        games = sum(tally.red_points.values())
        points = sum(value * count for value, count in tally.red_points.items())
        return {
            "id": red.id,
            "persona": self.red_persona or red.persona,
            "plays": sum(tally.played.values()),
            "cards": {card.id: tally.played[card.id] for card in self.deck.cards},
            "targets": {
                **{nation.id: tally.aimed[nation.id] for nation in self.deck.nations},
                ALLIANCE: tally.aimed[ALLIANCE],
            },
            "score": {
                "mean": round(points / games, 3) if games else None,
                "objectives": {objective.id: tally.red_met[objective.id] for objective in red.objectives},
            },
        }

    def _attribution(self) -> dict[str, Any] | None:
        """The incidents' truths, reveals and wrong claims; None for a deck whose cards declare none."""
        tally, cards = self.tally, [card for card in self.deck.cards if card.attribution]
        if not cards:
            return None
        truths = {
            card.id: {truth: tally.truths.get(card.id, Counter())[truth] for truth in card.attribution}
            for card in cards
        }
        return {
            "incidents": sum(sum(counts.values()) for counts in truths.values()),
            "truths": truths,
            "revealed": tally.revealed,
            "claims": sum(tally.claims.values()),
            "wrong_claims": sum(tally.wrong.values()),
            "wrong_claims_by_card": {card.id: tally.wrong[card.id] for card in cards},
        }


def summarise(
    deck: Deck, tally: Tally, seconds: float, seed: int, jobs: int, red_persona: str | None = None
) -> Summary:
    """Bundle a finished run's figures; `red_persona` is the adversary's, if not the deck's default."""
    return Summary(deck, tally, seconds, seed, jobs, red_persona)


def _means(sums: Counter[str] | None, chosen: int) -> dict[str, float]:
    """Each key's mean over `chosen` choices, in key order (nothing when never chosen)."""
    if not sums or not chosen:
        return {}
    return {key: round(sums[key] / chosen, 3) for key in sorted(sums)}


def percentile(histogram: Counter[int], share: float) -> int:
    """The nearest-rank percentile of a histogram of integer values."""
    total = sum(histogram.values())
    rank = max(1, round(share * total + 0.4999))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise ValueError("empty histogram")


def _distribution(histogram: Counter[int]) -> dict[str, float | int | None]:
    total = sum(histogram.values())
    if not total:
        return {"mean": None, "p10": None, "p50": None, "p90": None}
    mean = sum(value * count for value, count in histogram.items()) / total
    return {
        "mean": round(mean, 3),
        "p10": percentile(histogram, 0.1),
        "p50": percentile(histogram, 0.5),
        "p90": percentile(histogram, 0.9),
    }


def extremes(deck: Deck, tally: Tally) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int, int]]]:
    """The responses offered at least `JUDGED` times that were never chosen (card, response, offers),
    and those chosen in more than `DOMINANT` of their offers (card, response, offers, choices), in
    the deck's order. Unlike `warnings`, a response is "automatic" even when it is the only one its
    card ever saw chosen."""
    dead: list[tuple[str, str, int]] = []
    automatic: list[tuple[str, str, int, int]] = []
    for card in deck.cards:
        for response in card.responses:
            offered, chosen = tally.offered[card.id, response.id], tally.chosen[card.id, response.id]
            if offered < JUDGED:
                continue
            if chosen == 0:
                dead.append((card.id, response.id, offered))
            elif chosen > DOMINANT * offered:
                automatic.append((card.id, response.id, offered, chosen))
    return dead, automatic


def warnings(deck: Deck, tally: Tally) -> list[str]:
    """Balance warnings, in the deck's order."""
    found: list[str] = []
    for card in deck.cards:
        decided = sum(tally.chosen[card.id, r.id] for r in card.responses)
        picked = [r.id for r in card.responses if tally.chosen[card.id, r.id]]
        if decided >= JUDGED and len(picked) == 1:
            found.append(f'card "{card.id}": the choice never varies (always "{picked[0]}", {decided} times)')
        for response in card.responses:
            offered, chosen = tally.offered[card.id, response.id], tally.chosen[card.id, response.id]
            if offered < JUDGED:
                continue
            if chosen == 0:
                found.append(
                    f'card "{card.id}": response "{response.id}" offered {offered} times, never chosen'
                )
            elif chosen > DOMINANT * offered and len(picked) > 1:
                share = chosen / offered
                found.append(
                    f'card "{card.id}": response "{response.id}" chosen {share:.0%} of the {offered} times'
                    " it was offered"
                )
    for ending in deck.endings:
        if tally.games and not tally.endings[ending.id]:
            found.append(f'ending "{ending.id}" was never reached')
    return found


def format_report(summary: Summary) -> str:
    """The figures as text for a terminal."""
    data = summary.as_json()
    deck, games = summary.deck, data["games"]
    lines = [
        f'{games} games of "{deck.info.title}" v{deck.info.version}, seed {summary.seed}, '
        f"in {data['seconds']:.1f} s ({data['games_per_second']} games/s, {summary.jobs} job(s))",
        "",
        "Endings",
    ]
    for ending in deck.endings:
        count = data["endings"][ending.id]
        lines.append(f"  {ending.id:<28} {ending.kind:<7} {count:>7}  {_share(count, games)}")
    lines += ["", f"  {'Track at the end':<28} {'mean':>6} {'p10':>5} {'p50':>5} {'p90':>5}"]
    for track, figures in data["tracks"].items():
        lines.append(
            f"  {track:<28} {figures['mean']:>6} {figures['p10']:>5} {figures['p50']:>5} {figures['p90']:>5}"
        )
    held = sum(data["consultations"].values())
    results = ", ".join(f"{r} {n} ({_share(n, held)})" for r, n in data["consultations"].items())
    lines += ["", f"{deck.consultation.label} consultations: {held}" + (f" — {results}" if held else "")]
    lines += _council_lines(deck, data["councils"])
    lines += _posture_lines(deck, data["postures"])
    lines += _outcome_lines(deck, data)
    lines += [
        "",
        "Responses: offered, chosen (share of offers), mean effect when chosen: on the tracks;",
        "  on the deciding nation's own stats (stats:); of the consultation it opened (talks:)",
    ]
    for card in deck.cards:
        lines.append(f'  {card.id} "{card.title}"')
        for response_id, figures in data["responses"][card.id].items():
            effect = " ".join(f"{t} {d:+.2f}" for t, d in figures["mean_effect"].items())
            own = " ".join(f"{t} {d:+.2f}" for t, d in figures["mean_stats"].items() if d)
            talks = " ".join(f"{t} {d:+.2f}" for t, d in figures["mean_consultation"].items() if d)
            effect += f"  stats: {own}" if own else ""
            effect += f"  talks: {talks}" if talks else ""
            lines.append(
                f"    {response_id:<24} {figures['offered']:>7} {figures['chosen']:>7}"
                f" ({_share(figures['chosen'], figures['offered'])})  {effect}".rstrip()
            )
    lines += _investment_lines(deck, data["investments"])
    lines += _adversary_lines(summary.deck, data["adversary"], games)
    lines += _attribution_lines(summary.deck, data["attribution"])
    found = data["warnings"]
    lines += ["", f"Balance warnings: {len(found)}" if found else "Balance warnings: none"]
    lines += [f"  - {warning}" for warning in found]
    return "\n".join(lines)


def _outcome_lines(deck: Deck, data: dict[str, Any]) -> list[str]:
    """Survival, the seats' mean scores, when the defeats came and how often each objective was met."""
    games = data["games"]
    survival = data["survival"]
    lines = ["", f"Survival (no defeat): {survival:.0%}" if survival is not None else "Survival: -"]
    lines.append("  Mean score: " + ", ".join(f"{seat} {mean}" for seat, mean in data["scores"].items()))
    if deck.defeats:
        lines += ["", "Defeats by round: games ending so in rounds 1, 2, ..."]
        for ending_id, by_round in data["defeat_rounds"].items():
            counts = " ".join(f"{count:>4}" for count in by_round.values())
            lines.append(f"  {ending_id:<28} {counts}")
    lines += ["", "Objectives met at the end (as scored: a defeat meets none)"]
    for nation in deck.nations:
        for objective in nation.objectives:
            met = data["objectives"][nation.id][objective.id]["games"]
            lines.append(f"  {nation.id} {objective.id:<24} {met:>7}  {_share(met, games)}")
    return lines


def _investment_lines(deck: Deck, data: dict[str, dict[str, Any]]) -> list[str]:
    """Each investment's turns offered, purchases, and purchases that moved nothing but the price."""
    if not deck.investments:
        return []
    lines = ["", f"  {'Investments':<28} {'offered':>7} {'bought':>7} {'no effect':>10}"]
    for item in deck.investments:
        figures = data[item.id]
        futile = figures["bought_without_effect"]
        lines.append(
            f"  {item.id:<28} {figures['offered']:>7} {figures['bought']:>7} {futile:>10}"
            f"  {_share(futile, figures['bought'])}"
        )
    return lines


def _council_lines(deck: Deck, data: dict[str, Any]) -> list[str]:
    """The councils' outcomes, for a deck with alliance cards (under plurality, none deadlocks)."""
    if not any(card.target == "alliance" for card in deck.cards):
        return []
    adopted, deadlocked, held = data["adopted"], data["deadlocked"], data["held"]
    if deck.council.is_consensus:
        return [
            "",
            "Councils (consensus)",
            f"  held {held} — adopted {adopted} ({_share(adopted, held)}),"
            f" deadlocked {deadlocked} ({_share(deadlocked, held)})",
        ]
    return ["", "Councils (plurality)", f"  held {held} — every one decided by the most votes"]


def _posture_lines(deck: Deck, data: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    """Each posture's level at the end of the games, for a deck with postures."""
    if not data:
        return []
    lines = ["", "Postures at the end: games (share)"]
    for posture_id, levels in data.items():
        posture = deck.postures[posture_id]
        lines.append(f"  {posture.name} ({posture_id}, starts {posture.start})")
        for level_id, figures in levels.items():
            lines.append(f"    {level_id:<26} {figures['games']:>7}  {figures['share']:.0%}")
    return lines


def _adversary_lines(deck: Deck, data: dict[str, Any] | None, games: int) -> list[str]:
    if data is None:
        return []
    red = deck.adversary
    assert red is not None
    plays = data["plays"]
    persona = red.personas[data["persona"]].name
    lines = ["", f"{red.name} (the adversary, {persona}): {plays} cards played, {_per(plays, games)} a game"]
    lines.append(f"  {'Card played':<28} {'plays':>7}")
    for card in deck.cards:
        count = data["cards"][card.id]
        lines.append(f"  {card.id:<28} {count:>7}  {_share(count, plays)}")
    lines.append(f"  {'Aimed at':<28} {'plays':>7}")
    for target, count in data["targets"].items():
        name = "the alliance" if target == ALLIANCE else deck.nation(target).name
        lines.append(f"  {name:<28} {count:>7}  {_share(count, plays)}")
    score = data["score"]
    lines.append(f"  {red.name}'s score: {score['mean']} points a game on average")
    for objective in red.objectives:
        met = score["objectives"][objective.id]
        lines.append(f"    {objective.text:<26} met {met:>7}  {_share(met, games)}")
    return lines


def _attribution_lines(deck: Deck, data: dict[str, Any] | None) -> list[str]:
    if data is None:
        return []
    incidents, revealed = data["incidents"], data["revealed"]
    lines = [
        "",
        f"Attribution: {incidents} incidents, {revealed} revealed ({_share(revealed, incidents)});"
        f" {data['claims']} claims met the truth, {data['wrong_claims']} of them wrong",
    ]
    for card_id, truths in data["truths"].items():
        drawn = ", ".join(f"{truth} {count}" for truth, count in truths.items())
        wrong = data["wrong_claims_by_card"][card_id]
        lines.append(f"  {card_id:<28} {drawn}" + (f"; {wrong} wrong claim(s)" if wrong else ""))
    return lines


def _per(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "-"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"
