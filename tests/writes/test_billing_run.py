"""The billing run as one journaled group on the simulator, and each incident of docs/rules.md §7 shown prevented."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from syncro_tui.api import requests as rq
from syncro_tui.domain.situation import Situation
from syncro_tui.domain.readback import check_invoice
from syncro_tui.domain.billing import plan_item, plan_time
from syncro_tui.domain.comment import CommentDraft, Visibility
from syncro_tui.writes.plans import bill_time
from syncro_tui.domain.rates import LaborType, RateTable
from syncro_tui.simulator import Simulator
from syncro_tui.reads import UnknownTicket, read_situation
from syncro_tui.writes.groups import GroupState, StepState

from ..conftest import make_simulator, span_seconds
from ..simulator.helpers import open_ticket, prepaid_customer, ticket_for_customer
from .test_write_path import write_path

RATES = RateTable()
ENDED = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
COMMENT = CommentDraft("Resolved", "Replaced the failed switch.\n- tested all ports\n- labelled the rack",
                       Visibility.PUBLIC)


async def billing_plan(wp, ticket_id: int, minutes: int, labor: str, *, comment: CommentDraft | None = COMMENT):
    situation = await read_situation(wp.client, ticket_id=ticket_id)
    time = plan_time(minutes, labor, ended_at=ENDED, prepay_hours=situation.prepaid, rates=RATES)
    return situation, time, bill_time(situation.ticket, time, comment=comment, description="Switch replacement",
                                      pending=situation.pending, rates=RATES, invoice_ids=situation.invoice_ids)


def on_ticket(sim: Simulator, table: str, ticket_id: int) -> list[dict]:
    return [r for r in sim.store.t(table).values() if r.get("ticket_id") == ticket_id]


def fresh_ticket(sim: Simulator, customer_id: int | None = None) -> dict:
    """An open ticket with nothing billed on it yet (so each test counts only its own records)."""
    ticket = open_ticket(sim) if customer_id is None else ticket_for_customer(sim, customer_id)
    for table in ("line_items", "timers"):
        for rid in [r["id"] for r in on_ticket(sim, table, ticket["id"])]:
            del sim.store.t(table)[rid]
    return ticket


def comments_with(sim: Simulator, text: str) -> list[dict]:
    return [c for c in sim.store.t("comments").values() if text in (c.get("body") or "")]


async def test_the_whole_run_ends_invoiced_with_one_of_everything(tmp_path) -> None:
    sim = make_simulator()
    ticket = fresh_ticket(sim)
    wp = write_path(sim, tmp_path)
    _, time, plan = await billing_plan(wp, ticket["id"], 45, "remote")
    assert [s.call for s in plan.steps] == ["add_comment", "add_timer", "charge_timer", "check_line_item",
                                            "update_line_item", "create_invoice", "check_invoice", "update_ticket"]
    outcome = await wp.execute(plan)
    assert outcome.done, outcome.message
    assert [s.state for s in outcome.steps][3:5] == [StepState.DONE, StepState.SKIPPED]  # the line had its price
    assert len(comments_with(sim, "Replaced the failed switch.<br>• tested all ports<br>• labelled the rack")) == 1
    timers = on_ticket(sim, "timers", ticket["id"])
    assert len(timers) == 1 and timers[0]["recorded"] and span_seconds(timers[0]) == 45 * 60
    (line,) = on_ticket(sim, "line_items", ticket["id"])
    assert (line["product_id"], line["quantity"], Decimal(str(line["price_retail"])), line["taxable"]) == (
        1190473, "0.75", Decimal("150.00"), False)
    (invoice,) = on_ticket(sim, "invoices", ticket["id"])
    assert Decimal(invoice["total"]) == time.total == Decimal("112.50")
    assert sim.store.t("tickets")[ticket["id"]]["status"] == "Invoiced"
    writes = [c for c in sim.calls if c[0] != "GET"]
    assert [c[1] for c in writes] == ["add_comment", "add_timer", "charge_timer", "create_invoice", "update_ticket"]


async def test_a_run_is_nine_calls_from_the_first_read_to_invoiced(tmp_path) -> None:
    """Two reads to plan (ticket, customer), five writes, two read-backs (the charged line, the invoice)."""
    sim = make_simulator()
    ticket = fresh_ticket(sim)
    wp = write_path(sim, tmp_path)
    wp.remember_owner(await wp.client.execute(rq.me()))  # whose key it is: asked once per start, not per run
    before = len(sim.calls)
    *_, plan = await billing_plan(wp, ticket["id"], 45, "remote")
    assert (await wp.execute(plan)).done
    assert [c[1] for c in list(sim.calls)[before:]] == [
        "get_ticket", "get_customer", "add_comment", "add_timer", "charge_timer", "get_ticket", "create_invoice",
        "get_invoice", "update_ticket"]


async def test_already_invoiced_is_said_from_the_tickets_lines_without_an_invoice_read(tmp_path) -> None:
    sim = make_simulator()
    ticket = fresh_ticket(sim)
    wp = write_path(sim, tmp_path)
    *_, plan = await billing_plan(wp, ticket["id"], 45, "remote")
    assert (await wp.execute(plan)).done
    before = len(sim.calls)
    again = await read_situation(wp.client, ticket_id=ticket["id"])
    assert [c[1] for c in list(sim.calls)[before:]] == ["get_ticket", "get_customer"]
    (invoice,) = on_ticket(sim, "invoices", ticket["id"])
    assert again.invoice_ids == (invoice["id"],)  # what a second invoice must not be taken for
    assert again.warnings[0] == ("This ticket is already invoiced: 1 line of $112.50 on 1 invoice. Billing more "
                                 "makes another invoice.")


async def test_lines_that_do_not_name_their_invoice_make_the_one_invoice_read(tmp_path) -> None:
    """Not every account's lines carry invoice_id: then the invoices are read, and named by number."""
    sim = make_simulator()
    ticket = fresh_ticket(sim)
    wp = write_path(sim, tmp_path)
    *_, plan = await billing_plan(wp, ticket["id"], 45, "remote")
    assert (await wp.execute(plan)).done
    for line in on_ticket(sim, "line_items", ticket["id"]):
        line["invoice_id"] = None
    before = len(sim.calls)
    again = await read_situation(wp.client, ticket_id=ticket["id"])
    assert "list_invoices" in [c[1] for c in list(sim.calls)[before:]]
    (invoice,) = on_ticket(sim, "invoices", ticket["id"])
    assert again.invoice_ids == (invoice["id"],)
    assert f"#{invoice['number']} ($112.50)" in again.warnings[0]


