"""What each seat may know: `view(state, seat)`, a state with what the seat may not see taken out.

Like OpenSpiel's `information_state_string(player)`, a view is a first-class function of the state
and a seat. Seats are the nations (by id), the deck's adversary (by its id), `FACILITATOR` and `SPECTATOR`
(the public view: a nation's, without any nation's own sealed vote).

Hidden from every seat but the facilitator: the order of the draw pile (a view holds the unseen cards,
sorted), the PRNG's state and the game's seed (0 in a view: with the seed and the public actions a seat
could replay the game and read the draw pile and every hidden truth). Hidden from the nations besides:
the adversary's hand (each card `HIDDEN`, so its size shows; its cards are among the unseen ones), the
truth of an incident not yet revealed (None), and, with sealed votes, the council votes others cast
before every nation has voted (`HIDDEN`), or under a consensus council the others' answers to the
chair's proposal before every nation has answered (`HIDDEN`). The facilitator sees everything, and saves
hold everything.

The AIs decide from their seat's view (`wargame.ai.choose` takes one), never from the state.
"""

from __future__ import annotations

import operator
from typing import Any

import attrs

from wargame.model import (
    HIDDEN,
    Board,
    Deck,
    GameState,
    Incident,
    ProposalDecision,
    RespondDecision,
)
from wargame.model.events import Event, HandFilled, ProposalAnswered, VoteCast

__all__ = ["FACILITATOR", "SPECTATOR", "event_view", "is_secret_in_play", "seats", "seen", "view"]

#: The facilitator's seat: it sees everything.
FACILITATOR = "facilitator"

#: A spectator's seat (the projector of a networked session): what every nation may see, and no
#: nation's own secrets (no sealed vote shows before they are revealed).
SPECTATOR = "spectator"

#: A game's fields, read all at once (in order, as `GameState` takes them): the AI takes a view at
#: every decision of a deck with secrets, and the lab plays hundreds of games a second.
_FIELDS = tuple(field.name for field in attrs.fields(GameState))
_READ = operator.attrgetter(*_FIELDS)
_SEED, _RNG, _PILE, _HAND, _INCIDENTS, _PENDING = (
    _FIELDS.index(name) for name in ("seed", "rng", "draw_pile", "hand", "incidents", "pending")
)

#: The last unseen piles worked out, by the identity of the pile and hand they came from: the pile
#: changes only when a card is drawn, and a view is taken at every decision.
_unseen: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = []

#: Each incident's view, by the incident's identity (held with it, so that no other incident can take
#: its address): an incident is replaced, never changed, and a game's views meet the same ones again.
_incidents_seen: dict[int, tuple[Incident, Incident]] = {}


def seats(deck: Deck) -> tuple[str, ...]:
    """Every seat of a game on this deck: the nations in turn order, the adversary, the facilitator."""
    red = () if deck.adversary is None else (deck.adversary.id,)
    return (*(nation.id for nation in deck.nations), *red, FACILITATOR)


def view(state: Board, seat: str) -> GameState:
    """What this seat may know of the game, as a state the rules and the AI can read.

    Raises `KeyError` for a seat the game does not have.
    """
    return GameState(*_seen_values(state, seat))


def seen(state: Board, seat: str) -> Board:
    """The same as `view`, as a board that is not frozen: what the AI reads at each of its decisions.

    A frozen state costs five times as much to build, and the lab takes a view at every decision of a
    deck with secrets. Nothing may write to it; `view` gives the value to keep.
    """
    return Board(*_seen_values(state, seat))


