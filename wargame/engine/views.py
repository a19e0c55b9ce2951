"""What each seat may know: `view(state, seat)`, a state with what the seat may not see taken out.

Like OpenSpiel's `information_state_string(player)`, a view is a first-class function of the state
and a seat. Seats are the nations (by id), the deck's adversary (by its id) and `FACILITATOR`.

Hidden from every seat but the facilitator: the order of the draw pile (a view holds the unseen
cards, sorted) and the PRNG's state (0 in a view). Hidden from the nations besides: the adversary's
hand (each card `HIDDEN`, so its size shows; its cards are among the unseen ones), the truth of an
incident not yet revealed (None), and, with sealed votes, the council votes others cast before every
nation has voted (`HIDDEN`). The facilitator sees everything, and saves hold everything.

The AIs decide from their seat's view (`wargame.ai.choose` takes one), never from the state.
"""

from __future__ import annotations

import operator

import attrs

from wargame.model import (
    HIDDEN,
    Board,
    Deck,
    GameState,
    Incident,
    RespondDecision,
)
from wargame.model.events import Event, HandFilled, VoteCast

__all__ = ["FACILITATOR", "event_view", "seats", "view"]

#: The facilitator's seat: it sees everything.
FACILITATOR = "facilitator"

#: A game's fields, read all at once (in order, as `GameState` takes them): the AI takes a view at
#: every decision of a deck with secrets, and the lab plays hundreds of games a second.
_FIELDS = tuple(field.name for field in attrs.fields(GameState))
_READ = operator.attrgetter(*_FIELDS)
_RNG, _PILE, _HAND, _INCIDENTS, _PENDING = (
    _FIELDS.index(name) for name in ("rng", "draw_pile", "hand", "incidents", "pending")
)

#: The last unseen pile worked out, by the identity of the pile and hand it came from: the pile
#: changes only when a card is drawn, and a view is taken at every decision.
_unseen: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = []


def seats(deck: Deck) -> tuple[str, ...]:
    """Every seat of a game on this deck: the nations in turn order, the adversary, the facilitator."""
    red = () if deck.adversary is None else (deck.adversary.id,)
    return (*(nation.id for nation in deck.nations), *red, FACILITATOR)


def view(state: Board, seat: str) -> GameState:
    """What this seat may know of the game, as a state the rules and the AI can read.

    Raises `KeyError` for a seat the game does not have.
    """
    values = list(_READ(state))
    if seat == FACILITATOR:
        return GameState(*values)
    deck = state.deck
    red = deck.is_adversary(seat)
    if not red and seat not in state.stats:
        raise KeyError(seat)
    values[_RNG] = 0
    if red:
        values[_PILE] = _sorted(state.draw_pile, ())
    else:
        values[_PILE] = _sorted(state.draw_pile, state.hand)
        if state.hand:
            values[_HAND] = (HIDDEN,) * len(state.hand)
        if state.incidents:
            values[_INCIDENTS] = tuple(_incident_view(incident) for incident in state.incidents)
    decision = state.pending
    if deck.info.sealed_votes and isinstance(decision, RespondDecision) and decision.votes:
        votes = tuple((voter, response if voter == seat else HIDDEN) for voter, response in decision.votes)
        values[_PENDING] = attrs.evolve(decision, votes=votes)
    return GameState(*values)


def _sorted(pile: tuple[str, ...], hand: tuple[str, ...]) -> tuple[str, ...]:
    """The unseen cards of a pile and a hand, sorted: what a view shows of them."""
    if _unseen and _unseen[0][0] is pile and _unseen[0][1] is hand:
        return _unseen[0][2]
    unseen = tuple(sorted((*pile, *hand)))
    _unseen[:] = [(pile, hand, unseen)]
    return unseen


def _incident_view(incident: Incident) -> Incident:
    if incident.is_revealed:
        return incident
    return attrs.evolve(incident, truth=None)


def event_view(event: Event, seat: str, deck: Deck) -> Event:
    """An event as this seat may see it: the cards drawn into the adversary's hand and, with sealed
    votes, another nation's vote are `HIDDEN` from the nations (the facilitator sees all)."""
    if seat == FACILITATOR:
        return event
    if isinstance(event, VoteCast) and deck.info.sealed_votes and event.nation != seat:
        return VoteCast(event.card, HIDDEN, event.nation)
    if isinstance(event, HandFilled) and not deck.is_adversary(seat):
        return HandFilled(event.seat, (HIDDEN,) * len(event.cards))
    return event
