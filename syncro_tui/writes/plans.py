"""A write operation as the tech confirms it, before anything is sent (no I/O): the calls each flow makes.

The domain says what is right (the time plan, the checklist, the forms' reviews); this module turns what the
tech asked for into Syncro's calls, in order, so the domain never builds a request.

A plan is the sentence in words on top of the confirm screen and every call in
order. A later call that needs an id an earlier one returns names it with a
``Ref`` (shown as ``<id from call N>``); the write path fills it in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from ..api import requests as rq
from ..api.models import Appointment, Invoice, LineItem, Ticket, TicketSummary, Timer
from ..api.call import ApiRequest, Ref
from ..domain.billing import charged_hours, hours_text, ItemPlan, TimePlan, TimerCharge
from ..domain.expect import InvoiceExpectation
from ..domain.readback import expected_invoice, line_expectation
from ..domain.situation import pending_lines
from ..domain.comment import CommentDraft, Visibility, audience
from ..domain.queue import QueueRow
from ..domain.ticket import ids
from ..domain.rates import RateTable
from ..domain.billing_form import BillingRun
from ..domain.new_ticket import NewTicketOrder
from ..domain.money import dollars, money
from ..domain.text import counted
from ..domain.when import Booking, describe_span
from .specs import ref_problem

#: A ticket as Syncro lists it, or as the queue keeps it: what a plan needs of a ticket is in both.
Listed = TicketSummary | QueueRow


@dataclass(frozen=True)
class Plan:
    """A multi-call operation as the tech confirms it: a sentence in words and every call in order."""

    kind: str
    title: str
    steps: tuple[ApiRequest[Any], ...]
    ticket_id: int | None = None
    notes: tuple[str, ...] = ()
    #: The number the tech knows the ticket by (the id is Syncro's internal key).
    ticket_number: int | None = None
    #: One line per call in words, for a group of many alike (``writes/bulk.py``): the confirm shows these and
    #: keeps each call's payload one key away.
    lines: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a plan needs at least one call")
        calls = [req.call for req in self.steps]
        for seq, req in enumerate(self.steps):
            if not req.is_write and not req.is_check:
                raise ValueError(f"{req.call} is not a write (nor a check)")
            late = [r for r in req.depends_on if r.step >= seq]
            if late:
                raise ValueError(f"call {seq + 1} ({req.call}) needs {late[0].label}, which is not an earlier call")
            unknown = [p for p in (ref_problem(calls, r) for r in req.depends_on) if p]
            if unknown:
                raise ValueError(f"call {seq + 1} ({req.call}): {unknown[0]}")
        if self.lines and len(self.lines) != len(self.steps):
            raise ValueError("a plan's lines are one per call")


def new_ticket(order: NewTicketOrder) -> Plan:
    """A ticket, then its first comment and its appointment, which both need the new ticket's id (docs/rules.md §5)."""
    ticket = order.ticket
    steps: list[ApiRequest[Any]] = [rq.create_ticket(ticket)]
    if order.comment:
        comment = order.comment
        steps.append(rq.add_comment(Ref(0), subject=comment["subject"], body=comment["body"],
                                    hidden=comment["hidden"], do_not_email=comment["do_not_email"]))
    if order.appointment:
        steps.append(rq.create_appointment({**order.appointment, "ticket_id": Ref(0),
                                            "customer_id": ticket.get("customer_id")}))
    return Plan(kind="new ticket", title=f"New ticket for {order.customer_name}: {ticket.get('subject', '')}",
                steps=tuple(steps), notes=order.notes)


def change_ticket(ticket: Listed, fields: Mapping[str, Any], *, kind: str, words: str) -> Plan:
    """One triage change (status, priority, assignee, close) as a plan: ``words`` says what changes."""
    who = ticket.customer_business_then_name or f"customer {ticket.customer_id}"
    return Plan(kind=kind, title=f"Ticket #{ticket.number} ({who}): {words}",
                steps=(rq.update_ticket(ticket.id, fields),), ticket_id=ticket.id, ticket_number=ticket.number)


INVOICED = "Invoiced"

#: The calls of a billing run that put its minutes in Syncro, by the shop's path: a timer, or the labor's line (a
#: part's line comes only after the labor's is read back, so a landed line means the labor's did).
TIME_CALLS = frozenset({"add_timer", "add_line_item"})


def time_recorded(landed: set[str] | frozenset[str]) -> bool:
    """Whether a billing run whose landed calls are ``landed`` has the work clock's minutes in Syncro."""
    return bool(TIME_CALLS & landed)


