"""The round, step by step (DESIGN §3): income, incursions, Article 4, investment, round end.

Each function moves a table forward until the next decision a nation must make, or the end.
Defeat endings are checked after every resolution, so each step stops as soon as the game is over.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache

from wargame.engine import adversary, attribution
from wargame.engine.conditions import holds_all
from wargame.engine.interned import interned
from wargame.engine.legality import offered
from wargame.engine.postures import chance_bonus, extra_cost
from wargame.engine.table import Table
from wargame.model import (
    POSITIONS,
    Board,
    Card,
    ConsultationResult,
    FollowUpDecision,
    InvestDecision,
    Position,
    PositionDecision,
    RespondDecision,
    Response,
)
from wargame.model.events import (
    DRIFT,
    FATIGUE,
    INCOME,
    CardDrawn,
    CardPlayed,
    Cause,
    CauseKind,
    ConsultationOpened,
    ConsultationRequested,
    ConsultationResolved,
    Passed,
    PositionTaken,
    ResponseChosen,
    RollMade,
    RoundEnded,
    RoundStarted,
    VoteCast,
    VotesRevealed,
)

MIN_CHANCE = 5
MAX_CHANCE = 95


# Causes are made once per card, response or investment and reused: a game moves values hundreds
# of times, and the lab plays hundreds of games a second.
@lru_cache(maxsize=4096)
def card_cause(card: str) -> Cause:
    """The cause of a card's effects as it is drawn."""
    return Cause(CauseKind.CARD, card=card)


@lru_cache(maxsize=4096)
def response_causes(card: str, response: str) -> tuple[Cause, Cause]:
    """The causes of a response's effects and of its roll's outcome."""
    chosen = Cause(CauseKind.RESPONSE, card=card, response=response)
    rolled = Cause(CauseKind.ROLL, card=card, response=response)
    return chosen, rolled


@lru_cache(maxsize=4096)
def investment_cause(investment: str) -> Cause:
    """The cause of an investment's price and effects."""
    return Cause(CauseKind.INVESTMENT, investment=investment)


_RESULT_CAUSES = {result: Cause(CauseKind.CONSULTATION, result=result) for result in ConsultationResult}
#: The position that stood against each result.
_AGAINST: dict[ConsultationResult, Position] = {
    ConsultationResult.UNIFIED: "restrain",
    ConsultationResult.RESTRAINED: "support",
}
_POSITION_CAUSES: dict[str, Cause] = {
    position: Cause(CauseKind.POSITION, position=position) for position in POSITIONS
}


def begin_round(table: Table) -> None:
    """Pay income, count the round's draws and draw the first card."""
    if not table.quiet:
        table.events.append(RoundStarted(table.round))
    table.pay_income(INCOME)
    extra = 0
    for draw in table.deck.extra_draws:
        if table.holds(draw.when):
            extra += draw.count
    red = table.deck.adversary
    if red is not None:
        adversary.begin_round(table, red, extra)
    else:
        table.draws_left = table.deck.info.draws_per_round + extra
    draw_next(table)


def draw_next(table: Table) -> None:
    """Draw the next incursion card (or ask the adversary to play one), or open the investment phase
    when the round's cards are done."""
    red = table.deck.adversary
    if table.draws_left <= 0 or (red is not None and not adversary.offer_play(table, red)):
        table.draws_left = 0
        offer_investments(table, 0)
        return
    if red is not None:
        return
    table.draws_left -= 1
    card = table.deck.card(table.draw())
    target = pick_target(table, card)
    table.events.append(CardDrawn(card.id, target))
    bring_into_play(table, card, target)


def play_card(table: Table, seat: str, card_id: str, target: str | None) -> None:
    """The adversary plays a card from its hand at a target."""
    card = adversary.play(table, card_id)
    table.events.append(interned(CardPlayed, card.id, target, seat))
    bring_into_play(table, card, target)


def bring_into_play(table: Table, card: Card, target: str | None) -> None:
    """A card comes into play, drawn or played: its truth is drawn, its `on_draw` applies, and the
    target (or, for an alliance card, the council) is asked for a response."""
    table.card, table.target = card.id, target
    if card.attribution:
        attribution.draw_truth(table, card)
    table.apply_effect(card.on_draw, target, target, card_cause(card.id))
    if table.check_defeat():
        return
    if target is None:
        table.pending = interned(RespondDecision, card.id, None, table.deck.nations[0].id)
    else:
        table.pending = interned(RespondDecision, card.id, target, target)


