"""A game session: the deck, the state, the action log, the event log and the autosave.

The terminal UI drives a `Session`; the session knows nothing of textual, so it is tested on its own.

    session = Session.new(deck_path, deck, seed=7, controllers={"POL": "human"}, saves_dir=Path("saves"))
    while not session.over:
        action = ... if session.is_human_turn else session.ai_action()
        events = session.decide(action)   # applied, logged, autosaved

A game is its deck, seed and actions, so everything here can be rebuilt by replaying the log: that is
how `resume` restores the event log, and how undo will work.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from wargame import ai
from wargame.engine import apply, is_over, legal_actions, new_game
from wargame.model import Action, Deck, GameState
from wargame.model.events import CardDrawn, Event, RoundStarted, StatMoved, TrackMoved
from wargame.storage.saves import SaveError, load_game, make_save, write_save

__all__ = ["DEFAULT_SAVES", "Session", "default_controllers", "random_seed", "save_path_for"]

#: Where saves go unless told otherwise (relative to the working folder).
DEFAULT_SAVES = Path("saves")


def random_seed() -> int:
    """A fresh seed, short enough to read out and type in again."""
    return secrets.randbelow(900_000) + 100_000


def default_controllers(deck: Deck, humans: Sequence[str] | None = None) -> dict[str, str]:
    """Every nation's controller: the named nations (by default the first frontline one) are human,
    the rest the AI on their default personas."""
    if humans is None:
        first = next((nation for nation in deck.nations if nation.frontline), deck.nations[0])
        humans = [first.id]
    return {n.id: "human" if n.id in humans else f"ai:{n.persona}" for n in deck.nations}


def save_path_for(saves_dir: Path, deck: Deck, seed: int, now: datetime) -> Path:
    """A new save file's path: `<deck-id>-<YYYYmmdd-HHMMSS>-seed<seed>.toml`, never an existing file."""
    stem = f"{deck.info.id}-{now.strftime('%Y%m%d-%H%M%S')}-seed{seed}"
    path, number = saves_dir / f"{stem}.toml", 1
    while path.exists():
        number += 1
        path = saves_dir / f"{stem}-{number}.toml"
    return path


def opening_events(state: GameState) -> list[Event]:
    """What a new game shows before its first decision: `new_game` returns no events, so the first
    card and what its drawing changed are read off the state (the treasury, which income also moved,
    is left out)."""
    deck = state.deck
    events: list[Event] = [RoundStarted(state.round)]
    if state.card is None:
        return events
    cause = f"card:{state.card}"
    events.append(CardDrawn(state.card, state.target))
    for track_id, track in deck.tracks.items():
        if state.tracks[track_id] != track.start:
            events.append(TrackMoved(track_id, track.start, state.tracks[track_id], cause))
    for nation in deck.nations:
        for stat, start in nation.stats.items():
            now = state.stats[nation.id][stat]
            if stat != "treasury" and now != start:
                events.append(StatMoved(nation.id, stat, start, now, cause))
    return events


class Session:
    """One game being played: its state, its logs and where it is saved."""

    def __init__(
        self,
        deck_path: Path,
        deck: Deck,
        start: GameState,
        save_path: Path | None,
        created: datetime | None = None,
    ) -> None:
        self.deck_path = deck_path
        self.deck = deck
        self.start = start
        """The state the game began from (the seed and controllers are in it)."""
        self.state = start
        self.actions: list[Action] = []
        self.events: list[Event] = opening_events(start)
        self.save_path = save_path
        """Where the game is autosaved; None when it is not saved at all."""
        self.created = created
        """When the game began, kept in every save after the first."""
        self.save_problem: str | None = None
        """Why the last autosave failed, if it did (the game goes on)."""

    # --- starting ----------------------------------------------------------------------------------

    @classmethod
    def new(
        cls,
        deck_path: Path,
        deck: Deck,
        seed: int,
        controllers: dict[str, str],
        saves_dir: Path | None = DEFAULT_SAVES,
        now: datetime | None = None,
    ) -> Session:
        """A new game, saved at once into `saves_dir` (None: not saved); `SetupError` on bad controllers."""
        now = now or datetime.now(UTC)
        save_path = None if saves_dir is None else save_path_for(saves_dir, deck, seed, now.astimezone())
        session = cls(deck_path, deck, new_game(deck, seed, controllers), save_path, created=now)
        session.autosave(now)
        return session

    @classmethod
    def resume(cls, path: Path) -> Session:
        """The game saved at `path`, replayed to its last position; `SaveError` if it cannot be.

        The session saves back into the same file, which is only ever done once it loaded cleanly.
        """
        save, state = load_game(path)
        deck = state.deck
        session = cls(save.deck_path, deck, new_game(deck, save.seed, save.controllers), Path(path))
        session.created = save.created
        session.replay(save.actions)
        return session

    def replay(self, actions: Sequence[Action]) -> None:
        """Play `actions` from the start of the game, rebuilding the state and both logs (no save)."""
        self.state, self.actions, self.events = self.start, [], opening_events(self.start)
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
    def nation(self) -> str | None:
        """Who decides now, or None once the game is over."""
        pending = self.state.pending
        return None if pending is None else pending.nation

    @property
    def is_human_turn(self) -> bool:
        """Whether a person makes the pending decision."""
        nation = self.nation
        return nation is not None and self.state.is_human(nation)

    @property
    def humans(self) -> list[str]:
        """The nations people play, in turn order."""
        return [n.id for n in self.deck.nations if self.state.is_human(n.id)]

    def choices(self) -> list[Action]:
        """The legal choices of the pending decision."""
        return legal_actions(self.state)

    def ai_action(self) -> Action:
        """What the AI plays for the nation whose decision is pending."""
        nation = self.nation
        if nation is None:
            raise ValueError("the game is over")
        return ai.choose(self.state, nation)

    def decide(self, action: Action) -> list[Event]:
        """Apply an action, log it and autosave; `IllegalActionError` (nothing changed) if refused."""
        self.state, events = apply(self.state, action)
        self.actions.append(action)
        self.events.extend(events)
        self.autosave()
        return events

    # --- saving ------------------------------------------------------------------------------------

    def autosave(self, now: datetime | None = None) -> bool:
        """Save the game atomically; on failure keep the reason in `save_problem` and return False."""
        if self.save_path is None:
            return True
        try:
            save = make_save(self.deck_path, self.deck, self.state, self.actions, self.created, now)
            write_save(self.save_path, save)
        except SaveError as error:
            self.save_problem = str(error)
            return False
        self.created = self.created or save.created
        self.save_problem = None
        return True
