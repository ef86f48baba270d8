"""LiveView sockets on ``djust serve``: limits, misbehaving clients, slow and failing handlers,
many sockets at once. Each test drives a real server process (``tests/serve/site``)."""

from __future__ import annotations

import asyncio
import json
import resource
import socket
import struct
import time

import pytest
from websockets.exceptions import ConnectionClosed

from tests.serve.conftest import (
    OP_CLOSE,
    OP_CONT,
    OP_PING,
    OP_TEXT,
    Closed,
    RawSocket,
    ServeProcess,
    ask,
    closed_with,
    event,
    mount,
    open_socket,
    receive,
    rss_kib,
    run,
    socket_fds,
)

# LIVEVIEW_CONFIG['max_frame_bytes'] of the test site.
FRAME_LIMIT = 64 * 1024
CLOSE_TOO_BIG = 1009
CLOSE_POLICY = 1008
CLOSE_RELOAD = 4500


def wait_for_sessions(server: ServeProcess, count: int = 0, timeout: float = 10) -> dict:
    """Poll the site's ``/stats/`` until the process holds ``count`` Python sessions."""
    deadline = time.monotonic() + timeout
    stats = server.get_json("/stats/")
    while stats["sessions"] != count and time.monotonic() < deadline:
        time.sleep(0.1)
        stats = server.get_json("/stats/")
    return stats


async def increments(server: ServeProcess, page, count: int) -> list[float]:
    """Mount, then ``count`` increments one after the other; each answer's latency."""
    latencies = []
    async with open_socket(server, page) as ws:
        await mount(ws, page)
        for ref in range(1, count + 1):
            sent = time.monotonic()
            answer = await ask(ws, event(ref, "increment"))
            latencies.append(time.monotonic() - sent)
            assert answer["t"] == "patch" and answer["ref"] == ref, answer
            assert f"Count: {ref}" in json.dumps(answer["patches"]), answer
    return latencies


# --- frames ---------------------------------------------------------------------------------


def test_a_frame_just_under_the_limit_is_answered(server):
    page = server.page()

    async def scenario():
        async with open_socket(server, page, max_size=None) as ws:
            await mount(ws, page)
            frame = json.dumps({"t": "ping", "ref": 1, "pad": ""})
            padded = json.dumps({"t": "ping", "ref": 1, "pad": "x" * (FRAME_LIMIT - len(frame))})
            assert len(padded) == FRAME_LIMIT
            assert await ask(ws, padded) == {"t": "pong", "ref": 1}

    run(scenario())


def test_a_frame_over_the_limit_closes_the_socket_with_1009(server):
    page = server.page()

    async def scenario():
        async with open_socket(server, page, max_size=None) as ws:
            await mount(ws, page)
            frame = json.dumps({"t": "ping", "ref": 1, "pad": "x" * FRAME_LIMIT})
            await ws.send(frame)
            return await closed_with(ws)

    assert run(scenario()) == CLOSE_TOO_BIG, server.log()


def test_an_announced_oversize_frame_is_refused_before_its_payload_arrives(server):
    """Nothing is buffered past the limit: a frame announcing 64 MiB is refused on its header,
    while the client has sent only a little more than the limit."""
    page = server.page()
    raw = RawSocket(server, page)
    try:
        raw.send_text({"t": "mount", "token": page.token})
        assert raw.recv_json()["t"] == "mounted"
        payload = b"x" * (FRAME_LIMIT + 1)
        frame = RawSocket.frame(OP_TEXT, payload, length=64 * 1024 * 1024)
        # The header and the start of the payload: far short of what it announces.
        raw.sock.sendall(frame[: 14 + len(payload)])
        started = time.monotonic()
        code = raw.close_code(timeout=5)
        assert code == CLOSE_TOO_BIG, code
        assert time.monotonic() - started < 5
    finally:
        raw.close()


def test_fragments_adding_up_past_the_limit_close_the_socket_with_1009(server):
    page = server.page()
    raw = RawSocket(server, page)
    try:
        raw.send_text({"t": "mount", "token": page.token})
        assert raw.recv_json()["t"] == "mounted"
        piece = b"x" * (16 * 1024)
        raw.send(OP_TEXT, b'{"t":"ping","ref":1,"pad":"' + piece, fin=False)
        for _ in range(8):  # 128 KiB in all, twice the limit
            try:
                raw.send(OP_CONT, piece, fin=False)
            except OSError:
                break
        code = raw.close_code(timeout=5)
        assert code == CLOSE_TOO_BIG, code
    finally:
        raw.close()


