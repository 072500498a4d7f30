"""``bill NUMBER --plan``: the billing run's calls and checklist, printed (the command line never sends)."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ..domain.checklist import Check
from ..domain.situation import Situation
from ..domain.billing import TimePlan
from ..domain.comment import Visibility
from ..writes.plans import Plan
from ..domain.text import json_text
from ..domain.inputs import InputProblem, shown, whole_number
from ..domain.inputs import quantity as parse_quantity
from .common import exit_for, fail, text_or_none
from .connect import connect


def run_bill(args: argparse.Namespace) -> int:
    """``bill NUMBER --minutes M --labor TYPE --plan [--json]``: the billing run's calls and checklist, nothing sent."""
    import sys

    from ..api import SyncroError
    from ..api import requests as rq
    from ..api.models import AccountSettings, Product
    from ..domain import billing
    from ..domain.checklist import checklist
    from ..domain.hints import hints as hours_hints
    from ..domain.readback import ended_warnings
    from ..domain.account import resolve_zone
    from ..domain.billing_form import parse_ended
    from ..domain.comment import CommentDraft
    from ..writes.plans import bill_time
    from ..domain.when import WhenProblem
    from ..reads import UnknownTicket, read_products, read_situation

    if not args.plan:
        return fail("the command line only plans a billing run (add --plan); send it from the app, where each call "
                    "is confirmed")
    try:
        minutes = billing.parse_minutes(args.minutes, long_confirmed=args.long)
    except billing.LongWork as exc:
        return fail(f"{exc} Add --long if it is.")
    except billing.MinutesProblem as exc:
        return fail(str(exc))
    try:
        number = whole_number(args.number.lstrip("#"), what="the ticket number")
    except InputProblem as exc:
        return fail(str(exc))
    connection = connect(args)
    if isinstance(connection, int):
        return connection
    client, config = connection
    rates = config.rate_table()

    try:
        wanted = [parse_item(text) for text in args.item]
    except ValueError as exc:
        return fail(f"--item: {exc}")

    async def read() -> tuple[Situation, AccountSettings, dict[int, Product | None]]:
        async with client:
            return await asyncio.gather(read_situation(client, number=number), client.execute(rq.account_settings()),
                                        read_products(client, [product_id for product_id, _ in wanted]))

    try:
        situation, settings, products = asyncio.run(read())
        zone = settings.time_zone
    except UnknownTicket as exc:
        return fail(str(exc))
    except SyncroError as exc:
        return fail(f"could not read the ticket and customer: {exc}", exit_for(exc))
    tz, zone_problem = resolve_zone(zone)
    if zone_problem:
        print(f"note: {zone_problem}", file=sys.stderr)
    now = datetime.now(UTC)
    try:  # the same words the wizard's "Work ended" box takes, in the account's zone
        # in the account's zone, as the app shows it: the plan's timer reads 09:00–09:30, not UTC's 15:00–15:30
        ended = (parse_ended(args.at, now=now, tz=tz) if args.at else now).astimezone(tz)
    except WhenProblem as exc:
        return fail(f"--at: {exc}")
    items = []
    for product_id, quantity in wanted:
        product = products.get(product_id)
        if product is None:
            return fail(f"--item: product {product_id} is not in Syncro")
        try:  # the product's own price and tax; a labor product is refused with the reason
            items.append(billing.plan_item(name=product.name, description=product.description or product.name,
                                           quantity=quantity, price_retail=product.price_retail,
                                           taxable=bool(product.taxable), product_id=product.id, rates=rates))
        except ValueError as exc:
            return fail(f"--item {product_id}: {exc}")
    time = billing.plan_time(minutes, args.labor, ended_at=ended, prepay_hours=situation.prepaid, rates=rates)
    late = ended_warnings(ended, ticket_created=situation.ticket.created_at, now=now)
    comment = CommentDraft(args.subject, args.comment, Visibility(args.visibility)) if args.comment else None
    plan = bill_time(situation.ticket, time, comment=comment, description=args.description or situation.ticket.subject,
                     pending=situation.pending, rates=rates, invoice_ids=situation.invoice_ids, items=items)
    checks = checklist(time, rates, comment_body=comment.body if comment else "",
                               customer_visible=bool(comment and comment.visibility.customer_visible))
    hints = hours_hints(time, hours=settings.business_hours, tz=tz)
    out = plan_json(situation, time, plan, checks, minutes=minutes, warnings=[*situation.warnings, *late])
    out["hints"] = [{"kind": h.kind, "hint": h.text} for h in hints]
    if args.json:
        print(json_text(out, indent=2))
    else:
        print(plan.title)
        for line in (*situation.warnings, *late, *time.reasons, *plan.notes):
            print(f"  {line}")
        for hint in hints:  # the wizard has the tech tick each one
            print(f"  [hint] {hint.text}")
        for call in out["calls"]:
            print(f"{call['step']}. {call['method']} {call['path']}" + (f"  ({call['only_if']})" if "only_if" in call else ""))
            for key in ("body", "expect"):
                if key in call:
                    print(f"   {key}: {json_text(call[key])}")
        for c in checks:
            print(f"[{'pass' if c.passed else 'FAIL'}] {c.name}: {c.reason}")
        print("Nothing was sent.")
    return 0 if all(c.passed for c in checks) else 1


def plan_json(situation: Situation, time: TimePlan, plan: Plan, checks: list[Check], *, minutes: int,
              warnings: list[str]) -> dict[str, Any]:
    """The plan as ``--json`` prints it: the ticket, the warnings, the time, every call in order, the checklist."""
    from ..writes.specs import condition_text

    calls = [req.call for req in plan.steps]
    return {
        "ticket": {"id": situation.ticket.id, "number": situation.ticket.number, "subject": situation.ticket.subject,
                   "customer": situation.ticket.customer_business_then_name,
                   "prepay_hours": str(situation.prepaid) if situation.prepaid is not None else None},
        "warnings": warnings,
        "billing": {"path": "line_item" if time.by_line else "timer", "labor_type": time.labor_type.value, "minutes": minutes, "product_id": time.rate.product_id,
                    "product": time.rate.name, "quantity": str(time.quantity), "price_retail": str(time.price),
                    "total": str(time.total), "start_at": time.start_at.isoformat(), "end_at": time.end_at.isoformat(),
                    "billable": time.billable, "invoiced": time.invoice,
                    "prepaid_before": text_or_none(time.prepaid_before), "prepaid_after": text_or_none(time.prepaid_after),
                    "reasons": list(time.reasons)},
        "title": plan.title,
        "notes": list(plan.notes),
        "calls": [{"step": n, **req.preview(), **({"only_if": condition_text(calls, req.only_if)} if req.only_if else {})}
                  for n, req in enumerate(plan.steps, start=1)],
        "checklist": [{"check": c.name, "passed": c.passed, "reason": c.reason} for c in checks],
        "sent": False,
    }


def parse_item(text: str) -> tuple[int, Decimal]:
    """ "4417:2" → (4417, 2): a product id and a quantity above zero (the quantity defaults to 1)."""
    product, _, typed = text.partition(":")
    try:
        return whole_number(product, what="product id"), parse_quantity(typed or "1")
    except InputProblem as exc:
        raise InputProblem(f"{shown(text)} is not PRODUCT_ID:QTY (e.g. 4417:2): {exc}") from None
