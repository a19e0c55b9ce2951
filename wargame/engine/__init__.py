"""The rules of Eastern Flank as pure functions over frozen game states.

    state = new_game(deck, seed=7, controllers={"POL": Human()})
    while not is_over(state):
        state, events = apply(state, legal_actions(state)[0])
    print(result(state).ending)

A game is its deck, its seed and its actions: the same three give the same states and events on every
platform. The engine reads no files and no clock, and imports neither textual, cattrs, tomllib nor
`random` (its PRNG is in `prng`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from wargame.engine import adversary, attribution, council, prng, rounds
from wargame.engine.legality import (
    IllegalActionError,
    Refusal,
    RefusalCode,
    is_legal,
    is_purchasable,
    legal_actions,
    legal_investments,
    legal_responses,
    offered,
    refusal,
)
from wargame.engine.rounds import (
    consultation_result,
    investment_cause,
    recent_consultations,
    success_chance,
)
from wargame.engine.scoring import result, score
from wargame.engine.table import Table
from wargame.model import (
    Action,
    AdjustStat,
    AdjustTrack,
    ChooseResponse,
    Controller,
    ControllerError,
    Deck,
    FacilitatorAction,
    FollowUpDecision,
    ForceRoll,
    GameState,
    Human,
    InjectCard,
    Invest,
    InvestDecision,
    Object,
    Pass,
    PlayCard,
    PositionDecision,
    ProposalDecision,
    RequestConsultation,
    RespondDecision,
    Scripted,
    TakePosition,
    VetoCard,
    parse_controller,
)
from wargame.model.events import (
    CardInjected,
    Cause,
    CauseKind,
    Event,
    Invested,
    NoteAdded,
    Passed,
    RollForced,
)

__all__ = [
    "IllegalActionError",
    "Refusal",
    "RefusalCode",
    "SetupError",
    "Table",
    "apply",
    "consultation_result",
    "is_legal",
    "is_over",
    "is_purchasable",
    "legal_actions",
    "legal_investments",
    "legal_responses",
    "new_game",
    "new_table",
    "offered",
    "play",
    "recent_consultations",
    "result",
    "score",
    "start_game",
    "success_chance",
]


class SetupError(ValueError):
    """A game cannot start with these controllers."""


def new_game(deck: Deck, seed: int, controllers: Mapping[str, Controller | str] | None = None) -> GameState:
    """A new game on a deck, at the first decision of round 1.

    `controllers` maps seats (nation ids, and the adversary's id when the deck has one) to `Human()`
    or `Scripted(persona)` (a `Planner(persona)` is one; or their text, "human", "ai:<persona>" or
    "ai:<persona>:planner"); a seat left out is played by
    the AI with its default persona. The deck should have passed `storage` checks. Raises
    `SetupError` for an unknown seat or controller.
    """
    return start_game(deck, seed, controllers)[0]


def start_game(
    deck: Deck, seed: int, controllers: Mapping[str, Controller | str] | None = None
) -> tuple[GameState, list[Event]]:
    """Like `new_game`, with the events of the set-up: round 1's start, income and first card."""
    table = new_table(deck, seed, controllers)
    return table.freeze(), table.events


def new_table(
    deck: Deck, seed: int, controllers: Mapping[str, Controller | str] | None = None, *, quiet: bool = False
) -> Table:
    """Like `new_game`, as a table to play on in place (see `play`): the lab starts each game so,
    without a frozen state to copy back onto a table. `table.events` holds the set-up's (a `quiet`
    table leaves out the story's, as in play)."""
    chosen = {seat: _controller(deck, seat, given) for seat, given in (controllers or {}).items()}
    seated: dict[str, Controller] = {n.id: chosen.get(n.id) or Scripted(n.persona) for n in deck.nations}
    red = deck.adversary
    if red is not None:
        seated[red.id] = chosen.get(red.id) or Scripted(red.persona)
    start = GameState(
        deck=deck,
        seed=seed,
        controllers=seated,
        rng=prng.seed_state(seed),
        tracks={track_id: track.start for track_id, track in deck.tracks.items()},
        stats={nation.id: dict(nation.stats) for nation in deck.nations},
        history={track_id: (track.start,) for track_id, track in deck.tracks.items()},
        adversary_stats={} if red is None else {stat: value.start for stat, value in red.stats.items()},
    )
    table = Table(start, quiet=quiet)
    pile = [card.id for card in deck.cards for _ in range(card.copies)]
    table.shuffle(pile)
    table.draw_pile = tuple(pile)
    rounds.begin_round(table)
    return table


def _controller(deck: Deck, seat: str, given: Controller | str) -> Controller:
    """A seat's controller, checked against the deck (and read from its text, if text)."""
    red = deck.is_adversary(seat)
    if not red and seat not in {n.id for n in deck.nations}:
        raise SetupError(f'unknown seat "{seat}"')
    try:
        controller = parse_controller(given) if isinstance(given, str) else given
    except ControllerError:
        controller = None
    personas = deck.adversary.personas if red and deck.adversary is not None else deck.personas
    if isinstance(controller, Human) or (isinstance(controller, Scripted) and controller.persona in personas):
        return controller
    raise SetupError(
        f'controller "{given}" of {seat} is neither "human" nor "ai:<persona>" (or "ai:<persona>:planner")'
        f" with a persona of the {'adversary' if red else 'deck'} ({', '.join(personas)})"
    )


def apply(state: GameState, action: Action) -> tuple[GameState, list[Event]]:
    """The state after an action, and what happened, in order.

    Raises `IllegalActionError` naming the action and why; `state` is never changed.
    """
    reason = refusal(state, action)
    if reason is not None:
        raise IllegalActionError(action, reason)
    table = Table(state)
    events = play(table, action)
    return table.freeze(), events


def play(table: Table, action: Action) -> list[Event]:
    """Apply a legal action to a table in place; return what happened, in order.

    For playing many actions in a row without a frozen state between them: the lab plays whole games
    this way. Like python-chess's `Board.push`, it trusts its caller and does not check the action
    (`is_legal` does, and `apply` always does): the lab plays only the AI's choices, which are made
    among the legal ones.
    """
    table.events = []
    table.turn += 1
    # One look-up by the action's kind rather than a chain of `isinstance`: a game plays about 170
    # actions, and the chain cost a tenth of `play`. A facilitator's action is the rest.
    _PLAYS.get(type(action), _steer)(table, action)
    return table.events


def _choose_response(table: Table, action: ChooseResponse) -> None:
    decision = table.pending
    assert isinstance(decision, RespondDecision)
    if decision.is_vote:
        if table.deck.council.is_consensus:
            council.propose(table, decision, action.nation, action.response)
        else:
            rounds.record_vote(table, decision, action.nation, action.response)
    else:
        card = table.deck.card(decision.card)
        table.pending = None
        rounds.resolve_response(table, card, card.response(action.response), action.nation)


def _take_position(table: Table, action: TakePosition) -> None:
    decision = table.pending
    assert isinstance(decision, PositionDecision)
    rounds.record_position(table, decision, action.nation, action.position)


def _buy(table: Table, action: Invest) -> None:
    decision = table.pending
    assert isinstance(decision, InvestDecision)
    _invest(table, decision, action)


def _pass(table: Table, action: Pass) -> None:
    if not table.quiet:
        table.events.append(Passed(action.nation))
    rounds.next_investor(table, action.nation)


def _play_card(table: Table, action: PlayCard) -> None:
    rounds.play_card(table, action.seat, action.card, action.target)


def _request(table: Table, action: RequestConsultation) -> None:
    decision = table.pending
    assert isinstance(decision, FollowUpDecision)
    rounds.follow_up(table, decision, action.request)


def _object(table: Table, action: Object) -> None:
    decision = table.pending
    assert isinstance(decision, ProposalDecision)
    council.answer(table, decision, action.nation, action.objects)


#: How `play` applies each kind of action a seat takes (actions are final attrs classes: no subclass).
_PLAYS: dict[type, Callable[[Table, Any], None]] = {
    ChooseResponse: _choose_response,
    TakePosition: _take_position,
    Invest: _buy,
    Pass: _pass,
    PlayCard: _play_card,
    RequestConsultation: _request,
    Object: _object,
}


def is_over(state: GameState) -> bool:
    """Whether the game has ended."""
    return state.ending is not None


def _invest(table: Table, decision: InvestDecision, action: Invest) -> None:
    investment = table.deck.investment(action.investment)
    cause = investment_cause(investment.id)
    if not table.quiet:
        table.events.append(Invested(action.nation, investment.id))
    table.move_stat(action.nation, "treasury", -investment.cost, cause)
    if investment.stat_costs:
        for stat, amount in investment.stat_costs.items():
            table.move_stat(action.nation, stat, -amount, cause)
    table.apply_effect(investment.effects, action.nation, None, cause)
    if investment.reveal is not None and attribution.rolls(table, investment.reveal):
        attribution.reveal_all(table)
    bought = dict(decision.bought)
    bought[investment.id] = bought.get(investment.id, 0) + 1
    if table.check_defeat():
        return
    rounds.offer_investments(table, table.deck.seat(action.nation), bought)


def _steer(table: Table, action: FacilitatorAction) -> None:
    """The facilitator's actions: they change the game but leave the pending decision as it is, except
    that a veto or an injection at the adversary's turn changes what it may play."""
    if isinstance(action, InjectCard):
        if table.deck.adversary is not None:
            adversary.inject(table, action.card)
            return
        table.put_on_top(action.card)
        table.events.append(CardInjected(action.card))
    elif isinstance(action, VetoCard):
        adversary.veto(table, action.card)
        # The adversary chooses again among the rest; with nothing left it can play, its turn ends.
        rounds.draw_next(table)
    elif isinstance(action, ForceRoll):
        table.forced_roll, table.forced_seat = action.success, action.seat
        table.events.append(RollForced(action.success, action.seat))
    elif isinstance(action, AdjustTrack):
        table.move_track(action.track, action.delta, Cause(CauseKind.FACILITATOR, reason=action.reason))
        table.check_defeat()
    elif isinstance(action, AdjustStat):
        cause = Cause(CauseKind.FACILITATOR, reason=action.reason)
        table.move_stat(action.nation, action.stat, action.delta, cause)
        table.check_defeat()
    else:
        table.events.append(NoteAdded(action.text))
