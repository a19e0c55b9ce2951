"""The networked host over real sockets on loopback: seats join with their codes, play, are refused
what is not theirs, and never receive what their view hides."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

pytest.importorskip("aiohttp")

from tests.helpers import BUNDLED, RED
from tests.hosting import Hosted
from wargame import ai
from wargame.engine.views import SPECTATOR, event_view
from wargame.model import HIDDEN, ChooseResponse, InjectCard, Pass, PositionDecision, TakePosition
from wargame.model.events import HandFilled, PositionTaken, VoteCast, VotesRevealed
from wargame.net import host as host_module
from wargame.net.client import Disconnected, JoinRefused, SeatClient
from wargame.net.host import Host, SeatCodes, play_headless
from wargame.net.protocol import MAX_SEAT_MESSAGE, Error, Refused, View
from wargame.net.refusals import SeatRefusalCode
from wargame.session import Session, default_controllers
from wargame.session.timer import DecisionClock
from wargame.storage import load_deck

SEED = 7


def _session(deck_path: Path, seats: list[str], saves: Path, seed: int = SEED) -> Session:
    deck = load_deck(deck_path)
    return Session.new(deck_path, deck, seed, default_controllers(deck, seats), saves)


@pytest.fixture
async def bundled(tmp_path: Path) -> AsyncIterator[Hosted]:
    hosted = Hosted(_session(BUNDLED, ["POL", "EST"], tmp_path), SeatCodes.new(["POL", "EST"]))
    await hosted.start()
    yield hosted
    await hosted.stop()


async def _play(client: SeatClient, until: Callable[[View], bool], decide: bool = True) -> int:
    """Play the client's seat with the AI, from the seat's view, until `until` holds; how many
    decisions it sent."""
    sent = 0
    while True:
        shown = client.view
        assert shown is not None
        if until(shown) or shown.over:
            return sent
        if decide and shown.pending == client.seat and not shown.held:
            await client.act(ai.choose(shown.state, client.seat), shown.state.turn)
            sent += 1
        await client.receive(timeout=10)


async def test_two_seats_play_a_round(bundled: Hosted) -> None:
    poland, estonia = await bundled.join("POL"), await bundled.join("EST")
    assert (poland.seat, estonia.seat) == ("POL", "EST")
    assert poland.deck is not None and poland.deck.info.id == "eastern-flank-2025"
    next_round = lambda shown: shown.state.round >= 2  # noqa: E731
    decided = await asyncio.gather(_play(poland, next_round), _play(estonia, next_round))
    session = bundled.session
    assert session.state.round >= 2
    assert sum(decided) >= 2
    # Every decision a seat sent is in the game's record as its team's.
    assert session.deciders.count("team") == sum(decided)
    # Each seat's log is the game's as that seat may see it, from its start.
    for client in (poland, estonia):
        shown = [event_view(event, client.seat, session.deck) for event in session.events]
        assert client.events == shown[: len(client.events)]
        assert len(client.events) > 20
    assert poland.view is not None and poland.view.state.seed == 0 and session.state.seed == SEED
    await poland.close()
    await estonia.close()


async def test_a_wrong_code_is_refused_within_a_second(bundled: Hosted) -> None:
    began = time.monotonic()
    with pytest.raises(JoinRefused, match="wrong seat code"):
        await SeatClient.join(bundled.address, "AAA-AAA", timeout=5)
    assert time.monotonic() - began < 1.0
    assert bundled.host.refusals[-1][1] == "hello"
    assert bundled.host.refusals[-1][2].code == SeatRefusalCode.WRONG_CODE


async def test_a_code_is_read_whatever_its_case_and_dashes(bundled: Hosted) -> None:
    code = bundled.codes.codes["EST"].replace("-", " ").lower()
    client = await SeatClient.join(bundled.address, code, timeout=5)
    assert client.seat == "EST"
    await client.close()


async def test_repeated_wrong_codes_are_slowed_then_shut_out(
    bundled: Hosted, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(host_module, "SLOWER", 0.05)
    monkeypatch.setattr(host_module, "SLOWEST", 0.2)
    times = []
    for _ in range(host_module.SHUT_OUT_AFTER):
        began = time.monotonic()
        with pytest.raises(JoinRefused, match="wrong seat code"):
            await SeatClient.join(bundled.address, "AAA-AAA", timeout=5)
        times.append(time.monotonic() - began)
    assert max(times[-3:]) >= 0.2 > times[0]
    # Now even the right code is refused from this address, at once.
    with pytest.raises(JoinRefused, match="too many wrong codes"):
        await bundled.join("POL")


async def test_a_seat_acts_only_for_itself_in_its_turn(bundled: Hosted) -> None:
    """Not for another seat, not for the facilitator, not out of turn: refused and logged."""
    poland, estonia = await bundled.join("POL"), await bundled.join("EST")
    await _play(poland, lambda shown: shown.pending in ("POL", "EST"), decide=False)
    shown = poland.view
    assert shown is not None and shown.pending in ("POL", "EST")
    other, waiting = (estonia, poland) if shown.pending == "POL" else (poland, estonia)
    turn_before = bundled.session.state.turn
    # Act for the seat whose turn it is, from the other seat.
    await other.act(Pass(waiting.seat), shown.state.turn)
    refused = await other.receive(timeout=5)
    assert isinstance(refused, Refused)
    refused_first = refused.reason
    assert isinstance(refused, Refused) and "cannot decide for" in refused.reason
    assert refused.code == "other-seat"  # and typed, for programs
    # The facilitator's action, from a seat.
    await other.act(InjectCard("boiling-frog"))
    refused = await other.receive(timeout=5)
    assert isinstance(refused, Refused) and "only the facilitator" in refused.reason
    assert refused.code == "facilitator-only"
    # Its own action, out of turn.
    await other.act(Pass(other.seat))
    refused = await other.receive(timeout=5)
    assert isinstance(refused, Refused) and "not" in refused.reason and "decision" in refused.reason
    assert refused.code == "not-your-turn"
    assert bundled.session.state.turn == turn_before
    logged = [who for who, _, _ in bundled.host.refusals]
    assert len(logged) == 3 and all(who.startswith(other.seat) for who in logged)
    # The host's log holds each refusal as its type, the team's sentence made from it.
    codes = [why.code for _, _, why in bundled.host.refusals]
    assert codes == [
        SeatRefusalCode.OTHER_SEAT,
        SeatRefusalCode.FACILITATOR_ONLY,
        SeatRefusalCode.NOT_YOUR_TURN,
    ]
    assert str(bundled.host.refusals[0][2]) == refused_first
    await poland.close()
    await estonia.close()


async def test_malformed_and_oversized_messages_get_an_error_and_the_host_goes_on(bundled: Hosted) -> None:
    poland = await bundled.join("POL")
    for text in (
        "{not json",
        "[1, 2]",
        '{"type": "dance"}',
        '{"type": "act", "action": {"type": "pass"}}',
        '{"type": "act", "action": {"type": "launch-missiles", "nation": "POL"}}',
        '{"type": "act", "action": {"type": "pass", "nation": 7}}',
        '{"type": "act", "action": {"type": "pass", "nation": "POL"}, "turn": "soon"}',
        json.dumps({"type": "act", "action": {"type": "add-note", "text": "x" * MAX_SEAT_MESSAGE}}),
        '{"type": "hello", "code": "AAA-AAA"}',
    ):
        await poland.send_raw(text)
        answer = await poland.receive(timeout=5)
        assert isinstance(answer, Error), text
        assert answer.message
    # Still seated, still served: another seat joins, and this one rejoins.
    estonia = await bundled.join("EST")
    assert estonia.view is not None
    await poland.rejoin()
    assert poland.view is not None
    await poland.close()
    await estonia.close()


async def test_a_rejoining_seat_gets_the_current_view_and_the_whole_log(bundled: Hosted) -> None:
    poland, estonia = await bundled.join("POL"), await bundled.join("EST")
    turn_six = lambda shown: shown.state.turn >= 6  # noqa: E731
    await asyncio.gather(_play(poland, turn_six), _play(estonia, turn_six))
    await poland.close()
    session = bundled.session
    back = await bundled.join("POL")
    assert back.view is not None
    assert back.view.first_event == 0
    assert back.view.state.turn == session.state.turn
    assert len(back.events) == len(session.events)
    await back.close()
    await estonia.close()


async def test_a_newer_connection_takes_the_seat(bundled: Hosted) -> None:
    first = await bundled.join("POL")
    second = await bundled.join("POL")
    with pytest.raises(Disconnected):
        for _ in range(5):
            await first.receive(timeout=5)
    assert second.view is not None
    await first.close()
    await second.close()


async def test_a_seat_never_receives_what_its_view_hides(tmp_path: Path) -> None:
    """Every message a nation and a spectator get, over a whole game of a deck with an adversary,
    hidden truths and sealed votes: no seed, no PRNG, no draw order, no card of Moscow's hand, no
    truth before it is revealed, no other nation's sealed vote before the votes are revealed."""
    seats = ["POL", "EST", "DEU"]
    session = _session(RED, seats, tmp_path)
    session.decide(InjectCard("rules"))  # an alliance card: a sealed vote comes
    hosted = Hosted(session, SeatCodes.new(seats))
    await hosted.start()
    try:
        clients = [await hosted.join(seat, record=True) for seat in seats]
        watcher = await hosted.join(SPECTATOR, record=True)
        played = [_play(client, lambda shown: False) for client in clients]
        await asyncio.gather(*played, _play(watcher, lambda shown: False, decide=False))
        assert session.over
        assert any(isinstance(event, VotesRevealed) for event in session.events)
        for client in [*clients, watcher]:
            _check_nothing_hidden(client)
            await client.close()
    finally:
        await hosted.stop()


