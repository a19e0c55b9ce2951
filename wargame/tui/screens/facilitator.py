"""The facilitator's panel (facilitator mode, key f): a menu of tools, each a small modal screen.

The menu returns the tool chosen; each tool's screen returns the facilitator's action (`Action | None`),
which the app applies like any other decision; undo is confirmed first (`ConfirmUndoScreen`).

The facilitator sees everything: with a deck that has secrets, the panel shows what the table's
screens hide (the adversary's hand, the truths not yet revealed, the sealed votes), and with an
adversary it has two more tools: play the adversary's card for it, and veto a card of its hand.
"""

from __future__ import annotations

from typing import ClassVar, Literal, get_args

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from wargame.engine.adversary import targets
from wargame.engine.legality import refusal
from wargame.model import (
    HIDDEN,
    Action,
    AddNote,
    Deck,
    ForceRoll,
    GameState,
    InjectCard,
    PlayCard,
    PlayDecision,
    RespondDecision,
    VetoCard,
)
from wargame.session.describe import nation_name, price_text, quoted, seat_name, targets_text, truth_text
from wargame.session.turns import Remote
from wargame.tui.screens.adjust import AdjustScreen
from wargame.tui.widgets.picker import Picker

__all__ = [
    "TOOLS",
    "BranchScreen",
    "ConfirmUndoScreen",
    "FacilitatorScreen",
    "Tool",
    "secrets_text",
    "tool_screen",
    "tools_for",
]

Tool = Literal["card", "play", "veto", "roll", "track", "stat", "note", "undo", "branch"]
TOOLS: tuple[Tool, ...] = get_args(Tool)

#: Each tool's key in the menu and what it does.
_MENU: dict[Tool, tuple[str, str]] = {
    "card": ("c", "Put a card on top of the draw pile"),
    "play": ("p", "Play the adversary's card for it"),
    "veto": ("v", "Veto a card of the adversary's hand"),
    "roll": ("r", "Force the next roll to succeed or fail"),
    "track": ("t", "Adjust a track, with a reason"),
    "stat": ("s", "Adjust a nation's stat, with a reason"),
    "note": ("n", "Add a note to the record"),
    "undo": ("u", "Undo the last decision"),
    "branch": ("b", "Branch: go on from an earlier decision in a new save"),
}

#: The tools that only a deck with an adversary has.
_ADVERSARY_TOOLS = ("play", "veto")


def tools_for(deck: Deck) -> tuple[Tool, ...]:
    """The facilitator's tools for a game on this deck: playing and vetoing the adversary's card
    only when there is an adversary."""
    return tuple(tool for tool in TOOLS if deck.adversary is not None or tool not in _ADVERSARY_TOOLS)


def _menu_text(deck: Deck, tool: Tool) -> str:
    """What a tool does, in the deck's words (the adversary by its name)."""
    red = deck.adversary
    if red is None:
        return _MENU[tool][1]
    if tool == "card":
        return f"Choose {red.name}'s next card (it must play it)"
    return _MENU[tool][1].replace("the adversary", red.name)


def teams_text(deck: Deck, remote: Remote | None) -> str:
    """The hosted seats, their codes and whether each team is connected now; "" when none is
    hosted (a team whose laptop died asks the facilitator for its code again)."""
    if remote is None:
        return ""
    here = set(remote.connected())
    # One line for the whole table: the panel's tools must still fit at 80×24.
    return " · ".join(
        f"{seat_name(deck, seat)} ({remote.code(seat)}): "
        + ("connected" if seat in here else "not connected")
        for seat in remote.seats
    )


def secrets_text(state: GameState) -> str:
    """What only the facilitator sees (the state's secrets): the adversary's hand, the truths not
    yet revealed, the sealed votes cast so far; "" when there are none."""
    deck = state.deck
    lines = []
    red = deck.adversary
    if red is not None:
        hand = ", ".join(quoted(deck.card(card).title) for card in state.hand) or "empty"
        lines.append(f"{red.name}'s hand: {hand}")
        if state.forced_card is not None:
            lines.append(f"  it must play {quoted(deck.card(state.forced_card).title)} next (injected)")
    for incident in state.incidents:
        if not incident.is_revealed and incident.truth is not None:
            title = quoted(deck.card(incident.card).title)
            lines.append(
                f"{title} (round {incident.round}): in truth {truth_text(incident.truth)}, not revealed"
            )
    decision = state.pending
    if deck.info.sealed_votes and isinstance(decision, RespondDecision) and decision.votes:
        card = deck.card(decision.card)
        votes = ", ".join(
            f"{nation_name(deck, nation)} {card.response(response).label if response != HIDDEN else '?'}"
            for nation, response in decision.votes
        )
        lines.append(f"Sealed votes so far: {votes}")
    return "\n".join(lines)


