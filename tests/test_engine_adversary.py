"""Rules v2 in the engine: the adversary's turn, the facilitator's injections and vetoes, attribution
and claims, the new condition subjects, dissent and let-go, sealed votes and the adversary's score.

The deck is tests/decks/red.toml: three nations, Moscow with a hand of 3, one play a round and a
budget (`leverage`), a sabotage card with an attribution, and sealed votes.
"""

from __future__ import annotations

import random
from collections import Counter

import attrs
import pytest

from tests.helpers import play, quiet, red_deck_with
from wargame.engine import (
    IllegalActionError,
    RefusalCode,
    apply,
    is_legal,
    is_over,
    legal_actions,
    new_game,
    prng,
    result,
    start_game,
)
from wargame.engine.conditions import holds_all
from wargame.engine.legality import refusal
from wargame.model import (
    Action,
    AdjustTrack,
    ChooseResponse,
    Claim,
    Condition,
    Deck,
    GameState,
    Incident,
    InjectCard,
    Invest,
    InvestDecision,
    Pass,
    PlayCard,
    PlayDecision,
    Position,
    PositionDecision,
    RespondDecision,
    TakePosition,
    VetoCard,
)
from wargame.model.events import (
    AdversaryStatMoved,
    AttributionRevealed,
    CardInjected,
    CardPlayed,
    CardVetoed,
    Cause,
    CauseKind,
    ClaimProved,
    Event,
    HandFilled,
    Narrated,
    RoundStarted,
    StatMoved,
    TrackMoved,
    VoteCast,
    VotesRevealed,
)

RED = "moscow"
#: Every card of red.toml, counted with its copies.
ALL_CARDS = Counter({"drones": 2, "jets": 1, "sabotage": 1, "rules": 1})


# --- setting up the moment a test needs ---------------------------------------------------------------


def at_play(deck: Deck, hand: tuple[str, ...], leverage: int | None = None, seed: int = 1) -> GameState:
    """Round 1's first play, the adversary holding `hand` (the rest of the cards in the draw pile)."""
    state = new_game(deck, seed)
    assert isinstance(state.pending, PlayDecision)
    rest = Counter(card.id for card in deck.cards for _ in range(card.copies)) - Counter(hand)
    pile: list[str] = []
    for card in state.draw_pile + state.hand:  # the rest, in the order the engine shuffled them
        if rest[card] > 0:
            rest[card] -= 1
            pile.append(card)
    stats = dict(state.adversary_stats)
    if leverage is not None:
        stats["leverage"] = leverage
    return attrs.evolve(state, hand=hand, draw_pile=tuple(pile), adversary_stats=stats)


def at_sabotage(deck: Deck, truth: str | None = None, target: str = "POL", seed: int = 1) -> GameState:
    """The sabotage card played at `target`, its truth set to `truth` (else as drawn)."""
    state, _ = play(
        at_play(deck, ("sabotage", "drones", "rules"), seed=seed), PlayCard(RED, "sabotage", target)
    )
    return state if truth is None else with_truth(state, truth)


def with_truth(state: GameState, truth: str, revealed: int | None = None) -> GameState:
    """The card in play's incident with another truth (the engine drew one; a test wants another)."""
    incident = state.incidents[-1]
    changed = attrs.evolve(incident, truth=truth, revealed=revealed)
    return attrs.evolve(state, incidents=(*state.incidents[:-1], changed))


def refused(state: GameState, action: Action) -> tuple[RefusalCode, str]:
    """The refusal of an action, as its code and words; `apply` must refuse it the same way."""
    reason = refusal(state, action)
    assert reason is not None, f"{action} was accepted"
    with pytest.raises(IllegalActionError) as raised:
        apply(state, action)
    assert raised.value.reason == reason
    return reason.code, str(reason)


def of_type(events: list[Event], kind: type) -> list[Event]:
    return [event for event in events if isinstance(event, kind)]


def next_round(state: GameState) -> tuple[GameState, list[Event]]:
    """Play quietly until the next round starts; return the state and the events on the way."""
    events: list[Event] = []
    start = state.round
    while state.round == start and not is_over(state):
        state, new = apply(state, quiet(state))
        events.extend(new)
    return state, events


def plays_by_round(state: GameState, rounds: int) -> tuple[GameState, Counter[int]]:
    """Play quietly through `rounds` rounds, counting the adversary's plays in each."""
    plays: Counter[int] = Counter()
    for _ in range(rounds):
        here = state.round
        state, events = next_round(state)
        plays[here] += len(of_type(events, CardPlayed))
    return state, plays


# --- the adversary's turn -------------------------------------------------------------------------------


def test_a_round_starts_with_income_then_the_hand_is_filled_from_the_pile(red: Deck) -> None:
    state, events = start_game(red, 5)
    kinds = [type(event) for event in events]
    assert kinds[0] is RoundStarted
    income = kinds.index(AdversaryStatMoved)
    assert events[income] == AdversaryStatMoved("leverage", 2, 3, Cause(CauseKind.INCOME))
    # Every nation's income first, then the adversary's, then its hand.
    assert kinds.index(HandFilled) == income + 1 and kinds[1:income] == [StatMoved] * 3
    assert events[income + 1] == HandFilled(RED, state.hand)
    assert len(state.hand) == red.adversary.hand == 3
    assert Counter(state.hand + state.draw_pile) == ALL_CARDS
    assert state.pending == PlayDecision(RED) and state.draws_left == 1
    assert state.card is None, "no card comes into play before the adversary plays one"


