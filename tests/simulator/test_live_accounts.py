"""The simulator behaves like live Syncro accounts (issue 15), and ``syncro-api-notes.md``'s differences, one by one.

Each test names the live-account fact or the notes' item it reproduces. Where
the notes and live accounts disagree, live accounts win (docs/rules.md §1).
"""

from __future__ import annotations

import httpx

from datetime import timedelta

from syncro_tui.simulator.scenarios import Moment

from ..conftest import FIXED_NOW, make_simulator
from .helpers import open_ticket

START, END = "2026-11-20T14:00:00Z", "2026-11-20T14:45:00Z"


async def timer_on(raw: httpx.AsyncClient, tid: int, **extra) -> dict:
    return (await raw.post(f"/tickets/{tid}/timer_entry", json={"start_at": START, "end_at": END, **extra})).json()


# ----------------------------------------------------------- live-account facts
async def test_active_duration_is_null_after_an_update_and_a_charge(raw: httpx.AsyncClient, sim) -> None:
    tid = open_ticket(sim)["id"]
    timer = await timer_on(raw, tid, product_id=26118)
    assert timer["active_duration"] == 2700  # a new timer says it
    updated = (await raw.put(f"/tickets/{tid}/update_timer_entry", json={"timer_entry_id": timer["id"], "notes": "x"})).json()
    assert updated["active_duration"] is None
    other = await timer_on(raw, tid, product_id=26118)
    charged = (await raw.post(f"/tickets/{tid}/charge_timer_entry", json={"timer_entry_id": other["id"]})).json()
    assert charged["active_duration"] is None and charged["recorded"] is True
    ticket = (await raw.get(f"/tickets/{tid}")).json()["ticket"]
    assert all(t["active_duration"] is None for t in ticket["ticket_timers"] if t["id"] in (timer["id"], other["id"]))


async def test_charging_ignores_a_product_id_and_uses_the_timers(raw: httpx.AsyncClient, sim) -> None:
    tid = open_ticket(sim)["id"]
    timer = await timer_on(raw, tid, product_id=1190473)
    await raw.post(f"/tickets/{tid}/charge_timer_entry", json={"timer_entry_id": timer["id"], "product_id": 26184})
    line = sim.store.t("line_items")[sim.store.t("timers")[timer["id"]]["ticket_line_item_id"]]
    assert line["product_id"] == 1190473 and line["price_retail"] == 150


async def test_billable_false_on_a_timer_is_ignored(raw: httpx.AsyncClient, sim) -> None:
    tid = open_ticket(sim)["id"]
    timer = await timer_on(raw, tid, product_id=26118, billable=False)
    assert timer["billable"] is True  # why the warranty product exists
    await raw.post(f"/tickets/{tid}/charge_timer_entry", json={"timer_entry_id": timer["id"]})
    line = sim.store.t("line_items")[sim.store.t("timers")[timer["id"]]["ticket_line_item_id"]]
    assert line["price_retail"] == 175  # and it bills


async def test_do_not_email_is_never_returned_on_a_comment(raw: httpx.AsyncClient, sim) -> None:
    tid = open_ticket(sim)["id"]
    made = (await raw.post(f"/tickets/{tid}/comment", json={"subject": "Update", "body": "b", "do_not_email": True})).json()
    assert "do_not_email" not in made["comment"]
    listed = (await raw.get(f"/tickets/{tid}/comments", params={"sort_direction": "DESC"})).json()["comments"]
    assert "do_not_email" not in listed[0]


async def test_subject_is_required_on_comments_and_start_at_on_timers(raw: httpx.AsyncClient, sim) -> None:
    tid = open_ticket(sim)["id"]
    comment = await raw.post(f"/tickets/{tid}/comment", json={"body": "no subject"})
    assert comment.status_code == 422 and comment.json() == {"success": False, "message": ["Subject can't be blank"]}
    timer = await raw.post(f"/tickets/{tid}/timer_entry", json={"end_at": END, "product_id": 26118})
    assert timer.status_code == 422


async def test_customers_carry_custom_properties_of_their_types(raw: httpx.AsyncClient, sim) -> None:
    customer = next(c for c in sim.store.t("customers").values() if c["business_name"])
    got = (await raw.get(f"/customers/{customer['id']}")).json()["customer"]
    assert isinstance(got["properties"]["Seats"], int) and isinstance(got["properties"]["Contract tier"], str)


