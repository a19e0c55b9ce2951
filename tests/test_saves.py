"""Saves: written atomically, read strictly, replayed to the very same game, refused when wrong."""

from __future__ import annotations

import functools
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import get_args

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import MINI, random_play
from wargame.engine import IllegalActionError, apply, is_over, new_game
from wargame.model import (
    Action,
    AddNote,
    AdjustStat,
    AdjustTrack,
    ChooseResponse,
    Deck,
    ForceRoll,
    GameState,
    Human,
    InjectCard,
    Invest,
    Object,
    Pass,
    PlayCard,
    RequestConsultation,
    RespondDecision,
    Scripted,
    TakePosition,
    VetoCard,
)
from wargame.storage import load_deck, saves
from wargame.storage.saves import (
    PLAIN,
    Facilitation,
    Save,
    SaveError,
    format_save,
    list_saves,
    load_game,
    make_save,
    newest_save,
    read_save,
    write_save,
)

NOW = datetime(2026, 11, 21, 5, 40, tzinfo=UTC)
CONTROLLERS = {"POL": "human", "EST": "ai:hawk"}


@functools.cache
def mini_deck() -> Deck:
    return load_deck(MINI)


@pytest.fixture
def deck() -> Deck:
    return mini_deck()


def play(
    deck: Deck, seed: int, steps: int, *, steer: float = 0.0, controllers: dict[str, str] | None = None
) -> tuple[list[GameState], list[Action]]:
    """Random legal play (and, with chance `steer`, facilitator actions); every state on the way."""
    return random_play(
        deck, seed, steps, steer=steer, controllers=CONTROLLERS if controllers is None else controllers
    )


def save_at(path: Path, deck_path: Path, deck: Deck, states: list[GameState], actions: list[Action],
            turn: int) -> Save:  # fmt: skip
    save = make_save(deck_path, deck, states[turn], actions[:turn], now=NOW)
    write_save(path, save)
    return save


def finished(deck: Deck, seed: int = 11) -> tuple[list[GameState], list[Action]]:
    states, actions = play(deck, seed, 10_000, steer=0.1)
    assert is_over(states[-1])
    return states, actions


def refuse(path: Path, call: Callable[[], object], *words: str) -> str:
    """`call()` raises SaveError naming the file and every word; the file is unchanged."""
    before = path.read_bytes()
    with pytest.raises(SaveError) as caught:
        call()
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    for word in words:
        assert word in message, message
    assert path.read_bytes() == before
    return message


# --- round trips ---------------------------------------------------------------------------------


