"""Reading back a write whose outcome is unknown, to decide whether it landed (docs/rules.md §3).

Syncro has no idempotency, so an ambiguous write is never resent blindly:
the record is looked for first. Each kind of write has its own read-back:

- comment: all of the ticket's comments (every page), by subject and body;
- timer: the ticket's unrecorded timers, by start, end, notes and product;
- charge: the timer is recorded and linked to a line item;
- line item: the ticket's line items, by name, description, quantity and price;
- invoice: the ticket's invoices made since the write was sent (``SyncroClient.invoices_for_ticket``);
- ticket: the customer's tickets with that subject made since then; an update by its fields;
- appointment: that day's appointments by summary and start; a move by its start; a cancel by its absence;
- draft invoice: the invoice says whether it is a draft now; its line, whether it has the price sent;
- live timer: the owner's running and paused timers (a start is a running timer on the ticket; a stop, in neither).

A create is read back *by difference*, not by resemblance: its journaled
``before`` names the records that already existed and could look like it, and
only a record new since then, on the same ticket or customer and for the same
owner (the key's), can be this write's. The second "Left voicemail" of the day,
lost before Syncro wrote it, is then absent, not "saved". Groups journaled
before ``before`` existed fall back to resemblance within a time window.

``duplicates`` lists every match, oldest first, so that a duplicate that did
land (two identical timers) can be found and its removal offered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..api.errors import NotFound
from ..api import requests as rq
from ..api.call import ApiRequest
from ..domain.ticket import ids

if TYPE_CHECKING:
    from ..api.client import SyncroClient  # only for annotations: httpx loads after the first paint

#: Records made this long before the write was sent still count (clock skew between us and Syncro).
SKEW = timedelta(minutes=10)


@dataclass(frozen=True)
class Verdict:
    present: bool
    detail: str
    #: Every matching record, oldest first (more than one: a duplicate landed).
    matches: tuple[Any, ...] = field(default_factory=tuple)

    @property
    def record(self) -> Any:
        return self.matches[-1] if self.matches else None

    @property
    def duplicates(self) -> tuple[Any, ...]:
        """The older matches, when more than one landed."""
        return self.matches[:-1]


def _ticket_id(req: ApiRequest[Any]) -> int:
    match = re.match(r"^/tickets/(\d+)", req.path)
    if not match:
        raise ValueError(f"{req.call} has no ticket in its path")
    return int(match.group(1))


def _recent(moment: datetime | None, sent_at: datetime) -> bool:
    return moment is None or moment >= sent_at - SKEW


def _same_time(value: datetime | None, sent: Any) -> bool:
    return value is not None and isinstance(sent, str) and value == datetime.fromisoformat(sent.replace("Z", "+00:00"))


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _new(records: Sequence[Any], req: ApiRequest[Any]) -> list[Any]:
    """The records that did not exist before ``req`` was sent (all of them when no baseline was journaled)."""
    before = set(req.before or ())
    return [r for r in records if r.id not in before]


def _owned(record: Any, owner: int | None) -> bool:
    """Made under the key's owner (a record that does not say whose it is is not excluded for it)."""
    return owner is None or getattr(record, "user_id", None) in (None, owner)


def _verdict(matches: Sequence[Any], what: str) -> Verdict:
    if matches:
        extra = f" ({len(matches)} copies)" if len(matches) > 1 else ""
        return Verdict(True, f"The {what} is in Syncro{extra}.", tuple(matches))
    return Verdict(False, f"The {what} is not in Syncro: it did not land.")


