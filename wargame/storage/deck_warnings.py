"""The third pass of `deck check`: what is legal but almost certainly not what the designer meant.

A warning never stops a deck from loading or playing (`deck check --strict` makes warnings fail).
Warnings are looked for only in a deck without errors: on a broken deck they would partly be echoes
of its errors (a misspelled persona makes the real one look unused).
Each kind is defined exactly in docs/deck-format.md ("What deck check reports"):

- a card that never comes into play: every copy of a card can be drawn (the pile is shuffled and
  the discard pile reshuffled into it), so what can go wrong is that its on-draw effect ends the
  game every time, before anyone can answer it;
- a defeat ending that already holds at the start, and an ending that an earlier ending of the same
  kind always pre-empts (its conditions include all of the earlier one's);
- a response or investment that can never be afforded (it costs more than the treasury can hold);
- a response that another response of the same card beats on every count;
- a persona no nation uses (an adversary's persona is not flagged: red personas are there to be
  chosen, `ai:<persona>`);
- with an adversary: a card whose price is above the most its budget stat can hold, and more plays a
  round than the hand holds;
- an investment that reveals truths in a deck where no card has an attribution, and sealed votes in
  a deck without an alliance card (no council ever votes);
- a source (`[[sources]]`) that no card cites.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from wargame.model.controllers import Scripted
from wargame.model.deck import Card, Condition, Deck, Effect, Ending, Response
from wargame.storage.converter import quote
from wargame.storage.flaws import Flaw, Path

__all__ = ["beats", "check_warnings"]

#: The keys of an effect that hold stat deltas (nations' or the adversary's).
STAT_SCOPES = ("actor", "target", "all", "others", "adversary")


def check_warnings(deck: Deck) -> list[Flaw]:
    """Every warning about `deck`, in the order of the deck's parts."""
    return list(_DeckWarnings(deck).check())


def _warn(path: Path, message: str) -> Flaw:
    return Flaw(path, message, severity="warning")