def test_a_game_saved_midway_and_at_the_end_loads_as_the_same_game(deck: Deck, tmp_path: Path) -> None:
    states, actions = finished(deck)
    for turn in (0, len(actions) // 2, len(actions)):
        path = tmp_path / f"turn-{turn}.toml"
        save = save_at(path, MINI, deck, states, actions, turn)
        loaded, state = load_game(path)
        assert state == states[turn]
        assert loaded == save
        assert read_save(path) == save
    assert load_game(tmp_path / f"turn-{len(actions)}.toml")[0].over


def test_the_file_is_toml_a_person_can_read(deck: Deck, tmp_path: Path) -> None:
    states, actions = finished(deck)
    path = tmp_path / "game.toml"
    save_at(path, MINI, deck, states, actions, len(actions))
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    header = data["save"]
    assert header["format"] == 4 and "facilitation" not in header  # a plain session
    assert re.fullmatch(r"[0-9a-f]{64}", header["digest"])
    assert re.fullmatch(r"[0-9a-f]{8}", header["setup_digest"])
    assert all(re.fullmatch(r"[0-9a-f]{8}", table["digest"]) for table in data["actions"])
    assert header["deck_id"] == "mini"
    assert header["deck_version"] == "1.0"
    assert re.fullmatch(r"[0-9a-f]{64}", header["deck_sha256"])
    assert header["deck_path"] == str(MINI.resolve())
    assert header["seed"] == 11
    assert header["created"] == header["updated"] == "2026-11-21T05:40:00+00:00"
    assert header["controllers"] == {"POL": "human", "EST": "ai:hawk", "DEU": "ai:dove"}
    snapshot = data["snapshot"]
    assert snapshot["turn"] == len(actions) == len(data["actions"])
    assert snapshot["over"] is True
    assert snapshot["ending"] == states[-1].ending
    assert snapshot["tracks"] == dict(states[-1].tracks)
    assert set(snapshot["scores"]) == {"POL", "EST", "DEU"}
    assert text.startswith("# ")
    assert "\n[[actions]]\n" in text
    assert '[[actions]]\ntype = "' in text
    assert "None" not in text
    tags = {table["type"] for table in data["actions"]}
    assert tags <= set(TAGS)
    assert all(len(line) < 120 for line in text.splitlines())


def test_a_game_in_progress_has_no_ending_and_no_scores(deck: Deck, tmp_path: Path) -> None:
    states, actions = play(deck, 3, 5)
    path = tmp_path / "game.toml"
    save_at(path, MINI, deck, states, actions, 5)
    snapshot = tomllib.loads(path.read_text())["snapshot"]
    assert snapshot == {"turn": 5, "round": states[5].round, "over": False, "tracks": dict(states[5].tracks)}


# Every action's tag in a save: its class name in kebab case.
TAGS = [
    "choose-response", "take-position", "invest", "pass", "play-card", "request-consultation", "object",
    "inject-card", "force-roll",
    "adjust-track", "adjust-stat", "add-note", "veto-card",
]  # fmt: skip


def test_action_tags_are_the_class_names_in_kebab_case(deck: Deck, tmp_path: Path) -> None:
    path = tmp_path / "tags.toml"
    save = make_save(MINI, deck, new_game(deck, 1), (), now=NOW)
    write_save(path, attrs.evolve(save, actions=ACTIONS, turn=len(ACTIONS), checkpoints=UNCHECKED))
    written = [table["type"] for table in tomllib.loads(path.read_text("utf-8"))["actions"]]
    assert written == TAGS
    # A save with another tag is refused with the list of those it knows, in that order.
    path.write_text(path.read_text("utf-8").replace('type = "pass"', 'type = "surrender"'), "utf-8")
    known = ", ".join(f'"{tag}"' for tag in TAGS)
    refuse(
        path, lambda: read_save(path), f'action 4: type: expected one of {known}, got the string "surrender"'
    )


# One action of every kind, in the order of TAGS.
ACTIONS: tuple[Action, ...] = (
    ChooseResponse("POL", "shoot-down"),
    TakePosition("EST", "restrain"),
    Invest("DEU", "counter-drone"),
    Pass("POL"),
    PlayCard("moscow", "jets", "EST"),
    RequestConsultation("EST", True),
    Object("DEU", True),
    InjectCard("jets"),
    ForceRoll(False),
    AdjustTrack("escalation", -3, "talks in Geneva"),
    AdjustStat("EST", "treasury", 2, 'aid "package"'),
    AddNote("line one\nline two \\ ünïcode"),
    VetoCard("drones"),
)
#: Checkpoints for ACTIONS, which are not a game: only read, never replayed.
UNCHECKED = ("0" * 8,) * (len(ACTIONS) + 1)


def test_every_kind_of_action_survives_the_file(deck: Deck, tmp_path: Path) -> None:
    assert {type(action) for action in ACTIONS} == set(get_args(Action))
    save = attrs.evolve(
        make_save(MINI, deck, new_game(deck, 1), (), now=NOW),
        actions=ACTIONS,
        turn=len(ACTIONS),
        checkpoints=UNCHECKED,
    )
    path = tmp_path / "all.toml"
    write_save(path, save)
    assert read_save(path) == save


def test_a_play_at_no_nation_is_written_without_a_target(deck: Deck, tmp_path: Path) -> None:
    """TOML has no null: an alliance card's play leaves `target` out, and reads back as None."""
    plays = (PlayCard("moscow", "rules", None), PlayCard("moscow", "jets", "POL"))
    save = attrs.evolve(
        make_save(MINI, deck, new_game(deck, 1), (), now=NOW),
        actions=plays,
        turn=len(plays),
        checkpoints=("0" * 8,) * (len(plays) + 1),
    )
    path = tmp_path / "plays.toml"
    write_save(path, save)
    tables = tomllib.loads(path.read_text("utf-8"))["actions"]
    assert [set(table) for table in tables] == [
        {"type", "seat", "card", "digest", "by"},
        {"type", "seat", "card", "target", "digest", "by"},
    ]
    assert "None" not in path.read_text("utf-8")
    assert read_save(path).actions == plays


def test_created_is_kept_and_updated_moves_on(deck: Deck) -> None:
    state = new_game(deck, 5)
    first = make_save(MINI, deck, state, (), now=NOW)
    later = make_save(
        MINI, deck, state, (), created=first.created, now=NOW + timedelta(hours=1, microseconds=7)
    )
    assert first.created == first.updated == NOW
    assert later.created == NOW
    assert later.updated == NOW + timedelta(hours=1)


def test_a_deck_can_be_given_when_it_has_moved(deck: Deck, tmp_path: Path) -> None:
    deck_path = tmp_path / "mini.toml"
    shutil.copy(MINI, deck_path)
    states, actions = play(deck, 8, 12)
    path = tmp_path / "game.toml"
    save_at(path, deck_path, deck, states, actions, 12)
    moved = tmp_path / "elsewhere.toml"
    deck_path.rename(moved)
    refuse(path, lambda: load_game(path), "cannot read the deck", str(deck_path))
    assert load_game(path, moved)[1] == states[12]
    assert load_game(path, moved, deck=deck)[1] == states[12]


# --- refusals ------------------------------------------------------------------------------------


@pytest.fixture
def saved(deck: Deck, tmp_path: Path) -> Path:
    """A save of a game 14 actions in, with every kind of action (facilitators included)."""
    states, actions = play(deck, 21, 14, steer=0.3)
    assert len(actions) == 14
    path = tmp_path / "game.toml"
    save_at(path, MINI, deck, states, actions, 14)
    return path


def test_garbage_is_not_a_save(tmp_path: Path) -> None:
    path = tmp_path / "garbage.toml"
    path.write_bytes(bytes(random.Random(4).randrange(256) for _ in range(500)))
    refuse(path, lambda: read_save(path), "not a save")
    refuse(path, lambda: load_game(path), "not a save")


def test_text_that_is_not_toml_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.toml"
    path.write_text("[save]\nformat = 1\nthis is not toml\n")
    refuse(path, lambda: read_save(path), "not a save: invalid TOML at line 3, column")


def test_a_deck_is_not_a_save() -> None:
    refuse(MINI, lambda: read_save(MINI), "not a save", "[save]")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="cannot read the save"):
        read_save(tmp_path / "nothing.toml")


