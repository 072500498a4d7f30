"""Seeded demo data: a small MSP on an ordinary day.

``generate(seed, today)`` is a pure function: the same seed and the same day
give the same data, byte for byte. The day matters because a demo should show
today's appointments and a queue of tickets from the last few weeks; tests pass
a fixed day.

Some customer text is hostile on purpose (Rich markup, ANSI escapes, control
characters), as real customer-typed text can be: the app must show it literally.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from syncro_tui.domain.rates import DEFAULT_RATES, Unit

from .store import decimal_string, money, stamp

TIME_ZONE = "America/Chicago"

STATUSES = [
    "New", "In Progress", "Waiting on Customer", "Waiting on Vendor", "Scheduled",
    "Customer Reply", "Resolved", "Invoiced", "Closed",
]
PROBLEM_TYPES = [
    "API", "Email", "Emergency Service", "File Services / Permissions", "Hardware", "Maintenance",
    "New User / M365 Account Creation", "New User / Workstation Deployment", "Not determined",
    "Onsite", "Other", "Phone/VOIP", "Remote", "Security", "Server Migration", "Service Request",
    "Software", "Website",
]
PRIORITIES = ["1 High", "2 Normal", "3 Low", "4 Urgent"]

ALL_PERMISSIONS = {
    "asset": {"read": True, "write": True, "delete": True},
    "customer": {"read": True, "write": True, "delete": False},
    "ticket": {"read": True, "write": True, "delete": False},
    "invoice": {"read": True, "write": True, "delete": False},
    "payment": {"read": True, "write": False, "delete": False},
    "worksheet": {"add": True, "manage": True, "delete": False},
    "script": {"execute": False},
}

TECHS = [
    (1843, "Dana Whitfield", "dana", "#2f80ed", True),
    (1851, "Marcus Bell", "marcus", "#27ae60", False),
    (2107, "Priya Natarajan", "priya", "#9b51e0", False),
    (2231, "Tom Okafor", "tom", "#f2994a", False),
]
FRONT_DESK = (2302, "Front Desk", "frontdesk", "#828282", False)

#: Demo API keys: one per tech, and one whose group lacks every ticket permission.
DEMO_KEY = "demo-key"

BUSINESSES = [
    ("Brightline Dental", 4), ("Cedar Ridge Veterinary", 3), ("Halvorsen & Pike CPAs", 3),
    ("Lakeshore Property Group", 2), ("Marigold Bakery", 1), ("Northgate Physical Therapy", 3),
    ("Oakhurst Law Office", 2), ("Prairie Wind Insurance", 3), ("Quarry Street Architects", 2),
    ("Redfern Logistics", 4), ("Silverleaf Senior Living", 3), ("Tamarack Auto Body", 2),
    ("Union Mill Brewing Co", 2), ("Valley Fresh Grocers", 3), ("Westbrook Family Medicine", 4),
    ("Yellowpine Realty", 2), ("Zenith Plumbing & Heating", 2), ("Anchor Bay Marina", 1),
    ("Bluestem Credit Union", 4), ("Copperline Electric", 2), ("Driftwood Montessori", 3),
    ("Elm & Ivy Interiors", 1), ("Foxglove Florist", 1), ("Granite Peak Engineering", 3),
    ("Heron Point Church", 2), ("Ironwood Machine Shop", 2), ("Juniper Hill Winery", 2),
    ("Kestrel Staffing", 3), ("Brackets [bold red]&[/] Braces Orthodontics", 2), ("Larkspur Chiropractic", 2),
]
INDIVIDUALS = [
    "Jerry Burger", "Alma Whitcomb", "Dev Patel", "Rosa Lindqvist", "Hank Mercer",
    "Sam [dim]O'Neil[/dim]", "Gloria Feng", "Otis Ramirez", "Nadia Kowalski", "Wes Thornbury",
]
FIRST = ["Jordan", "Casey", "Morgan", "Riley", "Taylor", "Avery", "Quinn", "Jamie", "Drew", "Reese",
         "Logan", "Harper", "Rowan", "Emerson", "Parker", "Sydney", "Blake", "Cameron", "Elliot", "Finley"]
LAST = ["Alvarez", "Brennan", "Castillo", "Dunn", "Eriksen", "Foster", "Gallagher", "Hughes", "Ibarra",
        "Jensen", "Kaplan", "Lowry", "Moreno", "Nakamura", "Olsen", "Pruitt", "Quintero", "Sorensen"]
STREETS = ["Main St", "Oak Ave", "Commerce Dr", "Lakeview Rd", "Industrial Pkwy", "Maple St", "2nd Ave", "River Rd"]
CITIES = [("Springfield", "IL", "62701"), ("Decatur", "IL", "62521"), ("Champaign", "IL", "61820"), ("Peoria", "IL", "61602")]

SUBJECTS = [
    ("Outlook keeps asking for password", "Email"),
    ("Printer offline on 2nd floor", "Hardware"),
    ("New hire laptop setup - {first} {last}", "New User / Workstation Deployment"),
    ("M365 account for new employee {first} {last}", "New User / M365 Account Creation"),
    ("VPN drops every 30 minutes", "Remote"),
    ("QuickBooks won't open company file", "Software"),
    ("Replace failing drive in NAS", "Hardware"),
    ("Phishing email reported by front desk", "Security"),
    ("Wi-Fi slow in conference room", "Onsite"),
    ("Server backup failed overnight", "Maintenance"),
    ("SSL certificate expiring on website", "Website"),
    ("Phones not ringing through to reception", "Phone/VOIP"),
    ("Own cloud thing again", "File Services / Permissions"),
    ("Shared drive permissions for accounting", "File Services / Permissions"),
    ("Monthly patching - workstations", "Maintenance"),
    ("Scanner to email stopped working", "Email"),
    ("Migrate file server to new host", "Server Migration"),
    ("Monitor flickering at desk 4", "Hardware"),
    ("Can't print PDFs from browser", "Software"),
    ("Website contact form not sending", "Website"),
    ("Firewall firmware update", "Security"),
    ("Email bouncing to one vendor", "Email"),
    ("Request: add user to Teams channel", "Service Request"),
    ("After-hours: server down, nobody can log in", "Emergency Service"),
    ("Error [red]0x80070005[/red] when saving to share", "File Services / Permissions"),
    ("Laptop battery swelling - {first}", "Hardware"),
    ("Password reset for {first}", "Service Request"),
    ("EHR integration API token expired", "API"),
    ("POS terminal won't connect", "Hardware"),
    ("Slow computer at front desk", "Remote"),
]

ISSUE_BODIES = [
    "{contact} called in: {subject_lc}. Started this morning, affects {count} users.",
    "Customer reports {subject_lc}. They tried restarting, no change.",
    "Email from {contact}: \"{subject}\". Please call back at the office number.",
    "{subject}. Screenshot attached in the email thread.",
]
UPDATE_BODIES = [
    "Remoted in and checked the event logs. Found the cause, applying the fix now.",
    "Ordered the replacement part, ETA two business days.<br>Will schedule install when it arrives.",
    "Called {contact}, left a voicemail to schedule a time.",
    "Applied updates and rebooted. Monitoring for the rest of the day.",
    "Reset the profile and rebuilt the mail cache. Working for the user now.",
]
CUSTOMER_REPLIES = [
    "Thanks! It seems to be working again this afternoon.",
    "Still happening for me, can someone take another look?",
    "Tuesday after 2pm works for us.",
    "We got the new part delivered today.",
]
INTERNAL_NOTES = [
    "Internal: customer is on the old firewall, quote a replacement at renewal.",
    "Internal: vendor case opened, ref in the shared mailbox.",
    "Internal: same issue as last month, consider a project ticket.",
]
RESOLUTIONS = [
    "Resolved: {subject_lc}. Root cause fixed and confirmed with {contact}.",
    "Issue resolved after update and reboot.<br>Customer confirmed everything is working.",
    "Replaced the faulty hardware and verified operation.",
]

HOSTILE_COMMENT = (
    "Customer pasted this from their screen:\x1b[31m ERROR \x1b[0m[bold]ALL CAPS[/bold]\x07\r\n"
    "\x1b]0;owned\x07then a line with [link=http://example.invalid]a link[/link]"
)

HARDWARE_PRODUCTS = [
    (880101, "Dell OptiPlex 7020 Desktop", Decimal("899.00"), Decimal("720.00")),
    (880102, "Ubiquiti U6 Pro Access Point", Decimal("189.00"), Decimal("149.00")),
    (880103, "Samsung 870 EVO 1TB SSD", Decimal("129.00"), Decimal("89.00")),
    (880104, "Website Hosting - Monthly Flat Fee", Decimal("25.00"), Decimal("0.00")),
]


#: The account's ticket types (``/tickets/settings``), and which problem types each seeded ticket gets.
TICKET_TYPES = [
    {"id": 9101, "name": "Break/Fix", "disabled": False},
    {"id": 9102, "name": "Project", "disabled": False},
    {"id": 9103, "name": "Onboarding", "disabled": False},
    {"id": 9104, "name": "Maintenance", "disabled": False},
    {"id": 9105, "name": "Legacy (do not use)", "disabled": True},
]
TYPE_OF_PROBLEM = {"Server Migration": 1, "Website": 1, "New User / M365 Account Creation": 2,
                   "New User / Workstation Deployment": 2, "Maintenance": 3}
WORKSHEET_TEMPLATES = [{"id": 4401, "name": "New workstation checklist"}, {"id": 4402, "name": "Onsite visit"}]
SLA = {"id": 71, "name": "Business 8x5"}
CONTRACT = {"id": 8801, "name": "Prepaid block hours"}


def sla_fields(*, business: bool, due: datetime, ceiling: datetime, open_: bool) -> dict[str, Any]:
    if not business:
        return {"sla_id": None, "sla_name": None, "sla_breached": False, "sla_breaching_soon": False}
    return {"sla_id": SLA["id"], "sla_name": SLA["name"], "sla_breached": open_ and due < ceiling,
            "sla_breaching_soon": open_ and ceiling <= due < ceiling + timedelta(hours=8)}


def slug(text: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else " " for ch in text)
    return "".join(keep.split())[:18] or "customer"


def generate(seed: int = 1, today: date | None = None) -> dict[str, Any]:
    """The demo account: about 40 customers, 300 tickets, 4 techs, as JSON-able data."""
    rng = random.Random(seed)
    today = today or datetime.now(ZoneInfo(TIME_ZONE)).date()
    tz = ZoneInfo(TIME_ZONE)

    def local(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tz).astimezone(UTC)

    epoch = stamp(local(today - timedelta(days=400), 9))
    counters = {
        "ticket_id": 108_412_000, "ticket_number": 31_700, "comment_id": 541_000_000, "timer_id": 7_300_000,
        "line_item_id": 25_100_000, "invoice_id": 1_480_000_000, "invoice_number": 18_400,
        "invoice_line_id": 61_000_000, "appointment_id": 9_200_000, "customer_id": 30_010_000,
        "contact_id": 11_500_000, "asset_id": 6_700_000,
    }

    def nid(name: str, gap: int = 1) -> int:
        counters[name] += gap
        return counters[name]

    users: dict[str, Any] = {}
    keys: dict[str, Any] = {}
    for uid, name, short, color, admin in [*TECHS, FRONT_DESK]:
        users[str(uid)] = {
            "id": uid, "email": f"{short}@harborline-it.example", "full_name": name, "created_at": epoch,
            "updated_at": epoch, "group": "Admin" if admin else "Technician", "admin": admin, "color": color,
        }
    admin_permissions = {**ALL_PERMISSIONS, "ticket": {"read": True, "write": True, "delete": True}}
    keys[DEMO_KEY] = {"user_id": TECHS[0][0], "permissions": admin_permissions}
    for uid, _name, short, _c, admin in TECHS:
        keys[f"demo-key-{short}"] = {"user_id": uid, "permissions": admin_permissions if admin else ALL_PERMISSIONS}
    no_tickets = {**ALL_PERMISSIONS, "ticket": {"read": False, "write": False, "delete": False}}
    keys["demo-key-frontdesk"] = {"user_id": FRONT_DESK[0], "permissions": no_tickets}

    products: dict[str, Any] = {}
    for rate in DEFAULT_RATES:
        products[str(rate.product_id)] = {
            "id": rate.product_id, "name": rate.name, "description": rate.name,
            "price_retail": money(rate.price_retail), "price_cost": 0, "taxable": False, "disabled": False,
            "product_category": "Labor" if rate.unit is Unit.HOUR else "Fees", "maintain_stock": False,
            "quantity": 0, "upc_code": None, "condition": "New", "warranty": None, "notes": None,
        }
    for pid, name, price, cost in HARDWARE_PRODUCTS:
        products[str(pid)] = {
            "id": pid, "name": name, "description": name, "price_retail": money(price), "price_cost": money(cost),
            "taxable": True, "disabled": False, "product_category": "Hardware", "maintain_stock": True,
            "quantity": rng.randint(0, 12), "upc_code": None, "condition": "New", "warranty": None, "notes": None,
        }

    appointment_types = {
        str(i): {"id": i, "account_id": 1, "name": n, "email_instructions": None, "location_type": lt,
                 "location_hard_code": None, "created_at": epoch, "updated_at": epoch, "buffer": None,
                 "appointment_reminders_schedule_id": None}
        for i, n, lt in [(4321, "In Shop", "shop"), (4322, "Onsite", "customer"), (4323, "Phone Call", "phone"),
                         (193053, "Reminder", "manual_entry"), (59289, "Remote", "manual_entry")]
    }

    customers: dict[str, Any] = {}
    contacts: dict[str, Any] = {}
    assets: dict[str, Any] = {}
    customer_contacts: dict[int, list[int]] = {}

    def make_address() -> dict[str, str | None]:
        city, state, zipc = rng.choice(CITIES)
        return {"address": f"{rng.randint(100, 9899)} {rng.choice(STREETS)}", "address_2": rng.choice([None, None, "Suite 200"]),
                "city": city, "state": state, "zip": zipc}

    def phone() -> str:
        return f"217-555-{rng.randint(100, 9999):04d}"

    prepaid_names = set(rng.sample([b for b, _ in BUSINESSES], 8))
    for name, n_contacts in BUSINESSES:
        cid = nid("customer_id", rng.randint(3, 90))
        domain = slug(name) + ".example"
        owner_first, owner_last = rng.choice(FIRST), rng.choice(LAST)
        prepay: str | None
        if name in prepaid_names:
            prepay = decimal_string(Decimal(rng.choice([4, 6, 8, 10, 12, 20])) + Decimal(rng.choice(["0", "0.5", "0.25"])))
        else:
            prepay = rng.choice([None, "0.0"])
        created = stamp(local(today - timedelta(days=rng.randint(200, 1500)), 10))
        customers[str(cid)] = {
            "id": cid, "firstname": owner_first, "lastname": owner_last, "fullname": f"{owner_first} {owner_last}",
            "business_name": name, "email": f"office@{domain}", "phone": phone(), "mobile": None,
            "created_at": created, "updated_at": created, "pdf_url": None, **make_address(),
            "latitude": None, "longitude": None, "notes": None, "get_sms": False, "opt_out": False,
            "disabled": False, "no_email": False, "location_name": None, "location_id": None,
            # [quirk] custom customer fields, of the types the shop gave them (live accounts: ints and strings).
            "properties": {"Seats": 5 * n_contacts, "Contract tier": "Managed" if name in prepaid_names else "Break/fix",
                           "Onboarded": created[:10]},
            "online_profile_url": None, "tax_rate_id": None, "notification_email": None, "invoice_cc_emails": None,
            "invoice_term_id": None, "referred_by": None, "ref_customer_id": None, "prepay_hours": prepay,
        }
        customer_contacts[cid] = []
        for k in range(n_contacts):
            first, last = (owner_first, owner_last) if k == 0 else (rng.choice(FIRST), rng.choice(LAST))
            ctid = nid("contact_id", rng.randint(1, 40))
            contacts[str(ctid)] = {
                "id": ctid, "name": f"{first} {last}", "email": f"{first.lower()}.{last.lower()}@{domain}",
                "phone": phone(), "mobile": rng.choice([None, phone()]), "customer_id": cid, "account_id": 1,
                "notes": None, "created_at": created, "updated_at": created, "vendor_id": None,
                "properties": {"title": rng.choice(["Office Manager", "Owner", "Bookkeeper", "Front Desk", "Director"])},
                "opt_out": False, "extension": None, "address1": None, "address2": None, "city": None,
                "state": None, "zip": None, "latitude": None, "longitude": None,
            }
            customer_contacts[cid].append(ctid)
        for k in range(rng.randint(1, 6)):
            aid = nid("asset_id", rng.randint(1, 30))
            kind = rng.choice(["Desktop", "Laptop", "Server", "Firewall", "Printer"])
            prefix = {"Desktop": "DESKTOP", "Laptop": "LAPTOP", "Server": "SRV", "Firewall": "FW", "Printer": "PRN"}[kind]
            assets[str(aid)] = {
                "id": aid, "name": f"{prefix}-{slug(name)[:4].upper()}{k + 1:02d}", "customer_id": cid,
                "contact_id": None, "created_at": created, "updated_at": created,
                "properties": {}, "asset_type": kind, "asset_serial": f"SN{rng.randint(10**7, 10**8 - 1)}",
                "external_rmm_link": None,
            }
    for person in INDIVIDUALS:
        cid = nid("customer_id", rng.randint(3, 90))
        first, _, last = person.partition(" ")
        email = f"{slug(first)}.{slug(last)}@mail.example"
        created = stamp(local(today - timedelta(days=rng.randint(100, 1200)), 11))
        customers[str(cid)] = {
            "id": cid, "firstname": first, "lastname": last, "fullname": person, "business_name": None,
            "email": email, "phone": phone(), "mobile": phone(), "created_at": created, "updated_at": created,
            "pdf_url": None, **make_address(), "latitude": None, "longitude": None, "notes": None, "get_sms": True,
            "opt_out": False, "disabled": False, "no_email": False, "location_name": None, "location_id": None,
            "properties": {}, "online_profile_url": None, "tax_rate_id": None, "notification_email": None,
            "invoice_cc_emails": None, "invoice_term_id": None, "referred_by": None, "ref_customer_id": None,
            "prepay_hours": None,
        }
        customer_contacts[cid] = []

    tickets: dict[str, Any] = {}
    comments: dict[str, Any] = {}
    timers: dict[str, Any] = {}
    line_items: dict[str, Any] = {}
    invoices: dict[str, Any] = {}
    appointments: dict[str, Any] = {}
    customer_ids = [int(k) for k in customers]
    tech_ids = [t[0] for t in TECHS]
    labor_products = [r for r in DEFAULT_RATES if r.unit is Unit.HOUR and r.price_retail > 0]

    def add_comment(ticket: dict[str, Any], when: datetime, subject: str, body: str, *, hidden: bool,
                    emailed: bool, tech_id: int | None, tech_name: str) -> None:
        cmid = nid("comment_id", rng.randint(1, 500))
        contact = contacts.get(str(ticket["contact_id"])) if ticket["contact_id"] else None
        customer = customers[str(ticket["customer_id"])]
        comments[str(cmid)] = {
            "id": cmid, "created_at": stamp(when), "updated_at": stamp(when), "ticket_id": ticket["id"],
            "subject": subject, "body": body, "tech": tech_name, "hidden": hidden, "user_id": tech_id,
            "destination_emails": ((contact or {}).get("email") or customer["email"]) if emailed else None,
            "is_rich_text": False,
        }

    n_tickets = 300
    for i in range(n_tickets):
        age_days = int(120 * ((n_tickets - i) / n_tickets) ** 1.5 * rng.uniform(0.9, 1.0))
        created_day = today - timedelta(days=age_days)
        while created_day.weekday() >= 5 and age_days > 0:
            created_day -= timedelta(days=1)
        created = local(created_day, rng.randint(7, 17), rng.choice([0, 5, 12, 20, 33, 41, 50]))
        if created_day == today:
            created = min(created, local(today, 9, 30))
        cid = rng.choice(customer_ids)
        customer = customers[str(cid)]
        contact_ids = customer_contacts[cid]
        contact_id = rng.choice(contact_ids) if contact_ids else None
        contact_name = contacts[str(contact_id)]["name"] if contact_id else customer["fullname"]
        template, problem = rng.choice(SUBJECTS)
        subject = template.format(first=rng.choice(FIRST), last=rng.choice(LAST))
        if age_days > 21:
            status = rng.choices(["Invoiced", "Resolved", "Closed", "Waiting on Vendor"], [55, 30, 12, 3])[0]
        elif age_days > 5:
            status = rng.choices(["Invoiced", "Resolved", "In Progress", "Waiting on Customer", "Waiting on Vendor", "Scheduled"],
                                 [25, 25, 18, 14, 8, 10])[0]
        else:
            status = rng.choices(["New", "In Progress", "Waiting on Customer", "Scheduled", "Customer Reply", "Resolved"],
                                 [30, 30, 12, 12, 8, 8])[0]
        priority = "4 Urgent" if problem == "Emergency Service" else rng.choices(PRIORITIES[:3], [15, 70, 15])[0]
        assigned = None if status == "New" and rng.random() < 0.45 else rng.choice(tech_ids)
        tid = nid("ticket_id", rng.randint(1, 3000))
        number = nid("ticket_number")
        tech_name = users[str(assigned)]["full_name"] if assigned else users[str(tech_ids[0])]["full_name"]
        due = local(created_day + timedelta(days=rng.choice([1, 2, 3, 5, 7])), 17)
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
            # [quirk] the SLA fields live accounts carry: business customers are on the 8x5 SLA.
            **sla_fields(business=bool(customer.get("business_name")), due=due, ceiling=local(today, 9, 45),
                         open_=status not in ("Resolved", "Invoiced", "Closed")),
        }
        tickets[str(tid)] = ticket
        moment = created
        body = rng.choice(ISSUE_BODIES).format(contact=contact_name, subject=subject, subject_lc=subject.lower(),
                                               count=rng.randint(1, 6))
        add_comment(ticket, moment, "Initial Issue", body, hidden=False, emailed=False, tech_id=assigned, tech_name=tech_name)
        if i == n_tickets - 7:
            moment += timedelta(minutes=20)
            add_comment(ticket, moment, "Customer Reply", HOSTILE_COMMENT, hidden=False, emailed=False, tech_id=None,
                        tech_name=contact_name)
        for _ in range(rng.choices([0, 1, 2, 3], [25, 40, 25, 10])[0]):
            moment += timedelta(hours=rng.randint(1, 30))
            kind = rng.choices(["update", "reply", "internal"], [55, 25, 20])[0]
            if kind == "update":
                add_comment(ticket, moment, "Update", rng.choice(UPDATE_BODIES).format(contact=contact_name),
                            hidden=False, emailed=rng.random() < 0.7, tech_id=assigned, tech_name=tech_name)
            elif kind == "reply":
                add_comment(ticket, moment, "Customer Reply", rng.choice(CUSTOMER_REPLIES), hidden=False,
                            emailed=False, tech_id=None, tech_name=contact_name)
            else:
                add_comment(ticket, moment, "Internal Note", rng.choice(INTERNAL_NOTES), hidden=True,
                            emailed=False, tech_id=assigned, tech_name=tech_name)
        done = status in ("Resolved", "Invoiced", "Closed")
        if done:
            moment += timedelta(hours=rng.randint(1, 48))
            add_comment(ticket, moment, "Resolution",
                        rng.choice(RESOLUTIONS).format(subject_lc=subject.lower(), contact=contact_name),
                        hidden=False, emailed=True, tech_id=assigned, tech_name=tech_name)
            ticket["resolved_at"] = stamp(moment)
        if done or (status == "In Progress" and rng.random() < 0.4):
            rate = rng.choice(labor_products if problem != "Emergency Service" else [r for r in DEFAULT_RATES if r.product_id == 26184])
            minutes = rng.choice([15, 30, 45, 60, 90, 120])
            start = moment - timedelta(minutes=minutes)
            tmid = nid("timer_id", rng.randint(1, 200))
            charged = done and status != "Closed"
            timer = {
                "id": tmid, "ticket_id": tid, "user_id": assigned or tech_ids[0], "start_time": stamp(start),
                "end_time": stamp(moment), "recorded": charged, "created_at": stamp(moment), "updated_at": stamp(moment),
                "billable": True, "notes": f"{subject}", "toggl_id": None, "product_id": rate.product_id,
                "comment_id": None, "ticket_line_item_id": None, "active_duration": minutes * 60,
                "billable_time": minutes * 60, "billable_override": None,
            }
            timers[str(tmid)] = timer
            if charged:
                quantity = Decimal(minutes) / Decimal(60)
                lid = nid("line_item_id", rng.randint(1, 300))
                line = {
                    "id": lid, "ticket_id": tid, "user_id": timer["user_id"], "product_id": rate.product_id,
                    "name": rate.name, "description": subject, "quantity": decimal_string(quantity),
                    "product_category": None, "upc_code": None, "taxable": False, "cost_cents": 0,
                    "retail_cents": int(rate.price_retail * 100), "created_at": stamp(moment),
                    "updated_at": stamp(moment), "converted": status == "Invoiced", "item_id": None, "position": 1,
                    "price_cost": 0, "price_retail": money(rate.price_retail), "invoice_id": None,
                }
                line_items[str(lid)] = line
                timer["ticket_line_item_id"] = lid
                if status == "Invoiced":
                    inv_id = nid("invoice_id", rng.randint(1, 50))
                    line["invoice_id"] = inv_id
                    total = (quantity * rate.price_retail).quantize(Decimal("0.01"))
                    applied = "0.0"
                    if customer.get("prepay_hours") not in (None, "0.0"):
                        applied, total = decimal_string(quantity), Decimal("0.00")
                    invoices[str(inv_id)] = {
                        "id": inv_id, "customer_id": cid, "customer_business_then_name": customer["business_name"] or customer["fullname"],
                        "number": str(nid("invoice_number")), "created_at": stamp(moment), "updated_at": stamp(moment),
                        "date": stamp(local(moment.astimezone(tz).date(), 0)),
                        "due_date": stamp(local(moment.astimezone(tz).date() + timedelta(days=30), 0)),
                        "subtotal": decimal_string(total), "total": decimal_string(total), "tax": "0.0",
                        "verified_paid": age_days > 45, "tech_marked_paid": False, "ticket_id": tid, "pdf_url": None,
                        "is_paid": age_days > 45, "location_id": None, "po_number": None, "contact_id": contact_id,
                        "note": None, "hardwarecost": None, "user_id": timer["user_id"], "category": "Standard",
                        "line_items": [{
                            "id": nid("invoice_line_id", rng.randint(1, 20)), "created_at": stamp(moment),
                            "updated_at": stamp(moment), "invoice_id": inv_id, "item": rate.name, "name": subject,
                            "cost": "0.0", "price": decimal_string(rate.price_retail), "quantity": decimal_string(quantity),
                            "product_id": rate.product_id, "taxable": False, "discount_percent": None, "position": 1,
                            "invoice_bundle_id": None, "discount_dollars": "0.0", "prepay_hours_applied": applied,
                        }],
                    }
        if status == "Customer Reply":
            moment += timedelta(hours=2)
            add_comment(ticket, moment, "Customer Reply", rng.choice(CUSTOMER_REPLIES), hidden=False, emailed=False,
                        tech_id=None, tech_name=contact_name)
        now_ceiling = local(today, 9, 45)
        ticket["updated_at"] = stamp(min(moment, max(now_ceiling, created)))

    # Appointments today and through the rest of the week, for open tickets.
    open_tickets = [t for t in tickets.values() if t["status"] in ("Scheduled", "In Progress", "New", "Waiting on Customer") and t["user_id"]]
    rng.shuffle(open_tickets)
    week_end = today + timedelta(days=(6 - today.weekday()) if today.weekday() < 5 else 7)
    days = [today] * 6 + [today + timedelta(days=d) for d in range(1, (week_end - today).days + 1) for _ in range(2)]
    for ticket, day in zip(sorted(open_tickets[:14], key=lambda t: t["id"]), days):
        start = local(day, rng.choice([8, 9, 10, 11, 13, 14, 15, 16]), rng.choice([0, 30]))
        type_id = rng.choice([4321, 4322, 4323, 59289])
        customer = customers[str(ticket["customer_id"])]
        apid = nid("appointment_id", rng.randint(1, 60))
        appointments[str(apid)] = {
            "id": apid, "summary": f"{customer['business_name'] or customer['fullname']} - {ticket['subject']}",
            "description": f"Ticket #{ticket['number']}", "customer_id": ticket["customer_id"], "ticket_id": ticket["id"],
            "user_id": ticket["user_id"], "user_ids": [ticket["user_id"]], "appointment_type_id": type_id,
            "created_at": ticket["created_at"], "updated_at": ticket["created_at"], "start_at": stamp(start),
            "end_at": stamp(start + timedelta(minutes=90)),
            "location": {4321: "In Shop", 4322: customer["address"], 4323: "Phone", 59289: "Remote"}[type_id],
            "all_day": False, "do_not_email": "1", "appointment_location_type": None,
        }

    account = {
        "name": "Harborline IT (demo)",
        "subdomain": "demo",
        "time_zone": TIME_ZONE,
        "ticket_statuses": STATUSES,
        "problem_types": PROBLEM_TYPES,
        "priorities": PRIORITIES,
        "default_labor_product_id": 1190473,
        "tax_rate": "0.0825",
        "prepaid_product_ids": [r.product_id for r in DEFAULT_RATES if r.debits_prepaid],
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
        "worksheet_templates": WORKSHEET_TEMPLATES,
    }
    return {
        "account": account, "keys": keys, "counters": counters, "users": users, "customers": customers,
        "contacts": contacts, "assets": assets, "products": products, "tickets": tickets, "comments": comments,
        "timers": timers, "line_items": line_items, "invoices": invoices, "appointments": appointments,
        "appointment_types": appointment_types,
    }
