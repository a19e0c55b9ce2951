"""Saves of rules v2 games: the adversary's plays, the facilitator's vetoes and the adversary's seat
survive the file, replay to the very same state and are refused when edited; v1 saves stay valid."""

from __future__ import annotations

import functools
import random
import re
import shutil
import tempfile
import tomllib
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import DECKS, ROOT, joined, random_facilitator_action, tables
from wargame.ai import choose
from wargame.cli import main
from wargame.engine import apply, is_over, legal_actions, new_game, result
from wargame.model import (
    Action,
    Deck,
    GameState,
    Human,
    PlayCard,
    PlayDecision,
    Scripted,
    VetoCard,
)
from wargame.model.events import (
    AdversaryStatMoved,
    AttributionRevealed,
    CardPlayed,
    ClaimProved,
    HandFilled,
    VotesRevealed,
)
from wargame.session import Session
from wargame.storage import load_deck
from wargame.storage.digest import canonical, game_chain
from wargame.storage.saves import (
    SaveError,
    format_save,
    load_game,
    make_save,
    read_save,
    write_save,
)

RED = DECKS / "red.toml"
V1_DECKS = DECKS / "v1"
V1_SAVES = ROOT / "tests" / "saves" / "v1"


@functools.cache
def red_deck() -> Deck:
    return load_deck(RED)


def ai_game(
    seed: int, controllers: dict[str, str] | None = None, deck: Deck | None = None
) -> tuple[list[GameState], list[Action]]:
    """A whole game played by the AI for every seat (the adversary's red persona included)."""
    state = new_game(deck or red_deck(), seed, controllers)
    states, actions = [state], []
    while state.pending is not None:
        action = choose(state, state.pending.seat)
        state, _ = apply(state, action)
        states.append(state)
        actions.append(action)
    return states, actions


def red_facilitator_action(chooser: random.Random, state: GameState) -> Action:
    """A random facilitator action, a veto of a card in the adversary's hand among them."""
    if isinstance(state.pending, PlayDecision) and state.hand and chooser.random() < 0.5:
        return VetoCard(chooser.choice(state.hand))
    return random_facilitator_action(chooser, state)


def random_red_game(
    seed: int, steps: int | None = None, steer: float = 0.2, controllers: dict[str, str] | None = None
) -> tuple[list[GameState], list[Action]]:
    """Random legal play of the red deck (every play at every target, alliance cards included), with
    facilitator actions and vetoes mixed in with chance `steer`."""
    chooser = random.Random(seed)
    state = new_game(red_deck(), seed, controllers)
    states, actions = [state], []
    while not is_over(state) and (steps is None or len(actions) < steps):
        assert len(actions) < 3000, "the game never ended"
        if chooser.random() < steer:
            action = red_facilitator_action(chooser, state)
        else:
            action = chooser.choice(legal_actions(state))
        state, _ = apply(state, action)
        states.append(state)
        actions.append(action)
    return states, actions


def round_trip(path: Path, state: GameState, actions: list[Action]) -> GameState:
    """Save `state` to `path`, load it back, check the save reads as written; the state loaded."""
    save = make_save(RED, red_deck(), state, actions)
    write_save(path, save)
    loaded, replayed = load_game(path)
    assert loaded == save and read_save(path) == save
    assert format_save(loaded) == path.read_text("utf-8")
    return replayed