def is_secret_in_play(state: Board, seat: str) -> bool:
    """Whether the seat's view hides something about the card in play: its truth, not yet revealed,
    from a nation, or, with sealed votes, the votes other nations cast on it (or, under a consensus
    council, their answers to the chair's proposal).

    Everything else a view hides (the draw order, the PRNG, the adversary's hand, the truths of
    earlier cards) bears on no choice the AIs make: a condition reads only the card in play's
    truth, and only once it is revealed. So an AI takes its view only when this holds (the
    hidden-information property test in tests/test_views.py checks that it may).
    """
    if seat == FACILITATOR or state.deck.is_adversary(seat):
        return False
    incidents = state.incidents
    if incidents:
        last = incidents[-1]
        if last.card == state.card and not last.is_revealed:
            return True
    decision = state.pending
    if not state.deck.info.sealed_votes:
        return False
    if isinstance(decision, RespondDecision):
        return any(voter != seat for voter, _ in decision.votes)
    return isinstance(decision, ProposalDecision) and any(nation != seat for nation, _ in decision.answers)


def _seen_values(state: Board, seat: str) -> list[Any]:
    """The fields of the seat's view, in `GameState`'s order."""
    values = list(_READ(state))
    if seat == FACILITATOR:
        return values
    deck = state.deck
    red = deck.is_adversary(seat)
    if not red and seat != SPECTATOR and seat not in state.stats:
        raise KeyError(seat)
    # The seed and the public actions would give the draw order and every hidden truth back.
    values[_SEED] = values[_RNG] = 0
    if red:
        values[_PILE] = _sorted(state.draw_pile, ())
    else:
        values[_PILE] = _sorted(state.draw_pile, state.hand)
        if state.hand:
            values[_HAND] = (HIDDEN,) * len(state.hand)
        if state.incidents:
            values[_INCIDENTS] = _incidents_view(state.incidents)
    decision = state.pending
    if deck.info.sealed_votes and isinstance(decision, RespondDecision) and decision.votes:
        votes = tuple((voter, response if voter == seat else HIDDEN) for voter, response in decision.votes)
        values[_PENDING] = attrs.evolve(decision, votes=votes)
    elif deck.info.sealed_votes and isinstance(decision, ProposalDecision) and decision.answers:
        answers = tuple((nation, said if nation == seat else HIDDEN) for nation, said in decision.answers)
        values[_PENDING] = attrs.evolve(decision, answers=answers)
    return values


def _sorted(pile: tuple[str, ...], hand: tuple[str, ...]) -> tuple[str, ...]:
    """The unseen cards of a pile and a hand, sorted: what a view shows of them."""
    for known_pile, known_hand, unseen in _unseen:
        if known_pile is pile and known_hand is hand:
            return unseen
    # One sort of them all: the pile is drawn from between two views, so a sorted pile kept from
    # the last one would rarely serve, and putting the cards in hand in its places cost more.
    unseen = tuple(sorted(pile + hand))
    # Two kept: the adversary's view (the pile) and the nations' (the pile and the hand) alternate.
    _unseen[:] = [(pile, hand, unseen), *_unseen[:1]]
    return unseen


def _incidents_view(incidents: tuple[Incident, ...]) -> tuple[Incident, ...]:
    views = []
    for incident in incidents:
        if incident.is_revealed:
            views.append(incident)
            continue
        found = _incidents_seen.get(id(incident))
        if found is None or found[0] is not incident:
            if len(_incidents_seen) >= 4096:
                _incidents_seen.clear()
            # The fields written out: `attrs.evolve` costs several times as much.
            hidden = Incident(incident.card, incident.round, None, None, incident.claims)
            found = _incidents_seen[id(incident)] = (incident, hidden)
        views.append(found[1])
    return tuple(views)


def event_view(event: Event, seat: str, deck: Deck) -> Event:
    """An event as this seat may see it: the cards drawn into the adversary's hand and, with sealed
    votes, another nation's vote or answer to a proposal are `HIDDEN` from the nations (the
    facilitator sees all)."""
    if seat == FACILITATOR:
        return event
    if isinstance(event, VoteCast) and deck.info.sealed_votes and event.nation != seat:
        return VoteCast(event.card, HIDDEN, event.nation)
    if isinstance(event, ProposalAnswered) and deck.info.sealed_votes and event.nation != seat:
        return ProposalAnswered(event.card, event.nation, HIDDEN)
    if isinstance(event, HandFilled) and not deck.is_adversary(seat):
        return HandFilled(event.seat, (HIDDEN,) * len(event.cards))
    return event
