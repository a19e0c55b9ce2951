"""The room's settings, kept between sessions: the theme and the large-type layout for projectors.

They live in `settings.toml` in the user's config folder (platformdirs: `~/.config/eastern-flank/` on
Linux), or in `$WARGAME_CONFIG_DIR` when it is set (the tests set it). A file that cannot be read or
holds something else gives a one-line warning and the defaults; it is left as it is until the user
changes a setting, which writes the file anew (atomically, as a save is written).

    [room]
    theme = "textual-dark"      # any theme of the app: `wargame --theme` names three of them
    large_type = false

No textual here: `wargame --help` and the start screen read these names before the UI is imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CONFIG_ENV",
    "DEFAULT_THEME",
    "HIGH_CONTRAST",
    "THEMES",
    "RoomSettings",
    "read_settings",
    "settings_path",
    "write_settings",
]

#: The environment variable naming the folder of the settings file (instead of the user's own).
CONFIG_ENV = "WARGAME_CONFIG_DIR"
#: The high-contrast theme's name (the app registers it: `wargame.tui.app`).
HIGH_CONTRAST = "wargame-high-contrast"
#: The themes `--theme` names, by their short names.
THEMES = {"dark": "textual-dark", "light": "textual-light", "high-contrast": HIGH_CONTRAST}
DEFAULT_THEME = THEMES["dark"]


@dataclass(frozen=True)
class RoomSettings:
    """How the screens look in this room."""

    theme: str = DEFAULT_THEME
    """The Textual theme's name."""
    large_type: bool = False
    """The projector layout: the tracks above the card, no side panels, every line full width."""


def settings_path() -> Path:
    """Where the settings are kept: `$WARGAME_CONFIG_DIR/settings.toml`, else the user's config folder."""
    folder = os.environ.get(CONFIG_ENV)
    if not folder:
        import platformdirs

        folder = platformdirs.user_config_dir("eastern-flank", appauthor=False)
    return Path(folder) / "settings.toml"


def read_settings(path: Path) -> tuple[RoomSettings, str | None]:
    """The settings in `path` (the defaults when there is no file), and a one-line warning when the
    file cannot be read or does not hold settings (then the defaults)."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return RoomSettings(), None
    except (OSError, UnicodeDecodeError) as error:
        return RoomSettings(), _warning(path, str(getattr(error, "strerror", None) or error))
    import tomllib  # only for a file to read: without one, the start screen's first frame comes sooner

    try:
        room = tomllib.loads(text).get("room", {})
    except tomllib.TOMLDecodeError as error:
        return RoomSettings(), _warning(path, f"not TOML ({error})")
    if not isinstance(room, dict):
        return RoomSettings(), _warning(path, "[room] is not a table")
    theme, large_type = room.get("theme", DEFAULT_THEME), room.get("large_type", False)
    if not isinstance(theme, str) or not theme:
        return RoomSettings(), _warning(path, f"room.theme must be a theme's name, not {theme!r}")
    if not isinstance(large_type, bool):
        return RoomSettings(), _warning(path, f"room.large_type must be true or false, not {large_type!r}")
    return RoomSettings(theme, large_type), None


def write_settings(path: Path, settings: RoomSettings) -> str | None:
    """Write the settings to `path` atomically; a one-line message when that fails, else None."""
    import tomli_w

    from wargame.storage.saves import write_atomically

    text = tomli_w.dumps({"room": {"theme": settings.theme, "large_type": settings.large_type}})
    try:
        write_atomically(path, text.encode("utf-8"))
    except OSError as error:
        return f"{path}: the room's settings could not be saved ({error.strerror or error})"
    return None


def _warning(path: Path, problem: str) -> str:
    return f"{path}: {problem}; the default settings are used (the file is left as it is)"
