"""Attribution: who really sent a card, drawn in secret, revealed by chance, and the claims that
wait for it.

A card that declares truths with weights gets one drawn by the engine's PRNG as it comes into play
(cards without an attribution draw nothing, so v1 games roll the same dice). The truth is an
`Incident` of the state; views hide it from the nations until it is revealed.
"""

from __future__ import annotations

from functools import lru_cache

from wargame.engine.table import Table
from wargame.model import Card, Claim, Incident, Response
from wargame.model.events import AttributionRevealed, Cause, CauseKind, ClaimProved


@lru_cache(maxsize=4096)
def claim_cause(card: str, response: str) -> Cause:
    """The cause of a wrong claim's cost."""
    return Cause(CauseKind.CLAIM, card=card, response=response)


def draw_truth(table: Table, card: Card) -> None:
    """Draw the card's truth in secret, if it declares any, as it comes into play."""
    weights = card.attribution
    if not weights:
        return
    roll = table.below(sum(weights.values()))
    drawn = ""
    for drawn, weight in weights.items():  # noqa: B007 - the loop stops at the truth drawn
        if roll < weight:
            break
        roll -= weight
    table.incidents = (*table.incidents, Incident(card.id, table.round, drawn))
    if rolls(table, card.exposed):
        reveal(table, len(table.incidents) - 1)


def current(table: Table) -> int | None:
    """The index of the card in play's incident: the last one, drawn as the card came into play."""
    if table.card is None or not table.incidents or not table.deck.card(table.card).attribution:
        return None
    return len(table.incidents) - 1


def rolls(table: Table, chance: int | None) -> bool:
    """Whether a reveal with this percent chance happens (100 or more: without a roll)."""
    if chance is None or chance <= 0:
        return False
    return chance >= 100 or table.below(100) < chance


def claim(table: Table, card: Card, response: Response, actor: str | None) -> None:
    """Record a response's public claim about the card in play: settled at once if the truth is
    known, else when it is revealed."""
    index = current(table)
    if index is None or response.claims is None:
        return
    incident = table.incidents[index]
    if incident.revealed is not None:
        settle(table, incident, Claim(actor, response.id))
        return
    claims = (*incident.claims, Claim(actor, response.id))
    _replace(table, index, Incident(incident.card, incident.round, incident.truth, None, claims))


def reveal(table: Table, index: int) -> None:
    """Make an incident's truth known to all and settle the claims made about it."""
    incident = table.incidents[index]
    if incident.revealed is not None or incident.truth is None:
        return
    revealed = Incident(incident.card, incident.round, incident.truth, table.round, ())
    _replace(table, index, revealed)
    table.events.append(AttributionRevealed(incident.card, incident.truth, incident.round))
    for made in incident.claims:
        settle(table, revealed, made)


def reveal_current(table: Table) -> None:
    """Reveal the card in play's truth, if it has one."""
    index = current(table)
    if index is not None:
        reveal(table, index)


def reveal_all(table: Table) -> None:
    """Reveal every incident not yet revealed, oldest first."""
    for index, incident in enumerate(table.incidents):
        if incident.revealed is None:
            reveal(table, index)


def settle(table: Table, incident: Incident, made: Claim) -> None:
    """A claim meets the truth: a wrong one costs its response's `if_wrong`."""
    response = table.deck.card(incident.card).response(made.response)
    claimed = response.claims
    assert claimed is not None and incident.truth is not None
    wrong = claimed != incident.truth
    proved = ClaimProved(incident.card, made.response, made.nation, claimed, incident.truth, wrong)
    table.events.append(proved)
    if wrong:
        cause = claim_cause(incident.card, made.response)
        table.apply_effect(response.if_wrong, made.nation, made.nation, cause)


def _replace(table: Table, index: int, incident: Incident) -> None:
    incidents = list(table.incidents)
    incidents[index] = incident
    table.incidents = tuple(incidents)