async def test_tickets_carry_sla_type_contract_and_parent_fields(raw: httpx.AsyncClient, sim) -> None:
    listed = (await raw.get("/tickets", params={"status": "Not Closed", "per_page": 100})).json()["tickets"]
    for field in ("sla_name", "sla_breached", "sla_breaching_soon", "due_date", "ticket_type_name", "contract_id",
                  "contract_name", "parent_id"):
        assert all(field in t for t in listed), field
    assert any(t["sla_breached"] for t in listed) and any(t["sla_name"] is None for t in listed)
    assert any(t["contract_name"] for t in listed)


async def test_ticket_settings_carry_required_type_types_and_worksheet_templates(raw: httpx.AsyncClient, sim) -> None:
    settings = (await raw.get("/tickets/settings")).json()
    assert settings["require_ticket_type"] is None  # null on an account that never set it
    assert {"id": 9101, "name": "Break/Fix", "disabled": False} in settings["ticket_types"]
    assert settings["worksheet_templates"]
    sim.store.account["require_ticket_type"] = True
    assert (await raw.get("/tickets/settings")).json()["require_ticket_type"] is True
    customer_id = open_ticket(sim)["customer_id"]
    refused = await raw.post("/tickets", json={"customer_id": customer_id, "subject": "No type"})
    assert refused.status_code == 422 and refused.json()["message"] == ["Ticket type can't be blank"]
    made = (await raw.post("/tickets", json={"customer_id": customer_id, "subject": "Typed", "ticket_type_id": 9102})).json()
    assert made["ticket"]["ticket_type"]["name"] == "Project"  # the detail nests the type


async def test_created_at_gt_is_honoured_on_ticket_timers(raw: httpx.AsyncClient, sim) -> None:
    sim.store.account["live_timers"] = False  # an account of before 2026's live timers
    tid = open_ticket(sim)["id"]
    fresh = await timer_on(raw, tid, product_id=26118)  # created at the fixed now
    newer = (await raw.get("/ticket_timers", params={"created_at_gt": "2026-11-20T15:59:00Z", "per_page": 100})).json()
    assert fresh["id"] in [t["id"] for t in newer["ticket_timers"]]
    assert all(t["created_at"] > "2026-11-20T15:59:00" for t in newer["ticket_timers"])
    later = (await raw.get("/ticket_timers", params={"created_at_gt": fresh["created_at"], "per_page": 100})).json()
    assert fresh["id"] not in [t["id"] for t in later["ticket_timers"]]
    assert len(later["ticket_timers"]) < len(newer["ticket_timers"])
    everything = (await raw.get("/ticket_timers", params={"ticket_id": tid})).json()
    assert everything["meta"]["total_pages"] > 1  # [quirk] ticket_id is still ignored


async def test_an_appointments_description_is_filled_from_its_ticket(raw: httpx.AsyncClient, sim) -> None:
    ticket = open_ticket(sim)
    made = (await raw.post("/appointments", json={"summary": "Visit", "start_at": "2026-11-23T15:00:00Z",
                                                  "end_at": "2026-11-23T16:00:00Z", "ticket_id": ticket["id"],
                                                  "description": "Bring a switch"})).json()["appointment"]
    assert made["description"].startswith(f"Ticket #{ticket['number']}: {ticket['subject']}")
    assert made["description"].endswith("Bring a switch")


# --------------------------------------------- syncro-api-notes.md section 9, item by item
async def test_notes_9_1_get_invoice_is_wrapped(raw: httpx.AsyncClient, sim) -> None:
    invoice_id = next(iter(sim.store.t("invoices")))
    assert set((await raw.get(f"/invoices/{invoice_id}")).json()) == {"invoice"}


async def test_notes_9_2_appointment_list_items_are_flat(raw: httpx.AsyncClient, sim) -> None:
    items = (await raw.get("/appointments", params={"date_from": "2026-11-20", "date_to": "2026-11-27"})).json()["appointments"]
    assert items and all("summary" in a and "appointment" not in a for a in items)