def test_the_hand_is_refilled_to_its_size_from_the_top_of_the_pile(red: Deck) -> None:
    state = new_game(red, 5)
    state, _ = play(state, legal_actions(state)[0])
    before_pile = state.draw_pile
    held = len(state.hand)
    state, events = next_round(state)
    filled = of_type(events, HandFilled)
    assert held == 2 and len(filled) == 1
    assert filled[0].cards == before_pile[:1], "one card drawn, the top one"
    assert len(state.hand) == 3 and state.hand[-1] == before_pile[0]


def test_the_hand_is_filled_from_the_reshuffled_discards_when_the_pile_runs_out(red: Deck) -> None:
    state = attrs.evolve(
        at_play(red, ("jets", "drones", "rules")), draw_pile=(), discard=("drones", "sabotage")
    )
    state, _ = play(state, PlayCard(RED, "rules", None))
    state, events = next_round(state)
    assert Counter(of_type(events, HandFilled)[0].cards) <= Counter({"drones": 1, "sabotage": 1, "rules": 1})
    assert len(state.hand) == 3 and Counter(state.hand + state.draw_pile + state.discard) == ALL_CARDS


def test_the_adversary_plays_plays_per_round_cards_plus_the_extra_draws(red: Deck) -> None:
    state = new_game(red, 3)
    state, plays = plays_by_round(state, 1)
    # Credibility at most 2 at a round's start adds one play (red.toml's [[extra_draws]]): counted
    # as the round starts, so a change within round 2 counts from round 3.
    state, _ = apply(state, AdjustTrack("credibility", -10, "a test"))
    state, more = plays_by_round(state, 2)
    assert plays + more == Counter({1: 1, 2: 1, 3: 2})


def test_without_plays_per_round_the_adversary_plays_the_decks_draws_per_round(red: Deck) -> None:
    deck = red_deck_with(("plays_per_round = 1\n", ""), ("draws_per_round = 1", "draws_per_round = 2"))
    state = new_game(deck, 3)
    assert state.draws_left == 2
    _, plays = plays_by_round(state, 1)
    assert plays == Counter({1: 2})


def test_a_card_the_adversary_cannot_pay_for_is_not_offered(red: Deck) -> None:
    state = at_play(red, ("jets", "drones", "rules"), leverage=1)
    assert {action.card for action in legal_actions(state)} == {"drones", "rules"}
    assert refused(state, PlayCard(RED, "jets", "POL")) == (
        RefusalCode.UNPAYABLE,
        '"jets" costs 2, the budget is 1',
    )
    affordable = at_play(red, ("jets", "drones", "rules"), leverage=2)
    assert {action.card for action in legal_actions(affordable)} == {"jets", "drones", "rules"}


def test_the_price_is_paid_from_the_budget_and_a_free_card_costs_nothing(red: Deck) -> None:
    state = at_play(red, ("jets", "drones", "rules"), leverage=3)
    after, events = play(state, PlayCard(RED, "jets", "EST"))
    assert after.adversary_stats["leverage"] == 1
    assert events[0] == AdversaryStatMoved("leverage", 3, 1, Cause(CauseKind.PLAY, card="jets"))
    assert events[1] == CardPlayed("jets", "EST", RED)
    assert after.hand == ("drones", "rules") and after.card == "jets" and after.target == "EST"
    assert after.pending == RespondDecision("jets", "EST", "EST")
    free, events = play(state, PlayCard(RED, "drones", "POL"))
    assert free.adversary_stats == state.adversary_stats and not of_type(events, AdversaryStatMoved)


def test_without_a_budget_cards_cost_nothing(red: Deck) -> None:
    # `[adversary] budget` unset: a card's price is paid from nothing, so every card may be played.
    assert red.adversary is not None
    deck = attrs.evolve(red, adversary=attrs.evolve(red.adversary, budget=None))
    state = at_play(deck, ("jets", "drones", "rules"), leverage=0)
    assert {action.card for action in legal_actions(state)} == {"jets", "drones", "rules"}
    assert is_legal(state, InjectCard("sabotage")) and is_legal(state, InjectCard("jets"))
    after, events = play(state, PlayCard(RED, "jets", "POL"))
    assert after.adversary_stats == state.adversary_stats and not of_type(events, AdversaryStatMoved)


def test_the_turn_ends_early_when_the_adversary_can_pay_for_no_card(red: Deck) -> None:
    deck = red_deck_with(
        ('id = "sabotage"\ntitle = "Sabotage at a depot"', 'id = "sabotage"\ntitle = "Sabotage"\nprice = 3'),
        ('id = "rules"\ntitle = "Unify the rules of engagement"', 'id = "rules"\ntitle = "Rules"\nprice = 3'),
        ('id = "drones"\ntitle = "Drones cross the border"', 'id = "drones"\ntitle = "Drones"\nprice = 3'),
        ("start = 2\n", "start = 0\n"),
    )
    state, events = start_game(deck, 1)
    assert state.adversary_stats["leverage"] == 1 and len(state.hand) == 3
    assert not of_type(events, CardPlayed) and state.card is None
    assert state.draws_left == 0 and isinstance(state.pending, InvestDecision)
    # The next round, with 2 leverage, it can pay for a jets card (price 2) if it holds one.
    state, _ = next_round(state)
    assert state.adversary_stats["leverage"] == 2
    assert isinstance(state.pending, PlayDecision) == ("jets" in state.hand)


