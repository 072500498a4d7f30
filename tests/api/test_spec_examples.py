"""Syncro's own example answers are a contract: every one is read by the very parser the client uses for that call.

The examples are enumerated from Syncro's published OpenAPI file (a byte-for-byte
copy in ``spec/``, checked against ``shared/reference/`` where that is beside the
checkout), so an example nobody thought of is covered too:

- a 2xx example of an endpoint the app calls goes through ``SyncroClient.execute``
  with that call's request (over a mock transport) and must parse;
- an error example goes through the same path and must come out as the error it
  is (422: what Syncro refused, in words; 401: the key or the permission; 404),
  never as a parse failure or a raw JSON dump;
- every request the app can build names an endpoint of the spec, so a new call
  cannot skip this test.

Shapes the spec gets wrong, or that live accounts send and the spec does not
show, are recorded samples in ``samples/`` (each with where it comes from), read
the same way.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from syncro_tui.api import Pacer, SyncroClient
from syncro_tui.api import errors as err
from syncro_tui.api import models as m
from syncro_tui.api import requests as rq
from syncro_tui.api.call import ApiRequest

HERE = Path(__file__).parent
SPEC_FILE = HERE / "spec" / "syncro-openapi.json"
SPEC_SHA256 = "cd83c075d9afcb08654fb45676ce14fecb90cb6a428df47ad29054dc8f251eac"
SHARED_SPEC = HERE.parents[2] / "shared" / "reference" / "syncro-openapi.json"
BASE = "http://syncro.test/api/v1"
WHEN = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


def every_request() -> list[ApiRequest[Any]]:
    """One request of every kind the app sends (ids and fields are placeholders)."""
    return [
        rq.me(), rq.users(), rq.ticket_settings(), rq.account_settings(),
        rq.list_tickets(status="Not Closed"), rq.get_ticket(5), rq.create_ticket({"customer_id": 1, "subject": "x"}),
        rq.update_ticket(5, {"status": "Resolved"}), rq.delete_ticket(5),
        rq.list_comments(5), rq.add_comment(5, subject="Update", body="b", hidden=False, do_not_email=True),
        rq.add_timer(5, start_at=WHEN, end_at=WHEN, notes="n", product_id=1),
        rq.update_timer(5, 3, notes="n"), rq.delete_timer(5, 3), rq.charge_timer(5, 3),
        rq.add_line_item(5, name="n", description="d", quantity=Decimal("1"), price_retail=Decimal("1"), taxable=False),
        rq.update_line_item(5, 1, price_retail=Decimal("1")), rq.remove_line_item(5, 1),
        rq.list_customers(query="a"), rq.autocomplete_customers("a"), rq.get_customer(1),
        rq.list_contacts(1), rq.get_contact(1), rq.list_assets(1),
        rq.list_products(), rq.get_product(1),
        rq.list_appointments(date_from=date(2026, 11, 20)), rq.get_appointment(3),
        rq.create_appointment({"summary": "s", "start_at": WHEN}), rq.update_appointment(3, {"start_at": WHEN}),
        rq.delete_appointment(3), rq.appointment_types(),
        rq.create_invoice(ticket_id=5, customer_id=1), rq.get_invoice(6), rq.list_invoices(ticket_id=5),
        rq.check_line_item(5, {"timer_id": 3}), rq.check_invoice(6, {"quantity": "1"}),
        rq.live_timers(user_id=1, status="running"), rq.canned_responses("printer"), *SINCE_THE_SPEC,
    ]


#: Calls Syncro added after the spec was written (docs/rules.md §13: draft invoices), which it does not list: each
#: must be a route of the simulator, the app's reading of them, instead.
SINCE_THE_SPEC: list[ApiRequest[Any]] = [
    rq.invoice_to_draft(6), rq.update_invoice_line(6, 2, price=Decimal("1")), rq.publish_invoice(6),
    rq.start_live_timer(5, product_id=1, notes="n"), rq.start_timer(3), rq.pause_timer(3), rq.stop_timer(3),
]


# ------------------------------------------------------------------ the spec
def spec() -> dict[str, Any]:
    return json.loads(SPEC_FILE.read_text(encoding="utf-8"))


def template_regex(path: str) -> re.Pattern[str]:
    path = path if path.startswith("/") else "/" + path  # the spec's "ticket_timers/{id}" lacks its slash
    # The app's paths carry numeric ids, so "/tickets/{id}" is not "/tickets/settings".
    return re.compile("^" + re.sub(r"\{\w+\}", r"\\d+", path) + "$")


@dataclass(frozen=True)
class Example:
    method: str
    path: str
    status: int
    content_type: str
    body: Any
    name: str

    @property
    def label(self) -> str:
        return f"{self.method} {self.path} {self.status} {self.name}".strip()


def examples() -> Iterator[Example]:
    for path, operations in spec()["paths"].items():
        for method, op in operations.items():
            if not isinstance(op, dict):
                continue
            for code, response in (op.get("responses") or {}).items():
                for content_type, media in (response.get("content") or {}).items():
                    if "example" in media:
                        yield Example(method.upper(), path, int(code), content_type, media["example"], "")
                    for name, named in (media.get("examples") or {}).items():
                        if isinstance(named, dict) and "value" in named:
                            yield Example(method.upper(), path, int(code), content_type, named["value"], name)


def the_apps_call(method: str, path: str) -> ApiRequest[Any] | None:
    """The app's request for a spec endpoint (a plain read before a check of the same path), if it makes one."""
    pattern = template_regex(path)
    matches = [r for r in every_request() if r.method == method and pattern.match(r.path)]
    if not matches:
        return None
    return next((r for r in matches if not r.is_check), matches[0])