def bill_time(ticket: Listed, time: TimePlan, *, comment: CommentDraft | None, description: str,
              pending: Sequence[LineItem], rates: RateTable, invoice_ids: Sequence[int] | None = None,
              items: Sequence[ItemPlan] = (), timers: Sequence[TimerCharge] = (), live: Timer | None = None) -> Plan:
    """The billing run of docs/rules.md §7.10 as one group, in order.

    Comment, then the labor as the shop's policy says (``rates.path``): a timer and its charge (which makes the
    line: never ``add_line_item`` for labor), or one ``add_line_item`` with every field explicit and no timer;
    the line read back with its 0.00 patch only if needed, the invoice
    (which pulls ``pending``, the ticket's other lines not invoiced yet), the
    invoice read back against the plan, and the status Invoiced. Internal time
    stops after the timer: it is recorded, never charged or invoiced.

    With the ticket as read in full (and the ``invoice_ids`` made for it already), every create carries
    its baseline (``before``) from that read, so the run makes no read for it.

    ``live``: the work was timed on a Syncro timer the tech stopped (W; docs/rules.md §13), and the ticket is the one
    the run sees without it (``Situation.without``). That timer is the time: set to the plan's span and product and
    charged, never a second timer or a line as well; when the account charged it on stopping, it is not charged
    again, and its line is read back and set to the billed quantity.
    """
    full = ticket if isinstance(ticket, Ticket) else None
    if not description.strip():
        raise ValueError("The billing description is required: it is the line the customer reads on the invoice.")
    steps: list[ApiRequest[Any]] = []
    if comment is not None:
        steps.append(replace(rq.add_comment(ticket.id, subject=comment.subject, body=comment.body,
                                            hidden=comment.visibility.hidden, do_not_email=comment.visibility.do_not_email),
                             before=ids(full.comments) if full else None))
    notes = [f"{hours_text(time.minutes)} of {time.labor_type.value.replace('_', ' ')} work: {time.quantity} × "
             f"{time.rate.name} at {dollars(time.price)} = {dollars(time.total)}."]
    before = list(ids(full.line_items)) if full else []
    if live is not None:
        if time.by_line:
            raise ValueError("Work timed on a Syncro timer is billed by that timer, not by a line as well.")
        notes.append(f"Timed on Syncro timer {live.id} (W stopped it), so it is billed by that timer: a line as "
                     "well would bill the time twice.")
        expect = replace(line_expectation(time), timer_id=live.id, lines_before=tuple(before))
        if live.recorded:
            notes.append("Syncro charged the timer when it stopped (the account charges timers by default): it is "
                         "not charged again; its line is read back and set to the billed quantity.")
            expect = replace(expect, charged_quantity=charged_hours(live.seconds))
        else:
            steps.append(rq.update_timer(ticket.id, live.id, start_at=time.start_at, end_at=time.end_at,
                                         product_id=time.rate.product_id, notes=description.strip()))
            if time.invoice:
                steps.append(rq.charge_timer(ticket.id, live.id))
    elif time.by_line:
        # One line, every field explicit (docs/rules.md §7.6), found again by difference from the lines read before.
        made = len(steps)
        steps.append(replace(rq.add_line_item(ticket.id, name=time.rate.name, description=description.strip(),
                                              quantity=time.quantity, price_retail=time.price, taxable=False,
                                              product_id=time.rate.product_id),
                             before=tuple(before) if full else None))
        expect = replace(line_expectation(time), line_item_id=Ref(made))
        notes.append(f"Billed as {rates.path.words}.")
    else:
        made = len(steps)
        steps.append(replace(rq.add_timer(ticket.id, start_at=time.start_at, end_at=time.end_at,
                                          notes=description.strip(), product_id=time.rate.product_id,
                                          billable=time.billable),
                             before=ids(full.ticket_timers) if full else None))
        # The charged line is found by difference: Syncro's charge answer may leave ticket_line_item_id null,
        # so the check takes the timer's link if the ticket read shows one, else the one new line of the product.
        expect = replace(line_expectation(time), timer_id=Ref(made), lines_before=tuple(before))
        notes.append(f"Billed as {rates.path.words}.")
        if time.invoice:
            steps.append(rq.charge_timer(ticket.id, Ref(made)))
    if time.invoice:
        check = len(steps)
        steps.append(rq.check_line_item(ticket.id, expect.record()))
        # A trip's line, and a line Syncro charged on its own at the timer's hours, are always set to the plan.
        steps.append(line_patch(ticket.id, check, quantity=time.quantity, price=time.price,
                                trip=expect.charged_quantity is not None))
        _charge_and_invoice(ticket, steps, notes, lines_before=before, time=time, timers=timers, items=items,
                            pending=pending, rates=rates, prepaid=time.prepaid_before, invoice_ids=invoice_ids)
    elif time.by_line:
        notes.append("Internal time: the line records it at $0.00; nothing is invoiced now (a later invoice of the "
                     "ticket shows it at $0.00).")
    else:
        notes.append("Internal time: the timer records it; nothing is charged or invoiced.")
    who = ticket.customer_business_then_name or f"customer {ticket.customer_id}"
    return Plan(kind="billing", title=f"Bill ticket #{ticket.number} ({who}): {time.quantity} × {time.rate.name} = "
                f"{dollars(time.total)}" + (", invoiced" if time.invoice else " (not invoiced)"),
                steps=tuple(steps), ticket_id=ticket.id, ticket_number=ticket.number, notes=tuple(notes))


