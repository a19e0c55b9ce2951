"""A browser seat end to end: headless Chromium (Debian's, /usr/bin/chromium, driven by playwright;
.ci/run installs it when missing) opens the host's page, types a seat code, makes a decision, and the
host's game records it, decided by that seat's team. Nothing the page loads comes from outside the
host.

Real parts throughout: the headless host on loopback, serving `wargame.net.web`'s page and terminal
websocket on its own port; one `wargame join` process started for the browser under Textual's web
driver, which joins the host over loopback like any seat.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from tests.helpers import BUNDLED
from tests.hosting import Hosted
from wargame.model import seat_of
from wargame.net.host import SeatCodes
from wargame.session import Session, default_controllers
from wargame.storage import load_deck

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

CHROMIUM = Path("/usr/bin/chromium")
SEATS = ["POL", "EST"]
#: Where the test leaves its screenshots, for a person to look at after a failure.
SHOTS = Path(__file__).parent.parent / ".pytest-shots"


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Hosted]:
    deck = load_deck(BUNDLED)
    session = Session.new(BUNDLED, deck, 7, default_controllers(deck, SEATS), tmp_path)
    hosted = Hosted(session, SeatCodes.new(SEATS))
    assert hosted.host.browsers  # the host serves the page (wargame.net.web) itself
    await hosted.start()
    yield hosted
    await hosted.stop()


async def until(holds: Callable[[], bool], seconds: float = 30.0) -> None:
    assert await settled(holds, seconds), "timed out"


async def settled(holds: Callable[[], bool], seconds: float) -> bool:
    """Whether `holds()` comes true within `seconds`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not holds():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


async def test_a_browser_takes_a_seat_with_its_code_and_decides(served: Hosted) -> None:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)"
    await until(lambda: served.session.seat in SEATS)
    seat = served.session.seat
    assert seat is not None
    requested: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = await browser.new_page(viewport={"width": 1100, "height": 700})
            page.on("request", lambda request: requested.append(request.url))
            await page.goto(f"http://{served.address}/")
            # The terminal has drawn its first frame (textual.js marks the body): the code screen.
            await page.wait_for_selector("body.-first-byte", timeout=60_000)
            await page.click("#terminal")
            # The game waits for this seat: the next action is its decision, whenever it comes.
            before = len(served.session.actions)
            # Keys typed before the join app's code screen is up are lost: type again until the
            # host sees the seat (the app, a process of its own, takes a moment to start).
            code = served.codes.codes[seat].lower()
            for attempt in range(10):
                await page.keyboard.press("Backspace")  # whatever an earlier attempt left
                for _ in code:
                    await page.keyboard.press("Backspace")
                await page.keyboard.type(code)
                await page.keyboard.press("Enter")
                if await settled(lambda: seat in served.host.connected(), 3 + attempt):
                    break
            assert seat in served.host.connected()
            SHOTS.mkdir(exist_ok=True)
            # Enter confirms the highlighted option once the seat's screen offers it.
            for attempt in range(10):
                if len(served.session.actions) > before:
                    break
                await page.keyboard.press("Enter")
                if await settled(lambda: len(served.session.actions) > before, 2 + attempt):
                    break
            await page.screenshot(path=str(SHOTS / "browser-seat-game.png"))
            assert len(served.session.actions) > before
            action = served.session.actions[before]
            assert seat_of(action) == seat
            assert served.session.deciders[before] == "team"
        finally:
            await browser.close()
    # Everything the page loaded came from the host.
    assert requested
    outside = [url for url in requested if not url.startswith(f"http://{served.address}/")]
    assert outside == []