@pytest.mark.parametrize(
    "frame",
    ["{bad", "", "not json at all", '{"t": "event", "ref": 1,'],
    ids=["broken-json", "empty", "text", "truncated"],
)
def test_a_malformed_frame_is_answered_with_an_error_and_the_session_goes_on(server, frame):
    page = server.page()

    async def scenario():
        async with open_socket(server, page) as ws:
            await mount(ws, page)
            answer = await ask(ws, frame)
            assert answer["t"] == "error" and answer["code"] == "malformed_frame", answer
            answer = await ask(ws, event(1, "increment"))
            assert answer["t"] == "patch" and answer["ref"] == 1, answer

    run(scenario())


def test_a_binary_frame_is_answered_with_an_error_and_the_session_goes_on(server):
    page = server.page()

    async def scenario():
        async with open_socket(server, page) as ws:
            await mount(ws, page)
            await ws.send(json.dumps(event(1, "increment")).encode())  # bytes: a binary frame
            answer = await receive(ws)
            assert answer["t"] == "error" and answer["code"] == "malformed_frame", answer
            answer = await ask(ws, event(2, "increment"))
            assert answer["t"] == "patch" and answer["ref"] == 2, answer
            assert "Count: 1" in json.dumps(answer["patches"]), answer

    run(scenario())


# --- floods and slow readers ----------------------------------------------------------------


def test_a_flooding_socket_is_closed_with_1008_and_other_sessions_go_on(server):
    page = server.page()
    other_page = server.page()

    async def flood() -> int | None:
        async with open_socket(server, page, max_queue=None) as ws:
            await mount(ws, page)
            frames = [json.dumps(event(ref, "increment")) for ref in range(1, 5001)]
            try:
                for frame in frames:
                    await ws.send(frame)
            except ConnectionClosed:
                pass
            return await closed_with(ws, timeout=20)

    async def bystander(stop: asyncio.Event) -> list[float]:
        latencies = []
        async with open_socket(server, other_page) as ws:
            await mount(ws, other_page)
            ref = 0
            while not stop.is_set() or ref < 20:
                ref += 1
                sent = time.monotonic()
                answer = await ask(ws, event(ref, "increment"))
                latencies.append(time.monotonic() - sent)
                assert answer["t"] == "patch" and answer["ref"] == ref, answer
                await asyncio.sleep(0.02)
        return latencies

    async def scenario():
        stop = asyncio.Event()
        other = asyncio.create_task(bystander(stop))
        await asyncio.sleep(0.2)
        code = await flood()
        stop.set()
        return code, await other

    code, latencies = run(scenario())
    assert code == CLOSE_POLICY, (code, server.log()[-3000:])
    assert len(latencies) >= 20
    assert max(latencies) < 1.0, latencies
    # And a new session afterwards is served as usual.
    assert max(run(increments(server, server.page(), 5))) < 1.0


