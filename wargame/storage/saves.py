"""Saves: a game's deck, seed and action log in a TOML file, written atomically and replayed on load.

A save holds a header (`[save]`: format, the deck's id, version, path and SHA-256, the seed, the
controllers, created and updated times, and — when it is not a plain one — how the session is run,
`[save.facilitation]`), a summary of the final state (`[snapshot]`) and the action log
(`[[actions]]`, one table per action, `type` naming its class in kebab-case). Loading checks the
deck's hash, replays every action through the engine and checks the result against the snapshot.
Messages number actions from 1: action N is the one that made turn N.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import attrs
import tomli_w

from wargame.engine import IllegalActionError, apply, is_over, new_game, result
from wargame.model import ACTION_TYPES, Action, Controller, ControllerError, Deck, GameState, parse_controller
from wargame.storage.converter import converter, describe, quote
from wargame.storage.deck_rules import did_you_mean, format_path
from wargame.storage.decks import DeckError, load_deck_text, structure_flaws

#: The save format this program writes; it reads this one and the older ones. Format 2 added
#: `[save.facilitation]`: a format 1 save reads as a plain session (no facilitator mode, no timer).
FORMAT = 2
_COMMENT = "# Eastern Flank save: the game is replayed from its [[actions]] when loaded.\n\n"
_PathLike = str | os.PathLike[str]
_T = TypeVar("_T")


def _tag(cls: type) -> str:
    """`ChooseResponse` -> `choose-response`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", cls.__name__).lower()


#: Action tag to action class.
_ACTIONS: dict[str, type[Action]] = {_tag(cls): cls for cls in ACTION_TYPES}


class SaveError(ValueError):
    """A save could not be written, read or replayed; the message names the file and the problem."""


@attrs.frozen
class Facilitation:
    """How a session is run: kept in its save, so that resuming after a crash runs it the same way."""

    facilitator: bool = False
    """Facilitator mode: the facilitator's panel and undo."""
    turn_timer: float | None = None
    """Seconds on the clock for each human decision; None for no timer."""
    on_timeout: Literal["wait", "ai"] = "wait"
    """When the time is up: say so and wait, or let the nation's default AI persona decide."""


#: A plain session: no facilitator mode, no turn timer.
PLAIN = Facilitation()


@attrs.frozen
class Save:
    """What a save file holds: the header, the action log and a snapshot of the final state."""

    deck_id: str
    deck_version: str
    deck_sha256: str  #: hex SHA-256 of the deck file's bytes when the game was saved
    deck_path: Path
    seed: int
    controllers: Mapping[str, Controller]  #: written as their text, "human" or "ai:<persona>"
    created: datetime  #: when the game began (UTC)
    updated: datetime  #: when the save was last written (UTC)
    actions: tuple[Action, ...]
    turn: int  #: number of actions applied
    round: int
    over: bool
    tracks: Mapping[str, int]
    ending: str | None = None
    scores: Mapping[str, int] = attrs.field(factory=dict)  #: nation id to points, once over
    facilitation: Facilitation = PLAIN


def hash_deck(deck_path: _PathLike) -> str:
    """Hex SHA-256 of a deck file's bytes; `SaveError` if it cannot be read."""
    try:
        return hashlib.sha256(Path(deck_path).read_bytes()).hexdigest()
    except OSError as error:
        raise SaveError(f"{deck_path}: cannot read the deck: {_reason(error)}") from error


