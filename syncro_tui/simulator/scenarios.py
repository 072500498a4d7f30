"""Days played on the simulator: what a tech did, call by call through the store's own handlers.

``leaky_day`` is a day of Dana's with one of every leak the end-of-day sweep
finds and as many look-alikes that are not leaks (another tech's comment,
warranty work at $0.00, a prepaid block that makes an invoice $0.00, a visit
still ahead, a ticket billed in full). ``busy_day`` is a day of ``n`` touched
tickets, for the sweep's benchmark. Both run on the demo seed, on a day after
the seed's own (nothing of the seed was updated then), with the simulator's
clock a ``Moment`` the scenario moves through the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .shop import DEMO_KEY
from .store import Store

DANA = 1843
OTHER_KEY = "demo-key-marcus"
REMOTE, ONSITE, WARRANTY = 1190473, 26118, 1049360


@dataclass
class Moment:
    """A clock the scenario sets: the simulator built with ``clock=moment`` answers at ``moment.at``."""

    at: datetime

    def __call__(self) -> datetime:
        return self.at


class Day:
    """Plays a tech's day on the store: each call at a time of that day in the account's zone."""

    def __init__(self, store: Store, moment: Moment, day: date, tz: ZoneInfo) -> None:
        self.store, self.moment, self.day, self.tz = store, moment, day, tz

    def at(self, hour: int, minute: int = 0) -> datetime:
        self.moment.at = datetime.combine(self.day, time(hour, minute), tzinfo=self.tz)
        return self.moment.at

    def comment(self, ticket_id: int, text: str, *, key: str = DEMO_KEY) -> None:
        self.store.add_comment(ticket_id, {"subject": "Update", "body": text, "hidden": True}, key=key)

    def timer(self, ticket_id: int, minutes: int, product_id: int, *, charge: bool, zero: bool = False) -> int:
        end = self.moment.at
        made = self.store.add_timer(ticket_id, {"start_at": (end - timedelta(minutes=minutes)).isoformat(),
                                                "end_at": end.isoformat(), "product_id": product_id,
                                                "notes": "Work"}, key=DEMO_KEY)
        timer_id = int(made["id"] if "id" in made else made["timer_entry"]["id"])
        if charge:
            before = self.store.zero_price_rate
            self.store.zero_price_rate = 1.0 if zero else 0.0  # Syncro's 0.00 line, or a line at its price
            try:
                self.store.charge_timer(ticket_id, {"timer_entry_id": timer_id}, key=DEMO_KEY)
            finally:
                self.store.zero_price_rate = before
        return timer_id

    def invoice(self, ticket_id: int) -> dict[str, Any]:
        ticket = self.store.t("tickets")[ticket_id]
        made = self.store.create_invoice({"ticket_id": ticket_id, "customer_id": ticket["customer_id"]}, key=DEMO_KEY)
        self.status(ticket_id, "Invoiced")
        return made["invoice"]

    def status(self, ticket_id: int, status: str) -> None:
        self.store.update_ticket(ticket_id, {"status": status})

    def visit(self, ticket_id: int, start: datetime, minutes: int) -> None:
        self.store.create_appointment({"summary": "Onsite visit", "ticket_id": ticket_id, "user_id": DANA,
                                       "start_at": start.isoformat(),
                                       "end_at": (start + timedelta(minutes=minutes)).isoformat()}, key=DEMO_KEY)


def clean_tickets(store: Store, *, prepaid: bool = False, not_dana: bool = False) -> list[int]:
    """Open tickets with nothing billed on them yet (no timer, no line), of customers with (or without) a block."""
    timers = {t["ticket_id"] for t in store.t("timers").values()}
    lines = {li["ticket_id"] for li in store.t("line_items").values()}
    out = []
    for ticket in sorted(store.t("tickets").values(), key=lambda t: t["number"]):
        customer = store.t("customers").get(ticket["customer_id"]) or {}
        block = customer.get("prepay_hours") not in (None, "", "0.0", "0")
        if (ticket["status"] not in ("Resolved", "Invoiced", "Closed") and ticket["id"] not in timers
                and ticket["id"] not in lines and block == prepaid and (not not_dana or ticket.get("user_id") != DANA)):
            out.append(ticket["id"])
    return out


#: What ``leaky_day`` leaves, by label: the sweep must find exactly these, and none of ``NOT_LEAKS``. Two are the
#: app's to make, not Syncro's: the status change (the app's journal says who changed a status; Syncro's API does
#: not) and the work clock, so the scenario only picks their tickets.
LEAKS = ("comment only", "visit only", "resolved not invoiced", "timer not charged", "line at 0.00",
         "invoice at 0.00", "status changed", "work clock")
NOT_LEAKS = ("billed in full", "another tech's comment", "warranty at 0.00", "prepaid invoice at 0.00",
             "visit ahead")


def leaky_day(store: Store, moment: Moment, day: date, tz: ZoneInfo) -> dict[str, int]:
    """Dana's day with one of each leak and each look-alike; returns the ticket id of each, by label (the tickets
    of "status changed" and "work clock" are left for the app to change and to clock)."""
    plain, others, blocks = clean_tickets(store), clean_tickets(store, not_dana=True), clean_tickets(store, prepaid=True)
    labels = [label for label in LEAKS + NOT_LEAKS if label not in ("another tech's comment", "prepaid invoice at 0.00")]
    ids = dict(zip(labels, plain, strict=False))
    ids["another tech's comment"] = next(t for t in others if t not in ids.values())
    ids["prepaid invoice at 0.00"] = blocks[0]
    d = Day(store, moment, day, tz)
    d.at(8, 30)
    d.comment(ids["comment only"], "Looked at the event log; calling back after lunch.")
    d.visit(ids["visit only"], d.at(9), 90)
    d.at(11)
    d.timer(ids["resolved not invoiced"], 30, REMOTE, charge=True)
    d.status(ids["resolved not invoiced"], "Resolved")
    d.at(11, 45)
    d.timer(ids["timer not charged"], 45, REMOTE, charge=False)
    d.at(13)
    d.timer(ids["line at 0.00"], 60, ONSITE, charge=True, zero=True)
    d.at(14)
    d.timer(ids["invoice at 0.00"], 60, REMOTE, charge=True, zero=True)
    d.invoice(ids["invoice at 0.00"])
    d.at(15)
    d.timer(ids["billed in full"], 30, REMOTE, charge=True)
    d.invoice(ids["billed in full"])
    d.comment(ids["another tech's comment"], "Checked the backups.", key=OTHER_KEY)
    d.at(15, 30)
    d.timer(ids["warranty at 0.00"], 30, WARRANTY, charge=True)
    d.invoice(ids["warranty at 0.00"])
    d.at(16)
    d.timer(ids["prepaid invoice at 0.00"], 60, ONSITE, charge=True)
    d.invoice(ids["prepaid invoice at 0.00"])
    d.visit(ids["visit ahead"], d.at(16, 30) + timedelta(hours=3), 60)  # 19:30: not begun when the day is swept
    d.at(17)
    return ids


def busy_day(store: Store, moment: Moment, day: date, tz: ZoneInfo, n: int) -> list[int]:
    """``n`` tickets touched by Dana through the day: a comment on each, and every other one billed in full."""
    tickets = clean_tickets(store)[:n]
    if len(tickets) < n:
        raise ValueError(f"the seed has only {len(tickets)} tickets to touch")
    d = Day(store, moment, day, tz)
    for i, ticket_id in enumerate(tickets):
        d.at(8 + i * 9 // n, (i * 7) % 60)
        d.comment(ticket_id, "Worked on it.")
        if i % 2 == 0:
            d.timer(ticket_id, 30, REMOTE, charge=True)
            d.invoice(ticket_id)
    d.at(17, 30)
    return tickets
