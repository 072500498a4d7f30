"""Seeded demo data: a small MSP on an ordinary day.

``generate(seed, today)`` is a pure function: the same seed and the same day
give the same data, byte for byte. The day matters because a demo should show
today's appointments and a queue of tickets from the last few weeks; tests pass
a fixed day.

Some customer text is hostile on purpose (Rich markup, ANSI escapes, control
characters), as real customer-typed text can be: the app must show it literally.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from .catalogue import BILLED_LABOR, DEFAULT_LABOR, EMERGENCY, LABOR
from .seed_shop import ShopSeeder
from .store import SLA_SOON, decimal_string, money, stamp
from .shop import (BUSINESSES, CANNED_CATEGORIES, CANNED_RESPONSES, CONTRACT, CUSTOMER_REPLIES, FIRST, HOSTILE_COMMENT, INDIVIDUALS, INTERNAL_NOTES,
                   ISSUE_BODIES, LAST, PRIORITIES, PROBLEM_TYPES, RESOLUTIONS, SLA, STATUSES, SUBJECTS, TECH_IDS,
                   SEED_NOW, TICKET_TYPES, TIME_ZONE, TYPE_OF_PROBLEM, UPDATE_BODIES, WORKSHEET_TEMPLATES)


def sla_fields(*, business: bool, due: datetime, ceiling: datetime, open_: bool) -> dict[str, Any]:
    if not business:
        return {"sla_id": None, "sla_name": None, "sla_breached": False, "sla_breaching_soon": False}
    return {"sla_id": SLA["id"], "sla_name": SLA["name"], "sla_breached": open_ and due < ceiling,
            "sla_breaching_soon": open_ and ceiling <= due < ceiling + SLA_SOON}


def seed_day(now: datetime) -> date:
    """The day to seed at ``now``: today in the account's zone once its ``SEED_NOW`` has passed, else the day before.

    Syncro never lists a ticket updated after the moment it answers. Seeded for today before 9:45 there (a
    European morning is the small hours in Chicago), the queue's newest update would lie ahead of the clock,
    and every change made meanwhile, stamped now, would be older than it: a refresh asking for what changed
    since the newest update seen would never see them.
    """
    local = now.astimezone(ZoneInfo(TIME_ZONE))
    return local.date() if local.time() >= SEED_NOW else local.date() - timedelta(days=1)


def generate(seed: int = 1, today: date | None = None, *, open_tickets: int | None = None) -> dict[str, Any]:
    """The demo account: about 40 customers, 300 tickets, 4 techs, as JSON-able data.

    ``today``: the day seeded (``seed_day`` of now when not given). ``open_tickets``: a bigger shop's queue,
    the open tickets copied until there are that many.
    """
    seeder = Seeder(seed, today or seed_day(datetime.now(UTC)))
    data = seeder.build()
    if open_tickets is not None:
        seeder.grow_open(open_tickets)
    return data


class Seeder(ShopSeeder):
    """Builds the demo account table by table, each from one small builder, all from one random stream.

    The builders run in a fixed order and share ``rng``, so a seed and a day always give the same account.
    """

    TICKETS = 300

    def build(self) -> dict[str, Any]:
        self.add_techs()
        self.add_products()
        self.add_appointment_types()
        prepaid_names = set(self.rng.sample([b for b, _ in BUSINESSES], 8))
        for name, n_contacts in BUSINESSES:
            self.add_business(name, n_contacts, prepaid=name in prepaid_names)
        for person in INDIVIDUALS:
            self.add_individual(person)
        for i in range(self.TICKETS):
            self.add_ticket(i)
        self.add_appointments()
        return {
            "account": self.account(), "keys": self.keys, "counters": self.counters, "users": self.users,
            "customers": self.customers, "contacts": self.contacts, "assets": self.assets, "products": self.products,
            "tickets": self.tickets, "comments": self.comments, "timers": self.timers, "line_items": self.line_items,
            "invoices": self.invoices, "appointments": self.appointments, "appointment_types": self.appointment_types,
        }

    def grow_open(self, total: int) -> None:
        """Copy the open tickets (new ids and numbers) until ``total`` are open: a shop's queue at scale.

        Copies carry the ticket's fields, not its comments or time; each is older than the last by a minute
        (distinct update times, as on a real account: a shared newest time would come back with every delta).
        """
        closed = ("Resolved", "Invoiced", "Closed")
        originals = [t for t in self.tickets.values() if t["status"] not in closed]
        start = self.local(self.today - timedelta(days=30), 9)
        for i in range(max(total - len(originals), 0)):
            clone = copy.deepcopy(originals[i % len(originals)])
            clone["id"], clone["number"] = self.nid("ticket_id"), self.nid("ticket_number")
            clone["subject"] = f"{clone['subject']} ({i})"
            clone["created_at"] = clone["updated_at"] = stamp(start - timedelta(minutes=i))
            self.tickets[str(clone["id"])] = clone

    # ------------------------------------------------------------ tickets, their comments and time
    def add_comment(self, ticket: dict[str, Any], when: datetime, subject: str, body: str, *, hidden: bool,
                    emailed: bool, tech_id: int | None, tech_name: str) -> None:
        cmid = self.nid("comment_id", self.rng.randint(1, 500))
        contact = self.contacts.get(str(ticket["contact_id"])) if ticket["contact_id"] else None
        customer = self.customers[str(ticket["customer_id"])]
        self.comments[str(cmid)] = {
            "id": cmid, "created_at": stamp(when), "updated_at": stamp(when), "ticket_id": ticket["id"],
            "subject": subject, "body": body, "tech": tech_name, "hidden": hidden, "user_id": tech_id,
            "destination_emails": ((contact or {}).get("email") or customer["email"]) if emailed else None,
            "is_rich_text": False,
        }

    def add_ticket(self, i: int) -> None:
        """The i-th of the account's tickets, oldest first, with its comments, time, line and invoice."""
        age_days = int(120 * ((self.TICKETS - i) / self.TICKETS) ** 1.5 * self.rng.uniform(0.9, 1.0))
        created_day = self.today - timedelta(days=age_days)
        while created_day.weekday() >= 5 and age_days > 0:
            created_day -= timedelta(days=1)
        created = self.local(created_day, self.rng.randint(7, 17), self.rng.choice([0, 5, 12, 20, 33, 41, 50]))
        if created_day == self.today:
            created = min(created, self.local(self.today, 9, 30))
        cid = self.rng.choice([int(k) for k in self.customers])
        customer = self.customers[str(cid)]
        contact_ids = self.customer_contacts[cid]
        contact_id = self.rng.choice(contact_ids) if contact_ids else None
        contact_name = self.contacts[str(contact_id)]["name"] if contact_id else customer["fullname"]
        template, problem = self.rng.choice(SUBJECTS)
        subject = template.format(first=self.rng.choice(FIRST), last=self.rng.choice(LAST))
        if age_days > 21:
            status = self.rng.choices(["Invoiced", "Resolved", "Closed", "Waiting on Vendor"], [55, 30, 12, 3])[0]
        elif age_days > 5:
            status = self.rng.choices(["Invoiced", "Resolved", "In Progress", "Waiting on Customer", "Waiting on Vendor", "Scheduled"],
                                 [25, 25, 18, 14, 8, 10])[0]
        else:
            status = self.rng.choices(["New", "In Progress", "Waiting on Customer", "Scheduled", "Customer Reply", "Resolved"],
                                 [30, 30, 12, 12, 8, 8])[0]
        priority = "4 Urgent" if problem == "Emergency Service" else self.rng.choices(PRIORITIES[:3], [15, 70, 15])[0]
        assigned = None if status == "New" and self.rng.random() < 0.45 else self.rng.choice(TECH_IDS)
        tid = self.nid("ticket_id", self.rng.randint(1, 3000))
        number = self.nid("ticket_number")
        tech_name = self.users[str(assigned)]["full_name"] if assigned else self.users[str(TECH_IDS[0])]["full_name"]
        due = self.local(created_day + timedelta(days=self.rng.choice([1, 2, 3, 5, 7])), 17)
        ticket_type = TICKET_TYPES[TYPE_OF_PROBLEM.get(problem, 0)]
        contract = CONTRACT if customer.get("prepay_hours") not in (None, "0.0") else None
        ticket: dict[str, Any] = {
            "id": tid, "number": number, "subject": subject, "created_at": stamp(created), "updated_at": stamp(created),
            "customer_id": cid, "contact_id": contact_id, "status": status, "priority": priority,
            "problem_type": problem, "user_id": assigned,
            "due_date": stamp(due),
            "start_at": None, "end_at": None, "resolved_at": None, "address_id": None, "location_id": None,
            "customer_reply": status == "Customer Reply", "asset_ids": [], "tag_list": [], "properties": {},
            "billing_status": None, "ticket_type_id": ticket_type["id"], "ticket_type_name": ticket_type["name"],
            "pdf_url": None, "parent_id": None,
            "contract_id": contract["id"] if contract else None, "contract_name": contract["name"] if contract else None,
            # [quirk] the SLA fields live accounts carry: business self.customers are on the 8x5 SLA.
            **sla_fields(business=bool(customer.get("business_name")), due=due, ceiling=self.now,
                         open_=status not in ("Resolved", "Invoiced", "Closed")),
        }
        self.tickets[str(tid)] = ticket
        moment = created
        body = self.rng.choice(ISSUE_BODIES).format(contact=contact_name, subject=subject, subject_lc=subject.lower(),
                                               count=self.rng.randint(1, 6))
        self.add_comment(ticket, moment, "Initial Issue", body, hidden=False, emailed=False, tech_id=assigned, tech_name=tech_name)
        if i == self.TICKETS - 7:
            moment += timedelta(minutes=20)
            self.add_comment(ticket, moment, "Customer Reply", HOSTILE_COMMENT, hidden=False, emailed=False, tech_id=None,
                        tech_name=contact_name)
        for _ in range(self.rng.choices([0, 1, 2, 3], [25, 40, 25, 10])[0]):
            moment += timedelta(hours=self.rng.randint(1, 30))
            kind = self.rng.choices(["update", "reply", "internal"], [55, 25, 20])[0]
            if kind == "update":
                self.add_comment(ticket, moment, "Update", self.rng.choice(UPDATE_BODIES).format(contact=contact_name),
                            hidden=False, emailed=self.rng.random() < 0.7, tech_id=assigned, tech_name=tech_name)
            elif kind == "reply":
                self.add_comment(ticket, moment, "Customer Reply", self.rng.choice(CUSTOMER_REPLIES), hidden=False,
                            emailed=False, tech_id=None, tech_name=contact_name)
            else:
                self.add_comment(ticket, moment, "Internal Note", self.rng.choice(INTERNAL_NOTES), hidden=True,
                            emailed=False, tech_id=assigned, tech_name=tech_name)
        done = status in ("Resolved", "Invoiced", "Closed")
        if done:
            moment += timedelta(hours=self.rng.randint(1, 48))
            self.add_comment(ticket, moment, "Resolution",
                        self.rng.choice(RESOLUTIONS).format(subject_lc=subject.lower(), contact=contact_name),
                        hidden=False, emailed=True, tech_id=assigned, tech_name=tech_name)
            ticket["resolved_at"] = stamp(moment)
        if done or (status == "In Progress" and self.rng.random() < 0.4):
            self.add_time(ticket, customer, moment=moment, charged=done and status != "Closed", age_days=age_days)
        if status == "Customer Reply":
            moment += timedelta(hours=2)
            self.add_comment(ticket, moment, "Customer Reply", self.rng.choice(CUSTOMER_REPLIES), hidden=False, emailed=False,
                        tech_id=None, tech_name=contact_name)
        ticket["updated_at"] = stamp(min(moment, max(self.now, created)))

    def add_time(self, ticket: dict[str, Any], customer: dict[str, Any], *, moment: datetime, charged: bool,
                 age_days: int) -> None:
        """A timer on the ticket; charged, its line; invoiced, its invoice (paid from a prepaid block if any)."""
        rate = self.rng.choice(BILLED_LABOR if ticket["problem_type"] != "Emergency Service" else [p for p in LABOR if p.id == EMERGENCY])
        minutes = self.rng.choice([15, 30, 45, 60, 90, 120])
        start = moment - timedelta(minutes=minutes)
        tmid = self.nid("timer_id", self.rng.randint(1, 200))
        timer = {
            "id": tmid, "ticket_id": ticket["id"], "user_id": ticket["user_id"] or TECH_IDS[0], "start_time": stamp(start),
            "end_time": stamp(moment), "recorded": charged, "created_at": stamp(moment), "updated_at": stamp(moment),
            "billable": True, "notes": ticket["subject"], "toggl_id": None, "product_id": rate.id,
            "comment_id": None, "ticket_line_item_id": None, "active_duration": minutes * 60,
            "billable_time": minutes * 60, "billable_override": None, "status": "stopped",
        }
        self.timers[str(tmid)] = timer
        if charged:
            quantity = Decimal(minutes) / Decimal(60)
            lid = self.nid("line_item_id", self.rng.randint(1, 300))
            line = {
                "id": lid, "ticket_id": ticket["id"], "user_id": timer["user_id"], "product_id": rate.id,
                "name": rate.name, "description": ticket["subject"], "quantity": decimal_string(quantity),
                "product_category": None, "upc_code": None, "taxable": False, "cost_cents": 0,
                "retail_cents": int(rate.price_retail * 100), "created_at": stamp(moment),
                "updated_at": stamp(moment), "converted": ticket["status"] == "Invoiced", "item_id": None, "position": 1,
                "price_cost": 0, "price_retail": money(rate.price_retail), "invoice_id": None,
            }
            self.line_items[str(lid)] = line
            timer["ticket_line_item_id"] = lid
            if ticket["status"] == "Invoiced":
                inv_id = self.nid("invoice_id", self.rng.randint(1, 50))
                line["invoice_id"] = inv_id
                total = (quantity * rate.price_retail).quantize(Decimal("0.01"))
                applied = "0.0"
                if customer.get("prepay_hours") not in (None, "0.0"):
                    applied, total = decimal_string(quantity), Decimal("0.00")
                self.invoices[str(inv_id)] = {
                    "id": inv_id, "customer_id": customer["id"], "customer_business_then_name": customer["business_name"] or customer["fullname"],
                    "number": str(self.nid("invoice_number")), "created_at": stamp(moment), "updated_at": stamp(moment),
                    "date": stamp(self.local(moment.astimezone(self.tz).date(), 0)),
                    "due_date": stamp(self.local(moment.astimezone(self.tz).date() + timedelta(days=30), 0)),
                    "subtotal": decimal_string(total), "total": decimal_string(total), "tax": "0.0",
                    "verified_paid": age_days > 45, "tech_marked_paid": False, "ticket_id": ticket["id"], "pdf_url": None,
                    "is_paid": age_days > 45, "location_id": None, "po_number": None, "contact_id": ticket["contact_id"],
                    "note": None, "hardwarecost": None, "user_id": timer["user_id"], "category": "Standard",
                    "line_items": [{
                        "id": self.nid("invoice_line_id", self.rng.randint(1, 20)), "created_at": stamp(moment),
                        "updated_at": stamp(moment), "invoice_id": inv_id, "item": rate.name, "name": ticket["subject"],
                        "cost": "0.0", "price": decimal_string(rate.price_retail), "quantity": decimal_string(quantity),
                        "product_id": rate.id, "taxable": False, "discount_percent": None, "position": 1,
                        "invoice_bundle_id": None, "discount_dollars": "0.0", "prepay_hours_applied": applied,
                    }],
                }

    def add_appointments(self) -> None:
        """Appointments today and through the rest of the week, for open tickets."""
        open_tickets = [t for t in self.tickets.values() if t["status"] in ("Scheduled", "In Progress", "New", "Waiting on Customer") and t["user_id"]]
        self.rng.shuffle(open_tickets)
        week_end = self.today + timedelta(days=(6 - self.today.weekday()) if self.today.weekday() < 5 else 7)
        days = [self.today] * 6 + [self.today + timedelta(days=d) for d in range(1, (week_end - self.today).days + 1) for _ in range(2)]
        for ticket, day in zip(sorted(open_tickets[:14], key=lambda t: t["id"]), days):
            start = self.local(day, self.rng.choice([8, 9, 10, 11, 13, 14, 15, 16]), self.rng.choice([0, 30]))
            type_id = self.rng.choice([4321, 4322, 4323, 59289])
            customer = self.customers[str(ticket["customer_id"])]
            apid = self.nid("appointment_id", self.rng.randint(1, 60))
            self.appointments[str(apid)] = {
                "id": apid, "summary": f"{customer['business_name'] or customer['fullname']} - {ticket['subject']}",
                "description": f"Ticket #{ticket['number']}", "customer_id": ticket["customer_id"], "ticket_id": ticket["id"],
                "user_id": ticket["user_id"], "user_ids": [ticket["user_id"]], "appointment_type_id": type_id,
                "created_at": ticket["created_at"], "updated_at": ticket["created_at"], "start_at": stamp(start),
                "end_at": stamp(start + timedelta(minutes=90)),
                "location": {4321: "In Shop", 4322: customer["address"], 4323: "Phone", 59289: "Remote"}[type_id],
                "all_day": False, "do_not_email": "1", "appointment_location_type": None,
            }

    def account(self) -> dict[str, Any]:
        return {
            "name": "Harborline IT (demo)",
            "subdomain": "demo",
            "time_zone": TIME_ZONE,
            "ticket_statuses": STATUSES,
            "problem_types": PROBLEM_TYPES,
            "priorities": PRIORITIES,
            "default_labor_product_id": DEFAULT_LABOR,
            "tax_rate": "0.0825",
            "prepaid_product_ids": [p.id for p in LABOR if p.prepaid],
            "business_hours": [
                {"day": d, "start": "08:00", "end": "17:00", "closed": d in ("Saturday", "Sunday")}
                for d in ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
            ],
            "saved_searches": [
                {"id": 501, "name": "Waiting on vendor", "statuses": ["Waiting on Vendor"]},
                {"id": 502, "name": "Scheduled work", "statuses": ["Scheduled"]},
            ],
            "ticket_types": TICKET_TYPES,
            # A shop can refuse tickets without a type; the demo account does not (tests turn it on).
            "require_ticket_type": False,
            # Draft invoices (2026): an invoice can go back to draft, be corrected and be published again.
            # Accounts with them off answer those calls 404 (tests turn it off).
            "draft_invoices": True,
            # Live timers (2026): start, pause and stop a timer in Syncro. Some accounts "charge timers by default":
            # stopping one charges it (tests turn that on).
            "live_timers": True,
            "charge_timers_by_default": False,
            "worksheet_templates": WORKSHEET_TEMPLATES,
            "canned_responses": CANNED_RESPONSES,
            "canned_response_categories": CANNED_CATEGORIES,
        }
