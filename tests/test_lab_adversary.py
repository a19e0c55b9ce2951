"""The lab and the adversary: `simulate --adversary`, its JSON keys checked against games replayed
apart, v1 decks' figures unchanged, and the after-action report's adversary and attribution sections."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.helpers import DECKS, MINI
from wargame.ai import choose
from wargame.cli import main
from wargame.engine import apply, is_purchasable, legal_actions, new_game, result
from wargame.lab import game_seed, simulate, summarise
from wargame.lab.report import GameRecord, report_files
from wargame.model import (
    Action,
    ChooseResponse,
    Deck,
    Invest,
    InvestDecision,
    Pass,
    PlayCard,
    PlayDecision,
    RespondDecision,
)
from wargame.model.events import CardPlayed, ClaimProved
from wargame.storage import load_deck

RED = DECKS / "red.toml"
GOLDEN = Path(__file__).parent / "golden" / "simulate-v1.json"
PERSONAS = ("prober", "escalator", "divider")


def red_variant(tmp_path: Path) -> Path:
    """The red deck with attributions in play: the prober favours the sabotage card, and blaming
    Moscow for it pays (so the AI nations claim, and some claims turn out wrong)."""
    text = RED.read_text("utf-8")
    changes = [
        (
            "[adversary.personas.escalator]",
            '[[adversary.personas.prober.prefers]]\ncards = ["sabotage"]\nweight = 5.0\n\n'
            "[adversary.personas.escalator]",
        ),
        (
            "effects = { tracks = { escalation = 1, cohesion = 1 } }\nclaims",
            "effects = { tracks = { cohesion = 1, credibility = 2 } }\nclaims",
        ),
        ("cost = 3\nreveal = 30", "cost = 3\nreveal = 100"),
        # Never exposed as it comes into play: a truth is revealed only by the investment.
        ("exposed = 25\n", "\n"),
        ('requires = [{ attribution = "state" }]\n', 'requires = [{ actor = "pressure", min = 10 }]\n'),
    ]
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "red-variant.toml"
    path.write_text(text, encoding="utf-8")
    return path


def replayed(deck: Deck, seed: int, games: int, persona: str) -> dict[str, Any]:
    """What the JSON should say, counted apart: each game played again with `apply`, its events read."""
    cards: Counter[str] = Counter()
    targets: Counter[str] = Counter()
    truths: dict[str, Counter[str]] = {}
    revealed = claims = wrong = points = 0
    met: Counter[str] = Counter()
    for index in range(games):
        state = new_game(deck, game_seed(seed, index), {"moscow": f"ai:{persona}"})
        while state.pending is not None:
            state, events = apply(state, choose(state, state.pending.seat))
            for event in events:
                if isinstance(event, CardPlayed):
                    cards[event.card] += 1
                    targets[event.target or "alliance"] += 1
                elif isinstance(event, ClaimProved):
                    claims += 1
                    wrong += event.wrong
        for incident in state.incidents:
            truths.setdefault(incident.card, Counter())[str(incident.truth)] += 1
            revealed += incident.revealed is not None
        score = result(state).adversary
        assert score is not None
        points += score.points
        met.update(score.met)
    return {
        "cards": cards,
        "targets": targets,
        "truths": truths,
        "revealed": revealed,
        "claims": claims,
        "wrong": wrong,
        "mean": round(points / games, 3),
        "met": met,
    }


def run_simulate(tmp_path: Path, *args: str) -> tuple[int, str, dict[str, Any] | None]:
    out = tmp_path / "figures.json"
    run = CliRunner().invoke(main, ["simulate", *args, "--json", str(out)])
    data = json.loads(out.read_text("utf-8")) if run.exit_code == 0 else None
    return run.exit_code, run.output, data


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("variant", [False, True], ids=["red", "red-variant"])
def test_adversary_and_attribution_keys_add_up_to_the_games_replayed(
    tmp_path: Path, persona: str, variant: bool
) -> None:
    path = red_variant(tmp_path) if variant else RED
    games, seed = 30, 4
    code, output, data = run_simulate(
        tmp_path, str(path), "-n", str(games), "-j", "1", "-s", str(seed), "--adversary", f"ai:{persona}"
    )
    assert code == 0, output
    assert data is not None
    deck = load_deck(path)
    apart = replayed(deck, seed, games, persona)
    red = data["adversary"]
    assert red["id"] == "moscow" and red["persona"] == persona
    assert red["cards"] == {card.id: apart["cards"][card.id] for card in deck.cards}
    assert red["targets"] == {"POL": apart["targets"]["POL"], "EST": apart["targets"]["EST"]} | {
        "DEU": apart["targets"]["DEU"],
        "alliance": apart["targets"]["alliance"],
    }
    plays = sum(apart["cards"].values())
    assert plays > 0 and red["plays"] == sum(red["cards"].values()) == sum(red["targets"].values()) == plays
    assert red["score"] == {
        "mean": apart["mean"],
        "objectives": {"doubt": apart["met"]["doubt"], "leverage": apart["met"]["leverage"]},
    }
    told = data["attribution"]
    truths = apart["truths"].get("sabotage", Counter())
    assert told["truths"] == {"sabotage": {t: truths[t] for t in ("state", "proxy", "accident")}}
    assert told["incidents"] == sum(truths.values())
    assert (told["revealed"], told["claims"], told["wrong_claims"]) == (
        apart["revealed"],
        apart["claims"],
        apart["wrong"],
    )
    assert told["wrong_claims_by_card"] == {"sabotage": apart["wrong"]}
    # The text report says it too.
    assert f"Moscow (the adversary, {deck.adversary.personas[persona].name})" in output  # type: ignore[union-attr]
    assert f"{plays} cards played" in output and "Attribution:" in output
    if variant and persona == "prober":
        # The variant is there to exercise attribution: incidents, reveals, right and wrong claims.
        assert told["incidents"] and told["revealed"] and 0 < told["wrong_claims"] < told["claims"]


def test_the_red_personas_play_differently(tmp_path: Path) -> None:
    played = {}
    for persona in PERSONAS:
        code, output, data = run_simulate(
            tmp_path, str(RED), "-n", "20", "-j", "1", "--adversary", f"ai:{persona}"
        )
        assert code == 0 and data is not None, output
        played[persona] = (data["adversary"]["cards"], data["adversary"]["targets"])
    assert len({json.dumps(value) for value in played.values()}) == 3


def test_adversary_figures_do_not_depend_on_the_number_of_processes(tmp_path: Path) -> None:
    path = red_variant(tmp_path)
    deck = load_deck(path)
    one = summarise(deck, simulate(path, 60, 1, 3, {}, deck=deck), 1.0, 3, 1).as_json()
    two = summarise(deck, simulate(path, 60, 2, 3, {}), 1.0, 3, 2).as_json()
    assert one["adversary"] == two["adversary"] and one["attribution"] == two["attribution"]
    assert one["attribution"]["incidents"] > 0


def test_adversary_option_errors(tmp_path: Path) -> None:
    valid = "ai:prober, ai:escalator, ai:divider"
    for given, why in (
        ("ai:owl", '"ai:owl" is not a red persona of Moscow'),
        ("prober", '"prober" is not a red persona of Moscow'),
        ("ai:hawk", '"ai:hawk" is not a red persona of Moscow'),
        ("human", "the lab plays AI seats only"),
    ):
        code, output, _ = run_simulate(tmp_path, str(RED), "-n", "2", "--adversary", given)
        assert code == 2, output
        assert "--adversary" in output and why in output and valid in output
    code, output, _ = run_simulate(tmp_path, str(MINI), "-n", "2", "--adversary", "ai:prober")
    assert code == 2 and 'the deck "mini" has no adversary' in output


def test_controllers_may_name_the_adversary_too(tmp_path: Path) -> None:
    code, output, data = run_simulate(tmp_path, str(RED), "-n", "5", "-j", "1", "-c", "moscow=ai:divider")
    assert code == 0 and data is not None, output
    assert data["adversary"]["persona"] == "divider"
    code, output, data = run_simulate(tmp_path, str(RED), "-n", "5", "-j", "1")
    assert code == 0 and data is not None and data["adversary"]["persona"] == "prober"


def test_v1_decks_give_the_same_figures_as_before_the_adversary() -> None:
    """The golden file is what the lab wrote before it knew the adversary (commit 01bd642): the v1 keys
    stay the same, and the new keys are null for decks without an adversary or attribution."""
    golden = json.loads(GOLDEN.read_text("utf-8"))
    assert set(golden) == {"eastern-flank-2025", "nordic-drones-2025", "baltic-sabotage"}
    for name, before in golden.items():
        path = DECKS / "v1" / f"{name}.toml"
        deck = load_deck(path)
        now = summarise(deck, simulate(path, 100, 1, 11, {}, deck=deck), 1.0, 11, 1).as_json()
        # Issue 15 added two figures to each response, beside the old ones.
        responses = now["responses"]
        assert all(
            {"mean_stats", "mean_consultation"} <= set(figures)
            for by_response in responses.values()
            for figures in by_response.values()
        )
        now["responses"] = {
            card: {
                response: {
                    key: value for key, value in figures.items() if key in before["responses"][card][response]
                }
                for response, figures in by_response.items()
            }
            for card, by_response in responses.items()
        }
        assert {key: now[key] for key in before} == before, name
        assert now["adversary"] is None and now["attribution"] is None
        assert set(now) - set(before) == {
            "seconds",
            "games_per_second",
            "jobs",
            "adversary",
            "attribution",
            "councils",
            "postures",
            "survival",
            "defeat_rounds",
            "scores",
            "objectives",
            "investments",
        }
        assert now["postures"] == {} and now["councils"]["kind"] == "plurality"


# --- the after-action report ------------------------------------------------------------------------

Chooser = Callable[[Any, Any], Action | None]


def constructed(path: Path, controllers: dict[str, str], chooser: Chooser, seed: int = 5) -> GameRecord:
    """A whole game: `chooser(state, decision)` decides where it returns an action, the AI elsewhere."""
    deck = load_deck(path)
    state = new_game(deck, seed, controllers)
    actions: list[Action] = []
    while state.pending is not None:
        action = chooser(state, state.pending) or choose(state, state.pending.seat)
        actions.append(action)
        state, _ = apply(state, action)
    return GameRecord(deck, path, seed, state.controllers, tuple(actions), None, None)


def blame_then(reveal: bool) -> Chooser:
    """Nations blame Moscow for every sabotage; Poland buys the counter-drone systems (which reveal
    every truth, in the variant) once, after the first claim, when `reveal`; nobody else invests."""
    bought: list[str] = []

    def chooser(state: Any, decision: Any) -> Action | None:
        if isinstance(decision, RespondDecision) and decision.card == "sabotage":
            return ChooseResponse(decision.nation, "blame")
        if isinstance(decision, InvestDecision):
            investment = state.deck.investment("counter-drone")
            if (
                reveal
                and not bought
                and decision.nation == "POL"
                and state.incidents
                and is_purchasable(state, "POL", decision.bought, investment)
            ):
                bought.append("POL")
                return Invest("POL", "counter-drone")
            return Pass(decision.nation)
        return None

    return chooser


def report_of(record: GameRecord, tmp_path: Path) -> tuple[str, str]:
    files = report_files(record, markdown=tmp_path / "r.md", html=tmp_path / "r.html")
    return files[tmp_path / "r.md"], files[tmp_path / "r.html"]


def final_state(record: GameRecord) -> Any:
    state = new_game(record.deck, record.seed, record.controllers)
    for action in record.actions:
        state, _ = apply(state, action)
    return state


# Seed 5's first sabotage was sent by the state (the claim is right), seed 7's by a proxy (wrong).
@pytest.mark.parametrize("seed", [5, 7])
@pytest.mark.parametrize("reveal", [True, False], ids=["revealed", "never-revealed"])
def test_report_tells_the_incidents_truths_and_claims(tmp_path: Path, reveal: bool, seed: int) -> None:
    path = red_variant(tmp_path)
    humans = {"POL": "human", "EST": "human", "DEU": "human"}
    record = constructed(path, humans, blame_then(reveal), seed)
    state = final_state(record)
    markdown, html = report_of(record, tmp_path)
    assert state.incidents, "the prober plays the sabotage it favours"
    first = state.incidents[0]
    assert (first.revealed is not None) == reveal
    # Who claimed: the nation the first sabotage landed on, which the test made answer "blame".
    claimant = next(
        a.nation for a in record.actions if isinstance(a, ChooseResponse) and a.response == "blame"
    )
    nation = record.deck.nation(claimant).name
    wrong = "wrong" if first.truth != "state" else "right"
    proved = f"proved in round {first.revealed}" if reveal else "never proved in play"
    headline = f'"Sabotage at a depot" (round {first.round}, on {nation}): the truth was {first.truth}, '
    headline += (
        f'revealed in round {first.revealed} (Poland (team) bought "Counter-drone systems")'
        if reveal
        else "never revealed in play"
    )
    claim = f'{nation} (team) chose "Blame Moscow" in round {first.round}, claiming state: {wrong}, {proved}'
    for text in (markdown, unescape(html)):
        assert "What Moscow played, and why" in text and "Attributions" in text
        assert headline in text
        assert claim in text
        assert f"Moscow (the adversary) | {result(state).adversary.points}" in markdown  # type: ignore[union-attr]
    assert markdown.count('- "Sabotage at a depot" (round') == len(state.incidents)
    if reveal and first.truth != "state":
        assert 'claim "Blame Moscow" (state) on "Sabotage at a depot" proved wrong' in markdown


def test_report_says_why_the_ai_played_and_that_a_red_cell_team_chose(tmp_path: Path) -> None:
    path = red_variant(tmp_path)
    ai = constructed(path, {}, lambda state, decision: None)
    played = [a for a in ai.actions if isinstance(a, PlayCard)]
    markdown, _ = report_of(ai, tmp_path)
    section = markdown.split("## What Moscow played, and why")[1].split("## Attributions")[0]
    assert section.count("- Moscow (AI Prober) played") == len(played) > 0
    assert section.count("  - Value ") == len(played)
    assert "The red-cell team's choice" not in section
    if any(a.card == "sabotage" for a in played):
        assert "Prober prefers now: this card (+5.00)." in section
    assert "readiness" in section and "possible plays; the next:" in section

    # A red-cell team: the first legal play each time, and no appraisal.
    def first_play(state: Any, decision: Any) -> Action | None:
        return legal_actions(state)[0] if isinstance(decision, PlayDecision) else None

    team = constructed(path, {"moscow": "human"}, first_play)
    markdown, html = report_of(team, tmp_path)
    section = markdown.split("## What Moscow played, and why")[1].split("## Attributions")[0]
    count = sum(isinstance(a, PlayCard) for a in team.actions)
    assert section.count("- Moscow (team) played") == count > 0
    assert section.count("The red-cell team's choice.") == count and "Value" not in section
    assert "The red-cell team's choice." in unescape(html)


def test_report_marks_a_play_that_was_not_the_ais_own_pick(tmp_path: Path) -> None:
    """The facilitator may play the adversary's card for it: the report says what the AI would have
    played instead."""
    overridden: list[PlayCard] = []

    def other_play(state: Any, decision: Any) -> Action | None:
        if not isinstance(decision, PlayDecision) or overridden:
            return None
        pick = choose(state, decision.seat)
        others = [a for a in legal_actions(state) if isinstance(a, PlayCard) and a != pick]
        if others:
            overridden.append(others[-1])
            return others[-1]
        return None

    record = constructed(RED, {}, other_play)
    assert overridden
    markdown, _ = report_of(record, tmp_path)
    assert markdown.count("Not the AI's own pick: it valued") == 1


def test_a_deck_without_adversary_has_no_such_sections(tmp_path: Path) -> None:
    record = constructed(MINI, {}, lambda state, decision: None)
    markdown, html = report_of(record, tmp_path)
    for text in (markdown, html):
        assert "played, and why" not in text and "Attributions" not in text and "adversary" not in text
