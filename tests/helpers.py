"""What the tests share: the test decks, ways to steer a game to the moment a test needs, random play,
sessions of the small deck, and driving the terminal UI by keys.

Plain functions only; the fixtures are in conftest.py. Test modules import from here, never from each
other (test_test_house.py says so).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from textual.notifications import SeverityLevel
from textual.pilot import Pilot
from textual.widgets import Static

from wargame.ai import choose as ai_choice
from wargame.engine import apply, is_over, legal_actions, new_game
from wargame.model import (
    Action,
    AddNote,
    AdjustStat,
    AdjustTrack,
    ChooseResponse,
    Deck,
    ForceRoll,
    GameState,
    InjectCard,
    Pass,
    RespondDecision,
    TakePosition,
)
from wargame.model.events import Event
from wargame.session import Session
from wargame.storage import check_deck_text, load_deck
from wargame.storage.saves import PLAIN, Facilitation
from wargame.tui.app import WargameApp
from wargame.tui.screens.consultation import ConsultationScreen
from wargame.tui.screens.ending import EndingScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.modals import HandOverScreen
from wargame.tui.widgets.choices import ChoiceList

TESTS = Path(__file__).parent
ROOT = TESTS.parent
DECKS = TESTS / "decks"
BROKEN = DECKS / "broken"
MINI = DECKS / "mini.toml"
MINI_TEXT = MINI.read_text("utf-8")
BUNDLED = ROOT / "decks" / "eastern-flank-2025.toml"
#: The bundled deck as it was at version 2.0 (an adversary, a plurality council, treasury costs alone),
#: kept as a fixture where a test needs council votes and a deck of that shape.
BUNDLED_V2 = DECKS / "v2" / "eastern-flank-2025.toml"


# --- decks -------------------------------------------------------------------------------------------


def mini_with(*changes: tuple[str, str]) -> str:
    """mini.toml with each `old` text replaced by `new`; each `old` must occur exactly once."""
    text = MINI_TEXT
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def problems_in(*changes: tuple[str, str]) -> list[tuple[str, str]]:
    """The problems of mini.toml changed so, as (path, message); its two warnings are not looked for
    while it has errors."""
    return [(p.path, p.message) for p in check_deck_text(mini_with(*changes), "mini.toml")]


# --- steering a game ---------------------------------------------------------------------------------


def play(state: GameState, *actions: Action) -> tuple[GameState, list[Event]]:
    """Apply actions in order; return the last state and every event."""
    events: list[Event] = []
    for action in actions:
        state, new = apply(state, action)
        events.extend(new)
    return state, events


def first_legal(state: GameState) -> Action:
    """The first listed choice: the cheapest way to move a game on."""
    return legal_actions(state)[0]


class FakeClock:
    """Seconds that pass only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def advance(
    state: GameState, until: Callable[[GameState], bool], choose: Callable[[GameState], Action] = first_legal
) -> GameState:
    """Play choices until `until(state)` holds (at most 500 actions)."""
    for _ in range(500):
        if until(state):
            return state
        state, _ = apply(state, choose(state))
    raise AssertionError("the condition never held")


def with_next_card(state: GameState, card: str) -> GameState:
    """Make `card` the next card drawn (a facilitator injection)."""
    state, _ = apply(state, InjectCard(card))
    return state


def quiet(state: GameState) -> Action:
    """A chooser that changes little: pass, abstain, or the first plain response."""
    actions = legal_actions(state)
    for action in actions:
        if isinstance(action, Pass) or (isinstance(action, TakePosition) and action.position == "abstain"):
            return action
    card = state.deck.card(state.card) if state.card else None
    for action in actions:
        if isinstance(action, ChooseResponse) and card is not None:
            response = card.response(action.response)
            if response.chance is None and not response.consultation:
                return action
    return actions[0]


