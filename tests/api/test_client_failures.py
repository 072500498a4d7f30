"""How the client fails: error mapping, writes never resent, reads retried, the key never leaked."""

from __future__ import annotations

import logging
import socket

import httpx
import pytest

from syncro_tui.api import (
    AuthError,
    BadRequest,
    NetworkError,
    NotFound,
    Pacer,
    PermissionDenied,
    RateLimited,
    ResponseShapeError,
    SyncroClient,
    ValidationFailed,
    WriteOutcomeUnknown,
)
from syncro_tui.api.errors import error_messages
from syncro_tui.api.redact import RedactingFilter, redact, redact_data, register_secret
from syncro_tui.simulator import API_PREFIX
from syncro_tui.simulator.server import BackgroundSimulator
from syncro_tui.api import requests as rq

from ..conftest import make_client, make_simulator
from ..simulator.helpers import open_ticket

SECRET = "T0ps3cr3t-key-for-redaction-tests"
BODY = dict(subject="Update", body="Rebooted the firewall", hidden=False, do_not_email=True)


def comments_like(sim, tid: int) -> int:
    return sum(1 for c in sim.store.t("comments").values() if c["ticket_id"] == tid and c["body"] == BODY["body"])


# ---------------------------------------------------------------- error bodies
@pytest.mark.parametrize(
    ("text", "content_type", "expected"),
    [
        ('{"error": "Customer required field"}', "application/json", ["Customer required field"]),
        ('{"success": false, "message": ["Body can\'t be blank", "Subject can\'t be blank"]}', "application/json",
         ["Body can't be blank", "Subject can't be blank"]),
        ('{"errors": "Name can\'t be blank, Description can\'t be blank", "params": {}}', "application/json",
         ["Name can't be blank", "Description can't be blank"]),
        ('{"errors": ["billable must be true or false"]}', "application/json", ["billable must be true or false"]),
        ('{"customer_id": ["can\'t be blank"], "date": ["can\'t be blank"]}', "application/json",
         ["Customer id can't be blank", "Date can't be blank"]),
        ('{"success": false, "error": "Summary can\'t be blank,Start at can\'t be blank", "message": "Summary can\'t be blank,Start at can\'t be blank", "params": {}}',
         "application/json", ["Summary can't be blank", "Start at can't be blank"]),
        ('{"record": {"id": null}, "errors": "Name can\'t be blank"}', "application/json", ["Name can't be blank"]),
        ('{"message": "Not found"}', "application/json", ["Not found"]),
        ("Retry later\n", "text/plain", ["Retry later"]),
        ("<!DOCTYPE html><html><head><title>Bad Request</title></head><body><h1>Bad Request</h1></body></html>",
         "text/html", ["Bad Request"]),
        ("", "text/plain", []),
    ],
)
def test_every_error_body_shape_becomes_readable_messages(text, content_type, expected) -> None:
    assert error_messages(text, content_type) == expected


# --------------------------------------------------------------- status codes
async def test_bad_key_is_an_auth_error(sim) -> None:
    async with make_client(sim, key="not-a-real-key") as client:
        with pytest.raises(AuthError) as info:
            await client.execute(rq.me())
    assert not isinstance(info.value, PermissionDenied)
    assert "wrong, expired or revoked" in str(info.value)


async def test_missing_permission_is_named(sim) -> None:
    async with make_client(sim, key="demo-key-frontdesk") as client:
        assert (await client.execute(rq.me())).user_name == "Front Desk"
        with pytest.raises(PermissionDenied) as info:
            await client.execute(rq.list_tickets(status="Not Closed"))
    assert info.value.permission == "Tickets - List/Search"
    assert "Tickets - List/Search" in str(info.value)


async def test_not_found_and_validation(client: SyncroClient, sim) -> None:
    with pytest.raises(NotFound):
        await client.execute(rq.get_ticket(1))
    with pytest.raises(ValidationFailed) as info:
        await client.execute(rq.create_ticket({"subject": "no customer"}))
    assert info.value.messages == ["Customer required field"]
    tid = open_ticket(sim)["id"]
    with pytest.raises(ValidationFailed) as info:
        await client.execute(rq.add_comment(tid, subject="Update", body="", hidden=False, do_not_email=True))
    assert "Body can't be blank" in info.value.messages


async def test_html_400_is_a_bad_request() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(400, text="<html><h1>Bad Request</h1></html>", headers={"content-type": "text/html"}))
    async with SyncroClient("http://x" + API_PREFIX, "k-test-1234", transport=transport, pacer=Pacer(1000, headroom=0, burst=100)) as client:
        with pytest.raises(BadRequest, match="Bad Request"):
            await client.execute(rq.me())