class FacilitatorScreen(ModalScreen[Tool | None]):
    """The facilitator's menu: a letter or Enter opens a tool."""

    CSS_PATH = "facilitator.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Close", key_display="esc"),
        *(Binding(key, f"tool('{tool}')", show=False) for tool, (key, _) in _MENU.items()),
    ]

    def __init__(
        self,
        state: GameState,
        undo: str | None,
        just_played: str | None = None,
        *,
        saved: bool = True,
        remote: Remote | None = None,
    ) -> None:
        """`undo` says what an undo would take back; None when there is nothing to undo.
        `just_played`: the card the adversary has just played, before anyone answered it (it may
        still be vetoed). `saved`: whether the game has a save file (a branch starts from it).
        `remote`: the host of a game whose seats play from their own machines."""
        super().__init__()
        self.remote = remote
        self.state = state
        self.undo = undo
        self.just_played = just_played
        self.saved = saved
        self.tools = tools_for(state.deck)

    def _why_not(self, tool: Tool) -> str | None:
        if tool == "undo":
            return None if self.undo is not None else "nothing to undo yet"
        if tool == "branch":
            if not self.saved:
                return "the game is not saved (started with --no-save)"
            return None if self.state.turn else "no decision has been made yet"
        if self.state.pending is None:
            return "the game is over"
        red = self.state.deck.adversary
        name = red.name if red is not None else "the adversary"
        choosing = isinstance(self.state.pending, PlayDecision)
        if tool == "play" and not choosing:
            return f"only while {name} chooses its card"
        if tool == "veto" and not choosing and self.just_played is None:
            return f"only while {name} chooses its card, or just after it played"
        return None

    def compose(self) -> ComposeResult:
        options = []
        deck = self.state.deck
        for tool in self.tools:
            key = _MENU[tool][0]
            text = Text(f"{key}  ", style="bold")
            text.append(_menu_text(deck, tool))
            extra = self._extra(tool)
            if extra:
                text.append(f"\n   {extra}", style="italic")
            options.append(Option(text, id=tool, disabled=self._why_not(tool) is not None))
        secrets = secrets_text(self.state)
        with Vertical(classes="dialog"):
            yield Static("Facilitator", classes="dialog-title")
            if self.state.pending is None:
                yield Static("The game is over: only undo or a branch can change it now.", classes="hint")
            if secrets:
                yield Static(f"Only you see:\n{secrets}", id="secrets")
            teams = teams_text(self.state.deck, self.remote)
            if teams:
                yield Static(f"Teams: {teams}", id="teams")
            yield Picker(*options, id="tools", compact=True)
            yield Static("A letter or Enter opens a tool; Esc closes.", classes="hint")
        yield Footer()

    def _extra(self, tool: Tool) -> str:
        if tool == "undo":
            return f"takes back: {self.undo}" if self.undo is not None else "nothing to undo yet"
        if tool == "roll" and self.state.forced_roll is not None:
            seat = self.state.forced_seat
            whose = "the next roll" if seat is None else f"{nation_name(self.state.deck, seat)}'s next roll"
            return f"now: {whose} is forced to {'succeed' if self.state.forced_roll else 'fail'}"
        choosing = isinstance(self.state.pending, PlayDecision)
        if tool == "veto" and self.just_played is not None and not choosing:
            return f"the card just played: {quoted(self.state.deck.card(self.just_played).title)}"
        why = self._why_not(tool) if tool in _ADVERSARY_TOOLS else None
        return why or ""

    def on_mount(self) -> None:
        tools = self.query_one(OptionList)
        tools.highlighted = next((i for i, tool in enumerate(self.tools) if not self._why_not(tool)), None)
        tools.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_tool(str(event.option.id))

    def action_tool(self, tool: str) -> None:
        chosen = next((t for t in self.tools if t == tool), None)
        if chosen is None:
            return  # a key of a tool this deck has not got
        why = self._why_not(chosen)
        if why is not None:
            self.notify(f"{_menu_text(self.state.deck, chosen)}: {why}.", severity="warning")
            return
        self.dismiss(chosen)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


