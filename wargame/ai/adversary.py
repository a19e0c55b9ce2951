"""The scripted adversary: which card to play next, and where, as its red persona sees it.

    action = choose_play(view(state, "moscow"), "moscow")

Each legal play (a card of the hand at a target it allows) is valued as the sum of:

- **the card's stakes**: the red persona's track weights times what the card is expected to do to
  the alliance's tracks (its `on_draw`, plus the mean of its responses' effects, each roll weighted by
  its base chance), and its stat weights times the price it costs;
- **the target's draw**: the persona's `targets` weights times what it sees of the nation (its
  stats, whether it is on the front line, whether its last answer let a card go, how often it stood
  against the alliance); an alliance card is drawn to all of them, by their mean;
- **preferences**: the weight of every `prefers` entry whose conditions hold now and that names the
  card or one of its tags.

The best play wins, ties going to the first in the hand's order and the deck's order of nations. It
reads only what its seat's view shows, so it is deterministic like the governments' AI.
"""

from __future__ import annotations

from attrs import frozen

from wargame.engine import legal_actions
from wargame.engine.adversary import playable, targets
from wargame.engine.conditions import holds_all
from wargame.engine.interned import interned
from wargame.model import (
    Board,
    Card,
    Deck,
    PlayCard,
    PlayDecision,
    Preference,
    RedPersona,
    persona_in,
)

__all__ = ["Appraisal", "appraise_plays", "choose_play", "red_persona"]

#: Values closer than this are equal: a play must be worth more than this over another to win.
TIE_MARGIN = 1e-9


@frozen
class Appraisal:
    """What one play is worth to the adversary, and why: the parts of its value."""

    action: PlayCard
    stakes: float
    """What the card does to the alliance's tracks (and costs), by the persona's weights."""
    draw: float
    """What draws the persona to the target."""
    preference: float
    """What the persona's preferences add now."""
    reasons: tuple[tuple[str, float], ...]
    """The target's features that counted, as (feature, what it added)."""

    @property
    def value(self) -> float:
        """The play's whole value."""
        return self.stakes + self.draw + self.preference


def red_persona(state: Board, seat: str) -> RedPersona:
    """The persona the adversary plays: its controller's, else the deck's default."""
    red = state.deck.adversary
    assert red is not None and red.id == seat, f"{seat} is not the adversary"
    return red.personas[persona_in(state.controllers[seat]) or red.persona]


def choose_play(state: Board, seat: str) -> PlayCard:
    """The card the adversary plays now, and where (from its view: see `wargame.engine.views`)."""
    decision = state.pending
    if not isinstance(decision, PlayDecision) or decision.seat != seat:
        raise ValueError(f"it is not {seat}'s turn to play a card")
    deck = state.deck
    red = deck.adversary
    assert red is not None
    budget = None if red.budget is None else state.adversary_stats[red.budget]
    # The brief of the persona last played, without looking it up: a game keeps its controllers.
    latest = _latest[0] if _latest else None
    if latest is not None and latest[0] is deck and latest[1] is state.controllers and latest[2] == seat:
        brief = latest[3]
    else:
        brief = _brief(deck, red_persona(state, seat))
        _latest[:] = [(deck, state.controllers, seat, brief)]
    # The same sums as `appraise_plays`, without keeping their parts: the lab plays thousands.
    draws = _quick_draws(state, brief)
    best: tuple[str, str | None] | None = None
    # What a play must be worth to win: more than the best so far by the margin (worked out when
    # the best changes, not at each of a play's dozen comparisons).
    bar = float("-inf")
    for card_id in playable(deck, state.hand, budget, decision.only):
        value = brief.stakes[card_id]
        preferred = brief.preferences.get(card_id)
        if preferred:
            value += _preferred(state, preferred)
        for target in brief.targets[card_id]:
            worth = value + draws[target]
            if worth > bar:
                best, bar = (card_id, target), worth + TIE_MARGIN
    assert best is not None, "the adversary is asked to play only when it can"
    return interned(PlayCard, seat, *best)


@frozen
class _Brief:
    """What a red persona makes of a deck, worked out once: each card's stakes, targets and the
    preferences that name it, and the target features it weighs."""

    stakes: dict[str, float]
    targets: dict[str, tuple[str | None, ...]]
    preferences: dict[str, tuple[Preference, ...]]
    features: tuple[tuple[int, str, float], ...]
    """The persona's nonzero target weights, in its order, as (kind, feature, weight): `_STAT`,
    `_LET_GO`, `_DISSENT` or `_FRONTLINE`."""
    nations: tuple[str, ...]
    """The nations' ids, in the deck's order."""
    frontlines: dict[str, tuple[tuple[str, float], ...]]
    """By front-line feature, each nation on a front line and what that adds (the same product
    `_draw` takes): it never changes."""


_BRIEFS: dict[tuple[int, int], tuple[Deck, RedPersona, _Brief]] = {}
#: The last brief used, with the deck, controllers and seat it was for.
_latest: list[tuple[Deck, object, str, _Brief]] = []


def _brief(deck: Deck, persona: RedPersona) -> _Brief:
    found = _BRIEFS.get((id(deck), id(persona)))
    if found is not None and found[0] is deck and found[1] is persona:
        return found[2]
    features = tuple(
        (_KINDS.get(feature, _STAT), feature, weight) for feature, weight in persona.targets.items() if weight
    )
    brief = _Brief(
        stakes={card.id: _stakes(deck, persona, card) for card in deck.cards},
        targets={card.id: targets(deck, card) for card in deck.cards},
        preferences={
            card.id: tuple(
                preference
                for preference in persona.prefers
                if card.id in preference.cards or any(tag in card.tags for tag in preference.tags)
            )
            for card in deck.cards
        },
        features=features,
        nations=deck.nation_ids,
        frontlines={
            feature: tuple(
                (nation.id, weight * nation.frontline) for nation in deck.nations if nation.frontline
            )
            for kind, feature, weight in features
            if kind == _FRONTLINE
        },
    )
    if len(_BRIEFS) >= 64:
        _BRIEFS.clear()
    _BRIEFS[id(deck), id(persona)] = (deck, persona, brief)
    return brief


