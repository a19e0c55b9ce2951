"""What a deck is: the classes a TOML deck file is read into.

Each class mirrors one table of the deck format (docs/deck-format.md); the string after each field is
its documentation, shown in the format reference and the JSON Schema. Tables keyed by id in TOML
(`[tracks.cohesion]`) are dicts here; arrays of tables (`[[cards]]`) are tuples.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from attrs import field, frozen

if TYPE_CHECKING:
    from wargame.model.actions import Position

#: Where a card lands: a nation id, a list of them, or one of these words.
TARGET_WORDS = ("frontline", "any", "alliance")

#: The results a condition's `consultation` may name.
ResultWord = Literal["unified", "restrained", "split"]

EndingKind = Literal["defeat", "final"]

#: A price as a deck writes it: treasury alone (`cost = 3`), or an amount of any of the deck's
#: per-nation stats (`cost = { treasury = 3, interceptors = 1 }`).
Cost = int | Mapping[str, int]

#: Reads the values that decide something from a mapping (an `operator.itemgetter`).
Reader = Callable[[Mapping[str, int]], object]

#: What a price asks of the stats other than the treasury, when it asks nothing.
NO_STAT_COSTS: Mapping[str, int] = {}

#: Defeat endings in the deck's order, each as its id and its conditions' (track, least, most).
DefeatBounds = tuple[tuple[str, tuple[tuple[str, float, float], ...]], ...]
#: The least treasury a nation needs to pay a price of no treasury: below any it can hold (a stat's
#: range is bounded far above this), since what is free stays free, even in debt.
ANY_TREASURY = -(2**62)


def split_cost(price: Cost) -> tuple[int, Mapping[str, int]]:
    """The treasury part of a price and what it asks of each other stat (amounts of 0 left out:
    what is free stays free). The engine reads the two apart, so that a price in treasury alone,
    every v1 and v2 deck's, costs it no more than an integer did."""
    if isinstance(price, int):
        return price, NO_STAT_COSTS
    others = {stat: amount for stat, amount in price.items() if stat != "treasury" and amount}
    return price.get("treasury", 0), others or NO_STAT_COSTS


@frozen
class Condition:
    """A bound on one quantity, or a fact. Exactly one subject is set: `track`, `actor`, `target`,
    `round` or `adversary` read a number bounded by `min`/`max`; `attribution` and `consultation`
    name a fact and take no bounds."""

    track: str | None = None
    """Id of the alliance track this condition reads."""
    actor: str | None = None
    """Stat of the acting nation (for an objective: the nation that holds it)."""
    target: str | None = None
    """Stat of the card's target nation."""
    round: bool = False
    """True to read the round number (1 is the first round)."""
    adversary: str | None = None
    """Stat of the adversary (`[adversary.stats]`)."""
    attribution: str | None = None
    """A truth of the card in play: holds once that card's attribution is revealed and is this truth."""
    consultation: ResultWord | None = None
    """Holds when the most recent consultation (in any round) ended with this result."""
    posture: str | None = None
    """A posture (`[postures.<id>]`): holds while it stands at `level`."""
    level: str | None = None
    """The level of `posture` this condition names."""
    min: int | None = None
    """Holds when the value is at least this."""
    max: int | None = None
    """Holds when the value is at most this."""


@frozen
class Effect:
    """Changes to the game: deltas on tracks and on nations' stats, plus a line of narrative."""

    tracks: Mapping[str, int] = field(factory=dict)
    """Track id to delta, e.g. `{ escalation = 1, credibility = -1 }`."""
    actor: Mapping[str, int] = field(factory=dict)
    """Stat to delta for the acting nation."""
    target: Mapping[str, int] = field(factory=dict)
    """Stat to delta for the card's target nation."""
    all: Mapping[str, int] = field(factory=dict)
    """Stat to delta for every nation."""
    others: Mapping[str, int] = field(factory=dict)
    """Stat to delta for every nation except the actor."""
    adversary: Mapping[str, int] = field(factory=dict)
    """Adversary stat to delta (`[adversary.stats]`)."""
    postures: Mapping[str, str] = field(factory=dict)
    """Posture id to the level it is set to, e.g. `{ roe = "loose" }`."""
    text: str = ""
    """One line of narrative shown when the effect applies."""


