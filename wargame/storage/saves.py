"""Saves: a game's deck, seed and action log in a TOML file, written atomically and replayed on load.

A save holds a header (`[save]`: format, the deck's id, version, path and SHA-256, the seed, the
controllers of every seat — the nations and, when the deck has one, the adversary — created and
updated times, and — when it is not a plain one — how the session is run, `[save.facilitation]`), a
summary of the final state (`[snapshot]`) and the action log (`[[actions]]`, one table per action,
`type` naming its class in kebab-case). Since format 3 the header also holds the digest of the game
as played (`digest`, see `wargame.storage.digest`) and the checkpoint of its set-up
(`setup_digest`), and every action the checkpoint after it (`digest`).

A save holds everything, as the facilitator sees it: the adversary's hand, the truths of the
incidents and sealed votes come back by replaying the log, never from a seat's view. TOML has no
null, so a field of an action that is None is left out of its table and read back as None: a
`play-card` without `target` is an alliance card (it lands on no nation). The snapshot holds the
adversary's stats (`[snapshot.adversary_stats]`) and, once over, its score among the others (under
its id) when the deck has an adversary; a deck without one writes exactly what it did before.

Since format 4 the save also keeps the record a debrief rests on, none of it in the digest (the game
as played is unchanged by it): who really made each decision (`by` in every action: "team", "ai",
"ai-timeout" for the AI deciding when a team's time ran out, "facilitator"), the decision timer when
the facilitator left it paused (`paused_timer`, the seconds it had left), what undo took back
(`[[save.undone]]`: when, back to which turn, the actions and a line in words) and, for a branch, the
save it was branched from (`[save.branched_from]`). An older save reads with the decider of every
action inferred from its seat (a human seat: its team; an AI seat: the AI; the facilitator's actions:
the facilitator) and is written again in its own format, byte for byte, while nothing new was added.

Loading checks the deck's hash, replays every action through the engine while computing the digest
again, refuses the save at the first checkpoint that differs, and checks the result against the
snapshot. Formats 1 and 2 have no digest: they are checked against their snapshot only. Messages
number actions from 1: action N is the one that made turn N.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import tempfile
import time
import tomllib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_type_hints

import attrs
import tomli_w

from wargame.engine import IllegalActionError, apply, is_over, result, start_game
from wargame.model import (
    ACTION_TYPES,
    DECIDERS,
    PLAYER_ACTIONS,
    Action,
    AddNote,
    AdjustStat,
    AdjustTrack,
    ChooseResponse,
    Controller,
    ControllerError,
    Decider,
    Deck,
    ForceRoll,
    GameState,
    InjectCard,
    Invest,
    Object,
    PlayCard,
    RequestConsultation,
    RespondDecision,
    TakePosition,
    VetoCard,
    decider_of,
    parse_controller,
)
from wargame.model.turn_timer import bounds_text, is_turn_timer
from wargame.storage import reading
from wargame.storage.converter import converter, describe, quote
from wargame.storage.deck_rules import did_you_mean, format_path
from wargame.storage.decks import DeckError, load_deck_text, structure_flaws
from wargame.storage.digest import SHORT, game_chain, next_link, setup_link, short
from wargame.storage.reading import DECK_LIMIT, SAVE_LIMIT, FileRefused, read_capped

#: The save format this program writes; it reads this one and the older ones. Format 2 added
#: `[save.facilitation]`: a format 1 save reads as a plain session (no facilitator mode, no timer).
#: Format 3 added the digest of the game as played; formats 1 and 2 load without it. Format 4 added
#: the record (who decided, what undo took back, the branch, a paused timer); older ones infer it.
FORMAT = 4
#: The newest format without a digest: a `Save` that has none is written in it.
_UNDIGESTED = 2
#: The newest format without the record: a digested `Save` whose record holds nothing an older
#: save could not say (read from such a file, and not added to) is written in it.
_UNRECORDED = 3
#: The most actions a save may hold, refused before anything is replayed: a 12-round game has a few
#: hundred, a long workshop with many notes a few thousand.
MAX_ACTIONS = 10_000
_COMMENT = "# Eastern Flank save: the game is replayed from its [[actions]] when loaded.\n\n"
_PathLike = str | os.PathLike[str]
_T = TypeVar("_T")


def _tag(cls: type) -> str:
    """`ChooseResponse` -> `choose-response`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", cls.__name__).lower()


