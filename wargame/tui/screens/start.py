"""The start screen: Enter starts a solo game at once; or choose the deck, seed, players and facilitator
mode, or resume a saved game."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from wargame.model import Controller, Deck
from wargame.session import default_controllers
from wargame.storage import DeckError, Problem, bundled_decks, load_deck
from wargame.storage.saves import SaveError, list_saves, read_save
from wargame.tui.widgets.controllers import ControllerList

__all__ = ["StartScreen", "known_decks"]


def known_decks() -> list[Path]:
    """The bundled decks, then those in the working folder's `decks/` that are not the same files."""
    found = list(bundled_decks())
    seen = {path.resolve() for path in found}
    for path in sorted(Path("decks").glob("*.toml")):
        if path.resolve() not in seen:
            found.append(path)
            seen.add(path.resolve())
    return found


def _problem_text(problem: Problem) -> str:
    """A deck problem without the file name the screen already shows."""
    where = f"line {problem.line}: " if problem.line is not None else ""
    place = f"{problem.path}: " if problem.path else ""
    return f"{where}{place}{problem.message}"


def _facilitator_label(on: bool) -> str:
    """The switch's label says its state in words, not by colour alone."""
    return f"Facilitator mode: {'ON' if on else 'off'}"


class StartScreen(Screen[None]):
    """A new game or a saved one; posts `NewGame` or `ResumeGame` to the app."""

    CSS_PATH = "start.tcss"
    AUTO_FOCUS = "#players"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # noqa: RUF012 - textual's own type
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start", key_display="⏎"),
        Binding("r", "resume", "Resume"),
    ]

    class NewGame(Message):
        """Start a game with these settings."""

        def __init__(
            self,
            deck_path: Path,
            deck: Deck,
            seed: int,
            controllers: dict[str, Controller],
            facilitator: bool,
        ) -> None:
            super().__init__()
            self.deck_path, self.deck, self.seed = deck_path, deck, seed
            self.controllers, self.facilitator = controllers, facilitator

    class ResumeGame(Message):
        """Resume the game saved in this file."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self, deck_path: Path, seed: int, saves_dir: Path | None, facilitator: bool = False) -> None:
        super().__init__()
        self.deck: Deck | None = None
        self.problems: list[str] = []
        self.seed = seed
        self.saves_dir = saves_dir
        self.facilitator = facilitator
        self.decks = known_decks()
        if deck_path.resolve() not in {path.resolve() for path in self.decks}:
            self.decks.insert(0, deck_path)
        self.deck_path = next(path for path in self.decks if path.resolve() == deck_path.resolve())
        self._load(self.deck_path)
        self.saves = list_saves(saves_dir) if saves_dir is not None else []
        self.broken = _unreadable(saves_dir, {path for path, _ in self.saves})
        """Files in the saves folder that are not saves that can be read, with the reason."""
        self.entries = [path for path, _ in self.saves] + [path for path, _ in self.broken]
        """The saved games listed, in order: the readable ones, newest first, then the broken ones."""

    def _load(self, path: Path) -> None:
        self.deck_path = path
        try:
            self.deck, self.problems = load_deck(path), []
        except DeckError as error:
            self.deck, self.problems = None, [_problem_text(problem) for problem in error.problems]

    def compose(self) -> ComposeResult:
        bundled = set(bundled_decks())
        options = [(f"{path.stem}{' (bundled)' if path in bundled else ''}", path) for path in self.decks]
        controllers: dict[str, Controller] = default_controllers(self.deck) if self.deck is not None else {}
        yield Static("Eastern Flank: crisis games on NATO's eastern flank", id="title")
        with Horizontal(id="columns"):
            with VerticalScroll(id="form"):
                with Horizontal(classes="row"):
                    yield Static("Deck", classes="label")
                    yield Select(options, value=self.deck_path, allow_blank=False, compact=True, id="deck")
                with Horizontal(classes="row"):
                    yield Static("File", classes="label")
                    yield Input(placeholder="or a deck file's path + Enter", compact=True, id="path")
                with Horizontal(classes="row"):
                    yield Static("Seed", classes="label")
                    yield Input(str(self.seed), type="integer", compact=True, id="seed")
                yield Checkbox(
                    _facilitator_label(self.facilitator), self.facilitator, compact=True, id="facilitator"
                )
                yield Static("Players  (←→ change, h human/AI)", id="players-title")
                yield ControllerList(self.deck, controllers, id="players")
                yield Button("Start the game: Enter", compact=True, id="start", variant="primary")
            with Vertical(id="aside"):
                yield VerticalScroll(Static(id="about"), id="about-scroll")
                yield Static("Saved games  (r resumes)", id="saves-title")
                yield OptionList(id="saves", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self._show_deck()
        saves = self.query_one("#saves", OptionList)
        if self.entries:
            saves.set_options(
                [Option(self._save_label(path, save)) for path, save in self.saves]
                + [Option(Text(f"✗ {path.name}\n  damaged: r shows why")) for path, _ in self.broken]
            )
            saves.highlighted = 0
        else:
            saves.set_options([Option(Text("No saved games yet.", style="italic"), disabled=True)])

    @staticmethod
    def _save_label(path: Path, save: object) -> Text:
        from wargame.storage.saves import Save

        assert isinstance(save, Save)
        when = save.updated.astimezone().strftime("%Y-%m-%d %H:%M")
        state = f"over: {save.ending}" if save.over else f"round {save.round}, turn {save.turn}"
        return Text(f"{save.deck_id} · seed {save.seed}\n  {state} · saved {when}")

    def _show_deck(self) -> None:
        about = self.query_one("#about", Static)
        if self.deck is None:
            text = Text(f"{self.deck_path} cannot be played until these problems are fixed:\n", style="bold")
            for problem in self.problems:
                text.append(f"✗ {problem}\n", style="")
            about.update(text)
            self.notify(
                f"{self.deck_path.name}: {len(self.problems)} problem(s); see the list",
                title="Deck not loaded",
                severity="error",
            )
        else:
            info = self.deck.info
            text = Text(f"{info.title}", style="bold")
            text.append(f"  {info.rounds} rounds, {len(self.deck.nations)} nations\n", style="italic")
            text.append(info.description)
            red = self.deck.adversary
            if red is not None:
                text.append(f"\n\nThe adversary: {red.name}", style="bold")
                text.append(f" chooses which card to play and where. {red.description}".rstrip())
            about.update(text)
        controllers: dict[str, Controller] = default_controllers(self.deck) if self.deck is not None else {}
        self.query_one(ControllerList).set_deck(self.deck, controllers)

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, Path) and event.value != self.deck_path:
            self._load(event.value)
            self._show_deck()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "path":
            path = Path(event.value.strip())
            with contextlib.suppress(RuntimeError):  # "~nobody/deck.toml": no such home, no such file
                path = path.expanduser()
            if event.value.strip():
                self._load(path)
                self._show_deck()
                if self.deck is not None:
                    self.query_one(ControllerList).focus()
        else:
            self.action_start()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = _facilitator_label(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_start()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.ResumeGame(self.entries[event.option_index]))

    def action_start(self) -> None:
        if self.deck is None:
            self.notify("Choose a deck that loads first.", title="Cannot start", severity="error")
            return
        raw = self.query_one("#seed", Input).value.strip()
        try:
            seed = int(raw) if raw else self.seed
        except ValueError:
            self.notify(f"The seed must be a whole number, not {raw!r}.", severity="error")
            return
        if not -(2**63) <= seed < 2**63:  # what a save can hold: TOML integers are 64-bit
            self.notify("The seed must be between -2**63 and 2**63 - 1.", severity="error")
            return
        controllers = dict(self.query_one(ControllerList).controllers)
        facilitator = self.query_one("#facilitator", Checkbox).value
        self.post_message(self.NewGame(self.deck_path, self.deck, seed, controllers, facilitator))

    def action_resume(self) -> None:
        if not self.entries:
            self.notify("There is no saved game to resume.", severity="warning")
            return
        highlighted = self.query_one("#saves", OptionList).highlighted or 0
        self.post_message(self.ResumeGame(self.entries[highlighted]))


def _unreadable(folder: Path | None, readable: set[Path]) -> list[tuple[Path, str]]:
    """The `*.toml` files of the saves folder that cannot be read as saves, and why."""
    found: list[tuple[Path, str]] = []
    if folder is None:
        return found
    with contextlib.suppress(OSError):
        for path in sorted(folder.glob("*.toml")):
            if path not in readable:
                try:
                    read_save(path)
                except SaveError as error:
                    found.append((path, str(error)))
    return found
