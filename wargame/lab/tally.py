"""What the lab counts over many games, kept as sums and histograms.

A tally never keeps whole games: memory stays flat however many are played, and tallies merge in any
order to the same totals, so the figures do not depend on how games were split between processes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from wargame.ai import choose, scripted
from wargame.engine import Table, legal_responses, new_table, offered, play
from wargame.engine.legality import always_legal
from wargame.engine.postures import level_of
from wargame.engine.rounds import investment_cause
from wargame.engine.scoring import result
from wargame.model import (
    Action,
    Controller,
    Deck,
    GameState,
    Invest,
    InvestDecision,
    Planner,
    RespondDecision,
)
from wargame.model.events import (
    FATIGUE,
    AttributionRevealed,
    CardPlayed,
    Cause,
    CauseKind,
    ClaimProved,
    ConsultationOpened,
    ConsultationRequested,
    ConsultationResolved,
    CouncilConcluded,
    PositionTaken,
    PostureSet,
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
        self.stat_effects: dict[Choice, Counter[str]] = {}
        """Sum over the games of each chosen response's change to the deciding nation's own stats
        (its price, effects and roll; none for a council's response, which has no deciding nation)."""
        self.consulted: dict[Choice, Counter[str]] = {}
        """Sum over the games of the track moves of the consultations a response opened (their
        result and fatigue)."""
        self.invest_offered: Counter[str] = Counter()
        """Investment id to the investment turns (a nation's, in a round) at whose start the nation could
        buy it."""
        self.bought: Counter[str] = Counter()
        self.futile: Counter[str] = Counter()
        """Investment id to how many purchases moved nothing but its price (the effect clamped away)."""
        self.met: Counter[tuple[str, str]] = Counter()
        """(nation id, objective id) to how many games ended with it met, as scored (a defeat meets none)."""
        self.points: Counter[str] = Counter()
        """Seat (nation id, or the adversary's) to its points summed over the games."""
        self.defeat_rounds: dict[str, Counter[int]] = {}
        """Defeat ending id to the round it happened in to how many games."""
        # While one action is played: the deciding nation and its response, the investment bought
        # (its cause), what that purchase moved beyond its price, and the response whose
        # consultation is open.
        self._actor: str | None = None
        self._choice: Choice | None = None
        self._buying: Cause | None = None
        self._residue: dict[tuple[str | None, str], int] = {}
        self._touched = False
        self._consulting: Choice | None = None

    def merge(self, other: Tally) -> None:
        """Add another tally's totals to this one."""
        self.games += other.games
        self.endings += other.endings
        for track, histogram in other.finals.items():
            self.finals.setdefault(track, Counter()).update(histogram)
        self.offered += other.offered
        self.chosen += other.chosen
        _merge_nested(self.effects, other.effects)
        self.consultations += other.consultations
        self.positions += other.positions
        self.councils += other.councils
        self.decided += other.decided
        _merge_nested(self.postures, other.postures)
        self.played += other.played
        self.aimed += other.aimed
        self.red_points += other.red_points
        self.red_met += other.red_met
        _merge_nested(self.truths, other.truths)
        self.revealed += other.revealed
        self.claims += other.claims
        self.wrong += other.wrong
        _merge_nested(self.stat_effects, other.stat_effects)
        _merge_nested(self.consulted, other.consulted)
        self.invest_offered += other.invest_offered
        self.bought += other.bought
        self.futile += other.futile
        self.met += other.met
        self.points += other.points
        _merge_nested(self.defeat_rounds, other.defeat_rounds)

    def play(
        self, deck: Deck, seed: int, controllers: Mapping[str, Controller]
    ) -> tuple[GameState, list[Action]]:
        """Play one AI game to its end, counting it; return its final state and its actions."""
        # One table for the whole game: no frozen state between actions, only at the end. Quiet: the
        # lab counts none of the events that only tell the story.
        table = new_table(deck, seed, controllers, quiet=True)
        actions: list[Action] = []
        counters = _COUNTERS
        always = _always_offered(deck)
        turns: Counter[tuple[str, ...]] = Counter()
        # Without a planner seat `choose` is the scripted AI at every decision: called directly.
        planned = any(type(controller) is Planner for controller in table.controllers.values())
        decide = choose if planned else scripted
        while table.pending is not None:
            decision = table.pending
            action = decide(table, decision.seat)
            if isinstance(decision, RespondDecision) and not decision.votes:
                # A council is counted once, when its first vote is asked for. A card whose
                # responses are legal in any state (three in ten) is not asked again.
                keys = always[decision.card]
                if keys is None:
                    for response in legal_responses(table, decision):
                        self.offered[decision.card, response.id] += 1
                else:
                    for pair in keys:
                        self.offered[pair] += 1
            elif isinstance(decision, InvestDecision):
                if not decision.bought:
                    # Once a turn, at its start: what the nation could buy, as the engine worked it
                    # out to offer the turn (remembered on the deck by the values that decide it).
                    turns[offered(table, decision.nation)] += 1
                if isinstance(action, Invest):
                    self._buy(table, action, counters)
                    actions.append(action)
                    continue
            # One look-up per event: a game has hundreds, most of which the lab does not count.
            for event in play(table, action):
                counter = counters.get(type(event))
                if counter is not None:
                    counter(self, event)
            if table.told:
                self._count_told(table.told)
            actions.append(action)
        state = table.freeze()
        self.games += 1
        for ids, count in turns.items():
            for investment in ids:
                self.invest_offered[investment] += count
        # From the end, not from a `GameEnded` event: a game may end before its first decision.
        assert state.ending is not None
        self.endings[state.ending] += 1
        scored = result(state)
        if scored.defeat:
            rounds = self.defeat_rounds.get(state.ending)
            if rounds is None:
                rounds = self.defeat_rounds[state.ending] = Counter()
            rounds[state.round] += 1
        for nation_score in scored.scores:
            self.points[nation_score.nation] += nation_score.points
            for objective in nation_score.met:
                self.met[nation_score.nation, objective] += 1
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
        red = scored.adversary
        if red is not None:
            self.red_points[red.points] += 1
            self.red_met.update(red.met)
            self.points[red.nation] += red.points
        return state, actions

    def _buy(self, table: Table, action: Invest, counters: dict[type, Callable[[Tally, Any], None]]) -> None:
        """A purchase: bought, and whether anything but its price moved."""
        investment = table.deck.investment(action.investment)
        self._buying, self._touched = investment_cause(investment.id), False
        residue: dict[tuple[str | None, str], int] = {}
        self._residue = residue
        try:
            for event in play(table, action):
                counter = counters.get(type(event))
                if counter is not None:
                    counter(self, event)
            if table.told:
                self._count_told(table.told)
        finally:
            self._buying = None
        # What the price took is not an effect: the engine only lets a nation buy what it can pay.
        key = (action.nation, "treasury")
        residue[key] = residue.get(key, 0) + investment.cost
        for stat, amount in investment.stat_costs.items():
            residue[action.nation, stat] = residue.get((action.nation, stat), 0) + amount
        self.bought[investment.id] += 1
        if not self._touched and not any(residue.values()):
            self.futile[investment.id] += 1

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
        elif cause.kind is CauseKind.CONSULTATION or cause is FATIGUE:
            opener = self._consulting
            if opener is not None:
                sums = self.consulted.get(opener)
                if sums is None:
                    sums = self.consulted[opener] = Counter()
                sums[event.track] += event.after - event.before
        elif cause is self._buying:
            self._touched = True

    def _count_told(self, told: list[tuple[str | None, str, int, Cause]]) -> None:
        """The stat moves a quiet table noted (those a response, its roll or an investment caused)."""
        actor, buying = self._actor, self._buying
        for nation, stat, delta, cause in told:
            if cause is buying:
                key = (nation, stat)
                self._residue[key] = self._residue.get(key, 0) + delta
            elif nation == actor and actor is not None and cause.kind is not CauseKind.INVESTMENT:
                assert cause.card is not None and cause.response is not None
                choice = (cause.card, cause.response)
                sums = self.stat_effects.get(choice)
                if sums is None:
                    sums = self.stat_effects[choice] = Counter()
                sums[stat] += delta
        told.clear()

    def _count_moved(self, event: PostureSet) -> None:
        if event.cause is self._buying:
            self._touched = True

    def _count_reveal(self, event: AttributionRevealed) -> None:
        # Only a purchase's own reveal roll reveals during a purchase's action.
        if self._buying is not None:
            self._touched = True

    def _count_opened(self, event: ConsultationOpened) -> None:
        self._consulting = self._choice if self._actor == event.nation else None

    def _count_request(self, event: ConsultationRequested) -> None:
        # A consultation a follow-up requested belongs to no response.
        self._actor = self._choice = None

    def _count_response(self, event: ResponseChosen) -> None:
        self.chosen[event.card, event.response] += 1
        # Whose stat moves are the response's own, and which response a consultation opened now
        # would belong to: the events that follow are this response's, up to the next decision.
        self._actor, self._choice = event.nation, (event.card, event.response)
        if event.nation is None:
            self.decided += 1

    def _count_position(self, event: PositionTaken) -> None:
        self.positions[event.position] += 1

    def _count_consultation(self, event: ConsultationResolved) -> None:
        self.consultations[event.result] += 1

    def _count_play(self, event: CardPlayed) -> None:
        self.played[event.card] += 1
        self.aimed[ALLIANCE if event.target is None else event.target] += 1

    def _count_council(self, event: CouncilConcluded) -> None:
        self.councils["adopted" if event.adopted else "deadlocked"] += 1

    def _count_claim(self, event: ClaimProved) -> None:
        self.claims[event.card] += 1
        if event.wrong:
            self.wrong[event.card] += 1


_ALWAYS: dict[int, tuple[Deck, dict[str, tuple[Choice, ...] | None]]] = {}


def _always_offered(deck: Deck) -> dict[str, tuple[Choice, ...] | None]:
    """Card id to its (card, response) pairs when every response is legal whatever the state
    (`engine.legality.always_legal`), else None; worked out once per deck."""
    known = _ALWAYS.get(id(deck))
    if known is not None and known[0] is deck:
        return known[1]
    always = {
        card.id: (
            tuple((card.id, response.id) for response in card.responses)
            if all(always_legal(deck, response) for response in card.responses)
            else None
        )
        for card in deck.cards
    }
    if len(_ALWAYS) >= 16:
        _ALWAYS.clear()
    _ALWAYS[id(deck)] = (deck, always)
    return always


def _merge_nested(mine: dict[Any, Counter[Any]], theirs: dict[Any, Counter[Any]]) -> None:
    """Add counters kept by key (a card's truths, a posture's levels, ...) to these."""
    for key, counts in theirs.items():
        mine.setdefault(key, Counter()).update(counts)


#: The events a tally counts, by type, and how.
_COUNTERS: dict[type, Callable[[Tally, Any], None]] = {
    TrackMoved: Tally._count_track,
    ResponseChosen: Tally._count_response,
    PositionTaken: Tally._count_position,
    ConsultationResolved: Tally._count_consultation,
    PostureSet: Tally._count_moved,
    AttributionRevealed: Tally._count_reveal,
    ConsultationOpened: Tally._count_opened,
    ConsultationRequested: Tally._count_request,
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