def test_the_first_half_of_a_save_is_refused(saved: Path) -> None:
    data = saved.read_bytes()
    saved.write_bytes(data[: len(data) // 2])
    refuse(saved, lambda: read_save(saved))
    refuse(saved, lambda: load_game(saved))


def test_a_save_cut_anywhere_is_refused(saved: Path) -> None:
    data = saved.read_bytes()
    end = len(data.rstrip())
    for cut in range(0, end, 3):
        saved.write_bytes(data[:cut])
        with pytest.raises(SaveError):
            read_save(saved)


def test_a_save_whose_deck_was_edited_is_refused(deck: Deck, tmp_path: Path) -> None:
    deck_path = tmp_path / "mini.toml"
    shutil.copy(MINI, deck_path)
    states, actions = play(deck, 9, 10)
    path = tmp_path / "game.toml"
    save = save_at(path, deck_path, deck, states, actions, 10)
    text = deck_path.read_text()
    deck_path.write_text(text.replace("start = 6", "start = 7", 1))
    new_hash = saves.hash_deck(deck_path)
    message = refuse(path, lambda: load_game(path), "has changed since this game was saved", '"mini"')
    assert save.deck_sha256[:12] in message
    assert new_hash[:12] in message
    assert save.deck_sha256[:13] not in message


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("seed = 21", 'seed = "21"', ["save.seed", 'expected an integer, got the string "21"']),
        ("format = 4", "format = 7", ["save format 7 is newer than this program understands (4)"]),
        ("format = 4", 'format = "4"', ["save.format", "expected an integer"]),
        ("format = 4", "format = 2", ["save", 'unknown key "digest"', "a format 2 save has no digest"]),
        ('digest = "', 'digest = "x', ["save.digest", "64 lower-case hex digits", "the string"]),
        ('setup_digest = "', 'setup_digest = 7 # "', ["save.setup_digest", "the integer 7"]),
        ('escort"\ndigest = "', 'escort"\ndigest = "Z', ['("choose-response"): digest', "8 lower-case hex"]),
        ('escort"\ndigest = ', 'escort"\ndigist = ', ['("choose-response"): digest', "got nothing"]),
        ("over = false", "over = 0", ["snapshot.over", "expected true or false"]),
        ("round = ", "rounds = ", ["snapshot", '"round"']),
        ('deck_id = "mini"\n', 'deck_id = "mini"\ncolour = "red"\n', ["save", 'unknown key "colour"']),
        ('POL = "human"', 'POL = "robot"', ["save.controllers.POL", '"robot" is neither', "ai:<persona>"]),
        ('POL = "human"', "POL = 1", ["save.controllers.POL", "expected a string"]),
        ('type = "pass"', 'type = "surrender"', ["action", '"surrender"', '"choose-response"']),
        ('type = "pass"', 'type = "pas"', ["action", 'did you mean "pass"?']),
        ('type = "pass"', "type = 5", ["action", "type", "the integer 5"]),
        ('nation = "POL"\n', "nation = 3\n", ["action", "nation", "the integer 3"]),
        ('type = "pass"\n', 'type = "pass"\nvolume = 11\n', ['("pass")', 'unknown key "volume"']),
        ('position = "', 'position = "maybe', ['("take-position")', "position", '"support"']),
        ('created = "2026-11-21T05:40:00+00:00"', 'created = "yesterday"', ["save.created", "ISO 8601"]),
        ('created = "2026-11-21T05:40:00+00:00"', 'created = "2026-11-21T05:40:00"', ["UTC offset"]),
        ('deck_sha256 = "', 'deck_sha256 = "xyz', ["save.deck_sha256", "hex"]),
        ("turn = 14", "turn = 15", ["turn 15", "14 actions", "truncated"]),
        ("over = false", 'over = false\nending = "war"', ["snapshot.ending", "snapshot.over"]),
    ],
)
def test_a_wrong_field_is_refused_with_a_clear_message(
    saved: Path, old: str, new: str, words: list[str]
) -> None:
    text = saved.read_text()
    assert old in text, f"the test save has no {old!r}"
    saved.write_text(text.replace(old, new, 1))
    refuse(saved, lambda: read_save(saved), *words)
    refuse(saved, lambda: load_game(saved), *words)


