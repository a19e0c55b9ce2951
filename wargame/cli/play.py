"""`wargame`, `wargame play` and `wargame resume`: the terminal UI.

Textual is imported inside the commands, so the other commands never pay for it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from wargame.cli import SEED, a_path, bundled_deck, load_deck_or_exit, main, planner_rollouts_option
from wargame.pace import AI_DELAY, AI_DELAY_MAX, TURN_TIMER_MAX, TURN_TIMER_MIN, ai_delay_bounds, is_ai_delay
from wargame.terminal import interactive
from wargame.tui.settings import THEMES

if TYPE_CHECKING:
    from wargame.model import Controller, Deck
    from wargame.session import Difficulty, Session
    from wargame.storage.saves import Facilitation
    from wargame.tui.app import WargameApp

#: Where saves go by default, relative to the working folder.
SAVES = Path("saves")

_theme_option = click.option(
    "--theme",
    type=click.Choice(list(THEMES)),
    help="The screens' colours for this run (the theme chosen in the command palette is kept between"
    " sessions).  [default: the kept one, else dark]",
)
_saves_option = click.option(
    "--saves",
    "saves_dir",
    default=SAVES,
    show_default=True,
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the autosaves.",
)


def _seconds(value: object) -> tuple[str, float]:
    """An option's seconds as written and as a number (NaN when it is not one); a default or a value
    given in Python is a number already."""
    if isinstance(value, int | float):
        return f"{value:g}", float(value)
    text = str(value)
    try:
        return text, float(text)
    except ValueError:
        return text, math.nan


class _AiDelay(click.ParamType[float]):
    """Seconds of pause before each AI decision, within `wargame.pace`'s bounds (`inf` and
    `nan` would hang the game); the message quotes the text as typed."""

    name = "seconds"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> float:
        text, seconds = _seconds(value)
        if is_ai_delay(seconds):
            return seconds
        self.fail(f'"{text}" is not a number of seconds {ai_delay_bounds()}', param, ctx)


_delay_option = click.option(
    "--ai-delay",
    default=AI_DELAY,
    show_default=True,
    metavar="SECONDS",
    type=_AiDelay(),
    help=f"Pause before each AI decision, so the room can follow (0 to {AI_DELAY_MAX}).",
)
# These three default to None: `resume` then keeps what the save says, `play` a plain session.
_facilitator_option = click.option(
    "--facilitator/--no-facilitator",
    default=None,
    help="Facilitator mode: the facilitator's panel (key f) injects cards, forces rolls, adjusts"
    " tracks and stats, adds notes and undoes.  [default: off; resume: as saved]",
)


class _TurnTimer(click.ParamType[float]):
    """Seconds on the clock for each human decision, within the bounds of `wargame.model.turn_timer`;
    0 for no timer. The message quotes the text as typed (a float would show `inf` for `1e999`)."""

    name = "seconds"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> float:
        from wargame.model.turn_timer import bounds_text, is_turn_timer

        text, seconds = _seconds(value)
        if seconds == 0 or is_turn_timer(seconds):
            return seconds
        self.fail(f'"{text}" is not a number of seconds {bounds_text()} (0: no timer)', param, ctx)


_timer_option = click.option(
    "--turn-timer",
    metavar="SECONDS",
    type=_TurnTimer(),
    help=f"A countdown on each human decision (key t pauses and resumes it), {TURN_TIMER_MIN} to"
    f" {TURN_TIMER_MAX} seconds (24 hours); 0 for none.  [default: none; resume: as saved]",
)
_timeout_option = click.option(
    "--on-timeout",
    type=click.Choice(["wait", "ai"]),
    default=None,
    help="When the time is up: say so and wait, or let the nation's default AI persona decide."
    "  [default: wait; resume: as saved]",
)


def _timer_options(function: Callable[..., None]) -> Callable[..., None]:
    return _timer_option(_timeout_option(function))


def _require_terminal() -> None:
    if not interactive():
        raise click.ClickException(
            "the game needs an interactive terminal (its input and output are not a terminal);"
            " `wargame simulate` plays without one"
        )


def open_start_screen(theme: str | None = None) -> None:
    """`wargame` alone: the start screen, where Enter starts a solo game on the bundled deck.

    Without a terminal (a pipe, a script) it prints the help instead.
    """
    if not interactive():
        click.echo(click.get_current_context().get_help())
        return
    from wargame.tui.app import WargameApp

    _run(WargameApp(saves_dir=SAVES, theme=theme))  # the start screen finds the bundled deck itself


@main.command()
@click.argument("deck_path", metavar="[DECK]", required=False, type=a_path())
@click.option("--seed", "-s", type=SEED, help="Seed of the game.  [default: a random one, shown]")
@click.option(
    "--human",
    "humans",
    metavar="SEAT,...",
    help="Seats people play: nations, e.g. POL,EST (hot-seat), and the adversary if the deck has one"
    " (a red-cell team, e.g. moscow); 'none' to watch the AI.  [default: the first frontline nation]",
)
@click.option(
    "--controllers",
    "-c",
    "controllers_spec",
    metavar="SEAT=CONTROLLER,...",
    help="Who plays particular seats, human or ai:PERSONA, e.g. moscow=human,EST=ai:dove (applied"
    " after --human; the adversary's personas are its own); ai:PERSONA:planner for the planning AI,"
    " e.g. moscow=ai:prober:planner.",
)
@click.option(
    "--difficulty",
    type=click.Choice(["easy", "normal", "hard"]),
    default="normal",
    show_default=True,
    help="For a solo game: easy, the AI nations plan ahead (planner allies); normal, every AI seat is"
    " scripted; hard, the adversary plans ahead (normal for a deck without one). --controllers wins"
    " for the seats it names.",
)
@planner_rollouts_option
@_delay_option
@_facilitator_option
@_timer_options
@_saves_option
@_theme_option
def play(
    deck_path: Path | None,
    seed: int | None,
    humans: str | None,
    controllers_spec: str | None,
    difficulty: Difficulty,
    planner_rollouts: int | None,
    ai_delay: float,
    facilitator: bool | None,
    turn_timer: float | None,
    on_timeout: Literal["wait", "ai"] | None,
    saves_dir: Path,
    theme: str | None,
) -> None:
    """Start a game straight away, in the terminal UI.

    DECK defaults to the bundled deck. Every seat not named by --human or --controllers is played by
    the AI on its default persona: each nation's, and the adversary's (Moscow in the bundled deck)
    red persona. The game is saved after every decision in --saves.
    """
    from wargame.session import Session, default_controllers, random_seed, with_difficulty
    from wargame.storage.saves import PLAIN

    path = deck_path or bundled_deck()
    deck = load_deck_or_exit(path)
    chosen: list[str] | None = None
    if humans is not None:
        named = [name.strip() for name in humans.split(",") if name.strip()]
        if [name.lower() for name in named] == ["none"]:
            named = []
        chosen = [_seat(deck, name, "--human") for name in named]
    controllers = with_difficulty(deck, default_controllers(deck, chosen), difficulty)
    controllers.update(_controllers(deck, controllers_spec))
    from wargame.model import with_rollouts

    controllers = with_rollouts(controllers, planner_rollouts)
    _require_terminal()
    facilitation = _facilitation(PLAIN, facilitator, turn_timer, on_timeout)
    seed = seed if seed is not None else random_seed()
    session = Session.new(path, deck, seed, controllers, saves_dir, facilitation=facilitation)
    _play_session(session, saves_dir, ai_delay, theme)


def _seats(deck: Deck) -> dict[str, str]:
    """The seats a player can take, by their id in lower case: the nations, then the adversary."""
    seats = {nation.id.lower(): nation.id for nation in deck.nations}
    if deck.adversary is not None:
        seats[deck.adversary.id.lower()] = deck.adversary.id
    return seats


def _seat(deck: Deck, name: str, option: str) -> str:
    """The seat `name` stands for (any case); a usage error listing the deck's seats otherwise."""
    seats = _seats(deck)
    seat = seats.get(name.lower())
    if seat is not None:
        return seat
    nations = ", ".join(nation.id for nation in deck.nations)
    if deck.adversary is None:
        raise click.BadParameter(f"unknown nation {name} (the deck has {nations})", param_hint=option)
    raise click.BadParameter(
        f"unknown seat {name} (the deck has the nations {nations} and the adversary {deck.adversary.id})",
        param_hint=option,
    )