async def test_a_line_that_arrives_at_zero_is_patched_before_the_invoice(tmp_path) -> None:
    sim = make_simulator(zero_price_rate=1.0)
    ticket = fresh_ticket(sim)
    wp = write_path(sim, tmp_path)
    *_, plan = await billing_plan(wp, ticket["id"], 90, "onsite")
    outcome = await wp.execute(plan)
    assert outcome.done, outcome.message
    assert "arrived at $0.00" in outcome.steps[3].message and outcome.steps[4].state is StepState.DONE
    (line,) = on_ticket(sim, "line_items", ticket["id"])
    assert Decimal(str(line["price_retail"])) == Decimal("175.00")
    (invoice,) = on_ticket(sim, "invoices", ticket["id"])
    assert Decimal(invoice["total"]) == Decimal("262.50")


async def test_a_zero_line_whose_patch_fails_never_reaches_an_invoice(tmp_path) -> None:
    """Incident: a 0.00 line and a 0.00 invoice. The run stops before invoicing."""
    sim = make_simulator(zero_price_rate=1.0)
    ticket = fresh_ticket(sim)
    wp = write_path(sim, tmp_path)
    *_, plan = await billing_plan(wp, ticket["id"], 30, "remote")
    sim.add_fault(kind="500", route="update_line_item", when="before")
    outcome = await wp.execute(plan)
    assert not outcome.done and outcome.stopped.seq == 4
    assert on_ticket(sim, "invoices", ticket["id"]) == []
    assert sim.store.t("tickets")[ticket["id"]]["status"] != "Invoiced"
    assert wp.journal.group(outcome.group_id).state is GroupState.OPEN  # offered for resume at the next start


