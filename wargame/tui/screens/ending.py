"""The ending screen: how the game ended, the adversary's score and who really sent each incident
(the game is over: nothing is hidden any more), every track over the rounds, the nations ranked by
score."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from wargame.engine import result
from wargame.session import Session, shown_path
from wargame.session.describe import truth_text
from wargame.tui.charts import bar_chart
from wargame.tui.widgets.board import controller_label

__all__ = ["EndingScreen"]


class EndingScreen(Screen[None]):
    """Game over."""

    CSS_PATH = "ending.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "report", "Report"),
        Binding("n", "app.new_game", "New game"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 - textual's own type

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.report: list[Path] = []
        """The report's files, once written."""

    def compose(self) -> ComposeResult:
        yield Static("Game over", id="title")
        with VerticalScroll(id="body"):
            yield Static(self._ending(), id="ending")
            adversary = self._adversary()
            if adversary.plain:
                yield Static(adversary, id="adversary")
            yield Static(self._saved(), id="saved")
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
            text.append(f"“{title}” (round {incident.round}) was {truth_text(incident.truth)}: {when}")
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
