"""The common shape of the game screen's panels: each draws one part of the game state."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from wargame.model import GameState

__all__ = ["StatePanel"]


class StatePanel(Widget):
    """A panel that draws one part of the game state.

    Its screen binds it to the screen's own state (`panel.data_bind(GameScreen.state)`), so the panel
    redraws whenever the screen is given a newer position; it draws nothing until then.
    """

    state: reactive[GameState | None] = reactive(None, layout=True)

    def render(self) -> RenderableType:
        return Text() if self.state is None else self.draw(self.state)

    def draw(self, state: GameState) -> RenderableType:
        """This panel's part of `state`."""
        raise NotImplementedError