def test_a_zero_invoice_is_caught_loudly_with_the_recovery() -> None:
    sim = make_simulator()
    ticket = fresh_ticket(sim)
    store = sim.store
    store.add_line_item(ticket["id"], {"name": "Labor - Remote Business", "description": "x", "quantity": "0.75",
                                       "product_id": 1190473, "taxable": False}, key="demo-key")  # no price_retail
    invoice_id = store.create_invoice({"ticket_id": ticket["id"], "customer_id": ticket["customer_id"]},
                                      key="demo-key")["invoice"]["id"]
    from syncro_tui.api.models import Invoice
    invoice = Invoice.model_validate(store.get_invoice(invoice_id)["invoice"])
    finding = check_invoice(invoice, {"product_id": 1190473, "quantity": "0.75", "price_retail": "150.00",
                                      "subtotal": "112.50", "total": "112.50"})
    assert not finding.passed
    assert "$0.00" in finding.message and "delete invoice" in finding.message and "not set to Invoiced" in finding.message


async def test_an_invoice_that_does_not_match_the_plan_stops_before_invoiced(tmp_path) -> None:
    sim = make_simulator()
    ticket = fresh_ticket(sim)
    wp = write_path(sim, tmp_path)
    *_, plan = await billing_plan(wp, ticket["id"], 45, "remote")
    # Someone adds a line between the preview and the invoice: the invoice pulls it too.
    sim.store.add_line_item(ticket["id"], {"name": "Cable", "description": "Cat6", "quantity": "1",
                                           "price_retail": "12.00", "taxable": False}, key="demo-key")
    outcome = await wp.execute(plan)
    assert not outcome.done and outcome.stopped.seq == 6
    assert "TOTAL IS $124.50" in outcome.message and "THE PLAN IS $112.50" in outcome.message
    assert sim.store.t("tickets")[ticket["id"]]["status"] != "Invoiced"


async def test_emergency_for_a_prepaid_customer_never_stacks_the_emergency_product(tmp_path) -> None:
    """Incident: 26118 and 26184 on the same hours (1.5 × twice)."""
    sim = make_simulator()
    customer = prepaid_customer(sim)
    ticket = fresh_ticket(sim, customer["id"])
    before = Decimal(customer["prepay_hours"])
    wp = write_path(sim, tmp_path)
    _, time, plan = await billing_plan(wp, ticket["id"], 60, "emergency")
    assert time.quantity == Decimal("1.50") and time.rate.product_id == 26118
    outcome = await wp.execute(plan)
    assert outcome.done, outcome.message
    lines = on_ticket(sim, "line_items", ticket["id"])
    assert [(li["product_id"], li["quantity"]) for li in lines] == [(26118, "1.5")]
    (timer,) = on_ticket(sim, "timers", ticket["id"])
    assert span_seconds(timer) == 90 * 60  # stretched to the billed quantity
    assert Decimal(sim.store.t("customers")[customer["id"]]["prepay_hours"]) == before - Decimal("1.5")
    (invoice,) = on_ticket(sim, "invoices", ticket["id"])
    assert Decimal(invoice["total"]) == Decimal("0.00")  # paid from the block


async def test_warranty_is_billable_at_zero_on_the_warranty_product(tmp_path) -> None:
    """Incident: warranty time billed with billable false (Syncro billed it anyway)."""
    sim = make_simulator()
    ticket = fresh_ticket(sim)
    wp = write_path(sim, tmp_path)
    *_, plan = await billing_plan(wp, ticket["id"], 50, "warranty")
    assert plan.steps[1].body["billable"] is True and plan.steps[1].body["product_id"] == 1049360
    outcome = await wp.execute(plan)
    assert outcome.done, outcome.message
    (line,) = on_ticket(sim, "line_items", ticket["id"])
    assert line["product_id"] == 1049360 and Decimal(str(line["price_retail"])) == 0
    assert outcome.steps[4].state is StepState.SKIPPED  # 0.00 is the warranty price: nothing to patch