def pick_target(table: Table, card: Card) -> str | None:
    """The nation a drawn card lands on, chosen by the PRNG among several."""
    if card.target == "alliance":
        return None
    if isinstance(card.target, str) and card.target not in ("frontline", "any"):
        return card.target
    choices = adversary.targets(table.deck, card)
    return choices[table.below(len(choices))]


def success_chance(
    response: Response,
    stats: Mapping[str, Mapping[str, int]],
    actor: str | None,
    board: Board | None = None,
) -> int:
    """A response's percent chance of success for this actor, capped 5-95.

    An alliance council has no single actor: it counts the alliance's mean readiness, rounded down.
    `board` gives the postures' bonus (see `engine.postures`); without it, none.
    """
    if response.chance is None:
        return 100
    bonus = chance_bonus(board, response.id) if board is not None and board.deck.postures else 0
    return chance_at(response, readiness_of(stats, actor), bonus)


def readiness_of(stats: Mapping[str, Mapping[str, int]], actor: str | None) -> int:
    """The readiness a roll counts: the actor's, or for a council (no actor) the alliance's mean,
    rounded down."""
    if actor is None:
        return sum([values["readiness"] for values in stats.values()]) // len(stats)
    return stats[actor]["readiness"]


def chance_at(response: Response, readiness: int, bonus: int = 0) -> int:
    """A response's percent chance of success at this readiness, capped 5-95 (100 without a roll);
    `bonus` is what the postures add."""
    if response.chance is None:
        return 100
    chance = response.chance + response.readiness_bonus * readiness + bonus
    return min(MAX_CHANCE, max(MIN_CHANCE, chance))


def recent_consultations(consultations: Sequence[int], round_number: int, window: int) -> int:
    """How many consultations were held in the last `window` rounds (this one included)."""
    # From the newest back: rounds are recorded in the order held, so the first one outside the
    # window ends the count (the AI asks this at most of its decisions).
    floor, count = round_number - window, 0
    for held in reversed(consultations):
        if held <= floor:
            break
        count += 1
    return count


def resolve_response(table: Table, card: Card, response: Response, actor: str | None) -> None:
    """Pay for a response, apply its effects and roll, then open a consultation or move on."""
    cause, roll_cause = response_causes(card.id, response.id)
    table.events.append(interned(ResponseChosen, card.id, response.id, actor))
    # A posture may add to a response's cost, even a free one's (see `engine.postures`).
    extra = extra_cost(table, response.id) if actor is not None and table.deck.postures else 0
    if actor is not None and (extra or not response.is_free):
        if response.cost + extra:
            table.move_stat(actor, "treasury", -(response.cost + extra), cause)
        for stat, amount in response.stat_costs.items():
            table.move_stat(actor, stat, -amount, cause)
    table.apply_effect(response.effects, actor, actor, cause)
    if response.chance is not None:
        chance = success_chance(response, table.stats, actor, table)
        roll = table.below(100) + 1
        # A roll forced for one nation waits for that nation's roll; one for nobody takes the next.
        forced = table.forced_roll is not None and table.forced_seat in (None, actor)
        success = bool(table.forced_roll) if forced else roll <= chance
        if forced:
            table.forced_roll, table.forced_seat = None, None
        table.events.append(RollMade(card.id, response.id, chance, roll, success, forced))
        outcome = response.success if success else response.failure
        table.apply_effect(outcome, actor, actor, roll_cause)
    if card.attribution:
        if attribution.rolls(table, response.reveal):
            attribution.reveal_current(table)
        if response.claims is not None:
            attribution.claim(table, card, response, actor)
    if actor is not None and table.deck.adversary is not None:
        # Whether the target let the card go, for the adversary's eyes: no price, no roll, no talks.
        lets_go = response.is_free and response.chance is None and not response.consultation
        if lets_go != (actor in table.let_go):
            table.let_go = table.let_go | {actor} if lets_go else table.let_go - {actor}
    if table.check_defeat():
        return
    if response.consultation and actor is not None:
        open_consultation(table, card, actor)
    elif card.article4_after and actor is not None:
        # The card allows a second decision: the target may still request consultations.
        table.pending = interned(FollowUpDecision, card.id, actor)
    else:
        finish_card(table)