def _controllers(deck: Deck, spec: str | None) -> dict[str, Controller]:
    """The controllers --controllers names: `SEAT=human`, `SEAT=ai:PERSONA` or
    `SEAT=ai:PERSONA:planner[:N]`, comma-separated, each persona one of the seat's (the deck's for a
    nation, the adversary's own for the adversary)."""
    from wargame.model import ControllerError, Scripted, parse_controller

    chosen: dict[str, Controller] = {}
    for item in (spec or "").split(","):
        if not item.strip():
            continue
        name, sep, text = (part.strip() for part in item.partition("="))
        if not sep or not name:
            raise click.BadParameter(
                f'"{item.strip()}" is not SEAT=human or SEAT=ai:PERSONA', param_hint="--controllers"
            )
        seat = _seat(deck, name, "--controllers")
        red = deck.adversary if deck.is_adversary(seat) else None
        personas = list(deck.personas if red is None else red.personas)
        whose = "the deck's" if red is None else f"{red.name}'s"
        try:
            controller = parse_controller(text)
        except ControllerError:
            raise click.BadParameter(
                f'"{text}" for {seat} is neither "human" nor "ai:PERSONA" nor "ai:PERSONA:planner"'
                f" ({whose} personas: {', '.join(personas)})",
                param_hint="--controllers",
            ) from None
        if isinstance(controller, Scripted) and controller.persona not in personas:
            raise click.BadParameter(
                f'unknown persona "{controller.persona}" for {seat}'
                f" ({whose} personas: {', '.join(personas)})",
                param_hint="--controllers",
            )
        chosen[seat] = controller
    return chosen