# --- round trips -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["prober", "escalator", "divider"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ai_games_with_an_adversary_load_as_the_same_game_at_any_point(
    persona: str, seed: int, tmp_path: Path
) -> None:
    states, actions = ai_game(seed, {"POL": "human", "moscow": f"ai:{persona}"})
    assert is_over(states[-1]) and any(isinstance(action, PlayCard) for action in actions)
    for turn in (0, 1, len(actions) // 3, len(actions) // 2, len(actions) - 1, len(actions)):
        replayed = round_trip(tmp_path / f"turn-{turn}.toml", states[turn], actions[:turn])
        # Everything of the state, the facilitator's view: the hand, the adversary's stats, the
        # incidents and their truths and claims, the results, let-go nations, forced card, dissent.
        assert replayed == states[turn]
        for name in ("hand", "adversary_stats", "incidents", "results", "let_go", "forced_card", "dissent"):
            assert getattr(replayed, name) == getattr(states[turn], name)


def test_the_snapshot_holds_the_adversary_and_its_score(tmp_path: Path) -> None:
    states, actions = ai_game(4, {"POL": "human"})
    path = tmp_path / "game.toml"
    round_trip(path, states[-1], actions)
    data = tomllib.loads(path.read_text("utf-8"))
    assert data["save"]["controllers"] == {
        "POL": "human",
        "EST": "ai:hawk",
        "DEU": "ai:dove",
        "moscow": "ai:prober",
    }
    snapshot = data["snapshot"]
    assert snapshot["adversary_stats"] == dict(states[-1].adversary_stats) and snapshot["adversary_stats"]
    final = result(states[-1])
    assert final.adversary is not None
    assert snapshot["scores"] == {
        **{score.nation: score.points for score in final.scores},
        "moscow": final.adversary.points,
    }
    # A game in progress has the adversary's stats and no scores.
    round_trip(path, states[5], actions[:5])
    snapshot = tomllib.loads(path.read_text("utf-8"))["snapshot"]
    assert "scores" not in snapshot and snapshot["adversary_stats"] == dict(states[5].adversary_stats)


def test_a_deck_without_an_adversary_writes_no_adversary_stats(tmp_path: Path) -> None:
    deck = load_deck(DECKS / "mini.toml")
    states, actions = ai_game(2, deck=deck)
    path = tmp_path / "game.toml"
    write_save(path, make_save(DECKS / "mini.toml", deck, states[-1], actions))
    snapshot = tomllib.loads(path.read_text("utf-8"))["snapshot"]
    assert "adversary_stats" not in snapshot and set(snapshot["scores"]) == {"POL", "EST", "DEU"}
    assert load_game(path)[1] == states[-1]


def test_random_games_with_vetoes_and_alliance_plays_survive_the_file(tmp_path: Path) -> None:
    seen: set[str] = set()
    for seed in range(12):
        states, actions = random_red_game(seed)
        for action in actions:
            if isinstance(action, PlayCard):
                seen.add("alliance play" if action.target is None else "play")
            elif isinstance(action, VetoCard):
                seen.add("veto")
        for turn in (len(actions) // 2, len(actions)):
            assert round_trip(tmp_path / "game.toml", states[turn], actions[:turn]) == states[turn]
    assert seen == {"play", "alliance play", "veto"}


def test_the_adversary_played_by_people_round_trips(tmp_path: Path) -> None:
    states, actions = random_red_game(5, 30, 0.0, {"moscow": "human", "EST": "human"})
    path = tmp_path / "game.toml"
    round_trip(path, states[-1], actions)
    assert 'moscow = "human"' in path.read_text("utf-8")
    save, state = load_game(path)
    assert save.controllers["moscow"] == Human() and save.controllers["DEU"] == Scripted("dove")
    assert state.is_human("moscow") and state == states[-1]


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**63 - 1), steps=st.integers(min_value=0, max_value=60))
def test_writing_a_red_game_at_any_point_and_loading_gives_the_same_game(seed: int, steps: int) -> None:
    states, actions = random_red_game(seed, steps)
    with tempfile.TemporaryDirectory() as folder:
        assert round_trip(Path(folder) / "game.toml", states[-1], actions) == states[-1]


# --- the adversary's controller ---------------------------------------------------------------------


@pytest.fixture
def red_save(tmp_path: Path) -> tuple[Path, list[GameState], list[Action]]:
    """A red game, 16 actions in, with a veto in it, saved."""
    states, actions = random_red_game(1, 40, 0.25)
    assert any(isinstance(action, VetoCard) for action in actions[:16])
    path = tmp_path / "game.toml"
    write_save(path, make_save(RED, red_deck(), states[16], actions[:16]))
    return path, states, actions


