"""A deck's `[[sources]]`: cards cite an article by id, and the room reads it in words.

Covers loading, the citation text, `deck check`'s errors and warning (exact lines, did-you-mean),
v1 decks (no sources, every card's source still free text) and the bundled decks, which cite every
article by id and no longer state what their articles do not say.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import MINI_TEXT, ROOT, mini_with
from wargame.model import Deck, Source
from wargame.session.describe import card_source
from wargame.storage import check_deck, check_deck_text, load_deck, load_deck_text

BUNDLED = sorted((ROOT / "decks").glob("*.toml"))
V1 = sorted((ROOT / "tests" / "decks" / "v1").glob("*.toml"))
SCHEMA = json.loads((ROOT / "decks" / "deck.schema.json").read_text("utf-8"))

REUTERS = """
[[sources]]
id = "reuters-2025-09-10"
outlet = "Reuters"
title = "Poland shoots down drones"
date = "2025-09-10"
url = "https://example.org/poland"
file = "poland.txt"
"""


def with_sources(sources: str, drones: str = "reuters-2025-09-10", jets: str | None = None) -> str:
    """mini.toml with `sources` appended and the cards "drones" (and "jets") citing the given source."""
    changes = [('source = "001_d278fafa52e77602.txt"\ncopies = 2', f'source = "{drones}"\ncopies = 2')]
    if jets is not None:
        changes.append(('"EST"\nsource = "001_d278fafa52e77602.txt"', f'"EST"\nsource = "{jets}"'))
    return mini_with(*changes) + sources


def line_of(text: str, wanted: str, nth: int = 1) -> int:
    """The 1-based line of the `nth` line of `text` that is exactly `wanted`."""
    found = [number for number, line in enumerate(text.split("\n"), 1) if line == wanted]
    return found[nth - 1]


def problems(text: str) -> list[str]:
    """The problems of `text` that mini.toml itself does not have (it has two warnings of its own)."""
    own = {str(problem) for problem in check_deck_text(MINI_TEXT, "mini.toml")}
    return [str(problem) for problem in check_deck_text(text, "mini.toml") if str(problem) not in own]


# --- loading and the citation --------------------------------------------------------------------------


def test_a_deck_with_sources_loads_them_and_a_card_finds_its_source() -> None:
    deck = load_deck_text(with_sources(REUTERS), "mini.toml")
    assert deck.sources == (
        Source(
            id="reuters-2025-09-10",
            outlet="Reuters",
            title="Poland shoots down drones",
            date="2025-09-10",
            url="https://example.org/poland",
            file="poland.txt",
        ),
    )
    assert deck.source_of(deck.card("drones")) is deck.sources[0]
    assert deck.source_of(deck.card("jets")) is None  # still a file name: free text


def test_a_card_citing_a_source_by_id_reads_outlet_title_and_date() -> None:
    deck = load_deck_text(with_sources(REUTERS), "mini.toml")
    assert card_source(deck, deck.card("drones")) == "Reuters, “Poland shoots down drones”, 2025-09-10"


def test_a_citation_leaves_out_missing_parts_and_never_quotes_a_bracketed_title() -> None:
    sources = """
[[sources]]
id = "undated"
title = "[a report on the drones, citing the Financial Times]"

[[sources]]
id = "outlet-only"
outlet = "Defense One"
"""
    deck = load_deck_text(with_sources(sources, drones="undated", jets="outlet-only"), "mini.toml")
    assert card_source(deck, deck.card("drones")) == "[a report on the drones, citing the Financial Times]"
    assert card_source(deck, deck.card("jets")) == "Defense One"


def test_free_text_is_shown_as_written_and_a_file_name_stays_hidden() -> None:
    free = "Defense One,  “Allies argue”, 9 October 2025"
    deck = load_deck_text(with_sources(REUTERS, drones=free, jets="reuters.txt"), "mini.toml")
    assert card_source(deck, deck.card("drones")) == "Defense One, “Allies argue”, 9 October 2025"
    assert card_source(deck, deck.card("jets")) is None


# --- deck check ----------------------------------------------------------------------------------------


def test_a_misspelt_source_id_is_an_error_with_did_you_mean_at_the_cards_line() -> None:
    text = with_sources(REUTERS, drones="reuters-2025-09-01")
    line = line_of(text, 'source = "reuters-2025-09-01"')
    assert problems(text) == [
        f'mini.toml:{line}: cards[0].source: unknown source id "reuters-2025-09-01" '
        '(did you mean "reuters-2025-09-10"?)'
    ]
    with pytest.raises(ValueError, match="unknown source id"):
        load_deck_text(text, "mini.toml")


def test_a_card_that_cites_a_sources_file_is_told_its_id() -> None:
    text = with_sources(REUTERS, jets="poland.txt")
    line = line_of(text, 'source = "poland.txt"')
    assert problems(text) == [
        f'mini.toml:{line}: cards[1].source: "poland.txt" is the file of source "reuters-2025-09-10": '
        'cite it by its id, source = "reuters-2025-09-10"'
    ]


def test_free_text_and_file_names_are_not_checked() -> None:
    # Words with spaces are a citation in words; a file name is the author's own reference.
    assert problems(with_sources(REUTERS, jets="Reuters, 1 September 2025, evening edition")) == []
    assert problems(with_sources(REUTERS, jets="001_d278fafa52e77602.txt")) == []


def test_one_word_shaped_like_an_id_far_from_every_id_is_an_error_naming_the_ids() -> None:
    text = with_sources(REUTERS, jets="ministers-meeting")
    line = line_of(text, 'source = "ministers-meeting"')
    assert problems(text) == [
        f'mini.toml:{line}: cards[1].source: unknown source id "ministers-meeting": '
        'expected one of "reuters-2025-09-10"'
    ]


def test_a_duplicate_source_id_is_an_error_at_the_second() -> None:
    text = with_sources(REUTERS + REUTERS.replace('outlet = "Reuters"', 'outlet = "AP"'))
    line = line_of(text, 'id = "reuters-2025-09-10"', nth=2)
    assert problems(text) == [
        f'mini.toml:{line}: sources[1].id: duplicate source id "reuters-2025-09-10" '
        "(first used at sources[0])"
    ]


def test_a_bad_date_an_id_with_spaces_and_a_source_with_nothing_to_cite_are_errors() -> None:
    sources = """