class _DeckWarnings:
    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        treasury = deck.stats.get("treasury")
        self.treasury_max = treasury.max if treasury is not None else None

    def check(self) -> Iterator[Flaw]:
        yield from self.sealed_votes()
        yield from self.sources()
        yield from self.personas()
        yield from self.investments()
        for index, card in enumerate(self.deck.cards):
            yield from self.card(("cards", index), card)
        yield from self.endings()
        yield from self.adversary()

    def sealed_votes(self) -> Iterator[Flaw]:
        if self.deck.info.sealed_votes and not any(card.target == "alliance" for card in self.deck.cards):
            yield _warn(
                ("deck", "sealed_votes"),
                'no card has target = "alliance", so no council ever votes and there is nothing to seal',
            )

    def sources(self) -> Iterator[Flaw]:
        cited = {card.source for card in self.deck.cards}
        for index, source in enumerate(self.deck.sources):
            if source.id not in cited:
                yield _warn(("sources", index, "id"), f"no card cites source {quote(source.id)}")

    def adversary(self) -> Iterator[Flaw]:
        red = self.deck.adversary
        if red is None:
            return
        plays = red.plays_per_round if red.plays_per_round is not None else self.deck.info.draws_per_round
        if plays > red.hand:
            key = "plays_per_round" if red.plays_per_round is not None else "hand"
            yield _warn(
                ("adversary", key),
                f"the adversary plays {plays} cards a round but holds only {red.hand}: "
                f"the hand is filled once a round, so it can never play more than {red.hand}",
            )
        budget = red.stats.get(red.budget) if red.budget is not None else None
        if budget is None:
            return
        for index, card in enumerate(self.deck.cards):
            if card.price > budget.max:
                yield _warn(
                    ("cards", index, "price"),
                    f"card {quote(card.id)} can never be played: it costs {card.price} and the "
                    f"adversary's {quote(red.budget or '')} is at most {budget.max}",
                )

    def personas(self) -> Iterator[Flaw]:
        used = {nation.persona for nation in self.deck.nations}
        for persona_id in self.deck.personas:
            if persona_id not in used:
                yield _warn(
                    ("personas", persona_id),
                    f"no nation uses persona {quote(persona_id)} "
                    f"(it plays only when chosen, as {quote(str(Scripted(persona_id)))})",
                )

    def investments(self) -> Iterator[Flaw]:
        attributed = any(card.attribution for card in self.deck.cards)
        for index, investment in enumerate(self.deck.investments):
            if investment.reveal and not attributed:
                yield _warn(
                    ("investments", index, "reveal"),
                    f"investment {quote(investment.id)} reveals truths, but no card has an attribution",
                )
            if self.unaffordable(investment.cost):
                yield _warn(
                    ("investments", index, "cost"),
                    f"investment {quote(investment.id)} can never be bought: it costs "
                    f"{investment.cost} and treasury is at most {self.treasury_max}",
                )
            for stat_id, amount, most in self.beyond_reach(investment.stat_costs):
                yield _warn(
                    ("investments", index, "cost", stat_id),
                    f"investment {quote(investment.id)} can never be bought: it costs "
                    f"{amount} {stat_id} and {stat_id} is at most {most}",
                )

    def unaffordable(self, cost: int) -> bool:
        return self.treasury_max is not None and cost > self.treasury_max

    def beyond_reach(self, stat_costs: Mapping[str, int]) -> Iterator[tuple[str, int, int]]:
        """Each stat a price asks more of than the stat can ever hold: (stat, amount, its max)."""
        for stat_id, amount in stat_costs.items():
            stat = self.deck.stats.get(stat_id)
            if stat is not None and amount > stat.max:
                yield stat_id, amount, stat.max

    def card(self, path: Path, card: Card) -> Iterator[Flaw]:
        ending = self.always_ends(card.on_draw)
        if ending is not None:
            yield _warn(
                (*path, "on_draw"),
                f"card {quote(card.id)} never comes into play: its on-draw effect always ends "
                f"the game (ending {quote(ending.id)})",
            )
        for index, response in enumerate(card.responses):
            at: Path = (*path, "responses", index)
            if self.unaffordable(response.cost):
                yield _warn(
                    (*at, "cost"),
                    f"response {quote(response.id)} can never be chosen: it costs {response.cost} "
                    f"and treasury is at most {self.treasury_max}",
                )
            for stat_id, amount, most in self.beyond_reach(response.stat_costs):
                yield _warn(
                    (*at, "cost", stat_id),
                    f"response {quote(response.id)} can never be chosen: it costs {amount} {stat_id} "
                    f"and {stat_id} is at most {most}",
                )
            better = self.beaten_by(card, index)
            if better is not None:
                yield _warn(
                    at,
                    f"response {quote(response.id)} is beaten on every count by {quote(better.id)}: "
                    "it costs no less, requires no less and does no better",
                )

    def beaten_by(self, card: Card, index: int) -> Response | None:
        """The first other response of the card that beats this one on every count.

        Of two responses that beat each other (equal on every count) only the later one is flagged.
        """
        response = card.responses[index]
        for other_index, other in enumerate(card.responses):
            if other_index == index or not beats(self.deck, other, response):
                continue
            if other_index > index and beats(self.deck, response, other):
                continue
            return other
        return None

    # Endings.

    def endings(self) -> Iterator[Flaw]:
        endings = self.deck.endings
        for index, ending in enumerate(endings):
            if ending.kind == "defeat" and self.holds_at_start(ending.when):
                yield _warn(
                    ("endings", index, "when"),
                    f"ending {quote(ending.id)} already holds at the start: a game can end as soon "
                    "as the first card is drawn",
                )
                continue
            earlier = next((e for e in endings[:index] if _preempts(e, ending)), None)
            if earlier is not None:
                yield _warn(
                    ("endings", index),
                    f"ending {quote(ending.id)} can never end a game: {quote(earlier.id)}, listed "
                    "before it, holds whenever it does",
                )

    def holds_at_start(self, conditions: tuple[Condition, ...]) -> bool:
        starts = {track_id: track.start for track_id, track in self.deck.tracks.items()}
        return all(_within(_start_value(c, starts), c) for c in conditions)

    def always_ends(self, effect: Effect) -> Ending | None:
        """The defeat ending the effect always brings about, whatever the tracks were; or None."""
        if not effect.tracks:
            return None
        for ending in self.deck.defeats:
            if self.always_holds(ending.when, effect) and not self.always_holds(ending.when, Effect()):
                return ending
        return None

    def always_holds(self, conditions: tuple[Condition, ...], effect: Effect) -> bool:
        """Whether every condition holds after `effect`, from any values of the tracks in any round."""
        for condition in conditions:
            if condition.round:
                low, high = 1, self.deck.info.rounds
            elif condition.track is not None and condition.track in self.deck.tracks:
                track = self.deck.tracks[condition.track]
                delta = effect.tracks.get(condition.track, 0)
                low = min(max(track.min + delta, track.min), track.max)
                high = min(max(track.max + delta, track.min), track.max)
            else:
                return False  # stats are not read by endings; the rules pass says so
            if (condition.min is not None and low < condition.min) or (
                condition.max is not None and high > condition.max
            ):
                return False
        return True