def refuse(path: Path, *words: str) -> str:
    """`load_game` refuses the save naming the file and every word; the file is unchanged."""
    before = path.read_bytes()
    with pytest.raises(SaveError) as caught:
        load_game(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message, message
    for word in words:
        assert word in message, message
    assert path.read_bytes() == before
    return message


@pytest.mark.parametrize(
    ("controller", "words"),
    [
        ("ai:ghost", ['controller "ai:ghost" of moscow', "adversary (prober, escalator, divider)"]),
        ("ai:hawk", ['controller "ai:hawk" of moscow', "adversary (prober, escalator, divider)"]),
        ("robot", ["save.controllers.moscow", 'neither "human" nor "ai:<persona>"']),
    ],
)
def test_the_adversary_controller_is_checked_against_its_own_personas(
    red_save: tuple[Path, list[GameState], list[Action]], controller: str, words: list[str]
) -> None:
    path = red_save[0]
    text = path.read_text("utf-8")
    assert text.count('moscow = "ai:prober"') == 1
    path.write_text(text.replace('moscow = "ai:prober"', f'moscow = "{controller}"'), "utf-8")
    refuse(path, *words)


def test_another_red_persona_in_the_file_is_another_game(
    red_save: tuple[Path, list[GameState], list[Action]],
) -> None:
    path = red_save[0]
    text = path.read_text("utf-8")
    path.write_text(text.replace('moscow = "ai:prober"', 'moscow = "ai:divider"'), "utf-8")
    refuse(path, "from its set-up on (the seed, the controllers or the deck)", "edited or damaged")


# --- edits the digest finds ---------------------------------------------------------------------


def refused_by_replay(path: Path, *words: str) -> str:
    """`wargame replay` refuses the save in one line naming it and every word; the file is unchanged."""
    before = path.read_bytes()
    run = CliRunner().invoke(main, ["replay", str(path)])
    assert run.exit_code == 1, run.output
    message = run.output.strip()
    assert "\n" not in message and "Traceback" not in message, message
    assert message.startswith(f"error: {path}: "), message
    for word in words:
        assert word in message, message
    assert path.read_bytes() == before
    return message


def a_play_with_another_choice(actions: list[Action], states: list[GameState]) -> tuple[int, PlayCard]:
    """The first play of the log (number from 1) and another legal play at that moment: another
    target of the same card when there is one."""
    for index, action in enumerate(actions):
        if isinstance(action, PlayCard):
            others = [a for a in legal_actions(states[index]) if isinstance(a, PlayCard) and a != action]
            same_card = [a for a in others if a.card == action.card]
            if same_card or others:
                return index + 1, (same_card or others)[0]
    raise AssertionError("no play with another choice")


def test_a_play_at_another_target_is_refused_at_that_action(tmp_path: Path) -> None:
    states, actions = ai_game(2, {"POL": "human"})
    number, other = a_play_with_another_choice(actions, states)
    played = actions[number - 1]
    assert isinstance(played, PlayCard) and other.card == played.card and other.target != played.target
    path = tmp_path / "game.toml"
    write_save(path, make_save(RED, red_deck(), states[-1], actions))
    head, logged = tables(path.read_text("utf-8"))
    old = f'target = "{played.target}"'
    assert logged[number - 1].count(old) == 1
    logged[number - 1] = logged[number - 1].replace(old, f'target = "{other.target}"')
    path.write_text(joined(head, logged), "utf-8")
    message = refused_by_replay(path)
    assert message == (
        f"error: {path}: the game differs from the one saved from action {number} on (Moscow's play):"
        " it was edited or damaged"
    )
    refuse(path, f"from action {number} on (Moscow's play)")


def test_a_play_of_another_card_is_refused(tmp_path: Path) -> None:
    states, actions = ai_game(3, {"POL": "human"})
    index, played, other = next(
        (index, action, alternative)
        for index, action in enumerate(actions)
        if isinstance(action, PlayCard)
        for alternative in legal_actions(states[index])
        if isinstance(alternative, PlayCard) and alternative.card != action.card
    )
    assert isinstance(played, PlayCard) and isinstance(other, PlayCard)
    path = tmp_path / "game.toml"
    write_save(path, make_save(RED, red_deck(), states[-1], actions))
    head, logged = tables(path.read_text("utf-8"))
    table = logged[index].replace(f'card = "{played.card}"', f'card = "{other.card}"')
    table = re.sub(r'\ntarget = "[^"]*"', "", table)  # the other card's own target, or none
    if other.target is not None:
        table = table.replace(
            f'card = "{other.card}"\n', f'card = "{other.card}"\ntarget = "{other.target}"\n'
        )
    assert table != logged[index]
    logged[index] = table
    path.write_text(joined(head, logged), "utf-8")
    # The edited play is legal: the digest refuses it before anything after it is replayed.
    refused_by_replay(path, f"from action {index + 1} on (Moscow's play): it was edited or damaged")
    refuse(path, f"from action {index + 1} on (Moscow's play)")


def test_a_play_of_a_card_not_in_the_hand_is_refused_as_illegal(tmp_path: Path) -> None:
    states, actions = ai_game(1, {"POL": "human"})
    index = next(i for i, action in enumerate(actions) if isinstance(action, PlayCard))
    played = actions[index]
    assert isinstance(played, PlayCard)
    absent = next(card.id for card in red_deck().cards if card.id not in states[index].hand)
    path = tmp_path / "game.toml"
    write_save(path, make_save(RED, red_deck(), states[-1], actions))
    head, logged = tables(path.read_text("utf-8"))
    logged[index] = logged[index].replace(f'card = "{played.card}"', f'card = "{absent}"')
    path.write_text(joined(head, logged), "utf-8")
    refused_by_replay(
        path, f'action {index + 1} "play-card" is illegal', f'"{absent}" is not in the adversary'
    )


def test_a_changed_or_dropped_veto_is_refused(red_save: tuple[Path, list[GameState], list[Action]]) -> None:
    path, states, actions = red_save
    index = next(i for i, action in enumerate(actions[:16]) if isinstance(action, VetoCard))
    vetoed = actions[index]
    assert isinstance(vetoed, VetoCard)
    other = next(card for card in states[index].hand if card != vetoed.card)
    text = path.read_text("utf-8")
    head, logged = tables(text)
    changed = [*logged]
    changed[index] = logged[index].replace(f'card = "{vetoed.card}"', f'card = "{other}"')
    path.write_text(joined(head, changed), "utf-8")
    refused_by_replay(path, f"from action {index + 1} on (the facilitator's veto)")
    # The veto taken out of the log, the turn set right: refused at the action that took its place.
    head = re.sub(r"\nturn = \d+\n", f"\nturn = {len(logged) - 1}\n", head)
    path.write_text(joined(head, logged[:index] + logged[index + 1 :]), "utf-8")
    message = refused_by_replay(path)
    assert f"action {index + 1}" in message and ("differs" in message or "is illegal" in message), message


def test_an_edited_adversary_stat_in_the_snapshot_is_refused(
    red_save: tuple[Path, list[GameState], list[Action]],
) -> None:
    path, states, _ = red_save
    text = path.read_text("utf-8")
    leverage = states[16].adversary_stats["leverage"]
    old = f"[snapshot.adversary_stats]\nleverage = {leverage}\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, f"[snapshot.adversary_stats]\nleverage = {leverage + 3}\n"), "utf-8")
    refuse(
        path,
        "the replayed game does not match the save's snapshot",
        f"adversary_stats.leverage: {leverage + 3} in the save, {leverage} replayed",
    )


def test_a_format_2_save_has_no_adversary(red_save: tuple[Path, list[GameState], list[Action]]) -> None:
    path = red_save[0]
    text = re.sub(
        r'\n((setup_)?digest = "[0-9a-f]+"|by = "[a-z-]+")',
        "",
        path.read_text("utf-8").replace("format = 4", "format = 2"),
    )
    path.write_text(text, "utf-8")
    refuse(path, 'snapshot: unknown key "adversary_stats" (a format 2 save has no adversary)')


def test_the_digest_covers_the_adversarys_actions_and_events() -> None:
    """Every new action and event has a canonical text naming its class and every field, so the
    chain covers them; and two games that differ only by a play's target have other chains."""
    assert canonical(PlayCard("moscow", "rules", None)) == (
        '["PlayCard",{"card":"rules","seat":"moscow","target":null}]'
    )
    assert canonical(VetoCard("jets")) == '["VetoCard",{"card":"jets"}]'
    kinds: set[type] = set()
    for seed in range(10):
        state = new_game(red_deck(), seed)
        chooser = random.Random(seed)
        while state.pending is not None:
            state, events = apply(state, chooser.choice(legal_actions(state)))
            for event in events:
                text = canonical(event)
                assert text.startswith(f'["{type(event).__name__}",{{')
                assert all(f'"{field.name}":' in text for field in attrs.fields(type(event)))
                kinds.add(type(event))
    assert {
        CardPlayed,
        HandFilled,
        AdversaryStatMoved,
        VotesRevealed,
        AttributionRevealed,
        ClaimProved,
    } <= kinds
    states, actions = ai_game(2, {"POL": "human"})
    number, other = a_play_with_another_choice(actions, states)
    deck, controllers = red_deck(), states[0].controllers
    chain = game_chain(deck, 2, controllers, "0" * 64, actions[:number])
    changed = game_chain(deck, 2, controllers, "0" * 64, [*actions[: number - 1], other])
    assert chain[:number] == changed[:number] and chain[number] != changed[number]


# --- the replay command ----------------------------------------------------------------------------


def test_replay_tells_the_adversarys_plays_vetoes_reveals_and_claims(tmp_path: Path) -> None:
    found = None
    for seed in range(40):
        states, actions = random_red_game(seed, steer=0.15)
        events = [
            event for state, action in zip(states, actions, strict=False) for event in apply(state, action)[1]
        ]
        if (
            any(isinstance(event, AttributionRevealed) for event in events)
            and any(isinstance(event, ClaimProved) for event in events)
            and any(isinstance(action, VetoCard) for action in actions)
        ):
            found = states, actions, events
            break
    assert found is not None
    states, actions, events = found
    path = tmp_path / "game.toml"
    write_save(path, make_save(RED, red_deck(), states[-1], actions))
    run = CliRunner().invoke(main, ["replay", str(path)])
    assert run.exit_code == 0, run.output
    out = run.output
    assert "Adversary: Moscow: AI (Prober)" in out
    assert "Players: Poland: AI (Hawk), Estonia: AI (Hawk), Germany: AI (Dove)\n" in out
    deck = red_deck()
    section = out[out.index("\nMoscow: its plays, and what came to light\n") :]
    plays = [action for action in actions if isinstance(action, PlayCard)]
    lines = [line for line in section.splitlines() if "Moscow plays “" in line]
    assert len(lines) == len(plays)
    for line, play in zip(lines, plays, strict=True):
        where = "for the alliance to decide" if play.target is None else f"at {deck.nation(play.target).name}"
        assert f"Moscow plays “{deck.card(play.card).title}” {where}" in line
    vetoes = [action for action in actions if isinstance(action, VetoCard)]
    assert section.count("The facilitator vetoes “") == len(vetoes)
    for event in events:
        if isinstance(event, AttributionRevealed):
            assert (
                f"Revealed: “{deck.card(event.card).title}” (round {event.round}) was {event.truth}"
                in section
            )
        if isinstance(event, ClaimProved):
            verdict = "wrong" if event.wrong else "right"
            assert f"({event.claimed}) on “{deck.card(event.card).title}” was {verdict}" in section
    assert "in truth: " in section
    assert f"Moscow's score: {result(states[-1]).adversary.points}" in section  # type: ignore[union-attr]
    assert "Verified: " in out and "(digest)" in out


# --- v1 saves stay valid -----------------------------------------------------------------------------


V1 = sorted(V1_SAVES.glob("*.toml"))


def test_there_is_a_v1_save_of_every_v1_deck() -> None:
    decks = {read_save(path).deck_path for path in V1}
    assert decks == {path.relative_to(ROOT) for path in V1_DECKS.glob("*.toml")}
    assert all(not path.is_absolute() for path in decks)


@pytest.mark.parametrize("path", V1, ids=lambda path: path.stem)
def test_a_v1_save_loads_replays_and_is_written_again_byte_for_byte(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # the saves name their deck relative to the repository's root
    save, state = load_game(path)
    deck = load_deck(save.deck_path)
    assert deck.adversary is None and save.digest is not None
    replayed = new_game(deck, save.seed, save.controllers)
    for action in save.actions:
        replayed, _ = apply(replayed, action)
    assert state == replayed and state.hand == () and state.adversary_stats == {}
    assert format_save(save) == path.read_text("utf-8")
    # Named from anywhere, with the deck given.
    monkeypatch.chdir(path.parent)
    assert load_game(path, ROOT / save.deck_path)[1] == state


@pytest.mark.parametrize("path", V1, ids=lambda path: path.stem)
def test_a_v1_save_resumes_and_plays_to_the_end(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    fixture = path.read_bytes()
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    original = read_save(path)
    session = Session.resume(copy)
    assert session.actions == list(original.actions) and session.facilitation == original.facilitation
    while not session.over:
        session.decide(session.ai_action())
    assert session.is_saved
    assert len(session.actions) > original.turn or original.over
    save, state = load_game(copy)
    assert state == session.state and save.actions[: original.turn] == original.actions
    assert save.created == original.created
    assert path.read_bytes() == fixture  # the fixture is never written