def follow_up(table: Table, decision: FollowUpDecision, request: bool) -> None:
    """The target's second decision: open consultations as a response with `consultation` would, or
    move on to the next card."""
    table.events.append(ConsultationRequested(decision.card, decision.nation, request))
    table.pending = None
    if request:
        # Talks after all: for the adversary's eyes, the card was not let go.
        table.let_go = table.let_go - {decision.nation}
        open_consultation(table, table.deck.card(decision.card), decision.nation)
    else:
        finish_card(table)


def record_vote(table: Table, decision: RespondDecision, nation: str, response_id: str) -> None:
    """Add a council vote; when every nation has voted, the plurality's response is resolved."""
    if not table.quiet:
        table.events.append(VoteCast(decision.card, response_id, nation))
    votes = (*decision.votes, (nation, response_id))
    nations = table.deck.nations
    if len(votes) < len(nations):
        table.pending = interned(RespondDecision, decision.card, None, nations[len(votes)].id, votes)
        return
    card = table.deck.card(decision.card)
    tally: dict[str, int] = {}
    for _, voted in votes:
        tally[voted] = tally.get(voted, 0) + 1
    # The most votes wins; ties go to the response listed first in the deck.
    best, most = card.responses[0], -1
    for response in card.responses:
        if tally.get(response.id, 0) > most:
            best, most = response, tally.get(response.id, 0)
    table.pending = None
    if table.deck.info.sealed_votes:
        table.events.append(VotesRevealed(card.id, votes))
    if table.deck.adversary is not None:
        add_dissent(table, [voter for voter, response in votes if response != best.id])
    resolve_response(table, card, best, None)


def add_dissent(table: Table, nations: Sequence[str]) -> None:
    """Count that these nations stood against the outcome (what a dividing adversary looks for)."""
    if nations:
        dissent = dict(table.dissent)
        for nation in nations:
            dissent[nation] = dissent.get(nation, 0) + 1
        table.dissent = dissent


def finish_card(table: Table) -> None:
    """Discard the card in play and draw the next one."""
    if table.card is not None:
        table.discard_card(table.card)
    table.card, table.target = None, None
    draw_next(table)


def open_consultation(table: Table, card: Card, invoker: str) -> None:
    """Ask every other nation, in turn order, for its position."""
    table.events.append(interned(ConsultationOpened, invoker, card.id))
    others = table.deck.others(invoker)
    if not others:
        resolve_consultation(table, invoker, ())
        return
    table.pending = interned(PositionDecision, card.id, invoker, others[0])


def record_position(table: Table, decision: PositionDecision, nation: str, position: Position) -> None:
    """Apply the position's effect on the nation that takes it, then ask the next nation."""
    table.events.append(interned(PositionTaken, nation, position))
    persona = table.deck.personas[table.deck.nation(nation).persona]
    table.apply_effect(persona.reaction(position), nation, nation, _POSITION_CAUSES[position])
    if table.check_defeat():
        return
    positions = (*decision.positions, (nation, position))
    others = table.deck.others(decision.invoker)
    if len(positions) < len(others):
        table.pending = interned(
            PositionDecision, decision.card, decision.invoker, others[len(positions)], positions
        )
    else:
        resolve_consultation(table, decision.invoker, positions)


def consultation_result(support: int, restrain: int, threshold: int) -> ConsultationResult:
    """Unified, restrained or split, from the non-abstaining nations' shares."""
    voting = support + restrain
    if voting and support * 100 >= threshold * voting:
        return ConsultationResult.UNIFIED
    if voting and restrain * 100 >= threshold * voting:
        return ConsultationResult.RESTRAINED
    return ConsultationResult.SPLIT


