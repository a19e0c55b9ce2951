"""The start screen: Enter starts a solo game at once; or choose the deck, seed, facilitator mode, the
decision timer (what happens when it runs out) and the AI's pause, and the players; or resume a saved
game.

Enter starts the game from every field but the lists that open on it (the deck, the time-out); the
facilitator switch toggles with Space only, so Enter there starts the game as everywhere else.

The screen's first frame is light: the title, what Enter and r do at once, and the footer. The form
(`StartForm`, some 180 nodes whose styles are most of Textual's work at start) is mounted just after it
(`lay_out`), and the deck lists, the deck itself, the players and the saved games are filled in then
(`fill`); the game's code is imported only then. So `wargame` shows its screen about as fast as any
Textual app (benchmarks/startup.py). Enter or r pressed before the form is there start a solo game on
the deck the form would show, or resume the newest saved game, as they would on the form."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, get_args

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from wargame.pace import AI_DELAY, TURN_TIMER_MAX, TURN_TIMER_MIN, ai_delay_bounds, is_ai_delay
from wargame.tui.widgets.controllers import ControllerList
from wargame.tui.widgets.picker import Picker

if TYPE_CHECKING:
    from wargame.model import Controller, Deck
    from wargame.session import Difficulty
    from wargame.session.timer import OnTimeout
    from wargame.storage import Problem
    from wargame.storage.saves import Save

__all__ = ["StartScreen", "known_decks"]


def known_decks() -> list[Path]:
    """The bundled decks, then those in the working folder's `decks/` that are not the same decks: not
    the same files, nor copies byte for byte (run from the project's folder, an installed game finds
    its bundled decks twice)."""
    import hashlib

    from wargame.storage import bundled_decks

    found: list[Path] = []
    seen: set[Path | str] = set()  # resolved paths and the files' digests
    for path in [*bundled_decks(), *sorted(Path("decks").glob("*.toml"))]:
        keys: set[Path | str] = {path.resolve()}
        with contextlib.suppress(OSError):
            keys.add(hashlib.sha256(path.read_bytes()).hexdigest())
        if not keys & seen:
            found.append(path)
        seen |= keys
    return found


def deck_labels(decks: list[Path]) -> list[str]:
    """The deck list's lines: a deck's file name, `(bundled)` for the game's own; the path of a deck
    named like another one (an edited copy of a bundled deck), so the two can be told apart."""
    from wargame.storage import bundled_decks

    bundled = set(bundled_decks())
    stems = [path.stem for path in decks]
    labels = []
    for path in decks:
        if path in bundled:
            labels.append(f"{path.stem} (bundled)")
        else:
            labels.append(path.stem if stems.count(path.stem) == 1 else str(path))
    return labels


def _problem_text(problem: Problem) -> str:
    """A deck problem without the file name the screen already shows."""
    where = f"line {problem.line}: " if problem.line is not None else ""
    place = f"{problem.path}: " if problem.path else ""
    return f"{where}{place}{problem.message}"


def _facilitator_label(on: bool) -> str:
    """The switch's label says its state in words, not by colour alone."""
    return f"Facilitator mode: {'ON' if on else 'off'}"


#: The difficulties of a solo game as the list shows them (`wargame.session.with_difficulty`, here
#: as words so that the form needs no import of the game's code).
DIFFICULTY_WORDS: list[tuple[str, Difficulty]] = [
    ("easy: the AI nations plan", "easy"),
    ("normal: every AI scripted", "normal"),
    ("hard: the adversary plans", "hard"),
]


#: What each time-out choice does, in words (a choice not named here shows as itself).
TIMEOUT_WORDS = {"wait": "say so and wait", "ai": "the AI decides"}


def timeout_options() -> list[tuple[str, OnTimeout]]:
    """The time-out choices, as `--on-timeout` offers them."""
    from wargame.session.timer import OnTimeout

    return [(TIMEOUT_WORDS.get(value, value), value) for value in get_args(OnTimeout)]