#: Action tag to action class.
_ACTIONS: dict[str, type[Action]] = {_tag(cls): cls for cls in ACTION_TYPES}
#: Action tag to the fields that may be None: left out of the file when they are, so read back as
#: None when absent (a `play-card` without `target`: an alliance card).
_OPTIONAL: dict[str, tuple[str, ...]] = {
    tag: tuple(name for name, hint in get_type_hints(cls).items() if type(None) in get_args(hint))
    for tag, cls in _ACTIONS.items()
}


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
    """When the time is up: say so and wait, or let the seat's default AI persona decide (a nation's,
    or the adversary's red persona)."""


#: A plain session: no facilitator mode, no turn timer.
PLAIN = Facilitation()


@attrs.frozen
class Undone:
    """A line of play that undo took back: kept in the save, told in the report as abandoned."""

    at: datetime
    """When it was undone (UTC)."""
    turn: int
    """The turn the game went back to: how many actions it kept."""
    round: int
    """The round the game was in there."""
    actions: tuple[Action, ...]
    """The actions taken back, oldest first."""
    deciders: tuple[Decider, ...]
    """Who made each of them."""
    summary: str
    """The line in words: `Estonia's answer "Shoot them down", which had led to …`."""


@attrs.frozen
class BranchedFrom:
    """The save a branch was started from, left as it was."""

    path: Path
    """The original save (absolute)."""
    sha256: str
    """Hex SHA-256 of the original save's bytes when it was branched."""
    turn: int
    """How many of its actions the branch kept: it goes on from after action `turn`."""


@attrs.frozen
class Save:
    """What a save file holds: the header, the action log and a snapshot of the final state."""

    deck_id: str
    deck_version: str
    deck_sha256: str  #: hex SHA-256 of the deck file's bytes when the game was saved
    deck_path: Path
    seed: int
    controllers: Mapping[str, Controller]
    """Seat id (each nation's, the adversary's) to controller, written as text: "human",
    "ai:<persona>" or "ai:<persona>:planner[:<rollouts>]"."""
    created: datetime  #: when the game began (UTC)
    updated: datetime  #: when the save was last written (UTC)
    actions: tuple[Action, ...]
    turn: int  #: number of actions applied
    round: int
    over: bool
    tracks: Mapping[str, int]
    ending: str | None = None
    scores: Mapping[str, int] = attrs.field(factory=dict)
    """Nation id (and the adversary's id, when the deck has one) to points, once over."""
    facilitation: Facilitation = PLAIN
    format: int = FORMAT  #: the format of the file it was read from; FORMAT for a save made now
    digest: str | None = None
    """Hex SHA-256 of the game as played (`wargame.storage.digest`); None in a format 1 or 2 save."""
    checkpoints: tuple[str, ...] = ()
    """The digest's chain, `SHORT` hex digits a link: the set-up's, then one after each action."""
    adversary_stats: Mapping[str, int] = attrs.field(factory=dict)
    """The adversary's stat id to value; empty for a deck without an adversary."""
    deciders: tuple[Decider, ...] = ()
    """Who made each action, parallel to `actions` (inferred for a save older than format 4, or when
    a `Save` is made without them)."""
    undone: tuple[Undone, ...] = ()
    """What undo took back, oldest first."""
    branched_from: BranchedFrom | None = None
    """The save this game was branched from, if it was."""
    paused_timer: float | None = None
    """Seconds left on the decision timer of the pending decision, when the facilitator left it
    paused; None when it runs (or there is none)."""

    def __attrs_post_init__(self) -> None:
        # A save built without its deciders (by hand, or by `attrs.evolve` with other actions) has
        # them inferred, so that `deciders` is always parallel to `actions`.
        if not self.deciders and self.actions:
            object.__setattr__(self, "deciders", inferred_deciders(self.controllers, self.actions))
        if len(self.deciders) != len(self.actions):
            raise ValueError(f"{len(self.deciders)} deciders for {len(self.actions)} actions")


def inferred_deciders(
    controllers: Mapping[str, Controller], actions: Sequence[Action]
) -> tuple[Decider, ...]:
    """Who made each action when the save does not say: the seat's team or AI, or the facilitator."""
    return tuple(decider_of(controllers, action) for action in actions)