def at_card(deck: Deck, card: str, seed: int = 1) -> GameState:
    """A game whose pending decision answers `card`."""
    state = new_game(deck, seed)
    if state.card == card:
        return state
    state = with_next_card(state, card)
    return advance(state, lambda s: isinstance(s.pending, RespondDecision) and s.card == card, quiet)


def random_facilitator_action(chooser: random.Random, state: GameState) -> Action:
    """A random facilitator action the engine accepts while a decision is pending."""
    deck = state.deck
    kind = chooser.choice(["inject", "force", "track", "stat", "note"])
    cards = [*state.draw_pile, *state.discard]
    if kind == "inject" and cards:
        return InjectCard(chooser.choice(cards))
    if kind == "force":
        return ForceRoll(chooser.random() < 0.5)
    if kind == "track":
        return AdjustTrack(chooser.choice(list(deck.tracks)), chooser.randint(-2, 2), "a test's reason")
    if kind == "stat":
        nation = chooser.choice([n.id for n in deck.nations])
        return AdjustStat(nation, chooser.choice(list(deck.stats)), chooser.randint(-2, 2), "why not")
    return AddNote('a note with "quotes", a \\ and\na new line')


def random_play(
    deck: Deck,
    seed: int,
    steps: int | None = None,
    *,
    choices: int | None = None,
    steer: float = 0.0,
    controllers: Mapping[str, str] | None = None,
    check: Callable[[GameState], None] | None = None,
) -> tuple[list[GameState], list[Action]]:
    """Random legal play of a game from `seed` for at most `steps` actions (None: to its end).

    The chooser is seeded with `choices` (by default the game's seed); with chance `steer` an action is
    a random facilitator action instead. Returns every state on the way and the actions; `check` is
    called on each state.
    """
    chooser = random.Random(seed if choices is None else choices)
    state = new_game(deck, seed, controllers)
    states, actions = [state], []
    if check:
        check(state)
    while not is_over(state) and (steps is None or len(actions) < steps):
        assert len(actions) < 3000, "the game never ended"
        if steer and chooser.random() < steer:
            action = random_facilitator_action(chooser, state)
        else:
            action = chooser.choice(legal_actions(state))
        state, _ = apply(state, action)
        states.append(state)
        actions.append(action)
        if check:
            check(state)
    return states, actions


# --- sessions ----------------------------------------------------------------------------------------


def mini_session(
    saves: Path | None,
    controllers: Mapping[str, str] | None = None,
    seed: int = 3,
    *,
    now: datetime | None = None,
    facilitation: Facilitation = PLAIN,
) -> Session:
    """A session of the small deck, saved into `saves` (None: not saved). Nations not named in
    `controllers` play their AI personas; by default Poland is human."""
    deck = load_deck(MINI)
    chosen = {"POL": "human"} if controllers is None else dict(controllers)
    return Session.new(MINI, deck, seed, chosen, saves, now=now, facilitation=facilitation)


def played_to_the_end(
    deck: Deck, seed: int, opening: Sequence[Action] = (), controllers: Mapping[str, str] | None = None
) -> tuple[GameState, list[Action]]:
    """A game played by the AI to its end (human seats too), after the `opening` actions."""
    state = new_game(deck, seed, controllers)
    actions = list(opening)
    for action in actions:
        state, _ = apply(state, action)
    while not is_over(state):
        action = ai_choice(state, state.pending.seat)
        state, _ = apply(state, action)
        actions.append(action)
    return state, actions


def played_session(saves: Path, decisions: int = 12) -> Session:
    """A saved session of the small deck, Poland human, after its first `decisions` decisions
    (Poland takes its first choice)."""
    session = mini_session(saves, {"POL": "human"})
    while len(session.actions) < decisions:
        session.decide(session.choices()[0] if session.is_human_turn else session.ai_action())
    return session