@main.command()
@click.argument("save_path", metavar="[SAVE]", required=False, type=a_path())
@click.option(
    "--force",
    is_flag=True,
    help="For a save whose deck has changed since: replay as far as the deck allows and go on from"
    " there in a new save file (the old one is left as it is).",
)
@click.option(
    "--deck",
    "deck_path",
    type=a_path(),
    help="The deck file, if it is no longer where the save says (default: the save's, else the bundled one).",
)
@click.option(
    "--at",
    "at_turn",
    type=click.IntRange(min=0),
    metavar="TURN",
    help="Branch: go back to turn TURN (after the first TURN actions: the timeline's `turn` column) and"
    " play on from there in a new save (--as); SAVE is left as it is.",
)
@click.option(
    "--as", "branch_path", type=a_path(), metavar="NEW", help="Branch: the new save file (with --at)."
)
@_delay_option
@_facilitator_option
@_timer_options
@_saves_option
@_theme_option
def resume(
    save_path: Path | None,
    force: bool,
    deck_path: Path | None,
    at_turn: int | None,
    branch_path: Path | None,
    ai_delay: float,
    facilitator: bool | None,
    turn_timer: float | None,
    on_timeout: Literal["wait", "ai"] | None,
    saves_dir: Path,
    theme: str | None,
) -> None:
    """Continue a saved game: SAVE, or the newest save in --saves.

    The game goes on as it was run (facilitator mode, turn timer) unless options say otherwise. A
    damaged save, or one whose deck has changed, is refused with the reason and left as it is.

    With --at TURN --as NEW the game is branched: it goes on from turn TURN in the new save NEW,
    which records where it came from, and SAVE is never written ("what if we had not shot?").
    """
    from wargame.session import Session
    from wargame.storage.saves import SaveError, newest_save, read_save

    if (at_turn is None) != (branch_path is None):
        given, missing = ("--at", "--as NEW") if branch_path is None else ("--as", "--at TURN")
        raise click.UsageError(f"{given} branches the game: it needs {missing} too")
    if at_turn is not None:
        if force:
            raise click.UsageError(
                "--force cannot branch: resume the save with --force first, then branch that"
            )
        if save_path is None:
            raise click.UsageError("a branch needs the SAVE to branch from")
        assert branch_path is not None
        _branch(
            save_path,
            at_turn,
            branch_path,
            deck_path,
            facilitator,
            turn_timer,
            on_timeout,
            saves_dir,
            ai_delay,
        )
        return

    if save_path is None:
        save_path = newest_save(saves_dir)
        if save_path is None:
            raise click.ClickException(
                f"there is no saved game in {saves_dir}/ (start one with: wargame play)"
            )
    try:
        try:
            session = Session.resume(save_path, deck_path)
        except SaveError:
            if not force:
                raise
            read_save(save_path)  # a damaged file: --force cannot help, say what is wrong with it
            _require_terminal()  # before a new save file is written
            session, how_far = Session.resume_forced(save_path, deck_path=deck_path)
            click.echo(how_far, err=True)
    except SaveError as error:
        raise click.ClickException(str(error)) from None
    _require_terminal()
    session.facilitation = _facilitation(session.facilitation, facilitator, turn_timer, on_timeout)
    _play_session(session, saves_dir, ai_delay, theme)


