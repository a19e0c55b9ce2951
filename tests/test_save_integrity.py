"""The digest of a game as played: an edited or damaged save is refused at the action where it differs.

Every edit here leaves a save that replays legally to the same snapshot (round, tracks, scores), which
is all that format 2 checked: only the digest of the actions and their events can tell.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import MINI, ROOT, joined, tables
from wargame.ai import choose
from wargame.cli import main
from wargame.engine import IllegalActionError, apply, legal_actions, new_game
from wargame.model import Action, AddNote, Deck, GameState, PlayCard, RespondDecision
from wargame.storage import load_deck
from wargame.storage.digest import canonical
from wargame.storage.saves import (
    MAX_ACTIONS,
    SaveError,
    force_load_game,
    load_game,
    make_save,
    read_save,
    write_save,
)

#: The bundled deck as of v1: these tests are about a save's integrity, which a plain v1 game shows
#: best (the v2 deck's adversary leaves no two actions that can swap and end the same).
BUNDLED = ROOT / "tests" / "decks" / "v1" / "eastern-flank-2025.toml"


@functools.cache
def bundled() -> Deck:
    return load_deck(BUNDLED)


@functools.cache
def ai_game(seed: int = 1) -> tuple[tuple[GameState, ...], tuple[Action, ...]]:
    """A whole game of the bundled deck played by the AI: every state on the way, and the actions."""
    state = new_game(bundled(), seed, {"POL": "human"})
    states, actions = [state], []
    while state.pending is not None:
        action = choose(state, state.pending.seat)
        state, _ = apply(state, action)
        states.append(state)
        actions.append(action)
    return tuple(states), tuple(actions)


def ends_the_same(start: GameState, actions: list[Action] | tuple[Action, ...], end: GameState) -> bool:
    """Whether `actions` replay legally from `start` to what a format 2 snapshot records of `end`."""
    state = start
    try:
        for action in actions:
            state, _ = apply(state, action)
    except IllegalActionError:
        return False
    fields = ("turn", "round", "tracks", "ending", "stats")
    return all(getattr(state, name) == getattr(end, name) for name in fields)


def saved(path: Path, actions: list[Action] | tuple[Action, ...], deck_path: Path = BUNDLED) -> Path:
    deck = load_deck(deck_path)
    state = new_game(deck, 1, {"POL": "human"})
    for action in actions:
        state, _ = apply(state, action)
    write_save(path, make_save(deck_path, deck, state, actions))
    return path


def refused_by_replay(path: Path, *words: str) -> str:
    """`wargame replay` refuses the save in one line naming it and every word; the file is unchanged."""
    before = path.read_bytes()
    run = CliRunner().invoke(main, ["replay", str(path)])
    assert run.exit_code == 1, run.output
    message = run.output.strip()
    assert "\n" not in message and "Traceback" not in message, message
    assert message.startswith(f"error: {path}: the game differs from the one saved "), message
    assert message.endswith(": it was edited or damaged"), message
    for word in words:
        assert word in message, message
    assert path.read_bytes() == before
    return message


# --- the edits that format 2 let through -----------------------------------------------------------


def test_a_changed_council_vote_is_refused_by_replay_at_that_action(tmp_path: Path) -> None:
    states, actions = ai_game()
    deck = bundled()
    changed = next(
        (number, alternative)
        for number, (state, action) in enumerate(zip(states, actions, strict=False), start=1)
        if isinstance(state.pending, RespondDecision)
        and state.pending.is_vote
        and state.pending.nation == "EST"
        for alternative in legal_actions(state)
        if alternative != action and ends_the_same(state, [alternative, *actions[number:]], states[-1])
    )
    number, vote = changed
    path = saved(tmp_path / "save.toml", actions)
    head, logged = tables(path.read_text("utf-8"))
    old = f'response = "{actions[number - 1].response}"'  # type: ignore[union-attr]
    assert logged[number - 1].count(old) == 1
    logged[number - 1] = logged[number - 1].replace(old, f'response = "{vote.response}"')  # type: ignore[union-attr]
    path.write_text(joined(head, logged), "utf-8")
    message = refused_by_replay(path, f"from action {number} on (Estonia's vote)")
    assert message == (
        f"error: {path}: the game differs from the one saved from action {number} on (Estonia's vote):"
        " it was edited or damaged"
    )
    assert deck.nations[1].name == "Estonia"


def test_two_legal_actions_reordered_are_refused_at_the_first(tmp_path: Path) -> None:
    states, actions = ai_game()
    first = next(
        index
        for index in range(len(actions) - 1)
        if actions[index] != actions[index + 1]
        and ends_the_same(
            states[index], [actions[index + 1], actions[index], *actions[index + 2 :]], states[-1]
        )
    )
    path = saved(tmp_path / "save.toml", actions)
    head, logged = tables(path.read_text("utf-8"))
    logged[first], logged[first + 1] = logged[first + 1], logged[first]
    path.write_text(joined(head, logged), "utf-8")
    refused_by_replay(path, f"from action {first + 1} on (")


def noted_game() -> list[Action]:
    """The AI game with a facilitator's note first and last: either can go without changing the end."""
    _, actions = ai_game()
    return [AddNote("The room is ready."), *actions[:60], AddNote("Break for lunch.")]


