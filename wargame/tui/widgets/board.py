"""The state of the board: the tracks with their history and the postures, the nations' table, the
adversary."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events

from wargame.engine import score
from wargame.engine.postures import levels_now
from wargame.engine.scoring import adversary_score
from wargame.model import Deck, GameState, Objective, PostureLevel, Score
from wargame.session.describe import attribution_text, defeat_thresholds, posture_changes
from wargame.tui.charts import sparkline
from wargame.tui.widgets.panel import StatePanel

__all__ = ["AdversaryPanel", "NationsPanel", "ObjectivesPanel", "TracksPanel", "controller_label"]

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
    """Each track: value, range, which way is good, where defeat lies, and its history; then each
    posture: its level now and what that level changes."""

    DEFAULT_CSS = "TracksPanel { height: auto; }"

    _width: int | None = None
    """The width it was last laid out at."""

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
        # Postures are policy that lasts, shown like tracks: the level now and what it changes, on
        # one line each, cut short where it is longer (the panels below it stay in view whatever
        # the level: the adversary at 100×30); the choices show a price and chance with them.
        for posture_id, level in levels_now(deck, state.postures):
            text.append(f"\n{deck.postures[posture_id].name}: ", style="bold")
            text.append(level.label, style="bold reverse")
            changes = Text(f"  {_changes(deck, level)}", style="dim")
            changes.truncate(width, overflow="ellipsis")
            text.append("\n")
            text.append_text(changes)
        return text

    def on_resize(self, event: events.Resize) -> None:
        # Its lines are drawn to its width (sparklines, ranges, postures cut short): measured again
        # at the width it has, or a height measured at a former width leaves blank lines or cuts some.
        if event.size.width != self._width:
            self._width = event.size.width
            self.refresh(layout=True)

    def watch_state(self, state: GameState | None) -> None:
        # What each posture's level changes, whole, for a pointer resting on the panel.
        if state is None or not state.deck.postures:
            self.tooltip = None
            return
        deck = state.deck
        self.tooltip = "\n".join(
            f"{deck.postures[posture_id].name}, {level.label}: " + _changes(deck, level)
            for posture_id, level in levels_now(deck, state.postures)
        )


def _changes(deck: Deck, level: PostureLevel) -> str:
    """What a posture's level changes, in words, as the tracks panel and its tooltip say it."""
    return posture_changes(deck, level) or "changes no response"


class NationsPanel(StatePanel):
    """One row per nation: who plays it, its stats, its score so far; ▶ marks who decides."""

    DEFAULT_CSS = "NationsPanel { height: auto; }"

    def draw(self, state: GameState) -> RenderableType:
        deck = state.deck
        width = self.size.width
        # Three widths: ids and short heads; names and short heads; names and full heads.
        names, full = width >= 46, width >= 72
        table = Table(box=None, padding=(0, 1, 0, 0), expand=True, show_edge=False, pad_edge=False)
        heads = [stat.name if full else _SHORT.get(key, stat.name[:3]) for key, stat in deck.stats.items()]
        # Too narrow for every stat (a deck with stocks besides the usual four): the title bar says
        # whom you play, so the player column goes before a nation's id or a stat is cut short.
        who = names or 1 + 4 + 6 + sum(max(len(head), 2) + 1 for head in heads) + 3 <= width
        table.add_column("", width=1, no_wrap=True)
        table.add_column("Nation" if names else "", no_wrap=True)
        if who:
            table.add_column("Player" if names else "Who", no_wrap=True)
        for head in heads:
            table.add_column(head, justify="right", no_wrap=True)
        table.add_column("Score" if full else "Pts", justify="right", no_wrap=True)
        deciding = state.pending.seat if state.pending is not None else None
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
                *([player] if who else []),
                *cells,
                str(score(state, nation.id).points),
                style="bold" if nation.id == deciding else None,
            )
        return table


class AdversaryPanel(StatePanel):
    """The adversary: who plays it, its stats, how many cards it holds (never which, but to its own
    team: the screen's state is a view), and the attributions revealed so far."""

    DEFAULT_CSS = "AdversaryPanel { height: auto; }"

    def draw(self, state: GameState) -> RenderableType:
        deck = state.deck
        red = deck.adversary
        if red is None:
            return Text()
        deciding = state.pending is not None and state.pending.seat == red.id
        text = Text()
        text.append(f"{'▶ ' if deciding else ''}{red.name}", style="bold")
        text.append(f"  {controller_label(state, red.id)}", style="italic")
        stats = " · ".join(f"{stat.name} {state.adversary_stats[key]}" for key, stat in red.stats.items())
        hand = len(state.hand)
        held = f"{hand} card{'s' if hand != 1 else ''} in hand"
        points = adversary_score(state)
        scored = f"score {points.points}" if points is not None and red.objectives else ""
        text.append("\n" + " · ".join(part for part in (stats, scored) if part))
        text.append(f"\n{held}")
        for incident in state.incidents:
            if incident.is_revealed and incident.truth is not None:
                title = deck.card(incident.card).title
                words = attribution_text(deck.card(incident.card), incident)
                text.append(f"\n{title} (round {incident.round}): {words}", style="dim")
        return text


class ObjectivesPanel(StatePanel):
    """The objectives of the seats people play (the nations', then a red-cell team's), each marked
    met (✓) or missed (✗) as things stand."""

    DEFAULT_CSS = "ObjectivesPanel { height: auto; }"

    def draw(self, state: GameState) -> RenderableType:
        deck = state.deck
        humans = [nation for nation in deck.nations if state.is_human(nation.id)]
        red = deck.adversary
        red_score = adversary_score(state) if red is not None and state.is_human(red.id) else None
        if not humans and red_score is None:
            return Text("No human players: the AI plays every nation.", style="italic")
        parts: list[RenderableType] = []
        for nation in humans:
            parts.extend(_objectives(nation.name, nation.objectives, score(state, nation.id)))
        if red is not None and red_score is not None:
            parts.extend(_objectives(red.name, red.objectives, red_score))
        return Group(*parts)


def _objectives(name: str, objectives: tuple[Objective, ...], now: Score) -> list[RenderableType]:
    grid = Table.grid(expand=True)
    grid.add_column(width=2, no_wrap=True)
    grid.add_column(ratio=1)
    for objective in objectives:
        mark = "✓" if objective.id in now.met else "✗"
        grid.add_row(mark, f"{objective.text} ({objective.points})")
    return [Text(f"{name}: {now.points} points now", style="bold"), grid]