def _branch(
    save_path: Path,
    turn: int,
    branch_path: Path,
    deck_path: Path | None,
    facilitator: bool | None,
    turn_timer: float | None,
    on_timeout: Literal["wait", "ai"] | None,
    saves_dir: Path,
    ai_delay: float,
) -> None:
    """Branch a save at a turn into a new save file and play the branch; SAVE is only read."""
    from wargame.session import Session
    from wargame.storage.saves import SaveError

    try:
        original = Session.resume(save_path, deck_path)
        problem = original.branch_problem(turn, branch_path)
        if problem is not None:
            raise click.ClickException(problem)
        _require_terminal()  # before the new save file is written
        session = original.branch(turn, branch_path)
    except (SaveError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Branched {save_path} at turn {turn} into {branch_path}; {save_path} is unchanged.", err=True)
    session.facilitation = _facilitation(session.facilitation, facilitator, turn_timer, on_timeout)
    _play_session(session, saves_dir, ai_delay)


def _facilitation(
    kept: Facilitation,
    facilitator: bool | None,
    turn_timer: float | None,
    on_timeout: Literal["wait", "ai"] | None,
) -> Facilitation:
    """How to run the session: the options given, else as `kept` (a turn timer of 0 is none)."""
    from wargame.storage.saves import Facilitation

    return Facilitation(
        kept.facilitator if facilitator is None else facilitator,
        kept.turn_timer if turn_timer is None else (turn_timer or None),
        kept.on_timeout if on_timeout is None else on_timeout,
    )


def app_for(session: Session, saves_dir: Path, ai_delay: float, theme: str | None = None) -> WargameApp:
    """The game screen on a session, run as its `facilitation` says (`wargame play`, `resume`, `host`)."""
    from wargame.tui.app import WargameApp

    facilitation = session.facilitation
    return WargameApp(
        session,
        saves_dir=saves_dir,
        ai_delay=ai_delay,
        facilitator=facilitation.facilitator,
        turn_timer=facilitation.turn_timer,
        on_timeout=facilitation.on_timeout,
        theme=theme,
    )


def _play_session(session: Session, saves_dir: Path, ai_delay: float, theme: str | None = None) -> None:
    """Open the game screen on a session, run as its `facilitation` says."""
    _run(app_for(session, saves_dir, ai_delay, theme))


def _run(app: WargameApp) -> None:
    """Run the app, then say where the game is saved (`tell_where_saved`)."""
    app.run()
    tell_where_saved(app)


def tell_where_saved(app: WargameApp) -> None:
    """After the app: where the game is saved; or, with exit status 1, that its save file does not
    hold it (the last autosave failed), and how far the file goes if it was ever written."""
    session = app.session
    if session is not None and session.save_path is not None:
        from wargame.session import shown_path

        warning = session.save_warning()
        if warning is not None:
            raise click.ClickException(warning)
        where = shown_path(session.save_path)
        if session.over:
            click.echo(f"Game over. The game is saved in {where}")
        else:
            click.echo(f"The game is saved in {where}. Continue it with: wargame resume {where}")