@frozen
class DeckInfo:
    """The `[deck]` table: what the deck is and how long a game lasts."""

    id: str
    """Short id of the deck, letters, digits and dashes."""
    title: str
    """Title shown on the start screen."""
    version: str
    """Version of the deck, e.g. "1.0"."""
    rounds: int
    """Number of rounds in a game."""
    draws_per_round: int = 1
    """Incursion cards drawn each round before extra draws."""
    description: str = ""
    """A paragraph on what the deck is about."""
    author: str = ""
    """Who wrote the deck."""
    sealed_votes: bool = False
    """Whether council votes stay hidden until every nation has voted (then they are shown together)."""


@frozen
class Track:
    """An alliance-wide track such as cohesion or escalation (`[tracks.<id>]`)."""

    name: str
    """Name shown to players."""
    min: int
    """Lowest value; the track is clamped to it."""
    max: int
    """Highest value; the track is clamped to it."""
    start: int
    """Value at the start of a game."""
    description: str = ""
    """What the track means."""
    higher_is_better: bool = True
    """Whether a rising value is good news for the alliance (false for escalation)."""


@frozen
class Stat:
    """Bounds of one per-nation stat (`[stats.<id>]`); `treasury`, `income` and `readiness` are required."""

    name: str
    """Name shown to players."""
    min: int
    """Lowest value; the stat is clamped to it."""
    max: int
    """Highest value; the stat is clamped to it."""
    description: str = ""
    """What the stat means."""


@frozen
class Objective:
    """A nation's objective, scored at the end of a game the alliance survives."""

    id: str
    """Id, unique within the nation."""
    text: str
    """What the objective asks, in words."""
    points: int
    """Points scored when every condition holds at the end."""
    when: tuple[Condition, ...] = ()
    """Conditions that must all hold; `actor` means the nation that holds the objective."""


@frozen
class Nation:
    """A member state taking part (`[[nations]]`)."""

    id: str
    """Short id, e.g. "POL"."""
    name: str
    """Name shown to players."""
    persona: str
    """Id of the persona that plays this nation by default and colours its politics."""
    stats: Mapping[str, int]
    """Starting value of every stat declared in `[stats]`."""
    frontline: bool = False
    """Whether the nation borders Russia or Belarus (a `frontline` card can land on it)."""
    objectives: tuple[Objective, ...] = ()
    """What this nation is scored on."""


@frozen
class Persona:
    """A style of government, used by the AI and for position effects (`[personas.<id>]`)."""

    name: str
    """Name shown to players, e.g. "Hawk"."""
    description: str = ""
    """How such a government behaves."""
    tracks: Mapping[str, float] = field(factory=dict)
    """Track id to weight: how much the persona values a rise of one on that track."""
    stats: Mapping[str, float] = field(factory=dict)
    """Stat to weight: how much the persona values a rise of one in its own nation's stat."""
    risk_aversion: float = 1.0
    """How strongly the persona avoids moves that bring a track near a defeat ending."""
    firmness: float = 0.0
    """Leaning in consultations, from -1 (always restrain) to 1 (always support)."""
    on_support: Effect = field(factory=Effect)
    """Applied to a nation of this persona when it supports in a consultation (`actor`: that nation)."""
    on_restrain: Effect = field(factory=Effect)
    """Applied to a nation of this persona when it urges restraint in a consultation."""
    on_abstain: Effect = field(factory=Effect)
    """Applied to a nation of this persona when it abstains in a consultation."""

    def reaction(self, position: Position) -> Effect:
        """The effect on a nation of this persona of taking a position ("support", "restrain", "abstain")."""
        return {"support": self.on_support, "restrain": self.on_restrain}.get(position, self.on_abstain)


class ConsultationResult(StrEnum):
    """How a consultation ended; its text is the word written in saves, reports and causes."""

    UNIFIED = "unified"
    """Support reached the threshold."""
    RESTRAINED = "restrained"
    """Restraint reached the threshold."""
    SPLIT = "split"
    """Neither side did."""