async def test_writes_send_a_json_content_type(client: SyncroClient, sim) -> None:
    tid = open_ticket(sim)["id"]
    await client.execute(rq.add_comment(tid, **BODY))  # the simulator answers 400 HTML without it
    assert comments_like(sim, tid) == 1


# -------------------------------------------------------------------- 429s
async def test_a_429_waits_and_sends_again_even_for_a_write(client: SyncroClient, sim) -> None:
    tid = open_ticket(sim)["id"]
    sim.add_fault(kind="429", route="add_comment")
    await client.execute(rq.add_comment(tid, **BODY))
    assert [c for c in sim.calls if c[1] == "add_comment"] == [("POST", "add_comment")] * 2
    assert comments_like(sim, tid) == 1


async def test_persistent_429_gives_up_with_rate_limited(sim) -> None:
    sim.add_fault(kind="429", route="me", times=0)
    async with make_client(sim, rate_limit_retries=2) as client:
        with pytest.raises(RateLimited, match="180 a minute"):
            await client.execute(rq.me())


# ------------------------------------------------ writes are never resent
@pytest.mark.parametrize(
    ("kind", "when", "landed"),
    [("timeout", "before", 0), ("timeout", "after", 1), ("drop", "after", 1), ("500", "after", 1),
     ("garbage", "after", 1), ("500", "before", 0), ("drop", "before", 0)],
)
async def test_an_ambiguous_write_is_never_resent(sim, kind: str, when: str, landed: int) -> None:
    tid = open_ticket(sim)["id"]
    sim.add_fault(kind=kind, route="add_comment", when=when, delay=3)
    async with make_client(sim, timeout=0.3) as client:
        with pytest.raises(WriteOutcomeUnknown) as info:
            await client.execute(rq.add_comment(tid, **BODY))
    assert [c for c in sim.calls if c[1] == "add_comment"] == [("POST", "add_comment")]  # sent once
    assert comments_like(sim, tid) == landed
    sent = info.value.request
    assert (sent.method, sent.path, sent.body) == ("POST", f"/tickets/{tid}/comment", {**BODY})
    assert "check before sending it again" in str(info.value)


async def test_a_write_answered_with_a_null_id_is_unknown() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"comment": {"id": None, "created_at": "2026-11-20T10:00:00Z"}}))
    async with SyncroClient("http://x" + API_PREFIX, "k-test-1234", transport=transport, pacer=Pacer(1000, headroom=0, burst=100)) as client:
        with pytest.raises(WriteOutcomeUnknown) as info:
            await client.execute(rq.add_comment(1, **BODY))
    assert info.value.reason == "shape"


async def test_a_write_that_never_connected_is_a_plain_network_error() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with SyncroClient(f"http://127.0.0.1:{port}{API_PREFIX}", "k-test-1234", pacer=Pacer(1000, headroom=0, burst=100), timeout=2) as client:
        with pytest.raises(NetworkError) as info:
            await client.execute(rq.add_comment(1, **BODY))
    assert not isinstance(info.value, WriteOutcomeUnknown)
    assert "Cannot reach Syncro" in str(info.value)


# ---------------------------------------------------------- reads retry
@pytest.mark.parametrize("kind", ["500", "drop", "garbage"])
async def test_reads_retry_with_backoff(client: SyncroClient, sim, kind: str) -> None:
    sim.add_fault(kind=kind, route="me")
    me = await client.execute(rq.me())
    assert me.user_id == 1843
    assert [c for c in sim.calls if c[1] == "me"] == [("GET", "me")] * 2


async def test_reads_give_up_after_their_retries(sim) -> None:
    sim.add_fault(kind="500", route="me", times=0)
    async with make_client(sim, read_retries=2) as client:
        with pytest.raises(Exception, match="server error"):
            await client.execute(rq.me())
    assert len([c for c in sim.calls if c[1] == "me"]) == 3


async def test_a_missing_required_field_names_the_call() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"ticket": {"id": 5}}))
    async with SyncroClient("http://x" + API_PREFIX, "k-test-1234", transport=transport, pacer=Pacer(1000, headroom=0, burst=100)) as client:
        with pytest.raises(ResponseShapeError, match="get_ticket") as info:
            await client.execute(rq.get_ticket(5))
    assert "number" in str(info.value)