async def test_notes_9_3_flat_and_wrapped_answers_differ_by_endpoint(raw: httpx.AsyncClient, sim) -> None:
    tid = open_ticket(sim)["id"]
    assert "id" in await timer_on(raw, tid, product_id=26118)  # flat
    line = (await raw.post(f"/tickets/{tid}/add_line_item", json={"name": "SSD", "description": "1TB", "quantity": 1,
                                                                   "price_retail": "129.00", "taxable": True})).json()
    assert "id" in line  # flat
    updated = (await raw.put(f"/tickets/{tid}/update_line_item", json={"ticket_line_item_id": line["id"],
                                                                         "price_retail": "119.00"})).json()
    assert set(updated) == {"ticket_line_item"}
    assert "user_id" in (await raw.get("/me")).json()  # flat
    contact_id = next(iter(sim.store.t("contacts")))
    assert "name" in (await raw.get(f"/contacts/{contact_id}")).json()  # flat


async def test_notes_9_4_a_new_comment_is_wrapped_as_comment(raw: httpx.AsyncClient, sim) -> None:
    tid = open_ticket(sim)["id"]
    made = (await raw.post(f"/tickets/{tid}/comment", json={"subject": "Update", "body": "b"})).json()
    assert set(made) == {"comment"}


async def test_notes_9_5_non_spec_filters_change_nothing(raw: httpx.AsyncClient, sim) -> None:
    plain = (await raw.get("/tickets", params={"per_page": 100})).json()["meta"]
    odd = (await raw.get("/tickets", params={"per_page": 100, "since": "2030-01-01", "resolved": "true"})).json()["meta"]
    assert plain == odd
    assert (await raw.get(f"/tickets/{open_ticket(sim)['id']}/timer")).status_code == 404


async def test_notes_9_6_ticket_number_is_an_integer_invoice_number_a_string(raw: httpx.AsyncClient, sim) -> None:
    ticket = (await raw.get("/tickets")).json()["tickets"][0]
    invoice = (await raw.get("/invoices")).json()["invoices"][0]
    assert isinstance(ticket["number"], int) and isinstance(invoice["number"], str)


async def test_notes_9_7_per_page_is_honoured_up_to_100(raw: httpx.AsyncClient, sim) -> None:
    assert len((await raw.get("/tickets", params={"per_page": 7})).json()["tickets"]) == 7
    assert len((await raw.get("/tickets", params={"per_page": 500})).json()["tickets"]) == 100


async def test_notes_9_10_invoices_drop_line_items_sent_with_them(raw: httpx.AsyncClient, sim) -> None:
    ticket = open_ticket(sim)
    made = (await raw.post("/invoices", json={"ticket_id": ticket["id"], "customer_id": ticket["customer_id"],
                                              "line_items": [{"item": "Ghost", "price": "99.0", "quantity": "1"}]})).json()
    got = (await raw.get(f"/invoices/{made['invoice']['id']}")).json()["invoice"]
    assert all(li["item"] != "Ghost" for li in got["line_items"])


async def test_notes_9_11_there_is_no_customer_tickets_path(raw: httpx.AsyncClient, sim) -> None:
    customer_id = open_ticket(sim)["customer_id"]
    assert (await raw.get(f"/customers/{customer_id}/tickets")).status_code == 404
    by_filter = (await raw.get("/tickets", params={"customer_id": customer_id})).json()["tickets"]
    assert by_filter and all(t["customer_id"] == customer_id for t in by_filter)