@pytest.mark.parametrize(
    ("card", "allowed"),
    [
        ("jets", ["POL", "EST"]),  # a list, in the deck's order of nations
        ("drones", ["POL", "EST"]),  # frontline
        ("sabotage", ["POL", "EST", "DEU"]),  # any
        ("rules", [None]),  # alliance: the council decides
    ],
)
def test_each_card_may_aim_only_at_the_targets_it_allows(
    red: Deck, card: str, allowed: list[str | None]
) -> None:
    others = [card_id for card_id in ("drones", "rules", "sabotage", "jets") if card_id != card][:2]
    state = at_play(red, (card, *others))
    assert [a.target for a in legal_actions(state) if isinstance(a, PlayCard) and a.card == card] == allowed
    for target in ["POL", "EST", "DEU", None]:
        action = PlayCard(RED, card, target)
        if target in allowed:
            assert is_legal(state, action)
        else:
            assert refused(state, action) == (
                RefusalCode.TARGET_NOT_ALLOWED,
                f'card "{card}" cannot aim at {target}',
            )


def test_a_play_is_refused_with_a_reason_in_words(red: Deck) -> None:
    state = at_play(red, ("jets", "drones", "rules"))
    assert refused(state, PlayCard(RED, "sabotage", "POL")) == (
        RefusalCode.NOT_IN_HAND,
        '"sabotage" is not in the adversary\'s hand',
    )
    assert refused(state, PlayCard(RED, "no-such-card", "POL"))[0] == RefusalCode.NOT_IN_HAND
    assert refused(state, PlayCard("kremlin", "jets", "POL")) == (
        RefusalCode.NOT_YOUR_DECISION,
        "it is moscow's decision, not kremlin's",
    )
    assert refused(state, ChooseResponse("POL", "protest")) == (
        RefusalCode.NOT_YOUR_DECISION,
        "it is moscow's decision, not POL's",
    )
    answering, _ = play(state, PlayCard(RED, "drones", "POL"))
    assert refused(answering, PlayCard(RED, "jets", "POL")) == (
        RefusalCode.NOT_YOUR_DECISION,
        "it is POL's decision, not moscow's",
    )
    assert refused(answering, PlayCard("POL", "jets", "POL")) == (
        RefusalCode.NOT_ADVERSARY_TURN,
        "it is not the adversary's turn to play a card",
    )
    over, _ = play(state, AdjustTrack("escalation", 10, "war"))
    assert refused(over, PlayCard(RED, "jets", "POL"))[0] == RefusalCode.GAME_OVER


@pytest.mark.parametrize(
    ("action", "code"),
    [
        (ChooseResponse(RED, "protest"), RefusalCode.NO_CARD_WAITING),
        (TakePosition(RED, "support"), RefusalCode.NO_CONSULTATION),
        (Invest(RED, "counter-drone"), RefusalCode.NOT_INVESTMENT_PHASE),
        (Pass(RED), RefusalCode.NOT_INVESTMENT_PHASE),
    ],
)
def test_the_adversary_is_told_what_its_turn_is_not(red: Deck, action: Action, code: RefusalCode) -> None:
    # The seat is the right one, the kind of action is not: the words must not say "it is moscow's
    # decision, not moscow's".
    state = at_play(red, ("jets", "drones", "rules"))
    assert refused(state, action)[0] == code


def test_a_deck_without_an_adversary_has_no_plays_and_no_vetoes(mini: Deck) -> None:
    state = new_game(mini, 1)
    assert (
        not state.hand
        and not state.adversary_stats
        and not any(isinstance(action, PlayCard) for action in legal_actions(state))
    )
    assert refused(state, VetoCard("jets")) == (RefusalCode.NO_ADVERSARY, "the deck has no adversary")
    assert refused(state, PlayCard(RED, "jets", "EST"))[0] == RefusalCode.NOT_YOUR_DECISION


# --- the facilitator: inject and veto ------------------------------------------------------------------


def test_an_injected_card_becomes_the_adversarys_only_play(red: Deck) -> None:
    state = at_play(red, ("jets", "drones", "rules"))
    assert "sabotage" in state.draw_pile
    injected, events = play(state, InjectCard("sabotage"))
    assert events == [CardInjected("sabotage")]
    assert injected.hand == ("jets", "drones", "rules", "sabotage") and "sabotage" not in injected.draw_pile
    assert injected.forced_card == "sabotage" and injected.pending == PlayDecision(RED, "sabotage")
    assert legal_actions(injected) == [PlayCard(RED, "sabotage", n) for n in ("POL", "EST", "DEU")]
    assert refused(injected, PlayCard(RED, "jets", "POL")) == (
        RefusalCode.CARD_FORCED,
        'the facilitator injected "sabotage": it is the one to play',
    )
    played, _ = play(injected, PlayCard(RED, "sabotage", "DEU"))
    assert played.forced_card is None and played.hand == ("jets", "drones", "rules")


def test_a_card_injected_from_the_hand_or_the_discards_is_forced_too(red: Deck) -> None:
    state = at_play(red, ("jets", "drones", "rules"))
    held, _ = play(state, InjectCard("rules"))
    assert held.hand == state.hand and held.pending == PlayDecision(RED, "rules")
    discarded = attrs.evolve(state, draw_pile=("drones",), discard=("sabotage",))
    taken, _ = play(discarded, InjectCard("sabotage"))
    assert taken.discard == () and taken.hand[-1] == "sabotage" and taken.forced_card == "sabotage"


def test_a_card_injected_while_a_nation_decides_is_the_adversarys_next_play(red: Deck) -> None:
    state = at_play(red, ("jets", "drones", "rules"))
    state, _ = play(state, PlayCard(RED, "drones", "POL"))
    state, _ = play(state, InjectCard("sabotage"))
    assert state.forced_card == "sabotage" and isinstance(state.pending, RespondDecision)
    state, _ = next_round(state)
    assert state.pending == PlayDecision(RED, "sabotage")
    assert {action.card for action in legal_actions(state)} == {"sabotage"}