def test_a_client_that_never_reads_is_disconnected_and_memory_stays_bounded(server):
    """Events whose answers are 64 KiB each (a ``push_event``), sent at a pace the session
    can answer (not a flood), by a client that never reads: the server may keep only a bounded
    backlog for it, then drops the connection (its socket is closed on the server's side)
    without waiting for the client to read."""
    size = 64 * 1024
    events = 2000  # 128 MiB of answers, were they all kept
    wait_for_sessions(server, 0)
    sockets_before = socket_fds(server.pid)
    page = server.page()
    raw = RawSocket(server, page, rcvbuf=4096)
    try:
        raw.send_text({"t": "mount", "token": page.token})
        assert raw.recv_json()["t"] == "mounted"
        before = rss_kib(server.pid)
        raw.sock.settimeout(2)
        refused = None
        for ref in range(1, events + 1):
            try:
                raw.send_text(event(ref, "shout", size=size))
            except (OSError, TimeoutError) as err:  # the server stopped reading, or closed
                refused = err
                break
            time.sleep(0.01)
        # Without reading a byte: the server must let the connection go.
        deadline = time.monotonic() + 10
        while socket_fds(server.pid) > sockets_before and time.monotonic() < deadline:
            time.sleep(0.1)
        held = socket_fds(server.pid) - sockets_before
        grown_mib = (rss_kib(server.pid) - before) / 1024
        sessions = server.get_json("/stats/")["sessions"]
        # What the client finds when it reads at last (for the report).
        received, ended = 0, None
        read_until = time.monotonic() + 20
        while ended is None and time.monotonic() < read_until:
            try:
                opcode, payload = raw.recv_frame(timeout=2)
            except (Closed, ConnectionResetError) as err:
                ended = f"end of stream ({type(err).__name__})"
            except TimeoutError:
                ended = "nothing more, still open"
            else:
                received += len(payload)
                if opcode == OP_CLOSE:
                    ended = f"close frame {payload[:2].hex() or 'without a code'}"
        report = (
            f"sent {ref} events (stopped by {refused!r}); {sessions} Python sessions left; "
            f"server grew by {grown_mib:.0f} MiB; reading afterwards gave {received} bytes, "
            f"then {ended}"
        )
        assert held <= 0, f"the server still holds the connection after 10 s: {report}"
        assert grown_mib < 80, report
        assert received < events * size / 4, report
    finally:
        raw.close()


# --- heartbeat ------------------------------------------------------------------------------


def test_a_silent_client_is_dropped_after_the_heartbeat_timeout(start_server):
    """The site's settings_heartbeat: a ping every second, dropped after 3 s of silence."""
    server = start_server("tests.serve.site.settings_heartbeat")
    page = server.page()
    raw = RawSocket(server, page)
    try:
        started = time.monotonic()
        pings = 0
        ended = None
        while time.monotonic() - started < 12:
            left = max(0.1, 12 - (time.monotonic() - started))
            try:
                opcode, payload = raw.recv_frame(timeout=left)
            except (Closed, ConnectionResetError):
                ended = "end of stream"
                break
            except TimeoutError:
                break
            if opcode == OP_PING:
                pings += 1  # never answered: this client says nothing at all
            elif opcode == OP_CLOSE:
                ended = "close frame"
                break
        elapsed = time.monotonic() - started
        sessions = server.get_json("/stats/")["sessions"]
        assert ended is not None, (
            f"still connected after {elapsed:.1f} s ({pings} pings; "
            f"{sessions} Python sessions left in the server)"
        )
        assert elapsed >= 2.5, f"dropped after only {elapsed:.1f} s"
        assert elapsed < 8, f"dropped after {elapsed:.1f} s"
        assert pings >= 1, "the server never pinged"
    finally:
        raw.close()


def test_a_quiet_client_that_answers_pings_is_kept(start_server):
    server = start_server("tests.serve.site.settings_heartbeat")
    page = server.page()

    async def scenario():
        async with open_socket(server, page) as ws:  # websockets answers pings itself
            await mount(ws, page)
            await asyncio.sleep(6)  # twice the timeout, without a frame of ours
            answer = await ask(ws, event(1, "increment"))
            assert answer["t"] == "patch" and answer["ref"] == 1, answer

    run(scenario())


# --- many sockets ---------------------------------------------------------------------------


def test_a_thousand_sockets_opened_at_once_all_mount(server):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 4096:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    pages = [server.page() for _ in range(10)]
    count = 1000

    async def one(index: int, ready: asyncio.Event, results: list):
        page = pages[index % len(pages)]
        try:
            async with open_socket(server, page, open_timeout=30) as ws:
                answer = await ask(ws, {"t": "mount", "token": page.token}, timeout=30)
                results.append(answer.get("t") if answer["t"] == "mounted" else answer)
                await ready.wait()
                answer = await ask(ws, event(1, "increment"), timeout=30)
                results.append(answer["t"])
        except Exception as err:
            results.append(f"{type(err).__name__}: {err}")

    async def scenario():
        ready = asyncio.Event()
        results: list = []
        tasks = [asyncio.create_task(one(i, ready, results)) for i in range(count)]
        deadline = time.monotonic() + 40
        while len(results) < count and time.monotonic() < deadline:
            if any(r != "mounted" for r in results):
                break
            await asyncio.sleep(0.05)
        mounted = sum(1 for r in results if r == "mounted")
        ready.set()
        await asyncio.gather(*tasks)
        return mounted, results

    mounted, results = run(scenario(), timeout=55)
    failures = [r for r in results if r not in ("mounted", "patch")]
    assert mounted == count and not failures, (mounted, failures[:10], len(failures))
    assert results.count("patch") == count
    assert wait_for_sessions(server, 0)["sessions"] == 0


