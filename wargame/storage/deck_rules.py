"""The second pass of `deck check`: what a structurally valid deck means, and where it is wrong.

The first pass (cattrs, in `wargame.storage.decks`) guarantees types and keys; this pass checks the
rest: unique ids, references that resolve, sane ranges, conditions that can hold, and the few rules
the engine relies on (every card has a response anyone can always take; the last final ending is the
default). It reports every flaw it finds, each at a path inside the deck, and never stops early.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol

from wargame.engine.views import FACILITATOR
from wargame.model.deck import (
    TARGET_FEATURES,
    TARGET_WORDS,
    Adversary,
    AdversaryStat,
    Card,
    Condition,
    Cost,
    Deck,
    Effect,
    Nation,
    Objective,
    Persona,
    Preference,
    RedPersona,
    Response,
    Source,
)
from wargame.storage.converter import quote
from wargame.storage.flaws import (
    MAX_LISTED,
    Flaw,
    Path,
    PathPart,
    Severity,
    did_you_mean,
    format_path,
    hint,
    one_of,
)

__all__ = [
    "DECK_ID",
    "REQUIRED_STATS",
    "Flaw",
    "Path",
    "PathPart",
    "Severity",
    "check_rules",
    "did_you_mean",
    "format_path",
]

#: The stats every deck must declare: the engine pays costs from treasury, adds income every
#: round and reads readiness in rolls.
# Upper bounds that no real deck reaches, so a typo (copies = 1000000000) is an error, not a game
# that exhausts the memory or never ends.
MAX_ROUNDS = 100
MAX_DRAWS = 20
MAX_COPIES = 100
#: A track's or stat's max at most this far above its min: the AI weighs every value in a range.
MAX_SPAN = 1000
#: The largest amount an effect may move a value by, or a cost (TOML integers have no bound, and the
#: AI weighs amounts as floats).
MAX_AMOUNT = 1_000_000
REQUIRED_STATS = ("treasury", "income", "readiness")

#: Condition subjects, in the order the model declares them.
SUBJECTS = ("track", "actor", "target", "round", "adversary", "attribution", "consultation", "posture")
#: The subjects that name a fact rather than read a number: they take no bounds.
FACTS = ("attribution", "consultation", "posture")

#: The condition subjects each place may read, as the engine reads them: a nation's stats only where
#: there is a nation (`actor`: the one answering, buying or holding the objective; `target`: a card's);
#: the adversary's stats and the last consultation's result only where it is given the whole board
#: (not an investment's requirements, not endings: see ENDINGS_READ_LESS); a truth only while its card
#: is in play, so in that card's responses.
IN_OBJECTIVES = ("track", "actor", "round", "adversary", "consultation", "posture")
IN_INVESTMENTS = ("track", "actor", "round", "adversary", "consultation", "posture")
IN_RESPONSES = (
    "track",
    "actor",
    "target",
    "round",
    "adversary",
    "attribution",
    "consultation",
    "posture",
)
IN_ROUNDS = ("track", "round", "adversary", "consultation", "posture")
IN_ENDINGS = ("track", "round")
#: Why endings read no more: a defeat check is skipped until a track or the round moves.
ENDINGS_READ_LESS = (
    "endings read only tracks and the round (a defeat ending is checked again only when one of "
    "them changes, so a change in anything else would go unseen)"
)
#: Why only a response's requirements may test a truth.
TRUTHS_BELONG_TO_CARDS = (
    "a truth belongs to the card in play, so only a card's responses may test it (in `requires`)"
)

#: What an `adversary` effect or condition in a deck without one is told.
NO_ADVERSARY = '"adversary" needs an [adversary] table, and this deck has none'

#: What a deck id (and the adversary's) may be: letters and digits of any script, with single dashes
#: between them ("marea-neagră"). It names files (`<id>-seed7.toml`): no spaces, no punctuation.
DECK_ID = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
#: What a truth of a card's attribution may be: a bare TOML key (it is written in conditions and
#: claims as a string, and the views' "?" must never be one).
TRUTH = re.compile(r"[A-Za-z0-9_-]+")
#: A source's date: an ISO calendar date (a string, so that the schema and the citation read it as
#: written; a TOML date would be a different type in every tool).
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_rules(deck: Deck) -> list[Flaw]:
    """Every flaw in what `deck` means, in the order of the deck's parts."""
    return list(_DeckRules(deck).check())