def _start_value(condition: Condition, starts: Mapping[str, int]) -> int | None:
    if condition.round:
        return 1
    if condition.track is not None:
        return starts.get(condition.track)
    return None


def _within(value: int | None, condition: Condition) -> bool:
    if value is None:
        return False
    return (condition.min is None or value >= condition.min) and (
        condition.max is None or value <= condition.max
    )


def _preempts(earlier: Ending, later: Ending) -> bool:
    """Whether `earlier` always ends the game first: same kind, and all its conditions are `later`'s."""
    return earlier.kind == later.kind and all(condition in later.when for condition in earlier.when)


# Beating on every count.


def beats(deck: Deck, better: Response, worse: Response) -> bool:
    """Whether `better` is at least as good as `worse` on every count, whatever the dice say.

    Same or lower treasury cost and the same price in every other stat; no requirement `worse`
    lacks; the same `consultation`, `reveal`, `claims` and `if_wrong`; on every track, the least
    good change `better` can make is at least as good as the best change `worse` can make (judged
    by the track's `higher_is_better`); and on every stat, the adversary's too, the same change on
    every outcome (stats declare no direction: more treasury is good, more pressure is not).
    """
    if better.cost > worse.cost or better.consultation != worse.consultation:
        return False
    # A price in other stats has no direction either (paying pressure may be welcome).
    if better.stat_costs != worse.stat_costs:
        return False
    # What a response reveals or claims has no direction either: a difference is a reason to choose.
    if (better.reveal, better.claims, better.if_wrong) != (worse.reveal, worse.claims, worse.if_wrong):
        return False
    if any(condition not in worse.requires for condition in better.requires):
        return False
    better_outcomes, worse_outcomes = _outcomes(better), _outcomes(worse)
    track_ids = {track_id for effect in (*better_outcomes, *worse_outcomes) for track_id in effect.tracks}
    for track_id in track_ids:
        track = deck.tracks.get(track_id)
        sign = 1 if track is None or track.higher_is_better else -1
        worst_of_better = min(sign * effect.tracks.get(track_id, 0) for effect in better_outcomes)
        best_of_worse = max(sign * effect.tracks.get(track_id, 0) for effect in worse_outcomes)
        if worst_of_better < best_of_worse:
            return False
    for scope in STAT_SCOPES:
        changes = {
            tuple(sorted((stat, delta) for stat, delta in getattr(effect, scope).items() if delta))
            for effect in (*better_outcomes, *worse_outcomes)
        }
        if len(changes) > 1:
            return False
    return True


def _outcomes(response: Response) -> list[Effect]:
    """What choosing the response can do: its effects, plus success or failure when it rolls."""
    if response.chance is None:
        return [response.effects]
    return [_combined(response.effects, response.success), _combined(response.effects, response.failure)]


def _combined(first: Effect, second: Effect) -> Effect:
    def add(one: Mapping[str, int], two: Mapping[str, int]) -> dict[str, int]:
        total = dict(one)
        for key, delta in two.items():
            total[key] = total.get(key, 0) + delta
        return total

    return Effect(
        tracks=add(first.tracks, second.tracks),
        actor=add(first.actor, second.actor),
        target=add(first.target, second.target),
        all=add(first.all, second.all),
        others=add(first.others, second.others),
        adversary=add(first.adversary, second.adversary),
    )