@frozen
class Consultation:
    """How Article 4 consultations are resolved (`[consultation]`)."""

    label: str = "Article 4"
    """Name of the consultation shown to players."""
    threshold: int = 60
    """Percent share of non-abstaining nations needed for a unified or restrained result."""
    fatigue_window: int = 3
    """Consultations held in this many most recent rounds weaken the next one."""
    unified: Effect = field(factory=Effect)
    """Applied when support reaches the threshold; `actor` and `target` are the invoking nation."""
    restrained: Effect = field(factory=Effect)
    """Applied when restraint reaches the threshold."""
    split: Effect = field(factory=Effect)
    """Applied when neither side reaches the threshold."""
    fatigue: Effect = field(factory=Effect)
    """Applied once for each consultation held within the fatigue window."""

    def effect(self, result: ConsultationResult) -> Effect:
        """The effect of a consultation's result."""
        if result == ConsultationResult.UNIFIED:
            return self.unified
        return self.restrained if result == ConsultationResult.RESTRAINED else self.split


@frozen
class Council:
    """How an alliance card is decided (`[council]`): by plurality (v1) or by consensus."""

    kind: Literal["plurality", "consensus"] = "plurality"
    """`plurality`: every nation votes, the most votes wins. `consensus`: the chair (the first nation
    in turn order) proposes a response, and one objection deadlocks the council."""
    deadlock: Effect = field(factory=Effect)
    """Applied when a consensus council deadlocks, before its fallback response."""
    fallback: str | None = None
    """Id of the response a deadlocked council falls back to: every alliance card must have it."""

    @property
    def is_consensus(self) -> bool:
        """Whether one objection blocks a proposal."""
        return self.kind == "consensus"


@frozen
class _Priced:
    """What a price asks, worked out once when a response or an investment is made (`price` is theirs):
    the engine and the AI read these at every decision."""

    cost: int = field(init=False, repr=False, eq=False)
    """The treasury part of the price."""
    stat_costs: Mapping[str, int] = field(init=False, repr=False, eq=False)
    """What the price asks of each other stat (none is 0); empty for a price in treasury alone."""
    least_treasury: int = field(init=False, repr=False, eq=False)
    """The least treasury that pays the price's treasury part: `cost`, or `ANY_TREASURY` when it is
    0 (one comparison where the engine asks of every item at every turn)."""
    is_free: bool = field(init=False, repr=False, eq=False)
    """Whether the price asks nothing of any stat."""

    def _read_price(self, price: Cost) -> None:
        cost, stat_costs = split_cost(price)
        object.__setattr__(self, "cost", cost)
        object.__setattr__(self, "stat_costs", stat_costs)
        object.__setattr__(self, "least_treasury", cost if cost > 0 else ANY_TREASURY)
        object.__setattr__(self, "is_free", cost == 0 and not stat_costs)


@frozen
class Investment(_Priced):
    """Something a nation can buy in the investment phase (`[[investments]]`)."""

    id: str
    """Unique id."""
    name: str
    """Name shown to players."""
    price: Cost = field(alias="cost", metadata={"toml": "cost"})
    """Treasury spent (`cost = 3`), or a table of what is spent of each stat declared in `[stats]`
    (`cost = { treasury = 3, interceptors = 1 }`); the buyer must be able to pay every one."""
    effects: Effect
    """What buying it does; `actor` is the buyer."""
    text: str = ""
    """What it is, in words."""
    limit: int = 1
    """How many times one nation may buy it in one round."""
    requires: tuple[Condition, ...] = ()
    """Conditions that must all hold for the buyer."""
    reveal: int | None = None
    """Percent chance that buying it reveals the truth of every incident not yet revealed (one roll)."""

    def __attrs_post_init__(self) -> None:
        self._read_price(self.price)


@frozen
class Response(_Priced):
    """One answer to a card (`[[cards.responses]]`)."""

    id: str
    """Id, unique within the card."""
    label: str
    """Short label shown on the choice."""
    text: str = ""
    """What the response means, in words."""
    price: Cost = field(default=0, alias="cost", metadata={"toml": "cost"})
    """Treasury the acting nation spends (`cost = 3`), or a table of what it spends of each stat
    declared in `[stats]` (`cost = { treasury = 3, interceptors = 1 }`); it must be able to pay every one."""
    requires: tuple[Condition, ...] = ()
    """Conditions that must all hold for the response to be chosen."""
    effects: Effect = field(factory=Effect)
    """Applied whenever the response is chosen."""
    chance: int | None = None
    """Base percent chance of success; when set, the response rolls."""
    readiness_bonus: int = 0
    """Percent added to the chance per point of the actor's readiness (the chance stays 5-95)."""
    success: Effect = field(factory=Effect)
    """Applied in addition when the roll succeeds."""
    failure: Effect = field(factory=Effect)
    """Applied in addition when the roll fails."""
    consultation: bool = False
    """Whether the response invokes a consultation (Article 4) afterwards."""
    reveal: int | None = None
    """Percent chance that the response reveals the truth of the card's attribution (100: always)."""
    claims: str | None = None
    """A truth of the card's attribution that the response asserts in public, e.g. "state"."""
    if_wrong: Effect = field(factory=Effect)
    """Applied when the claimed truth turns out wrong: at once if already revealed, else when revealed."""

    def __attrs_post_init__(self) -> None:
        self._read_price(self.price)


