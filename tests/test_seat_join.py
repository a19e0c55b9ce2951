"""`wargame join` against a real headless host over loopback: the join app (Textual's pilot) takes a
seat with its code, shows that seat's view, decides only its own decisions, and the host's game
records them; a wrong code is refused and retried; a spectator only watches; a host that goes away
is told plainly and the seat is taken again when it comes back; a bad address is a sentence.

The host (`wargame.net.host.Host`, the net branch's) plays its game in the test's event loop, as
`wargame host --headless` does; the app runs in the same loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.helpers import BUNDLED, RED, record_notices
from tests.hosting import Hosted
from wargame import ai
from wargame.engine.views import SPECTATOR
from wargame.model import ChooseResponse, InjectCard, PlayCard, seat_of
from wargame.model.events import VoteCast, VotesRevealed
from wargame.net.client import SeatClient
from wargame.net.host import SeatCodes
from wargame.net.protocol import View
from wargame.session import Session, default_controllers
from wargame.storage import load_deck
from wargame.tui.join import JoinApp, SeatEndingScreen
from wargame.tui.screens.code import CodeScreen
from wargame.tui.screens.consultation import ConsultationScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.widgets.choices import ChoiceList

pytestmark = pytest.mark.tui

SEATS = ["POL", "EST"]


@pytest.fixture
async def hosted(tmp_path: Path) -> AsyncIterator[Hosted]:
    deck = load_deck(BUNDLED)
    session = Session.new(BUNDLED, deck, 7, default_controllers(deck, SEATS), tmp_path)
    served = Hosted(session, SeatCodes.new(SEATS))
    await served.start()
    yield served
    await served.stop()


async def until(pilot: Pilot[None], holds: Callable[[], bool], seconds: float = 10.0) -> None:
    """Let the app and the host run until `holds()` (a failure after `seconds`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not holds():
        assert loop.time() < deadline, "timed out"
        await pilot.pause(0.05)


def decision_line(app: JoinApp) -> str:
    screen = app.screen
    assert isinstance(screen, GameScreen | ConsultationScreen)
    return str(screen.query_one("#decision", Static).content)


def offered(app: JoinApp) -> list[str]:
    """The options the seat is offered now (none while another seat decides)."""
    return [choice.title for choice in app.screen.query_one(ChoiceList).choices]


def waiting_line(app: JoinApp) -> str:
    """The decision area's one line while the seat does not decide."""
    choice_list = app.screen.query_one(ChoiceList)
    return str(choice_list.get_option_at_index(0).prompt) if choice_list.option_count else ""


async def deciding_seat(hosted: Hosted) -> str:
    """Wait until the host's game waits for a hosted seat; which one."""
    for _ in range(200):
        seat = hosted.session.seat
        if seat in hosted.codes.seats:
            assert seat is not None
            return seat
        await asyncio.sleep(0.05)
    raise AssertionError("the host never waited for a hosted seat")


async def test_a_wrong_code_is_refused_then_the_right_one_takes_the_seat(hosted: Hosted) -> None:
    app = JoinApp(hosted.address)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CodeScreen))
        await pilot.press(*"WRONG1", "enter")
        problem = app.screen.query_one("#problem", Static)
        await until(pilot, lambda: "code" in str(problem.content).lower() and problem.has_class("-error"))
        entry = app.screen.query_one(Input)
        assert not entry.disabled and entry.has_focus  # the team types again at once
        code = hosted.codes.codes["EST"]
        entry.value = code.lower()  # case and dashes do not matter
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, GameScreen))
        assert app.table is not None and app.table.seat == "EST"
        assert "Estonia" in app.title
        # The screen holds Estonia's view: the adversary's hand is hidden from it.
        assert app.screen.state is not None
        assert all(card == "?" for card in app.screen.state.hand)
        # Nor the seed (with it and the public actions, a seat could replay what is hidden).
        assert app.screen.state.seed == 0
        status = str(app.screen.query_one("#status", Static).content)
        assert "seed" not in status
        assert "you play Estonia" in status  # a team on its own device reads whose seat it is