def tool_screen(tool: Tool, state: GameState, just_played: str | None = None) -> ModalScreen[Action | None]:
    """The screen of a tool that makes an action (every tool but undo)."""
    if tool == "card":
        return CardScreen(state)
    if tool == "play":
        return PlayScreen(state)
    if tool == "veto":
        return VetoScreen(state, just_played)
    if tool == "roll":
        return RollScreen(state)
    if tool == "note":
        return NoteScreen()
    if tool in ("track", "stat"):
        return AdjustScreen(state, tool)
    raise ValueError(f"{tool} makes no action")


class _Pick(ModalScreen[Action | None]):
    """A list of actions to pick from with the arrows and Enter; barred ones show why."""

    CSS_PATH = "facilitator.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel", key_display="esc")]
    TITLE_TEXT = ""
    HINT = "↑↓ choose, Enter confirms, Esc cancels."

    def __init__(self, state: GameState) -> None:
        super().__init__()
        self.state = state
        self.actions: list[Action] = []

    def items(self) -> list[tuple[Action, Text]]:
        raise NotImplementedError

    def why_not(self, action: Action) -> str | None:
        """Why the game refuses this action now, in the facilitator's words."""
        return None if (why := refusal(self.state, action)) is None else str(why)

    def compose(self) -> ComposeResult:
        options = []
        for action, text in self.items():
            reason = self.why_not(action)
            if reason is not None:
                text.append(f"  ✗ {reason}", style="italic")
            self.actions.append(action)
            options.append(Option(text, disabled=reason is not None))
        with Vertical(classes="dialog"):
            yield Static(self.TITLE_TEXT, classes="dialog-title")
            yield Picker(*options, id="picks", compact=True)
            yield Static(self.HINT, classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        picks = self.query_one(OptionList)
        picks.highlighted = next(
            (i for i, action in enumerate(self.actions) if self.why_not(action) is None), None
        )
        picks.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.actions[event.option_index])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class CardScreen(_Pick):
    """Which card goes on top of the draw pile (the next card drawn); with an adversary, which card
    it must play next (from its hand, or taken into it from the piles)."""

    TITLE_TEXT = "Put a card on top of the draw pile"
    HINT = "The card chosen is the next one drawn. ↑↓ choose, Enter confirms, Esc cancels."

    def __init__(self, state: GameState) -> None:
        super().__init__(state)
        red = state.deck.adversary
        if red is not None:
            self.TITLE_TEXT = f"Choose {red.name}'s next card"
            self.HINT = (
                f"The card goes into {red.name}'s hand (from the draw or discard pile) and it must play"
                " it next, where it chooses. ↑↓ choose, Enter confirms, Esc cancels."
            )

    def items(self) -> list[tuple[Action, Text]]:
        deck = self.state.deck
        found: list[tuple[Action, Text]] = []
        for card in deck.cards:
            text = Text(card.title, style="bold")
            text.append(f"  · on {targets_text(deck, card)}")
            if deck.adversary is not None and card.id in self.state.hand:
                text.append("  · in its hand", style="italic")
            found.append((InjectCard(card.id), text))
        return found

    def why_not(self, action: Action) -> str | None:
        return "in play now" if refusal(self.state, action) is not None else None


class PlayScreen(_Pick):
    """The facilitator plays the adversary's card for it: a card of its hand, at a target the card
    allows (each pair one line)."""

    HINT = "↑↓ choose, Enter plays it, Esc cancels."

    def __init__(self, state: GameState) -> None:
        super().__init__(state)
        decision = state.pending
        seat = decision.seat if isinstance(decision, PlayDecision) else ""
        self.TITLE_TEXT = f"Play {seat_name(state.deck, seat)}'s card for it"

    def items(self) -> list[tuple[Action, Text]]:
        decision, deck = self.state.pending, self.state.deck
        if not isinstance(decision, PlayDecision):
            return []
        found: list[tuple[Action, Text]] = []
        for card_id in dict.fromkeys(self.state.hand):
            card = deck.card(card_id)
            for target in targets(deck, card):
                where = "the whole alliance" if target is None else nation_name(deck, target)
                text = Text(quoted(card.title), style="bold")
                text.append(f" at {where}  · {price_text(deck, card)}")
                found.append((PlayCard(decision.seat, card_id, target), text))
        return found