def test_a_card_the_adversary_cannot_pay_for_is_not_injected_at_its_turn(red: Deck) -> None:
    # Injected, it would be the only play, and one the adversary cannot make: a decision without a
    # choice. The facilitator is told why instead.
    state = at_play(red, ("drones", "rules", "sabotage"), leverage=1)
    assert refused(state, InjectCard("jets")) == (RefusalCode.UNPAYABLE, '"jets" costs 2, the budget is 1')
    held = at_play(red, ("jets", "drones", "rules"), leverage=1)
    assert refused(held, InjectCard("jets"))[0] == RefusalCode.UNPAYABLE
    assert is_legal(at_play(red, ("drones", "rules", "sabotage"), leverage=2), InjectCard("jets"))


def test_an_injected_card_it_cannot_pay_for_yet_waits_and_its_turns_end_until_it_can(red: Deck) -> None:
    state = at_play(red, ("drones", "rules", "sabotage"), leverage=0)
    state, _ = play(state, PlayCard(RED, "drones", "POL"), InjectCard("jets"))
    assert state.forced_card == "jets"
    state, _ = next_round(state)  # round 2: leverage 1, jets costs 2
    state, events = next_round(state)
    assert not of_type(events, CardPlayed), "round 2: its turn ended at once"
    assert state.round == 3 and state.adversary_stats["leverage"] == 2
    assert state.pending == PlayDecision(RED, "jets")


def test_a_vetoed_card_is_discarded_and_the_adversary_chooses_again(red: Deck) -> None:
    state = at_play(red, ("jets", "drones", "rules"))
    vetoed, events = play(state, VetoCard("jets"))
    assert events == [CardVetoed("jets")]
    assert vetoed.hand == ("drones", "rules") and vetoed.discard == ("jets",)
    assert vetoed.pending == PlayDecision(RED) and vetoed.draws_left == state.draws_left
    assert {action.card for action in legal_actions(vetoed)} == {"drones", "rules"}
    # Vetoing the injected card lifts the injection.
    forced, _ = play(state, InjectCard("sabotage"), VetoCard("sabotage"))
    assert forced.forced_card is None and forced.pending == PlayDecision(RED)


def test_vetoing_every_card_it_can_pay_for_ends_the_adversarys_turn(red: Deck) -> None:
    state = at_play(red, ("jets", "drones", "rules"), leverage=1)
    state, _ = play(state, VetoCard("drones"))
    assert isinstance(state.pending, PlayDecision)
    state, events = play(state, VetoCard("rules"))
    assert state.hand == ("jets",) and state.draws_left == 0 and not of_type(events, CardPlayed)
    assert isinstance(state.pending, InvestDecision)


def test_a_veto_is_refused_out_of_turn_or_for_a_card_not_held(red: Deck) -> None:
    state = at_play(red, ("jets", "drones", "rules"))
    assert refused(state, VetoCard("sabotage")) == (
        RefusalCode.NOT_IN_HAND,
        '"sabotage" is not in the adversary\'s hand',
    )
    answering, _ = play(state, PlayCard(RED, "drones", "POL"))
    assert refused(answering, VetoCard("jets")) == (
        RefusalCode.NOT_ADVERSARY_TURN,
        "it is not the adversary's turn to play a card",
    )


# --- attribution ---------------------------------------------------------------------------------------


def test_a_truth_is_drawn_only_for_a_card_that_declares_one(red: Deck) -> None:
    for seed in range(300):
        state = at_play(red, ("sabotage", "drones", "rules"), seed=seed)
        plain, _ = play(state, PlayCard(RED, "drones", "POL"))
        assert plain.rng == state.rng and plain.incidents == ()
        drawn, _ = play(state, PlayCard(RED, "sabotage", "POL"))
        # One number below the weights' sum (100: state 50, proxy 30, accident 20), in their order;
        # then one below 100 for `exposed = 25`: under 25, the truth is known at once.
        rng, roll = prng.below(state.rng, 100)
        rng, exposure = prng.below(rng, 100)
        assert drawn.rng == rng
        truth = "state" if roll < 50 else "proxy" if roll < 80 else "accident"
        revealed = 1 if exposure < 25 else None
        assert drawn.incidents == (Incident("sabotage", 1, truth, revealed),), (roll, exposure)


def test_truths_are_drawn_by_their_weights(red: Deck) -> None:
    drawn = Counter(at_sabotage(red, seed=seed).incidents[-1].truth for seed in range(1000))
    assert set(drawn) == {"state", "proxy", "accident"}
    for truth, weight in red.card("sabotage").attribution.items():
        assert abs(drawn[truth] / 1000 - weight / 100) < 0.05, drawn


def test_a_response_reveals_the_truth_with_its_chance(red: Deck) -> None:
    outcomes = set()
    for seed in range(60):
        state = at_sabotage(red, seed=seed)
        if state.incidents[-1].is_revealed:
            continue  # exposed as it came into play: nothing left to reveal
        rng, roll = prng.below(state.rng, 100)
        after, events = play(state, ChooseResponse("POL", "investigate"))
        revealed = roll < 60
        outcomes.add(revealed)
        assert after.rng == rng, "one roll for the reveal"
        assert after.incidents[-1].is_revealed == revealed
        truth = state.incidents[-1].truth
        assert of_type(events, AttributionRevealed) == (
            [AttributionRevealed("sabotage", truth, 1)] if revealed else []
        )
    assert outcomes == {True, False}


def test_a_reveal_of_100_needs_no_roll_and_a_response_without_one_rolls_nothing(red: Deck) -> None:
    deck = red_deck_with(("reveal = 60", "reveal = 100"))
    state = at_sabotage(deck)
    after, events = play(state, ChooseResponse("POL", "investigate"))
    assert after.rng == state.rng and after.incidents[-1].revealed == 1
    assert of_type(events, AttributionRevealed)
    blamed, _ = play(state, ChooseResponse("POL", "blame"))
    assert blamed.rng == state.rng and not blamed.incidents[-1].is_revealed
    # A chance below 100 rolls even when the truth is already known.
    known = with_truth(at_sabotage(red), "proxy", revealed=1)
    again, events = play(known, ChooseResponse("POL", "investigate"))
    assert again.rng == prng.below(known.rng, 100)[0] and not of_type(events, AttributionRevealed)