ALL = list(examples())
OURS = [e for e in ALL if the_apps_call(e.method, e.path) is not None]


def send(req: ApiRequest[Any], status: int, body: Any, content_type: str = "application/json") -> Any:
    """``req`` through the real client, Syncro answering ``body`` with ``status``."""
    import asyncio

    def answer(request: httpx.Request) -> httpx.Response:
        if body is None:
            return httpx.Response(status)
        if isinstance(body, str) and not content_type.endswith("json"):
            return httpx.Response(status, text=body, headers={"content-type": content_type})
        return httpx.Response(status, json=body)

    async def run() -> Any:
        async with SyncroClient(BASE, "k-contract-test", transport=httpx.MockTransport(answer), read_retries=0,
                                pacer=Pacer(100_000, headroom=0, burst=10_000)) as client:
            return await client.execute(req.read if req.is_check else req)

    return asyncio.run(run())


# ------------------------------------------------------------------- tests
def test_the_copy_of_the_spec_is_syncros_file() -> None:
    assert hashlib.sha256(SPEC_FILE.read_bytes()).hexdigest() == SPEC_SHA256
    if SHARED_SPEC.exists():  # beside a developer's checkout and CI's
        assert SHARED_SPEC.read_bytes() == SPEC_FILE.read_bytes()


def test_the_spec_has_examples_and_the_app_calls_many_of_them() -> None:
    assert len(ALL) > 150
    assert len({(e.method, e.path) for e in OURS}) >= 25


def test_every_request_the_app_can_build_is_an_endpoint_of_the_spec() -> None:
    templates = [(method.upper(), template_regex(path)) for path, ops in spec()["paths"].items() for method in ops]
    builders = {name for name, fn in inspect.getmembers(rq, inspect.isfunction)
                if fn.__module__ == rq.__name__ and "ApiRequest" in str(fn.__annotations__.get("return", ""))
                and name != "rebuild" and not name.startswith("_")}
    # Each builder names its call after itself, except GET /settings ("settings": account_settings()).
    built = {"account_settings" if r.call == "settings" else r.call for r in every_request()}
    assert builders - built == set(), "a request builder is missing from every_request(): add it so its answers are checked"
    from syncro_tui.simulator.routes import ROUTES

    newer = {req.call for req in SINCE_THE_SPEC}
    for req in every_request():
        if req.call in newer:
            assert any(route.method == req.method and route.pattern.match(req.path) for route in ROUTES), \
                f"{req.call} ({req.method} {req.path}) is newer than the spec and not a route of the simulator"
            continue
        assert any(method == req.method and pattern.match(req.path) for method, pattern in templates), \
            f"{req.call} ({req.method} {req.path}) is not in Syncro's spec"