class _DeckRules:
    """One pass over one deck; each method yields the flaws of one part."""

    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.tracks = deck.tracks
        self.stats = deck.stats
        self.red = deck.adversary
        self.red_stats: Mapping[str, AdversaryStat] = {} if deck.adversary is None else deck.adversary.stats

    def check(self) -> Iterator[Flaw]:
        yield from self.info()
        yield from self.sources()
        yield from self.track_and_stat_ranges()
        yield from self.nations()
        yield from self.personas()
        yield from self.consultation()
        yield from self.council()
        yield from self.postures()
        yield from self.investments()
        yield from self.cards()
        yield from self.extra_draws()
        yield from self.drift()
        yield from self.endings()
        if self.red is not None:
            yield from self.adversary(self.red)

    # The deck as a whole.

    def info(self) -> Iterator[Flaw]:
        info = self.deck.info
        yield from named(info.title, ("deck", "title"), "a title")
        if not DECK_ID.fullmatch(info.id):
            yield Flaw(("deck", "id"), f"expected letters, digits and dashes, got {quote(info.id)}")
        yield from between(info.rounds, 1, MAX_ROUNDS, ("deck", "rounds"))
        yield from between(info.draws_per_round, 1, MAX_DRAWS, ("deck", "draws_per_round"))

    def sources(self) -> Iterator[Flaw]:
        yield from unique_ids("source", "sources", self.deck.sources)
        for index, source in enumerate(self.deck.sources):
            yield from self.source(("sources", index), source)

    def source(self, path: Path, source: Source) -> Iterator[Flaw]:
        # An empty id fails the pattern below, and says so.
        if not TRUTH.fullmatch(source.id):
            yield Flaw(
                (*path, "id"),
                f"expected an id of letters, digits, dashes and underscores, got {quote(source.id)}",
            )
        if not source.outlet.strip() and not source.title.strip():
            # A card cites it in words: with neither, the room would read only a date.
            yield Flaw(path, f"source {quote(source.id)} needs an outlet or a title to be cited by")
        if source.date and not _iso_date(source.date):
            example = quote("2025-10-02")
            yield Flaw((*path, "date"), f"expected an ISO date such as {example}, got {quote(source.date)}")

    def card_source(self, path: Path, card: Card) -> Iterator[Flaw]:
        """A card's `source` that was meant as a source id and names none (free text is left be)."""
        if not self.deck.sources or self.deck.source_of(card) is not None:
            return
        word = card.source.strip()
        files = {source.file: source.id for source in self.deck.sources if source.file}
        if word in files:
            yield Flaw(
                (*path, "source"),
                f"{quote(word)} is the file of source {quote(files[word])}: "
                f"cite it by its id, source = {quote(files[word])}",
            )
        elif TRUTH.fullmatch(word):
            # One word shaped like an id is no citation in words: it was meant as an id.
            ids = [source.id for source in self.deck.sources]
            yield Flaw((*path, "source"), f"unknown source id {quote(word)}" + hint(word, ids))

    def track_and_stat_ranges(self) -> Iterator[Flaw]:
        if not self.tracks:
            yield Flaw(("tracks",), "a deck needs at least one track")
        for track_id, track in self.tracks.items():
            path: Path = ("tracks", track_id)
            yield from named(track.name, (*path, "name"), "a name")
            yield from between(track.min, -MAX_AMOUNT, MAX_AMOUNT, (*path, "min"))
            if track.min >= track.max:
                yield Flaw((*path, "max"), f"max {track.max} must be above min {track.min}")
            elif track.max - track.min > MAX_SPAN:
                yield too_wide(track.min, track.max, (*path, "max"))
            elif not track.min <= track.start <= track.max:
                yield Flaw(
                    (*path, "start"),
                    f"start {track.start} is outside the track's range {track.min}..{track.max}",
                )
        for stat_id in REQUIRED_STATS:
            if stat_id not in self.stats:
                yield Flaw(("stats",), f"missing required stat {quote(stat_id)}")
        for stat_id, stat in self.stats.items():
            yield from named(stat.name, ("stats", stat_id, "name"), "a name")
            yield from between(stat.min, -MAX_AMOUNT, MAX_AMOUNT, ("stats", stat_id, "min"))
            if stat.min >= stat.max:
                yield Flaw(("stats", stat_id, "max"), f"max {stat.max} must be above min {stat.min}")
            elif stat.max - stat.min > MAX_SPAN:
                yield too_wide(stat.min, stat.max, ("stats", stat_id, "max"))

    # Nations and personas.

    def nations(self) -> Iterator[Flaw]:
        if not self.deck.nations:
            yield Flaw(("nations",), "a deck needs at least one nation")
        yield from unique_ids("nation", "nations", self.deck.nations)
        for index, nation in enumerate(self.deck.nations):
            yield from self.nation(("nations", index), nation)

    def nation(self, path: Path, nation: Nation) -> Iterator[Flaw]:
        yield from named(nation.id, (*path, "id"), "an id")
        yield from named(nation.name, (*path, "name"), "a name")
        if nation.id in TARGET_WORDS:
            yield Flaw((*path, "id"), f"{quote(nation.id)} is a card target word and cannot be a nation id")
        if nation.persona not in self.deck.personas:
            yield Flaw(
                (*path, "persona"),
                f"unknown persona {quote(nation.persona)}" + hint(nation.persona, self.deck.personas),
            )
        for stat_id in self.stats:
            if stat_id not in nation.stats:
                yield Flaw((*path, "stats"), f"missing stat {quote(stat_id)}")
        for stat_id, value in nation.stats.items():
            stat = self.stats.get(stat_id)
            if stat is None:
                yield self.unknown("stat", stat_id, (*path, "stats"))
            elif stat.min <= stat.max and not stat.min <= value <= stat.max:
                yield Flaw(
                    (*path, "stats", stat_id),
                    f"{value} is outside the stat's range {stat.min}..{stat.max}",
                )
        yield from self.objectives(nation.objectives, (*path, "objectives"), IN_OBJECTIVES)

    def objectives(
        self, objectives: tuple[Objective, ...], path: Path, allowed: tuple[str, ...]
    ) -> Iterator[Flaw]:
        yield from unique_ids("objective", path, objectives)
        for index, objective in enumerate(objectives):
            at: Path = (*path, index)
            yield from named(objective.id, (*at, "id"), "an id")
            yield from at_least(objective.points, 0, (*at, "points"))
            yield from at_most(objective.points, MAX_AMOUNT, (*at, "points"))
            yield from self.conditions(objective.when, (*at, "when"), allowed)

    def personas(self) -> Iterator[Flaw]:
        for persona_id, persona in self.deck.personas.items():
            yield from self.persona(("personas", persona_id), persona)

    def persona(self, path: Path, persona: Persona) -> Iterator[Flaw]:
        yield from named(persona.name, (*path, "name"), "a name")
        for track_id in persona.tracks:
            if track_id not in self.tracks:
                yield self.unknown("track", track_id, (*path, "tracks"))
        for stat_id in persona.stats:
            if stat_id not in self.stats:
                yield self.unknown("stat", stat_id, (*path, "stats"))
        if persona.risk_aversion < 0:
            yield Flaw((*path, "risk_aversion"), f"must be at least 0, got {persona.risk_aversion:g}")
        if not -1 <= persona.firmness <= 1:
            yield Flaw((*path, "firmness"), f"must be between -1 and 1, got {persona.firmness:g}")
        for key in ("on_support", "on_restrain", "on_abstain"):
            yield from self.effect(getattr(persona, key), (*path, key))

    # Consultations and investments.

    def consultation(self) -> Iterator[Flaw]:
        consultation = self.deck.consultation
        path: Path = ("consultation",)
        yield from between(consultation.threshold, 1, 100, (*path, "threshold"))
        yield from at_least(consultation.fatigue_window, 0, (*path, "fatigue_window"))
        for key in ("unified", "restrained", "split", "fatigue"):
            yield from self.effect(getattr(consultation, key), (*path, key))

    def council(self) -> Iterator[Flaw]:
        rules = self.deck.council
        path: Path = ("council",)
        yield from self.effect(rules.deadlock, (*path, "deadlock"))
        if not rules.is_consensus:
            return
        alliance = [(index, card) for index, card in enumerate(self.deck.cards) if card.target == "alliance"]
        if rules.fallback is None:
            if alliance:
                yield Flaw(
                    (*path, "kind"),
                    'a consensus council with no fallback: add fallback = "<response id>", the response'
                    " a deadlocked council resolves (every alliance card must have it)",
                )
            return
        for index, card in alliance:
            ids = [response.id for response in card.responses]
            if rules.fallback not in ids:
                yield Flaw(
                    (*path, "fallback"),
                    f"unknown response {quote(rules.fallback)} on alliance card {quote(card.id)}"
                    f" (cards[{index}]){did_you_mean(rules.fallback, ids)}: a deadlocked council falls"
                    " back to it, so every alliance card needs it",
                )

    def investments(self) -> Iterator[Flaw]:
        yield from unique_ids("investment", "investments", self.deck.investments)
        for index, investment in enumerate(self.deck.investments):
            path: Path = ("investments", index)
            yield from named(investment.id, (*path, "id"), "an id")
            yield from named(investment.name, (*path, "name"), "a name")
            yield from self.cost(investment.price, (*path, "cost"))
            yield from at_least(investment.limit, 1, (*path, "limit"))
            yield from self.effect(
                investment.effects,
                (*path, "effects"),
                forbidden=("target",),
                why="an investment has no target nation",
            )
            yield from self.conditions(investment.requires, (*path, "requires"), IN_INVESTMENTS)
            if investment.reveal is not None:
                yield from between(investment.reveal, 0, 100, (*path, "reveal"))

    # Cards.

    def cards(self) -> Iterator[Flaw]:
        if not self.deck.cards:
            yield Flaw(("cards",), "a deck needs at least one card")
        yield from unique_ids("card", "cards", self.deck.cards)
        for index, card in enumerate(self.deck.cards):
            yield from self.card(("cards", index), card)

    def card(self, path: Path, card: Card) -> Iterator[Flaw]:
        yield from named(card.id, (*path, "id"), "an id")
        yield from named(card.title, (*path, "title"), "a title")
        yield from between(card.copies, 1, MAX_COPIES, (*path, "copies"))
        nation_ids = [nation.id for nation in self.deck.nations]
        alliance = card.target == "alliance"
        if isinstance(card.target, tuple):
            if not card.target:
                yield Flaw((*path, "target"), "a list of targets needs at least one nation id")
            for index, word in enumerate(card.target):
                if word in card.target[:index]:
                    yield Flaw((*path, "target", index), f"nation {quote(word)} is listed twice")
                elif word in TARGET_WORDS:
                    yield Flaw(
                        (*path, "target", index),
                        f"{quote(word)} cannot be in a list: write target = {quote(word)} on its own",
                    )
                elif word not in nation_ids:
                    yield Flaw(
                        (*path, "target", index), f"unknown nation {quote(word)}" + hint(word, nation_ids)
                    )
        elif card.target not in TARGET_WORDS and card.target not in nation_ids:
            close = did_you_mean(card.target, [*nation_ids, *TARGET_WORDS])
            listed = f" ({one_of(nation_ids)})" if nation_ids and len(nation_ids) <= MAX_LISTED else ""
            yield Flaw(
                (*path, "target"),
                f"unknown target {quote(card.target)}"
                + (close or f": expected a nation id{listed}, " + one_of(TARGET_WORDS)),
            )
        if card.target == "frontline" and not any(n.frontline for n in self.deck.nations):
            yield Flaw((*path, "target"), 'a "frontline" card needs a nation with frontline = true')
        if alliance and card.article4_after:
            yield Flaw(
                (*path, "article4_after"),
                "an alliance card has no target nation to request consultations after its response:"
                " article4_after is only for cards aimed at a nation",
            )
        if alliance:
            yield from self.effect(
                card.on_draw,
                (*path, "on_draw"),
                forbidden=("actor", "target"),
                why="an alliance card has no target nation",
            )
        else:
            yield from self.effect(card.on_draw, (*path, "on_draw"))
        if not card.responses:
            yield Flaw((*path, "responses"), "a card needs at least one response")
        elif not any(r.is_free and not r.requires for r in card.responses):
            yield Flaw(
                (*path, "responses"),
                "no free response: at least one response must cost 0 and require nothing",
            )
        yield from unique_ids("response", (*path, "responses"), card.responses)
        for index, response in enumerate(card.responses):
            yield from self.response((*path, "responses", index), response, card)
        yield from self.attribution(path, card)
        yield from self.price(path, card)
        yield from self.card_source(path, card)

    def attribution(self, path: Path, card: Card) -> Iterator[Flaw]:
        at: Path = (*path, "attribution")
        for truth, weight in card.attribution.items():
            if not TRUTH.fullmatch(truth):
                yield Flaw(
                    at,
                    f"expected a truth of letters, digits, dashes and underscores, got {quote(truth)}",
                    spot=(*at, truth),
                )
            if weight < 0:
                yield Flaw((*at, truth), f"a weight must be at least 0, got {weight}")
            yield from at_most(weight, MAX_AMOUNT, (*at, truth))
        if card.attribution and all(weight == 0 for weight in card.attribution.values()):
            yield Flaw(at, "every weight is 0, so no truth can be drawn: give at least one a weight above 0")
        if card.exposed is not None:
            yield from between(card.exposed, 0, 100, (*path, "exposed"))
            if not card.attribution:
                yield Flaw(
                    (*path, "exposed"), f"card {quote(card.id)} declares no attribution: nothing to expose"
                )

    def price(self, path: Path, card: Card) -> Iterator[Flaw]:
        yield from at_least(card.price, 0, (*path, "price"))
        yield from at_most(card.price, MAX_AMOUNT, (*path, "price"))
        if card.price > 0:
            if self.red is None:
                yield Flaw((*path, "price"), "a price needs an [adversary] to pay it: this deck has none")
            elif self.red.budget is None:
                yield Flaw(
                    (*path, "price"),
                    "a price is paid from the adversary's budget, and [adversary] sets none: "
                    "set its `budget` to the stat cards are paid from",
                )

    def response(self, path: Path, response: Response, card: Card) -> Iterator[Flaw]:
        alliance = card.target == "alliance"
        yield from named(response.id, (*path, "id"), "an id")
        yield from named(response.label, (*path, "label"), "a label")
        yield from self.cost(response.price, (*path, "cost"))
        if response.chance is not None:
            yield from between(response.chance, 0, 100, (*path, "chance"))
        yield from at_least(response.readiness_bonus, 0, (*path, "readiness_bonus"))
        yield from self.conditions(response.requires, (*path, "requires"), IN_RESPONSES, card=card)
        if response.reveal is not None:
            yield from between(response.reveal, 0, 100, (*path, "reveal"))
            if not card.attribution:
                yield Flaw(
                    (*path, "reveal"), f"card {quote(card.id)} declares no attribution: nothing to reveal"
                )
        if response.claims is not None:
            yield from self.truth(response.claims, card, (*path, "claims"), "to claim")
        elif response.if_wrong != Effect():
            yield Flaw(
                (*path, "if_wrong"),
                'applies only when the response claims a truth: set "claims", or drop "if_wrong"',
            )
        forbidden: tuple[str, ...] = ()
        why = ""
        if alliance:
            # The council decides together: nobody pays, nobody acts alone, nobody invokes.
            if not response.is_free:
                yield Flaw(
                    (*path, "cost"),
                    f"an alliance card's responses must cost 0, got {price_words(response.price)}",
                )
            if response.requires:
                yield Flaw((*path, "requires"), "an alliance card's responses cannot have requirements")
            if response.consultation:
                yield Flaw(
                    (*path, "consultation"), "an alliance card's responses cannot invoke a consultation"
                )
            forbidden = ("actor", "target")
            why = "an alliance card has no acting or target nation"
        for key in ("effects", "success", "failure", "if_wrong"):
            yield from self.effect(getattr(response, key), (*path, key), forbidden, why)

    def truth(self, word: str, card: Card, path: Path, purpose: str) -> Iterator[Flaw]:
        """A truth named in a claim or a condition: one that the card declares."""
        if not card.attribution:
            yield Flaw(
                path,
                f"card {quote(card.id)} declares no attribution: no truth {purpose} "
                "(give the card `attribution = { ... }`)",
            )
        elif word not in card.attribution:
            declared = _one_of(card.attribution, last="and")
            yield Flaw(
                path,
                f"unknown truth {quote(word)}"
                + did_you_mean(word, card.attribution)
                + f": card {quote(card.id)} declares {declared}",
            )

    # Round mechanics and endings.

    def extra_draws(self) -> Iterator[Flaw]:
        for index, extra in enumerate(self.deck.extra_draws):
            path: Path = ("extra_draws", index)
            yield from between(extra.count, 1, MAX_DRAWS, (*path, "count"))
            yield from self.conditions(extra.when, (*path, "when"), IN_ROUNDS)

    def drift(self) -> Iterator[Flaw]:
        for index, drift in enumerate(self.deck.drift):
            path: Path = ("drift", index)
            yield from self.effect(
                drift.effects,
                (*path, "effects"),
                forbidden=("actor", "target", "others"),
                why='drift has no acting or target nation (use "tracks" or "all")',
            )
            yield from self.conditions(drift.when, (*path, "when"), IN_ROUNDS)

    def endings(self) -> Iterator[Flaw]:
        yield from unique_ids("ending", "endings", self.deck.endings)
        finals = [i for i, ending in enumerate(self.deck.endings) if ending.kind == "final"]
        if not finals:
            yield Flaw(("endings",), 'a deck needs at least one ending with kind = "final"')
        elif self.deck.endings[finals[-1]].when:
            yield Flaw(
                ("endings", finals[-1], "when"),
                "the last final ending is the default and must have no conditions",
            )
        for index, ending in enumerate(self.deck.endings):
            yield from named(ending.id, ("endings", index, "id"), "an id")
            yield from named(ending.title, ("endings", index, "title"), "a title")
            if ending.kind == "defeat" and not ending.when:
                yield Flaw(
                    ("endings", index),
                    f"defeat ending {quote(ending.id)} has no conditions, so it ends every game at once:"
                    " give it `when = [...]`",
                )
            yield from self.conditions(
                ending.when,
                ("endings", index, "when"),
                IN_ENDINGS,
                why={"adversary": ENDINGS_READ_LESS, "consultation": ENDINGS_READ_LESS},
            )

    # The adversary.

    def adversary(self, red: Adversary) -> Iterator[Flaw]:
        path: Path = ("adversary",)
        nation_ids = {nation.id for nation in self.deck.nations}
        yield from named(red.name, (*path, "name"), "a name")
        if not DECK_ID.fullmatch(red.id):
            yield Flaw((*path, "id"), f"expected letters, digits and dashes, got {quote(red.id)}")
        elif red.id in nation_ids:
            yield Flaw((*path, "id"), f"{quote(red.id)} is a nation's id: the adversary's seat needs its own")
        elif red.id == FACILITATOR:
            yield Flaw(
                (*path, "id"), f"{quote(red.id)} is the facilitator's seat: the adversary needs its own"
            )
        elif red.id in TARGET_WORDS:
            yield Flaw(
                (*path, "id"), f"{quote(red.id)} is a card target word and cannot be the adversary's id"
            )
        if not red.personas:
            yield Flaw((*path, "personas"), "an adversary needs at least one persona")
        elif red.persona not in red.personas:
            yield Flaw(
                (*path, "persona"),
                f"unknown adversary persona {quote(red.persona)}" + did_you_mean(red.persona, red.personas),
            )
        copies = sum(card.copies for card in self.deck.cards)
        yield from at_least(red.hand, 1, (*path, "hand"))
        if self.deck.cards and red.hand > copies:
            yield Flaw(
                (*path, "hand"),
                f"a hand of {red.hand} is larger than the deck: its cards have {copies} copies in all",
            )
        if red.plays_per_round is not None:
            yield from between(red.plays_per_round, 1, MAX_DRAWS, (*path, "plays_per_round"))
        if red.budget is not None and red.budget not in red.stats:
            yield self.unknown("adversary stat", red.budget, (*path, "budget"), spot=(*path, "budget"))
        for stat_id, stat in red.stats.items():
            yield from self.red_stat(("adversary", "stats", stat_id), stat)
        for stat_id, amount in red.income.items():
            if stat_id not in red.stats:
                yield self.unknown("adversary stat", stat_id, (*path, "income"))
            yield from between(amount, -MAX_AMOUNT, MAX_AMOUNT, (*path, "income", stat_id))
        for persona_id, persona in red.personas.items():
            yield from self.red_persona((*path, "personas", persona_id), persona)
        yield from self.objectives(red.objectives, (*path, "objectives"), IN_ROUNDS)

    def red_stat(self, path: Path, stat: AdversaryStat) -> Iterator[Flaw]:
        yield from named(stat.name, (*path, "name"), "a name")
        yield from between(stat.min, -MAX_AMOUNT, MAX_AMOUNT, (*path, "min"))
        if stat.min >= stat.max:
            yield Flaw((*path, "max"), f"max {stat.max} must be above min {stat.min}")
        elif stat.max - stat.min > MAX_SPAN:
            yield too_wide(stat.min, stat.max, (*path, "max"))
        elif not stat.min <= stat.start <= stat.max:
            yield Flaw(
                (*path, "start"), f"start {stat.start} is outside the stat's range {stat.min}..{stat.max}"
            )

    def red_persona(self, path: Path, persona: RedPersona) -> Iterator[Flaw]:
        yield from named(persona.name, (*path, "name"), "a name")
        for track_id in persona.tracks:
            if track_id not in self.tracks:
                yield self.unknown("track", track_id, (*path, "tracks"))
        for stat_id in persona.stats:
            if stat_id not in self.red_stats:
                yield self.unknown("adversary stat", stat_id, (*path, "stats"))
        features = [*self.stats, *TARGET_FEATURES]
        for feature in persona.targets:
            if feature not in features:
                yield Flaw(
                    (*path, "targets"),
                    f"unknown target feature {quote(feature)}"
                    + (
                        did_you_mean(feature, features)
                        or ": expected a nation stat or " + _one_of(TARGET_FEATURES)
                    ),
                    spot=(*path, "targets", feature),
                )
        for index, preference in enumerate(persona.prefers):
            yield from self.preference((*path, "prefers", index), preference)

    def preference(self, path: Path, preference: Preference) -> Iterator[Flaw]:
        yield from self.conditions(preference.when, (*path, "when"), IN_ROUNDS)
        if not preference.tags and not preference.cards:
            yield Flaw(path, 'a preference matches no card: set "tags", "cards" or both')
        tags = {tag for card in self.deck.cards for tag in card.tags}
        for index, tag in enumerate(preference.tags):
            if tag not in tags:
                yield Flaw(
                    (*path, "tags", index),
                    f"no card has the tag {quote(tag)}" + did_you_mean(tag, sorted(tags)),
                )
        card_ids = [card.id for card in self.deck.cards]
        for index, card_id in enumerate(preference.cards):
            if card_id not in card_ids:
                yield Flaw(
                    (*path, "cards", index),
                    f"unknown card {quote(card_id)}" + did_you_mean(card_id, card_ids),
                )

    # Effects and conditions, wherever they are.

    def effect(
        self, effect: Effect, path: Path, forbidden: tuple[str, ...] = (), why: str = ""
    ) -> Iterator[Flaw]:
        for track_id in effect.tracks:
            if track_id not in self.tracks:
                yield self.unknown("track", track_id, (*path, "tracks"))
        for key in ("actor", "target", "all", "others"):
            deltas: Mapping[str, int] = getattr(effect, key)
            if deltas and key in forbidden:
                yield Flaw((*path, key), f"{quote(key)} cannot be used here: {why}")
                continue
            for stat_id in deltas:
                if stat_id not in self.stats:
                    yield self.unknown("stat", stat_id, (*path, key))
        if effect.adversary and self.red is None:
            yield Flaw((*path, "adversary"), NO_ADVERSARY)
        elif effect.adversary:
            for stat_id in effect.adversary:
                if stat_id not in self.red_stats:
                    yield self.unknown("adversary stat", stat_id, (*path, "adversary"))
        for posture_id, level_id in effect.postures.items():
            spot: Path = (*path, "postures", posture_id)
            yield from self.posture_level(posture_id, level_id, spot, spot)
        for key in ("tracks", "actor", "target", "all", "others", "adversary"):
            amounts: Mapping[str, int] = getattr(effect, key)
            for name, delta in amounts.items():
                yield from between(delta, -MAX_AMOUNT, MAX_AMOUNT, (*path, key, name))

    def conditions(
        self,
        conditions: tuple[Condition, ...],
        path: Path,
        allowed: tuple[str, ...],
        why: Mapping[str, str] | None = None,
        card: Card | None = None,
    ) -> Iterator[Flaw]:
        """Flaws of conditions read at a place that allows these subjects; `why` says why some other
        subjects may not be read there, `card` is the card whose truths a response may test."""
        for index, condition in enumerate(conditions):
            yield from self.condition(condition, (*path, index), allowed, why, card)

    def condition(
        self,
        condition: Condition,
        path: Path,
        allowed: tuple[str, ...],
        why: Mapping[str, str] | None,
        card: Card | None,
    ) -> Iterator[Flaw]:
        subjects = [key for key in SUBJECTS if getattr(condition, key) not in (None, False)]
        # Offer only what the deck can read here: "adversary" is no choice without one.
        usable = [
            key
            for key in allowed
            if (key != "adversary" or self.red is not None) and (key != "posture" or self.deck.postures)
        ]
        if not subjects:
            yield Flaw(path, "condition has no subject: set one of " + _one_of(usable, "round = true"))
        elif len(subjects) > 1:
            named = ", ".join(quote(key) for key in subjects)
            yield Flaw(path, f"condition has several subjects ({named}): set exactly one")
        for key in subjects:
            spot: Path = (*path, key)
            if key not in allowed:
                because = TRUTHS_BELONG_TO_CARDS if key == "attribution" else (why or {}).get(key)
                yield Flaw(
                    spot,
                    f"{quote(key)} cannot be used here"
                    + (f": {because}" if because else "")
                    + "; use "
                    + _one_of(usable),
                )
            elif key == "adversary":
                if self.red is None:
                    yield Flaw(spot, NO_ADVERSARY)
                elif condition.adversary not in self.red_stats:
                    yield self.unknown("adversary stat", condition.adversary or "", spot, spot=spot)
            elif key == "attribution":
                assert card is not None, "only responses allow a truth, and they pass their card"
                yield from self.truth(condition.attribution or "", card, spot, "to test")
                if card.attribution and not card.exposed:
                    yield Flaw(
                        spot,
                        f"never holds: card {quote(card.id)}'s truth is known only after its response; "
                        "give the card `exposed = N` (percent) for a chance it is known at once",
                    )
            elif key == "posture":
                yield from self.posture_level(condition.posture or "", condition.level, spot, path)
            elif key == "track":
                if condition.track not in self.tracks:
                    yield self.unknown("track", condition.track or "", spot, spot=spot)
            elif key in ("actor", "target"):
                word: str = getattr(condition, key)
                if word not in self.stats:
                    yield self.unknown("stat", word, spot, spot=spot)
        if any(key in FACTS for key in subjects):
            if condition.min is not None or condition.max is not None:
                yield Flaw(path, f"a condition on {quote(subjects[0])} names a fact and takes no min or max")
        elif condition.min is None and condition.max is None:
            yield Flaw(path, 'condition has no bound: set "min", "max" or both')
        elif condition.min is not None and condition.max is not None and condition.min > condition.max:
            yield Flaw((*path, "min"), f"min {condition.min} is above max {condition.max}: never holds")
        if len(subjects) == 1 and subjects[0] in allowed and subjects[0] not in FACTS:
            yield from self.reachable(condition, path, subjects[0])

    def reachable(self, condition: Condition, path: Path, subject: str) -> Iterator[Flaw]:
        """The condition's bounds meet its subject's range (unknown subjects are flawed already)."""
        if subject == "round":
            low, high, what = 1, self.deck.info.rounds, "the round"
        elif subject == "track":
            track_id = condition.track or ""
            track = self.tracks.get(track_id)
            if track is None:
                return
            low, high, what = track.min, track.max, f"track {quote(track_id)}"
        elif subject == "adversary":
            red_id = condition.adversary or ""
            red_stat = self.red_stats.get(red_id)
            if red_stat is None:
                return
            low, high, what = red_stat.min, red_stat.max, f"adversary stat {quote(red_id)}"
        else:
            stat_id: str = getattr(condition, subject)
            stat = self.stats.get(stat_id)
            if stat is None:
                return
            low, high, what = stat.min, stat.max, f"stat {quote(stat_id)}"
        if low > high:
            return  # the range itself is flawed, and said so
        if condition.min is not None and condition.min > high:
            yield Flaw((*path, "min"), f"never holds: {what} is at most {high}, not {condition.min}")
        if condition.max is not None and condition.max < low:
            yield Flaw((*path, "max"), f"never holds: {what} is at least {low}, not {condition.max}")

    def postures(self) -> Iterator[Flaw]:
        """Each posture's levels are unique and its start is one of them; each modifier names a
        response of some card."""
        responses = sorted({response.id for card in self.deck.cards for response in card.responses})
        for posture_id, posture in self.deck.postures.items():
            path: Path = ("postures", posture_id)
            yield from named(posture.name, (*path, "name"), "a name")
            if not posture.levels:
                yield Flaw((*path, "levels"), f"posture {quote(posture_id)} declares no levels")
                continue
            yield from unique_ids("level", (*path, "levels"), posture.levels)
            yield from self.posture_level(posture_id, posture.start, (*path, "start"), (*path, "start"))
            for index, level in enumerate(posture.levels):
                at: Path = (*path, "levels", index)
                yield from named(level.id, (*at, "id"), "an id")
                for key in ("chance", "cost"):
                    amounts: Mapping[str, int] = getattr(level, key)
                    for response_id, amount in amounts.items():
                        spot: Path = (*at, key, response_id)
                        if response_id not in responses:
                            yield Flaw(
                                spot,
                                f"unknown response {quote(response_id)}"
                                + did_you_mean(response_id, responses),
                            )
                        yield from between(amount, -MAX_AMOUNT, MAX_AMOUNT, spot)

    def posture_level(self, posture_id: str, level_id: str | None, path: Path, spot: Path) -> Iterator[Flaw]:
        """Flaws of a posture and level named together: both must be declared."""
        posture = self.deck.postures.get(posture_id)
        if posture is None:
            told = (
                hint(posture_id, self.deck.postures)
                if self.deck.postures
                else ": the deck declares no postures (add [postures.<id>] tables)"
            )
            yield Flaw(path, f"unknown posture {quote(posture_id)}" + told)
            return
        levels = [level.id for level in posture.levels]
        if level_id is None:
            yield Flaw(
                spot, f"a condition on posture {quote(posture_id)} needs a level: one of " + _one_of(levels)
            )
        elif level_id not in levels:
            yield Flaw(
                path if path == spot else (*spot, "level"),
                f"posture {quote(posture_id)} has no level {quote(level_id)}"
                + did_you_mean(level_id, levels),
            )

    def cost(self, price: Cost, path: Path) -> Iterator[Flaw]:
        """Flaws of a price: an integer of treasury, or a table of stats declared in `[stats]`."""
        if isinstance(price, int):
            yield from at_least(price, 0, path)
            yield from at_most(price, MAX_AMOUNT, path)
            return
        for stat_id, amount in price.items():
            if stat_id not in self.stats:
                yield self.unknown("stat", stat_id, path)
            yield from at_least(amount, 0, (*path, stat_id))
            yield from at_most(amount, MAX_AMOUNT, (*path, stat_id))

    def unknown(self, kind: str, word: str, path: Path, spot: Path | None = None) -> Flaw:
        """An unknown track, stat or adversary stat, with the closest known one."""
        known = {"track": self.tracks, "stat": self.stats}.get(kind, self.red_stats)
        told = hint(word, known)
        if kind == "adversary stat" and not known:
            told = ": [adversary] declares no stats (add [adversary.stats.<id>] tables)"
        return Flaw(
            path, f"unknown {kind} {quote(word)}" + told, spot=spot if spot is not None else (*path, word)
        )


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