def with_turn(head: str, turn: int) -> str:
    text, count = re.subn(r"\nturn = \d+\n", f"\nturn = {turn}\n", head)
    assert count == 1
    return text


def test_the_first_action_dropped_with_the_turn_fixed_is_refused(tmp_path: Path) -> None:
    actions = noted_game()
    path = saved(tmp_path / "save.toml", actions)
    head, logged = tables(path.read_text("utf-8"))
    assert 'text = "The room is ready."' in logged[0]
    path.write_text(joined(with_turn(head, len(actions) - 1), logged[1:]), "utf-8")
    first = actions[1]
    if isinstance(first, PlayCard):  # a deck with an adversary: it plays first
        red = bundled().adversary
        assert red is not None
        what = f"{red.name}'s play"
    else:
        what = f"{next(n.name for n in bundled().nations if n.id == first.nation)}'s response"  # type: ignore[union-attr]
    refused_by_replay(path, f"from action 1 on ({what})")


def test_the_last_action_dropped_with_the_turn_fixed_is_refused(tmp_path: Path) -> None:
    actions = noted_game()
    path = saved(tmp_path / "save.toml", actions)
    head, logged = tables(path.read_text("utf-8"))
    assert 'text = "Break for lunch."' in logged[-1]
    path.write_text(joined(with_turn(head, len(actions) - 1), logged[:-1]), "utf-8")
    refused_by_replay(path, f"after action {len(actions) - 1}, where its log ends")


def test_an_edited_controller_is_refused_at_the_set_up(tmp_path: Path) -> None:
    _, actions = ai_game()
    path = saved(tmp_path / "save.toml", actions[:30])
    text = path.read_text("utf-8")
    assert text.count('EST = "ai:hawk"') == 1
    path.write_text(text.replace('EST = "ai:hawk"', 'EST = "ai:dove"'), "utf-8")
    refused_by_replay(path, "from its set-up on (the seed, the controllers or the deck)")
    path.write_text(text.replace('EST = "ai:hawk"\n', ""), "utf-8")  # the nation's default persona
    refused_by_replay(path, "from its set-up on")


def test_too_many_actions_are_refused_before_anything_is_replayed(tmp_path: Path) -> None:
    path = saved(tmp_path / "save.toml", noted_game())
    head, logged = tables(path.read_text("utf-8"))
    note = 'type = "add-note"\ntext = "x"\ndigest = "00000000"\n'
    extra = MAX_ACTIONS - len(logged) + 1
    path.write_text(joined(with_turn(head, MAX_ACTIONS + 1), [*logged, *[note] * extra]), "utf-8")
    before = path.read_bytes()
    with pytest.raises(SaveError) as caught:
        load_game(path)
    assert str(caught.value) == (
        f"{path}: the log has {MAX_ACTIONS + 1:,} actions, more than a save may hold ({MAX_ACTIONS:,})"
    )
    assert path.read_bytes() == before


# --- what still loads ------------------------------------------------------------------------------


def test_replay_says_what_it_verified(tmp_path: Path) -> None:
    _, actions = ai_game()
    path = saved(tmp_path / "save.toml", actions)
    run = CliRunner().invoke(main, ["replay", str(path)])
    assert run.exit_code == 0, run.output
    assert (
        f"Verified: {len(actions)} actions and their events replay to the saved game (digest)." in run.output
    )


def test_a_format_2_save_still_loads_checked_against_its_snapshot_only(tmp_path: Path) -> None:
    states, actions = ai_game()
    path = saved(tmp_path / "save.toml", actions[:50])
    text = path.read_text("utf-8")
    old = re.sub(
        r'\n((setup_)?digest = "[0-9a-f]+"|by = "[a-z-]+")', "", text.replace("format = 4", "format = 2")
    )
    assert "digest" not in old
    path.write_text(old, "utf-8")
    save, state = load_game(path)
    assert state == states[50] and save.format == 2 and save.digest is None and save.checkpoints == ()
    run = CliRunner().invoke(main, ["replay", str(path)])
    assert run.exit_code == 0, run.output
    assert (
        "Verified: 50 actions replay to the saved position (a format 2 save has no digest:"
        " checked against its snapshot only)." in run.output
    )
    assert path.read_text("utf-8") == old


