"""The ending screen: how the game ended, the adversary's score and who really sent each incident
(the game is over: nothing is hidden any more), every track over the rounds, the nations ranked by
score. `r` writes the after-action report; `d` judges the human seats' decisions in the background
(`wargame.lab.counterfactual`, as `wargame report --counterfactual`), a progress bar meanwhile, then
shows "Decisions that mattered" and writes the report with that section beside the save."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from wargame.engine import result
from wargame.session import Session, shown_path
from wargame.session.describe import quoted, truth_text
from wargame.tui.charts import bar_chart
from wargame.tui.widgets.board import controller_label

if TYPE_CHECKING:
    from wargame.lab.counterfactual import Judgement
    from wargame.lab.report import GameRecord

__all__ = ["EndingScreen"]


class Stopped(Exception):
    """The judging was called off: the screen is gone."""


class EndingScreen(Screen[None]):
    """Game over."""

    CSS_PATH = "ending.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "report", "Report"),
        Binding("d", "counterfactual", "Decisions that mattered"),
        Binding("n", "app.new_game", "New game"),
    ]
    #: Sampled futures per option, and worker processes, for the decisions that mattered (the
    #: report's defaults: a 12-round game with 3 human seats in well under 20 s on 2 cores).
    ROLLOUTS: ClassVar[int | None] = None
    JOBS: ClassVar[int] = min(2, os.cpu_count() or 1)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 - textual's own type

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.report: list[Path] = []
        """The report's files, once written."""
        self.judgements: list[Judgement] | None = None
        """The decisions that mattered, once judged."""
        self.judging: Worker[Any] | None = None
        """The thread judging them, once asked (d)."""

    def compose(self) -> ComposeResult:
        yield Static("Game over", id="title")
        with VerticalScroll(id="body"):
            yield Static(self._ending(), id="ending")
            adversary = self._adversary()
            if adversary.plain:
                yield Static(adversary, id="adversary")
            yield Static(self._saved(), id="saved")
            yield ProgressBar(show_eta=False, id="judging")
            yield Static(id="decisions")
            with Horizontal(id="columns"):
                yield Static(self._ranking(), id="ranking")
                yield Static(self._charts(), id="charts")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#charts").border_title = "Tracks over the rounds"
        self.query_one("#ranking").border_title = "Nations by score"
        self.query_one("#body").focus()

    def _ending(self) -> Text:
        state, deck = self.session.state, self.session.deck
        outcome = result(state)
        ending = deck.ending(outcome.ending)
        text = Text()
        text.append(ending.title, style="bold reverse")
        text.append(f"  (round {state.round} of {deck.info.rounds}, seed {state.seed})")
        if ending.text:
            text.append("\n" + ending.text)
        if outcome.defeat:
            text.append("\nA defeat: the alliance lost together, and every nation scores 0.", style="bold")
        return text

    def _adversary(self) -> Text:
        """The adversary's score, and the truth of every incident, revealed or not."""
        state, deck = self.session.state, self.session.deck
        text = Text()
        red, outcome = deck.adversary, result(state).adversary
        if red is not None and outcome is not None:
            who = f"{red.name} ({controller_label(state, red.id)})"
            text.append(f"{who}: {outcome.points} points", style="bold")
            objectives = {objective.id: objective for objective in red.objectives}
            for mark, ids in (("✓", outcome.met), ("✗", outcome.missed)):
                for objective in ids:
                    text.append(f"\n  {mark} {objectives[objective].text} ({objectives[objective].points})")
        for incident in state.incidents:
            if incident.truth is None:
                continue
            when = f"revealed in round {incident.revealed}" if incident.is_revealed else "never revealed"
            title = deck.card(incident.card).title
            text.append("\n" if text.plain else "")
            text.append(f"{quoted(title)} (round {incident.round}) was {truth_text(incident.truth)}: {when}")
        return text

    def _charts(self) -> Text:
        state, deck = self.session.state, self.session.deck
        text = Text()
        from wargame.lab.report import history_to_the_end  # the report's chart draws the same values

        history = history_to_the_end(state)
        for number, (track_id, track) in enumerate(deck.tracks.items()):
            values = history[track_id]
            better = "higher is better" if track.higher_is_better else "lower is better"
            if number:
                text.append("\n\n")
            text.append(f"{track.name}: {values[0]} → {state.tracks[track_id]}", style="bold")
            text.append(f"  ({better})\n")
            text.append("\n".join(bar_chart(values, track.min, track.max, height=3)))
        text.append("\n(round 0 is the start; each bar is the value at the end of a round)", style="dim")
        return text

    def _ranking(self) -> Table:
        state, deck = self.session.state, self.session.deck
        scores = sorted(result(state).scores, key=lambda s: -s.points)  # stable: deck order breaks ties
        table = Table(box=None, padding=(0, 1, 0, 0), show_edge=False, pad_edge=False, expand=True)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("Nation", no_wrap=True)
        table.add_column("Pts", justify="right", no_wrap=True)
        table.add_column("Objectives: ✓ met, ✗ missed")
        for rank, nation_score in enumerate(scores, start=1):
            nation = deck.nation(nation_score.nation)
            objectives = {o.id: o for o in nation.objectives}
            lines = [f"✓ {objectives[o].text} ({objectives[o].points})" for o in nation_score.met]
            lines += [f"✗ {objectives[o].text} ({objectives[o].points})" for o in nation_score.missed]
            who = f"{nation.name}\n{controller_label(state, nation.id)}"
            table.add_row(str(rank), who, str(nation_score.points), "\n".join(lines) or "none")
        return table

    def _saved(self) -> Text:
        path, warning = self.session.save_path, self.session.save_warning()
        if path is None:
            text = Text("This game was not saved.")
        elif warning is not None:  # the last autosave failed: the file does not hold the game
            text = Text(warning, style="bold")
        else:
            text = Text("The game is saved in ")
            text.append(shown_path(path), style="bold")
            text.append(f". Look at it again with: wargame resume {shown_path(path)}")
        if not self.report:
            text.append("\nPress r for the after-action report (HTML, and Markdown with an SVG chart).")
            if self.judgements is None:
                text.append(
                    "\nPress d for the decisions that mattered: every option of your decisions played out."
                )
            return text
        text.append("\nThe after-action report: ")
        for number, written in enumerate(self.report):
            text.append(", " if number else "")
            text.append(shown_path(written), style="bold")
        return text

    def action_report(self) -> None:
        """Write the after-action report beside the save and show where."""
        from wargame.session.report import ReportError, write_report

        try:
            self.report = write_report(self.session)
        except ReportError as error:
            self.notify(str(error), title="The report could not be written", severity="error", timeout=10)
            return
        self.query_one("#saved", Static).update(self._saved())
        self.notify(f"Written: {shown_path(self.report[0])} and the Markdown beside it", title="Report")

    # --- the decisions that mattered ------------------------------------------------------------------

    def action_counterfactual(self) -> None:
        """Judge the human seats' decisions in a thread (the screen stays live), with a progress bar."""
        from wargame.lab.counterfactual import human_seats
        from wargame.session.report import record_of

        if self.judgements is not None:
            self.query_one("#decisions").scroll_visible()
            return
        if self.judging is not None and self.judging.is_running:
            self.notify("Already judging: see the progress bar.", title="Decisions that mattered")
            return
        record = record_of(self.session)
        seats = human_seats(record)
        if not seats:
            self.notify(
                "Nobody played a nation here: the AI's decisions are not judged"
                " (wargame report SAVE --counterfactual --seats POL,EST judges any).",
                title="Decisions that mattered",
                severity="warning",
                timeout=10,
            )
            return
        bar = self.query_one("#judging", ProgressBar)
        bar.update(total=None, progress=0)
        bar.add_class("-shown")
        decisions = self.query_one("#decisions", Static)
        names = ", ".join(self.session.deck.seat_name(seat) for seat in seats)
        decisions.update(
            Text(f"Judging the decisions of {names}: each option played out in sampled futures…")
        )
        decisions.add_class("-shown")
        self.judging = self.run_worker(
            lambda: self._judge(record, seats), name="counterfactual", thread=True, exit_on_error=False
        )

    def _judge(self, record: GameRecord, seats: list[str]) -> tuple[list[Judgement], bool, list[Path] | str]:
        """In the worker's thread: the judgements (from the cache beside the save when fresh), then
        the report with them written beside the save (its paths, or why it could not be)."""
        from wargame.lab import counterfactual
        from wargame.lab.report import ReportError, write_report
        from wargame.session.report import report_base

        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                raise Stopped
            self.app.call_from_thread(self._advance, done, total)

        rollouts = self._rollouts()
        save = self.session.save_path
        if save is not None and save.is_file():
            judgements, cached = counterfactual.judged(save, record, seats, rollouts, self.JOBS, progress)
        else:  # a game never saved: nothing to cache beside
            judgements, cached = counterfactual.judge(record, seats, rollouts, self.JOBS, progress), False
        deck = record.deck
        section = counterfactual.section(judgements, [deck.seat_name(seat) for seat in seats], rollouts)
        base = report_base(self.session)
        try:
            written: list[Path] | str = write_report(
                record,
                html=base.with_suffix(".html"),
                markdown=base.with_suffix(".md"),
                counterfactual=section,
            )
        except ReportError as error:
            written = str(error)
        return judgements, cached, written

    def _rollouts(self) -> int:
        from wargame.lab.counterfactual import ROLLOUTS

        return self.ROLLOUTS or ROLLOUTS

    def _advance(self, done: int, total: int) -> None:
        self.query_one("#judging", ProgressBar).update(total=max(total, 1), progress=done)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self.judging:
            return
        if event.state == WorkerState.ERROR:
            self.query_one("#judging", ProgressBar).remove_class("-shown")
            self.query_one("#decisions", Static).update(
                Text(f"The decisions could not be judged: {event.worker.error}")
            )
            return
        if event.state != WorkerState.SUCCESS:
            return
        found = event.worker.result
        assert found is not None  # a worker that succeeded has its result
        judgements, cached, written = found
        self.judgements = judgements
        self.query_one("#judging", ProgressBar).remove_class("-shown")
        if isinstance(written, list):
            self.report = written
            self.query_one("#saved", Static).update(self._saved())
        else:
            self.notify(written, title="The report could not be written", severity="error", timeout=10)
        decisions = self.query_one("#decisions", Static)
        decisions.update(self._decisions(judgements, cached))
        decisions.border_title = "Decisions that mattered"
        decisions.scroll_visible()

    def _decisions(self, judgements: list[Judgement], cached: bool) -> Text:
        """The largest gaps in words, with how they were judged and where every decision is."""
        from wargame.lab.counterfactual import gaps

        told = gaps(judgements)
        text = Text()
        if not told:
            text.append(f"None of the {len(judgements)} decisions judged had an alternative that did better.")
        for number, judgement in enumerate(told, start=1):
            text.append("\n" if number > 1 else "")
            text.append(f"{number}. ", style="bold")
            text.append(judgement.words())
        text.append(
            f"\n\nJudged with what the team knew at the time: the hidden cards, attributions and votes"
            f" sampled from each seat's view, each option played out in the same {self._rollouts()}"
            f" futures; ± a 95% confidence interval."
            + (" (From the results kept beside the save.)" if cached else ""),
            style="dim",
        )
        if self.report:
            text.append(f"\nEvery decision, with all its options: {shown_path(self.report[0])}", style="dim")
        return text

    def on_unmount(self) -> None:
        # A judging thread left running would play futures for nobody: it stops at its next decision.
        if self.judging is not None:
            self.judging.cancel()