async def test_internal_time_is_recorded_and_never_charged_or_invoiced(tmp_path) -> None:
    sim = make_simulator()
    ticket = fresh_ticket(sim)
    wp = write_path(sim, tmp_path)
    *_, plan = await billing_plan(wp, ticket["id"], 20, "internal", comment=None)
    assert [s.call for s in plan.steps] == ["add_timer"] and plan.steps[0].body["billable"] is False
    assert (await wp.execute(plan)).done
    assert on_ticket(sim, "line_items", ticket["id"]) == [] and on_ticket(sim, "invoices", ticket["id"]) == []


def test_no_labor_type_is_ever_billed_through_a_bare_line_item() -> None:
    """Incident: labor through add_line_item (skips time tracking, bills twice after a charge)."""
    sim = make_simulator()
    ticket = open_ticket(sim)
    from syncro_tui.api.models import Ticket
    summary = Ticket.model_validate(sim.store.get_ticket(ticket["id"])["ticket"])
    for labor in LaborType:
        for prepaid in (None, Decimal("5")):
            time = plan_time(45, labor, ended_at=ENDED, prepay_hours=prepaid, rates=RATES)
            plan = bill_time(summary, time, comment=None, description="Work", pending=[], rates=RATES)
            assert "add_line_item" not in [s.call for s in plan.steps]
    with pytest.raises(ValueError, match="is labor: bill it with a timer"):
        plan_item(name="Labor", description="1h", quantity=Decimal("1"), price_retail=Decimal("150"), taxable=False,
                  product_id=1190473, rates=RATES)


@pytest.mark.parametrize("route", ["add_timer", "add_comment", "charge_timer"])
async def test_a_lost_answer_never_makes_a_second_timer_comment_or_charge(tmp_path, route) -> None:
    """Incidents: a duplicate timer after an ambiguous response, a duplicate comment after a timeout."""
    sim = make_simulator()
    ticket = fresh_ticket(sim)
    wp = write_path(sim, tmp_path)
    *_, plan = await billing_plan(wp, ticket["id"], 45, "remote")
    sim.add_fault(kind="timeout", route=route, when="after", delay=2)
    outcome = await wp.execute(plan)
    assert outcome.done, outcome.message
    assert any(s.state is StepState.PRESENT for s in outcome.steps)
    assert len(comments_with(sim, "Replaced the failed switch.")) == 1
    assert len(on_ticket(sim, "timers", ticket["id"])) == 1
    assert len(on_ticket(sim, "line_items", ticket["id"])) == 1  # a charged timer is never charged again
    assert [c[1] for c in sim.calls].count(route) == 1


async def test_a_duplicate_timer_stops_the_run_before_the_charge(tmp_path) -> None:
    sim = make_simulator()
    ticket = fresh_ticket(sim)
    wp = write_path(sim, tmp_path)
    *_, plan = await billing_plan(wp, ticket["id"], 45, "remote", comment=None)
    timer = plan.steps[0]
    await wp.client.execute(timer)  # an earlier blind resend already made this timer
    sim.add_fault(kind="timeout", route="add_timer", when="after", delay=2)
    outcome = await wp.execute(plan)
    assert not outcome.done and outcome.stopped.duplicates and "remove the older copy" in outcome.message
    assert ("POST", "charge_timer") not in sim.calls


async def test_a_resumed_run_checks_again_and_finishes(tmp_path) -> None:
    """Cut short after the charge: resume reads back (the check runs again) and sends only the rest."""
    sim = make_simulator()
    ticket = fresh_ticket(sim)
    wp = write_path(sim, tmp_path)
    *_, plan = await billing_plan(wp, ticket["id"], 45, "remote")
    sim.add_fault(kind="drop", route="get_invoice", when="before", times=10)
    outcome = await wp.execute(plan)
    assert not outcome.done and outcome.stopped.seq == 6 and outcome.stopped.state is StepState.UNKNOWN
    sim.faults.clear()
    group, in_doubt = await wp.prepare(outcome.group_id)
    assert in_doubt is None  # a check in doubt is not reconciled: it is run again
    rest = wp.remaining(group)
    assert sorted(rest) == [6, 7]
    finished = await wp.run(outcome.group_id, rest)
    assert finished.done, finished.message
    assert len(on_ticket(sim, "invoices", ticket["id"])) == 1
    assert sim.store.t("tickets")[ticket["id"]]["status"] == "Invoiced"