def _preferred(state: Board, preferences: tuple[Preference, ...]) -> float:
    # As `_preference`, over the preferences already known to name the card, summed in the same order.
    value = 0.0
    for preference in preferences:
        if holds_all(preference.when, state.tracks, state.stats, state.round, None, None, state):
            value += preference.weight
    return value


#: What a target feature reads: a stat of the nation, or one of these.
_STAT, _LET_GO, _DISSENT, _FRONTLINE = range(4)
_KINDS = {"let_go": _LET_GO, "dissent": _DISSENT, "frontline": _FRONTLINE}


def _quick_draws(state: Board, brief: _Brief) -> dict[str | None, float]:
    """`_draw`'s value for every nation and for the alliance (None), without their reasons. All at
    once: nearly every hand holds a card that may land anywhere.

    Feature by feature: a stat is read of every nation, but the others only of the nations they name
    (those let go, in dissent, on a front line), a few at most. Each nation's value adds the same
    products in the same order as `_draw`, so it is the same float.
    """
    draws: dict[str | None, float] = dict.fromkeys(brief.nations, 0.0)
    stats = state.stats
    for kind, feature, weight in brief.features:
        # An int or a bool times a float is the same float as with the amount made a float first.
        if kind == _STAT:
            for target in brief.nations:
                amount = stats[target].get(feature, 0)
                if amount:
                    draws[target] += weight * amount
        elif kind == _LET_GO:
            for target in state.let_go:
                if target in draws:
                    draws[target] += weight  # `weight * True`, the same float
        elif kind == _DISSENT:
            for target, amount in state.dissent.items():
                if amount and target in draws:
                    draws[target] += weight * amount
        else:
            for target, part in brief.frontlines[feature]:
                draws[target] += part
    parts = list(draws.values())
    draws[None] = sum(parts) / len(parts)
    return draws


def appraise_plays(state: Board, seat: str) -> list[Appraisal]:
    """Every legal play with its value and the parts of it, in the legal order."""
    persona = red_persona(state, seat)
    deck = state.deck
    draws: dict[str | None, tuple[float, tuple[tuple[str, float], ...]]] = {}
    appraisals = []
    for action in legal_actions(state):
        assert isinstance(action, PlayCard)
        card = deck.card(action.card)
        if action.target not in draws:
            draws[action.target] = _draw(state, persona, action.target)
        draw, reasons = draws[action.target]
        appraisals.append(
            Appraisal(action, _stakes(deck, persona, card), draw, _preference(state, persona, card), reasons)
        )
    return appraisals


def _stakes(deck: Deck, persona: RedPersona, card: Card) -> float:
    expected = expected_tracks(deck, card)
    value = sum(persona.tracks.get(track, 0.0) * delta for track, delta in expected.items())
    red = deck.adversary
    if card.price and red is not None and red.budget is not None:
        value -= persona.stats.get(red.budget, 0.0) * card.price
    return value


_EXPECTED: dict[tuple[int, str], tuple[Deck, dict[str, float]]] = {}


def expected_tracks(deck: Deck, card: Card) -> dict[str, float]:
    """What a card is expected to do to the tracks: its `on_draw`, and its responses' mean effect."""
    found = _EXPECTED.get((id(deck), card.id))
    if found is not None and found[0] is deck:
        return found[1]
    expected: dict[str, float] = dict.fromkeys(card.on_draw.tracks, 0.0)
    for track, delta in card.on_draw.tracks.items():
        expected[track] += delta
    share = 1.0 / len(card.responses)
    for response in card.responses:
        chance = 1.0 if response.chance is None else response.chance / 100
        for effect, weight in (
            (response.effects, 1.0),
            (response.success, chance),
            (response.failure, 1 - chance),
        ):
            if response.chance is None and effect is not response.effects:
                continue
            for track, delta in effect.tracks.items():
                expected[track] = expected.get(track, 0.0) + share * weight * delta
    if len(_EXPECTED) >= 4096:
        _EXPECTED.clear()
    _EXPECTED[id(deck), card.id] = (deck, expected)
    return expected


def _draw(
    state: Board, persona: RedPersona, target: str | None
) -> tuple[float, tuple[tuple[str, float], ...]]:
    if target is None:
        nations = [nation.id for nation in state.deck.nations]
        parts = [_draw(state, persona, nation)[0] for nation in nations]
        return sum(parts) / len(parts), ()
    nation = state.deck.nation(target)
    stats = state.stats[target]
    reasons: list[tuple[str, float]] = []
    for feature, weight in persona.targets.items():
        if feature == "frontline":
            amount = float(nation.frontline)
        elif feature == "let_go":
            amount = float(target in state.let_go)
        elif feature == "dissent":
            amount = float(state.dissent.get(target, 0))
        else:
            amount = float(stats.get(feature, 0))
        if amount and weight:
            reasons.append((feature, weight * amount))
    return sum(part for _, part in reasons), tuple(reasons)


def _preference(state: Board, persona: RedPersona, card: Card) -> float:
    value = 0.0
    for preference in persona.prefers:
        matches = card.id in preference.cards or any(tag in card.tags for tag in preference.tags)
        if matches and holds_all(preference.when, state.tracks, state.stats, state.round, None, None, state):
            value += preference.weight
    return value