def unique_ids(kind: str, where: str | Path, items: Iterable[_HasId]) -> Iterator[Flaw]:
    """A flaw at each repeated `id` among `items`, naming where it was first used."""
    base: Path = (where,) if isinstance(where, str) else where
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        item_id = item.id
        if item_id in first:
            yield Flaw(
                (*base, index, "id"),
                f"duplicate {kind} id {quote(item_id)} (first used at "
                f"{format_path((*base, first[item_id]))})",
            )
        else:
            first[item_id] = index


def _iso_date(text: str) -> bool:
    """Whether `text` is a calendar date written YYYY-MM-DD."""
    if not ISO_DATE.fullmatch(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _one_of(words: Iterable[str], round_word: str = "round", last: str = "or") -> str:
    """`"track", "actor" or "round"`: the words, quoted (`round` spelled as `round_word`)."""
    quoted = [quote(round_word if word == "round" else word) for word in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" {last} " + quoted[-1]


def too_wide(low: int, high: int, path: Path) -> Flaw:
    return Flaw(
        path,
        f"the range {low}..{high} is too wide: max may be at most {MAX_SPAN} above min"
        " (the AI weighs every value in a range)",
    )


def price_words(price: Cost) -> str:
    """A price as the deck wrote it: `3`, `{ treasury = 3, interceptors = 1 }`."""
    if isinstance(price, int):
        return str(price)
    return "{ " + ", ".join(f"{stat} = {amount}" for stat, amount in price.items()) + " }"


def named(value: str, path: Path, what: str) -> Iterator[Flaw]:
    """A flaw when a string the players read or the deck refers by is empty (or only spaces)."""
    if not value.strip():
        yield Flaw(path, f"must not be empty: expected {what}")


def at_least(value: int, low: int, path: Path) -> Iterator[Flaw]:
    if value < low:
        yield Flaw(path, f"must be at least {low}, got {value}")


def at_most(value: int, high: int, path: Path) -> Iterator[Flaw]:
    if value > high:
        yield Flaw(path, f"must be at most {high}, got {value}")


def between(value: int, low: int, high: int, path: Path) -> Iterator[Flaw]:
    if not low <= value <= high:
        yield Flaw(path, f"must be between {low} and {high}, got {value}")
