"""The HTML report in a real browser: headless Chromium (Debian's, /usr/bin/chromium; playwright cannot
download its own here), driven by playwright. `pytest -m browser` runs these alone; .ci/run installs
chromium when it is missing, so CI runs them too.

What a parser cannot tell: that the chart and every table are drawn (visible, of non-zero size), that
nothing is wider than the window a room shows it in, and that the page has its print rules (A4, no
table cut across two pages, the chart on one page).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.helpers import BUNDLED
from wargame.ai import choose
from wargame.engine import apply, is_over, new_game
from wargame.lab.report import GameRecord, write_report
from wargame.model import Action, AddNote, AdjustTrack, ForceRoll
from wargame.model.events import ConsultationOpened, ProposalMade, VoteCast
from wargame.storage import load_deck

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")

#: A4 less the print stylesheet's 15 mm margins, in CSS pixels (96 to the inch).
A4_WIDTH, A4_HEIGHT = round((210 - 30) / 25.4 * 96), round((297 - 30) / 25.4 * 96)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page of a bundled game with consultations, councils, the facilitator's steering and a long
    note, as a facilitator would open it."""
    deck = load_deck(BUNDLED)
    folder = tmp_path_factory.mktemp("browser")
    for seed in range(40):
        opening: list[Action] = [
            AdjustTrack("escalation", 1, "a heated room"),
            ForceRoll(True),
            AddNote("The Polish team argued for a shoot-down; " * 12),
        ]
        state = new_game(deck, seed)
        actions = list(opening)
        consulted = voted = False
        for action in actions:
            state, _ = apply(state, action)
        while not is_over(state):
            action = choose(state, state.pending.seat)
            state, events = apply(state, action)
            actions.append(action)
            consulted |= any(isinstance(e, ConsultationOpened) for e in events)
            voted |= any(isinstance(e, VoteCast | ProposalMade) for e in events)
        if consulted and voted:
            record = GameRecord(deck, BUNDLED, seed, state.controllers, tuple(actions), None, None)
            return write_report(record, html=folder / "debrief.html")[0]
    raise AssertionError("no game of 40 with both a consultation and a council")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


def opened(browser: Browser, report: Path, width: int, height: int = 800) -> Page:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(report.as_uri())
    return page


# Every element's box, for the checks below: what is drawn, and how far right it reaches.
_BOXES = """() => Array.from(document.querySelectorAll('body *')).map(e => {
    const box = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    return {tag: e.tagName.toLowerCase(), cls: e.getAttribute('class') || '',
            width: box.width, height: box.height, right: box.right,
            shown: style.display !== 'none' && style.visibility !== 'hidden'};
})"""


@pytest.mark.parametrize("width", [1024, 768])
def test_the_chart_and_every_table_are_drawn_and_nothing_is_wider_than_the_window(
    browser: Browser, report: Path, width: int, tmp_path: Path
) -> None:
    page = opened(browser, report, width)
    try:
        boxes = page.evaluate(_BOXES)
        tables = [box for box in boxes if box["tag"] == "table"]
        # The tracks, the scores, a table per seat, per consultation and per council.
        kinds = {box["cls"] for box in tables}
        assert {"tracks", "scores", "decisions", "positions", "votes"} <= kinds
        assert tables == [box for box in tables if box["shown"] and box["width"] > 0 and box["height"] > 0]
        assert len(tables) == page.locator("table").count()
        chart = page.locator("figure.chart svg")
        assert chart.count() == 1 and chart.is_visible()
        drawn = chart.bounding_box()
        assert drawn is not None and drawn["width"] > 300 and drawn["height"] > 100
        assert page.locator("figure.chart svg polyline.track").count() == 3
        # Nothing reaches past the window's right edge: no sideways scrolling on a projector.
        viewport = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport == width
        wide = [box for box in boxes if box["shown"] and box["right"] > viewport + 0.5]
        assert wide == []
        page.screenshot(path=tmp_path / f"report-{width}.png", full_page=True)
    finally:
        page.close()


def test_the_print_rules_exist_and_the_chart_fits_on_an_a4_page(browser: Browser, report: Path) -> None:
    page = opened(browser, report, A4_WIDTH, A4_HEIGHT)
    try:
        rules = page.evaluate(
            """() => {
            const found = {page: [], avoid: []};
            for (const sheet of document.styleSheets) for (const rule of sheet.cssRules) {
                if (!(rule instanceof CSSMediaRule) || !rule.media.mediaText.includes('print')) continue;
                for (const inner of rule.cssRules) {
                    if (inner instanceof CSSPageRule) found.page.push(inner.style.getPropertyValue('size'));
                    else if (inner.style && inner.style.breakInside === 'avoid')
                        found.avoid.push(inner.selectorText);
                }
            }
            return found;
        }"""
        )
        assert [size.lower() for size in rules["page"]] == ["a4"]
        avoided = {part.strip() for selector in rules["avoid"] for part in selector.split(",")}
        assert {"table", "figure", "tr"} <= avoided
        # As printed: the chart within one page, and nothing wider than the paper.
        page.emulate_media(media="print")
        drawn = page.locator("figure.chart").bounding_box()
        assert drawn is not None and 0 < drawn["height"] <= A4_HEIGHT and drawn["width"] <= A4_WIDTH
        assert page.evaluate("document.documentElement.scrollWidth") <= A4_WIDTH
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
    finally:
        page.close()
