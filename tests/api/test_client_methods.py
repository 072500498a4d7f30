"""Every client method against the simulator: typed results, Decimal money, aware timestamps."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import httpx

from syncro_tui.api import Pacer, SyncroClient
from syncro_tui.api import models as m
from syncro_tui.api import requests as rq
from syncro_tui.simulator import API_PREFIX

from ..simulator.helpers import open_ticket, prepaid_customer

START = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
END = datetime(2026, 11, 20, 14, 45, tzinfo=UTC)


async def test_account_calls(client: SyncroClient) -> None:
    me = await client.execute(rq.me())
    assert (me.user_id, me.user_name) == (1843, "Dana Whitfield")
    users = await client.execute(rq.users())
    assert m.User(id=2107, name="Priya Natarajan") in users
    ts = await client.execute(rq.ticket_settings())
    assert "Invoiced" in ts.ticket_status_list and ts.default_labor_product_id == 1190473
    assert {t.name for t in ts.appointment_types} >= {"Onsite", "Remote"}
    settings = await client.execute(rq.account_settings())
    assert settings.time_zone == "America/Chicago" and "Hardware" in settings.problem_types
    assert "" not in settings.priorities


async def test_ticket_reads(client: SyncroClient, sim) -> None:
    page = await client.execute(rq.list_tickets(status="Not Closed", per_page=10))
    assert len(page.items) == 10 and page.meta.total_pages > 1
    everything = await client.all_tickets(status="Not Closed")
    expected = [t for t in sim.store.t("tickets").values() if t["status"] not in ("Resolved", "Invoiced", "Closed")]
    assert len(everything) == len(expected)
    assert all(t.created_at.tzinfo is not None for t in everything)
    sample = open_ticket(sim)
    ticket = await client.execute(rq.get_ticket(sample["id"]))
    assert isinstance(ticket, m.Ticket) and ticket.number == sample["number"]
    assert ticket.customer is not None and ticket.customer.id == sample["customer_id"]
    assert ticket.comments and ticket.comments[0].subject == "Initial Issue"


async def test_ticket_by_number_uses_the_number_filter_never_the_id_path(client: SyncroClient, sim) -> None:
    sample = open_ticket(sim)
    sim.calls.clear()
    found = await client.ticket_by_number(f"#{sample['number']}")
    assert found is not None and found.id == sample["id"]
    assert list(sim.calls) == [("GET", "list_tickets")]
    assert await client.ticket_by_number(99999) is None


async def test_ticket_writes(client: SyncroClient, sim) -> None:
    customer_id = open_ticket(sim)["customer_id"]
    created = await client.execute(rq.create_ticket({"customer_id": customer_id, "subject": "New laptop", "priority": "1 High", "contact_id": None}))
    assert created.subject == "New laptop" and created.priority == "1 High"
    updated = await client.execute(rq.update_ticket(created.id, {"status": "In Progress"}))
    assert updated.status == "In Progress"
    deleted = await client.execute(rq.delete_ticket(created.id))
    assert deleted.success is True


async def test_comment_calls(client: SyncroClient, sim) -> None:
    tid = open_ticket(sim)["id"]
    comment = await client.execute(rq.add_comment(tid, subject="Update", body="Line one<br>Line two", hidden=False, do_not_email=True))
    assert comment.kind is m.CommentKind.PUBLIC and comment.body == "Line one<br>Line two"
    private = await client.execute(rq.add_comment(tid, subject="Internal Note", body="note", hidden=True, do_not_email=True))
    assert private.kind is m.CommentKind.PRIVATE
    emailed = await client.execute(rq.add_comment(tid, subject="Update", body="hello", hidden=False, do_not_email=False))
    assert emailed.kind is m.CommentKind.EMAIL
    page = await client.execute(rq.list_comments(tid, per_page=2, newest_first=True))
    assert [c.id for c in page.items] == [emailed.id, private.id]
    everything = await client.all_comments(tid)
    assert [c.id for c in everything][-3:] == [comment.id, private.id, emailed.id]


async def test_timer_calls(client: SyncroClient, sim) -> None:
    tid = open_ticket(sim)["id"]
    timer = await client.execute(rq.add_timer(tid, start_at=START, end_at=END, notes="Swapped switch", product_id=26118))
    assert timer.active_duration == 2700 and timer.start_time == START and timer.recorded is False
    updated = await client.execute(rq.update_timer(tid, timer.id, notes="Swapped the core switch"))
    assert updated.notes == "Swapped the core switch"
    charged = await client.execute(rq.charge_timer(tid, timer.id))
    # Syncro's own example answer: recorded, but no line id and no duration (read from start and end instead)
    assert charged.recorded is True and charged.ticket_line_item_id is None and charged.active_duration is None
    assert charged.seconds == 2700
    on_ticket = next(t for t in (await client.execute(rq.get_ticket(tid))).ticket_timers if t.id == timer.id)
    assert on_ticket.ticket_line_item_id is not None
    spare = await client.execute(rq.add_timer(tid, start_at=START, end_at=END, notes="dup", product_id=26118))
    assert (await client.execute(rq.delete_timer(tid, spare.id))).success is True


async def test_line_item_calls_use_decimal(client: SyncroClient, sim) -> None:
    tid = open_ticket(sim)["id"]
    line = await client.execute(rq.add_line_item(tid, name="SSD", description="Samsung 1TB", quantity=Decimal("2"),
                                      price_retail=Decimal("129.00"), taxable=True, product_id=880103))
    assert line.quantity == Decimal("2") and line.price_retail == Decimal("129") and line.total == Decimal("258")
    assert isinstance(line.price_retail, Decimal)
    patched = await client.execute(rq.update_line_item(tid, line.id, price_retail=Decimal("119.50")))
    assert patched.price_retail == Decimal("119.5")
    assert (await client.execute(rq.remove_line_item(tid, line.id))).success is True


async def test_customer_calls(client: SyncroClient, sim) -> None:
    page = await client.execute(rq.list_customers(query="dental"))
    assert page.items and "Dental" in page.items[0].display_name
    auto = await client.autocomplete_customers("bright")
    customer = await client.execute(rq.get_customer(auto[0].id))
    assert customer.contacts and customer.display_name == "Brightline Dental"
    contacts = await client.list_contacts(customer.id)
    assert {c.id for c in contacts} == {c.id for c in customer.contacts}
    contact = await client.execute(rq.get_contact(contacts[0].id))
    assert contact.customer_id == customer.id
    assets = await client.list_assets(customer.id)
    assert assets and all(a.customer_id == customer.id for a in assets)
    prepaid = await client.execute(rq.get_customer(prepaid_customer(sim)["id"]))
    assert isinstance(prepaid.prepay_hours, Decimal) and prepaid.has_prepaid_block


async def test_product_calls(client: SyncroClient) -> None:
    page = await client.execute(rq.list_products(query="labor", per_page=50))
    assert {p.id for p in page.items} >= {1190473, 26118}
    product = await client.execute(rq.get_product(26184))
    assert product.price_retail == Decimal("262.5")


async def test_the_rate_tables_products_are_read_in_one_call(client: SyncroClient, sim) -> None:
    from syncro_tui.reads import read_products

    before = len(sim.calls)
    found = await read_products(client, [26118, 1190473, 26184])
    assert [c[1] for c in list(sim.calls)[before:]] == ["list_products"]
    assert [p.id if p else None for p in found.values()] == [26118, 1190473, 26184]


async def test_a_product_the_list_does_not_answer_is_read_on_its_own(client: SyncroClient, sim) -> None:
    """An account that ignores ``id[]`` answers its first page: what is not on it is read by id (404: missing)."""
    from syncro_tui.reads import read_products

    del sim.store.t("products")[26184]
    sim.store.list_products = lambda params: {"products": [], "meta": {"total_pages": 1, "page": 1}}
    before = len(sim.calls)
    found = await read_products(client, [26118, 26184])
    assert sorted(c[1] for c in list(sim.calls)[before:]) == ["get_product", "get_product", "list_products"]
    assert found[26118] is not None and found[26118].id == 26118 and found[26184] is None


async def test_appointment_calls(client: SyncroClient, sim) -> None:
    today = await client.list_appointments(date_from=date(2026, 11, 20), date_to=date(2026, 11, 20))
    assert today and all(a.start_at.tzinfo is not None for a in today)
    ticket = open_ticket(sim)
    appt = await client.execute(rq.create_appointment({"summary": "Onsite", "ticket_id": ticket["id"], "start_at": START, "end_at": END, "appointment_type_id": 4322}))
    assert appt.ticket_id == ticket["id"] and appt.start_at == START
    assert (await client.execute(rq.get_appointment(appt.id))).summary == "Onsite"
    moved = await client.execute(rq.update_appointment(appt.id, {"start_at": datetime(2026, 11, 23, 15, 0, tzinfo=UTC), "end_at": datetime(2026, 11, 23, 16, 30, tzinfo=UTC)}))
    assert moved.start_at == datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    assert (await client.execute(rq.delete_appointment(appt.id))).success is True
    types = await client.appointment_types()
    assert {t.id for t in types} == {4321, 4322, 4323, 193053, 59289}


async def test_invoice_calls(client: SyncroClient, sim) -> None:
    ticket = open_ticket(sim)
    timer = await client.execute(rq.add_timer(ticket["id"], start_at=START, end_at=END, notes="work", product_id=1190473))
    await client.execute(rq.charge_timer(ticket["id"], timer.id))
    invoice = await client.execute(rq.create_invoice(ticket_id=ticket["id"], customer_id=ticket["customer_id"]))
    assert invoice.line_items is None  # the POST response has none
    assert invoice.total == Decimal("112.5") and isinstance(invoice.total, Decimal)
    full = await client.execute(rq.get_invoice(invoice.id))
    assert full.line_items and full.line_items[0].quantity == Decimal("0.75")
    listed = await client.list_invoices(ticket_id=ticket["id"])
    assert [i.id for i in listed] == [invoice.id]


async def test_appointment_list_accepts_wrapped_items() -> None:
    body = {"appointments": [{"appointment": {"id": 1, "start_at": "2026-11-20T15:00:00.000Z"}}, {"id": 2, "start_at": "2026-11-20T16:00:00Z"}]}
    page = rq.list_appointments().parse(body)
    assert [a.id for a in page.items] == [1, 2]


async def test_pagination_stops_on_an_empty_page_even_if_meta_says_more() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", 1))
        calls.append(page)
        items = [] if page >= 3 else [{"id": page * 10 + i, "number": page * 10 + i, "created_at": "2026-11-20T15:00:00Z", "updated_at": "2026-11-20T15:00:00Z"} for i in range(2)]
        return httpx.Response(200, json={"tickets": items, "meta": {"total_pages": 99, "page": page}})

    client = SyncroClient("http://x" + API_PREFIX, "k-test-1234", transport=httpx.MockTransport(handler),
                          pacer=Pacer(1000, headroom=0, burst=100))
    async with client:
        tickets = await client.all_tickets()
    assert len(tickets) == 4 and calls == [1, 2, 3]


def test_per_page_is_capped_at_100_and_blank_filters_are_not_sent() -> None:
    assert rq.list_tickets(per_page=500).params["per_page"] == 100
    assert rq.list_tickets(per_page=40).params["per_page"] == 40
    assert rq.list_tickets().params == {"page": 1}
    assert rq.list_tickets(mine=True, query="").params == {"mine": "true", "page": 1}
