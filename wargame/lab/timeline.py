"""A game's timeline for a spreadsheet or a script: one row per decision, as CSV or JSON.

    rows = timeline_rows(record)           # a `lab.report.GameRecord`, e.g. GameRecord.of_save(...)
    text = timeline_csv(rows, deck)        # or timeline_json(rows)

Every action of the log is a row, the facilitator's too, in order: the turn it was decided at (how
many actions had been applied, so `wargame resume SAVE --at TURN --as NEW` goes back to just before
it), the round, the seat and its name, who really decided (`team`, `ai`, `ai-timeout` for the AI
deciding when a team's time ran out, `facilitator`), what kind of decision, the card it concerns, the
choice in words, the roll it made (`success`, `failure` or `none`) and what the tracks moved by in
its wake (its own effects and whatever followed before the next decision: a card drawn, a round's
drift). The rows are made by replaying the game, so they are what the engine did.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from attrs import frozen

from wargame.engine import apply, start_game
from wargame.model import (
    Action,
    AddNote,
    AdjustStat,
    AdjustTrack,
    ChooseResponse,
    Decider,
    Deck,
    ForceRoll,
    GameState,
    InjectCard,
    Invest,
    Object,
    Pass,
    PlayCard,
    RequestConsultation,
    RespondDecision,
    TakePosition,
    VetoCard,
    decider_of,
    seat_of,
)
from wargame.model.events import Event, RollMade, TrackMoved

if TYPE_CHECKING:
    from wargame.lab.report import GameRecord

__all__ = ["COLUMNS", "TimelineRow", "timeline_csv", "timeline_json", "timeline_rows"]

#: The CSV's columns, in order (the JSON's keys are the same).
COLUMNS = ("turn", "round", "seat", "seat_name", "decided_by", "kind", "card", "choice", "roll", "effects")


@frozen
class TimelineRow:
    """One decision of a game."""

    turn: int
    """How many actions had been applied when it was decided (0 for the first decision)."""
    round: int
    seat: str
    """The seat's id (a nation's, the adversary's), or `facilitator` for the facilitator's actions."""
    seat_name: str
    decided_by: Decider
    kind: str
    """`response`, `vote`, `position`, `investment`, `pass`, `play`, `inject`, `veto`, `force-roll`,
    `adjust-track`, `adjust-stat` or `note`."""
    card: str
    """The title of the card it concerns; empty when none does."""
    choice: str
    """What was chosen, in words."""
    roll: str
    """`success`, `failure` or `none`."""
    effects: dict[str, int]
    """Track id to how far it moved in the decision's wake; tracks that did not move are left out."""


def timeline_rows(record: GameRecord) -> list[TimelineRow]:
    """The rows of a game's record, by replaying it (the engine's errors if it does not replay)."""
    deck = record.deck
    state, _ = start_game(deck, record.seed, record.controllers)
    deciders: Sequence[Decider] = record.deciders or [
        decider_of(state.controllers, a) for a in record.actions
    ]
    rows = []
    for action, by in zip(record.actions, deciders, strict=True):
        before = state
        state, events = apply(state, action)
        rows.append(_row(before, action, by, events))
    return rows


def _row(before: GameState, action: Action, by: Decider, events: Sequence[Event]) -> TimelineRow:
    deck = before.deck
    seat = seat_of(action)
    kind, card, choice = _what(before, action)
    rolls = [event for event in events if isinstance(event, RollMade)]
    effects: dict[str, int] = {}
    for event in events:
        if isinstance(event, TrackMoved):
            effects[event.track] = effects.get(event.track, 0) + event.after - event.before
    return TimelineRow(
        turn=before.turn,
        round=before.round,
        seat="facilitator" if seat is None else seat,
        seat_name="the facilitator" if seat is None else deck.seat_name(seat),
        decided_by=by,
        kind=kind,
        card=card,
        choice=choice,
        roll="none" if not rolls else ("success" if rolls[0].success else "failure"),
        effects={track: delta for track, delta in effects.items() if delta},
    )


def _what(before: GameState, action: Action) -> tuple[str, str, str]:
    """A decision's kind, the title of the card it concerns, and the choice in words."""
    deck = before.deck
    in_play = "" if before.card is None else deck.card(before.card).title
    if isinstance(action, ChooseResponse):
        vote = isinstance(before.pending, RespondDecision) and before.pending.is_vote
        label = deck.card(before.card).response(action.response).label if before.card else action.response
        return ("vote" if vote else "response"), in_play, label
    if isinstance(action, TakePosition):
        return "position", in_play, action.position
    if isinstance(action, Object):
        return "council", in_play, "objected" if action.objects else "accepted"
    if isinstance(action, RequestConsultation):
        return "follow-up", in_play, "requested consultations" if action.request else "no consultations"
    if isinstance(action, Invest):
        return "investment", "", deck.investment(action.investment).name
    if isinstance(action, Pass):
        return "pass", "", "pass"
    if isinstance(action, PlayCard):
        where = "the alliance" if action.target is None else deck.nation(action.target).name
        return "play", deck.card(action.card).title, f"played at {where}"
    if isinstance(action, InjectCard):
        return "inject", deck.card(action.card).title, "injected"
    if isinstance(action, VetoCard):
        return "veto", deck.card(action.card).title, "vetoed"
    if isinstance(action, ForceRoll):
        whose = "the next roll" if action.seat is None else f"{deck.nation(action.seat).name}'s next roll"
        return "force-roll", "", f"{whose} forced to {'succeed' if action.success else 'fail'}"
    if isinstance(action, AdjustTrack):
        return "adjust-track", "", f"{deck.tracks[action.track].name} {action.delta:+d}: {action.reason}"
    if isinstance(action, AdjustStat):
        who = deck.nation(action.nation).name
        return "adjust-stat", "", f"{who}'s {deck.stats[action.stat].name} {action.delta:+d}: {action.reason}"
    assert isinstance(action, AddNote)
    return "note", "", action.text


def _plain(row: TimelineRow) -> dict[str, Any]:
    return {column: getattr(row, column) for column in COLUMNS}


def timeline_json(rows: Sequence[TimelineRow]) -> str:
    """The rows as a JSON array of objects (`effects`: track id to delta), one decision each."""
    return json.dumps([_plain(row) for row in rows], indent=2, ensure_ascii=False) + "\n"


#: A spreadsheet reads a cell that begins with one of these as a formula: deck text and notes are
#: user-supplied, so such a text cell is written with a leading apostrophe.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def timeline_csv(rows: Sequence[TimelineRow], deck: Deck) -> str:
    """The rows as CSV with a header row (`COLUMNS`); `effects` as `escalation +2; cohesion -1`,
    in the deck's order of tracks."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        cells = _plain(row)
        cells["effects"] = "; ".join(
            f"{track} {row.effects[track]:+d}" for track in deck.tracks if track in row.effects
        )
        for column in ("seat_name", "card", "choice"):
            text = cells[column]
            if text.startswith(_FORMULA):
                cells[column] = "'" + text
        writer.writerow(cells[column] for column in COLUMNS)
    return out.getvalue()