def billing_run(run: BillingRun) -> Plan:
    """The calls of a billing run the form's review let through (``domain.billing_form.review``)."""
    situation = run.situation
    return bill_time(situation.ticket, run.time, comment=run.comment, description=run.description,
                     pending=situation.pending, rates=run.rates, invoice_ids=situation.invoice_ids, items=run.items,
                     timers=run.timers, live=run.live)


def line_patch(ticket_id: int, check: int, *, quantity: Decimal, price: Decimal, trip: bool) -> ApiRequest[Any]:
    """After a charge and its read-back (step ``check``): the 0.00 patch (rule 7), only when the line arrived at
    $0.00; a trip's line (the charge made it the travel's hours) is always set to 1 trip at the fee."""
    line = Ref(check, "line_item_id")
    if trip:
        return rq.update_line_item(ticket_id, line, quantity=quantity, price_retail=price)
    return replace(rq.update_line_item(ticket_id, line, price_retail=price), only_if=Ref(check, "needs_patch"))


def _charge_and_invoice(ticket: Listed, steps: list[ApiRequest[Any]], notes: list[str], *, lines_before: list[int],
                        time: TimePlan | None, timers: Sequence[TimerCharge], items: Sequence[ItemPlan],
                        pending: Sequence[LineItem], rates: RateTable, prepaid: Decimal | None,
                        invoice_ids: Sequence[int] | None) -> None:
    """The ticket's own timers charged (each read back and patched like a new one), the parts and fees, the invoice
    (which pulls ``pending`` too), the invoice read back against the plan, and the status Invoiced."""
    full = ticket if isinstance(ticket, Ticket) else None
    for charge in timers:
        steps.append(rq.charge_timer(ticket.id, charge.timer_id))
        check = len(steps)
        steps.append(rq.check_line_item(ticket.id, charge.expectation(lines_before).record()))
        steps.append(line_patch(ticket.id, check, quantity=charge.quantity, price=charge.price, trip=charge.trip))
        notes.append(f"Timer {charge.timer_id} already on the ticket ({hours_text(charge.minutes)}): "
                     f"{charge.quantity} × {charge.rate.name} at {dollars(charge.price)} = {dollars(charge.total)}.")
    for item in items:  # parts and flat fees beside the time: line items, every field explicit (rule 6)
        steps.append(replace(rq.add_line_item(ticket.id, name=item.name, description=item.description,
                                              quantity=item.quantity, price_retail=item.price_retail,
                                              taxable=item.taxable, product_id=item.product_id),
                             before=ids(full.line_items) if full else None))
    invoice = len(steps)
    if ticket.customer_id is None:
        raise ValueError(f"Ticket #{ticket.number} has no customer to invoice.")
    steps.append(replace(rq.create_invoice(ticket_id=ticket.id, customer_id=ticket.customer_id),
                         before=tuple(invoice_ids) if invoice_ids is not None else None))
    expect = expected_invoice(time, pending, rates, items=items, timers=timers, prepaid=prepaid)
    steps.append(rq.check_invoice(Ref(invoice), expect.record()))
    steps.append(rq.update_ticket(ticket.id, {"status": INVOICED}))
    for item in items:
        notes.append(f"{item.quantity} × {item.name} at {dollars(item.price_retail)} = {dollars(item.total)}"
                     f" ({'taxable' if item.taxable else 'not taxable'}).")
    if pending:
        notes.append(f"The invoice {'also ' if time or timers else ''}pulls {len(pending)} "
                     f"{'other ' if time or timers else ''}line{'s' if len(pending) != 1 else ''} already on the ticket: "
                     + "; ".join(f"{li.name} {li.quantity} × {dollars(li.price_retail)}" for li in pending))
    notes.append(f"Invoice expected: {dollars(expect.amount)}{'' if expect.total is not None else ' before tax'}.")