def test_messages_are_lower_case_after_the_file_name(saved: Path) -> None:
    saved.write_text(saved.read_text().replace("seed = 21", 'seed = "21"'))
    message = refuse(saved, lambda: read_save(saved))
    after = message.removeprefix(f"{saved}: ")
    assert after[0].islower()


def test_an_illegal_action_is_refused_naming_its_number(deck: Deck, tmp_path: Path) -> None:
    states, actions = play(deck, 5, 12)
    index = max(i for i in range(12) if isinstance(states[i].pending, RespondDecision))
    assert index > 0
    wrong = ChooseResponse(states[index].pending.nation, "surrender")  # type: ignore[union-attr]
    with pytest.raises(IllegalActionError) as caught:
        apply(states[index], wrong)
    bad = [*actions]
    bad[index] = wrong
    path = tmp_path / "game.toml"
    write_save(path, attrs.evolve(make_save(MINI, deck, states[12], actions, now=NOW), actions=tuple(bad)))
    read_save(path)  # well formed: only the replay finds the problem
    refuse(
        path,
        lambda: load_game(path),
        f'action {index + 1} "choose-response" is illegal: {caught.value.reason}',
    )


def test_a_replay_that_differs_from_the_snapshot_is_refused(saved: Path) -> None:
    text = saved.read_text()
    snapshot = tomllib.loads(text)["snapshot"]
    round_ = snapshot["round"]
    saved.write_text(text.replace(f"round = {round_}", f"round = {round_ + 1}", 1))
    refuse(
        saved,
        lambda: load_game(saved),
        "does not match the save's snapshot",
        f"round: {round_ + 1} in the save, {round_} replayed",
    )
    saved.write_text(text.replace(f"cohesion = {snapshot['tracks']['cohesion']}", "cohesion = 99", 1))
    refuse(saved, lambda: load_game(saved), "does not match", "tracks.cohesion: 99 in the save")


def test_a_save_from_another_deck_is_refused(saved: Path, deck: Deck) -> None:
    other = attrs.evolve(deck, info=attrs.evolve(deck.info, id="other"))
    refuse(saved, lambda: load_game(saved, deck=other), 'saved with deck "mini", not "other"')


# --- atomic writes -------------------------------------------------------------------------------


# A real write that fails part-way: a child process whose files may not grow past `limit` bytes writes
# the save in `newer` to `path`. With SIGXFSZ ignored the write past the limit fails with EFBIG (as on
# a full disk) after the first `limit` bytes are written, instead of killing the process.
WRITE_UNDER_A_LIMIT = """
import resource, signal, sys
from wargame.storage.saves import SaveError, read_save, write_save
newer, path, limit = read_save(sys.argv[1]), sys.argv[2], int(sys.argv[3])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    write_save(path, newer)
except SaveError as error:
    print(error)
    sys.exit(3)
"""
LIMIT = 1000
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="needs resource.RLIMIT_FSIZE")