@frozen
class Card:
    """An incursion event (`[[cards]]`)."""

    id: str
    """Unique id."""
    title: str
    """Headline of the event."""
    target: str | tuple[str, ...]
    """Where it may land: a nation id, a list of nation ids, or `frontline`, `any` or `alliance`
    (decided by a council vote). With an adversary, it chooses among them; else the dice do."""
    responses: tuple[Response, ...]
    """The choices; at least one must cost nothing and require nothing."""
    text: str = ""
    """What happened, in a few sentences."""
    source: str = ""
    """The article the card is built from: the `id` of one of the deck's `[[sources]]`, or free text
    (the outlet, title and date in words)."""
    copies: int = 1
    """How many copies go into the draw pile."""
    on_draw: Effect = field(factory=Effect)
    """Applied when the card is drawn; `target` and `actor` are the target nation."""
    attribution: Mapping[str, int] = field(factory=dict)
    """Possible truths of who sent it, with weights, e.g. `{ state = 50, proxy = 30, accident = 20 }`:
    one is drawn secretly when the card comes into play."""
    exposed: int | None = None
    """Percent chance that the truth is known at once as the card comes into play (a wreck with its
    markings, a pilot's radio call): then responses that require an `attribution` may be offered."""
    price: int = 0
    """What the adversary pays from its budget stat to play the card."""
    tags: tuple[str, ...] = ()
    """Words the adversary's personas prefer cards by, e.g. `["military"]`."""
    article4_after: bool = False
    """Whether the nation the card lands on may, after its own response, also request consultations
    (Article 4) as a second decision; only on cards aimed at a nation."""

    @property
    def targets(self) -> tuple[str, ...]:
        """The nation ids or the one word the card may aim at, as a tuple."""
        return self.target if isinstance(self.target, tuple) else (self.target,)

    def response(self, response_id: str) -> Response:
        """The response with this id; `KeyError` if there is none."""
        for response in self.responses:
            if response.id == response_id:
                return response
        raise KeyError(response_id)


@frozen
class Ending:
    """A way the game ends (`[[endings]]`)."""

    id: str
    """Unique id."""
    title: str
    """Headline of the ending."""
    kind: EndingKind
    """`defeat`: checked after every resolution, ends the game at once. `final`: after the last round."""
    text: str = ""
    """What the ending means, in a few sentences."""
    when: tuple[Condition, ...] = ()
    """Conditions that must all hold; the last final ending must have none (it is the default)."""


@frozen
class ExtraDraw:
    """Extra cards drawn in a round while conditions hold (`[[extra_draws]]`)."""

    when: tuple[Condition, ...]
    """Conditions checked at the start of each round, after income."""
    count: int = 1
    """How many more cards are drawn."""


@frozen
class Drift:
    """A change applied at every round's end while conditions hold (`[[drift]]`)."""

    effects: Effect
    """What changes; `actor` and `target` are not used here."""
    when: tuple[Condition, ...] = ()
    """Conditions that must all hold; none means every round."""


@frozen
class AdversaryStat:
    """One of the adversary's own resources (`[adversary.stats.<id>]`)."""

    name: str
    """Name shown to players."""
    min: int
    """Lowest value; the stat is clamped to it."""
    max: int
    """Highest value; the stat is clamped to it."""
    start: int
    """Value at the start of a game."""
    description: str = ""
    """What the stat means."""


@frozen
class Preference:
    """Cards an adversary persona favours while conditions hold (`[[adversary.personas.<id>.prefers]]`)."""

    weight: float
    """Added to the value of a card that matches (negative to avoid it)."""
    when: tuple[Condition, ...] = ()
    """Conditions that must all hold; none means always."""
    tags: tuple[str, ...] = ()
    """A card matches when it has one of these tags..."""
    cards: tuple[str, ...] = ()
    """...or is one of these cards."""


