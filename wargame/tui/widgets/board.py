"""The state of the board: the tracks with their history, and the nations' table."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from wargame.engine import score
from wargame.model import Deck, GameState
from wargame.session.describe import defeat_thresholds
from wargame.tui.charts import sparkline
from wargame.tui.widgets.panel import StatePanel

__all__ = ["NationsPanel", "TracksPanel", "controller_label"]

#: Short column heads for the usual stats, for narrow terminals.
_SHORT = {"treasury": "Cash", "income": "Inc", "readiness": "Rdy", "pressure": "Prs"}


def controller_label(state: GameState, nation: str) -> str:
    """`human`, or `AI hawk`."""
    persona = state.persona_of(nation)
    return "human" if persona is None else f"AI {persona}"


def _near_defeat(deck: Deck, track_id: str, value: int) -> bool:
    """Whether one more step could reach a defeat ending that reads this track alone."""
    for ending in deck.defeats:
        if len(ending.when) != 1 or ending.when[0].track != track_id:
            continue
        condition = ending.when[0]
        if condition.min is not None and value >= condition.min - 1:
            return True
        if condition.max is not None and value <= condition.max + 1:
            return True
    return False


class TracksPanel(StatePanel):
    """Each track: value, range, which way is good, where defeat lies, and its history."""

    DEFAULT_CSS = "TracksPanel { height: auto; }"

    def draw(self, state: GameState) -> RenderableType:
        deck = state.deck
        defeats = defeat_thresholds(deck)
        width = max(self.size.width, 20)
        name_width = max(len(track.name) for track in deck.tracks.values())
        text = Text()
        for number, (track_id, track) in enumerate(deck.tracks.items()):
            value = state.tracks[track_id]
            history = [*state.history[track_id]]
            if len(history) <= state.round and not state.is_over():
                history.append(value)  # this round so far
            spark_width = max(width - name_width - 6, 4)
            if number:
                text.append("\n")
            text.append(f"{track.name:<{name_width}} ", style="bold")
            text.append(f"{value:>2}", style="bold reverse")
            text.append("  " + sparkline(history, track.min, track.max, spark_width))
            better = "higher is better" if track.higher_is_better else "lower is better"
            long_limits = ", ".join(f"lost at {where}" for where in defeats[track_id])
            limits = ", ".join(f"lost {where.place}" for where in defeats[track_id])
            warn = _near_defeat(deck, track_id, value)
            line = ""
            for candidate in (
                f"{track.min}-{track.max}, {better}" + (f"; {long_limits}" if long_limits else ""),
                f"{track.min}-{track.max}, {better}" + (f", {limits}" if limits else ""),
                f"{track.min}-{track.max}" + (f", {limits}" if limits else f", {better}"),
            ):
                line = f"\n  {candidate}"
                if len(candidate) + 2 <= width:
                    break
            text.append(line, style="dim" if not warn else "bold")
            if warn:
                text.append("  ⚠ NEAR DEFEAT", style="bold red")
        return text


class NationsPanel(StatePanel):
    """One row per nation: who plays it, its stats, its score so far; ▶ marks who decides."""

    DEFAULT_CSS = "NationsPanel { height: auto; }"

    def draw(self, state: GameState) -> RenderableType:
        deck = state.deck
        width = self.size.width
        # Three widths: ids and short heads; names and short heads; names and full heads.
        names, full = width >= 46, width >= 72
        table = Table(box=None, padding=(0, 1, 0, 0), expand=True, show_edge=False, pad_edge=False)
        table.add_column("", width=1, no_wrap=True)
        table.add_column("Nation" if names else "", no_wrap=True)
        table.add_column("Player" if names else "Who", no_wrap=True)
        for stat_id, stat in deck.stats.items():
            head = stat.name if full else _SHORT.get(stat_id, stat.name[:4])
            table.add_column(head, justify="right", no_wrap=True)
        table.add_column("Score" if full else "Pts", justify="right", no_wrap=True)
        deciding = state.pending.nation if state.pending is not None else None
        for nation in deck.nations:
            values = state.stats[nation.id]
            cells = [f"+{values[s]}" if s == "income" else str(values[s]) for s in deck.stats]
            player = controller_label(state, nation.id)
            if not full:
                player = player.removeprefix("AI ")
            if not names:
                player = player[:5]
            table.add_row(
                "▶" if nation.id == deciding else "",
                nation.name if names else nation.id,
                player,
                *cells,
                str(score(state, nation.id).points),
                style="bold" if nation.id == deciding else None,
            )
        return table


class ObjectivesPanel(StatePanel):
    """The human nations' objectives, each marked met (✓) or missed (✗) as things stand."""

    DEFAULT_CSS = "ObjectivesPanel { height: auto; }"

    def draw(self, state: GameState) -> RenderableType:
        deck = state.deck
        humans = [nation for nation in deck.nations if state.is_human(nation.id)]
        if not humans:
            return Text("No human players: the AI plays every nation.", style="italic")
        parts: list[RenderableType] = []
        for nation in humans:
            now = score(state, nation.id)
            parts.append(Text(f"{nation.name}: {now.points} points now", style="bold"))
            grid = Table.grid(expand=True)
            grid.add_column(width=2, no_wrap=True)
            grid.add_column(ratio=1)
            for objective in nation.objectives:
                mark = "✓" if objective.id in now.met else "✗"
                grid.add_row(mark, f"{objective.text} ({objective.points})")
            parts.append(grid)
        return Group(*parts)