async def find_comment(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    body = req.body or {}
    comments = _new(await client.all_comments(_ticket_id(req)), req)
    matches = [c for c in comments if c.subject == body.get("subject") and c.body == body.get("body")
               and bool(c.hidden) == bool(body.get("hidden")) and _recent(c.created_at, sent_at) and _owned(c, owner)]
    return _verdict(sorted(matches, key=lambda c: (c.created_at, c.id)), "comment")


async def find_timer(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    body = req.body or {}
    ticket = await client.execute(rq.get_ticket(_ticket_id(req)))
    matches = [t for t in _new(ticket.ticket_timers, req) if not t.recorded and _owned(t, owner) and _same_time(t.start_time, body.get("start_at"))
               and _same_time(t.end_time, body.get("end_at")) and (t.notes or "") == (body.get("notes") or "")
               and t.product_id == body.get("product_id")]
    return _verdict(sorted(matches, key=lambda t: t.id), "timer")


async def find_timer_update(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    """A timer set to the billed span and product (a Syncro timer the work was timed on): it has them now."""
    body = req.body or {}
    ticket = await client.execute(rq.get_ticket(_ticket_id(req)))
    timer = next((t for t in ticket.ticket_timers if t.id == body.get("timer_entry_id")), None)
    if timer is None:
        return Verdict(False, "The timer is no longer on the ticket.")
    same = (_same_time(timer.start_time, body.get("start_at")) and _same_time(timer.end_time, body.get("end_at"))
            and ("product_id" not in body or timer.product_id == body["product_id"]))
    return Verdict(same, "The timer has the new span." if same else "The timer still has its old span: the change did "
                   "not land.", (timer,) if same else ())


async def find_charge(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    timer_id = (req.body or {}).get("timer_entry_id")
    ticket = await client.execute(rq.get_ticket(_ticket_id(req)))
    timer = next((t for t in ticket.ticket_timers if t.id == timer_id), None)
    if timer is None:
        return Verdict(False, "The timer is no longer on the ticket.")
    # Syncro's own charge answer leaves ticket_line_item_id null: recorded is what says it was charged.
    if timer.recorded:
        return Verdict(True, "The timer is charged.", (timer,))
    return Verdict(False, "The timer is not charged: the charge did not land.")


async def find_line_item(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    body = req.body or {}
    ticket = await client.execute(rq.get_ticket(_ticket_id(req)))
    matches = [li for li in _new(ticket.line_items, req) if li.name == body.get("name") and li.description == body.get("description")
               and li.quantity == _dec(body.get("quantity", "1")) and li.price_retail == _dec(body.get("price_retail", "0"))
               and _recent(li.created_at, sent_at)]
    return _verdict(sorted(matches, key=lambda li: li.id), "line item")


async def find_line_update(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    body = req.body or {}
    ticket = await client.execute(rq.get_ticket(_ticket_id(req)))
    line = next((li for li in ticket.line_items if li.id == body.get("ticket_line_item_id")), None)
    if line is None:
        return Verdict(False, "The line item is no longer on the ticket.")
    wanted = {k: v for k, v in body.items() if k in ("price_retail", "quantity", "name", "description")}
    same = all((_dec(v) == getattr(line, k)) if k in ("price_retail", "quantity") else v == getattr(line, k) for k, v in wanted.items())
    return Verdict(same, "The line item has the new values." if same else "The line item still has its old values.", (line,) if same else ())


async def find_removed(kind: str, client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    body = req.body or {}
    ticket = await client.execute(rq.get_ticket(_ticket_id(req)))
    if kind == "timer":
        still = any(t.id == body.get("timer_entry_id") for t in ticket.ticket_timers)
    else:
        still = any(li.id == body.get("ticket_line_item_id") for li in ticket.line_items)
    return Verdict(not still, f"The {kind} is {'still' if still else 'no longer'} on the ticket.")


async def find_invoice(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    ticket = await client.execute(rq.get_ticket(int((req.body or {})["ticket_id"])))
    return _verdict(_new(await client.invoices_for_ticket(ticket, since=sent_at - SKEW), req), "invoice")


async def find_ticket_create(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    body = req.body or {}
    candidates = await client.all_tickets(customer_id=body.get("customer_id"), since_updated_at=sent_at - SKEW)
    matches = [t for t in _new(candidates, req) if t.subject == body.get("subject") and t.customer_id == body.get("customer_id")
               and _recent(t.created_at, sent_at)]
    return _verdict(sorted(matches, key=lambda t: t.id), "ticket")


async def find_ticket_update(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    ticket = await client.execute(rq.get_ticket(_ticket_id(req)))
    body = req.body or {}
    same = all(getattr(ticket, k, None) == v for k, v in body.items() if k in ("status", "priority", "user_id", "subject", "problem_type"))
    return Verdict(same, "The ticket has the new values." if same else "The ticket still has its old values: the change did not land.", (ticket,) if same else ())


async def _around(client: SyncroClient, req: ApiRequest[Any]) -> tuple[datetime, list[Any]]:
    """An appointment create's start, and every appointment from the day before it to the day after."""
    start = datetime.fromisoformat(str((req.body or {}).get("start_at")).replace("Z", "+00:00"))
    return start, await client.list_appointments(date_from=start.date() - timedelta(days=1),
                                                 date_to=start.date() + timedelta(days=1))


async def find_appointment_create(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    body = req.body or {}
    start, listed = await _around(client, req)
    # Another tech's appointment at the same time with the same summary is not ours: same ticket, same owner.
    matches = [a for a in _new(listed, req) if a.summary == body.get("summary") and a.start_at == start
               and a.ticket_id == body.get("ticket_id") and _owned(a, body.get("user_id") or owner)]
    return _verdict(sorted(matches, key=lambda a: a.id), "appointment")


async def find_appointment_update(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    appointment_id = int(req.path.rsplit("/", 1)[1])
    try:
        appt = await client.execute(rq.get_appointment(appointment_id))
    except NotFound:
        return Verdict(False, "The appointment is gone.")
    same = _same_time(appt.start_at, (req.body or {}).get("start_at"))
    return Verdict(same, "The appointment is at the new time." if same else "The appointment is still at its old time: the move did not land.", (appt,) if same else ())


async def find_appointment_delete(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    try:
        await client.execute(rq.get_appointment(int(req.path.rsplit("/", 1)[1])))
    except NotFound:
        return Verdict(True, "The appointment is no longer in the calendar.")
    return Verdict(False, "The appointment is still in the calendar: the cancel did not land.")


def _invoice_id(req: ApiRequest[Any]) -> int:
    return int(req.path.split("/")[2])


async def find_draft(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    """To draft, or published again: the invoice says which it is now (it was the other before the send)."""
    invoice = await client.execute(rq.get_invoice(_invoice_id(req)))
    wanted = req.call == "invoice_to_draft"
    if invoice.draft is wanted:
        return Verdict(True, f"Invoice #{invoice.number} is {'a draft' if wanted else 'published'}.", (invoice,))
    return Verdict(False, f"Invoice #{invoice.number} is {'not a draft' if wanted else 'still a draft'}: the call did "
                          "not land.")


async def find_invoice_line(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    invoice = await client.execute(rq.get_invoice(_invoice_id(req)))
    line_id = int(req.path.rsplit("/", 1)[1])
    line = next((li for li in invoice.line_items or [] if li.id == line_id), None)
    if line is None:
        return Verdict(False, f"Invoice #{invoice.number} no longer has line {line_id}.")
    same = line.price == _dec((req.body or {}).get("price"))
    return Verdict(same, f"The invoice's line is at {line.price}" + (", as sent." if same else ": the change did not land."),
                   (line,) if same else ())


async def _live(client: SyncroClient, owner: int | None, status: str, ticket_id: int | None = None) -> list[Any]:
    """The owner's live timers in ``status`` (a short list: running and paused timers are few)."""
    return (await client.execute(rq.live_timers(user_id=owner, ticket_id=ticket_id, status=status))).items


async def find_live_start(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    """A live timer started (or resumed: Syncro never makes a second): the owner's timer on the ticket runs."""
    ticket_id = (req.body or {}).get("ticket_id")
    running = [t for t in await _live(client, owner, "running", ticket_id) if t.ticket_id == ticket_id]
    return _verdict(running, "running timer")


async def find_live_move(client: SyncroClient, req: ApiRequest[Any], sent_at: datetime, owner: int | None) -> Verdict:
    """A move of a live timer: where it is among the owner's running and paused timers says whether it landed
    (stopped: in neither)."""
    timer_id = int(req.path.split("/")[2])
    wanted = {"start_timer": "running", "pause_timer": "paused", "stop_timer": "stopped"}[req.call]
    states = {t.id: status for status in ("running", "paused") for t in await _live(client, owner, status)}
    now = states.get(timer_id, "stopped")
    return Verdict(now == wanted, f"The timer is {now}" + ("." if now == wanted else ": the move did not land."))



async def comments_before(client: SyncroClient, req: ApiRequest[Any], now: datetime) -> tuple[int, ...]:
    return ids(await client.all_comments(_ticket_id(req)))


async def timers_before(client: SyncroClient, req: ApiRequest[Any], now: datetime) -> tuple[int, ...]:
    return ids((await client.execute(rq.get_ticket(_ticket_id(req)))).ticket_timers)


async def lines_before(client: SyncroClient, req: ApiRequest[Any], now: datetime) -> tuple[int, ...]:
    return ids((await client.execute(rq.get_ticket(_ticket_id(req)))).line_items)


async def invoices_before(client: SyncroClient, req: ApiRequest[Any], now: datetime) -> tuple[int, ...]:
    ticket = await client.execute(rq.get_ticket(int((req.body or {})["ticket_id"])))
    return ids(await client.invoices_for_ticket(ticket))


async def tickets_before(client: SyncroClient, req: ApiRequest[Any], now: datetime) -> tuple[int, ...]:
    """The customer's tickets updated lately (older ones are outside the read-back's window anyway)."""
    return ids(await client.all_tickets(customer_id=(req.body or {}).get("customer_id"), since_updated_at=now - SKEW))


async def appointments_before(client: SyncroClient, req: ApiRequest[Any], now: datetime) -> tuple[int, ...]:
    return ids((await _around(client, req))[1])