async def test_the_sla_clock_flips_flags_as_time_passes_and_updates_the_ticket() -> None:
    """Open SLA tickets turn breaching-soon, then breached, as the clock passes; the first look changes nothing."""
    from datetime import timedelta

    from syncro_tui.simulator.store import SLA_SOON
    from syncro_tui.simulator.store.base import parse_time

    from ..conftest import FIXED_NOW

    now = [FIXED_NOW]
    store = make_simulator(clock=lambda: now[0]).store
    before = {tid: dict(t) for tid, t in store.t("tickets").items()}
    store.list_tickets({}, key="demo-key")
    assert {tid: dict(t) for tid, t in store.t("tickets").items()} == before  # the seed's flags stand
    quiet = [t for t in store.t("tickets").values() if t["sla_id"] and t["status"] not in ("Resolved", "Invoiced", "Closed")
             and not t["sla_breached"] and not t["sla_breaching_soon"]]
    ticket = min(quiet, key=lambda t: parse_time(t["due_date"]))
    due = parse_time(ticket["due_date"])
    no_sla = next(t for t in store.t("tickets").values() if not t["sla_id"] and parse_time(t["due_date"]) < due)
    now[0] = due - SLA_SOON
    store.get_ticket(ticket["id"])
    assert ticket["sla_breaching_soon"] and not ticket["sla_breached"] and ticket["updated_at"] == store.now()
    now[0] = due
    store.list_tickets({}, key="demo-key")
    assert ticket["sla_breached"] and not ticket["sla_breaching_soon"]
    assert not no_sla["sla_breached"] and no_sla["updated_at"] == before[no_sla["id"]]["updated_at"]
    closed = next(t for t in store.t("tickets").values() if t["sla_id"] and t["status"] == "Resolved"
                  and not t["sla_breached"])
    now[0] = parse_time(closed["due_date"]) + timedelta(days=400)
    store.list_tickets({}, key="demo-key")
    assert not closed["sla_breached"]  # a resolved ticket's SLA clock has stopped


# ------------------------------------------------------- 2026: draft invoices (docs/rules.md §13)
async def test_draft_invoices_on_and_off_as_an_account_setting(raw: httpx.AsyncClient, sim) -> None:
    """On: an invoice says whether it is a draft, goes back to draft, takes a corrected line, totals follow, and
    is published again; a published invoice's lines are not edited. Off: no draft field, and 404 on the calls."""
    tid = open_ticket(sim)["id"]
    timer = await timer_on(raw, tid, product_id=26118)
    await raw.post(f"/tickets/{tid}/charge_timer_entry", json={"timer_entry_id": timer["id"]})
    ticket = sim.store.t("tickets")[tid]
    made = (await raw.post("/invoices", json={"ticket_id": tid, "customer_id": ticket["customer_id"]})).json()["invoice"]
    inv = made["id"]
    shown = (await raw.get(f"/invoices/{inv}")).json()["invoice"]
    assert shown["draft"] is False
    line = shown["line_items"][0]
    refused = await raw.put(f"/invoices/{inv}/line_items/{line['id']}", json={"price": 200})
    assert refused.status_code == 422 and refused.json() == {"errors": "Only a draft invoice can be edited"}
    assert (await raw.post(f"/invoices/{inv}/convert_to_draft", json={})).json()["invoice"]["draft"] is True
    await raw.put(f"/invoices/{inv}/line_items/{line['id']}", json={"price": 200})
    assert (await raw.post(f"/invoices/{inv}/publish", json={})).json()["invoice"]["draft"] is False
    again = (await raw.get(f"/invoices/{inv}")).json()["invoice"]
    assert (again["subtotal"], again["total"]) == ("150.0", "150.0")  # 0.75 h × $200, labor untaxed
    twice = await raw.post(f"/invoices/{inv}/publish", json={})
    assert twice.status_code == 422 and twice.json() == {"errors": "Invoice is not a draft"}
    sim.store.account["draft_invoices"] = False
    assert "draft" not in (await raw.get(f"/invoices/{inv}")).json()["invoice"]
    off = await raw.post(f"/invoices/{inv}/convert_to_draft", json={})
    assert off.status_code == 404 and off.json() == {"message": "Not found"}


async def test_an_invoice_paid_posted_or_refunded_cannot_go_back_to_draft(raw: httpx.AsyncClient, sim) -> None:
    tid = open_ticket(sim)["id"]
    timer = await timer_on(raw, tid, product_id=26118)
    await raw.post(f"/tickets/{tid}/charge_timer_entry", json={"timer_entry_id": timer["id"]})
    made = (await raw.post("/invoices", json={"ticket_id": tid, "customer_id": sim.store.t("tickets")[tid]["customer_id"]})).json()
    invoice = sim.store.t("invoices")[made["invoice"]["id"]]
    for change, said in ((("is_paid", True), "Invoice has payments applied and cannot be converted to a draft"),
                         (("accounting_posted", True), "Invoice has been posted to accounting and cannot be converted to a draft"),
                         (("category", "Refund"), "A refund cannot be converted to a draft")):
        field, value = change
        kept = invoice.get(field)
        invoice[field] = value
        refused = await raw.post(f"/invoices/{invoice['id']}/convert_to_draft", json={})
        assert (refused.status_code, refused.json()) == (422, {"errors": said})
        invoice[field] = kept
    assert not invoice.get("draft")


