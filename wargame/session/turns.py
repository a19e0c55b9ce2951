"""Whose turn it is and how a seat's decision is taken, for every loop that plays a session forward.

The terminal UI's driver (`wargame.tui.driver`) and the networked host (`wargame.net.host`) both play
a `Session` forward; what they share without any UI lives here: the AI's decision, taken in a thread
when it plans (so the event loop stays live), and which decisions may be collected from several
seats at once (sealed council votes, a consensus council's answers, a consultation's positions).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import TYPE_CHECKING, Protocol

from wargame import ai
from wargame.model import (
    Action,
    GameState,
    Planner,
    PositionDecision,
    ProposalDecision,
    RespondDecision,
)
from wargame.model.game import Decision

if TYPE_CHECKING:
    from wargame.session import Session
    from wargame.session.timer import DecisionClock

__all__ = ["Remote", "ai_decision", "choose_in_thread", "is_planner", "phase_of", "still_to_decide"]


class Remote(Protocol):
    """Seats whose decisions come from elsewhere (`wargame.net.host.Host`: teams on their own
    machines). A loop that plays a session forward asks it for those seats' decisions instead of
    asking the keyboard, and tells it whenever the game changed."""

    @property
    def seats(self) -> list[str]:
        """The seats decided elsewhere."""
        ...

    async def decision(self, seat: str) -> Action:
        """The seat's decision for the pending one, legal when it is returned; cancel to stop waiting."""
        ...

    def changed(self) -> None:
        """The game changed (a decision, a facilitator's action): tell the seats."""
        ...

    def connected(self) -> list[str]:
        """The seats decided elsewhere whose team is connected now."""
        ...

    def code(self, seat: str) -> str:
        """The code that takes this seat (the facilitator reads it to a team that lost it)."""
        ...

    def follow(self, session: Session, clock: DecisionClock | None) -> None:
        """Serve this session from now on (a loop starts on it: after an undo or a branch, another),
        its decisions timed by `clock`; the seats are told."""
        ...


def is_planner(state: GameState, seat: str) -> bool:
    """Whether the planning AI plays this seat (it takes seconds, not microseconds)."""
    return isinstance(state.controllers.get(seat), Planner)


async def choose_in_thread(state: GameState, seat: str) -> Action:
    """The AI's decision for `seat`, taken in a thread of its own while the event loop runs on. A
    daemon thread, not the loop's executor: quitting mid-plan does not wait for the plan."""
    loop = asyncio.get_running_loop()
    decided: asyncio.Future[Action] = loop.create_future()

    def settle(action: Action | None, error: BaseException | None) -> None:
        if decided.done():  # the loop's side gave up waiting (a cancelled worker)
            return
        if error is not None:
            decided.set_exception(error)
        else:
            assert action is not None
            decided.set_result(action)

    def decide() -> None:
        action: Action | None = None
        error: BaseException | None = None
        try:
            action = ai.choose(state, seat)
        except Exception as raised:  # raised again in the loop, where the caller reports it
            error = raised
        with contextlib.suppress(RuntimeError):  # the app has quit meanwhile: its loop is closed
            loop.call_soon_threadsafe(settle, action, error)

    threading.Thread(target=decide, name=f"planner {seat}", daemon=True).start()
    return await decided


async def ai_decision(state: GameState, seat: str) -> Action:
    """The AI's decision for `seat` from its view: a planner's in a thread, a scripted one at once."""
    if is_planner(state, seat):
        return await choose_in_thread(state, seat)
    return ai.choose(state, seat)


def phase_of(state: GameState) -> tuple[str, str, str] | None:
    """The decision several seats may take at once, as a key that stays the same while it is being
    collected: a council vote under sealed votes, a consensus council's answers under sealed votes,
    a consultation's positions. None for any other decision.

    Sealed votes are hidden from the other voters until all have voted, so a vote sent before its
    turn changes nothing a later voter sees; open votes are cast in turn, each seeing the ones before.
    Positions are taken in turn order either way: a team that sends one early just does not wait.
    """
    decision: Decision | None = state.pending
    sealed = state.deck.info.sealed_votes
    plurality = not state.deck.council.is_consensus  # under consensus, the chair proposes alone
    if isinstance(decision, RespondDecision) and decision.is_vote and sealed and plurality:
        return ("vote", decision.card, "")
    if isinstance(decision, ProposalDecision) and sealed:
        return ("proposal", decision.card, decision.proposal)
    if isinstance(decision, PositionDecision):
        return ("positions", decision.card, decision.invoker)
    return None


def still_to_decide(state: GameState, seat: str) -> bool:
    """Whether `seat` has yet to decide in the decision being collected (`phase_of`): a nation that
    has not voted, answered or taken its position."""
    decision = state.pending
    if seat not in state.stats:
        return False
    if isinstance(decision, RespondDecision):
        return all(voter != seat for voter, _ in decision.votes)
    if isinstance(decision, ProposalDecision):
        return seat != decision.chair and all(nation != seat for nation, _ in decision.answers)
    if isinstance(decision, PositionDecision):
        return seat != decision.invoker and all(nation != seat for nation, _ in decision.positions)
    return False