# --- disconnects and slow or failing handlers ------------------------------------------------


@pytest.mark.parametrize("how", ["reset", "close"])
def test_a_client_gone_mid_event_leaves_no_session_behind(server, how):
    wait_for_sessions(server, 0)
    sockets_before = socket_fds(server.pid)
    page = server.page()
    raw = RawSocket(server, page)
    raw.send_text({"t": "mount", "token": page.token})
    assert raw.recv_json()["t"] == "mounted"
    assert server.get_json("/stats/")["sessions"] == 1
    raw.send_text(event(1, "nap", seconds=1.0))
    time.sleep(0.2)  # the handler is sleeping now
    if how == "reset":
        raw.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    raw.close()
    # The server goes on: a new socket mounts and is answered.
    latencies = run(increments(server, server.page(), 3))
    assert max(latencies) < 2
    time.sleep(1.2)  # the nap is over
    stats = wait_for_sessions(server, 0)
    assert stats["sessions"] == 0 and stats["views"] == 0, stats
    deadline = time.monotonic() + 5
    while socket_fds(server.pid) > sockets_before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert socket_fds(server.pid) <= sockets_before


def test_a_handler_sleeping_5_s_does_not_hold_up_other_sessions(server):
    page = server.page()

    async def sleeper() -> tuple[float, dict]:
        async with open_socket(server, page) as ws:
            await mount(ws, page)
            sent = time.monotonic()
            answer = await ask(ws, event(1, "nap", seconds=5.0), timeout=15)
            return time.monotonic() - sent, answer

    async def scenario():
        slow = asyncio.create_task(sleeper())
        await asyncio.sleep(0.3)
        others = [increments(server, server.page(), 20) for _ in range(3)]
        started = time.monotonic()
        latencies = await asyncio.gather(*others)
        others_took = time.monotonic() - started
        took, answer = await slow
        return took, answer, latencies, others_took

    took, answer, latencies, others_took = run(scenario())
    assert answer["t"] == "patch" and answer["ref"] == 1, answer
    assert took >= 5
    flat = [latency for each in latencies for latency in each]
    assert max(flat) < 0.5, sorted(flat)[-5:]
    assert others_took < 4, "the other sessions were answered only after the nap"


def test_a_handler_failing_repeatedly_closes_the_socket_with_4500(server):
    page = server.page()

    async def scenario():
        async with open_socket(server, page) as ws:
            await mount(ws, page)
            for ref in (1, 2, 3):
                await ws.send(json.dumps(event(ref, "boom")))
                frames = [await receive(ws)]
                while frames[-1]["t"] != "error":
                    frames.append(await receive(ws))
                assert frames[-1]["code"] == "handler_error" and frames[-1]["ref"] == ref, frames
            await ws.send(json.dumps(event(4, "boom")))
            return await closed_with(ws, timeout=5)

    started = time.monotonic()
    assert run(scenario()) == CLOSE_RELOAD
    assert time.monotonic() - started < 5
    # Another session of the same view is fine.
    assert max(run(increments(server, server.page(), 2))) < 1


def test_handler_failures_spread_out_do_not_close_the_socket(server):
    page = server.page()

    async def scenario():
        async with open_socket(server, page) as ws:
            await mount(ws, page)
            for ref in range(1, 6):
                await ws.send(json.dumps(event(ref, "boom")))
                frames = [await receive(ws)]
                while frames[-1]["t"] != "error":
                    frames.append(await receive(ws))
                assert frames[-1]["code"] == "handler_error", frames
                if ref in (3,):
                    await asyncio.sleep(5.2)  # the window passes
            answer = await ask(ws, event(9, "increment"))
            assert answer["t"] == "patch", answer

    run(scenario())
