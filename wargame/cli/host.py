"""`wargame host`: one authoritative game whose seats teams take from their own machines."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from wargame.cli import SEED, a_path, bundled_deck, load_deck_or_exit, main
from wargame.cli.play import (
    _controllers,
    _delay_option,
    _facilitation,
    _facilitator_option,
    _require_terminal,
    _saves_option,
    _seat,
    _theme_option,
    _timer_options,
    app_for,
)

if TYPE_CHECKING:
    from wargame.net.host import Host, SeatCodes
    from wargame.session import Session

#: The port a host listens on unless told otherwise.
PORT = 8765
#: The address it binds unless told otherwise: this machine only.
LOOPBACK = "127.0.0.1"


@main.command()
@click.argument("deck_path", metavar="[DECK]", required=False, type=a_path())
@click.option(
    "--seats",
    "seats_spec",
    metavar="SEAT,...",
    help="The seats teams take over the network: nations, e.g. POL,EST,DEU, and the adversary if the"
    " deck has one (a red-cell team). Every other seat is played by the AI.  [required for a new game;"
    " --resume: the seats of the saved codes]",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=PORT, show_default=True, help="The port to listen on."
)
@click.option(
    "--bind",
    metavar="ADDRESS",
    default=LOOPBACK,
    show_default=True,
    help="The address to listen on: 127.0.0.1 is this machine only; 0.0.0.0 (or this machine's address"
    " on the room's network) lets other machines join.",
)
@click.option(
    "--headless",
    is_flag=True,
    help="Run the host without the facilitator's screen: the game's log is printed instead (for a"
    " facilitator who watches from a spectator's seat, and for tests).",
)
@click.option(
    "--resume",
    "resume_path",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[SAVE]",
    help="Host a saved game again (after a crash, too): SAVE, or the newest save in --saves; the seats"
    " keep their codes.",
)
@click.option("--seed", "-s", type=SEED, help="Seed of a new game.  [default: a random one]")
@click.option(
    "--controllers",
    "-c",
    "controllers_spec",
    metavar="SEAT=CONTROLLER,...",
    help="Who plays the seats nobody hosts: ai:PERSONA or ai:PERSONA:planner, e.g. EST=ai:dove.",
)
@_delay_option
@_facilitator_option
@_timer_options
@_saves_option
@_theme_option
def host(
    deck_path: Path | None,
    seats_spec: str | None,
    port: int,
    bind: str,
    headless: bool,
    resume_path: str | None,
    seed: int | None,
    controllers_spec: str | None,
    ai_delay: float,
    facilitator: bool | None,
    turn_timer: float | None,
    on_timeout: Literal["wait", "ai"] | None,
    saves_dir: Path,
    theme: str | None,
) -> None:
    """Host a game whose seats teams take from their own terminals (wargame join) or browsers.

    Prints a code for each seat, and one for spectators (the projector): a team joins with
    `wargame join ADDRESS:PORT --code CODE`. The game is saved after every decision in --saves, and
    the codes beside the save (readable by you only), so `wargame host --resume` after a crash brings
    the game back with the same codes and the teams rejoin.
    """
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        raise click.ClickException("hosting needs aiohttp: pip install 'eastern-flank[net]'") from None
    from wargame.net.host import codes_path

    if not headless:
        _require_terminal()
    if resume_path is not None:
        session, codes = _resumed(resume_path, deck_path, seats_spec, saves_dir)
    else:
        session, codes = _new(deck_path, seats_spec, seed, controllers_spec, saves_dir)
    if facilitator is None and resume_path is None:
        facilitator = True  # the facilitator's screen of a hosted game has its panel
    session.facilitation = _facilitation(session.facilitation, facilitator, turn_timer, on_timeout)
    if session.save_path is not None:
        try:
            codes.save(codes_path(session.save_path))
        except OSError as error:
            raise click.ClickException(
                f"{codes_path(session.save_path)}: cannot keep the seat codes: {error.strerror}"
            ) from None
    _serve(session, codes, bind, port, ai_delay, headless, theme, saves_dir)


def _seats_of(deck_seats: list[str], spec: str | None) -> list[str]:
    return [name.strip() for name in (spec or "").split(",") if name.strip()] or deck_seats


def _new(
    deck_path: Path | None,
    seats_spec: str | None,
    seed: int | None,
    controllers_spec: str | None,
    saves_dir: Path,
) -> tuple[Session, SeatCodes]:
    from wargame.engine import SetupError
    from wargame.model import HUMAN
    from wargame.net.host import SeatCodes
    from wargame.session import Session, default_controllers, random_seed

    path = deck_path or bundled_deck()
    deck = load_deck_or_exit(path)
    if not seats_spec:
        raise click.UsageError("name the seats teams take: --seats POL,EST (nations, or the adversary)")
    seats: list[str] = []
    for name in _seats_of([], seats_spec):
        seat = _seat(deck, name, "--seats")
        if seat not in seats:
            seats.append(seat)
    controllers = default_controllers(deck, [])
    for seat, controller in _controllers(deck, controllers_spec).items():
        if seat in seats:
            raise click.BadParameter(f"{seat} is a hosted seat: a team plays it", param_hint="--controllers")
        if controller == HUMAN:
            raise click.BadParameter(
                f"{seat}=human: people play only the hosted seats (add {seat} to --seats)",
                param_hint="--controllers",
            )
        controllers[seat] = controller
    for seat in seats:
        controllers[seat] = HUMAN
    try:
        session = Session.new(path, deck, seed if seed is not None else random_seed(), controllers, saves_dir)
    except SetupError as error:
        raise click.ClickException(str(error)) from None
    if session.save_problem:
        raise click.ClickException(session.save_problem)
    return session, SeatCodes.new(seats)


def _resumed(
    resume_path: str, deck_path: Path | None, seats_spec: str | None, saves_dir: Path
) -> tuple[Session, SeatCodes]:
    from wargame.net.host import SeatCodes, codes_path
    from wargame.session import Session
    from wargame.storage.saves import SaveError, newest_save

    save_path: Path | None = Path(resume_path) if resume_path else newest_save(saves_dir)
    if save_path is None:
        raise click.ClickException(f"there is no saved game in {saves_dir}/ (host one with: wargame host)")
    try:
        session = Session.resume(save_path, deck_path)
    except SaveError as error:
        raise click.ClickException(str(error)) from None
    humans = session.humans
    kept = codes_path(save_path)
    if kept.exists():
        try:
            codes = SeatCodes.load(kept)
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        unknown = [seat for seat in codes.seats if seat not in humans]
        if unknown:
            raise click.ClickException(f"{kept}: {', '.join(unknown)} is not played by people in {save_path}")
    else:
        codes = SeatCodes.new(humans)
        click.echo(f"{kept} is missing: the seats get new codes.", err=True)
    if seats_spec:
        named = sorted(_seat(session.deck, name, "--seats") for name in _seats_of([], seats_spec))
        if named != sorted(codes.seats):
            raise click.BadParameter(
                f"the saved game's hosted seats are {','.join(codes.seats)}", param_hint="--seats"
            )
    missing = [seat for seat in humans if seat not in codes.seats]
    if missing:
        raise click.ClickException(
            f"{save_path}: people play {', '.join(missing)} at the table: a hosted game is played over the"
            " network only"
        )
    return session, codes


def _reachable(bind: str) -> str:
    """The address teams type to reach a host bound to `bind`: for "every interface", this machine's
    address on the network its default route goes through (no packet is sent to learn it)."""
    import socket

    if bind in ("localhost", ""):
        return "127.0.0.1"
    if bind not in ("0.0.0.0", "::"):
        return bind
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))  # UDP: only picks the interface
            return str(probe.getsockname()[0])
    except OSError:
        return "THIS-MACHINE"


def _serve(
    session: Session,
    codes: SeatCodes,
    bind: str,
    port: int,
    ai_delay: float,
    headless: bool,
    theme: str | None,
    saves_dir: Path,
) -> None:
    from wargame.net.host import Host
    from wargame.session import shown_path
    from wargame.session.describe import seat_name
    from wargame.session.timer import DecisionClock

    facilitation = session.facilitation
    clock = DecisionClock(facilitation.turn_timer) if facilitation.turn_timer else None
    if headless:  # the host's log (joins, refusals) on the terminal
        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    elif session.save_path is not None:  # the facilitator's screen has the terminal: beside the save
        logging.basicConfig(
            level=logging.INFO,
            format="%(asctime)s %(message)s",
            filename=session.save_path.with_name(f"{session.save_path.stem}.host.log"),
        )
    else:
        logging.getLogger("wargame.net").addHandler(logging.NullHandler())
        logging.getLogger("wargame.net").propagate = False
    seat_host = Host(session, codes, clock)

    async def run() -> None:
        try:
            actual = await seat_host.start(bind, port)
        except OSError as error:
            raise click.ClickException(f"cannot listen on {bind}:{port}: {error.strerror}") from None
        shown = _reachable(bind)
        banner.append(f"Hosting {session.deck.info.title} (seed {session.state.seed}) at {shown}:{actual}")
        for seat in codes.seats:
            banner.append(f"  {seat_name(session.deck, seat):<24} {seat:<10} {codes.codes[seat]}")
        banner.append(f"  {'Spectators (projector)':<24} {'':<10} {codes.codes['spectator']}")
        banner.append(f"Teams join with: wargame join {shown}:{actual} --code CODE")
        if seat_host.browsers:
            banner.append(f"Browsers open: http://{shown}:{actual}/")
        for line in banner:
            click.echo(line)
        if bind not in ("127.0.0.1", "localhost", "::1"):
            click.echo(
                f"Listening on {bind}: every machine that can reach this one on the network can try"
                " codes. Give each team its own code, and nobody else.",
                err=True,
            )
        if session.save_path is not None:
            click.echo(
                f"Saved in {shown_path(session.save_path)} after every decision (Ctrl-C stops the host)."
            )
        if headless:
            await _until_stopped(seat_host, ai_delay, facilitation.on_timeout)
        else:
            await _with_screen(seat_host, ai_delay, theme, saves_dir, banner)

    banner: list[str] = []
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
    played = seat_host.session  # after a branch on the facilitator's screen, the branch
    if played.save_path is not None and played.save_warning() is None:
        where = shown_path(played.save_path)
        if played.over:
            click.echo(f"Game over. The game is saved in {where}")
        else:
            click.echo(f"The game is saved in {where}. Host it again with: wargame host --resume {where}")


async def _until_stopped(seat_host: Host, ai_delay: float, on_timeout: Literal["wait", "ai"]) -> None:
    from wargame.net.host import play_headless

    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stopped.set)
    game = asyncio.ensure_future(play_headless(seat_host, ai_delay, on_timeout, say=click.echo))
    stop = asyncio.ensure_future(stopped.wait())
    await asyncio.wait({game, stop}, return_when=asyncio.FIRST_COMPLETED)
    if game.done() and not stop.done():
        game.result()  # an error in the game is raised here
        click.echo("The game is over. The seats see the end; Ctrl-C stops the host.")
        await stop
    game.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await game
    await seat_host.stop()


async def _with_screen(
    seat_host: Host, ai_delay: float, theme: str | None, saves_dir: Path, banner: list[str]
) -> None:
    """The facilitator's screen runs the game; the hosted seats' decisions come over the network."""
    from wargame.session.describe import seat_name

    session = seat_host.session
    session.remote = seat_host
    click.echo("Give each team its code. Press Enter to open the facilitator's screen.")
    await asyncio.to_thread(sys.stdin.readline)
    app = app_for(session, saves_dir, ai_delay, theme)

    async def show_codes() -> None:
        await asyncio.sleep(1)
        app.notify("\n".join(toast), title="Seat codes", timeout=30)

    codes = seat_host.codes.codes
    toast = [f"{seat_name(session.deck, seat)} ({seat}): {codes[seat]}" for seat in seat_host.seats]
    toast += [f"Spectators: {codes['spectator']}", banner[-1 if not seat_host.browsers else -2].strip()]
    reminder = asyncio.ensure_future(show_codes())
    try:
        await app.run_async()
    finally:
        reminder.cancel()
        await seat_host.stop()
    for line in banner:
        click.echo(line)
    warning = seat_host.session.save_warning()
    if warning is not None:
        raise click.ClickException(warning)