def invoice_waiting(ticket: Ticket, rates: RateTable, *, prepaid: Decimal | None, invoice_ids: Sequence[int],
                    timers: Sequence[TimerCharge] = (), still_leaking: str | None = None) -> Plan:
    """No new time: the ticket's own uncharged ``timers`` charged, and what waits for an invoice invoiced (the
    end-of-day sweep's fix for a timer never charged, or a Resolved ticket never invoiced), read back, Invoiced.

    ``still_leaking``: another leak the ticket still has (in words); then its status is left as it is, since a
    ticket set to Invoiced looks done to everyone and its other leak would never be billed."""
    pending = pending_lines(ticket)
    if not pending and not timers:
        raise ValueError(f"Ticket #{ticket.number} has nothing waiting for an invoice.")
    steps: list[ApiRequest[Any]] = []
    notes: list[str] = []
    _charge_and_invoice(ticket, steps, notes, lines_before=list(ids(ticket.line_items)), time=None, timers=timers,
                        items=(), pending=pending, rates=rates, prepaid=prepaid, invoice_ids=invoice_ids)
    if still_leaking:
        steps = [s for s in steps if not (s.call == "update_ticket" and (s.body or {}).get("status") == INVOICED)]
        notes.append(f"The status stays {ticket.status}, not Invoiced: the ticket still has {still_leaking}.")
    who = ticket.customer_business_then_name or f"customer {ticket.customer_id}"
    what = [counted(len(timers), "timer") + " charged"] if timers else []
    what += [counted(len(pending), "line") + " on no invoice"] if pending else []
    return Plan(kind="invoice", title=f"Invoice ticket #{ticket.number} ({who}): {' and '.join(what)}",
                steps=tuple(steps), ticket_id=ticket.id, ticket_number=ticket.number, notes=tuple(notes))


def patch_zero_line(ticket: Listed, line: LineItem, *, price: Decimal, product: str) -> Plan:
    """A charged line that arrived at $0.00, set to the rate table's price: the only legitimate price patch (rule 7)."""
    if line.price_retail != 0 or line.converted or line.invoice_id is not None:
        raise ValueError(f"Line {line.id} is not a $0.00 line on no invoice: it is not patched here.")
    return Plan(kind="patch line", title=f"Ticket #{ticket.number}: line “{line.name or product}” $0.00 → {dollars(price)}",
                steps=(rq.update_line_item(ticket.id, line.id, price_retail=price),), ticket_id=ticket.id, ticket_number=ticket.number,
                notes=(f"{product} is {dollars(price)} in the rate table; the charge left the line at $0.00 "
                       "(docs/rules.md §7.7).",))


def correct_invoice(invoice: Invoice, rates: RateTable, *, ticket: Ticket | None = None) -> Plan:
    """A $0.00 invoice corrected where the account has draft invoices (docs/rules.md §13): back to draft, each line of
    a product the rate table prices set to that price, the ticket's own $0.00 lines on it likewise (rule 7: the only
    legitimate price patch), published again, and read back against the total those prices make."""
    if invoice.draft is None:
        raise ValueError(f"Invoice #{invoice.number} does not say whether it is a draft: the account has draft "
                         "invoices off, so it is corrected in Syncro's web.")
    if invoice.is_paid:
        raise ValueError(f"Invoice #{invoice.number} is paid: it cannot go back to draft.")
    steps: list[ApiRequest[Any]] = [rq.invoice_to_draft(invoice.id)]
    notes = []
    subtotal, taxed = Decimal(0), False
    for line in invoice.line_items or []:
        rate = rates.for_product(line.product_id) if line.product_id is not None else None
        price = rate.price_retail if rate is not None and line.price == 0 and rate.price_retail > 0 else line.price
        if price != line.price and rate is not None:
            steps.append(rq.update_invoice_line(invoice.id, line.id, price=price))
            notes.append(f"{line.quantity.normalize():f} × {line.item or rate.name}: $0.00 → {dollars(price)} "
                         "(the rate table's price).")
        subtotal += (line.quantity - (line.prepay_hours_applied or 0)) * price
        taxed = taxed or bool(line.taxable)
    if len(steps) == 1:
        raise ValueError(f"Invoice #{invoice.number} has no $0.00 line of a product the rate table prices.")
    if ticket is not None:
        for ticket_line in ticket.line_items:
            product = ticket_line.product_id
            rate = rates.for_product(product) if product is not None else None
            if ticket_line.invoice_id == invoice.id and ticket_line.price_retail == 0 and rate is not None \
                    and rate.price_retail > 0:
                steps.append(rq.update_line_item(ticket.id, ticket_line.id, price_retail=rate.price_retail))
    steps.append(rq.publish_invoice(invoice.id))
    expected = money(subtotal)
    steps.append(rq.check_invoice(invoice.id, InvoiceExpectation(subtotal=expected,
                                                                  total=None if taxed else expected).record()))
    notes.append(f"Invoice expected: {dollars(expected)}{' before tax' if taxed else ''}, with the prepaid hours "
                 "already applied to its lines.")
    number = ticket.number if ticket is not None else None
    return Plan(kind="draft invoice", title=f"Correct invoice #{invoice.number} as a draft: $0.00 → {dollars(expected)}"
                + (" before tax" if taxed else ""), steps=tuple(steps), ticket_id=invoice.ticket_id,
                ticket_number=number, notes=tuple(notes))