@pytest.mark.parametrize("example", [e for e in OURS if 200 <= e.status < 300], ids=lambda e: e.label)
def test_every_success_example_of_a_call_we_make_parses(example: Example) -> None:
    req = the_apps_call(example.method, example.path)
    assert req is not None
    result = send(req, example.status, example.body, example.content_type)
    assert result is not None
    if isinstance(result, m.Page):
        assert result.skipped == 0, f"{example.label}: {result.skipped} item(s) could not be read"


ERRORS: dict[int, type[err.SyncroError]] = {400: err.BadRequest, 401: err.AuthError, 404: err.NotFound,
                                            422: err.ValidationFailed}


@pytest.mark.parametrize("example", [e for e in OURS if e.status >= 400], ids=lambda e: e.label)
def test_every_error_example_of_a_call_we_make_is_the_error_it_is(example: Example) -> None:
    req = the_apps_call(example.method, example.path)
    assert req is not None
    with pytest.raises(ERRORS[example.status]) as raised:
        send(req, example.status, example.body, example.content_type)
    readable(str(raised.value), example)


@pytest.mark.parametrize("example", [e for e in ALL if e.status >= 400], ids=lambda e: e.label)
def test_every_error_example_in_the_spec_reads_as_words(example: Example) -> None:
    text = example.body if isinstance(example.body, str) else json.dumps(example.body)
    messages = err.error_messages(text, example.content_type)
    assert messages, f"{example.label}: no message"
    for message in messages:
        readable(message, example)


def readable(message: str, example: Example) -> None:
    assert message.strip(), example.label
    assert not message.lstrip().startswith(("{", "[")), f"{example.label}: raw JSON shown: {message}"


# ------------------------------------------------------ recorded samples
SAMPLES = sorted((HERE / "samples").glob("*.json"))
CALLS = {r.call: r for r in every_request()}


def sample(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def test_samples_say_where_they_come_from() -> None:
    assert len(SAMPLES) >= 10
    for path in SAMPLES:
        data = sample(path)
        assert data["source"].strip() and data["call"] in CALLS, path.name
        assert set(data) <= {"source", "call", "status", "body", "content_type", "expect", "check"}, path.name


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_recorded_sample_reads_as_it_should(path: Path) -> None:
    data = sample(path)
    req, expect = CALLS[data["call"]], data.get("expect", "parses")
    status, body, content_type = data.get("status", 200), data.get("body"), data.get("content_type", "application/json")
    if expect == "parses":
        result = send(req, status, body, content_type)
        for attribute, wanted in (data.get("check") or {}).items():
            assert str(dig(result, attribute)) == str(wanted), f"{path.name}: {attribute}"
        return
    with pytest.raises(getattr(err, expect)) as raised:
        send(req, status, body, content_type)
    readable(str(raised.value), Example(req.method, req.path, status, content_type, body, path.stem))
    for attribute, wanted in (data.get("check") or {}).items():
        assert wanted in str(dig(raised.value, attribute)), f"{path.name}: {attribute}"


def dig(value: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        value = value[int(part)] if part.isdigit() else (len(value) if part == "len" else getattr(value, part))
    return value


def test_dig_reads_lists_and_attributes() -> None:
    page = m.Page[m.Meta](items=[m.Meta(page=3)], meta=m.Meta(), skipped=1)
    assert dig(page, "items.0.page") == 3 and dig(page, "items.len") == 1 and dig(page, "skipped") == 1

