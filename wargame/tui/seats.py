"""What the screen may show: the view of the seat whose decision it is, else what the table shares.

A seat at the table sees its own view (`engine.views.view`) while it decides: a nation never sees the
adversary's hand, an incident's truth before it is revealed, or another nation's sealed vote; the
adversary's team sees its hand. Between decisions (the AI's turns, a hand-over, a consultation's
result) the screen shows what every nation may know, the *public* view, unless one seat alone is
played by people: then nobody else is at the screen, and it shows that seat's view. The facilitator
sees everything in the facilitator's panel, never on the board the table looks at.
"""

from __future__ import annotations

import attrs

from wargame.engine.views import seats, view
from wargame.model import HIDDEN, GameState, RespondDecision
from wargame.session.describe import PUBLIC

__all__ = ["PUBLIC", "human_seats", "public_view", "room_seat", "seat_view"]


def human_seats(state: GameState) -> list[str]:
    """The seats people play, in turn order: the nations, then the adversary."""
    return [seat for seat in seats(state.deck) if seat in state.controllers and state.is_human(seat)]


def room_seat(state: GameState) -> str:
    """Whose eyes the screen has between decisions: the one seat people play, or `PUBLIC` when
    several (hot-seat) or none (the AI plays every seat) do."""
    humans = human_seats(state)
    return humans[0] if len(humans) == 1 else PUBLIC


def public_view(state: GameState) -> GameState:
    """What every nation may know: a nation's view (which hides the hand and the truths not yet
    revealed) without that nation's own sealed vote."""
    shown = view(state, state.deck.nations[0].id)
    decision = shown.pending
    if state.deck.info.sealed_votes and isinstance(decision, RespondDecision) and decision.votes:
        votes = tuple((voter, HIDDEN) for voter, _ in decision.votes)
        shown = attrs.evolve(shown, pending=attrs.evolve(decision, votes=votes))
    return shown


def seat_view(state: GameState, seat: str) -> GameState:
    """What `seat` may know of the game (`PUBLIC`: what every nation may)."""
    if not state.deck.has_secrets:
        return state  # nothing is hidden: a view would differ only in what no screen shows
    shown = public_view(state) if seat == PUBLIC else view(state, seat)
    # The room chose the seed and reads it on the status line; a view hides it from a seat elsewhere.
    return attrs.evolve(shown, seed=state.seed)