async def test_an_unknown_ticket_is_said_in_words(tmp_path) -> None:
    wp = write_path(make_simulator(), tmp_path)
    with pytest.raises(UnknownTicket, match="no ticket #999999"):
        await read_situation(wp.client, number=999999)


def test_the_situation_warns_about_invoices_and_uncharged_timers() -> None:
    sim = make_simulator()
    invoiced = next(t for t in sim.store.t("tickets").values() if t["status"] == "Invoiced")
    from syncro_tui.api.models import Customer, Invoice, Ticket
    ticket = Ticket.model_validate(sim.store.get_ticket(invoiced["id"])["ticket"])
    invoices = [Invoice.model_validate(i) for i in sim.store.list_invoices({"ticket_id": str(invoiced["id"])})["invoices"]]
    customer = Customer.model_validate(sim.store.get_customer(invoiced["customer_id"])["customer"])
    warnings = Situation(ticket, customer, tuple(invoices)).warnings
    assert warnings and "already invoiced" in warnings[0]


async def test_a_failed_check_reads_as_such_in_the_activity(tmp_path) -> None:
    from syncro_tui.writes.activity import outcome_text

    sim = make_simulator()
    ticket = fresh_ticket(sim)
    wp = write_path(sim, tmp_path)
    *_, plan = await billing_plan(wp, ticket["id"], 45, "remote")
    sim.store.add_line_item(ticket["id"], {"name": "Cable", "description": "Cat6", "quantity": "1",
                                           "price_retail": "12.00", "taxable": False}, key="demo-key")
    outcome = await wp.execute(plan)
    text = outcome_text(wp.journal.group(outcome.group_id))
    assert text.startswith("Unfinished: call 7 (check_invoice): check failed: INVOICE #")


async def test_a_part_sold_with_the_time_ends_invoiced_with_its_price_and_tax(tmp_path) -> None:
    sim = make_simulator()
    ticket = fresh_ticket(sim)
    wp = write_path(sim, tmp_path)
    situation = await read_situation(wp.client, ticket_id=ticket["id"])
    time = plan_time(30, "remote", ended_at=ENDED, prepay_hours=situation.prepaid, rates=RATES)
    ssd = plan_item(name="Samsung 870 EVO 1TB SSD", description="SSD for the front desk PC", quantity=Decimal("1"),
                    price_retail=Decimal("129.00"), taxable=True, product_id=880103, rates=RATES)
    plan = bill_time(situation.ticket, time, comment=None, description="Disk swap", pending=situation.pending,
                     rates=RATES, invoice_ids=situation.invoice_ids, items=[ssd])
    outcome = await wp.execute(plan)
    assert outcome.done, outcome.message
    lines = sorted(on_ticket(sim, "line_items", ticket["id"]), key=lambda li: li["id"])
    assert [(li["product_id"], Decimal(li["quantity"]), Decimal(str(li["price_retail"])), li["taxable"]) for li in lines] \
        == [(1190473, Decimal("0.50"), Decimal("150"), False), (880103, Decimal("1"), Decimal("129"), True)]
    (timer,) = on_ticket(sim, "timers", ticket["id"])
    assert timer["recorded"] and span_seconds(timer) == 30 * 60  # the time went through the timer, the part did not
    (invoice,) = on_ticket(sim, "invoices", ticket["id"])
    assert Decimal(invoice["subtotal"]) == Decimal("204.00") and Decimal(invoice["total"]) >= Decimal("204.00")
    assert sim.store.t("tickets")[ticket["id"]]["status"] == "Invoiced"
