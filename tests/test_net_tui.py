"""`wargame host` with the facilitator's screen: the TUI's game loop waits for the hosted seats'
decisions over the network (real sockets on loopback) instead of asking the keyboard."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

pytest.importorskip("aiohttp")

from tests.helpers import BUNDLED
from wargame import ai
from wargame.model import AddNote
from wargame.model.events import NoteAdded
from wargame.net.client import SeatClient
from wargame.net.host import Host, SeatCodes
from wargame.session import Session, default_controllers
from wargame.storage import load_deck
from wargame.tui.app import WargameApp
from wargame.tui.driver import GameDriver
from wargame.tui.screens.consultation import ConsultationScreen

pytestmark = pytest.mark.tui

SEATS = ["POL", "EST"]


async def _seat(client: SeatClient, turns: int) -> int:
    """Play the seat from its view until the game reaches `turns`; how many decisions it sent."""
    sent = 0
    while client.view is not None and client.view.state.turn < turns and not client.view.over:
        shown = client.view
        if shown.pending == client.seat and not shown.held:
            await client.act(ai.choose(shown.state, client.seat), shown.state.turn)
            sent += 1
        await client.receive(timeout=10)
    return sent


async def test_the_facilitators_screen_waits_for_the_seats_on_their_own_machines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = load_deck(BUNDLED)
    session = Session.new(BUNDLED, deck, 11, default_controllers(deck, SEATS), tmp_path)
    codes = SeatCodes.new(SEATS)
    host = Host(session, codes)
    session.remote = host
    port = await host.start("127.0.0.1", 0)
    posted: list[GameDriver.Posted] = []
    post = GameDriver._post

    def record(driver: GameDriver, message: GameDriver.Posted) -> None:
        posted.append(message)
        post(driver, message)

    monkeypatch.setattr(GameDriver, "_post", record)
    app = WargameApp(session, saves_dir=tmp_path, ai_delay=0, facilitator=True)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            clients = [await SeatClient.join(f"127.0.0.1:{port}", codes.codes[seat]) for seat in SEATS]
            playing = asyncio.gather(*(_seat(client, 30) for client in clients))
            while not playing.done():
                screen = app.screen
                if isinstance(screen, ConsultationScreen) and screen.resolved is not None:
                    await pilot.press("enter")  # the room closes a consultation's result, as in any game
                await pilot.pause(0.02)
            decided = await playing
            assert sum(decided) >= 3
            assert session.state.turn >= 30 or session.over
            assert session.deciders.count("team") == sum(decided)
            # The screen never asked the keyboard for a hosted seat's decision, nor handed over to one:
            # it said who decides elsewhere.
            assert not [m for m in posted if isinstance(m, GameDriver.Asking | GameDriver.HandOver)]
            waits = [m.text for m in posted if isinstance(m, GameDriver.Waiting)]
            assert "Poland decides on its own screen…" in waits
            assert "Estonia decides on its own screen…" in waits
            # A facilitator's action on the screen reaches every seat.
            assert app.driver is not None
            assert app.driver.apply(AddNote("The ministers meet at noon."), "facilitator")
            app.driver.nudge()
            for client in clients:
                shown = await client.receive_view(timeout=5)
                while not any(isinstance(event, NoteAdded) for event in shown.events):
                    shown = await client.receive_view(timeout=5)
                assert NoteAdded("The ministers meet at noon.") in client.events
            for client in clients:
                await client.close()
    finally:
        await host.stop()


async def test_quitting_a_hosted_game_says_how_to_host_it_again(tmp_path: Path) -> None:
    from wargame.tui.screens.modals import ConfirmQuitScreen

    deck = load_deck(BUNDLED)
    session = Session.new(BUNDLED, deck, 11, default_controllers(deck, SEATS), tmp_path)
    host = Host(session, SeatCodes.new(SEATS))
    session.remote = host
    await host.start("127.0.0.1", 0)
    app = WargameApp(session, saves_dir=tmp_path, ai_delay=0, facilitator=True)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            app.action_request_quit()
            for _ in range(100):
                if isinstance(app.screen, ConfirmQuitScreen):
                    break
                await pilot.pause(0.02)
            assert isinstance(app.screen, ConfirmQuitScreen)
            text = app.screen.where
            assert "wargame host --resume" in text
            assert "wargame resume" not in text
    finally:
        await host.stop()


async def test_the_facilitators_panel_lists_the_teams_codes_and_who_is_connected(tmp_path: Path) -> None:
    from textual.widgets import Static

    from wargame.tui.screens.facilitator import FacilitatorScreen

    deck = load_deck(BUNDLED)
    session = Session.new(BUNDLED, deck, 11, default_controllers(deck, SEATS), tmp_path)
    codes = SeatCodes.new(SEATS)
    host = Host(session, codes)
    session.remote = host
    port = await host.start("127.0.0.1", 0)
    app = WargameApp(session, saves_dir=tmp_path, ai_delay=0, facilitator=True)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            poland = await SeatClient.join(f"127.0.0.1:{port}", codes.codes["POL"])
            while "POL" not in host.connected():
                await pilot.pause(0.02)
            await pilot.press("f")
            while not isinstance(app.screen, FacilitatorScreen):
                await pilot.pause(0.02)
            teams = str(app.screen.query_one("#teams", Static).content)
            assert f"Poland ({codes.codes['POL']}): connected" in teams
            assert f"Estonia ({codes.codes['EST']}): not connected" in teams
            await poland.close()
    finally:
        await host.stop()