def hash_deck(deck_path: _PathLike) -> str:
    """Hex SHA-256 of a deck file's bytes; `SaveError` if it cannot be read."""
    try:
        return hashlib.sha256(read_capped(deck_path, DECK_LIMIT, "deck file")).hexdigest()
    except FileRefused as error:
        raise SaveError(f"{deck_path}: cannot read the deck: {error.detail}") from error


def make_save(
    deck_path: _PathLike,
    deck: Deck,
    state: GameState,
    actions: Sequence[Action],
    created: datetime | None = None,
    now: datetime | None = None,
    deck_sha256: str | None = None,
    facilitation: Facilitation = PLAIN,
    *,
    deciders: Sequence[Decider] | None = None,
    undone: Sequence[Undone] = (),
    branched_from: BranchedFrom | None = None,
    paused_timer: float | None = None,
) -> Save:
    """A save of `state`, reached from a new game by `actions`; `created` defaults to `now`.

    `deciders` says who made each action (by default inferred from the seats); `undone`,
    `branched_from` and `paused_timer` are the rest of the record (see `Save`).

    `deck_sha256` should be the hash of the deck's text as it was loaded for this game (`hash_deck`
    when it was loaded): hashing the file again at each save would record a deck edited mid-game as
    the one the game was played with. The digest is computed by replaying `actions` from the start
    of `state`'s game, so they must be that game's (else `IllegalActionError`).
    """
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)  # as written
    deck_sha256 = deck_sha256 or hash_deck(deck_path)
    # The events are not kept beside the actions, so the chain replays the game: a few milliseconds.
    chain = game_chain(state.deck, state.seed, state.controllers, deck_sha256, actions)
    return Save(
        deck_id=deck.info.id,
        deck_version=deck.info.version,
        deck_sha256=deck_sha256,
        deck_path=Path(deck_path).resolve(),
        seed=state.seed,
        controllers=dict(state.controllers),
        created=(created or now).astimezone(UTC).replace(microsecond=0),
        updated=now,
        actions=tuple(actions),
        facilitation=facilitation,
        digest=chain[-1].hex(),
        checkpoints=tuple(short(link) for link in chain),
        deciders=inferred_deciders(state.controllers, actions) if deciders is None else tuple(deciders),
        undone=tuple(undone),
        branched_from=branched_from,
        paused_timer=paused_timer,
        **_snapshot(state),
    )


def _snapshot(state: GameState) -> dict[str, Any]:
    """The snapshot fields of `Save` for a state."""
    over = is_over(state)
    scores: dict[str, int] = {}
    if over:
        final = result(state)
        red = () if final.adversary is None else (final.adversary,)
        scores = {score.nation: score.points for score in (*final.scores, *red)}
    return {"turn": state.turn, "round": state.round, "over": over, "ending": state.ending,
            "tracks": dict(state.tracks), "scores": scores,
            "adversary_stats": dict(state.adversary_stats)}  # fmt: skip


#: The snapshot's fields, checked against the replayed game in this order.
_SNAPSHOT = ("turn", "round", "over", "ending", "tracks", "adversary_stats", "scores")


def _is_recorded(save: Save) -> bool:
    """Whether a save is written with the record (format 4): made now, or holding what an older
    format cannot say."""
    return save.format > _UNRECORDED or bool(
        save.undone
        or save.branched_from is not None
        or save.paused_timer is not None
        or save.deciders != inferred_deciders(save.controllers, save.actions)
    )