def make_save(
    deck_path: _PathLike,
    deck: Deck,
    state: GameState,
    actions: Sequence[Action],
    created: datetime | None = None,
    now: datetime | None = None,
    deck_sha256: str | None = None,
    facilitation: Facilitation = PLAIN,
) -> Save:
    """A save of `state`, reached from a new game by `actions`; `created` defaults to `now`.

    `deck_sha256` should be the hash of the deck's text as it was loaded for this game (`hash_deck`
    when it was loaded): hashing the file again at each save would record a deck edited mid-game as
    the one the game was played with.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)  # as written
    return Save(
        deck_id=deck.info.id,
        deck_version=deck.info.version,
        deck_sha256=deck_sha256 or hash_deck(deck_path),
        deck_path=Path(deck_path).resolve(),
        seed=state.seed,
        controllers=dict(state.controllers),
        created=(created or now).astimezone(UTC).replace(microsecond=0),
        updated=now,
        actions=tuple(actions),
        facilitation=facilitation,
        **_snapshot(state),
    )


def _snapshot(state: GameState) -> dict[str, Any]:
    """The snapshot fields of `Save` for a state."""
    over = is_over(state)
    scores = {score.nation: score.points for score in result(state).scores} if over else {}
    return {"turn": state.turn, "round": state.round, "over": over, "ending": state.ending,
            "tracks": dict(state.tracks), "scores": scores}  # fmt: skip


def format_save(save: Save) -> str:
    """The TOML text of a save."""
    controllers = {nation: str(controller) for nation, controller in save.controllers.items()}
    header = {"format": FORMAT, "deck_id": save.deck_id, "deck_version": save.deck_version,
              "deck_sha256": save.deck_sha256, "deck_path": str(save.deck_path), "seed": save.seed,
              "created": save.created.astimezone(UTC).isoformat(timespec="seconds"),
              "updated": save.updated.astimezone(UTC).isoformat(timespec="seconds"),
              "controllers": controllers}  # fmt: skip
    # Only what differs from a plain session; tomli-w writes no None.
    facilitation = converter.unstructure(save.facilitation)
    plain = converter.unstructure(PLAIN)
    facilitation = {k: v for k, v in facilitation.items() if v is not None and v != plain[k]}
    if facilitation:
        header["facilitation"] = facilitation
    snapshot = {"turn": save.turn, "round": save.round, "over": save.over, "ending": save.ending,
                "tracks": dict(save.tracks), "scores": dict(save.scores)}  # fmt: skip
    # tomli-w writes no None; the snapshot precedes the log and every action ends in a string or a
    # boolean, so a truncated save is invalid TOML, lacks a key, or has fewer actions than turns.
    snapshot = {key: value for key, value in snapshot.items() if value is not None}
    if not save.scores:
        del snapshot["scores"]
    parts = [_COMMENT, tomli_w.dumps({"save": header}), "\n", tomli_w.dumps({"snapshot": snapshot})]
    for action in save.actions:
        table = {"type": _tag(type(action)), **converter.unstructure(action)}
        table = {key: value for key, value in table.items() if value is not None}
        parts.append("\n[[actions]]\n" + tomli_w.dumps(table))
    return "".join(parts)


def write_save(path: _PathLike, save: Save) -> None:
    """Write `save` to `path` atomically: the old file stays whole until the new one is complete.

    A temporary file in the same folder is written, flushed, fsynced and renamed over `path`. On any
    error the temporary file is removed, `path` is untouched and `SaveError` is raised.
    """
    path = Path(path)
    data = format_save(save).encode("utf-8")
    temp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
        temp = None
        with contextlib.suppress(OSError):  # make the rename durable where the platform allows
            folder = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
    except OSError as error:
        raise SaveError(f"{path}: could not write the save: {_reason(error)}") from error
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def read_save(path: _PathLike) -> Save:
    """Read and check a save file without replaying it (and without ever changing it)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise SaveError(f"{path}: cannot read the save: {_reason(error)}") from error
    try:
        return _parse(tomllib.loads(data.decode("utf-8").removeprefix("\ufeff")))
    except UnicodeDecodeError as error:
        raise SaveError(f"{path}: not a save: not UTF-8 text (byte {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        text = str(error)
        place = re.search(r" \((at line \d+, column \d+|at end of document)\)$", text)
        if place is not None:
            text = f"{place.group(1)}: {text[: place.start()]}"
        raise SaveError(f"{path}: not a save: invalid TOML {text.lower()}") from None
    except _Invalid as error:
        raise SaveError(f"{path}: {error}") from None


def load_game(
    path: _PathLike, deck_path: _PathLike | None = None, *, deck: Deck | None = None
) -> tuple[Save, GameState]:
    """Read a save, check its deck, replay its actions and check the result against its snapshot.

    The deck file is `deck_path`, else the one named in the save; `deck`, if given, is that file
    already loaded. Returns the save and the replayed state.
    """
    save, state, _ = _replay(path, deck_path, deck, force=False)
    return save, state


def force_load_game(
    path: _PathLike, deck_path: _PathLike | None = None, *, deck: Deck | None = None
) -> tuple[Save, GameState, str]:
    """Like `load_game`, for a save whose deck has changed since: replay as far as the actions stay
    legal, without checking the deck's hash or the snapshot. Returns the save, the state reached, and
    a sentence saying how far the replay went and why it stopped."""
    return _replay(path, deck_path, deck, force=True)


def _replay(
    path: _PathLike, deck_path: _PathLike | None, deck: Deck | None, *, force: bool
) -> tuple[Save, GameState, str]:
    save = read_save(path)
    deck_file = Path(deck_path) if deck_path is not None else deck_file_of(save)
    try:
        deck_bytes = deck_file.read_bytes()
    except OSError as error:
        raise SaveError(
            f"{path}: cannot read the deck {deck_file}: {_reason(error)}"
            " (if it has moved, name it with --deck)"
        ) from error
    sha256 = hashlib.sha256(deck_bytes).hexdigest()
    changed = sha256 != save.deck_sha256
    if changed and not force:
        raise SaveError(
            f'{path}: the deck "{save.deck_id}" ({deck_file}) has changed since this game was saved'
            f" (sha256 {save.deck_sha256[:12]}… when saved ≠ {sha256[:12]}… now); --force replays"
            " as far as the changed deck allows"
        )
    if deck is None:
        try:
            deck = load_deck_text(deck_bytes.decode("utf-8", errors="replace"), str(deck_file))
        except DeckError as error:
            raise SaveError(f"{path}: the deck cannot be loaded: {error}") from error
    if deck.info.id != save.deck_id:
        raise SaveError(f'{path}: the game was saved with deck "{save.deck_id}", not "{deck.info.id}"')
    try:
        state = new_game(deck, save.seed, save.controllers)
    except ValueError as error:  # the engine's SetupError
        raise SaveError(f"{path}: the game cannot be set up again: {_reason(error)}") from error
    total = len(save.actions)
    for number, action in enumerate(save.actions, start=1):
        try:
            state, _ = apply(state, action)
        except IllegalActionError as error:
            stop = f'action {number} "{_tag(type(action))}" is illegal: {error.reason}'
            if not force:
                raise SaveError(f"{path}: {stop}") from error
            return save, state, f"replayed {number - 1} of {total} actions; stopped at {stop}"
    if force:
        what = "the deck has changed since the save; " if changed else ""
        return save, state, f"{what}replayed all {total} actions"
    replayed = _snapshot(state)
    for key in ("turn", "round", "over", "ending", "tracks", "scores"):
        saved, got = getattr(save, key), replayed[key]
        if saved != got:
            if isinstance(saved, Mapping):  # name the first entry that differs
                key, saved, got = next(
                    (f"{key}.{name}", saved.get(name), got.get(name))
                    for name in sorted({*saved, *got}, key=str)
                    if saved.get(name) != got.get(name)
                )
            raise SaveError(
                f"{path}: the replayed game does not match the save's snapshot"
                f" ({key}: {_show(saved)} in the save, {_show(got)} replayed)"
            )
    return save, state, f"replayed all {total} actions"


def deck_file_of(save: Save) -> Path:
    """The save's deck file; if it has gone (a save moved to another machine), the bundled deck of the
    same id."""
    if save.deck_path.exists():
        return save.deck_path
    from wargame.storage import bundled_deck_path

    try:
        return bundled_deck_path(save.deck_id)
    except FileNotFoundError:
        return save.deck_path


def list_saves(folder: _PathLike) -> list[tuple[Path, Save]]:
    """The readable saves (`*.toml`) in `folder`, newest first by their `updated` time."""
    found: list[tuple[Path, Save]] = []
    with contextlib.suppress(OSError):
        for path in sorted(Path(folder).glob("*.toml")):
            with contextlib.suppress(SaveError):
                found.append((path, read_save(path)))
    found.sort(key=lambda item: (item[1].updated, item[0].name), reverse=True)
    return found


def newest_save(folder: _PathLike) -> Path | None:
    """The most recently updated readable save in `folder`, if any."""
    saves = list_saves(folder)
    return saves[0][0] if saves else None


# --- reading and checking the structure ---------------------------------------------------------


class _Invalid(Exception):
    """A structural problem, with a message relative to the file."""


@attrs.frozen
class _Header:
    format: int
    deck_id: str
    deck_version: str
    deck_sha256: str
    deck_path: str
    seed: int
    created: str
    updated: str
    controllers: Mapping[str, str]
    facilitation: Facilitation = PLAIN


@attrs.frozen
class _Snapshot:
    turn: int
    round: int
    over: bool
    tracks: Mapping[str, int]
    ending: str | None = None
    scores: Mapping[str, int] = attrs.field(factory=dict)


@attrs.frozen
class _File:
    save: _Header
    snapshot: _Snapshot
    actions: tuple[Mapping[str, Any], ...] = ()


def _parse(document: Mapping[str, Any]) -> Save:
    raw = document.get("save")
    version = raw.get("format") if isinstance(raw, dict) else None
    if version is None:
        raise _Invalid("not a save: there is no [save] table with a format")
    if type(version) is int and version > FORMAT:
        raise _Invalid(f"save format {version} is newer than this program understands ({FORMAT})")
    file = _structure(document, _File, "")
    header, snapshot = file.save, file.snapshot
    if header.format < 1:
        raise _Invalid(f"save format {header.format} is unknown")
    if not re.fullmatch(r"[0-9a-f]{64}", header.deck_sha256):
        raise _Invalid(
            f"save.deck_sha256: expected 64 lower-case hex digits, got {_show(header.deck_sha256)}"
        )
    if "\x00" in header.deck_path:  # the OS takes no such path: refused here, not as a ValueError later
        shown = _show(header.deck_path).replace("\x00", "\\u0000")
        raise _Invalid(f"save.deck_path: a file's path holds no NUL character, got {shown}")
    controllers = {}
    for nation, text in header.controllers.items():
        try:
            controllers[nation] = parse_controller(text)
        except ControllerError:
            raise _Invalid(f'save.controllers.{nation}: expected "human" or "ai:<persona>"') from None
    timer = header.facilitation.turn_timer
    if timer is not None and not timer >= 1:
        raise _Invalid(f"save.facilitation.turn_timer: expected at least 1 second, got {describe(timer)}")
    actions = tuple(_parse_action(table, number) for number, table in enumerate(file.actions, 1))
    if snapshot.turn != len(actions):
        raise _Invalid(
            f"the snapshot is at turn {snapshot.turn} but the log has {len(actions)} actions"
            " (is the file truncated?)"
        )
    if snapshot.over != (snapshot.ending is not None):
        raise _Invalid("snapshot.ending should be given exactly when snapshot.over is true")
    fields = {**attrs.asdict(header, recurse=False), **attrs.asdict(snapshot, recurse=False)}
    del fields["format"]
    fields.update(deck_path=Path(header.deck_path), actions=actions, controllers=controllers)
    fields.update(
        created=_parse_time(header.created, "created"), updated=_parse_time(header.updated, "updated")
    )
    return Save(**fields)


def _parse_action(table: Mapping[str, Any], number: int) -> Action:
    tag = table.get("type")
    if not isinstance(tag, str) or tag not in _ACTIONS:
        known = ", ".join(quote(name) for name in _ACTIONS)
        got = describe(tag) if "type" in table else "nothing"
        hint = did_you_mean(tag, _ACTIONS) if isinstance(tag, str) else ""
        raise _Invalid(f"action {number}: type: expected one of {known}, got {got}{hint}")
    fields = {key: value for key, value in table.items() if key != "type"}
    return _structure(fields, _ACTIONS[tag], f"action {number} ({quote(tag)})")


def _structure(data: object, cls: type[_T], where: str) -> _T:
    """`data` structured as `cls` by the strict converter; `_Invalid` naming the first problem."""
    try:
        return converter.structure(data, cls)
    except Exception as error:  # cattrs' exception groups, holding the converter's own errors
        flaw = next(structure_flaws(error, ()))
        place = ": ".join(part for part in (where, format_path(flaw.path)) if part)
        raise _Invalid(f"{place}: {flaw.message}" if place else flaw.message) from None


def _parse_time(text: str, key: str) -> datetime:
    # OverflowError: a time near the ends of the calendar, moved to UTC, leaves it.
    with contextlib.suppress(ValueError, OverflowError):
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is not None:
            return moment.astimezone(UTC)
    raise _Invalid(f"save.{key}: expected an ISO 8601 time with a UTC offset, got {_show(text)}")


def _show(value: object) -> str:
    return "none" if value is None else quote(value)


def _reason(error: BaseException) -> str:
    """An exception's message, starting lower-case."""
    text = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return text[:1].lower() + text[1:] if text else type(error).__name__
