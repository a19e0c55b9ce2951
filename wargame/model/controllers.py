"""Who decides for a nation: a person, or the scripted AI playing a persona.

In files and on the command line a controller is text, `human` or `ai:<persona>`; `parse_controller`
turns that text into one of these classes at the edges, and `str()` gives it back. A planning AI
(`Planner(persona)`) will join them: code that only needs a persona asks `persona_in`.
"""

from __future__ import annotations

from attrs import frozen

#: The text of an AI controller starts with this, then the persona's id.
AI_PREFIX = "ai:"


@frozen
class Human:
    """A person decides, at the table."""

    def __str__(self) -> str:
        return "human"


@frozen
class Scripted:
    """The scripted AI decides, playing a persona of the deck."""

    persona: str
    """Id of the persona."""

    def __str__(self) -> str:
        return f"{AI_PREFIX}{self.persona}"


Controller = Human | Scripted

#: The one human controller (all of them are equal).
HUMAN = Human()


class ControllerError(ValueError):
    """Text that names no controller."""


def parse_controller(text: str) -> Controller:
    """`human` or `ai:<persona>` as a controller; `ControllerError` quoting the text otherwise."""
    if text == "human":
        return HUMAN
    persona = text.removeprefix(AI_PREFIX)
    if persona == text or not persona.strip():
        raise ControllerError(f'"{text}" is neither "human" nor "ai:<persona>"')
    return Scripted(persona)


def persona_in(controller: Controller) -> str | None:
    """The persona an AI controller plays, or None for a person."""
    return controller.persona if isinstance(controller, Scripted) else None