#: What an adversary persona may weigh about a target nation, besides the nation's stats.
TARGET_FEATURES = ("frontline", "let_go", "dissent")


@frozen
class RedPersona:
    """A style of play for the adversary (`[adversary.personas.<id>]`)."""

    name: str
    """Name shown to players, e.g. "Prober"."""
    description: str = ""
    """How this adversary plays."""
    tracks: Mapping[str, float] = field(factory=dict)
    """Track id to weight: how much the adversary values a rise of one on that alliance track."""
    stats: Mapping[str, float] = field(factory=dict)
    """Adversary stat to weight: how much it values one more of its own resources."""
    targets: Mapping[str, float] = field(factory=dict)
    """What draws it to a target: a nation stat (per point of the target's value), `frontline`
    (1 for a frontline nation), `let_go` (1 for a nation whose last answer let a card go),
    `dissent` (per time the nation stood against the alliance's result)."""
    prefers: tuple[Preference, ...] = ()
    """Cards it favours while conditions hold."""


@frozen
class Adversary:
    """The adversary that plays the incursion cards (`[adversary]`): a seat with a hand."""

    id: str
    """Short id of its seat, e.g. "moscow"; not a nation id."""
    name: str
    """Name shown to players."""
    persona: str
    """Id of the red persona that plays it by default."""
    personas: Mapping[str, RedPersona]
    """Its personas, keyed by id."""
    description: str = ""
    """Who it is and what it wants."""
    hand: int = 3
    """How many cards it holds; the hand is filled from the draw pile at the start of each round."""
    plays_per_round: int | None = None
    """Cards it plays each round (plus extra draws); unset: the deck's `draws_per_round`."""
    budget: str | None = None
    """The adversary stat that cards' `price` is paid from; unset: cards cost nothing."""
    stats: Mapping[str, AdversaryStat] = field(factory=dict)
    """Its own resources, keyed by id."""
    income: Mapping[str, int] = field(factory=dict)
    """Stat to what it gains at the start of every round."""
    objectives: tuple[Objective, ...] = ()
    """What it is scored on, at every ending (conditions read tracks, the round and `adversary` stats)."""


@frozen
class Source:
    """An article the cards are built from (`[[sources]]`); a card names it by `id` in its `source`."""

    id: str
    """Unique id, e.g. "fox-2025-10-02": letters, digits, dashes and underscores."""
    outlet: str = ""
    """Who published it, e.g. "Fox News"."""
    title: str = ""
    """The article's headline; one in square brackets is the deck's own description of an article
    whose headline is not known, and is shown without quotation marks."""
    date: str = ""
    """When it was published, an ISO date string: "2025-10-02"."""
    url: str = ""
    """Where it can be read."""
    file: str = ""
    """The deck author's own copy (a file name); never shown to players."""

    @property
    def citation(self) -> str:
        """The source in words, as the room reads it: `Outlet, “Title”, 2025-10-02`."""
        title = self.title
        if title and not (title.startswith("[") and title.endswith("]")):
            title = f"“{title}”"
        return ", ".join(part for part in (self.outlet, title, self.date) if part)


@frozen
class PostureLevel:
    """One level of a posture and what it changes while the posture stands there: data, never code."""

    id: str
    """Short id, unique within the posture."""
    name: str = ""
    """The level's name as shown; its id when empty."""
    text: str = ""
    """One line on what the level means."""
    chance: Mapping[str, int] = field(factory=dict)
    """Response id to points added to its percent chance of success (before the 5-95 cap)."""
    cost: Mapping[str, int] = field(factory=dict)
    """Response id to treasury added to its cost (never below zero in all)."""

    @property
    def label(self) -> str:
        """The name shown: the level's name, or its id."""
        return self.name or self.id


@frozen
class Posture:
    """A policy that lasts: named levels and the one a game starts at (`[postures.<id>]`)."""

    name: str
    """Shown on the board, e.g. "Rules of engagement"."""
    start: str
    """Id of the level a game starts at."""
    levels: tuple[PostureLevel, ...]
    """The levels, in the deck's order."""

    def level(self, level_id: str) -> PostureLevel:
        """The level with this id; `KeyError` if there is none."""
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)


