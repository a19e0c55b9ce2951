"""`wargame sweep`: variants of a deck, the same games on each, locally or on a Dask cluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import DECKS
from wargame.cli import main
from wargame.lab import play_games, summarise
from wargame.lab.runner import game_seed
from wargame.lab.sweep import VariationError, make_variants, parse_variation, play_variants, work_of
from wargame.storage import load_deck

MINI = DECKS / "mini.toml"


def _figures(tally: object, deck_path: Path = MINI) -> dict[str, object]:
    deck = load_deck(deck_path)
    data = summarise(deck, tally, 1.0, 1, 1).as_json()  # type: ignore[arg-type]
    return {key: value for key, value in data.items() if key not in ("seconds", "games_per_second", "jobs")}


def test_a_path_names_list_elements_by_id_or_index() -> None:
    by_id = parse_variation("cards.probe.responses.escort.cost=1,2")
    by_index = parse_variation('cards[0].responses[1]."cost"=3')
    assert by_id.steps == ("cards", "probe", "responses", "escort", "cost") and by_id.values == (1, 2)
    assert by_index.steps == ("cards", 0, "responses", 1, "cost") and by_index.values == (3,)
    assert parse_variation("council.kind=consensus,plurality").values == ("consensus", "plurality")


@pytest.mark.parametrize(
    ("vary", "said"),
    [
        ("cards.probe.responses.escort.cost", "write PATH=VALUE"),
        ("cards.prob.responses.escort.cost=1", 'cards has no "prob" (did you mean "probe"?)'),
        ("cards.probe.responses.escort.cots=1", None),
        ("cards.probe.responses=1", None),
        ("cards.probe.responses.escort.chance=500", "chance"),
    ],
)
def test_a_bad_variation_is_refused_with_what_is_wrong(vary: str, said: str | None) -> None:
    text = MINI.read_text("utf-8")
    card = load_deck(MINI).cards[0]
    vary = (
        vary.replace("probe", card.id)
        .replace("prob.", card.id[:-1] + ".")
        .replace("escort", card.responses[0].id)
    )
    with pytest.raises(VariationError) as caught:
        make_variants(text, [parse_variation(vary)], "mini.toml")
    if said is not None:
        assert said.replace("probe", card.id).replace('"prob"', f'"{card.id[:-1]}"') in str(caught.value)


def test_a_variant_at_the_decks_own_value_plays_the_decks_games() -> None:
    deck = load_deck(MINI)
    card = deck.cards[0]
    response = card.responses[0]
    vary = parse_variation(
        f"cards.{card.id}.responses.{response.id}.cost={response.cost},{response.cost + 5}"
    )
    variants = make_variants(MINI.read_text("utf-8"), [vary], "mini.toml")
    tallies = play_variants(variants, 60, 1, 7, {})
    plain = play_games(deck, [game_seed(7, i) for i in range(60)], {})
    assert _figures(tallies[0]) == _figures(plain)
    # Dearer, the response is chosen less (or as little): the variant is really a different deck.
    chosen = [tally.chosen[card.id, response.id] for tally in tallies]
    assert (
        chosen[1] <= chosen[0]
        and variants[1].deck.card(card.id).response(response.id).cost == response.cost + 5
    )


def test_processes_and_one_process_give_the_same_figures() -> None:
    variants = make_variants(MINI.read_text("utf-8"), [parse_variation("deck.rounds=3,5")], "mini.toml")
    alone = play_variants(variants, 120, 1, 3, {})
    spread = play_variants(variants, 120, 2, 3, {})
    assert [_figures(t) for t in alone] == [_figures(t) for t in spread]
    assert _figures(alone[0]) != _figures(alone[1])
    assert len(work_of(len(variants), 120, 3)) == 2 * 3  # chunks of 50 games: 50, 50, 20 per variant


def test_a_local_dask_cluster_gives_the_same_figures() -> None:
    from distributed import Client, LocalCluster

    from wargame.lab.cluster import play_on_cluster

    variants = make_variants(MINI.read_text("utf-8"), [parse_variation("deck.rounds=3,5")], "mini.toml")
    local = play_variants(variants, 120, 1, 3, {})
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        remote = play_on_cluster(client, [v.deck for v in variants], work_of(len(variants), 120, 3), {})
    assert [_figures(t) for t in remote] == [_figures(t) for t in local]


def test_sweep_prints_a_column_per_variant_and_writes_json_and_html(tmp_path: Path) -> None:
    out_json, out_html = tmp_path / "s.json", tmp_path / "s.html"
    result = CliRunner().invoke(
        main,
        [
            "sweep",
            str(MINI),
            "--vary",
            "deck.rounds=3,5",
            "-n",
            "50",
            "-j",
            "1",
            "--json",
            str(out_json),
            "--html",
            str(out_html),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1. deck.rounds=3" in result.output and "2. deck.rounds=5" in result.output
    data = json.loads(out_json.read_text("utf-8"))
    assert [variant["values"] for variant in data["variants"]] == [{"deck.rounds": 3}, {"deck.rounds": 5}]
    assert all(sum(v["figures"]["endings"].values()) == 50 for v in data["variants"])
    page = out_html.read_text("utf-8")
    assert page.count("<rect") >= 2 and "deck.rounds=5" in page


def test_sweep_refuses_a_bad_variation_without_a_traceback() -> None:
    result = CliRunner().invoke(main, ["sweep", str(MINI), "--vary", "deck.roundz=3"])
    assert result.exit_code == 1
    # A last key the deck lacks is written (a variant may add a cost): the deck check then names it.
    assert 'deck.roundz=3: deck: unknown key "roundz" (did you mean "rounds"?)' in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["sweep", str(MINI), "--vary", "dek.rounds=3"])
    assert result.exit_code == 1 and 'the deck has no "dek" (did you mean "deck"?)' in result.output


def test_an_unreachable_scheduler_is_a_message() -> None:
    result = CliRunner().invoke(
        main, ["sweep", str(MINI), "--vary", "deck.rounds=3", "-n", "5", "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert result.exit_code == 1 and "cannot reach the Dask scheduler" in result.output


def test_simulate_on_a_scheduler_gives_the_local_figures(tmp_path: Path) -> None:
    from distributed import LocalCluster

    local, remote = tmp_path / "local.json", tmp_path / "remote.json"
    run = ["simulate", str(MINI), "-n", "120", "-s", "5", "-j", "1", "--json"]
    assert CliRunner().invoke(main, [*run, str(local)]).exit_code == 0
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = CliRunner().invoke(main, [*run, str(remote), "--scheduler", cluster.scheduler_address])
    assert result.exit_code == 0, result.output

    def figures(path: Path) -> dict[str, object]:
        data = json.loads(path.read_text("utf-8"))
        return {
            key: value for key, value in data.items() if key not in ("seconds", "games_per_second", "jobs")
        }

    assert figures(remote) == figures(local) and sum(figures(local)["endings"].values()) == 120  # type: ignore[attr-defined]