def test_a_claim_waits_for_the_reveal_and_a_wrong_one_costs_the_claimant(red: Deck) -> None:
    deck = red_deck_with(
        (
            'if_wrong = { tracks = { credibility = -2 }, text = "It was not Moscow after all." }',
            'if_wrong = { tracks = { credibility = -2 }, actor = { pressure = 2 }, text = "Not Moscow." }',
        ),
        ("reveal = 30", "reveal = 100"),
    )
    state = at_sabotage(deck, truth="proxy")
    claimed, events = play(state, ChooseResponse("POL", "blame"))
    assert claimed.incidents[-1].claims == (Claim("POL", "blame"),)
    assert not of_type(events, ClaimProved)
    # Later, an investment that reveals every incident settles the claim: with POL as the actor.
    claimed = advance_to_investment(claimed, "POL")
    pressure, credibility = claimed.stats["POL"]["pressure"], claimed.tracks["credibility"]
    after, events = play(claimed, Invest("POL", "counter-drone"))
    assert of_type(events, AttributionRevealed) == [AttributionRevealed("sabotage", "proxy", 1)]
    assert of_type(events, ClaimProved) == [ClaimProved("sabotage", "blame", "POL", "state", "proxy", True)]
    cause = Cause(CauseKind.CLAIM, card="sabotage", response="blame")
    assert TrackMoved("credibility", credibility, credibility - 2, cause) in events
    assert StatMoved("POL", "pressure", pressure, pressure + 2, cause) in events
    assert Narrated("Not Moscow.", cause) in events
    assert after.incidents[-1].revealed == 1 and after.incidents[-1].claims == ()
    # The truth is known now: it is never settled again.
    again = advance_to_investment(after, "EST")
    _, events = play(again, Invest("EST", "counter-drone"))
    assert not of_type(events, ClaimProved) and not of_type(events, AttributionRevealed)


def advance_to_investment(state: GameState, nation: str) -> GameState:
    """Play quietly (passing) until `nation` may invest; give it treasury to buy with."""
    for _ in range(200):
        if isinstance(state.pending, InvestDecision) and state.pending.nation == nation:
            return state
        if isinstance(state.pending, InvestDecision):
            state, _ = apply(state, Pass(state.pending.nation))
        else:
            state, _ = apply(state, quiet(state))
    raise AssertionError(f"{nation} never invested")


def test_a_right_claim_is_proved_and_costs_nothing(red: Deck) -> None:
    deck = red_deck_with(('claims = "state"', 'claims = "state"\nreveal = 100'))
    state = at_sabotage(deck, truth="state")
    _, events = play(state, ChooseResponse("POL", "blame"))
    assert of_type(events, ClaimProved) == [ClaimProved("sabotage", "blame", "POL", "state", "state", False)]
    assert not any(getattr(e, "cause", None) == Cause(CauseKind.CLAIM, "sabotage", "blame") for e in events)


def test_a_claim_on_a_truth_already_revealed_is_settled_at_once(red: Deck) -> None:
    deck = red_deck_with(('claims = "state"', 'claims = "state"\nreveal = 100'))
    state = at_sabotage(deck, truth="accident")
    credibility = state.tracks["credibility"]
    after, events = play(state, ChooseResponse("POL", "blame"))
    kinds = [type(event) for event in events]
    # The reveal comes first (the response's reveal), then the claim meets the truth at once.
    assert kinds.index(AttributionRevealed) < kinds.index(ClaimProved)
    assert of_type(events, ClaimProved) == [
        ClaimProved("sabotage", "blame", "POL", "state", "accident", True)
    ]
    assert after.incidents[-1].claims == ()
    # Escalation +1 and cohesion +1 from the response; credibility -2 for the wrong claim.
    assert after.tracks["credibility"] == credibility - 2
    # A truth revealed before the response is settled the same way.
    known = with_truth(at_sabotage(red), "proxy", revealed=1)
    _, events = play(known, ChooseResponse("POL", "blame"))
    assert of_type(events, ClaimProved) == [ClaimProved("sabotage", "blame", "POL", "state", "proxy", True)]


def test_a_council_claim_is_settled_without_a_claimant(red: Deck) -> None:
    deck = red_deck_with(
        ('target = "alliance"', 'target = "alliance"\nattribution = { state = 1, proxy = 1 }'),
        (
            'id = "defer"\nlabel = "Defer"',
            'id = "defer"\nlabel = "Defer"\nclaims = "proxy"\nreveal = 100\n'
            "if_wrong = { tracks = { cohesion = -1 } }",
        ),
    )
    state = at_play(deck, ("rules", "drones", "jets"))
    state, _ = play(state, PlayCard(RED, "rules", None))
    state = with_truth(state, "state")
    state, events = play(state, *(ChooseResponse(n, "defer") for n in ("POL", "EST", "DEU")))
    assert of_type(events, ClaimProved) == [ClaimProved("rules", "defer", None, "proxy", "state", True)]
    cause = Cause(CauseKind.CLAIM, card="rules", response="defer")
    assert [e for e in events if getattr(e, "cause", None) == cause] == [
        TrackMoved("cohesion", 5, 4, cause)
    ], "a council's wrong claim moves what it says, with no claimant"


