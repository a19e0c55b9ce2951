"""A new designer's mistakes (issue 15, findings 4 and 6), each made on the starter deck that
`wargame deck new` writes, and what `deck check` and `deck new` answer: the real mistake, at its line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from wargame.cli import main
from wargame.storage import check_deck_text, load_deck
from wargame.storage.decks import new_deck_text

STARTER = new_deck_text()


def line_of(text: str, line: str, after: int = 0) -> int:
    """The number (from 1) of the first line equal to `line`, after line `after`."""
    lines = text.split("\n")
    return lines.index(line, after) + 1


def check(text: str) -> list[tuple[int | None, str, str, str]]:
    return [
        (problem.line, problem.path, problem.severity, problem.message)
        for problem in check_deck_text(text, "x.toml")
    ]


def changed(*changes: tuple[str, str]) -> str:
    text = STARTER
    for old, new in changes:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    return text


def test_the_starter_deck_is_clean() -> None:
    assert check(STARTER) == []


# Meaning.


def test_a_defeat_ending_without_conditions_is_an_error() -> None:
    text = changed(('kind = "defeat"\nwhen = [{ track = "cohesion", max = 0 }]\n', 'kind = "defeat"\n'))
    found = check(text)
    assert len(found) == 1
    line, path, severity, message = found[0]
    assert (path, severity) == ("endings[1]", "error")
    assert line == line_of(text, 'id = "fracture"') - 1
    assert "no conditions" in message and "ends every game at once" in message


@pytest.mark.parametrize(
    ("old", "new", "path", "what"),
    [
        ('id = "border-drones"', 'id = ""', "cards[0].id", "an id"),
        ('id = "FIN"', 'id = "  "', "nations[0].id", "an id"),
        ('id = "protest"', 'id = ""', "cards[0].responses[2].id", "an id"),
        ('id = "holds"', 'id = ""', "endings[3].id", "an id"),
        ('id = "counter-drone"', 'id = ""', "investments[0].id", "an id"),
        ('id = "ready"', 'id = ""', "nations[0].objectives[0].id", "an id"),
        ('label = "Protest"', 'label = ""', "cards[0].responses[2].label", "a label"),
        ('title = "Drones cross the border"', 'title = " "', "cards[0].title", "a title"),
        ('title = "My deck"', 'title = ""', "deck.title", "a title"),
        ('title = "The alliance holds"', 'title = ""', "endings[3].title", "a title"),
    ],
)
def test_an_empty_id_label_or_title_is_refused(old: str, new: str, path: str, what: str) -> None:
    text = changed((old, new))
    found = check(text)
    assert [(p, s) for _, p, s, _ in found] == [(path, "error")]
    assert found[0][3] == f"must not be empty: expected {what}"
    assert found[0][0] == line_of(text, new)


def test_an_empty_name_of_the_adversary_its_stat_or_persona_is_refused() -> None:
    start = STARTER.index("\n# [adversary]\n")
    text = STARTER[:start] + re.sub(r"^# ?", "", STARTER[start:], flags=re.MULTILINE)
    assert check(text) == []
    for old, path in [
        ('name = "Moscow"', "adversary.name"),
        ('name = "Leverage"', "adversary.stats.leverage.name"),
        ('name = "Prober"', "adversary.personas.prober.name"),
    ]:
        changed_text = text.replace(old, 'name = ""', 1)
        assert check(changed_text) == [
            (line_of(changed_text, 'name = ""'), path, "error", "must not be empty: expected a name")
        ]


def test_a_target_in_the_wrong_case_gets_a_hint() -> None:
    text = changed(('target = "LTU"', 'target = "ltu"'))
    assert check(text) == [
        (
            line_of(text, 'target = "ltu"'),
            "cards[1].target",
            "error",
            'unknown target "ltu" (did you mean "LTU"?)',
        )
    ]


def test_a_target_with_no_close_match_lists_the_nations() -> None:
    text = changed(('target = "LTU"', 'target = "Moldova"'))
    assert check(text) == [
        (
            line_of(text, 'target = "Moldova"'),
            "cards[1].target",
            "error",
            'unknown target "Moldova": expected a nation id ("FIN", "LTU" or "NLD"), '
            '"frontline", "any" or "alliance"',
        )
    ]


def test_a_target_list_in_the_wrong_case_gets_a_hint() -> None:
    text = changed(('target = "LTU"', 'target = ["fin", "Moldova"]'))
    assert [message for *_, message in check(text)] == [
        'unknown nation "fin" (did you mean "FIN"?)',
        'unknown nation "Moldova": expected one of "FIN", "LTU" or "NLD"',
    ]


def test_a_persona_in_the_wrong_case_gets_a_hint() -> None:
    text = changed(('persona = "dove"', 'persona = "DOVE"'))
    assert [message for *_, message in check(text)] == ['unknown persona "DOVE" (did you mean "dove"?)']


@pytest.mark.parametrize(
    ("key", "value", "header_line", "response"),
    [
        ("copies", "2", 'id = "protest"', "cards[0].responses[2]"),
        ("source", '"news"', 'id = "ignore"', "cards[1].responses[1]"),
    ],
)
def test_a_card_key_after_its_responses_belongs_to_the_last_response(
    key: str, value: str, header_line: str, response: str
) -> None:
    # Written at the end of the card, as a designer adds a key, it lands in the last response.
    text = changed((f"{header_line}\n", f"{header_line}\n{key} = {value}\n"))
    header = line_of(text, header_line) - 1
    assert text.split("\n")[header - 1] == "[[cards.responses]]"
    (found,) = check(text)
    line, path, severity, message = found
    assert (line, path, severity) == (header + 2, response, "error")
    assert message == (
        f'"{key}" belongs to the card, but written after [[cards.responses]] (line {header}) it goes '
        f"to that response, which has no such key: move it above line {header}, with the card's other keys"
    )
    assert "did you mean" not in message


def test_a_top_level_key_after_a_table_belongs_to_that_table() -> None:
    text = changed(("\n[tracks.cohesion]\n", "\nsources = []\n\n[tracks.cohesion]\n"))
    (found,) = check(text)
    deck = line_of(text, "[deck]")
    assert found[:3] == (line_of(text, "sources = []"), "deck", "error")
    assert found[3] == (
        f'"sources" is a top-level key, but written after [deck] (line {deck}) it goes to that table, '
        f"which has no such key: move it above line {deck}, before the first [table]"
    )


def test_an_unknown_key_in_an_inline_table_is_only_unknown() -> None:
    # An inline table holds only what is between its braces: nothing was moved into it.
    text = changed(
        ("effects = { actor = { pressure = 1 } }", "effects = { actor = { pressure = 1 }, copies = 1 }")
    )
    (found,) = check(text)
    assert found[1:3] == ("cards[0].responses[2].effects", "error")
    assert found[3].startswith('unknown key "copies"') and "belongs" not in found[3]


# TOML itself.


def syntax(text: str) -> tuple[int | None, str]:
    (problem,) = check_deck_text(text, "x.toml")
    assert problem.path == "" and problem.is_error
    return problem.line, problem.message


def test_an_inline_table_over_several_lines() -> None:
    text = changed(
        (
            'success = { tracks = { credibility = 2 }, actor = { pressure = -1 }, text = "Most drones '
            'fall." }',
            "success = {\n  tracks = { credibility = 2 },\n  actor = { pressure = -1 },\n}",
        )
    )
    line, message = syntax(text)
    assert line == line_of(text, "success = {")
    assert message.startswith("invalid TOML: ")
    assert "an inline table { ... } must be written on one line" in message
    assert "[table]" in message or "sub-table" in message


def test_an_inline_table_closed_on_the_next_line() -> None:
    text = changed(("effects = { actor = { pressure = 1 } }", "effects = { actor = { pressure = 1 }\n}"))
    line, message = syntax(text)
    assert line == line_of(text, "effects = { actor = { pressure = 1 }")
    assert "an inline table { ... } must be written on one line" in message


def test_a_trailing_comma_in_an_inline_table() -> None:
    text = changed(("effects = { actor = { pressure = 1 } }", "effects = { actor = { pressure = 1 }, }"))
    line, message = syntax(text)
    assert line == line_of(text, "effects = { actor = { pressure = 1 }, }")
    assert "a comma before the closing } of an inline table" in message
    assert "remove it" in message


def test_a_table_then_an_array_of_tables() -> None:
    # `[cards]` for the first card, `[[cards]]` for the next: the first line is the mistake.
    text = changed(('[[cards]]\nid = "border-drones"', '[cards]\nid = "border-drones"'))
    line, message = syntax(text)
    assert line == line_of(text, "[cards]")
    assert "[cards] makes cards a single table" in message
    assert "write [[cards]]" in message


def test_an_array_of_tables_then_a_table() -> None:
    text = changed(('[[cards]]\nid = "cable-cut"', '[cards]\nid = "cable-cut"'))
    line, message = syntax(text)
    assert line == line_of(text, "[cards]")
    assert f"cards is an array of tables ([[cards]] at line {line_of(text, '[[cards]]')})" in message
    assert "write [[cards]]" in message


def test_a_table_declared_twice() -> None:
    text = changed(("\n[[extra_draws]]\n", '\n[deck]\nauthor = "me"\n\n[[extra_draws]]\n'))
    line, message = syntax(text)
    first = line_of(text, "[deck]")
    assert line == line_of(text, "[deck]", first)
    assert f"[deck] is declared twice (first at line {first})" in message


def test_responses_before_any_card_point_at_the_response() -> None:
    text = changed(
        (
            '[[cards]]\nid = "border-drones"',
            '[[cards.responses]]\nid = "early"\nlabel = "Early"\n\n[[cards]]\nid = "border-drones"',
        )
    )
    line, message = syntax(text)
    assert line == line_of(text, "[[cards.responses]]")
    assert "[[cards.responses]] comes before any [[cards]]" in message


def test_an_empty_array_then_its_tables_point_at_the_array() -> None:
    text = changed(("[deck]\n", "nations = []\n\n[deck]\n"))
    line, message = syntax(text)
    assert line == line_of(text, "nations = []")
    assert "nations = [] already sets nations" in message
    assert "[[nations]]" in message


def test_a_key_set_twice() -> None:
    text = changed(('label = "Protest"\n', 'label = "Protest"\nlabel = "Complain"\n'))
    line, message = syntax(text)
    assert line == line_of(text, 'label = "Complain"')
    first = line_of(text, 'label = "Protest"')
    assert f"label is set twice in the same table (first at line {first})" in message


def test_a_string_over_several_lines_in_single_quotes() -> None:
    text = changed(
        ('text = "A dozen drones cross into allied airspace at night."', 'text = "A dozen drones\ncross."')
    )
    line, message = syntax(text)
    assert line == line_of(text, 'text = "A dozen drones')
    assert "this string is not closed on its line" in message
    assert '"""' in message