def _check_nothing_hidden(client: SeatClient) -> None:
    seat = client.seat
    assert client.received, seat
    for text in client.received:
        message = json.loads(text)
        if message["type"] == "welcome":
            continue
        assert message["type"] == "view", text[:200]
        state = message["state"]
        assert state["seed"] == 0 and state["rng"] == 0
        assert state["draw_pile"] == sorted(state["draw_pile"])
        assert all(card == HIDDEN for card in state["hand"])
        for incident in state["incidents"]:
            assert incident["truth"] is None or incident["revealed"] is not None
        pending = state["pending"]
        if pending and pending["type"] == "respond-decision":
            assert all(said == HIDDEN for voter, said in pending["votes"] if voter != seat)
    # The events, as the seat's log holds them: no drawn card of Moscow's, no other's vote.
    revealed = False
    for event in client.events:
        if isinstance(event, HandFilled):
            assert all(card == HIDDEN for card in event.cards)
        if isinstance(event, VoteCast) and event.nation != seat and not revealed:
            assert event.response == HIDDEN
        revealed = revealed or isinstance(event, VotesRevealed)


async def test_sealed_votes_are_sent_at_once_and_applied_in_turn(tmp_path: Path) -> None:
    seats = ["POL", "EST", "DEU"]
    session = _session(RED, seats, tmp_path)
    session.decide(InjectCard("rules"))
    hosted = Hosted(session, SeatCodes.new(seats))
    await hosted.start()
    try:
        clients = {seat: await hosted.join(seat) for seat in seats}
        await asyncio.gather(
            *(_play(client, lambda shown: shown.state.card == "rules") for client in clients.values())
        )
        shown = clients["POL"].view
        assert shown is not None and shown.pending == "POL"
        assert set(shown.waiting_for) == set(seats)
        # The last voter sends first, before its turn: its vote is held.
        await clients["DEU"].act(ChooseResponse("DEU", "unify"))
        held = await clients["DEU"].receive_view(timeout=5)
        assert held.held and held.pending == "POL"
        assert "DEU" not in (await clients["POL"].receive_view(timeout=5)).waiting_for
        await clients["EST"].act(ChooseResponse("EST", "unify"))
        await clients["POL"].act(ChooseResponse("POL", "unify"), shown.state.turn)
        for _ in range(20):
            if any(isinstance(event, VotesRevealed) for event in session.events):
                break
            await clients["POL"].receive_view(timeout=5)
        votes = [event for event in session.events if isinstance(event, VoteCast)]
        assert [(vote.nation, vote.response) for vote in votes] == [
            ("POL", "unify"), ("EST", "unify"), ("DEU", "unify"),
        ]  # fmt: skip
        votes_by = [by for action, by in zip(session.actions, session.deciders, strict=True)
                    if isinstance(action, ChooseResponse) and action.response == "unify"]  # fmt: skip
        assert votes_by == ["team"] * 3
        for client in clients.values():
            await client.close()
    finally:
        await hosted.stop()


