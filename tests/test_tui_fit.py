"""The game screen and Game over at the terminal sizes the docs promise (80×24 and 100×30): the whole
card can be read, the adversary stays in view beside the postures, and Game over scrolls once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget

from tests.helpers import BUNDLED, at_card, screen_text, settle, waiting_for_a_key
from wargame.model import Deck, GameState, InjectCard, RespondDecision
from wargame.model.events import Event
from wargame.session import Session
from wargame.storage import load_deck
from wargame.tui.app import WargameApp
from wargame.tui.screens.ending import EndingScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.widgets.card import CardPanel
from wargame.tui.widgets.choices import ChoiceList

pytestmark = pytest.mark.tui

#: The bundled deck's longest card: a council over Operation Eastern Sentry, with its source.
LONG_CARD = "eastern-sentry"


def region_text(app: App[Any], widget: Widget) -> str:
    """The part of the terminal `widget` covers, as plain text."""
    lines = screen_text(app).splitlines()
    region = widget.region
    return "\n".join(line[region.x : region.right] for line in lines[region.y : region.bottom])


def at_the_long_card() -> Session:
    """Poland (human) chairs the council over the bundled deck's longest card."""
    session = Session.new(BUNDLED, load_deck(BUNDLED), 1, {"POL": "human"}, None)
    session.decide(InjectCard(LONG_CARD))
    while not (isinstance(session.state.pending, RespondDecision) and session.state.card == LONG_CARD):
        session.decide(session.ai_action())
    assert session.state.pending.seat == "POL"
    return session


async def until_waiting(pilot: Pilot[Any], app: WargameApp) -> None:
    await settle(pilot, lambda: isinstance(app.screen, GameScreen) and waiting_for_a_key(app))
    await pilot.pause()


async def test_the_whole_of_a_long_card_can_be_read_at_80x24() -> None:
    session = at_the_long_card()
    words = str(CardPanel().draw(session.state)).split()
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_waiting(pilot, app)
        card = app.screen.query_one("#card")
        first = region_text(app, card)
        assert "Operation Eastern Sentry" in first  # the card opens at its title
        assert words[-1] not in first, "the test needs a card longer than its panel"
        # The highlighted answer's words are shown whole under the options.
        full = session.deck.card(LONG_CARD).response("full").text
        assert " ".join(region_text(app, app.screen.query_one("#detail")).split()) == full
        # Nothing runs past the footer: the log yields, its newest line in view.
        main, log = app.screen.query_one("#main"), app.screen.query_one("#log")
        assert main.region.contains_region(log.region), (main.region, log.region)
        # Tab reaches the card; the arrows scroll it, a line at a time, to its end.
        await pilot.press("tab")
        assert app.focused is card
        read = first.split()
        for _ in range(40):
            await pilot.press("down")
            await pilot.pause()
            read += region_text(app, card).split()
        missing = [word for word in words if word not in read]
        assert not missing, f"never shown: {missing}"
        # Tab goes back to the options, and a number still picks one.
        await pilot.press("tab")
        assert isinstance(app.focused, ChoiceList)


async def test_a_new_card_is_shown_from_its_title() -> None:
    session = at_the_long_card()
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_waiting(pilot, app)
        card = app.screen.query_one("#card")
        card.scroll_end(animate=False)
        await pilot.pause()
        assert card.scroll_y > 0
        screen = app.screen
        assert isinstance(screen, GameScreen)
        screen.state = at_card(session.deck, "drone-wall")
        await pilot.pause()
        await pilot.pause()
        assert card.scroll_y == 0
        assert "The drone wall" in region_text(app, card)


# --- the adversary beside the postures ----------------------------------------------------------------


@attrs.frozen
class Table:
    """A game to show, as the game screen reads one (a remote seat's screen reads no more)."""

    deck: Deck
    state: GameState
    events: Sequence[Event] = ()


class Board(App[None]):
    """The game screen on a position of its own, nothing playing it."""

    def __init__(self, state: GameState) -> None:
        super().__init__()
        self.table = Table(state.deck, state)

    def on_mount(self) -> None:
        self.push_screen(GameScreen(self.table))


@pytest.mark.parametrize(
    "postures",
    [
        pytest.param({}, id="at-the-start"),
        # The levels with the most to say: every chance and cost they change.
        pytest.param({"roe": "loose", "sentry": "full"}, id="loose-and-full"),
        pytest.param({"roe": "strict", "sentry": "rotation"}, id="strict-and-rotation"),
    ],
)
async def test_the_adversary_stays_in_view_beside_the_postures_at_100x30(
    bundled: Deck, postures: dict[str, str]
) -> None:
    state = at_card(bundled, "poland-drone-swarm")
    state = attrs.evolve(state, postures={**state.postures, **postures})
    app = Board(state)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, GameScreen))
        await pilot.pause()
        screen = app.screen
        side, adversary = screen.query_one("#side"), screen.query_one("#adversary")
        assert side.scroll_y == 0
        assert side.region.contains_region(adversary.region), (side.region, adversary.region)
        shown = region_text(app, adversary)
        assert "Moscow" in shown and "in hand" in shown
        # The postures' levels are on the board too.
        tracks = region_text(app, screen.query_one("#tracks"))
        for posture_id, level in state.postures.items():
            posture = bundled.postures[posture_id]
            assert f"{posture.name}: {posture.level(level).label}" in tracks


# --- Game over ------------------------------------------------------------------------------------------


def scrolling(app: App[Any]) -> list[Widget]:
    """The widgets of the screen that show a scrollbar now."""
    screen = app.screen
    return [
        widget
        for widget in [screen, *screen.walk_children(Widget)]
        if widget.show_vertical_scrollbar or widget.show_horizontal_scrollbar
    ]


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
async def test_game_over_scrolls_once(size: tuple[int, int]) -> None:
    deck = load_deck(BUNDLED)
    session = Session.new(BUNDLED, deck, 5, {"POL": "human"}, None)
    while not session.over:
        session.decide(session.ai_action())
    app = WargameApp(session, ai_delay=0)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, EndingScreen) and app.screen.is_mounted)
        await pilot.pause()
        body = app.screen.query_one("#body")
        assert scrolling(app) == [body]
        # One scroll takes the reader from the ending to the last chart.
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y > 0
        assert "(round 0 is the start" in screen_text(app)