def resolve_consultation(table: Table, invoker: str, positions: tuple[tuple[str, Position], ...]) -> None:
    """Apply the consultation's result and its fatigue, then move on to the next card."""
    rules = table.deck.consultation
    count = Counter(position for _, position in positions)
    result = consultation_result(count["support"], count["restrain"], rules.threshold)
    recent = recent_consultations(table.consultations, table.round, rules.fatigue_window)
    table.events.append(
        ConsultationResolved(invoker, result, count["support"], count["restrain"], count["abstain"], recent)
    )
    table.apply_effect(rules.effect(result), invoker, invoker, _RESULT_CAUSES[result])
    for _ in range(recent):
        table.apply_effect(rules.fatigue, invoker, invoker, FATIGUE)
    table.record_consultation(result)
    if table.deck.adversary is not None:
        against = _AGAINST.get(result)
        add_dissent(table, [nation for nation, position in positions if position == against])
    table.pending = None
    if not table.check_defeat():
        finish_card(table)


def can_invest(table: Table, nation: str, bought: Mapping[str, int]) -> bool:
    """Whether the nation can buy anything more this round."""
    deck = table.deck
    treasury = table.stats[nation]["treasury"]
    cheapest = deck.cheapest
    if cheapest is not None and treasury < cheapest:
        # Most nations that pass cannot pay for the cheapest item: no need to ask of each.
        return False
    if not bought:
        # At a turn's start (nine in ten asked): the price of one that asks nothing else decides
        # most; the rest are remembered by the values that decide them, shared with the AI and lab.
        sure = deck.sure_price
        return (sure is not None and treasury >= sure) or bool(offered(table, nation))
    # What it could buy with nothing bought, less what it has bought up to the limit. A loop, not
    # any() over a generator: this runs at every investment turn.
    investment = deck.investment
    for item in offered(table, nation):  # noqa: SIM110
        if bought.get(item, 0) < investment(item).limit:
            return True
    return False


def offer_investments(table: Table, index: int, bought: dict[str, int] | None = None) -> None:
    """Give the investment turn to the nation at `index` in turn order, or end the round after the last.

    `bought` is what that nation bought this round (None: nothing): a new mapping, which its decision
    keeps. A nation that can buy nothing (more) passes at once: there is nothing to decide.
    """
    nations = table.deck.nation_ids
    while index < len(nations):
        nation = nations[index]
        if bought is None:
            if can_invest(table, nation, _NOTHING_BOUGHT):
                table.pending = _first_turn(nation)
                return
        elif can_invest(table, nation, bought):
            table.pending = InvestDecision(nation, bought)
            return
        if not table.quiet:
            table.events.append(Passed(nation))
        index, bought = index + 1, None
    table.pending = None
    end_round(table)


#: What a nation has bought at its turn's start: nothing, one mapping never changed (`_invest` copies
#: what a decision holds before adding to it).
_NOTHING_BOUGHT: Mapping[str, int] = {}
#: A turn's first decision by nation, made once: a frozen value costs as much as a dozen look-ups,
#: and a lab game makes some sixty.
_FIRST_TURNS: dict[str, InvestDecision] = {}


def _first_turn(nation: str) -> InvestDecision:
    decision = _FIRST_TURNS.get(nation)
    if decision is None:
        if len(_FIRST_TURNS) >= 256:
            _FIRST_TURNS.clear()
        decision = _FIRST_TURNS[nation] = InvestDecision(nation, _NOTHING_BOUGHT)
    return decision


def next_investor(table: Table, nation: str) -> None:
    """Pass the investment turn to the nation after this one."""
    offer_investments(table, table.deck.seat(nation) + 1)


def end_round(table: Table) -> None:
    """Apply the drift, record the tracks' history, and start the next round or end the game."""
    tracks, stats, round_number = table.tracks, table.stats, table.round
    for drift in table.deck.drift:
        # `table.holds` written out, and not asked of a drift that applies every round: a round
        # ends with eight drifts to weigh.
        if not drift.when or holds_all(drift.when, tracks, stats, round_number, None, None, table):
            table.apply_effect(drift.effects, None, None, DRIFT)
    table.record_history()
    if not table.quiet:
        table.events.append(RoundEnded(table.round, dict(table.tracks)))
    if table.check_defeat():
        return
    if table.round >= table.deck.info.rounds:
        finals = [ending for ending in table.deck.endings if ending.kind == "final"]
        # Decks are checked to end with an unconditional final ending; the fallback is for others.
        final = next((ending for ending in finals if table.holds(ending.when)), finals[-1])
        table.end(final.id, defeat=False)
        return
    table.next_round()
    begin_round(table)