def test_codes_are_easy_to_read_and_kept_privately(tmp_path: Path) -> None:
    codes = SeatCodes.new(["POL", "EST"])
    assert set(codes.codes) == {"POL", "EST", SPECTATOR}
    for code in codes.codes.values():
        first, second = code.split("-")
        assert len(first) == len(second) == 3
        assert set(first + second) <= set(host_module.CODE_ALPHABET)
        assert not set(code) & set("0O1IL2Z5S8B")
    path = tmp_path / "game.seats.json"
    codes.save(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert SeatCodes.load(path) == codes
    assert codes.seat_for(codes.codes["EST"].lower().replace("-", "")) == "EST"
    assert codes.seat_for("") is None
    path.write_text("{oops")
    with pytest.raises(ValueError, match="not JSON"):
        SeatCodes.load(path)


async def test_too_many_messages_get_an_error(bundled: Hosted) -> None:
    poland = await bundled.join("POL")
    for _ in range(host_module.BURST + 10):
        await poland.send_raw('{"type": "dance"}')
    answers = [await poland.receive(timeout=5) for _ in range(host_module.BURST + 10)]
    assert all(isinstance(answer, Error) for answer in answers)
    assert any("too many messages" in answer.message for answer in answers if isinstance(answer, Error))
    await poland.close()


async def test_the_decision_timer_runs_out_and_the_ai_decides_for_a_silent_seat(tmp_path: Path) -> None:
    session = _session(BUNDLED, ["POL"], tmp_path)
    hosted = Hosted(session, SeatCodes.new(["POL"]))
    hosted.host.clock = DecisionClock(1)
    hosted.port = await hosted.host.start("127.0.0.1", 0)
    hosted.game = asyncio.ensure_future(play_headless(hosted.host, ai_delay=0, on_timeout="ai"))
    try:
        poland = await hosted.join("POL")
        shown = await poland.receive_view(timeout=10)
        while shown.pending != "POL":
            shown = await poland.receive_view(timeout=10)
        assert shown.timer is not None and shown.timer.seat == "POL" and shown.timer.seconds_left <= 1
        while "ai-timeout" not in session.deciders:
            await poland.receive_view(timeout=5)
        assert session.deciders.count("team") == 0
        await poland.close()
    finally:
        await hosted.stop()


async def test_consultation_positions_may_be_sent_before_their_turn(tmp_path: Path) -> None:
    # Seed 11 of the bundled deck opens with Lithuania's consultation: Poland decides, Estonia next.
    session = _session(BUNDLED, ["POL", "EST"], tmp_path, seed=11)
    hosted = Hosted(session, SeatCodes.new(["POL", "EST"]))
    await hosted.start()
    try:
        poland, estonia = await hosted.join("POL"), await hosted.join("EST")
        shown = estonia.view
        assert shown is not None and isinstance(shown.state.pending, PositionDecision)
        assert shown.pending == "POL" and shown.waiting_for == ("POL", "EST")
        await estonia.act(TakePosition("EST", "restrain"))
        held = await estonia.receive_view(timeout=5)
        assert held.held
        # A second early decision is refused: the first counts.
        await estonia.act(TakePosition("EST", "support"))
        refused = await estonia.receive(timeout=5)
        assert isinstance(refused, Refused) and "in already" in refused.reason
        await poland.act(TakePosition("POL", "support"), shown.state.turn)
        while not any(isinstance(event, PositionTaken) and event.nation == "EST" for event in session.events):
            await poland.receive_view(timeout=5)
        taken = [(e.nation, e.position) for e in session.events if isinstance(e, PositionTaken)]
        assert taken[:2] == [("POL", "support"), ("EST", "restrain")]
        await poland.close()
        await estonia.close()
    finally:
        await hosted.stop()


def buffered_for(connection: object) -> int:
    """Bytes in the host's transport of a seat's connection, not yet sent (0 once it is gone)."""
    transport = connection.socket._req.transport  # type: ignore[attr-defined]
    return 0 if transport is None else int(transport.get_write_buffer_size())


async def test_a_seat_that_stops_reading_is_dropped_before_the_host_holds_much_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aiohttp

    monkeypatch.setattr(host_module, "MAX_BEHIND", 256 * 1024, raising=False)
    session = _session(BUNDLED, ["POL", "EST"], tmp_path)
    codes = SeatCodes.new(["POL", "EST"])
    host = Host(session, codes)
    port = await host.start("127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as http:
            socket = await http.ws_connect(f"ws://127.0.0.1:{port}/seat")
            await socket.send_str(json.dumps({"type": "hello", "code": codes.codes["POL"]}))
            for _ in range(100):
                if "POL" in host.connected():
                    break
                await asyncio.sleep(0.01)
            assert "POL" in host.connected()
            # The seat reads nothing more; the host keeps sending it views (each few kB). Once the
            # socket buffers are full, what the host holds for it must stay bounded: it is dropped.
            most = 0
            for _ in range(8000):
                host.changed()
                await asyncio.sleep(0)
                connection = host._seats.get("POL")
                if connection is None or "POL" not in host.connected():
                    break
                most = max(most, getattr(connection, "behind", 0) + buffered_for(connection))
            for _ in range(200):
                if "POL" not in host.connected():
                    break
                await asyncio.sleep(0.01)
            assert "POL" not in host.connected()
            assert most <= 256 * 1024
            await socket.close()
        # It loses nothing: it rejoins and gets the current view.
        client = await SeatClient.join(f"127.0.0.1:{port}", codes.codes["POL"], timeout=5)
        assert client.view is not None and client.view.state.turn == session.state.turn
        await client.close()
    finally:
        await host.stop()


async def test_wrong_codes_on_many_connections_at_once_are_shut_out_all_the_same(
    bundled: Hosted, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aiohttp

    # From many machines at once, say (one address here): each may hold a few connections open.
    monkeypatch.setattr(host_module, "MAX_GREETING_FROM", 100)

    address = bundled.address
    async with aiohttp.ClientSession() as http:
        # Every connection is open (and past the first check) before any code is tried.
        sockets = [
            await http.ws_connect(f"ws://{address}/seat") for _ in range(3 * host_module.SHUT_OUT_AFTER)
        ]
        await asyncio.gather(
            *(
                socket.send_str(json.dumps({"type": "hello", "code": f"AAA-{n:03d}"}))
                for n, socket in enumerate(sockets)
            )
        )
        answers = [json.loads((await socket.receive(timeout=10)).data) for socket in sockets]
        for socket in sockets:
            await socket.close()
    reasons = [answer["reason"] for answer in answers]
    # Only the first SHUT_OUT_AFTER codes were compared at all; the rest were shut out unread.
    assert sum("wrong seat code" in reason for reason in reasons) == host_module.SHUT_OUT_AFTER
    assert sum("too many wrong codes" in reason for reason in reasons) == 2 * host_module.SHUT_OUT_AFTER


async def test_connections_still_to_say_hello_are_so_many_at_most(bundled: Hosted) -> None:
    import aiohttp

    address, most = bundled.address, host_module.MAX_GREETING_FROM
    async with aiohttp.ClientSession() as http:
        # Connections that never say hello would each be held for HELLO_TIMEOUT seconds.
        waiting = [await http.ws_connect(f"ws://{address}/seat") for _ in range(most)]
        started = time.monotonic()
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(f"ws://{address}/seat")
        assert refused.value.status == 429 and time.monotonic() - started < 1
        assert bundled.host.refusals[-1][2].code == SeatRefusalCode.BUSY
        await waiting.pop().close()
        for _ in range(100):  # one has gone: another may connect, and take its seat
            if sum(bundled.host._greeting.values()) < most:
                break
            await asyncio.sleep(0.02)
        socket = await http.ws_connect(f"ws://{address}/seat")
        await socket.send_str(json.dumps({"type": "hello", "code": bundled.codes.codes["EST"]}))
        assert json.loads((await socket.receive(timeout=5)).data)["type"] == "welcome"
        # Once seated it no longer counts as waiting.
        assert sum(bundled.host._greeting.values()) == most - 1
        for open_socket in (*waiting, socket):
            await open_socket.close()


async def test_a_page_of_another_site_cannot_open_a_seats_connection(bundled: Hosted) -> None:
    import aiohttp

    address = bundled.address
    async with aiohttp.ClientSession() as http:
        for origin in ("http://evil.example", "null"):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(f"ws://{address}/seat", headers={"Origin": origin})
            assert refused.value.status == 403
        # The host's own page (a browser seat) and programs (no Origin) connect.
        for headers in ({"Origin": f"http://{address}"}, {}):
            socket = await http.ws_connect(f"ws://{address}/seat", headers=headers)
            await socket.send_str(json.dumps({"type": "hello", "code": bundled.codes.codes["EST"]}))
            assert json.loads((await socket.receive(timeout=5)).data)["type"] == "welcome"
            await socket.close()
    assert [why.code for _, _, why in bundled.host.refusals] == [SeatRefusalCode.FOREIGN_PAGE] * 2


async def test_taking_a_seat_does_not_wipe_the_addresss_wrong_codes(
    bundled: Hosted, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A team that knows its own code cannot try the others' between takings of its seat."""
    monkeypatch.setattr(host_module, "SLOWER", 0.0)
    for _ in range(host_module.SHUT_OUT_AFTER - 1):
        with pytest.raises(JoinRefused, match="wrong seat code"):
            await SeatClient.join(bundled.address, "AAA-AAA", timeout=5)
    spectator = await bundled.join(SPECTATOR)  # a right code, between the wrong ones
    await spectator.close()
    with pytest.raises(JoinRefused, match="wrong seat code"):
        await SeatClient.join(bundled.address, "AAA-AAA", timeout=5)
    with pytest.raises(JoinRefused, match="too many wrong codes"):
        await SeatClient.join(bundled.address, "AAA-AAA", timeout=5)


async def test_spectators_are_so_many_at_most(bundled: Hosted, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(host_module, "MAX_SPECTATORS", 2, raising=False)
    watching = [await bundled.join(SPECTATOR) for _ in range(2)]
    with pytest.raises(JoinRefused, match="no more spectators"):
        await bundled.join(SPECTATOR)
    assert bundled.host.refusals[-1][2].code == "full"
    await watching[0].close()
    for _ in range(100):  # one leaves: another may watch
        if len(bundled.host._spectators) < 2:
            break
        await asyncio.sleep(0.02)
    watching[0] = await bundled.join(SPECTATOR)
    for client in watching:
        await client.close()


async def test_wrong_codes_from_a_browser_seat_count_against_that_browser(
    bundled: Hosted, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every browser seat's process connects from the host's loopback: one browser's wrong codes
    must not shut every browser seat out. With the host's relay token (given to its processes only),
    a connection names its browser; without it, what it names is not believed."""
    from wargame.net.protocol import BROWSER_ENV

    monkeypatch.setattr(host_module, "SLOWER", 0.0)
    token = bundled.host._relay_token

    async def wrong(relayed: str | None) -> str:
        if relayed is None:
            monkeypatch.delenv(BROWSER_ENV, raising=False)
        else:
            monkeypatch.setenv(BROWSER_ENV, relayed)
        with pytest.raises(JoinRefused) as refused:
            await SeatClient.join(bundled.address, "AAA-AAA", timeout=5)
        return str(refused.value)

    for _ in range(host_module.SHUT_OUT_AFTER):
        assert "wrong seat code" in await wrong(f"{token} 203.0.113.5")
    assert "too many wrong codes" in await wrong(f"{token} 203.0.113.5")
    # Another browser, and the host's own loopback, are not shut out.
    assert "wrong seat code" in await wrong(f"{token} 203.0.113.6")
    assert "wrong seat code" in await wrong(None)
    # A claimed browser without the token counts against the connection's own address (loopback).
    for _ in range(host_module.SHUT_OUT_AFTER):
        await wrong("not-the-token 198.51.100.1")
    assert "too many wrong codes" in await wrong("not-the-token 198.51.100.2")
    assert "too many wrong codes" in await wrong(None)
    assert "wrong seat code" in await wrong(f"{token} 203.0.113.7")
