"""The facilitator's side of a session, without textual: which actions steer the game, what one undo
removes, and each action in words (for the undo's confirmation and the panel).

A game is its actions, so undo is a replay of the log without its tail. One undo removes the last
action taken by a person (a human seat's decision: a nation's, or a red-cell team's play for the
adversary) or by the facilitator, together with every AI decision after it: the game goes back to the
moment just before that action. Undoing an AI decision alone would be pointless: the AI is
deterministic and would take it again at once. The AI adversary's play can instead be vetoed
(`last_play`, `Session.veto_last_play`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from wargame.model import (
    FACILITATOR_ACTIONS,
    Action,
    AddNote,
    AdjustStat,
    AdjustTrack,
    ChooseResponse,
    Deck,
    ForceRoll,
    GameState,
    InjectCard,
    Invest,
    Object,
    Pass,
    PlayCard,
    PlayerAction,
    PositionDecision,
    RequestConsultation,
    RespondDecision,
    TakePosition,
    VetoCard,
)
from wargame.session.describe import nation_name, quoted, seat_name, signed

__all__ = ["action_text", "actor", "last_play", "pile_counts", "play_place", "undo_point", "undone_summary"]


def actor(action: PlayerAction) -> str:
    """The seat that took a player's action: a nation's id, or the adversary's for a play."""
    return action.seat if isinstance(action, PlayCard) else action.nation


def play_place(deck: Deck, target: str | None) -> str:
    """Where a play lands, in words: `at Estonia`, or `for the alliance to decide` (an alliance card)."""
    return "for the alliance to decide" if target is None else f"at {nation_name(deck, target)}"


def undo_point(start: GameState, actions: Sequence[Action]) -> int | None:
    """How many actions one undo keeps: those before the last action of a person or the facilitator.

    None when there is nothing to undo (no action, or only the AI's).
    """
    for index in range(len(actions) - 1, -1, -1):
        action = actions[index]
        if isinstance(action, FACILITATOR_ACTIONS) or start.is_human(actor(action)):
            return index
    return None


def undone_summary(before: GameState, removed: Sequence[Action], reached: GameState, at: datetime) -> str:
    """An undo in one line for the record: `undone at 14:32: Estonia's answer "Shoot them down", which
    had led to Open conflict` (the room's local time). What it had led to: the game's end, else a
    consultation opened, else how far the tracks had moved; the AI's decisions after it are counted."""
    deck = before.deck
    line = f"undone at {at.astimezone().strftime('%H:%M')}: {action_text(before, removed[0])}"
    if len(removed) > 1:
        line += f", and the AI's {len(removed) - 1} decision{'s' if len(removed) > 2 else ''} after it"
    if reached.ending is not None:
        return f"{line}, which had led to {deck.ending(reached.ending).title}"
    opened = isinstance(reached.pending, PositionDecision) and not isinstance(
        before.pending, PositionDecision
    )
    if opened or len(reached.consultations) > len(before.consultations):
        return f"{line}, which had led to {deck.consultation.label}"
    moved = [
        f"{deck.tracks[track].name} {signed(reached.tracks[track] - value)}"
        for track, value in before.tracks.items()
        if reached.tracks[track] != value
    ]
    return f"{line}, which had moved {', '.join(moved)}" if moved else line


def last_play(actions: Sequence[Action]) -> PlayCard | None:
    """The adversary's play that the facilitator may veto: the last action, when it is a play (its
    card is in play and nobody has answered it yet); else None."""
    last = actions[-1] if actions else None
    return last if isinstance(last, PlayCard) else None


def action_text(before: GameState, action: Action) -> str:
    """An action in words, read in the state it was taken in: `Poland's answer "Shoot them down"`."""
    deck = before.deck
    if isinstance(action, ChooseResponse):
        label = action.response
        if before.card is not None:
            label = deck.card(before.card).response(action.response).label
        vote = isinstance(before.pending, RespondDecision) and before.pending.is_vote
        return f'{nation_name(deck, action.nation)}\'s {"vote" if vote else "answer"} "{label}"'
    if isinstance(action, TakePosition):
        label = deck.consultation.label
        return f'{nation_name(deck, action.nation)}\'s position "{action.position}" in {label}'
    if isinstance(action, Object):
        return f"{nation_name(deck, action.nation)}'s {'objection' if action.objects else 'acceptance'}"
    if isinstance(action, RequestConsultation):
        asks = "request for" if action.request else "decision not to request"
        return f"{nation_name(deck, action.nation)}'s {asks} {deck.consultation.label}"
    if isinstance(action, Invest):
        return f'{nation_name(deck, action.nation)}\'s purchase "{deck.investment(action.investment).name}"'
    if isinstance(action, Pass):
        return f"{nation_name(deck, action.nation)}'s pass (the end of its investments)"
    if isinstance(action, PlayCard):
        title = deck.card(action.card).title
        return f"{seat_name(deck, action.seat)} plays {quoted(title)} {play_place(deck, action.target)}"
    if isinstance(action, VetoCard):
        title = deck.card(action.card).title
        return f"the facilitator vetoes {quoted(title)} ({_red_name(deck)} must play another card)"
    if isinstance(action, InjectCard):
        title = deck.card(action.card).title
        if deck.adversary is not None:  # the adversary holds it and must play it next
            return f"the facilitator makes {quoted(title)} {deck.adversary.name}'s next play"
        return f"the facilitator puts {title} on top of the draw pile"
    if isinstance(action, ForceRoll):
        whose = "the next roll" if action.seat is None else f"{nation_name(deck, action.seat)}'s next roll"
        return f"the facilitator forces {whose} to {'succeed' if action.success else 'fail'}"
    if isinstance(action, AdjustTrack):
        name = deck.tracks[action.track].name
        return f"the facilitator moves {name} {signed(action.delta)} ({action.reason})"
    if isinstance(action, AdjustStat):
        stat = deck.stats[action.stat].name
        who = nation_name(deck, action.nation)
        return f"the facilitator moves {who}'s {stat} {signed(action.delta)} ({action.reason})"
    assert isinstance(action, AddNote)
    return f"the facilitator's note: {action.text}"


def _red_name(deck: Deck) -> str:
    return "the adversary" if deck.adversary is None else deck.adversary.name


def pile_counts(state: GameState, card: str) -> tuple[int, int]:
    """How many copies of a card are in the draw pile and in the discard pile."""
    return state.draw_pile.count(card), state.discard.count(card)
