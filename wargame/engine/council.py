"""A consensus council (`[council] kind = "consensus"`): the chair proposes, the others accept or object.

The chair, the first nation in turn order, proposes one of the alliance card's responses; each other
nation, in turn order, accepts it or objects. With no objection the proposal is adopted and resolved.
One objection deadlocks the council: the deck's deadlock effects apply, then its fallback response
is resolved. Decks with a plurality council (v1) never come here.
"""

from __future__ import annotations

from functools import lru_cache

from wargame.engine.interned import interned
from wargame.engine.rounds import add_dissent, resolve_response
from wargame.engine.table import Table
from wargame.model import ProposalDecision, RespondDecision
from wargame.model.events import Cause, CauseKind, CouncilConcluded, ProposalAnswered, ProposalMade

#: The two answers to a proposal, as decisions and events hold them.
ACCEPT, OBJECT = "accept", "object"


@lru_cache(maxsize=256)
def deadlock_cause(card: str) -> Cause:
    """The cause of the deadlock effects on a card."""
    return Cause(CauseKind.DEADLOCK, card=card)


def propose(table: Table, decision: RespondDecision, chair: str, response: str) -> None:
    """The chair's proposal: ask the next nation in turn order, or, alone at the table, adopt it."""
    if not table.quiet:  # like a vote: the story's, counted by nobody who plays quietly
        table.events.append(ProposalMade(decision.card, response, chair))
    others = table.deck.others(chair)
    if not others:
        conclude(table, ProposalDecision(decision.card, response, chair, chair))
        return
    table.pending = interned(ProposalDecision, decision.card, response, chair, others[0])


def answer(table: Table, decision: ProposalDecision, nation: str, objects: bool) -> None:
    """Record one nation's answer; after the last, the council is concluded."""
    said = OBJECT if objects else ACCEPT
    if not table.quiet:
        table.events.append(ProposalAnswered(decision.card, nation, said))
    answers = (*decision.answers, (nation, said))
    others = table.deck.others(decision.chair)
    if len(answers) < len(others):
        table.pending = interned(
            ProposalDecision, decision.card, decision.proposal, decision.chair, others[len(answers)], answers
        )
        return
    conclude(table, ProposalDecision(decision.card, decision.proposal, decision.chair, nation, answers))


def conclude(table: Table, decision: ProposalDecision) -> None:
    """Adopt the proposal, or deadlock: the deck's deadlock effects, then its fallback response."""
    deck = table.deck
    card = deck.card(decision.card)
    objectors = tuple(nation for nation, said in decision.answers if said == OBJECT)
    rules = deck.council
    fallback = rules.fallback if objectors and rules.fallback is not None else decision.proposal
    table.pending = None
    table.events.append(interned(CouncilConcluded, card.id, decision.proposal, objectors, fallback))
    if objectors:
        table.apply_effect(rules.deadlock, None, None, deadlock_cause(card.id))
        if deck.adversary is not None:
            add_dissent(table, objectors)
        if table.check_defeat():
            return
    resolve_response(table, card, card.response(fallback), None)
