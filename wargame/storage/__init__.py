"""Files in and out: TOML decks (checked, with every problem located), saves, the JSON Schema.

All user-facing error text about files is made here. The engine never imports this package.
"""

from __future__ import annotations

from pathlib import Path

import wargame
from wargame.storage.decks import (
    DeckError,
    Problem,
    check_deck,
    check_deck_text,
    load_deck,
    load_deck_text,
)

__all__ = [
    "DEFAULT_DECK",
    "DeckError",
    "Problem",
    "bundled_deck_path",
    "bundled_decks",
    "check_deck",
    "check_deck_text",
    "load_deck",
    "load_deck_text",
]

#: The deck `wargame play` uses when none is named.
DEFAULT_DECK = "eastern-flank-2025"


def _decks_folders() -> list[Path]:
    # A wheel puts the repository's decks/ inside the package; a source checkout has it beside.
    package = Path(wargame.__file__).parent
    return [folder for folder in (package / "decks", package.parent / "decks") if folder.is_dir()]


def bundled_decks() -> list[Path]:
    """The deck files that ship with the game, sorted by name."""
    for folder in _decks_folders():
        found = sorted(folder.glob("*.toml"))
        if found:
            return found
    return []


def bundled_deck_path(deck_id: str = DEFAULT_DECK) -> Path:
    """The bundled deck file `<deck_id>.toml`; `FileNotFoundError` if the game has none such."""
    for folder in _decks_folders():
        path = folder / f"{deck_id}.toml"
        if path.is_file():
            return path
    known = ", ".join(f'"{path.stem}"' for path in bundled_decks()) or "none"
    raise FileNotFoundError(f'no bundled deck "{deck_id}" (bundled: {known})')
