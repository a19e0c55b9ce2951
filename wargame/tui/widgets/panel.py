"""The common shape of the game screen's panels."""

from __future__ import annotations

from textual.widget import Widget

from wargame.model import GameState

__all__ = ["StatePanel"]


class StatePanel(Widget):
    """A panel that draws one part of the game state; `show` gives it a newer state to draw."""

    def __init__(self, state: GameState, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = state

    def show(self, state: GameState) -> None:
        self.state = state
        self.refresh(layout=True)
