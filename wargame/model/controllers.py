"""Who decides for a nation: a person, or the scripted AI playing a persona.

In files and on the command line a controller is text, `human`, `ai:<persona>`, or
`ai:<persona>:planner` (optionally `ai:<persona>:planner:<rollouts>`); `parse_controller` turns that
text into one of these classes at the edges, and `str()` gives it back. A `Planner` is a `Scripted`
AI that looks ahead (`wargame.ai.planner`): it plays its persona in the futures it samples, so code
that only needs a persona asks `persona_in` (or treats it as any `Scripted`).
"""

from __future__ import annotations

from collections.abc import Mapping

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


@frozen
class Planner(Scripted):
    """The planning AI decides (`wargame.ai.planner`): it plays sampled futures to the end with the
    scripted AI of `persona` and takes the option whose futures end best for its seat."""

    rollouts: int | None = None
    """Sampled futures per option; None: the planner's default (`wargame.ai.planner.default_rollouts`)."""

    def __str__(self) -> str:
        base = f"{AI_PREFIX}{self.persona}{PLANNER_SUFFIX}"
        return base if self.rollouts is None else f"{base}:{self.rollouts}"


#: What follows the persona in a planner's text.
PLANNER_SUFFIX = ":planner"

Controller = Human | Scripted

#: The one human controller (all of them are equal).
HUMAN = Human()


class ControllerError(ValueError):
    """Text that names no controller."""


def parse_controller(text: str) -> Controller:
    """`human`, `ai:<persona>` or `ai:<persona>:planner[:<rollouts>]` as a controller;
    `ControllerError` quoting the text otherwise."""
    if text == "human":
        return HUMAN
    persona = text.removeprefix(AI_PREFIX)
    if persona == text or not persona.strip():
        raise ControllerError(f'"{text}" is neither "human" nor "ai:<persona>"')
    persona, planner, rollouts = persona.partition(PLANNER_SUFFIX)
    if not planner:
        return Scripted(persona)
    # What follows ":planner" is nothing, or ":" and a count of rollouts of at least 1.
    count = rollouts.removeprefix(":")
    counted = count != rollouts and count.isascii() and count.isdigit() and int(count) >= 1
    if not persona.strip() or (rollouts and not counted):
        raise ControllerError(
            f'"{text}" is not "ai:<persona>:planner" or "ai:<persona>:planner:<rollouts>"'
            " (rollouts at least 1)"
        )
    return Planner(persona, int(count) if rollouts else None)


def with_rollouts(controllers: Mapping[str, Controller], rollouts: int | None) -> dict[str, Controller]:
    """The controllers with every planner that names no rollouts given these (`--planner-rollouts`)."""
    return {
        seat: Planner(c.persona, rollouts)
        if rollouts is not None and isinstance(c, Planner) and c.rollouts is None
        else c
        for seat, c in controllers.items()
    }


def persona_in(controller: Controller) -> str | None:
    """The persona an AI controller plays, or None for a person."""
    return controller.persona if isinstance(controller, Scripted) else None