[[sources]]
id = "reuters-2025-09-10"
outlet = "Reuters"
date = "2025-09-31"

[[sources]]
id = "an id"
title = "Something"

[[sources]]
id = "bare"
date = "2025-09-10"
"""
    text = with_sources(sources, jets="bare")
    found = problems(text)
    date_line = line_of(text, 'date = "2025-09-31"')
    assert (
        f'mini.toml:{date_line}: sources[0].date: expected an ISO date such as "2025-10-02", got "2025-09-31"'
        in found
    )
    id_line = line_of(text, 'id = "an id"')
    assert (
        f"mini.toml:{id_line}: sources[1].id: "
        'expected an id of letters, digits, dashes and underscores, got "an id"' in found
    )
    bare_line = line_of(text, "[[sources]]", nth=3)
    assert (
        f'mini.toml:{bare_line}: sources[2]: source "bare" needs an outlet or a title to be cited by' in found
    )
    assert len(found) == 3


def test_an_unquoted_toml_date_and_a_misspelt_key_are_type_and_key_errors() -> None:
    text = with_sources(
        REUTERS.replace('date = "2025-09-10"', "date = 2025-09-10").replace("outlet", "outlett")
    )
    key_line = line_of(text, 'outlett = "Reuters"')
    date_line = line_of(text, "date = 2025-09-10")
    assert problems(text) == [
        f'mini.toml:{key_line}: sources[0]: unknown key "outlett" (did you mean "outlet"?)',
        f"mini.toml:{date_line}: sources[0].date: expected a string, got the date 2025-09-10",
    ]


def test_a_source_no_card_cites_is_a_warning() -> None:
    text = with_sources(REUTERS, drones="Reuters, 10 September 2025")
    line = line_of(text, 'id = "reuters-2025-09-10"')
    assert problems(text) == [
        f'mini.toml:{line}: sources[0].id: warning: no card cites source "reuters-2025-09-10"'
    ]
    load_deck_text(text, "mini.toml")  # a warning never stops a deck


def test_the_schema_knows_the_sources_table() -> None:
    import tomllib

    validator = jsonschema.Draft4Validator(SCHEMA)
    assert not list(validator.iter_errors(tomllib.loads(with_sources(REUTERS))))
    bad = tomllib.loads(with_sources(REUTERS.replace("outlet", "outlett")))
    assert [error.json_path for error in validator.iter_errors(bad)] == ["$.sources[0]"]


# --- v1 decks and the bundled decks ------------------------------------------------------------------


@pytest.mark.parametrize("path", V1, ids=lambda path: path.name)
def test_a_v1_deck_has_no_sources_and_reads_as_before(path: Path) -> None:
    assert check_deck(path) == []
    deck = load_deck(path)
    assert deck.sources == ()
    for card in deck.cards:
        assert deck.source_of(card) is None
        shown = card_source(deck, card)
        # As before [[sources]]: a bare file name is hidden, words are shown as written.
        assert shown is None if card.source.endswith(".txt") else shown == " ".join(card.source.split())


def test_a_deck_without_sources_never_checks_a_one_word_source() -> None:
    assert (
        problems(
            MINI_TEXT.replace('source = "001_d278fafa52e77602.txt"\ncopies', 'source = "reuters"\ncopies')
        )
        == []
    )


@pytest.fixture(scope="module", params=BUNDLED, ids=lambda path: path.name)
def bundled_deck(request: pytest.FixtureRequest) -> Deck:
    path: Path = request.param
    assert check_deck(path) == []  # strict: not even a warning (an uncited source would be one)
    return load_deck(path)


def test_every_bundled_card_cites_an_article_by_id_or_says_it_is_background(bundled_deck: Deck) -> None:
    assert bundled_deck.sources
    for card in bundled_deck.cards:
        assert ".txt" not in card.source, card.id
        if bundled_deck.source_of(card) is None:
            # Only cards built from reporting outside the five articles keep free text, in words.
            assert "background: public reporting" in card.source, card.id
    for source in bundled_deck.sources:
        assert source.file.endswith(".txt") and (source.outlet or source.title)


def test_the_bundled_deck_states_only_what_its_sources_say() -> None:
    deck = load_deck(ROOT / "decks" / "eastern-flank-2025.toml")
    words = (ROOT / "decks" / "eastern-flank-2025.toml").read_text("utf-8")
    for unsupported in (
        "MiG-31",
        "since 1945",
        "Romanian law",
        "Change the law",
        "holds the pen",
        "Bundeswehr may not shoot",
        "Copenhagen airport",
    ):
        assert unsupported not in words, unsupported
    # "The first time since the Second World War" is Fox News's: the card cites it.
    poland = deck.card("poland-drone-swarm")
    assert "Second World War" in poland.text
    assert poland.source == "fox-2025-10-02"
    assert "MiG-29" in deck.card("italian-f35s").text and deck.card("italian-f35s").source == "fox-2025-10-02"
    assert "shuts its airspace" in deck.card("copenhagen-drones").text