def test_an_investment_with_a_reveal_reveals_every_incident_oldest_first(red: Deck) -> None:
    deck = red_deck_with(("reveal = 30", "reveal = 100"))
    state = at_sabotage(deck, truth="proxy")
    older = Incident("sabotage", 1, "accident", None, (Claim("EST", "blame"),))
    state = attrs.evolve(state, incidents=(older, *state.incidents))
    state, _ = play(state, ChooseResponse("POL", "blame"))
    state = advance_to_investment(state, "POL")
    after, events = play(state, Invest("POL", "counter-drone"))
    assert of_type(events, AttributionRevealed) == [
        AttributionRevealed("sabotage", "accident", 1),
        AttributionRevealed("sabotage", "proxy", 1),
    ]
    assert [(e.nation, e.truth) for e in of_type(events, ClaimProved)] == [
        ("EST", "accident"),
        ("POL", "proxy"),
    ]
    assert all(incident.is_revealed for incident in after.incidents)


def test_an_investment_reveal_rolls_its_chance(red: Deck) -> None:
    seen = set()
    for seed in range(40):
        state = advance_to_investment(at_sabotage(red, seed=seed), "POL")
        if not is_legal(state, Invest("POL", "counter-drone")) or state.incidents[-1].is_revealed:
            continue
        rng, roll = prng.below(state.rng, 100)
        after, _ = play(state, Invest("POL", "counter-drone"))
        assert after.rng == rng and after.incidents[-1].is_revealed == (roll < 30)
        seen.add(roll < 30)
    assert seen == {True, False}


def test_an_attribution_condition_holds_only_once_the_truth_is_revealed(red: Deck) -> None:
    hidden = at_sabotage(red, truth="state")
    assert "sanction" not in {a.response for a in legal_actions(hidden) if isinstance(a, ChooseResponse)}
    assert refused(hidden, ChooseResponse("POL", "sanction")) == (
        RefusalCode.REQUIREMENTS_NOT_MET,
        'the requirements of "sanction" are not met',
    )
    revealed = with_truth(hidden, "state", revealed=1)
    assert ChooseResponse("POL", "sanction") in legal_actions(revealed)
    other = with_truth(hidden, "proxy", revealed=1)
    assert ChooseResponse("POL", "sanction") not in legal_actions(other)
    # An incident of a card no longer in play makes no condition hold.
    condition = (Condition(attribution="state"),)
    gone = attrs.evolve(revealed, card=None)
    assert holds_all(condition, revealed.tracks, revealed.stats, 1, "POL", "POL", revealed)
    assert not holds_all(condition, gone.tracks, gone.stats, 1, "POL", "POL", gone)
    assert not holds_all(condition, revealed.tracks, revealed.stats, 1, "POL", "POL")


def test_a_consultation_condition_reads_the_latest_result(red: Deck) -> None:
    state = new_game(red, 1)
    split = (Condition(consultation="split"),)
    assert not holds_all(split, state.tracks, state.stats, 1, None, None, state)
    for results, holds in [(("split",), True), (("split", "unified"), False), (("unified", "split"), True)]:
        board = attrs.evolve(state, results=results, consultations=(1,) * len(results))
        assert holds_all(split, board.tracks, board.stats, 1, None, None, board) == holds, results


def test_the_engine_records_each_consultations_result(red: Deck) -> None:
    state = at_play(red, ("drones", "jets", "rules"))
    state, _ = play(state, PlayCard(RED, "drones", "POL"), ChooseResponse("POL", "article-4"))
    assert isinstance(state.pending, PositionDecision)
    state, _ = play(state, TakePosition("EST", "support"), TakePosition("DEU", "restrain"))
    assert state.results == ("split",) and state.consultations == (1,)


def test_adversary_conditions_and_effects_read_and_move_its_stats(red: Deck) -> None:
    state = with_truth(at_sabotage(red, truth="state"), "state", revealed=1)
    leverage = state.adversary_stats["leverage"]
    after, events = play(state, ChooseResponse("POL", "sanction"))
    sanction = Cause(CauseKind.RESPONSE, card="sabotage", response="sanction")
    assert AdversaryStatMoved("leverage", leverage, leverage - 1, sanction) in events
    assert after.adversary_stats["leverage"] == leverage - 1
    # Clamped to its range, and a change the clamp cancels is not reported.
    floor = attrs.evolve(state, adversary_stats={"leverage": 0})
    after, events = play(floor, ChooseResponse("POL", "sanction"))
    assert after.adversary_stats["leverage"] == 0 and not of_type(events, AdversaryStatMoved)
    at_least_4 = (Condition(adversary="leverage", min=4),)
    for value, holds in [(3, False), (4, True), (6, True)]:
        board = attrs.evolve(state, adversary_stats={"leverage": value})
        assert holds_all(at_least_4, board.tracks, board.stats, 1, None, None, board) == holds
    assert not holds_all(at_least_4, state.tracks, state.stats, 1), "without a board it reads nothing"


# --- what the adversary watches: let-go and dissent ----------------------------------------------------


def test_a_nation_lets_a_card_go_when_its_answer_costs_rolls_and_consults_nothing(red: Deck) -> None:
    state = at_play(red, ("drones", "jets", "rules"))
    state, _ = play(state, PlayCard(RED, "drones", "POL"), ChooseResponse("POL", "protest"))
    assert state.let_go == {"POL"}, "protest: effects, but no cost, roll or consultation"
    state, _ = next_round(state)
    state, _ = play(state, InjectCard("drones"), PlayCard(RED, "drones", "POL"))
    state, _ = play(state, ChooseResponse("POL", "shoot-down"))
    assert state.let_go == frozenset(), "a costly answer with a roll does not let it go"


