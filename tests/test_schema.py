"""The JSON Schema of deck files: generated from the model, committed, and true to the decks."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from wargame.cli import main
from wargame.model.deck import Deck, Track
from wargame.storage.schema import DRAFT, SCHEMA_LINE, deck_schema, field_docs, schema_text

TESTS = Path(__file__).parent
ROOT = TESTS.parent
COMMITTED = ROOT / "decks" / "deck.schema.json"
BROKEN = TESTS / "decks" / "broken"
STARTER = ROOT / "wargame" / "storage" / "starter.toml"
BUNDLED = sorted((ROOT / "decks").glob("*.toml"))
RED = TESTS / "decks" / "red.toml"
VALID = [
    *BUNDLED,
    TESTS / "decks" / "mini.toml",
    TESTS / "decks" / "postures.toml",
    RED,
    STARTER,
    *sorted((TESTS / "decks" / "v1").glob("*.toml")),
]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(json.loads(COMMITTED.read_text("utf-8")))


def errors(validator: jsonschema.Draft4Validator, path: Path) -> list[tuple[str, str]]:
    data = tomllib.loads(path.read_text("utf-8"))
    return sorted((error.json_path, error.message) for error in validator.iter_errors(data))


def test_the_committed_schema_is_the_generated_one() -> None:
    assert COMMITTED.read_text("utf-8") == schema_text(), (
        "decks/deck.schema.json differs from what the model generates: "
        "run `wargame deck schema > decks/deck.schema.json`"
    )


def test_the_schema_is_draft_4_as_editors_read_it() -> None:
    schema = deck_schema()
    jsonschema.Draft4Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT == "http://json-schema.org/draft-04/schema#"
    assert '"const"' not in schema_text()
    # Draft 4 ignores keywords beside a `$ref`: a reference that carries a description is wrapped.
    for definition in [schema, *schema["definitions"].values()]:
        assert definition["additionalProperties"] is False
        for prop in definition["properties"].values():
            assert "$ref" not in prop or set(prop) == {"$ref"}


def test_the_schema_follows_the_model() -> None:
    schema = deck_schema()
    props, defs = schema["properties"], schema["definitions"]
    assert list(props) == [
        "deck",
        "tracks",
        "stats",
        "nations",
        "personas",
        "cards",
        "endings",
        "consultation",
        "investments",
        "extra_draws",
        "drift",
        "adversary",
        "sources",
        "council",
        "postures",
    ]
    assert schema["required"] == ["deck", "tracks", "stats", "nations", "personas", "cards", "endings"]
    assert props["deck"] == {
        "allOf": [{"$ref": "#/definitions/DeckInfo"}],
        "description": "The `[deck]` table.",
    }
    assert "_cards" not in props  # init=False fields are not in the file
    assert props["tracks"]["additionalProperties"] == {"$ref": "#/definitions/Track"}
    assert props["cards"]["items"] == {"$ref": "#/definitions/Card"}
    assert props["investments"]["default"] == []
    assert defs["Ending"]["properties"]["kind"]["enum"] == ["defeat", "final"]
    assert defs["Ending"]["properties"]["kind"]["type"] == "string"
    assert defs["Response"]["properties"]["chance"]["type"] == "integer"  # `int | None`: optional
    assert "default" not in defs["Response"]["properties"]["chance"]
    assert "chance" not in defs["Response"]["required"]
    # Bounded as deck check bounds them (deck_rules.MAX_AMOUNT; a weight is finite).
    assert defs["Effect"]["properties"]["tracks"]["additionalProperties"] == {
        "type": "integer",
        "minimum": -1_000_000,
        "maximum": 1_000_000,
    }
    assert defs["Persona"]["properties"]["tracks"]["additionalProperties"] == {
        "type": "number",
        "minimum": -sys.float_info.max,
        "maximum": sys.float_info.max,
    }
    assert defs["Persona"]["properties"]["risk_aversion"]["default"] == 1.0
    assert "required" not in defs["Effect"]  # draft 4 wants `required` non-empty, or absent
    track = defs["Track"]
    assert track["description"] == "An alliance-wide track such as cohesion or escalation (`[tracks.<id>]`)."
    assert track["required"] == ["name", "min", "max", "start"]
    assert track["properties"]["higher_is_better"] == {
        "type": "boolean",
        "description": "Whether a rising value is good news for the alliance (false for escalation).",
        "default": True,
    }


def test_field_docs_are_the_strings_after_the_fields() -> None:
    docs = field_docs(Track)
    assert list(docs) == ["name", "min", "max", "start", "description", "higher_is_better"]
    assert docs["start"] == "Value at the start of a game."
    assert "_cards" not in field_docs(Deck)


@pytest.mark.parametrize("path", VALID, ids=lambda path: path.name)
def test_valid_decks_match_the_schema(validator: jsonschema.Draft4Validator, path: Path) -> None:
    assert errors(validator, path) == []


@pytest.mark.parametrize("path", BUNDLED, ids=lambda path: path.name)
def test_bundled_decks_point_at_the_schema(path: Path) -> None:
    assert path.read_text("utf-8").startswith(SCHEMA_LINE + "\n")


def test_the_starter_deck_points_at_the_schema() -> None:
    assert STARTER.read_text("utf-8").startswith("#:schema ./deck.schema.json\n")


def test_the_schema_rejects_an_unknown_key(validator: jsonschema.Draft4Validator) -> None:
    assert errors(validator, BROKEN / "unknown-key.toml") == [
        (
            "$.tracks.cohesion",
            "Additional properties are not allowed ('descripton' was unexpected)",
        )
    ]


def test_the_schema_rejects_wrong_types(validator: jsonschema.Draft4Validator) -> None:
    assert errors(validator, BROKEN / "wrong-type-deep.toml") == [
        ("$.cards[1].responses[0].cost", "'one' is not of type 'integer', 'object'")
    ]
    found: list[tuple[str, str]] = errors(validator, BROKEN / "many-types.toml")
    assert found == [
        ("$.cards[0].copies", "2.9 is not of type 'integer'"),
        ("$.cards[1].responses[0].cost", "'one' is not of type 'integer', 'object'"),
        ("$.deck", "'title' is a required property"),
        ("$.deck.rounds", "'7' is not of type 'integer'"),
        ("$.endings[2].kind", "'finale' is not one of ['defeat', 'final']"),
        ("$.tracks.cohesion", "Additional properties are not allowed ('colour' was unexpected)"),
    ]


def test_deck_schema_prints_or_writes_the_schema(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(main, ["deck", "schema"])
    assert (printed.exit_code, printed.stdout) == (0, schema_text())
    target = tmp_path / "deck.schema.json"
    target.write_text("old", encoding="utf-8")
    written = runner.invoke(main, ["deck", "schema", "-o", str(target)])
    assert (written.exit_code, written.stdout) == (0, "")
    loaded: Any = json.loads(target.read_text("utf-8"))
    assert loaded == deck_schema()
    missing = tmp_path / "no" / "deck.schema.json"
    failed = runner.invoke(main, ["deck", "schema", "-o", str(missing)])
    assert failed.exit_code == 1
    assert f'cannot write "{missing}": no such folder' in failed.stderr


def test_the_schema_knows_the_rules_v2_keys() -> None:
    schema = deck_schema()
    props, defs = schema["properties"], schema["definitions"]
    assert props["adversary"] == {
        "allOf": [{"$ref": "#/definitions/Adversary"}],
        "description": (
            "The adversary that chooses which card to play and where; none: cards are drawn blind (v1)."
        ),
    }
    assert "adversary" not in schema["required"]
    # A card's target: one word or id, or a list of nation ids.
    assert defs["Card"]["properties"]["target"]["type"] == ["string", "array"]
    assert defs["Card"]["properties"]["target"]["items"] == {
        "type": "string",
        "not": {"enum": ["frontline", "any", "alliance"]},
    }
    assert defs["Card"]["properties"]["attribution"]["additionalProperties"] is False
    assert defs["Card"]["properties"]["attribution"]["patternProperties"] == {
        "^[A-Za-z0-9_-]+$": {"type": "integer", "minimum": 0, "maximum": 1_000_000}
    }
    assert defs["Adversary"]["required"] == ["id", "name", "persona", "personas"]
    assert defs["Adversary"]["properties"]["stats"]["additionalProperties"] == {
        "$ref": "#/definitions/AdversaryStat"
    }
    assert defs["RedPersona"]["properties"]["prefers"]["items"] == {"$ref": "#/definitions/Preference"}
    assert defs["Condition"]["properties"]["consultation"]["enum"] == ["unified", "restrained", "split"]
    assert defs["Response"]["properties"]["if_wrong"]["allOf"] == [{"$ref": "#/definitions/Effect"}]
    assert "default" not in defs["Response"]["properties"]["reveal"]  # `int | None`: not set
    assert defs["DeckInfo"]["properties"]["sealed_votes"]["default"] is False


def test_the_schema_checks_the_rules_v2_keys(validator: jsonschema.Draft4Validator, tmp_path: Path) -> None:
    text = RED.read_text("utf-8")
    for old, new in [
        ('target = ["EST", "POL"]', "target = 3"),
        ("hand = 3", 'hand = "3"'),
        ('when = [{ consultation = "split" }]', 'when = [{ consultation = "splt" }]'),
        ("[adversary.personas.prober]\n", "[adversary.personas.prober]\ncolour = 1\n"),
    ]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    broken = tmp_path / "red.toml"
    broken.write_text(text, encoding="utf-8")
    assert errors(validator, broken) == [
        ("$.adversary.hand", "'3' is not of type 'integer'"),
        (
            "$.adversary.personas.divider.prefers[0].when[0].consultation",
            "'splt' is not one of ['unified', 'restrained', 'split']",
        ),
        ("$.adversary.personas.prober", "Additional properties are not allowed ('colour' was unexpected)"),
        ("$.cards[1].target", "3 is not of type 'string', 'array'"),
    ]