def test_a_string_never_closed() -> None:
    text = STARTER + "\n[[sources]]\nid = 'x\n"
    problem = check_deck_text(text, "x.toml")[0]
    assert (problem.line, problem.column) == (len(text.split("\n")) - 1, 6)
    assert "this string is not closed on its line: a string in '...'" in problem.message


def test_a_string_over_several_lines_in_triple_quotes_is_fine() -> None:
    text = changed(
        (
            'text = "A dozen drones cross into allied airspace at night."',
            'text = """A dozen drones\ncross."""',
        )
    )
    assert check(text) == []


def test_an_array_of_tables_where_one_table_belongs() -> None:
    text = changed(("[deck]\n", "[[deck]]\n"))
    assert check(text) == [
        (
            line_of(text, "[[deck]]"),
            "deck",
            "error",
            "expected a table, got an array: write [deck], one table, not [[deck]] (an array of tables)",
        )
    ]


def test_one_table_where_an_array_of_tables_belongs() -> None:
    text = changed(('[[investments]]\nid = "counter-drone"', '[investments]\nid = "counter-drone"'))
    text = text.replace('[[investments]]\nid = "air-policing"', '[investments.two]\nid = "air-policing"')
    found = check(text)
    assert found[0][:3] == (line_of(text, "[investments]"), "investments", "error")
    assert found[0][3] == (
        "expected an array, got a table: write [[investments]] for each one, not [investments]"
        " (a single table)"
    )