@pytest.mark.parametrize(("response", "lets_go"), [("escort", False), ("ignore", True)])
def test_let_go_follows_the_latest_answer(red: Deck, response: str, lets_go: bool) -> None:
    state = attrs.evolve(at_play(red, ("jets", "drones", "rules")), let_go=frozenset({"EST"}))
    state, _ = play(state, PlayCard(RED, "jets", "EST"), ChooseResponse("EST", response))
    assert ("EST" in state.let_go) == lets_go


@pytest.mark.parametrize(
    ("response", "lets_go"), [("shoot-down", False), ("article-4", False), ("protest", True)]
)
def test_a_roll_or_a_consultation_alone_does_not_let_a_card_go(
    red: Deck, response: str, lets_go: bool
) -> None:
    deck = red_deck_with(('cost = 2\nrequires = [{ actor = "readiness", min = 2 }]', "requires = []"))
    assert deck.card("drones").response("shoot-down").cost == 0
    state = at_play(deck, ("drones", "jets", "rules"))
    state, _ = play(state, PlayCard(RED, "drones", "POL"), ChooseResponse("POL", response))
    assert ("POL" in state.let_go) == lets_go


def test_a_council_lets_nothing_go_and_counts_the_dissenters(red: Deck) -> None:
    state = at_play(red, ("rules", "drones", "jets"))
    state, _ = play(state, PlayCard(RED, "rules", None))
    state, _ = play(state, ChooseResponse("POL", "unify"), ChooseResponse("EST", "defer"))
    state, _ = play(state, ChooseResponse("DEU", "unify"))
    assert state.dissent == {"EST": 1} and state.let_go == frozenset()


@pytest.mark.parametrize(
    ("positions", "result", "dissent"),
    [
        (("support", "restrain"), "split", {}),  # two to take a position: 1 against 1 is split
        (("support", "support"), "unified", {}),
        (("restrain", "restrain"), "restrained", {}),
        (("support", "abstain"), "unified", {}),
        (("restrain", "abstain"), "restrained", {}),
    ],
)
def test_a_consultation_counts_who_stood_against_its_result(
    red: Deck, positions: tuple[Position, Position], result: str, dissent: dict[str, int]
) -> None:
    state = at_play(red, ("drones", "jets", "rules"))
    state, _ = play(state, PlayCard(RED, "drones", "POL"), ChooseResponse("POL", "article-4"))
    state, _ = play(state, TakePosition("EST", positions[0]), TakePosition("DEU", positions[1]))
    assert state.results == (result,) and state.dissent == dissent


@pytest.mark.parametrize(
    ("positions", "result", "dissent"),
    [
        (("support", "restrain", "support"), "unified", {"FRA": 1}),
        (("restrain", "restrain", "support"), "restrained", {"DEU": 1}),
        (("support", "restrain", "abstain"), "split", {}),
    ],
)
def test_the_nations_that_stood_against_a_consultations_result_dissent(
    red: Deck, positions: tuple[Position, Position, Position], result: str, dissent: dict[str, int]
) -> None:
    # With three nations to take a position, 2 against 1 reaches the 60 % threshold.
    deck = red_deck_with(
        (
            'id = "DEU"\nname = "Germany"',
            'id = "FRA"\nname = "France"\npersona = "dove"\n'
            "stats = { treasury = 1, income = 1, readiness = 1, pressure = 1 }\n\n"
            '[[nations]]\nid = "DEU"\nname = "Germany"',
        ),
    )
    state = at_play(deck, ("drones", "jets", "rules"))
    state, _ = play(state, PlayCard(RED, "drones", "POL"), ChooseResponse("POL", "article-4"))
    state, _ = play(
        state, *(TakePosition(n, p) for n, p in zip(("EST", "FRA", "DEU"), positions, strict=True))
    )
    assert state.results == (result,) and state.dissent == dissent


def test_without_an_adversary_nobody_keeps_count(mini: Deck) -> None:
    for seed in range(20):
        states = random_states(mini, seed)
        assert all(not s.let_go and not s.dissent and not s.incidents and not s.hand for s in states)


# --- sealed votes --------------------------------------------------------------------------------------


def test_sealed_votes_are_revealed_together_when_the_last_nation_has_voted(red: Deck) -> None:
    state = at_play(red, ("rules", "drones", "jets"))
    state, _ = play(state, PlayCard(RED, "rules", None))
    state, events = play(state, ChooseResponse("POL", "defer"), ChooseResponse("EST", "unify"))
    assert of_type(events, VoteCast) == [VoteCast("rules", "defer", "POL"), VoteCast("rules", "unify", "EST")]
    assert not of_type(events, VotesRevealed)
    assert state.pending == RespondDecision("rules", None, "DEU", (("POL", "defer"), ("EST", "unify")))
    state, events = play(state, ChooseResponse("DEU", "defer"))
    revealed = of_type(events, VotesRevealed)
    assert revealed == [VotesRevealed("rules", (("POL", "defer"), ("EST", "unify"), ("DEU", "defer")))]
    kinds = [type(event) for event in events]
    assert kinds.index(VoteCast) < kinds.index(VotesRevealed), "the last vote, then all of them"
    assert state.dissent == {"EST": 1}


def test_open_votes_are_not_revealed_again(red: Deck) -> None:
    deck = red_deck_with(("sealed_votes = true", "sealed_votes = false"))
    state = at_play(deck, ("rules", "drones", "jets"))
    state, _ = play(state, PlayCard(RED, "rules", None))
    _, events = play(state, *(ChooseResponse(n, "unify") for n in ("POL", "EST", "DEU")))
    assert len(of_type(events, VoteCast)) == 3 and not of_type(events, VotesRevealed)


# --- the adversary's score ------------------------------------------------------------------------------