# ------------------------------------------------------------ redaction
async def test_the_key_never_appears_in_errors_logs_or_reprs(caplog) -> None:
    register_secret(SECRET)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    caplog.set_level(logging.DEBUG)
    client = SyncroClient(f"http://127.0.0.1:{port}{API_PREFIX}", SECRET, auth_mode="query",
                          pacer=Pacer(1000, headroom=0, burst=100), timeout=2, read_retries=0)
    assert SECRET not in repr(client)
    async with client:
        with pytest.raises(NetworkError) as info:
            await client.execute(rq.me())
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)
    logging.getLogger("httpx").info("HTTP Request: GET http://h/api/v1/me?api_key=%s", SECRET)
    logging.getLogger("syncro_tui.api").warning("header was Authorization: Bearer %s", SECRET)
    assert caplog.records, "the test must see log records to mean anything"
    for record in caplog.records:
        assert SECRET not in record.getMessage()


def test_redaction_helpers_catch_every_form() -> None:
    register_secret(SECRET)
    assert SECRET not in redact(f"https://acme.syncromsp.com/api/v1/me?api_key={SECRET}&page=2")
    assert "page=2" in redact(f"https://acme.syncromsp.com/api/v1/me?api_key={SECRET}&page=2")
    assert redact("GET /me?api_key=some-unregistered-value") == "GET /me?api_key=***"
    assert redact("Authorization: Bearer unregistered-token") == "Authorization: Bearer ***"
    assert redact_data({"api_key": "x", "nested": [f"key {SECRET}"]}) == {"api_key": "***", "nested": ["key ***"]}
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "url %s", (f"?api_key={SECRET}",), None)
    RedactingFilter().filter(record)
    assert SECRET not in record.getMessage()


async def test_query_auth_works_end_to_end_over_real_loopback_http() -> None:
    sim = make_simulator()
    tid = open_ticket(sim)["id"]
    with BackgroundSimulator(sim) as server:
        async with SyncroClient(server.base_url, "demo-key", auth_mode="query", pacer=Pacer(1000, headroom=0, burst=100)) as client:
            me = await client.execute(rq.me())
            ticket = await client.execute(rq.get_ticket(tid))
            sim.add_fault(kind="drop", route="add_comment", when="after")
            with pytest.raises(WriteOutcomeUnknown):
                await client.execute(rq.add_comment(tid, **BODY))
    assert me.user_id == 1843 and ticket.id == tid
    assert comments_like(sim, tid) == 1


# ---------------------------------------------------------------- pacing
async def test_pacer_keeps_any_minute_under_the_limit() -> None:
    now = [0.0]
    pacer = Pacer(180, headroom=15, burst=20, clock=lambda: now[0])
    waits = [pacer._reserve() for _ in range(25)]
    assert waits[:20] == [0.0] * 20 and all(w > 0 for w in waits[20:])
    # no 60-second window may hold more than 165 sends
    now[0] = 0.0
    fresh = Pacer(180, headroom=15, burst=20, clock=lambda: now[0])
    send_times = [fresh._reserve() for _ in range(400)]
    send_times.sort()
    worst = max(sum(1 for t in send_times if start <= t < start + 60) for start in send_times)
    assert worst <= 165
    budget = fresh.budget()
    assert budget.limit_per_minute == 180 and budget.used_last_minute == 20  # only those already sent


def test_every_process_of_an_account_on_this_machine_draws_on_one_budget(tmp_path) -> None:
    """Two windows each showed 120/180 and together got 429s: the bucket is now one file they share."""
    from syncro_tui.api.pacing import MachinePacer

    now = [1_000_000.0]

    def clock() -> float:
        return now[0]

    first = MachinePacer(tmp_path / "pacing.sqlite", "acme", 180, headroom=15, burst=20, clock=clock)
    second = MachinePacer(tmp_path / "pacing.sqlite", "acme", 180, headroom=15, burst=20, clock=clock)
    other_account = MachinePacer(tmp_path / "pacing.sqlite", "other", 180, headroom=15, burst=20, clock=clock)
    waits = [(first if n % 2 else second)._reserve() for n in range(20)]
    assert waits == [0.0] * 20  # the burst, shared
    assert first._reserve() > 0 and second._reserve() > first.rate ** -1 * 0.99  # past it, both wait, in turn
    assert other_account._reserve() == 0.0  # another account has its own budget
    assert first.budget().used_last_minute == second.budget().used_last_minute == 20  # the shared figure
    now[0] += 60.2
    assert first.budget().used_last_minute == 2  # the two that waited went out a little later
    first.drain()
    assert second._reserve() > 0