def sha256(path: Path) -> str:
    """A file's SHA-256, to show that it was not written."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the terminal UI ---------------------------------------------------------------------------------


async def settle(pilot: Pilot[None], until: Callable[[], bool], limit: int = 200) -> None:
    """Let the app run until `until()` holds."""
    for _ in range(limit):
        if until():
            return
        await pilot.pause()
    raise AssertionError(f"never happened; the screen is {pilot.app.screen!r}")


def waiting_for_a_key(app: WargameApp) -> bool:
    """Whether the app waits for the room: a choice, a hand-over, a consultation's result, the end."""
    screen = app.screen
    if isinstance(screen, EndingScreen | HandOverScreen):
        return True
    if isinstance(screen, ConsultationScreen) and screen.resolved is not None:
        return True
    if isinstance(screen, GameScreen | ConsultationScreen):
        return bool(screen.query_one(ChoiceList).choices)
    return False


async def play_one(pilot: Pilot[None], app: WargameApp) -> None:
    """Answer one decision by keys (or continue past a consultation's result)."""
    screen = app.screen
    options = screen.query_one(ChoiceList).choices
    if not options:
        await pilot.press("enter")
    elif any(isinstance(choice.action, Pass) for choice in options):
        await pilot.press("p")
    else:
        number = next(i for i, choice in enumerate(options, start=1) if choice.enabled)
        await pilot.press(str(number), "enter")


def text_of(app: WargameApp, selector: str) -> str:
    """The text of a Static on the current screen."""
    return str(app.screen.query_one(selector, Static).content)


class Notice(NamedTuple):
    """A toast the app showed."""

    title: str
    message: str
    severity: str


def record_notices(app: WargameApp) -> list[Notice]:
    """Every notice the app shows from now on, kept for a test to read (the toasts go by)."""
    notices: list[Notice] = []
    show = app.notify

    def notify(
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        notices.append(Notice(title, str(message), severity))
        show(message, title=title, severity=severity, timeout=timeout, markup=markup)

    app.notify = notify  # type: ignore[method-assign]
    return notices


# --- the red deck: an adversary, attribution, sealed votes (rules v2) ---------------------------------

RED = DECKS / "red.toml"
RED_TEXT = RED.read_text("utf-8")


def red_with(*changes: tuple[str, str]) -> str:
    """red.toml with each `old` text replaced by `new`; each `old` must occur exactly once."""
    text = RED_TEXT
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def red_problems(*changes: tuple[str, str]) -> list[str]:
    """The problems of red.toml changed so, each as `deck check` prints it: `red.toml:LINE: PATH: ...`."""
    return [str(problem) for problem in check_deck_text(red_with(*changes), "red.toml")]


def red_deck_with(*changes: tuple[str, str]) -> Deck:
    """red.toml with each `old` text replaced by `new` (each must occur exactly once), loaded."""
    from wargame.storage import load_deck_text

    return load_deck_text(red_with(*changes), "red.toml")


# --- the adversary in the terminal UI (rules v2) -------------------------------------------------------


def red_session(controllers: Mapping[str, str], seed: int = 4, saves: Path | None = None) -> Session:
    """A session of the mini deck with an adversary (Moscow), attribution and sealed votes."""
    return Session.new(RED, load_deck(RED), seed, dict(controllers), saves)


def screen_text(app: WargameApp) -> str:
    """What the terminal shows now, as plain text (the top screen over those it leaves visible)."""
    import io

    from rich.console import Console

    console = Console(
        width=app.size.width, height=app.size.height, file=io.StringIO(), record=True, force_terminal=True
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


# --- a save's text, cut at its action tables (for tests that edit the log) ------------------------------


def tables(text: str) -> tuple[str, list[str]]:
    """A save's text split into what precedes the log and one text per action table."""
    head, *actions = text.split("\n[[actions]]\n")
    return head, actions


def joined(head: str, actions: list[str]) -> str:
    """`tables` put back together."""
    return "".join([head, *("\n[[actions]]\n" + table for table in actions)])
