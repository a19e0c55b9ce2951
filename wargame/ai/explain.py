"""Why a government answers a card as it does: each response's worth to a persona, taken apart.

`wargame explain` prints it for deck designers. The worths are the ones `choose` compares (a test
holds them equal), split into what each expected change adds: a track or the nation's own stat at the
persona's weight, the fear of a defeat ending, and progress toward the nation's objectives.
"""

from __future__ import annotations

from attrs import frozen

from wargame.ai import TIE_MARGIN, _briefing, _expected_result, _response_outlook, odds_wrong
from wargame.ai.outlook import Briefing, Outlook, fear, progress
from wargame.engine import recent_consultations
from wargame.engine.legality import response_refusal
from wargame.engine.postures import chance_bonus, extra_cost
from wargame.engine.rounds import chance_at, readiness_of
from wargame.engine.views import is_secret_in_play, seen
from wargame.model import Board, Persona, RespondDecision

__all__ = ["Reading", "Reason", "chosen", "read_responses"]


@frozen
class Reason:
    """What one expected change adds to a response's worth."""

    kind: str
    """"track" or "stat" (at the persona's weight), "defeat" (the fear of a defeat ending on that
    track) or "objective" (progress toward the nation's objectives on that track or stat)."""
    subject: str
    """The track or stat."""
    change: float
    """The expected change of that value, the roll's odds weighed in."""
    worth: float


@frozen
class Reading:
    """A response as one persona reads it, in one state."""

    response: str
    worth: float
    """What `choose` compares: the sum of the reasons (0 when the response is not offered)."""
    reasons: tuple[Reason, ...]
    """The largest first (by size)."""
    refusal: str | None = None
    """Why the nation may not choose it in this state, in words; its worth is then 0."""


def read_responses(state: Board, decision: RespondDecision, persona_id: str) -> tuple[Reading, ...]:
    """Every response of the card in play, in the deck's order, as a government of this persona reads
    it from its seat's view; refused ones say why."""
    nation = decision.nation
    if state.deck.has_secrets and is_secret_in_play(state, nation):
        state = seen(state, nation)
    deck = state.deck
    briefing = _briefing(deck)
    persona = deck.personas[persona_id]
    card = deck.card(decision.card)
    actor = decision.target
    fatigue = recent_consultations(state.consultations, state.round, deck.consultation.fatigue_window)
    readings = []
    for response in card.responses:
        # As `ai._responses` builds each outlook (a vote in a council may choose any response).
        refusal = (
            None
            if decision.is_vote
            else response_refusal(response, state.tracks, state.stats, state.round, nation, state)
        )
        if refusal is not None:
            readings.append(Reading(response.id, 0.0, (), str(refusal)))
            continue
        opens = actor is not None and response.consultation
        context = (fatigue, _expected_result(state, briefing, actor)) if opens and actor is not None else None
        chance = 100
        if response.chance is not None:
            bonus = chance_bonus(state, response.id) if deck.postures else 0
            chance = chance_at(response, readiness_of(state.stats, actor), bonus)
        extra = extra_cost(state, response.id) if deck.postures else 0
        outlook = _response_outlook(deck, response, nation, actor, chance, context, extra)
        if response.claims is not None:
            wrong = odds_wrong(state, card, response.claims)
            if wrong:
                outlook.add(response.if_wrong, wrong, actor, actor)
        reasons = _reasons(outlook, persona, state, briefing)
        readings.append(Reading(response.id, sum(reason.worth for reason in reasons), reasons))
    return tuple(readings)


def chosen(readings: tuple[Reading, ...]) -> Reading:
    """The reading `choose` picks: the offered one worth most, the first of equals."""
    offered = [reading for reading in readings if reading.refusal is None]
    best = offered[0]
    for reading in offered[1:]:
        if reading.worth > best.worth + TIE_MARGIN:
            best = reading
    return best


def _reasons(outlook: Outlook, persona: Persona, state: Board, briefing: Briefing) -> tuple[Reason, ...]:
    """What each expected change adds, as `outlook.appraise` counts it, at the state's values."""
    reasons = [
        Reason("track", track, delta, persona.tracks.get(track, 0.0) * delta)
        for track, delta in outlook.tracks.items()
        if delta
    ]
    reasons += [
        Reason("stat", stat, delta, persona.stats.get(stat, 0.0) * delta)
        for stat, delta in outlook.own.items()
        if delta
    ]
    for track, delta in outlook.tracks.items():
        if delta and track in briefing.bounds:
            worth = fear(persona, briefing.bounds[track], state.tracks[track], delta)
            reasons.append(Reason("defeat", track, delta, worth))
    own = state.stats[outlook.nation]
    for weight, on_track, key, low, high in briefing.aims[outlook.nation]:
        delta = (outlook.tracks if on_track else outlook.own).get(key, 0.0)
        if delta:
            before = state.tracks[key] if on_track else own[key]
            reasons.append(Reason("objective", key, delta, progress(weight, low, high, before, delta)))
    return tuple(sorted((reason for reason in reasons if reason.worth), key=lambda r: -abs(r.worth)))


@frozen
class Summary:
    """A response as one persona read it over many states: how often offered and picked, its mean
    worth, and its reasons' mean worths (over the states it was offered in)."""

    response: str
    offered: int
    picked: int
    worth: float
    reasons: tuple[Reason, ...]


def summarise(readings: list[tuple[Reading, ...]]) -> tuple[Summary, ...]:
    """Sum up one persona's readings of the same card in many states, in the deck's order."""
    offered: dict[str, int] = {}
    picked: dict[str, int] = {}
    worths: dict[str, float] = {}
    sums: dict[str, dict[tuple[str, str], list[float]]] = {}
    for state_readings in readings:
        pick = chosen(state_readings)
        for reading in state_readings:
            if reading.refusal is not None:
                continue
            offered[reading.response] = offered.get(reading.response, 0) + 1
            picked[reading.response] = picked.get(reading.response, 0) + (reading is pick)
            worths[reading.response] = worths.get(reading.response, 0.0) + reading.worth
            for reason in reading.reasons:
                total = sums.setdefault(reading.response, {}).setdefault(
                    (reason.kind, reason.subject), [0.0, 0.0]
                )
                total[0] += reason.change
                total[1] += reason.worth
    summaries = []
    for response in dict.fromkeys(
        reading.response for state_readings in readings for reading in state_readings
    ):
        times = offered.get(response, 0)
        reasons = [
            Reason(kind, subject, change / times, worth / times)
            for (kind, subject), (change, worth) in sums.get(response, {}).items()
        ]
        reasons.sort(key=lambda r: -abs(r.worth))
        mean = worths.get(response, 0.0) / times if times else 0.0
        summaries.append(Summary(response, times, picked.get(response, 0), mean, tuple(reasons)))
    return tuple(summaries)
