"""Saved simulated games, `wargame replay` and the after-action report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import MINI
from wargame.ai import choose
from wargame.cli import main
from wargame.engine import apply, is_over, legal_actions, new_game
from wargame.model import Action, AddNote, AdjustTrack, ChooseResponse, Deck, ForceRoll
from wargame.storage.saves import load_game, make_save, read_save, write_save


@pytest.fixture
def saved_games(tmp_path: Path) -> Path:
    folder = tmp_path / "games"
    run = CliRunner().invoke(main, ["simulate", str(MINI), "-n", "6", "-j", "1", "--save-games", str(folder)])
    assert run.exit_code == 0, run.output
    return folder


def test_simulate_saves_every_game_and_each_replays(saved_games: Path, mini: Deck) -> None:
    files = sorted(saved_games.glob("game-*.toml"))
    assert [f.name for f in files] == [f"game-{i:05d}.toml" for i in range(6)]
    for file in files:
        save, state = load_game(file)
        assert is_over(state) and save.over


def test_saved_games_do_not_depend_on_the_number_of_processes(saved_games: Path, tmp_path: Path) -> None:
    other = tmp_path / "two"
    run = CliRunner().invoke(main, ["simulate", str(MINI), "-n", "6", "-j", "2", "--save-games", str(other)])
    assert run.exit_code == 0, run.output
    for index in range(6):
        one, two = (
            read_save(saved_games / f"game-{index:05d}.toml"),
            read_save(other / f"game-{index:05d}.toml"),
        )
        assert (one.seed, one.actions) == (two.seed, two.actions)


def test_replay_prints_the_timeline_and_verifies(saved_games: Path) -> None:
    run = CliRunner().invoke(main, ["replay", str(saved_games / "game-00003.toml")])
    assert run.exit_code == 0, run.output
    assert "Round 1" in run.output and "Game over:" in run.output
    assert re.search(r"Verified: \d+ actions replay to the saved position", run.output)


def steered_save(deck: Deck, folder: Path) -> Path:
    """A mini game with facilitator steering in it, saved."""
    state = new_game(deck, 5, {"POL": "human"})
    actions = [
        AdjustTrack("escalation", 1, "a heated room"),
        AddNote("The Polish team argued for a shoot-down."),
        ForceRoll(True),
    ]
    for action in actions:
        state, _ = apply(state, action)
    while not is_over(state):
        action = choose(state, state.pending.nation)
        state, _ = apply(state, action)
        actions.append(action)
    path = folder / "steered.toml"
    write_save(path, make_save(MINI, deck, state, actions))
    return path


def test_markdown_report_timeline_matches_the_log(mini: Deck, tmp_path: Path) -> None:
    path = steered_save(mini, tmp_path)
    run = CliRunner().invoke(main, ["report", str(path)])
    assert run.exit_code == 0, run.output
    text = (tmp_path / "steered.md").read_text()
    assert (tmp_path / "steered-tracks.svg").read_text().count('class="track"') == 3
    assert "![The tracks over the rounds](steered-tracks.svg)" in text
    timeline = text[text.index("## Timeline") :]
    assert "Facilitator moved escalation by +1: a heated room" in timeline
    assert "Note: The Polish team argued for a shoot-down." in timeline
    assert "forced by the facilitator" in timeline
    # Every decision of the log is in the timeline, in the same order.
    save = read_save(path)
    expected = []
    state = new_game(mini, save.seed, save.controllers)
    for action in save.actions:
        if isinstance(action, ChooseResponse):
            label = mini.card(state.card).response(action.response).label
            verb = "voted" if state.pending.target is None else "chose"
            expected.append(
                f'{mini.nation(action.nation).name} ({save.controllers[action.nation]}) {verb} "{label}"'
            )
        state, _ = apply(state, action)
    lines = [line for line in timeline.splitlines() if " chose " in line or " voted " in line]
    lines = [line for line in lines if not line.startswith("- The council")]
    assert [line.removeprefix("- ") for line in lines] == expected
    assert "## Final scores" in text and "| Germany |" in text


def test_html_report_has_an_svg_chart_with_a_line_per_track(mini: Deck, tmp_path: Path) -> None:
    path = steered_save(mini, tmp_path)
    out = tmp_path / "debrief.html"
    run = CliRunner().invoke(main, ["report", str(path), "-o", str(out)])
    assert run.exit_code == 0, run.output
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 1
    tracks = re.findall(r'<polyline class="track" data-track="(\w+)"', page)
    assert tracks == ["cohesion", "escalation", "credibility"]
    assert "Turning points" in page and "a heated room" in page


def test_report_refuses_a_corrupt_save_and_leaves_it_alone(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"[save]\nformat = 1\nseed = \x00\x01")
    before = bad.read_bytes()
    for command in (["report", str(bad)], ["replay", str(bad)]):
        run = CliRunner().invoke(main, command)
        assert run.exit_code == 1
        assert "Traceback" not in run.output and "error:" in run.output
    assert bad.read_bytes() == before
    assert not (tmp_path / "bad.md").exists()


def test_a_changed_deck_is_refused_and_force_replays_as_far_as_it_can(tmp_path: Path) -> None:
    from wargame.storage import load_deck

    deck_file = tmp_path / "mini.toml"
    deck_file.write_text(MINI.read_text())
    deck = load_deck(deck_file)
    state, actions = new_game(deck, 8), []
    while not is_over(state):
        action = choose(state, state.pending.nation)
        state, _ = apply(state, action)
        actions.append(action)
    save = tmp_path / "game.toml"
    write_save(save, make_save(deck_file, deck, state, actions))
    before = save.read_bytes()
    # The designer renames a response the game used: the log cannot replay past its first use.
    used = next(a for a in actions if isinstance(a, ChooseResponse))
    text = deck_file.read_text().replace(f'id = "{used.response}"', 'id = "renamed"', 1)
    deck_file.write_text(text)

    refused = CliRunner().invoke(main, ["replay", str(save)])
    assert refused.exit_code == 1
    assert 'the deck "mini"' in refused.output and "has changed since this game was saved" in refused.output
    forced = CliRunner().invoke(main, ["replay", "--force", str(save)])
    assert forced.exit_code == 0, forced.output
    stop = re.search(
        r"replayed (\d+) of (\d+) actions; stopped at action (\d+) \"choose-response\"", forced.output
    )
    assert stop is not None and int(stop[1]) + 1 == int(stop[3]) and int(stop[2]) == len(actions)
    assert save.read_bytes() == before


def test_report_never_overwrites_its_save(saved_games: Path) -> None:
    save = saved_games / "game-00001.toml"
    before = save.read_bytes()
    run = CliRunner().invoke(main, ["report", str(save), "-o", str(save)])
    assert run.exit_code == 2 and "would overwrite the save" in run.output
    assert save.read_bytes() == before


def test_setup_counts_decisions_and_facilitator_actions_apart(mini: Deck, tmp_path: Path) -> None:
    path = steered_save(mini, tmp_path)
    run = CliRunner().invoke(main, ["replay", str(path)])
    decisions = len(read_save(path).actions) - 3
    assert f"Decisions: {decisions}, and 3 facilitator action(s)" in run.output


def test_a_mid_round_defeat_ends_the_chart_at_the_final_position(mini: Deck, tmp_path: Path) -> None:
    from wargame.lab.chronicle import tell
    from wargame.lab.report import history_to_the_end

    state = new_game(mini, 2)
    state, _ = apply(state, AdjustTrack("escalation", 10, "test: war"))
    told = tell(mini, 2, state.controllers, [AdjustTrack("escalation", 10, "test: war")])
    assert told.state.ending == "war"
    history = history_to_the_end(told.state)
    assert history["escalation"] == (3, 10)
    assert told.turning_points()["escalation"][0].cause == "the facilitator: test: war"


def test_turning_points_credit_each_event_to_its_own_cause(mini: Deck) -> None:
    """A council vote and the card drawn right after it move credibility in one step: two swings."""
    import attrs

    from wargame.lab.chronicle import tell
    from wargame.model import Effect, InjectCard

    jets = attrs.evolve(mini.card("jets"), on_draw=Effect(tracks={"credibility": -1}))
    deck = attrs.evolve(
        mini,
        info=attrs.evolve(mini.info, draws_per_round=3),
        cards=tuple(jets if card.id == "jets" else card for card in mini.cards),
    )
    seed = next(seed for seed in range(50) if new_game(deck, seed).card not in ("jets", "rules"))
    state = new_game(deck, seed)
    actions: list[Action] = [InjectCard("jets"), InjectCard("rules")]
    for action in actions:
        state, _ = apply(state, action)
    while state.card != "rules":
        # Anything but a consultation, to reach the council quickly.
        action = next(a for a in legal_actions(state) if getattr(a, "response", "") != "article-4")
        state, _ = apply(state, action)
        actions.append(action)
    actions += [ChooseResponse(nation.id, "unify") for nation in deck.nations]
    told = tell(deck, seed, state.controllers, actions)
    last_round = [s for s in told.swings if s.track == "credibility"][-2:]
    assert [(s.delta, s.cause) for s in last_round] == [
        (1, 'the council chose "Unify them" on "Unify the rules of engagement"'),
        (-1, 'the card "Fighter jets linger" as it was drawn'),
    ]