# `wargame deck new`.


def new(*args: str) -> Result:
    return CliRunner().invoke(main, ["deck", "new", *args])


def test_new_makes_the_missing_folders(tmp_path: Path) -> None:
    path = tmp_path / "my" / "decks" / "black-sea.toml"
    done = new(str(path))
    assert done.exit_code == 0, done.output
    assert load_deck(path).info.id == "black-sea"
    assert (path.parent / "deck.schema.json").is_file()


def test_new_keeps_the_letters_of_the_file_name_in_the_title(tmp_path: Path) -> None:
    path = tmp_path / "Marea Neagră.toml"
    done = new(str(path))
    assert done.exit_code == 0, done.output
    info = load_deck(path).info
    assert (info.title, info.id) == ("Marea Neagră", "marea-neagră")
    # Both commands it suggests can be pasted into a shell as they are.
    assert done.stdout.splitlines()[-1] == (
        f"next: edit it, then run  wargame deck check '{path}'  and  wargame simulate '{path}'"
    )
    assert "#     wargame deck check 'Marea Neagră.toml'" in path.read_text("utf-8")


def test_new_makes_a_title_of_a_dashed_name(tmp_path: Path) -> None:
    path = tmp_path / "black_sea-2026.toml"
    assert new(str(path)).exit_code == 0
    info = load_deck(path).info
    assert (info.title, info.id) == ("Black sea 2026", "black-sea-2026")


def test_new_accepts_an_id_of_unicode_letters(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    done = new(str(path), "--id", "ünïcode-2")
    assert done.exit_code == 0, done.output
    assert load_deck(path).info.id == "ünïcode-2"


def test_new_refuses_an_id_with_punctuation(tmp_path: Path) -> None:
    done = new(str(tmp_path / "x.toml"), "--id", "a_b")
    assert done.exit_code == 2
    assert 'expected letters, digits and dashes, got "a_b"' in done.stderr


def test_new_over_a_file_in_place_of_a_folder_is_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "my").write_text("", encoding="utf-8")
    path = tmp_path / "my" / "deck.toml"
    done = new(str(path))
    assert done.exit_code == 1
    assert done.stderr.startswith(f'Error: cannot write "{path}": ')
    assert "Traceback" not in done.output