async def test_a_seat_decides_its_own_decision_and_the_host_records_it(hosted: Hosted) -> None:
    seat = await deciding_seat(hosted)
    other = "EST" if seat == "POL" else "POL"
    # The other seat's app is up meanwhile: it is told who decides, and offered nothing.
    watcher = JoinApp(hosted.address, hosted.codes.codes[other])
    async with watcher.run_test(size=(100, 30)) as watching:
        name = hosted.session.deck.seat_name(seat)
        await until(watching, lambda: f"Waiting for {name}" in waiting_line(watcher))
        assert offered(watcher) == []
        app = JoinApp(hosted.address, hosted.codes.codes[seat])
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: bool(offered(app)))
            assert name in decision_line(app)
            before = len(hosted.session.actions)
            await pilot.press("enter")
            await until(pilot, lambda: len(hosted.session.actions) > before)
            action = hosted.session.actions[before]
            assert seat_of(action) == seat
            assert hosted.session.deciders[before] == "team"
            # The other seat's log has the decision too, as the host shows it.
            assert watcher.table is not None
            await until(watching, lambda: len(watcher.table.events) == len(hosted.session.events))


async def test_a_seat_that_does_not_decide_sees_who_does_and_the_timer_is_shown(tmp_path: Path) -> None:
    from wargame.session.timer import DecisionClock

    deck = load_deck(BUNDLED)
    session = Session.new(BUNDLED, deck, 7, default_controllers(deck, SEATS), tmp_path)
    served = Hosted(session, SeatCodes.new(SEATS))
    served.host.clock = DecisionClock(90)
    await served.start()
    try:
        seat = await deciding_seat(served)
        other = "EST" if seat == "POL" else "POL"
        app = JoinApp(served.address, served.codes.codes[other])
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, GameScreen) and bool(waiting_line(app)))
            assert offered(app) == []
            assert f"Waiting for {deck.seat_name(seat)}" in waiting_line(app)
            clock = app.screen.query_one("#clock", Static)
            await until(pilot, lambda: f"Time left for {deck.seat_name(seat)}" in str(clock.content))
            first = str(clock.content)
            await until(pilot, lambda: str(clock.content) != first, seconds=3)  # it counts down here
    finally:
        await served.stop()


async def test_a_spectator_watches_the_public_view_and_is_never_asked(hosted: Hosted) -> None:
    app = JoinApp(hosted.address, hosted.codes.codes[SPECTATOR])
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, GameScreen))
        seat = await deciding_seat(hosted)
        await until(pilot, lambda: hosted.session.deck.seat_name(seat) in waiting_line(app))
        assert offered(app) == []
        assert app.table is not None and app.table.spectator
        assert all(card == "?" for card in app.table.state.hand)  # the public view hides the hand
        status = str(app.screen.query_one("#status", Static).content)
        assert status.endswith("watching · players: Poland, Estonia")


async def test_a_host_that_goes_away_is_told_and_the_seat_is_taken_again(hosted: Hosted) -> None:
    app = JoinApp(hosted.address, hosted.codes.codes["EST"])
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, GameScreen))
        notices = record_notices(app)
        first_screen = app.screen
        port = hosted.port
        await hosted.stop()
        await until(pilot, lambda: any(n.title == "Connection" for n in notices))
        assert any("connection to the host was lost" in n.message for n in notices)
        await until(pilot, lambda: "No host answers" in waiting_line(app))  # while it is away
        assert "Trying again" in waiting_line(app)
        assert offered(app) == []
        # The host comes back on the same port with the same game and codes (as --resume does).
        back = Hosted(hosted.session, hosted.codes)
        await back.start(port)
        try:
            await until(pilot, lambda: isinstance(app.screen, GameScreen) and app.screen is not first_screen)
            await until(pilot, lambda: any(n.title == "Joined" for n in notices))
            assert "Trying again" not in waiting_line(app)
        finally:
            await back.stop()