def comment_on(ticket: Listed, draft: CommentDraft, *, recipient: str | None) -> Plan:
    """One comment as Syncro has them: the visibility sets ``hidden`` and ``do_not_email`` (docs/rules.md §6)."""
    problems = draft.problems()
    if problems:
        raise ValueError(problems[0])
    if draft.hazards():
        raise ValueError("A customer would see what looks like a password, key, token or internal note.")
    who = ticket.customer_business_then_name or f"customer {ticket.customer_id}"
    return Plan(kind="comment", title=f"Ticket #{ticket.number} ({who}): {draft.visibility.label.lower()} "
                f"“{draft.subject.strip()}”",
                steps=(replace(rq.add_comment(ticket.id, subject=draft.subject.strip(), body=draft.body,
                                              hidden=draft.visibility.hidden, do_not_email=draft.visibility.do_not_email),
                               before=ids(ticket.comments) if isinstance(ticket, Ticket) else None),),
                ticket_id=ticket.id, ticket_number=ticket.number, notes=(audience(draft.visibility, recipient),))


def close_ticket(ticket: Listed, *, status: str, resolution: str | None, cancel: Sequence[Appointment] = (),
                 tz: ZoneInfo = ZoneInfo("UTC")) -> Plan:
    """Close: an optional resolution comment (a public note: on the ticket, nobody emailed), then the resolved status,
    then, when the tech chose to, each appointment still ahead deleted from the calendar (after the status: a close
    that did not land leaves the visit booked)."""
    steps: list[ApiRequest[Any]] = []
    notes = []
    if resolution and resolution.strip():
        draft = CommentDraft("Resolution", resolution, Visibility.PUBLIC)
        if draft.hazards():
            raise ValueError("The resolution would show the customer what looks like a password, key, token or "
                             "internal note.")
        steps.append(rq.add_comment(ticket.id, subject=draft.subject, body=draft.body, hidden=False, do_not_email=True))
        notes.append(audience(Visibility.PUBLIC, None))
    steps.append(rq.update_ticket(ticket.id, {"status": status}))
    commented = len(steps) == 2
    for appt in cancel:
        steps.append(rq.delete_appointment(appt.id))
        notes.append(f"Cancelled: “{appt.summary or f'appointment {appt.id}'}”, "
                     f"{describe_span(appt.start_at, appt.end_at, tz)} (deleted from the calendar).")
    who = ticket.customer_business_then_name or f"customer {ticket.customer_id}"
    also = [what for what, said in (("a resolution comment", commented),
                                    (f"{counted(len(cancel), 'appointment')} ahead cancelled", bool(cancel))) if said]
    return Plan(kind="close", title=f"Ticket #{ticket.number} ({who}): close (status {ticket.status} → {status})"
                + (f" with {' and '.join(also)}" if also else ""),
                steps=tuple(steps), ticket_id=ticket.id, ticket_number=ticket.number, notes=tuple(notes))


def move_appointment(appt: Appointment, slot: Booking, *, tz: ZoneInfo, owner: str) -> Plan:
    """One PUT with the new start and end; the sentence says from when to when, with weekdays and the zone."""
    if slot.start == appt.start_at and slot.end == appt.end_at:
        raise ValueError("That is the time it already has.")
    was = describe_span(appt.start_at, appt.end_at, tz)
    to = describe_span(slot.start, slot.end, tz)
    return Plan(kind="appointment", title=f"Move “{appt.summary or f'appointment {appt.id}'}” to {to}",
                steps=(rq.update_appointment(appt.id, {"start_at": slot.start, "end_at": slot.end}),),
                ticket_id=appt.ticket_id,
                notes=(f"Now: {was}.", f"After: {to}.", f"Owner: {owner}.",
                       "Syncro's answer is checked: the appointment must start at the time intended."))
