"""The adversary's turn: it holds a hand, and chooses which card to play and where.

A deck with `[adversary]` replaces v1's blind draws with this: at the start of each round the
adversary gains its income and fills its hand from the draw pile; then, once for each of the round's
plays (its `plays_per_round`, plus extra draws), it plays a card it can pay for at a target the card
allows. When it can pay for none, its turn ends early. The card then goes on exactly as a drawn one.
"""

from __future__ import annotations

from functools import lru_cache

from wargame.engine.interned import interned
from wargame.engine.table import Table
from wargame.model import Adversary, Card, Deck, PlayDecision
from wargame.model.events import CardInjected, CardVetoed, Cause, CauseKind, HandFilled

#: The cause of the adversary's income.
_INCOME = Cause(CauseKind.INCOME)


@lru_cache(maxsize=4096)
def play_cause(card: str) -> Cause:
    """The cause of what the adversary pays to play a card."""
    return Cause(CauseKind.PLAY, card=card)


def targets(deck: Deck, card: Card) -> tuple[str | None, ...]:
    """Where a card may land: nation ids in the deck's order, or (None,) for an alliance card."""
    found = _TARGETS.get((id(deck), card.id))
    if found is None or found[0] is not deck:
        if len(_TARGETS) >= 4096:
            _TARGETS.clear()
        found = _TARGETS[id(deck), card.id] = (deck, _targets(deck, card.target))
    return found[1]


#: Each card's targets, worked out once per deck (held with the deck, so an id reused after the
#: deck is gone cannot match).
_TARGETS: dict[tuple[int, str], tuple[Deck, tuple[str | None, ...]]] = {}


def _targets(deck: Deck, target: str | tuple[str, ...]) -> tuple[str | None, ...]:
    words = target if isinstance(target, tuple) else (target,)
    if words == ("alliance",):
        return (None,)
    if words == ("frontline",):
        return tuple(nation.id for nation in deck.nations if nation.frontline)
    if words == ("any",):
        return tuple(nation.id for nation in deck.nations)
    return tuple(nation.id for nation in deck.nations if nation.id in words)


def playable(deck: Deck, hand: tuple[str, ...], budget: int | None, only: str | None) -> tuple[str, ...]:
    """The distinct cards of a hand the adversary may play now, in the hand's order: those it can pay
    for (`budget` is None when the adversary has no budget stat: then every card)."""
    # Remembered by what decides it: the engine asks at every play and the AI again, and a game's
    # hands and budgets repeat.
    key = (hand, budget, only)
    found = deck.playable_hands.get(key)
    if found is not None:
        return found
    cards: list[str] = []
    for card_id in hand:
        if card_id in cards or (only is not None and card_id != only):
            continue
        card = deck.card(card_id)
        # What is free stays free, even in debt; without a budget stat, cards cost nothing.
        if card.price <= 0 or budget is None or card.price <= budget:
            cards.append(card_id)
    if len(deck.playable_hands) >= 4096:
        deck.playable_hands.clear()
    found = deck.playable_hands[key] = tuple(cards)
    return found


def begin_round(table: Table, adversary: Adversary, extra: int) -> None:
    """Pay the adversary's income, fill its hand and count the round's plays."""
    for stat, amount in adversary.income.items():
        table.move_adversary_stat(stat, amount, _INCOME)
    fill_hand(table, adversary)
    plays = adversary.plays_per_round
    table.draws_left = (table.deck.info.draws_per_round if plays is None else plays) + extra


def fill_hand(table: Table, adversary: Adversary) -> None:
    """Draw cards into the hand up to its size, while any are left to draw."""
    drawn: list[str] = []
    while len(table.hand) + len(drawn) < adversary.hand and (table.draw_pile or table.discard):
        drawn.append(table.draw())
    if drawn:
        table.hand = (*table.hand, *drawn)
        if not table.quiet:
            table.events.append(HandFilled(adversary.id, tuple(drawn)))


def offer_play(table: Table, adversary: Adversary) -> bool:
    """Ask the adversary for its next card; False when it can pay for none (its turn ends)."""
    budget = None if adversary.budget is None else table.adversary_stats[adversary.budget]
    only = table.forced_card if table.forced_card in table.hand else None
    if not playable(table.deck, table.hand, budget, only):
        return False
    table.pending = interned(PlayDecision, adversary.id, only)
    return True


def play(table: Table, card_id: str) -> Card:
    """Take the card from the hand and pay its price; the caller brings it into play."""
    card = table.deck.card(card_id)
    hand = list(table.hand)
    hand.remove(card.id)
    table.hand = tuple(hand)
    red = table.deck.adversary
    assert red is not None
    if card.price and red.budget is not None:
        table.move_adversary_stat(red.budget, -card.price, play_cause(card.id))
    if table.forced_card == card.id:
        table.forced_card = None
    table.pending = None
    table.draws_left -= 1
    return card


def veto(table: Table, card: str) -> None:
    """The facilitator takes a card out of the hand onto the discard pile."""
    hand = list(table.hand)
    hand.remove(card)
    table.hand = tuple(hand)
    table.discard_card(card)
    if table.forced_card == card:
        table.forced_card = None
    table.events.append(CardVetoed(card))


def inject(table: Table, card: str) -> None:
    """The facilitator makes a card the adversary's next play: into the hand if it is not there."""
    if card not in table.hand:
        if card in table.discard:
            discard = list(table.discard)
            discard.remove(card)
            table.discard = tuple(discard)
        else:
            pile = list(table.draw_pile)
            pile.remove(card)
            table.draw_pile = tuple(pile)
        table.hand = (*table.hand, card)
    table.forced_card = card
    table.events.append(CardInjected(card))
    if isinstance(table.pending, PlayDecision):
        table.pending = PlayDecision(table.pending.seat, card)