class VetoScreen(_Pick):
    """The facilitator vetoes a card of the adversary's hand while it chooses (the card goes onto the
    discard pile and it chooses among the rest), or the card it has just played (the play is taken
    back first)."""

    HINT = "The card goes onto the discard pile. ↑↓ choose, Enter vetoes it, Esc cancels."

    def __init__(self, state: GameState, just_played: str | None = None) -> None:
        super().__init__(state)
        self.just_played = just_played
        red = state.deck.adversary
        self.TITLE_TEXT = f"Veto a card of {red.name if red else 'the adversary'}'s hand"

    def items(self) -> list[tuple[Action, Text]]:
        deck = self.state.deck
        if not isinstance(self.state.pending, PlayDecision):
            if self.just_played is None:
                return []
            text = Text(quoted(deck.card(self.just_played).title), style="bold")
            text.append("  · just played: the play is taken back, then the card vetoed")
            return [(VetoCard(self.just_played), text)]
        return [
            (VetoCard(card_id), Text(quoted(deck.card(card_id).title), style="bold"))
            for card_id in dict.fromkeys(self.state.hand)
        ]

    def why_not(self, action: Action) -> str | None:
        if not isinstance(self.state.pending, PlayDecision):
            return None  # the card just played: the desk takes the play back before the veto
        return super().why_not(action)


class RollScreen(_Pick):
    """Whether the next roll succeeds or fails: whoever's it is, or one nation's (so that an AI's roll
    in between does not take it)."""

    TITLE_TEXT = "Force the next roll"
    HINT = "That roll gets this result (the dice are still shown). ↑↓ choose, Enter confirms, Esc cancels."

    def items(self) -> list[tuple[Action, Text]]:
        deck, target = self.state.deck, self.state.target
        seats = [None, *sorted((n.id for n in deck.nations), key=lambda nation: nation != target)]
        items: list[tuple[Action, Text]] = []
        for seat in seats:
            whose = "whoever rolls next" if seat is None else f"{nation_name(deck, seat)}'s next roll"
            items.append((ForceRoll(True, seat), Text(f"Succeed: {whose} succeeds")))
            items.append((ForceRoll(False, seat), Text(f"Fail: {whose} fails")))
        return items


class NoteScreen(ModalScreen[Action | None]):
    """A note for the record (the log, the save and the after-action report)."""

    CSS_PATH = "facilitator.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel", key_display="esc")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Add a note to the record", classes="dialog-title")
            yield Static("It goes into the log, the save and the after-action report.")
            yield Input(placeholder="the note; Enter adds it", id="note")
            yield Static(id="error", classes="error")
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.query_one("#error", Static).update("Type the note first (or Esc to cancel).")
            return
        self.dismiss(AddNote(text))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class BranchScreen(ModalScreen[int | None]):
    """Which decision to take again in a branch: every turn of the game, newest first. The game goes
    on from just before it in a new save; this one is left as it is."""

    CSS_PATH = "facilitator.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel", key_display="esc")]

    def __init__(self, turns: list[tuple[int, int, str]]) -> None:
        """`turns`: (turn, round, the decision in words), oldest first."""
        super().__init__()
        self.turns = turns[::-1]

    def compose(self) -> ComposeResult:
        options = []
        for turn, round_number, text in self.turns:
            line = Text(f"turn {turn} · round {round_number}  ", style="bold")
            line.append(text)
            options.append(Option(line))
        with Vertical(classes="dialog"):
            yield Static("Branch: which decision to take again?", classes="dialog-title")
            yield Static(
                "The game goes on from just before it, in a new save beside this one; this game and"
                " its save stay as they are.",
            )
            yield Picker(*options, id="turns", compact=True)
            yield Static("↑↓ choose, Enter branches, Esc cancels.", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        turns = self.query_one(OptionList)
        turns.highlighted = 0 if self.turns else None
        turns.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.turns[event.option_index][0])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class ConfirmUndoScreen(ModalScreen[bool]):
    """Undo? Names what goes: the last action of a person or the facilitator, and the AI's after it."""

    CSS_PATH = "facilitator.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Undo", key_display="y"),
        Binding("n,escape", "answer(False)", "Keep it", key_display="n"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Undo the last decision?", classes="dialog-title")
            yield Static(f"Takes back: {self.what}.\nThe game goes back to just before it.")
            yield Static("y or Enter undoes, n or Esc keeps it.", classes="hint")
        yield Footer()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
