"""A headless host on loopback for the networked seats' tests (`wargame.net`): its game played in the
test's event loop, its seats taken with real sockets."""

from __future__ import annotations

import asyncio

from wargame.net.client import SeatClient
from wargame.net.host import Host, SeatCodes, play_headless
from wargame.session import Session


class Hosted:
    """A headless host on a free port of loopback (or the port given to `start`), playing its game in
    the test's event loop."""

    def __init__(self, session: Session, codes: SeatCodes) -> None:
        self.session = session
        self.codes = codes
        self.host = Host(session, codes)
        self.port = 0
        self.game: asyncio.Task[None] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    async def start(self, port: int = 0) -> None:
        self.port = await self.host.start("127.0.0.1", port)
        self.game = asyncio.ensure_future(play_headless(self.host, ai_delay=0))

    async def join(self, seat: str, record: bool = False) -> SeatClient:
        return await SeatClient.join(self.address, self.codes.codes[seat], record=record, timeout=5)

    async def stop(self) -> None:
        if self.game is not None:
            self.game.cancel()
            await asyncio.gather(self.game, return_exceptions=True)
        await self.host.stop()