def test_a_save_is_rewritten_with_its_digest(tmp_path: Path) -> None:
    states, actions = ai_game()
    path = saved(tmp_path / "save.toml", actions[:20])
    save = read_save(path)
    assert save.format == 4 and save.digest is not None and len(save.checkpoints) == 21
    assert load_game(path) == (save, states[20])


DIGEST_SCRIPT = """
import sys
from pathlib import Path
from wargame.ai import choose
from wargame.engine import apply, new_game
from wargame.model import AddNote, AdjustTrack
from wargame.storage import load_deck
from wargame.storage.saves import make_save

deck = load_deck(Path(sys.argv[1]))
state = new_game(deck, 7, {"POL": "human", "EST": "ai:dove"})
actions = [AddNote("Ünïcode, \\"quotes\\" and\\nlines"), AdjustTrack("escalation", 1, "a reason: why")]
for action in actions:
    state, _ = apply(state, action)
while state.pending is not None:
    action = choose(state, state.pending.seat)
    state, _ = apply(state, action)
    actions.append(action)
save = make_save(sys.argv[1], deck, state, actions, deck_sha256="0" * 64)
print(save.digest, " ".join(save.checkpoints[:3]), len(actions))
"""


def test_the_digest_is_the_same_in_every_process_and_hash_seed() -> None:
    found = set()
    for hash_seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        run = subprocess.run(
            [sys.executable, "-c", DIGEST_SCRIPT, str(MINI)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        found.add(run.stdout.strip())
    assert len(found) == 1
    digest, *checkpoints, count = found.pop().split()
    assert re.fullmatch(r"[0-9a-f]{64}", digest) and int(count) > 10
    assert all(re.fullmatch(r"[0-9a-f]{8}", checkpoint) for checkpoint in checkpoints)


def test_the_canonical_text_is_json_in_a_fixed_order() -> None:
    assert canonical(AddNote('a "b"\nü')) == '["AddNote",{"text":"a \\"b\\"\\nu00fc"}]'.replace(
        "u00fc", "\\u00fc"
    )
    assert canonical({"b": (1, None), "a": True}) == '{"a":true,"b":[1,null]}'


def test_force_load_of_a_save_whose_deck_changed_still_works(tmp_path: Path) -> None:
    deck_path = tmp_path / "deck.toml"
    shutil.copy(BUNDLED, deck_path)
    _, actions = ai_game()
    path = saved(tmp_path / "save.toml", actions[:40], deck_path)
    before = path.read_bytes()
    # A change no event shows (a track's description): the game as played is the same.
    text = deck_path.read_text("utf-8")
    words = "At zero the alliance fractures."
    assert text.count(words) == 1
    deck_path.write_text(text.replace(words, words + " Edited."), "utf-8")
    with pytest.raises(SaveError, match="has changed since this game was saved"):
        load_game(path)
    _, state, how_far = force_load_game(path)
    assert state.turn == 40
    assert (
        how_far
        == "the deck has changed since the save; replayed all 40 actions, the same game as saved (digest)"
    )
    # A change to the game (cohesion starts higher): the replay goes on and says where it first differs.
    assert text.count("start = 5\n") >= 1
    deck_path.write_text(text.replace("start = 5\n", "start = 6\n", 1), "utf-8")
    run = CliRunner().invoke(main, ["replay", "--force", str(path)])
    assert run.exit_code == 0, run.output
    assert "the game differs from the one saved from its set-up on" in run.output
    assert "Verified" not in run.output and "Round 1" in run.output
    assert path.read_bytes() == before


def test_force_load_of_an_edited_save_says_where_it_differs(tmp_path: Path) -> None:
    actions = noted_game()
    path = saved(tmp_path / "save.toml", actions)
    head, logged = tables(path.read_text("utf-8"))
    logged[0] = logged[0].replace("The room is ready.", "The room is not ready.")
    path.write_text(joined(head, logged), "utf-8")
    with pytest.raises(SaveError, match="from action 1 on"):
        load_game(path)
    _, state, how_far = force_load_game(path)
    assert state.turn == len(actions)
    assert how_far == (
        f"replayed all {len(actions)} actions; the game differs from the one saved from action 1 on"
        " (the facilitator's note)"
    )


def test_an_autosave_chains_only_the_new_action_and_an_undo_starts_again() -> None:
    from wargame.storage import digest

    states, actions = ai_game()
    deck, controllers = bundled(), states[0].controllers

    def fresh(count: int) -> tuple[bytes, ...]:
        digest._last = None
        return digest.game_chain(deck, 1, controllers, "0" * 64, actions[:count])

    expected = fresh(len(actions))
    digest._last = None
    for count in (*range(0, 40), 20, 41, 41, len(actions), 5):  # on, back (an undo), on again
        assert digest.game_chain(deck, 1, controllers, "0" * 64, actions[:count]) == expected[: count + 1]
    assert fresh(5) != digest.game_chain(deck, 1, controllers, "1" * 64, actions[:5])