@frozen
class Deck:
    """A whole deck: the rules' numbers, the nations and the cards."""

    info: DeckInfo = field(metadata={"toml": "deck"})
    """The `[deck]` table."""
    tracks: Mapping[str, Track]
    """The alliance-wide tracks, keyed by id."""
    stats: Mapping[str, Stat]
    """The per-nation stats, keyed by id."""
    nations: tuple[Nation, ...]
    """The nations, in turn order."""
    personas: Mapping[str, Persona]
    """The personas, keyed by id."""
    cards: tuple[Card, ...]
    """The incursion cards."""
    endings: tuple[Ending, ...]
    """The endings, checked in order."""
    consultation: Consultation = field(factory=Consultation)
    """How Article 4 consultations are resolved."""
    investments: tuple[Investment, ...] = ()
    """What nations can buy each round."""
    extra_draws: tuple[ExtraDraw, ...] = ()
    """Extra draws while conditions hold (weak deterrence invites more probing)."""
    drift: tuple[Drift, ...] = ()
    """Changes at every round's end."""
    adversary: Adversary | None = None
    """The adversary that chooses which card to play and where; none: cards are drawn blind (v1)."""
    sources: tuple[Source, ...] = ()
    """The articles the cards are built from, for cards to cite by id."""
    council: Council = field(factory=Council)
    """How alliance cards are decided: plurality (v1) or consensus."""
    postures: Mapping[str, Posture] = field(factory=dict)
    """Posture id to its levels (`[postures.<id>]`); none in a v1 deck."""

    # Look-up tables by id, built once: the engine and the AI look cards up on every decision.
    _cards: Mapping[str, Card] = field(init=False, repr=False, eq=False)
    _sources: Mapping[str, Source] = field(init=False, repr=False, eq=False)
    _nations: Mapping[str, Nation] = field(init=False, repr=False, eq=False)
    _investments: Mapping[str, Investment] = field(init=False, repr=False, eq=False)
    _seats: Mapping[str, int] = field(init=False, repr=False, eq=False)
    _others: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, eq=False)
    nation_ids: tuple[str, ...] = field(init=False, repr=False, eq=False)
    """The nations' ids, in turn order."""
    _defeats: tuple[Ending, ...] = field(init=False, repr=False, eq=False)
    defeat_bounds: DefeatBounds | None = field(init=False, repr=False, eq=False)
    """The defeat endings as the bounds their conditions set on the tracks (a track without a least
    or a most is unbounded there), for `engine.table.Table.check_defeat`; None when a condition
    reads anything but a track."""
    cheapest: int | None = field(init=False, repr=False, eq=False)
    """The lowest treasury part of an investment's price, when every investment has one (a nation
    with less in its treasury can buy nothing, whatever else it holds); None when some investment
    costs no treasury or there are none."""
    posture_modifiers: dict[tuple[tuple[str, str], ...], tuple[Mapping[str, int], Mapping[str, int]]] = field(
        init=False, repr=False, eq=False, factory=dict
    )
    """What the postures add to each response's chance and cost, by the levels set (a memo that
    `engine.postures.modifiers` fills; it depends on the deck alone)."""
    playable_hands: dict[tuple[tuple[str, ...], int | None, str | None], tuple[str, ...]] = field(
        init=False, repr=False, eq=False, factory=dict
    )
    """The cards the adversary may play, by its hand, budget and forced card (a memo that
    `engine.adversary.playable` fills; it depends on the deck alone)."""
    sure_price: int | None = field(init=False, repr=False, eq=False)
    """The least treasury that buys an investment asking nothing else (no other stat, no requirement):
    a nation holding it that has bought nothing this round can invest. None when there is no such
    investment."""
    offer_readers: tuple[Reader, Reader | None, bool] | None = field(init=False, repr=False, eq=False)
    """What decides which investments a nation could buy (before buying any this round): readers of
    its own stats (the treasury, the other prices, the stats requirements read) and of the tracks
    requirements read (None: none), and whether a requirement reads the round. None when one reads
    anything else (a target's or the adversary's stats, a fact): then nothing is remembered."""
    offers: dict[tuple[object, ...], tuple[str, ...]] = field(init=False, repr=False, eq=False, factory=dict)
    """The ids of the investments a nation could buy, by `offer_readers`' values (a memo that
    `engine.legality.offered` fills; it depends on the deck alone)."""
    has_secrets: bool = field(init=False, repr=False, eq=False)
    """Whether anything a seat decides by can be hidden from it: an adversary's hand, an
    attribution, sealed votes. Without them every seat may know all the rules read."""

    def __attrs_post_init__(self) -> None:
        secrets = (
            self.adversary is not None
            or self.info.sealed_votes
            or any(card.attribution for card in self.cards)
        )
        object.__setattr__(self, "has_secrets", secrets)
        object.__setattr__(self, "_cards", {card.id: card for card in self.cards})
        object.__setattr__(self, "_sources", {source.id: source for source in self.sources})
        object.__setattr__(self, "_nations", {nation.id: nation for nation in self.nations})
        object.__setattr__(self, "_investments", {item.id: item for item in self.investments})
        object.__setattr__(self, "_seats", {nation.id: seat for seat, nation in enumerate(self.nations)})
        ids = tuple(nation.id for nation in self.nations)
        object.__setattr__(self, "nation_ids", ids)
        object.__setattr__(self, "_others", {id_: tuple(n for n in ids if n != id_) for id_ in ids})
        object.__setattr__(self, "_defeats", tuple(e for e in self.endings if e.kind == "defeat"))
        object.__setattr__(self, "defeat_bounds", self._defeat_bounds())
        prices = [item.cost for item in self.investments]
        object.__setattr__(self, "cheapest", min(prices) if prices and min(prices) > 0 else None)
        sure = [
            item.least_treasury
            for item in self.investments
            if not item.stat_costs and not item.requires and item.limit >= 1
        ]
        object.__setattr__(self, "sure_price", min(sure) if sure else None)
        object.__setattr__(self, "offer_readers", self._offer_readers())

    def _defeat_bounds(self) -> DefeatBounds | None:
        bounds = []
        for ending in self._defeats:
            tests = []
            for condition in ending.when:
                if condition.track is None:
                    return None
                low = -math.inf if condition.min is None else condition.min
                high = math.inf if condition.max is None else condition.max
                tests.append((condition.track, low, high))
            bounds.append((ending.id, tuple(tests)))
        return tuple(bounds)

    def _offer_readers(self) -> tuple[Reader, Reader | None, bool] | None:
        conditions = [condition for item in self.investments for condition in item.requires]
        if not all(c.track is not None or c.actor is not None or c.round for c in conditions):
            return None
        # Read in C, and only what decides: the engine, the AI and the lab ask at every investment turn.
        own = ["treasury"]
        own += [stat for item in self.investments for stat in item.stat_costs]
        own += [c.actor for c in conditions if c.actor is not None]
        tracks = [c.track for c in conditions if c.track is not None]
        return (
            operator.itemgetter(*dict.fromkeys(own)),
            operator.itemgetter(*dict.fromkeys(tracks)) if tracks else None,
            any(c.round for c in conditions),
        )

    @property
    def defeats(self) -> tuple[Ending, ...]:
        """The defeat endings, in the deck's order."""
        return self._defeats

    def seat_name(self, seat: str) -> str:
        """The name of a nation's seat or the adversary's; `KeyError` if it is neither."""
        if self.adversary is not None and seat == self.adversary.id:
            return self.adversary.name
        return self._nations[seat].name

    def is_adversary(self, seat: str) -> bool:
        """Whether this seat is the deck's adversary."""
        return self.adversary is not None and self.adversary.id == seat

    def seat(self, nation_id: str) -> int:
        """A nation's place in turn order, from 0; `KeyError` if there is none."""
        return self._seats[nation_id]

    def others(self, nation_id: str) -> tuple[str, ...]:
        """Every nation's id but this one's, in turn order (who is asked after an invoker or a chair);
        `KeyError` if there is none."""
        return self._others[nation_id]

    def card(self, card_id: str) -> Card:
        """The card with this id; `KeyError` if there is none."""
        return self._cards[card_id]

    def source_of(self, card: Card) -> Source | None:
        """The declared source a card's `source` names by id; None when it is free text or empty."""
        return self._sources.get(card.source)

    def nation(self, nation_id: str) -> Nation:
        """The nation with this id; `KeyError` if there is none."""
        return self._nations[nation_id]

    def investment(self, investment_id: str) -> Investment:
        """The investment with this id; `KeyError` if there is none."""
        return self._investments[investment_id]

    def ending(self, ending_id: str) -> Ending:
        """The ending with this id; `KeyError` if there is none."""
        for ending in self.endings:
            if ending.id == ending_id:
                return ending
        raise KeyError(ending_id)