def format_save(save: Save) -> str:
    """The TOML text of a save: in format `FORMAT`; in format 3 for a save read from a format 3 file
    and not added to since, so it is written again byte for byte; in format 2 for a save without a
    digest (one read from a format 1 or 2 file)."""
    controllers = {nation: str(controller) for nation, controller in save.controllers.items()}
    digested = save.digest is not None
    recorded = digested and _is_recorded(save)
    version = (FORMAT if recorded else _UNRECORDED) if digested else _UNDIGESTED
    header = {"format": version, "deck_id": save.deck_id,
              "deck_version": save.deck_version, "deck_sha256": save.deck_sha256,
              "deck_path": str(save.deck_path), "seed": save.seed,
              "created": save.created.astimezone(UTC).isoformat(timespec="seconds"),
              "updated": save.updated.astimezone(UTC).isoformat(timespec="seconds"),
              "controllers": controllers}  # fmt: skip
    if digested:
        header.update(digest=save.digest, setup_digest=save.checkpoints[0])
    # Only what differs from a plain session; tomli-w writes no None.
    facilitation = converter.unstructure(save.facilitation)
    plain = converter.unstructure(PLAIN)
    facilitation = {k: v for k, v in facilitation.items() if v is not None and v != plain[k]}
    if facilitation:
        header["facilitation"] = facilitation
    if recorded:
        if save.paused_timer is not None:
            header["paused_timer"] = save.paused_timer
        if save.branched_from is not None:
            branch = save.branched_from
            header["branched_from"] = {"path": str(branch.path), "sha256": branch.sha256, "turn": branch.turn}
        if save.undone:
            header["undone"] = [_undone_table(line) for line in save.undone]
    snapshot = {"turn": save.turn, "round": save.round, "over": save.over, "ending": save.ending,
                "tracks": dict(save.tracks), "adversary_stats": dict(save.adversary_stats),
                "scores": dict(save.scores)}  # fmt: skip
    # tomli-w writes no None; the snapshot precedes the log and every action ends in a string or a
    # boolean, so a truncated save is invalid TOML, lacks a key, or has fewer actions than turns.
    # No scores before the end, and no adversary's stats for a deck without one (as before rules v2).
    snapshot = {key: value for key, value in snapshot.items() if value is not None}
    for key in ("adversary_stats", "scores"):
        if not snapshot[key]:
            del snapshot[key]
    parts = [_COMMENT, tomli_w.dumps({"save": header}), "\n", tomli_w.dumps({"snapshot": snapshot})]
    deciders = save.deciders
    for number, action in enumerate(save.actions, start=1):
        table = _action_table(action)
        if digested:
            table["digest"] = save.checkpoints[number]
        if recorded:  # last, a string: a table cut short lacks it
            table["by"] = deciders[number - 1]
        parts.append("\n[[actions]]\n" + tomli_w.dumps(table))
    return "".join(parts)


def _action_table(action: Action) -> dict[str, Any]:
    """An action as a table of the log: its type's tag, then its fields but those that are None."""
    table = {"type": _tag(type(action)), **converter.unstructure(action)}
    return {key: value for key, value in table.items() if value is not None}


def _undone_table(line: Undone) -> dict[str, Any]:
    actions = [
        {**_action_table(action), "by": by} for action, by in zip(line.actions, line.deciders, strict=True)
    ]
    return {"at": line.at.astimezone(UTC).isoformat(timespec="seconds"), "turn": line.turn,
            "round": line.round, "summary": line.summary, "actions": actions}  # fmt: skip