def write_under_a_limit(deck: Deck, path: Path, spare: Path) -> subprocess.CompletedProcess[str]:
    """Write a whole game's save (twice LIMIT or more) to `path` in a child process limited so."""
    newer = spare / "newer.toml"
    states, actions = finished(deck, seed=12)
    write_save(newer, make_save(MINI, deck, states[-1], actions, now=NOW))
    assert newer.stat().st_size > 2 * LIMIT
    return subprocess.run(
        [sys.executable, "-c", WRITE_UNDER_A_LIMIT, str(newer), str(path), str(LIMIT)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@posix_only
def test_a_write_that_fails_part_way_leaves_the_old_save_whole(
    saved: Path, deck: Deck, tmp_path_factory: pytest.TempPathFactory
) -> None:
    before = saved.read_bytes()
    folder_before = sorted(os.listdir(saved.parent))
    assert len(before) > LIMIT  # the old save is larger than the limit: only the new file is cut short
    run = write_under_a_limit(deck, saved, tmp_path_factory.mktemp("spare"))
    assert (run.returncode, run.stdout, run.stderr) == (
        3,
        f"{saved}: could not write the save: file too large\n",
        "",
    )
    assert saved.read_bytes() == before
    assert sorted(os.listdir(saved.parent)) == folder_before  # no temporary file left behind


@posix_only
def test_a_first_write_that_fails_part_way_leaves_no_file(
    deck: Deck, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path / "new.toml"
    run = write_under_a_limit(deck, path, tmp_path_factory.mktemp("spare"))
    assert (run.returncode, run.stdout) == (3, f"{path}: could not write the save: file too large\n")
    assert os.listdir(tmp_path) == []


def test_a_rename_that_fails_leaves_no_temporary_file(deck: Deck, tmp_path: Path) -> None:
    """The new save is written whole, but it cannot take the place of a folder of the same name."""
    path = tmp_path / "game.toml"
    path.mkdir()
    (path / "kept.txt").write_text("a file in the way")
    with pytest.raises(SaveError) as caught:
        write_save(path, make_save(MINI, deck, new_game(deck, 1), (), now=NOW))
    assert str(caught.value) == f"{path}: could not write the save: is a directory"
    assert os.listdir(tmp_path) == ["game.toml"] and os.listdir(path) == ["kept.txt"]


def test_a_save_replaces_the_old_one_and_creates_its_folder(saved: Path, deck: Deck) -> None:
    newer = make_save(MINI, deck, new_game(deck, 99), (), now=NOW)
    write_save(saved, newer)
    assert read_save(saved) == newer
    assert os.listdir(saved.parent) == [saved.name]
    nested = saved.parent / "a" / "b" / "game.toml"
    write_save(nested, newer)
    assert read_save(nested) == newer


# --- listing -------------------------------------------------------------------------------------


def test_saves_are_listed_newest_first_skipping_unreadable_files(deck: Deck, tmp_path: Path) -> None:
    state = new_game(deck, 1)
    for name, hours in [("old", 0), ("newest", 5), ("middle", 2)]:
        write_save(
            tmp_path / f"{name}.toml", make_save(MINI, deck, state, (), now=NOW + timedelta(hours=hours))
        )
    (tmp_path / "broken.toml").write_bytes(b"\xff\xfe garbage")
    (tmp_path / "notes.txt").write_text("not a save")
    listed = list_saves(tmp_path)
    assert [path.name for path, _ in listed] == ["newest.toml", "middle.toml", "old.toml"]
    assert listed[0][1].updated == NOW + timedelta(hours=5)
    assert newest_save(tmp_path) == tmp_path / "newest.toml"
    assert (tmp_path / "broken.toml").read_bytes() == b"\xff\xfe garbage"


def test_an_empty_or_missing_folder_has_no_saves(tmp_path: Path) -> None:
    assert list_saves(tmp_path) == []
    assert newest_save(tmp_path) is None
    assert newest_save(tmp_path / "nowhere") is None


def test_saves_do_not_import_textual() -> None:
    code = "import sys, wargame.storage.saves; sys.exit(any(m.startswith('textual') for m in sys.modules))"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent.parent)


# --- property --------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**63 - 1),
    steps=st.integers(min_value=0, max_value=120),
    steer=st.sampled_from([0.0, 0.2]),
    human=st.booleans(),
)
def test_writing_at_any_point_and_loading_gives_the_same_game(
    seed: int, steps: int, steer: float, human: bool
) -> None:
    deck = mini_deck()
    states, actions = play(deck, seed, steps, steer=steer, controllers={"DEU": "human"} if human else {})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "game.toml"
        save = make_save(MINI, deck, states[-1], actions)
        write_save(path, save)
        loaded, state = load_game(path)
    assert state == states[-1]
    assert loaded == save
    assert format_save(loaded) == format_save(save)


def test_a_deck_that_no_longer_loads_is_refused(deck: Deck, tmp_path: Path) -> None:
    deck_path = tmp_path / "broken.toml"
    deck_path.write_text('[deck]\nid = "mini"\n')
    path = tmp_path / "game.toml"
    write_save(path, make_save(deck_path, deck, new_game(deck, 1), (), now=NOW))
    refuse(path, lambda: load_game(path), "the deck cannot be loaded", str(deck_path))


def test_controllers_the_deck_does_not_know_are_refused(saved: Path) -> None:
    saved.write_text(saved.read_text().replace('EST = "ai:hawk"', 'EST = "ai:ghost"'))
    refuse(saved, lambda: load_game(saved), "the game cannot be set up again", "ai:ghost")


def test_controllers_survive_the_round_trip(deck: Deck, tmp_path: Path) -> None:
    states, actions = play(deck, 2, 6, controllers={"DEU": "human", "POL": "ai:dove"})
    path = tmp_path / "game.toml"
    save_at(path, MINI, deck, states, actions, 6)
    save, state = load_game(path)
    assert save.controllers == {"POL": Scripted("dove"), "EST": Scripted("hawk"), "DEU": Human()}
    assert state.controllers == states[6].controllers


def test_a_save_of_a_bundled_deck_finds_it_by_id_when_its_path_is_gone(tmp_path: Path) -> None:
    from wargame.storage import bundled_deck_path, load_deck

    bundled = bundled_deck_path()
    deck = load_deck(bundled)
    state = new_game(deck, 3)
    save = make_save(bundled, deck, state, [])
    moved = attrs.evolve(save, deck_path=tmp_path / "elsewhere" / bundled.name)
    path = tmp_path / "game.toml"
    write_save(path, moved)
    loaded, replayed = load_game(path)
    assert replayed == state and loaded.deck_path == moved.deck_path


def test_how_the_session_is_run_is_saved_and_read_back(deck: Deck, tmp_path: Path) -> None:
    states, actions = finished(deck)
    path = tmp_path / "facilitated.toml"
    run = Facilitation(facilitator=True, turn_timer=90.0, on_timeout="ai")
    write_save(path, make_save(MINI, deck, states[5], actions[:5], now=NOW, facilitation=run))
    assert tomllib.loads(path.read_text(encoding="utf-8"))["save"]["facilitation"] == {
        "facilitator": True,
        "turn_timer": 90.0,
        "on_timeout": "ai",
    }
    assert read_save(path).facilitation == run
    assert load_game(path)[0].facilitation == run


def test_a_format_1_save_reads_as_a_plain_session(deck: Deck, tmp_path: Path) -> None:
    states, actions = finished(deck)
    path = tmp_path / "old.toml"
    save_at(path, MINI, deck, states, actions, 7)
    text = path.read_text(encoding="utf-8").replace("format = 4", "format = 1")
    text = re.sub(r'\n((setup_)?digest = "[0-9a-f]+"|by = "[a-z-]+")', "", text)
    path.write_text(text, encoding="utf-8")
    save, state = load_game(path)
    assert save.facilitation == PLAIN and state == states[7]


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("turn_timer = 90.0", "turn_timer = 0.5", ["save.facilitation.turn_timer", "at least 1 second"]),
        ('on_timeout = "ai"', 'on_timeout = "never"', ["save.facilitation.on_timeout", '"never"']),
        ("facilitator = true", 'facilitator = "yes"', ["save.facilitation.facilitator", "true or false"]),
    ],
)
def test_a_wrong_facilitation_is_refused(
    deck: Deck, tmp_path: Path, old: str, new: str, words: list[str]
) -> None:
    states, actions = finished(deck)
    path = tmp_path / "facilitated.toml"
    run = Facilitation(facilitator=True, turn_timer=90.0, on_timeout="ai")
    write_save(path, make_save(MINI, deck, states[3], actions[:3], now=NOW, facilitation=run))
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    refuse(path, lambda: read_save(path), *words)