async def test_a_bad_address_is_a_sentence_not_a_traceback() -> None:
    app = JoinApp("127.0.0.1:1", "ACD-EFH")
    async with app.run_test(size=(80, 24)) as pilot:
        problem = app.screen.query_one("#problem", Static)
        await until(pilot, lambda: "No host answers at 127.0.0.1:1" in str(problem.content))
        assert isinstance(app.screen, CodeScreen)
    nonsense = JoinApp("this is not an address", "ACD-EFH")
    async with nonsense.run_test(size=(80, 24)) as pilot:
        problem = nonsense.screen.query_one("#problem", Static)
        await until(pilot, lambda: "this is not an address" in str(problem.content))
    assert nonsense.return_code in (None, 0)


async def test_the_seat_sees_the_end(tmp_path: Path) -> None:
    """A game already over when the seat joins: the ending, without the local report's key."""
    deck = load_deck(BUNDLED)
    session = Session.new(BUNDLED, deck, 7, default_controllers(deck, ["POL"]), tmp_path)
    from wargame import ai

    while not session.over:
        seat = session.seat
        assert seat is not None
        session.decide(ai.choose(session.state, seat))
    served = Hosted(session, SeatCodes.new(["POL"]))
    await served.start()
    try:
        app = JoinApp(served.address, served.codes.codes["POL"])
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, SeatEndingScreen))
            assert "host keeps" in str(app.screen.query_one("#saved", Static).content)
            assert app.screen.check_action("report", ()) is False
            assert app.screen.check_action("counterfactual", ()) is False  # needs the host's save
            await pilot.press("d")  # and the key does nothing
            assert isinstance(app.screen, SeatEndingScreen)
    finally:
        await served.stop()


async def _play(client: SeatClient, until: Callable[[View], bool]) -> None:
    """Play the client's seat with the AI, from the seat's view, until `until` holds."""
    while True:
        shown = client.view
        assert shown is not None
        if until(shown) or shown.over:
            return
        if shown.pending == client.seat and not shown.held:
            await client.act(ai.choose(shown.state, client.seat), shown.state.turn)
        await client.receive(timeout=10)


async def test_a_sealed_vote_is_cast_before_the_seats_turn_and_counted_in_it(tmp_path: Path) -> None:
    """While a sealed council vote is collected, every seat votes at once: the last voter's app is
    offered its vote while the first voter decides, and its vote counts, as its team's, in turn."""
    seats = ["POL", "EST", "DEU"]
    deck = load_deck(RED)
    session = Session.new(RED, deck, 4, default_controllers(deck, seats), tmp_path)
    session.decide(InjectCard("rules"))  # an alliance card: a sealed vote comes
    served = Hosted(session, SeatCodes.new(seats))
    await served.start()
    try:
        clients = {seat: await SeatClient.join(served.address, served.codes.codes[seat]) for seat in seats}
        at_vote = lambda shown: shown.state.card == "rules"  # noqa: E731
        await asyncio.gather(*(_play(client, at_vote) for client in clients.values()))
        await clients["DEU"].close()  # Germany's team takes the seat in the app now
        app = JoinApp(served.address, served.codes.codes["DEU"])
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: bool(offered(app)))
            assert app.table is not None and app.table.view.pending == "POL"  # Poland votes first
            assert "Germany" in decision_line(app)
            chosen = app.screen.query_one(ChoiceList).current
            assert chosen is not None and isinstance(chosen.action, ChooseResponse)
            assert chosen.action.nation == "DEU"
            await pilot.press("enter")
            await until(pilot, lambda: app.table is not None and app.table.view.held)
            await until(pilot, lambda: "Your decision is in" in waiting_line(app))
            assert offered(app) == []
            for seat in ("POL", "EST"):
                shown = clients[seat].view
                assert shown is not None
                await clients[seat].act(ChooseResponse(seat, "unify"), None)
            await until(pilot, lambda: any(isinstance(event, VotesRevealed) for event in session.events))
            votes = {e.nation: e.response for e in session.events if isinstance(e, VoteCast)}
            assert votes["DEU"] == chosen.action.response
            deciders = dict(zip(session.actions, session.deciders, strict=True))
            assert deciders[chosen.action] == "team"
        for seat in ("POL", "EST"):
            await clients[seat].close()
    finally:
        await served.stop()


