"""The project's one cattrs converter: TOML data in, model classes out, strictly.

cattrs by default coerces ("7" becomes 7, 2.9 becomes 2); a deck designer who writes a wrong type
deserves an error instead, so every scalar hook here checks the type and never converts. Errors are
small `ValueError` subclasses whose messages read well on their own (`expected an integer, got the
string "7"`); `wargame.storage.decks` turns cattrs' exception groups into located problems.

Field names follow the attrs metadata key `toml` when it is set (`Deck.info` is the `[deck]` table).

Only storage imports this module: the engine never depends on cattrs.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Mapping
from difflib import get_close_matches
from typing import Any, Literal, TypeVar, get_args, get_origin

import attrs
from cattrs import Converter
from cattrs.cols import homogenous_tuple_structure_factory, is_mapping, mapping_structure_factory
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from wargame.model.deck import Cost

__all__ = [
    "UnknownChoiceError",
    "WrongTypeError",
    "converter",
    "describe",
    "make_converter",
    "quote",
    "toml_key",
    "toml_keys",
]

T = TypeVar("T")

#: The attrs field metadata key that renames a field in TOML.
TOML_KEY = "toml"


class WrongTypeError(ValueError):
    """A value of the wrong TOML type, e.g. a string where an integer belongs."""

    def __init__(self, expected: str, value: object) -> None:
        super().__init__(f"expected {expected}, got {describe(value)}")
        self.expected = expected
        self.value = value


class UnknownChoiceError(ValueError):
    """A value outside a fixed set of words, e.g. an ending `kind` that is not "defeat"/"final"."""

    def __init__(self, value: object, choices: tuple[object, ...]) -> None:
        words = ", ".join(quote(choice) for choice in choices)
        message = f"expected one of {words}, got {describe(value)}"
        if isinstance(value, str):
            close = get_close_matches(value, [str(c) for c in choices], n=1)
            if close:
                message += f" (did you mean {quote(close[0])}?)"
        super().__init__(message)
        self.value = value
        self.choices = choices


def quote(value: object) -> str:
    """A value as TOML would spell it: strings in double quotes, booleans lower-case."""
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def describe(value: object) -> str:
    """A value's TOML type and, for scalars, the value: `the string "7"`, `a table`."""
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {quote(shown)}"
    if isinstance(value, bool):
        return f"the boolean {quote(value)}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the float {value}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, datetime.datetime):
        return f"the date-time {value.isoformat()}"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, datetime.time):
        return f"the time {value.isoformat()}"
    return f"a {type(value).__name__}"


def toml_key(field: attrs.Attribute[Any]) -> str:
    """The key a field is spelled with in TOML."""
    return str(field.metadata.get(TOML_KEY, field.name))


def toml_keys(cls: type) -> list[str]:
    """The TOML keys an attrs class accepts, in field order."""
    return [toml_key(field) for field in attrs.fields(cls) if field.init]


# Strict scalars. `bool` is a subclass of `int` in Python, but `true` is no number in a deck.


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise WrongTypeError("an integer", value)


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):  # TOML allows nan and inf; no weight or chance means them
            raise WrongTypeError("a finite number", value)
        return float(value)
    raise WrongTypeError("a number", value)


def _structure_str(value: object, _: type) -> str:
    if isinstance(value, str):
        return value
    raise WrongTypeError("a string", value)


def _structure_bool(value: object, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise WrongTypeError("true or false", value)


def _structure_literal(value: object, literal: Any) -> Any:
    choices = get_args(literal)
    # `1 == True` in Python; compare the type too so `kind = true` is not taken for a choice.
    for choice in choices:
        if type(value) is type(choice) and value == choice:
            return choice
    raise UnknownChoiceError(value, choices)


#: A card's `target`: one word or id, or a list of nation ids.
TargetSpec = str | tuple[str, ...]


def _structure_target(value: object, _: Any) -> str | tuple[str, ...]:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        targets = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise WrongTypeError(f"a nation id (item {index + 1} of the array)", item)
            targets.append(item)
        return tuple(targets)
    raise WrongTypeError("a string or an array of nation ids", value)


def _cost_hook(conv: Converter) -> Callable[[Any, Any], Any]:
    """A response's or investment's `cost`: an integer (treasury), or a table of stat = integer whose
    wrong values are reported at their own keys (`cost.interceptors`)."""
    stat_amounts: Any = Mapping[str, int]

    def structure_cost(value: object, _: Any) -> Cost:
        if isinstance(value, Mapping):
            amounts: Mapping[str, int] = conv.structure(value, stat_amounts)
            return amounts
        # Worded as a plain integer's error, as before tables were allowed: most costs are integers.
        return _structure_int(value, int)

    return structure_cost


def _is_literal(cls: Any) -> bool:
    return get_origin(cls) is Literal


def _is_homogenous_tuple(cls: Any) -> bool:
    args = get_args(cls)
    return get_origin(cls) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_factory(cls: Any, conv: Converter) -> Callable[[Any, Any], Any]:
    # cattrs would iterate any iterable: a string would become a tuple of letters.
    inner = homogenous_tuple_structure_factory(cls, conv)

    def structure_tuple(value: object, cls: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise WrongTypeError("an array", value)
        return inner(value, cls)

    return structure_tuple


def _mapping_factory(cls: Any, conv: Converter) -> Callable[[Any, Any], Any]:
    inner = mapping_structure_factory(cls, conv)

    def structure_mapping(value: object, cls: Any) -> Any:
        if not isinstance(value, Mapping):
            raise WrongTypeError("a table", value)
        return inner(value, cls)

    return structure_mapping


def _attrs_structure_factory(cls: Any, conv: Converter) -> Callable[[Any, Any], Any]:
    attrs.resolve_types(cls)
    renames = {
        field.name: override(rename=toml_key(field))
        for field in attrs.fields(cls)
        if TOML_KEY in field.metadata
    }
    inner = make_dict_structure_fn(cls, conv, **renames)  # type: ignore[arg-type]

    def structure_table(value: object, cls: Any) -> Any:
        if not isinstance(value, Mapping):
            raise WrongTypeError("a table", value)
        return inner(value, cls)

    return structure_table


def _attrs_unstructure_factory(cls: Any, conv: Converter) -> Callable[[Any], Any]:
    attrs.resolve_types(cls)
    renames = {
        field.name: override(rename=toml_key(field))
        for field in attrs.fields(cls)
        if TOML_KEY in field.metadata
    }
    return make_dict_unstructure_fn(cls, conv, **renames)  # type: ignore[arg-type]


def make_converter() -> Converter:
    """A new strict converter; `converter` below is the shared one."""
    conv = Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook_factory(_is_literal, lambda cls: _structure_literal)
    conv.register_structure_hook_func(lambda cls: cls == TargetSpec, _structure_target)
    conv.register_structure_hook_func(lambda cls: cls == Cost, _cost_hook(conv))
    conv.register_structure_hook_factory(_is_homogenous_tuple, _tuple_factory)
    conv.register_structure_hook_factory(is_mapping, _mapping_factory)
    conv.register_structure_hook_factory(attrs.has, _attrs_structure_factory)
    conv.register_unstructure_hook_factory(attrs.has, _attrs_unstructure_factory)
    return conv


#: The converter the whole project shares (decks now, saves too).
converter = make_converter()