def test_the_adversary_scores_at_a_defeat_while_the_nations_score_nothing(red: Deck) -> None:
    state = at_play(red, ("jets", "drones", "rules"), leverage=5)
    state, _ = play(state, AdjustTrack("credibility", -1, "a test"), AdjustTrack("escalation", 10, "war"))
    outcome = result(state)
    assert outcome.ending == "war" and outcome.defeat
    assert all(score.points == 0 for score in outcome.scores)
    assert outcome.adversary is not None
    assert (outcome.adversary.nation, outcome.adversary.points) == (RED, 3)
    assert outcome.adversary.met == ("doubt", "leverage") and outcome.adversary.missed == ()


def test_the_adversary_scores_at_a_final_ending_too(red: Deck) -> None:
    state = new_game(red, 2)
    while not is_over(state):
        state, _ = apply(state, quiet(state))
    outcome = result(state)
    assert not outcome.defeat and outcome.adversary is not None
    credibility, leverage = state.tracks["credibility"], state.adversary_stats["leverage"]
    expected = {"doubt": credibility <= 4, "leverage": leverage >= 4}
    assert set(outcome.adversary.met) == {key for key, met in expected.items() if met}
    assert outcome.adversary.points == 2 * expected["doubt"] + expected["leverage"]


def test_a_deck_without_an_adversary_has_no_adversary_score(mini: Deck) -> None:
    state = random_states(mini, 4)[-1]
    assert is_over(state) and result(state).adversary is None


# --- determinism and random play -----------------------------------------------------------------------


def random_states(deck: Deck, seed: int, steer: float = 0.0, check: bool = False) -> list[GameState]:
    """A whole game of random legal play, with random facilitator actions (injections and vetoes
    among them) at the rate `steer`; with `check`, every listed action must be accepted by `apply`."""
    chooser = random.Random(seed)
    state = new_game(deck, seed)
    states = [state]
    while not is_over(state):
        assert len(states) < 2000, "the game never ended"
        choices = legal_actions(state)
        assert choices, f"a pending decision with no choice: {state.pending}"
        if check:
            for action in choices:
                apply(state, action)  # raises if the engine refuses what it offered
        steering = [a for a in facilitator_actions(chooser, state) if is_legal(state, a)]
        if steering and chooser.random() < steer:
            action = chooser.choice(steering)
        else:
            action = chooser.choice(choices)
        state, _ = apply(state, action)
        states.append(state)
    return states


def facilitator_actions(chooser: random.Random, state: GameState) -> list[Action]:
    """A few facilitator actions that move an adversary's game: injections, vetoes, track moves."""
    cards = sorted({card.id for card in state.deck.cards})
    track = chooser.choice(sorted(state.deck.tracks))
    return [
        InjectCard(chooser.choice(cards)),
        VetoCard(chooser.choice(state.hand)) if state.hand else InjectCard(chooser.choice(cards)),
        AdjustTrack(track, chooser.choice([-2, -1, 1, 2]), "a test"),
    ]


def check_invariants(state: GameState) -> None:
    deck = state.deck
    red = deck.adversary
    assert red is not None
    in_play = [state.card] if state.card is not None else []
    assert Counter([*state.draw_pile, *state.discard, *state.hand, *in_play]) == ALL_CARDS
    for stat, value in state.adversary_stats.items():
        assert red.stats[stat].min <= value <= red.stats[stat].max
    for incident in state.incidents:
        assert incident.truth in deck.card(incident.card).attribution
        assert not (incident.is_revealed and incident.claims), "a revealed incident has no waiting claims"
    assert state.forced_card is None or state.forced_card in state.hand
    assert set(state.let_go) <= set(state.stats) and set(state.dissent) <= set(state.stats)
    assert len(state.results) == len(state.consultations)
    if isinstance(state.pending, PlayDecision):
        assert state.draws_left > 0 and state.card is None
        only = state.pending.only
        assert only is None or {a.card for a in legal_actions(state) if isinstance(a, PlayCard)} == {only}


def test_three_hundred_random_games_never_raise_nor_offer_what_they_refuse(red: Deck) -> None:
    endings: Counter[str] = Counter()
    steered = 0
    for seed in range(300):
        states = random_states(red, seed, steer=0.15 if seed % 2 else 0.0, check=True)
        for state in states:
            check_invariants(state)
        endings[states[-1].ending or ""] += 1
        steered += any(s.forced_card for s in states)
        result(states[-1])
    assert {"war", "strong", "holds"} <= set(endings), endings  # a defeat among them
    assert steered > 20, "injections happened"


def test_the_same_seed_and_actions_give_the_same_states(red: Deck) -> None:
    for seed in range(20):
        chooser = random.Random(seed)
        first = new_game(red, seed)
        second = new_game(red, seed)
        assert first == second
        while not is_over(first):
            action = chooser.choice(legal_actions(first))
            first, events = apply(first, action)
            second, again = apply(second, action)
            assert first == second and events == again


def test_an_exposed_truth_offers_the_responses_that_require_it(red: Deck) -> None:
    """`exposed = 25`: about a quarter of the incidents are known as they come into play, and only a
    known `state` truth offers "sanction" (a hidden one never does, whatever it is)."""
    offered, exposed = Counter[tuple[bool, str | None]](), 0
    for seed in range(200):
        state = at_sabotage(red, seed=seed)
        incident = state.incidents[-1]
        exposed += incident.is_revealed
        options = {action.response for action in legal_actions(state) if isinstance(action, ChooseResponse)}
        offered["sanction" in options, incident.truth if incident.is_revealed else None] += 1
    assert 30 <= exposed <= 70, exposed
    assert offered[True, "state"] > 0
    assert set(offered) <= {(True, "state"), (False, "proxy"), (False, "accident"), (False, None)}
