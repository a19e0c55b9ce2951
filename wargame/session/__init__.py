"""A game session: the deck, the state, the action log, the event log and the autosave.

The terminal UI drives a `Session`; the session knows nothing of textual, so it is tested on its own.

    session = Session.new(deck_path, deck, seed=7, controllers={"POL": Human()}, saves_dir=Path("saves"))
    while not session.over:
        action = ... if session.is_human_turn else session.ai_action()
        events = session.decide(action)   # applied, logged, autosaved

A game has seats: each nation and, when the deck has one, the adversary (a red-cell team or the red
AI). `session.seat` is the seat whose decision is pending, whichever it is; the AI decides for a seat
from that seat's view (`wargame.ai.choose`). The facilitator may veto the adversary's card (`veto`,
`veto_last_play`).

A game is its deck, seed and actions, so everything here can be rebuilt by replaying the log: that is
how `resume` restores the event log, and how `undo` works (see `facilitator.undo_point`).

The session keeps the record a debrief rests on, in its save: who really made each decision
(`deciders`: the team, the AI, the AI on a team's timeout, the facilitator; `decide(action, by=...)`),
what undo took back (`undone`), the save a branch was started from (`branched_from`, see `branch`),
and the decision timer when the facilitator left it paused (`paused_timer`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, get_args

from wargame import ai
from wargame.engine import apply, is_over, legal_actions, start_game
from wargame.model import (
    HUMAN,
    Action,
    Controller,
    Decider,
    Deck,
    GameState,
    Planner,
    PlayCard,
    Scripted,
    VetoCard,
    decider_of,
    seat_of,
)
from wargame.model.events import Event
from wargame.session.facilitator import last_play, undo_point, undone_summary
from wargame.session.turns import Remote
from wargame.storage.saves import (
    PLAIN,
    BranchedFrom,
    Facilitation,
    SaveError,
    Undone,
    deck_file_of,
    force_load_game,
    hash_deck,
    load_game,
    make_save,
    remove_stale_temporaries,
    write_save,
)

__all__ = [
    "DEFAULT_SAVES",
    "DIFFICULTIES",
    "Difficulty",
    "Session",
    "default_controllers",
    "random_seed",
    "save_path_for",
    "shown_path",
    "with_difficulty",
]

#: Where saves go unless told otherwise (relative to the working folder).
DEFAULT_SAVES = Path("saves")


def random_seed() -> int:
    """A fresh seed, short enough to read out and type in again."""
    return secrets.randbelow(900_000) + 100_000


def default_controllers(deck: Deck, humans: Sequence[str] | None = None) -> dict[str, Controller]:
    """Every seat's controller, the nations' in turn order and then the adversary's (when the deck has
    one): the named seats (by default the first frontline nation) are human, the rest the AI on their
    default personas (the adversary's own, a red persona)."""
    if humans is None:
        first = next((nation for nation in deck.nations if nation.frontline), deck.nations[0])
        humans = [first.id]
    seated: dict[str, Controller] = {
        n.id: HUMAN if n.id in humans else Scripted(n.persona) for n in deck.nations
    }
    red = deck.adversary
    if red is not None:
        seated[red.id] = HUMAN if red.id in humans else Scripted(red.persona)
    return seated


#: How hard a solo game is: who of the AI seats plans ahead (`wargame.ai.planner`).
Difficulty = Literal["easy", "normal", "hard"]

#: The difficulties, easiest first; "normal" is the default.
DIFFICULTIES: tuple[Difficulty, ...] = get_args(Difficulty)


def with_difficulty(
    deck: Deck, controllers: Mapping[str, Controller], difficulty: Difficulty
) -> dict[str, Controller]:
    """The controllers for a difficulty: "easy", the AI nations plan (`ai:<persona>:planner`) and the
    adversary is scripted; "normal", every AI seat is scripted; "hard", the adversary plans and the AI
    nations are scripted. Each AI seat keeps its persona and human seats stay human. A deck without an
    adversary has nobody to make harder: "hard" is "normal" there."""
    seated: dict[str, Controller] = {}
    for seat, controller in controllers.items():
        if isinstance(controller, Scripted):
            # Who plans: the allies when it is easy, the opponent when it is hard.
            plans = difficulty == ("hard" if deck.is_adversary(seat) else "easy")
            controller = Planner(controller.persona) if plans else Scripted(controller.persona)
        seated[seat] = controller
    return seated


def shown_path(path: Path) -> str:
    """A path as short as is clear: relative to the working folder when it is inside it."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
    except (OSError, ValueError):
        return str(path)


def save_path_for(saves_dir: Path, deck: Deck, seed: int, now: datetime) -> Path:
    """A new save file's path: `<deck-id>-<YYYYmmdd-HHMMSS>-seed<seed>.toml`, never an existing file."""
    stem = f"{deck.info.id}-{now.strftime('%Y%m%d-%H%M%S')}-seed{seed}"
    path, number = saves_dir / f"{stem}.toml", 1
    while path.exists():
        number += 1
        path = saves_dir / f"{stem}-{number}.toml"
    return path


class Session:
    """One game being played: its state, its logs and where it is saved."""

    def __init__(
        self,
        deck_path: Path,
        deck: Deck,
        opening: tuple[GameState, list[Event]],
        save_path: Path | None,
        created: datetime | None = None,
        deck_sha256: str | None = None,
        facilitation: Facilitation = PLAIN,
    ) -> None:
        self.deck_path = deck_path
        self.deck = deck
        self.deck_sha256 = deck_sha256
        """The hash of the deck as this game was started with it: taken once, so a deck edited during
        the game is not recorded as the one it was played with (None: the file could not be read)."""
        if deck_sha256 is None:
            with contextlib.suppress(SaveError):
                self.deck_sha256 = hash_deck(deck_path)
        self.start, self.opening = opening[0], list(opening[1])
        """The state the game began from (the seed and controllers are in it), and the set-up's events."""
        self.state = self.start
        self.actions: list[Action] = []
        self.events: list[Event] = list(self.opening)
        self.save_path = save_path
        """Where the game is autosaved; None when it is not saved at all."""
        self.created = created
        """When the game began, kept in every save after the first."""
        self.last_saved: datetime | None = None
        """When the game was last saved, as the save records it (UTC); None until it is."""
        self.save_problem: str | None = None
        """Why the last autosave failed, if it did (the game goes on)."""
        self.saved_turn: int | None = None
        """How many actions the save file holds, as this session last wrote or loaded it; None while it
        holds nothing of this game."""
        self.notice: str | None = None
        """Something to tell the room when the game is shown (how far a forced resume went)."""
        self.facilitation = facilitation
        """How the session is run (facilitator mode, turn timer), kept in every save."""
        self.deciders: list[Decider] = []
        """Who made each action of `actions`: "team", "ai", "ai-timeout" or "facilitator"."""
        self.undone: list[Undone] = []
        """What undo took back, oldest first: kept in the save as abandoned lines."""
        self.branched_from: BranchedFrom | None = None
        """The save this game was branched from (`branch`), if it was."""
        self.remote: Remote | None = None
        """The seats decided elsewhere (a networked host's), if any: the TUI's loop waits for them
        instead of asking the keyboard. Not saved: `wargame host --resume` serves them again."""
        self.paused_timer: float | None = None
        """Seconds left on the decision timer of the pending decision while the facilitator has it
        paused (None: it runs, or there is none): saved, so a resume after a crash keeps it paused."""

    # --- starting ----------------------------------------------------------------------------------

    @classmethod
    def new(
        cls,
        deck_path: Path,
        deck: Deck,
        seed: int,
        controllers: Mapping[str, Controller | str],
        saves_dir: Path | None = DEFAULT_SAVES,
        now: datetime | None = None,
        facilitation: Facilitation = PLAIN,
    ) -> Session:
        """A new game, saved at once into `saves_dir` (None: not saved); `SetupError` on bad controllers."""
        now = now or datetime.now(UTC)
        save_path = None if saves_dir is None else save_path_for(saves_dir, deck, seed, now.astimezone())
        if saves_dir is not None:  # what killed autosaves left, of any game here (never a live one's)
            remove_stale_temporaries(saves_dir)
        opening = start_game(deck, seed, controllers)
        session = cls(deck_path, deck, opening, save_path, created=now, facilitation=facilitation)
        session.autosave(now)
        return session

    @classmethod
    def resume(cls, path: Path, deck_path: Path | None = None) -> Session:
        """The game saved at `path`, replayed to its last position; `SaveError` if it cannot be.

        The session saves back into the same file, which is only ever done once it loaded cleanly.
        The temporary files a killed autosave of this save left beside it are removed.
        """
        save, state = load_game(path, deck_path)
        remove_stale_temporaries(Path(path).parent, Path(path).name)
        deck = state.deck
        opening = start_game(deck, save.seed, save.controllers)
        where = deck_path or deck_file_of(save)
        session = cls(where, deck, opening, Path(path), deck_sha256=save.deck_sha256)
        session.created, session.facilitation = save.created, save.facilitation
        session.last_saved, session.saved_turn = save.updated, len(save.actions)
        session.replay(save.actions, save.deciders)
        session.undone, session.branched_from = list(save.undone), save.branched_from
        session.paused_timer = save.paused_timer
        return session

    @classmethod
    def resume_forced(
        cls, path: Path, now: datetime | None = None, deck_path: Path | None = None
    ) -> tuple[Session, str]:
        """A save whose deck has changed since, replayed as far as the deck allows (`force_load_game`).

        The game goes on in a new file beside the old one, which is never written. Returns the session
        and a sentence saying how far the replay went and where the game is saved now.
        """
        save, state, how_far = force_load_game(path, deck_path)
        deck = state.deck
        now = now or datetime.now(UTC)
        new_path = save_path_for(Path(path).parent, deck, save.seed, now.astimezone())
        where = deck_path or deck_file_of(save)
        session = cls(where, deck, start_game(deck, save.seed, save.controllers), new_path)
        session.created, session.facilitation = save.created, save.facilitation
        session.replay(save.actions[: state.turn], save.deciders[: state.turn])
        session.undone, session.branched_from = list(save.undone), save.branched_from
        session.autosave(now)
        session.notice = f"{path}: {how_far}. The game goes on from there in {new_path}; {path} is unchanged."
        return session, session.notice

    def replay(self, actions: Sequence[Action], deciders: Sequence[Decider] | None = None) -> None:
        """Play `actions` from the start of the game, rebuilding the state and both logs (no save);
        `deciders` says who made each (by default: as this session recorded them, else inferred)."""
        if deciders is None:
            known = self.deciders[: len(actions)] if self.actions[: len(actions)] == list(actions) else []
            deciders = known + [decider_of(self.start.controllers, a) for a in actions[len(known) :]]
        if len(deciders) != len(actions):
            raise ValueError(f"{len(deciders)} deciders for {len(actions)} actions")
        self.state, self.actions, self.events = self.start, [], list(self.opening)
        self.deciders = list(deciders)
        for action in actions:
            self.state, events = apply(self.state, action)
            self.actions.append(action)
            self.events.extend(events)

    # --- playing -----------------------------------------------------------------------------------

    @property
    def over(self) -> bool:
        """Whether the game has ended."""
        return is_over(self.state)

    @property
    def seat(self) -> str | None:
        """The seat that decides now (a nation's id, or the adversary's), or None once the game is over."""
        pending = self.state.pending
        return None if pending is None else pending.seat

    @property
    def nation(self) -> str | None:
        """The same as `seat` (the name from before the adversary had a seat; it may be the adversary's)."""
        return self.seat

    def is_human(self, seat: str) -> bool:
        """Whether a person plays this seat (a nation, or the adversary: a red-cell team)."""
        return self.state.is_human(seat)

    def default_persona(self, seat: str) -> str:
        """The persona the AI plays a seat with when it decides for people (the turn timer's "ai"):
        the nation's own, or the adversary's default red persona."""
        red = self.deck.adversary
        return red.persona if red is not None and seat == red.id else self.deck.nation(seat).persona

    def is_adversary(self, seat: str | None) -> bool:
        """Whether this seat is the deck's adversary."""
        return seat is not None and self.deck.is_adversary(seat)

    @property
    def is_human_turn(self) -> bool:
        """Whether a person makes the pending decision."""
        seat = self.seat
        return seat is not None and self.state.is_human(seat)

    @property
    def humans(self) -> list[str]:
        """The seats people play: the nations in turn order, then the adversary if a red-cell team
        plays it (a hot-seat game hands over between all of them)."""
        red = self.deck.adversary
        seats = [n.id for n in self.deck.nations] + ([] if red is None else [red.id])
        return [seat for seat in seats if self.state.is_human(seat)]

    def choices(self) -> list[Action]:
        """The legal choices of the pending decision."""
        return legal_actions(self.state)

    def ai_action(self) -> Action:
        """What the AI plays for the seat whose decision is pending (the adversary's too: its red
        persona), decided from that seat's view of the game."""
        seat = self.seat
        if seat is None:
            raise ValueError("the game is over")
        return ai.choose(self.state, seat)

    def decide(self, action: Action, by: Decider | None = None) -> list[Event]:
        """Apply an action, log it and autosave; `IllegalActionError` (nothing changed) if refused.

        `by` is who really made it, for the record: "ai-timeout" when the AI decided for a team
        whose time ran out, "facilitator" for a decision the facilitator made for a seat; None
        infers it (the seat's team or its AI; the facilitator for its own actions)."""
        before = self.state
        self.state, events = apply(before, action)
        self.actions.append(action)
        self.deciders.append(by if by is not None else decider_of(before.controllers, action))
        self.events.extend(events)
        if seat_of(action) is not None or self.state.pending != before.pending:
            self.paused_timer = None  # the decision the timer was paused for is made
        self.autosave()
        return events

    # --- the facilitator's veto -------------------------------------------------------------------

    def veto(self, card: str) -> list[Event]:
        """The facilitator vetoes a card in the adversary's hand while the adversary is choosing its
        play (a red-cell team at its hand, or before the AI's turn): the card goes onto the discard
        pile and the adversary chooses among the rest. Applied, logged and autosaved like `decide`;
        `IllegalActionError` (nothing changed) when it is not the adversary's turn or the card is not
        in its hand."""
        return self.decide(VetoCard(card))

    def last_play(self) -> PlayCard | None:
        """The adversary's play that `veto_last_play` would take back: the last action of the log, when
        it is the adversary's play and nothing has happened since (no response to the card yet)."""
        return last_play(self.actions)

    def veto_last_play(self) -> list[Event]:
        """The facilitator vetoes the card the adversary has just played, before anyone answers it.

        The AI adversary plays at once, so the facilitator sees its card only once it is in play: the
        play is taken back (the game goes back to just before it, as an undo would) and the card is
        vetoed there (`VetoCard`), so the adversary must choose again among the rest of its hand —
        its AI at its next turn, or the red-cell team. The log keeps the veto, not the play. Returns
        the veto's events; `ValueError` (nothing changed) when the last action is not the adversary's
        play (`last_play`). One undo afterwards takes the veto back: the adversary then plays again,
        and its AI makes the same play.
        """
        play = self.last_play()
        if play is None:
            raise ValueError("the adversary has not just played a card: there is no play to veto")
        # Just before the play the adversary was choosing, with the card in its hand: the veto is legal.
        self.replay(self.actions[:-1], self.deciders[:-1])
        return self.decide(VetoCard(play.card))

    # --- undo ------------------------------------------------------------------------------------

    def undo_point(self) -> int | None:
        """How many actions one undo would keep; None when there is nothing to undo."""
        return undo_point(self.start, self.actions)

    def state_after(self, count: int) -> GameState:
        """The state after the first `count` actions (a replay; the session is unchanged)."""
        state = self.start
        for action in self.actions[:count]:
            state, _ = apply(state, action)
        return state

    def undo(self, now: datetime | None = None) -> list[Action]:
        """Take back the last action of a person or the facilitator and the AI's after it, and save.

        What it took back is kept in `undone` (and so in the save and the report) as an abandoned
        line: when, back to which turn, the actions and who made them, and a line in words. Returns
        the actions removed, oldest first (none when there is nothing to undo).
        """
        keep = self.undo_point()
        if keep is None:
            return []
        removed, by = self.actions[keep:], self.deciders[keep:]
        before, reached = self.state_after(keep), self.state
        at = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        summary = undone_summary(before, removed, reached, at)
        self.undone.append(Undone(at, keep, before.round, tuple(removed), tuple(by), summary))
        self.replay(self.actions[:keep], self.deciders[:keep])
        self.paused_timer = None
        self.autosave()
        return removed

    # --- branching -------------------------------------------------------------------------------

    def branch(self, turn: int, path: Path, now: datetime | None = None) -> Session:
        """A new session that goes on from turn `turn` of this game (after its first `turn` actions,
        the decision of turn `turn` pending again), saved at once in a new file at `path`.

        The new save records where it came from (`branched_from`: this save's path, the SHA-256 of its
        bytes, the turn); this session and its save file are left as they are. `ValueError` with a
        sentence for the room when the turn is not one of this game's or `path` exists; `SaveError`
        when this game's save cannot be read or the new one cannot be written.
        """
        problem = self.branch_problem(turn, path)
        if problem is not None:
            raise ValueError(problem)
        assert self.save_path is not None
        try:
            original = hashlib.sha256(self.save_path.read_bytes()).hexdigest()
        except OSError as error:
            raise SaveError(
                f"{self.save_path}: cannot read the save to branch from: {error.strerror}"
            ) from error
        now = now or datetime.now(UTC)
        opening = (self.start, list(self.opening))
        branch = Session(
            self.deck_path, self.deck, opening, path, created=now, deck_sha256=self.deck_sha256,
            facilitation=self.facilitation,
        )  # fmt: skip
        branch.replay(self.actions[:turn], self.deciders[:turn])
        branch.branched_from = BranchedFrom(self.save_path.resolve(), original, turn)
        if not branch.autosave(now):
            raise SaveError(branch.save_problem or f"{path}: could not write the save")
        return branch

    def states_before(self) -> list[GameState]:
        """The state before each action, in order (one replay): where a branch at each turn starts."""
        states, state = [], self.start
        for action in self.actions:
            states.append(state)
            state, _ = apply(state, action)
        return states

    def branch_path(self, turn: int) -> Path | None:
        """A new file beside this game's save for a branch at `turn` (`<save>-branch-<turn>.toml`, or
        `-2`, `-3`… when taken); None when the game is not saved."""
        if self.save_path is None:
            return None
        stem = f"{self.save_path.stem}-branch-{turn}"
        path, number = self.save_path.with_name(f"{stem}.toml"), 1
        while path.exists() or path.is_symlink():
            number += 1
            path = self.save_path.with_name(f"{stem}-{number}.toml")
        return path

    def branch_problem(self, turn: int, path: Path) -> str | None:
        """Why `branch(turn, path)` would be refused, in a sentence; None when it would not."""
        if self.save_path is None:
            return "this game is not saved: there is no save to branch from"
        if not 0 <= turn <= len(self.actions):
            return (
                f"there is no turn {turn} in {shown_path(self.save_path)}: its turns are 0 to"
                f" {len(self.actions)} (turn N: after its first N actions)"
            )
        if Path(path).exists() or Path(path).is_symlink():
            return f"{path} already exists: a branch goes into a new save file"
        return None

    # --- the decision timer ----------------------------------------------------------------------

    def keep_timer(self, paused: float | None) -> None:
        """Record the decision timer as the facilitator left it: paused with these seconds left, or
        running (None), and save, so that a resume after a crash finds it so."""
        if paused is not None:  # tenths of a second are plenty, and the save reads more than 0
            paused = max(round(paused, 1), 0.1)
        if paused != self.paused_timer:
            self.paused_timer = paused
            self.autosave()

    # --- saving ------------------------------------------------------------------------------------

    def autosave(self, now: datetime | None = None) -> bool:
        """Save the game atomically; on failure keep the reason in `save_problem` and return False."""
        if self.save_path is None:
            return True
        try:
            save = make_save(
                self.deck_path,
                self.deck,
                self.state,
                self.actions,
                self.created,
                now,
                self.deck_sha256,
                self.facilitation,
                deciders=self.deciders,
                undone=self.undone,
                branched_from=self.branched_from,
                paused_timer=self._paused_for_save(),
            )
            write_save(self.save_path, save)
        except SaveError as error:
            self.save_problem = str(error)
            return False
        self.created = self.created or save.created
        self.last_saved, self.saved_turn = save.updated, len(self.actions)
        self.save_problem = None
        return True

    def _paused_for_save(self) -> float | None:
        """The paused timer as a save may hold it: within the session's timer (resumed with a shorter
        one, the countdown shows no more than that either), and none without a timer."""
        limit = self.facilitation.turn_timer
        return None if self.paused_timer is None or not limit else min(self.paused_timer, limit)

    @property
    def is_saved(self) -> bool:
        """Whether the save file holds the game as it stands: the last autosave (or the load) worked."""
        return self.save_path is not None and self.saved_turn is not None and self.save_problem is None

    def save_warning(self) -> str | None:
        """What to tell the room when the game is meant to be saved but its file does not hold it as it
        stands (the last autosave failed); None when it does, or when the game is not saved at all."""
        if self.save_path is None or self.is_saved:
            return None
        problem = self.save_problem or f"{self.save_path}: it was never written"
        where = shown_path(self.save_path)
        if self.saved_turn is None:
            return (
                f"The game is not saved: {problem}. Nothing of it was written,"
                " so it cannot be continued later."
            )
        return (
            f"The game is not saved: {problem}. {where} holds it only as far as turn {self.saved_turn}:"
            f" wargame resume {where} goes on from there."
        )