def seconds_text(seconds: float | None) -> str:
    """A field's text for a number of seconds: `90`, `0.6`; empty for none."""
    return "" if seconds is None else f"{seconds:g}"


def _large_type_label(on: bool) -> str:
    """The projector layout's switch, its state in words."""
    return f"Large type (projector): {'ON' if on else 'off'}"


class Switch(Checkbox, inherit_bindings=False):
    """A checkbox that Space toggles (and a click); Enter goes on to the screen, which starts the game."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "toggle_button", "Toggle", show=False)]


#: The start screen's top line.
TITLE = "Eastern Flank: crisis games on NATO's eastern flank"


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
            turn_timer: float | None = None,
            on_timeout: OnTimeout = "wait",
            ai_delay: float = AI_DELAY,
            large_type: bool = False,
        ) -> None:
            super().__init__()
            self.deck_path, self.deck, self.seed = deck_path, deck, seed
            self.controllers, self.facilitator = controllers, facilitator
            self.turn_timer, self.on_timeout, self.ai_delay = turn_timer, on_timeout, ai_delay
            self.large_type = large_type

    class ResumeGame(Message):
        """Resume the game saved in this file."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(
        self,
        deck_path: Path | None,
        seed: int | None,
        saves_dir: Path | None,
        facilitator: bool = False,
        *,
        turn_timer: float | None = None,
        on_timeout: OnTimeout = "wait",
        ai_delay: float = AI_DELAY,
        large_type: bool = False,
        difficulty: Difficulty = "normal",
    ) -> None:
        """`deck_path`: the deck shown first (None: the bundled one); `seed`: None for a random one;
        `facilitator`, `turn_timer`, `on_timeout`, `ai_delay`, `large_type`, `difficulty`: what the
        fields show at first."""
        super().__init__()
        self.deck: Deck | None = None
        self.problems: list[str] = []
        self.seed = seed
        self.saves_dir = saves_dir
        self.facilitator = facilitator
        self.turn_timer, self.on_timeout, self.ai_delay = turn_timer, on_timeout, ai_delay
        self.large_type = large_type
        self.difficulty: Difficulty = difficulty
        self.deck_path: Path | None = deck_path
        self.decks: list[Path] = []
        self.saves: list[tuple[Path, Save]] = []
        self.broken: list[tuple[Path, str]] = []
        """Files in the saves folder that are not saves that can be read, with the reason."""
        self.entries: list[Path] = []
        """The saved games listed, in order: the readable ones, newest first, then the broken ones."""
        self.found = False
        """Whether the decks, the deck, the seed and the saved games are found (`find`)."""
        self.laid_out = False
        """Whether the form is mounted (`lay_out`): until then Enter and r go by the values above."""
        self.ready = False
        """Whether the form shows the decks, the deck, the players and the saved games (`fill`)."""

    def find(self) -> None:
        """Draw the seed, find the decks, load the one to show, list the saved games (once: when the
        form is filled in, or first when Enter or r comes before the form)."""
        if self.found:
            return
        self.found = True
        from wargame.session import random_seed
        from wargame.storage import bundled_deck_path
        from wargame.storage.saves import list_saves

        if self.seed is None:
            self.seed = random_seed()
        self.decks = known_decks()
        deck_path = self.deck_path
        if deck_path is None:
            try:
                deck_path = bundled_deck_path()
            except FileNotFoundError as error:  # a broken installation: said on the screen
                deck_path, self.problems = Path("eastern-flank-2025.toml"), [str(error)]
        if deck_path.resolve() not in {path.resolve() for path in self.decks}:
            self.decks.insert(0, deck_path)
        self.deck_path = next(path for path in self.decks if path.resolve() == deck_path.resolve())
        if not self.problems:
            self._load(self.deck_path)
        self.saves = list_saves(self.saves_dir) if self.saves_dir is not None else []
        self.broken = _unreadable(self.saves_dir, {path for path, _ in self.saves})
        self.entries = [path for path, _ in self.saves] + [path for path, _ in self.broken]

    def fill(self) -> None:
        """Show what `find` found on the form (once; just after the form is mounted, or at once when
        one of its fields needs it first)."""
        if self.ready:
            return
        self.ready = True
        self.find()
        seed = self.query_one("#seed", Input)
        if not seed.value:
            seed.value = str(self.seed)
        assert self.deck_path is not None
        deck = self.query_one("#deck", Select)
        with self.prevent(Select.Changed):
            deck.set_options(zip(deck_labels(self.decks), self.decks, strict=True))
            deck.value = self.deck_path
        timeout = self.query_one("#on-timeout", Select)
        with self.prevent(Select.Changed):
            timeout.set_options(timeout_options())
            timeout.value = self.on_timeout
        self._show_deck()
        self._show_saves()

    def _load(self, path: Path) -> None:
        from wargame.storage import DeckError, load_deck

        self.deck_path = path
        try:
            self.deck, self.problems = load_deck(path), []
        except DeckError as error:
            self.deck, self.problems = None, [_problem_text(problem) for problem in error.problems]

    def compose(self) -> ComposeResult:
        yield Static(TITLE, id="title")
        yield Static(self._at_once(), id="at-once")
        yield Footer()

    def _at_once(self) -> str:
        """The first frame's line: what Enter and r do before the form is there."""
        deck = "the bundled deck" if self.deck_path is None else self.deck_path.name
        return f"Enter: a solo game on {deck}   r: resume the newest saved game\n\nThe form is on its way…"

    def on_mount(self) -> None:
        self.call_after_refresh(self.lay_out)

    async def lay_out(self) -> None:
        """Mount the form in place of the first frame's line, then fill it in (just after the first
        frame, so that the frame does not wait for the form's styles)."""
        await self.query_one("#at-once").remove()
        await self.mount(StartForm(self), before=self.query_one(Footer))
        self.laid_out = True
        if self.is_current:  # not when Enter or r pressed meanwhile has left the screen
            self.fill()
            if self.focused is None:
                self.query_one("#players").focus()

    def _show_saves(self) -> None:
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
    def _save_label(path: Path, save: Save) -> Text:
        return save_label(path, save)

    def _show_deck(self) -> None:
        from wargame.session import default_controllers, with_difficulty

        assert self.deck_path is not None
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
        controllers: dict[str, Controller] = {}
        if self.deck is not None:
            controllers = with_difficulty(self.deck, default_controllers(self.deck), self.difficulty)
        players = self.query_one(ControllerList)
        players.empty = ControllerList.empty
        players.set_deck(self.deck, controllers)

    def on_select_changed(self, event: Select.Changed) -> None:
        self.fill()
        if event.select.id == "difficulty":
            self._seat_difficulty(event.value)
            return
        if event.value == Select.BLANK:  # the lists' blank line held "…" until `fill`: not a choice
            with self.prevent(Select.Changed):
                if event.select.id == "deck":
                    self.query_one("#deck", Select).value = self.deck_path
                else:
                    self.query_one("#on-timeout", Select).value = self.on_timeout
            return
        if isinstance(event.value, Path) and event.value != self.deck_path:
            self._load(event.value)
            self._show_deck()

    def _seat_difficulty(self, chosen: object) -> None:
        """Show the difficulty's planners in the players' list (a seat changed afterwards keeps its
        change: the list is what the game gets)."""
        from wargame.session import with_difficulty

        difficulty = next((value for _, value in DIFFICULTY_WORDS if value == chosen), None)
        if difficulty is None or self.deck is None:
            return
        self.difficulty = difficulty
        players = self.query_one(ControllerList)
        players.controllers = with_difficulty(self.deck, players.controllers, difficulty)
        players.refresh()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.fill()
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
        label = _large_type_label if event.checkbox.id == "large-type" else _facilitator_label
        event.checkbox.label = label(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_start()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.fill()
        self.post_message(self.ResumeGame(self.entries[event.option_index]))

    def action_start(self) -> None:
        if not self.laid_out:
            self._start_at_once()
            return
        self.fill()
        if self.deck is None or self.deck_path is None or self.seed is None:
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
        timing = self._timing()
        if timing is None:
            return
        turn_timer, on_timeout, ai_delay = timing
        # The list already shows the difficulty's planners (`on_select_changed`) and any seat changed
        # since: it is what the game gets.
        controllers = dict(self.query_one(ControllerList).controllers)
        facilitator = self.query_one("#facilitator", Checkbox).value
        large_type = self.query_one("#large-type", Checkbox).value
        self.post_message(
            self.NewGame(
                self.deck_path,
                self.deck,
                seed,
                controllers,
                facilitator,
                turn_timer,
                on_timeout,
                ai_delay,
                large_type,
            )
        )

    def _start_at_once(self) -> None:
        """Enter before the form is there: a game on the deck the form would show, with the values its
        fields would hold and each seat's default player (a person at the first frontline nation)."""
        from wargame.session import default_controllers, with_difficulty

        self.find()
        if self.deck is None or self.deck_path is None or self.seed is None:
            self.notify("Choose a deck that loads first.", title="Cannot start", severity="error")
            return
        self.post_message(
            self.NewGame(
                self.deck_path,
                self.deck,
                self.seed,
                with_difficulty(self.deck, default_controllers(self.deck), self.difficulty),
                self.facilitator,
                self.turn_timer,
                self.on_timeout,
                self.ai_delay,
                self.large_type,
            )
        )

    def _timing(self) -> tuple[float | None, OnTimeout, float] | None:
        """The timer (None: none), what happens when it runs out, and the AI's pause, as the fields
        say; None, with a message, when a field holds no such number (as `--turn-timer` and
        `--ai-delay` refuse it)."""
        raw = self.query_one("#timer", Input).value.strip()
        turn_timer = _seconds(raw) if raw else 0.0
        from wargame.model.turn_timer import bounds_text, is_turn_timer

        if turn_timer is None or not (turn_timer == 0 or is_turn_timer(turn_timer)):
            self.notify(
                f"The turn timer must be a number of seconds {bounds_text()}, or empty (or 0) for none;"
                f" not {raw!r}.",
                title="Cannot start",
                severity="error",
            )
            return None
        raw = self.query_one("#ai-delay", Input).value.strip()
        ai_delay = _seconds(raw) if raw else AI_DELAY
        if ai_delay is None or not is_ai_delay(ai_delay):
            self.notify(
                f"The AI's pause must be a number of seconds {ai_delay_bounds()}; not {raw!r}.",
                title="Cannot start",
                severity="error",
            )
            return None
        selected = self.query_one("#on-timeout", Select).value  # it has no blank
        on_timeout = next(value for _, value in timeout_options() if value == selected)
        return turn_timer or None, on_timeout, ai_delay

    def action_resume(self) -> None:
        if self.laid_out:
            self.fill()
        else:
            self.find()  # r before the form: the newest saved game, highlighted first on the form
        if not self.entries:
            self.notify("There is no saved game to resume.", severity="warning")
            return
        highlighted = (self.query_one("#saves", OptionList).highlighted if self.laid_out else None) or 0
        self.post_message(self.ResumeGame(self.entries[highlighted]))


class StartForm(Horizontal):
    """The start screen's form and, beside it, the deck's description and the saved games; the
    fields show the screen's values at first (the lists are filled in by `StartScreen.fill`)."""

    def __init__(self, screen: StartScreen) -> None:
        super().__init__(id="columns")
        self.start_screen = screen

    def compose(self) -> ComposeResult:
        screen = self.start_screen
        with VerticalScroll(id="form"):
            with Horizontal(classes="row"):
                yield Static("Deck", classes="label")
                yield Select([], prompt="…", compact=True, id="deck")  # filled in by `fill`
            with Horizontal(classes="row"):
                yield Static("File", classes="label")
                yield Input(placeholder="or a deck file's path + Enter", compact=True, id="path")
            with Horizontal(classes="row"):
                yield Static("Seed", classes="label")
                seed = "" if screen.seed is None else str(screen.seed)
                yield Input(seed, placeholder="random", type="integer", compact=True, id="seed")
            yield Switch(
                _facilitator_label(screen.facilitator), screen.facilitator, compact=True, id="facilitator"
            )
            with Horizontal(classes="row"):
                yield Static("Timer", classes="label")
                yield Input(
                    seconds_text(screen.turn_timer),
                    placeholder="none",
                    compact=True,
                    id="timer",
                    tooltip=f"Seconds for each human decision, {TURN_TIMER_MIN} to {TURN_TIMER_MAX};"
                    " empty for none",
                )
                yield Static(" s · when up ", classes="unit")
                yield Select([], prompt="…", compact=True, id="on-timeout")  # filled in by `fill`
            with Horizontal(classes="row"):
                yield Static("AI", classes="label")
                yield Input(
                    seconds_text(screen.ai_delay),
                    compact=True,
                    id="ai-delay",
                    tooltip=f"Seconds of pause before each AI decision, {ai_delay_bounds()}",
                )
                yield Static(" s pause before each AI decision", classes="unit")
            with Horizontal(classes="row"):
                yield Static("Difficulty", classes="label", id="difficulty-label")
                yield Select(
                    DIFFICULTY_WORDS,
                    value=screen.difficulty,
                    allow_blank=False,
                    compact=True,
                    id="difficulty",
                    tooltip="Who of the AI seats plans ahead (the planner); seats people play stay theirs",
                )
            yield Switch(
                _large_type_label(screen.large_type), screen.large_type, compact=True, id="large-type"
            )
            yield Static("Players  (←→ change, h human/AI, p plans)", id="players-title")
            players = ControllerList(None, {}, id="players")
            players.empty = "Loading the deck…"
            yield players
            yield Button("Start the game: Enter", compact=True, id="start", variant="primary")
        with Vertical(id="aside"):
            yield VerticalScroll(Static(id="about"), id="about-scroll")
            yield Static("Saved games  (r resumes)", id="saves-title")
            yield Picker(id="saves", compact=True)


def save_label(path: Path, save: Save) -> Text:
    """A saved game in the list, so that two sessions of the same deck and seed can be told apart: its
    file; who plays (the seats people play, facilitator mode and the timer); how far it went (the round
    and turn, or its ending) and when it was saved."""
    from wargame.model import HUMAN

    humans = [seat for seat, controller in save.controllers.items() if controller == HUMAN]
    how = [f"humans {', '.join(humans)}" if humans else "AI only", f"seed {save.seed}"]
    run = save.facilitation
    if run.facilitator:
        how.append("facilitator")
    if run.turn_timer is not None:
        how.append(f"timer {run.turn_timer:g} s")
    when = save.updated.astimezone().strftime("%Y-%m-%d %H:%M")
    where = f"over: {save.ending}, round {save.round}" if save.over else f"round {save.round}"
    text = Text(path.name, style="bold")
    text.append(f"\n  {' · '.join(how)}\n  {where}, turn {save.turn} · saved {when}")
    return text


def _seconds(text: str) -> float | None:
    """A number typed in a field (`90`, `0.5`, `1e3`); None for anything else."""
    try:
        return float(text)
    except ValueError:
        return None


def _unreadable(folder: Path | None, readable: set[Path]) -> list[tuple[Path, str]]:
    """The `*.toml` files of the saves folder that cannot be read as saves, and why."""
    from wargame.storage.saves import SaveError, read_save

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