# ---------------------------------------------------------- 2026: live timers (docs/rules.md §13)
async def test_live_timers_start_resume_not_duplicate_pause_stop_and_refuse_invalid_moves(raw: httpx.AsyncClient, sim) -> None:
    tid = open_ticket(sim)["id"]
    moment = sim.store.clock = Moment(FIXED_NOW)
    made = (await raw.post("/ticket_timers", json={"ticket_id": tid, "product_id": 1190473, "notes": "Printer"})).json()
    timer = made["ticket_timer"]
    assert (timer["status"], timer["end_time"], timer["user_id"], timer["recorded"]) == ("running", None, 1843, False)
    moment.at += timedelta(minutes=20)
    assert (await raw.post(f"/ticket_timers/{timer['id']}/pause", json={})).json()["ticket_timer"]["status"] == "paused"
    moment.at += timedelta(minutes=30)  # a pause is not work
    # a second start on the same ticket resumes the tech's paused timer: never a second timer
    again = (await raw.post("/ticket_timers", json={"ticket_id": tid, "product_id": 1190473})).json()["ticket_timer"]
    assert (again["id"], again["status"]) == (timer["id"], "running")
    refused = await raw.post(f"/ticket_timers/{timer['id']}/start", json={})
    assert refused.status_code == 422 and refused.json() == {"errors": ["Timer cannot start when it is running"]}
    moment.at += timedelta(minutes=25)
    listed = (await raw.get("/ticket_timers", params={"user_id": 1843, "status": "running"})).json()["ticket_timers"]
    assert [(t["id"], t["active_duration"]) for t in listed] == [(timer["id"], 45 * 60)]
    stopped = (await raw.post(f"/ticket_timers/{timer['id']}/stop", json={})).json()["ticket_timer"]
    assert (stopped["status"], stopped["active_duration"], stopped["recorded"]) == ("stopped", 45 * 60, False)
    assert (await raw.post(f"/ticket_timers/{timer['id']}/stop", json={})).status_code == 422
    # charged as worked: 45 minutes, the pause left out
    await raw.post(f"/tickets/{tid}/charge_timer_entry", json={"timer_entry_id": timer["id"]})
    line = sim.store.t("line_items")[sim.store.t("timers")[timer["id"]]["ticket_line_item_id"]]
    assert line["quantity"] == "0.75"
    assert (await raw.get("/ticket_timers", params={"ticket_id": tid, "billing_status": "uncharged"})).json()["ticket_timers"] == []


async def test_an_account_that_charges_timers_by_default_charges_on_stop(raw: httpx.AsyncClient, sim) -> None:
    sim.store.account["charge_timers_by_default"] = True
    tid = open_ticket(sim)["id"]
    moment = sim.store.clock = Moment(FIXED_NOW)
    timer = (await raw.post("/ticket_timers", json={"ticket_id": tid, "product_id": 26118})).json()["ticket_timer"]
    moment.at += timedelta(minutes=30)
    await raw.post(f"/ticket_timers/{timer['id']}/stop", json={})
    kept = sim.store.t("timers")[timer["id"]]
    assert kept["recorded"] and kept["ticket_line_item_id"] is not None
    assert sim.store.t("line_items")[kept["ticket_line_item_id"]]["quantity"] == "0.5"


async def test_an_account_without_live_timers_answers_404_and_ignores_the_filters(raw: httpx.AsyncClient, sim) -> None:
    sim.store.account["live_timers"] = False
    tid = open_ticket(sim)["id"]
    gone = await raw.post("/ticket_timers", json={"ticket_id": tid, "product_id": 26118})
    assert gone.status_code == 404 and gone.json() == {"message": "Not found"}
    every = (await raw.get("/ticket_timers", params={"per_page": 100})).json()["ticket_timers"]
    filtered = (await raw.get("/ticket_timers", params={"per_page": 100, "ticket_id": tid})).json()["ticket_timers"]
    assert filtered == every and "status" not in every[0]