async def test_a_seat_taken_by_another_connection_says_so_and_r_takes_it_back(hosted: Hosted) -> None:
    app = JoinApp(hosted.address, hosted.codes.codes["EST"])
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, GameScreen))
        first_screen = app.screen
        # The team joins again from another machine: the newest connection takes the seat.
        elsewhere = await SeatClient.join(hosted.address, hosted.codes.codes["EST"])
        await until(pilot, lambda: "Another connection took this seat" in waiting_line(app))
        assert "Press r" in waiting_line(app)
        await pilot.pause(1.5)  # it does not try again by itself
        assert app.screen is first_screen and "EST" in hosted.host.connected()
        assert app.check_action("rejoin", ()) is True
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, GameScreen) and app.screen is not first_screen)
        assert app.check_action("rejoin", ()) is False
        await elsewhere.close()


async def test_a_red_cell_seat_plays_a_card_of_its_hand_where_it_lands(tmp_path: Path) -> None:
    """The adversary's team over the network: its view holds its hand; it picks a card, then where
    the card lands when it may land in several places, and the host plays it as the team's."""
    deck = load_deck(RED)
    red = deck.adversary
    assert red is not None
    session = Session.new(RED, deck, 4, default_controllers(deck, [red.id]), tmp_path)
    served = Hosted(session, SeatCodes.new([red.id]))
    await served.start()
    try:
        app = JoinApp(served.address, served.codes.codes[red.id])
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: bool(offered(app)))
            assert app.table is not None
            hand = app.table.state.hand
            assert hand and "?" not in hand  # its own hand, seen
            before = len(session.actions)
            for _ in range(3):  # the card, then (when it may land in several places) where
                if len(session.actions) > before:
                    break
                await pilot.press("enter")
                await pilot.pause(0.3)
            await until(pilot, lambda: len(session.actions) > before)
            played = session.actions[before]
            assert isinstance(played, PlayCard) and played.seat == red.id
            assert played.card in hand
            assert session.deciders[before] == "team"
    finally:
        await served.stop()


async def test_the_code_screen_takes_q_as_a_letter_and_esc_leaves() -> None:
    app = JoinApp("127.0.0.1:1")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CodeScreen))
        await pilot.press("q")
        assert app.screen.query_one(Input).value == "q" and app.is_running
        assert app.check_action("request_quit", ()) is False
        await pilot.press("escape")
        await until(pilot, lambda: not app.is_running)


async def test_the_help_at_a_remote_seat_is_the_seats_own(hosted: Hosted) -> None:
    from textual.widgets import Markdown

    from wargame.tui.screens.modals import HelpScreen

    app = JoinApp(hosted.address, hosted.codes.codes["POL"])
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, GameScreen))
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = app.screen.query_one(Markdown).source
        # What a remote seat needs: its code, who steers, how to take the seat back after a drop.
        assert "seat code" in text.lower()
        assert "facilitator steers" in text
        assert "`r`" in text and "same code" in text
        assert "How a round goes" in text  # the rules are the table's
        assert hosted.session.deck.info.title in text
        # Not the local game's: no hot-seat hand-over, no saves on this machine, no facilitator's keys.
        assert "Hot-seat" not in text
        assert "wargame resume" not in text
        assert "facilitator's panel" not in text
