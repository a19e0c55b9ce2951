"""What the lab counts over many games, kept as sums and histograms.

A tally never keeps whole games: memory stays flat however many are played, and tallies merge in any
order to the same totals, so the figures do not depend on how games were split between processes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from wargame.ai import choose
from wargame.engine import Table, legal_responses, new_game, play
from wargame.engine.postures import level_of
from wargame.engine.scoring import adversary_score
from wargame.model import Action, Controller, Deck, GameState, RespondDecision
from wargame.model.events import (
    CardPlayed,
    CauseKind,
    ClaimProved,
    ConsultationResolved,
    CouncilConcluded,
    GameEnded,
    PositionTaken,
    ResponseChosen,
    TrackMoved,
)

#: A (card id, response id) pair.
Choice = tuple[str, str]

#: Where the tally counts the adversary's plays of alliance cards, beside the nation ids (a card
#: target word, so never a nation's id).
ALLIANCE = "alliance"


class Tally:
    """Totals over the games played so far."""

    def __init__(self) -> None:
        self.games = 0
        self.endings: Counter[str] = Counter()
        self.finals: dict[str, Counter[int]] = {}
        """Track id to a histogram of its value at the end of each game."""
        self.offered: Counter[Choice] = Counter()
        self.chosen: Counter[Choice] = Counter()
        self.effects: dict[Choice, Counter[str]] = {}
        """Sum over the games of each chosen response's effect on each track (with its roll)."""
        self.consultations: Counter[str] = Counter()
        """Consultation result (a `ConsultationResult`, which is its word) to how many ended so."""
        self.positions: Counter[str] = Counter()
        self.councils: Counter[str] = Counter()
        """Under a consensus council: "adopted" and "deadlocked" to how many councils ended so."""
        self.decided = 0
        """Alliance cards a council decided (any kind of council): a plurality council's are all
        adopted, as it cannot deadlock."""
        self.postures: dict[str, Counter[str]] = {}
        """Posture id to level id to how many games ended with the posture at that level."""
        # The adversary and attribution (rules v2): nothing is counted for a deck without them.
        self.played: Counter[str] = Counter()
        """Card id to how many times the adversary played it."""
        self.aimed: Counter[str] = Counter()
        """Nation id (or `ALLIANCE`) to how many of the adversary's plays aimed at it."""
        self.red_points: Counter[int] = Counter()
        """Histogram of the adversary's points at the end of each game."""
        self.red_met: Counter[str] = Counter()
        """The adversary's objective id to how many games ended with it met."""
        self.truths: dict[str, Counter[str]] = {}
        """Card id to truth to how many incidents of that card had it (drawn as they came into play)."""
        self.revealed = 0
        """Incidents whose truth was revealed during the game."""
        self.claims: Counter[str] = Counter()
        """Card id to how many claims about its incidents met the revealed truth."""
        self.wrong: Counter[str] = Counter()
        """Card id to how many of those claims turned out wrong."""

    def merge(self, other: Tally) -> None:
        """Add another tally's totals to this one."""
        self.games += other.games
        self.endings += other.endings
        for track, histogram in other.finals.items():
            self.finals.setdefault(track, Counter()).update(histogram)
        self.offered += other.offered
        self.chosen += other.chosen
        for choice, sums in other.effects.items():
            self.effects.setdefault(choice, Counter()).update(sums)
        self.consultations += other.consultations
        self.positions += other.positions
        self.councils += other.councils
        self.decided += other.decided
        for posture, levels in other.postures.items():
            self.postures.setdefault(posture, Counter()).update(levels)
        self.played += other.played
        self.aimed += other.aimed
        self.red_points += other.red_points
        self.red_met += other.red_met
        for card, truths in other.truths.items():
            self.truths.setdefault(card, Counter()).update(truths)
        self.revealed += other.revealed
        self.claims += other.claims
        self.wrong += other.wrong

    def play(
        self, deck: Deck, seed: int, controllers: Mapping[str, Controller]
    ) -> tuple[GameState, list[Action]]:
        """Play one AI game to its end, counting it; return its final state and its actions."""
        # One table for the whole game: no frozen state between actions, only at the end. Quiet: the
        # lab counts none of the events that only tell the story.
        table = Table(new_game(deck, seed, controllers), quiet=True)
        actions: list[Action] = []
        counters = _COUNTERS
        while table.pending is not None:
            decision = table.pending
            action = choose(table, decision.seat)
            if isinstance(decision, RespondDecision) and not decision.votes:
                # A council is counted once, when its first vote is asked for.
                for response in legal_responses(table, decision):
                    self.offered[decision.card, response.id] += 1
            # One look-up per event: a game has hundreds, most of which the lab does not count.
            for event in play(table, action):
                counter = counters.get(type(event))
                if counter is not None:
                    counter(self, event)
            actions.append(action)
        state = table.freeze()
        self.games += 1
        for track, value in state.tracks.items():
            self.finals.setdefault(track, Counter())[value] += 1
        if deck.postures:
            # Once a game, from its end (a deck without postures skips it): the levels they ended at.
            for posture_id in deck.postures:
                levels = self.postures.get(posture_id)
                if levels is None:
                    levels = self.postures[posture_id] = Counter()
                levels[level_of(deck, state.postures, posture_id)] += 1
        # Once a game, from its end: a v1 deck has neither incidents nor an adversary.
        for incident in state.incidents:
            assert incident.truth is not None  # the state itself, not a view
            truths = self.truths.get(incident.card)
            if truths is None:
                truths = self.truths[incident.card] = Counter()
            truths[incident.truth] += 1
            if incident.revealed is not None:
                self.revealed += 1
        if deck.adversary is not None:
            red = adversary_score(state)
            assert red is not None
            self.red_points[red.points] += 1
            self.red_met.update(red.met)
        return state, actions

    def _count_track(self, event: TrackMoved) -> None:
        cause = event.cause
        if cause.kind is CauseKind.RESPONSE or cause.kind is CauseKind.ROLL:
            assert cause.card is not None and cause.response is not None
            choice = (cause.card, cause.response)
            # Not `setdefault(choice, Counter())`: that builds a counter for every move.
            sums = self.effects.get(choice)
            if sums is None:
                sums = self.effects[choice] = Counter()
            sums[event.track] += event.after - event.before

    def _count_response(self, event: ResponseChosen) -> None:
        self.chosen[event.card, event.response] += 1
        if event.nation is None:
            self.decided += 1

    def _count_position(self, event: PositionTaken) -> None:
        self.positions[event.position] += 1

    def _count_consultation(self, event: ConsultationResolved) -> None:
        self.consultations[event.result] += 1

    def _count_ending(self, event: GameEnded) -> None:
        self.endings[event.ending] += 1

    def _count_play(self, event: CardPlayed) -> None:
        self.played[event.card] += 1
        self.aimed[ALLIANCE if event.target is None else event.target] += 1

    def _count_council(self, event: CouncilConcluded) -> None:
        self.councils["adopted" if event.adopted else "deadlocked"] += 1

    def _count_claim(self, event: ClaimProved) -> None:
        self.claims[event.card] += 1
        if event.wrong:
            self.wrong[event.card] += 1


#: The events a tally counts, by type, and how.
_COUNTERS: dict[type, Callable[[Tally, Any], None]] = {
    TrackMoved: Tally._count_track,
    ResponseChosen: Tally._count_response,
    PositionTaken: Tally._count_position,
    ConsultationResolved: Tally._count_consultation,
    GameEnded: Tally._count_ending,
    CardPlayed: Tally._count_play,
    ClaimProved: Tally._count_claim,
    CouncilConcluded: Tally._count_council,
}


#: Called with each game's index in the run, final state and actions (e.g. to save it).
Keeper = Callable[[int, GameState, list[Action]], None]


def play_games(
    deck: Deck,
    seeds: list[int],
    controllers: Mapping[str, Controller],
    keep: Keeper | None = None,
    first: int = 0,
) -> Tally:
    """Play one AI game per seed and tally them; `keep(first + i, state, actions)` sees game i."""
    tally = Tally()
    for offset, seed in enumerate(seeds):
        state, actions = tally.play(deck, seed, controllers)
        if keep is not None:
            keep(first + offset, state, actions)
    return tally