def write_save(path: _PathLike, save: Save) -> None:
    """Write `save` to `path` atomically: the old file stays whole until the new one is complete.

    A temporary file in the same folder is written, flushed, fsynced and renamed over `path`. On any
    error the temporary file is removed, `path` is untouched and `SaveError` is raised.
    """
    path = Path(path)
    try:
        write_atomically(path, format_save(save).encode("utf-8"))
    except OSError as error:
        raise SaveError(f"{path}: could not write the save: {_reason(error)}") from error


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that the old file stays whole until the new one is complete: a
    temporary file in the same folder is written, flushed, fsynced and renamed over `path`. On an
    `OSError` the temporary file is removed and `path` is untouched. (Saves, and the room's settings.)
    """
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
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


#: A temporary file of `write_save` last written this many seconds ago is left over from a write that
#: never finished (the program was killed mid-autosave): a write takes well under a second, so no live
#: process is still writing it. Younger ones are left alone, in case another game in the folder is.
STALE_TEMPORARY_SECONDS = 60.0


def _temporary_names(save_name: str | None) -> re.Pattern[str]:
    """The names `write_save` gives its temporary files (`tempfile.mkstemp`'s eight letters, digits
    or underscores between prefix and suffix), for one save or for any."""
    name = r".+\.toml" if save_name is None else re.escape(save_name)
    return re.compile(rf"\.{name}\.[a-z0-9_]{{8}}\.tmp")


def remove_stale_temporaries(
    folder: _PathLike, save_name: str | None = None, now: float | None = None
) -> list[Path]:
    """Remove the temporary files a killed `write_save` left in `folder`: those of the save named
    `save_name` (e.g. `game.toml`), else of any save, last written `STALE_TEMPORARY_SECONDS` or more
    ago. Only regular files with exactly the names `write_save` makes; never a link or a folder.
    Returns the files removed, in name order; what cannot be read or removed is left, silently."""
    names = _temporary_names(save_name)
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return removed
    for entry in entries:
        if not names.fullmatch(entry.name):
            continue
        try:
            facts = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(facts.st_mode) and now - facts.st_mtime >= STALE_TEMPORARY_SECONDS:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def read_save(path: _PathLike) -> Save:
    """Read and check a save file without replaying it (and without ever changing it)."""
    try:
        data = read_capped(path, SAVE_LIMIT, "save file")
    except FileRefused as error:
        raise SaveError(f"{path}: cannot read the save: {error.detail}") from error
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
        reading.check_shape(text)  # tomllib recurses on deep nesting and is slow on long keys
        return _parse(tomllib.loads(text))
    except reading.TextRefused as error:
        raise SaveError(f"{path}: not a save: at line {error.line}, column {error.column}: {error}") from None
    except RecursionError:  # a safety net under the scan
        raise SaveError(f"{path}: not a save: nested too deeply to be read") from None
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

    While it replays it computes the digest of the game again (format 3): `SaveError` names the first
    action whose checkpoint differs, so an edited or damaged save is refused however its snapshot
    reads. A format 1 or 2 save has no digest: it is checked against its snapshot only. The deck file
    is `deck_path`, else the one named in the save; `deck`, if given, is that file already loaded.
    Returns the save and the replayed state. The file is never changed.
    """
    save, state, _ = _replay(path, deck_path, deck, force=False)
    return save, state


def force_load_game(
    path: _PathLike, deck_path: _PathLike | None = None, *, deck: Deck | None = None
) -> tuple[Save, GameState, str]:
    """Like `load_game`, for a save whose deck has changed since: replay as far as the actions stay
    legal, without checking the deck's hash or the snapshot.

    The digest is computed as in `load_game` but does not stop the replay: where the game first
    differs from the one saved (a changed deck often makes other events from the first action on) is
    said instead, and so is a digest that holds. Returns the save, the state reached, and a sentence
    saying how far the replay went, why it stopped and what the digest found."""
    return _replay(path, deck_path, deck, force=True)


def _replay(
    path: _PathLike, deck_path: _PathLike | None, deck: Deck | None, *, force: bool
) -> tuple[Save, GameState, str]:
    save = read_save(path)
    deck_file = Path(deck_path) if deck_path is not None else deck_file_of(save)
    try:
        deck_bytes = read_capped(deck_file, DECK_LIMIT, "deck file")
    except FileRefused as error:
        raise SaveError(
            f"{path}: cannot read the deck {deck_file}: {error.detail} (if it has moved, name it with --deck)"
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
        state, opening = start_game(deck, save.seed, save.controllers)
    except ValueError as error:  # the engine's SetupError
        raise SaveError(f"{path}: the game cannot be set up again: {_reason(error)}") from error
    # The digest is computed again during the replay; `differs` says where it first parts from the
    # save's (with --force the replay goes on and the sentence says so).
    digested, differs = save.digest is not None, ""
    link = setup_link(save.seed, save.controllers, save.deck_sha256, opening)
    if digested and short(link) != save.checkpoints[0]:
        differs = "from its set-up on (the seed, the controllers or the deck)"
        if not force:
            raise SaveError(_differs(path, differs))
    total = len(save.actions)
    for number, action in enumerate(save.actions, start=1):
        try:
            after, events = apply(state, action)
        except IllegalActionError as error:
            stop = f'action {number} "{_tag(type(action))}" is illegal: {error.reason}'
            if not force:
                raise SaveError(f"{path}: {stop}") from error
            return (
                save,
                state,
                _how_far(f"replayed {number - 1} of {total} actions; stopped at {stop}", differs),
            )
        link = next_link(link, action, events)
        if digested and not differs and short(link) != save.checkpoints[number]:
            differs = f"from action {number} on ({_what(state, action)})"
            if not force:
                raise SaveError(_differs(path, differs))
        state = after
    if digested and not differs and link.hex() != save.digest:
        last = f"action {total}" if total else "its set-up"
        differs = f"after {last}, where its log ends (the saved game's digest is of another game)"
        if not force:
            raise SaveError(_differs(path, differs))
    if force:
        what = "the deck has changed since the save; " if changed else ""
        same = ", the same game as saved (digest)" if digested and not differs else ""
        return save, state, _how_far(f"{what}replayed all {total} actions{same}", differs)
    replayed = _snapshot(state)
    for key in _SNAPSHOT:
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


def _differs(path: _PathLike, where: str) -> str:
    return f"{path}: the game differs from the one saved {where}: it was edited or damaged"


def _how_far(replayed: str, differs: str) -> str:
    """What a forced load found: how far it replayed, and where the game differs from the saved one."""
    return f"{replayed}; the game differs from the one saved {differs}" if differs else replayed


def _what(state: GameState, action: Action) -> str:
    """An action in words for a message, from the state it was played in: "Estonia's vote"."""
    if isinstance(action, PlayCard):
        red = state.deck.adversary
        return f"{red.name if red is not None and red.id == action.seat else action.seat}'s play"
    if isinstance(action, PLAYER_ACTIONS):
        nation = next((n.name for n in state.deck.nations if n.id == action.nation), action.nation)
        pending = state.pending
        if isinstance(action, ChooseResponse):
            vote = isinstance(pending, RespondDecision) and pending.is_vote
            return f"{nation}'s {'vote' if vote else 'response'}"
        if isinstance(action, TakePosition):
            return f"{nation}'s position"
        if isinstance(action, RequestConsultation):
            return f"{nation}'s request for consultations"
        if isinstance(action, Object):
            return f"{nation}'s answer to the proposal"
        return f"{nation}'s {'investment' if isinstance(action, Invest) else 'pass'}"
    steering: dict[type, str] = {InjectCard: "card injected", ForceRoll: "forced roll",
                                 AdjustTrack: "track adjustment", AdjustStat: "stat adjustment",
                                 AddNote: "note", VetoCard: "veto"}  # fmt: skip
    return f"the facilitator's {steering[type(action)]}"


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
    digest: str | None = None  # format 3 on
    setup_digest: str | None = None  # format 3 on
    paused_timer: float | None = None  # format 4 on
    branched_from: _Branch | None = None  # format 4 on
    undone: tuple[_Undone, ...] = ()  # format 4 on


@attrs.frozen
class _Branch:
    path: str
    sha256: str
    turn: int


@attrs.frozen
class _Undone:
    at: str
    turn: int
    round: int
    summary: str
    actions: tuple[Mapping[str, Any], ...] = ()


@attrs.frozen
class _Snapshot:
    turn: int
    round: int
    over: bool
    tracks: Mapping[str, int]
    ending: str | None = None
    scores: Mapping[str, int] = attrs.field(factory=dict)
    adversary_stats: Mapping[str, int] = attrs.field(factory=dict)  # rules v2, a deck with an adversary


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
    logged = document.get("actions")
    if isinstance(logged, list) and len(logged) > MAX_ACTIONS:
        raise _Invalid(f"the log has {len(logged):,} actions, more than a save may hold ({MAX_ACTIONS:,})")
    file = _structure(document, _File, "")
    header, snapshot = file.save, file.snapshot
    if header.format < 1:
        raise _Invalid(f"save format {header.format} is unknown")
    digested = header.format > _UNDIGESTED
    recorded = header.format > _UNRECORDED
    for key in ("paused_timer", "branched_from", "undone"):
        if not recorded and getattr(header, key) not in (None, ()):
            raise _Invalid(f'save: unknown key "{key}" (a format {header.format} save has no record of it)')
    for key, digits in (("digest", 64), ("setup_digest", SHORT)):
        value = getattr(header, key)
        if not digested and value is not None:
            raise _Invalid(f'save: unknown key "{key}" (a format {header.format} save has no digest)')
        if digested and not (isinstance(value, str) and re.fullmatch(f"[0-9a-f]{{{digits}}}", value)):
            got = "nothing" if value is None else describe(value)
            raise _Invalid(f"save.{key}: expected {digits} lower-case hex digits, got {got}")
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
        except ControllerError as error:
            raise _Invalid(f"save.controllers.{nation}: {error}") from None
    timer = header.facilitation.turn_timer
    if timer is not None and not is_turn_timer(timer):
        raise _Invalid(
            f"save.facilitation.turn_timer: expected a number of seconds {bounds_text()}"
            f" (at least 1 second, at most 24 hours), got {describe(timer)}"
        )
    paused = header.paused_timer
    if paused is not None and not (0 < paused <= (timer or 0)):
        raise _Invalid(
            f"save.paused_timer: expected the seconds left on the paused turn timer (more than 0, at most"
            f" its {describe(timer) if timer is not None else 'none'}), got {describe(paused)}"
        )
    logged = [
        _parse_action(table, f"action {number}", digested, recorded)
        for number, table in enumerate(file.actions, 1)
    ]
    actions = tuple(action for action, _, _ in logged)
    if snapshot.turn != len(actions):
        raise _Invalid(
            f"the snapshot is at turn {snapshot.turn} but the log has {len(actions)} actions"
            " (is the file truncated?)"
        )
    if not digested and snapshot.adversary_stats:  # the adversary came with format 3
        raise _Invalid(
            f'snapshot: unknown key "adversary_stats" (a format {header.format} save has no adversary)'
        )
    if snapshot.over != (snapshot.ending is not None):
        raise _Invalid("snapshot.ending should be given exactly when snapshot.over is true")
    fields = {**attrs.asdict(header, recurse=False), **attrs.asdict(snapshot, recurse=False)}
    del fields["setup_digest"]
    if digested:
        fields["checkpoints"] = (header.setup_digest, *(checkpoint for _, checkpoint, _ in logged))
    by = tuple(decider for _, _, decider in logged if decider is not None)
    fields["deciders"] = by if recorded else inferred_deciders(controllers, actions)
    fields["undone"] = tuple(_parse_undone(line, number) for number, line in enumerate(header.undone, 1))
    branch = header.branched_from
    if branch is not None:
        if not re.fullmatch(r"[0-9a-f]{64}", branch.sha256):
            raise _Invalid(
                f"save.branched_from.sha256: expected 64 lower-case hex digits, got {_show(branch.sha256)}"
            )
        if branch.turn < 0 or "\x00" in branch.path:
            raise _Invalid("save.branched_from: expected a path and a turn of 0 or more")
        fields["branched_from"] = BranchedFrom(Path(branch.path), branch.sha256, branch.turn)
    fields.update(deck_path=Path(header.deck_path), actions=actions, controllers=controllers)
    fields.update(
        created=_parse_time(header.created, "created"), updated=_parse_time(header.updated, "updated")
    )
    return Save(**fields)


def _parse_undone(line: _Undone, number: int) -> Undone:
    """A line that undo took back, its actions read like the log's (with who made each)."""
    where = f"save.undone {number}"
    if line.turn < 0 or line.round < 1:
        raise _Invalid(f"{where}: expected a turn of 0 or more and a round of 1 or more")
    logged = [
        _parse_action(table, f"{where}: action {index}", False, True)
        for index, table in enumerate(line.actions, 1)
    ]
    return Undone(
        _parse_time(line.at, "undone.at"),
        line.turn,
        line.round,
        tuple(action for action, _, _ in logged),
        tuple(decider for _, _, decider in logged if decider is not None),
        line.summary,
    )


def _parse_action(
    table: Mapping[str, Any], where: str, digested: bool, recorded: bool
) -> tuple[Action, str, Decider | None]:
    """An action of the log, its checkpoint ("" in a save without a digest) and who made it (None
    in a save older than the record)."""
    tag = table.get("type")
    if not isinstance(tag, str) or tag not in _ACTIONS:
        known = ", ".join(quote(name) for name in _ACTIONS)
        got = describe(tag) if "type" in table else "nothing"
        hint = did_you_mean(tag, _ACTIONS) if isinstance(tag, str) else ""
        raise _Invalid(f"{where}: type: expected one of {known}, got {got}{hint}")
    where = f"{where} ({quote(tag)})"
    fields = {
        key: value
        for key, value in table.items()
        if key != "type" and not (digested and key == "digest") and not (recorded and key == "by")
    }
    for name in _OPTIONAL[tag]:  # TOML has no null: a field left out is None
        fields.setdefault(name, None)
    checkpoint = table.get("digest") if digested else ""
    if not isinstance(checkpoint, str) or (digested and not re.fullmatch(f"[0-9a-f]{{{SHORT}}}", checkpoint)):
        got = describe(checkpoint) if "digest" in table else "nothing"
        raise _Invalid(f"{where}: digest: expected {SHORT} lower-case hex digits, got {got}")
    decider = table.get("by") if recorded else None
    if recorded and decider not in DECIDERS:
        known = ", ".join(quote(name) for name in DECIDERS)
        got = describe(decider) if "by" in table else "nothing"
        raise _Invalid(f"{where}: by: expected one of {known}, got {got}")
    return _structure(fields, _ACTIONS[tag], where), checkpoint, decider


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
