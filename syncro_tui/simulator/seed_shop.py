"""The seeded shop before its tickets: its techs and their keys, its products and appointment types, its
business and individual customers with their contacts and assets (``Seeder`` goes on to the tickets)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from .catalogue import HARDWARE, LABOR, Product
from .shop import ALL_PERMISSIONS, CITIES, DEMO_KEY, FIRST, FRONT_DESK, LAST, SEED_NOW, STREETS, TECHS, TIME_ZONE
from .store import decimal_string, money, stamp


def slug(text: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else " " for ch in text)
    return "".join(keep.split())[:18] or "customer"


class ShopSeeder:
    """The account's tables, and the builders of everything but its tickets, from one random stream."""

    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.tz = ZoneInfo(TIME_ZONE)
        self.epoch = stamp(self.local(today - timedelta(days=400), 9))
        #: The seeded day's "now" (``SEED_NOW``): nothing is created or updated after it.
        self.now = datetime.combine(today, SEED_NOW, self.tz).astimezone(UTC)
        self.counters = {
            "ticket_id": 108_412_000, "ticket_number": 31_700, "comment_id": 541_000_000, "timer_id": 7_300_000,
            "line_item_id": 25_100_000, "invoice_id": 1_480_000_000, "invoice_number": 18_400,
            "invoice_line_id": 61_000_000, "appointment_id": 9_200_000, "customer_id": 30_010_000,
            "contact_id": 11_500_000, "asset_id": 6_700_000,
        }
        self.users: dict[str, Any] = {}
        self.keys: dict[str, Any] = {}
        self.products: dict[str, Any] = {}
        self.appointment_types: dict[str, Any] = {}
        self.customers: dict[str, Any] = {}
        self.contacts: dict[str, Any] = {}
        self.assets: dict[str, Any] = {}
        self.customer_contacts: dict[int, list[int]] = {}
        self.tickets: dict[str, Any] = {}
        self.comments: dict[str, Any] = {}
        self.timers: dict[str, Any] = {}
        self.line_items: dict[str, Any] = {}
        self.invoices: dict[str, Any] = {}
        self.appointments: dict[str, Any] = {}

    def local(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), self.tz).astimezone(UTC)

    def nid(self, name: str, gap: int = 1) -> int:
        self.counters[name] += gap
        return self.counters[name]

    def address(self) -> dict[str, str | None]:
        city, state, zipc = self.rng.choice(CITIES)
        return {"address": f"{self.rng.randint(100, 9899)} {self.rng.choice(STREETS)}",
                "address_2": self.rng.choice([None, None, "Suite 200"]), "city": city, "state": state, "zip": zipc}

    def phone(self) -> str:
        return f"217-555-{self.rng.randint(100, 9999):04d}"

    def add_techs(self) -> None:
        epoch = self.epoch
        for uid, name, short, color, admin in [*TECHS, FRONT_DESK]:
            self.users[str(uid)] = {
                "id": uid, "email": f"{short}@harborline-it.example", "full_name": name, "created_at": epoch,
                "updated_at": epoch, "group": "Admin" if admin else "Technician", "admin": admin, "color": color,
            }
        admin_permissions = {**ALL_PERMISSIONS, "ticket": {"read": True, "write": True, "delete": True},
                             "canned_response": {"manage": True}}
        self.keys[DEMO_KEY] = {"user_id": TECHS[0][0], "permissions": admin_permissions}
        for uid, _name, short, _c, admin in TECHS:
            self.keys[f"demo-key-{short}"] = {"user_id": uid,
                                              "permissions": admin_permissions if admin else ALL_PERMISSIONS}
        no_tickets = {**ALL_PERMISSIONS, "ticket": {"read": False, "write": False, "delete": False}}
        self.keys["demo-key-frontdesk"] = {"user_id": FRONT_DESK[0], "permissions": no_tickets}

    def add_products(self) -> None:
        for product in LABOR:
            self.products[str(product.id)] = self.product(product, quantity=0)
        for product in HARDWARE:
            self.products[str(product.id)] = self.product(product, quantity=self.rng.randint(0, 12))

    @staticmethod
    def product(product: Product, *, quantity: int) -> dict[str, Any]:
        stock = product.category == "Hardware"
        return {
            "id": product.id, "name": product.name, "description": product.name,
            "price_retail": money(product.price_retail), "price_cost": money(product.price_cost), "taxable": stock,
            "disabled": False, "product_category": product.category, "maintain_stock": stock,
            "quantity": quantity, "upc_code": None, "condition": "New", "warranty": None, "notes": None,
        }

    def add_appointment_types(self) -> None:
        epoch = self.epoch
        self.appointment_types.update({
            str(i): {"id": i, "account_id": 1, "name": n, "email_instructions": None, "location_type": lt,
                     "location_hard_code": None, "created_at": epoch, "updated_at": epoch, "buffer": None,
                     "appointment_reminders_schedule_id": None}
            for i, n, lt in [(4321, "In Shop", "shop"), (4322, "Onsite", "customer"), (4323, "Phone Call", "phone"),
                             (193053, "Reminder", "manual_entry"), (59289, "Remote", "manual_entry")]
        })

    def add_business(self, name: str, n_contacts: int, *, prepaid: bool) -> None:
        cid = self.nid("customer_id", self.rng.randint(3, 90))
        domain = slug(name) + ".example"
        owner_first, owner_last = self.rng.choice(FIRST), self.rng.choice(LAST)
        prepay: str | None
        if prepaid:
            prepay = decimal_string(Decimal(self.rng.choice([4, 6, 8, 10, 12, 20])) + Decimal(self.rng.choice(["0", "0.5", "0.25"])))
        else:
            prepay = self.rng.choice([None, "0.0"])
        created = stamp(self.local(self.today - timedelta(days=self.rng.randint(200, 1500)), 10))
        self.customers[str(cid)] = {
            "id": cid, "firstname": owner_first, "lastname": owner_last, "fullname": f"{owner_first} {owner_last}",
            "business_name": name, "email": f"office@{domain}", "phone": self.phone(), "mobile": None,
            "created_at": created, "updated_at": created, "pdf_url": None, **self.address(),
            "latitude": None, "longitude": None, "notes": None, "get_sms": False, "opt_out": False,
            "disabled": False, "no_email": False, "location_name": None, "location_id": None,
            # [quirk] custom customer fields, of the types the shop gave them (live accounts: ints and strings).
            "properties": {"Seats": 5 * n_contacts, "Contract tier": "Managed" if prepaid else "Break/fix",
                           "Onboarded": created[:10]},
            "online_profile_url": None, "tax_rate_id": None, "notification_email": None, "invoice_cc_emails": None,
            "invoice_term_id": None, "referred_by": None, "ref_customer_id": None, "prepay_hours": prepay,
        }
        self.customer_contacts[cid] = []
        for k in range(n_contacts):
            first, last = (owner_first, owner_last) if k == 0 else (self.rng.choice(FIRST), self.rng.choice(LAST))
            ctid = self.nid("contact_id", self.rng.randint(1, 40))
            self.contacts[str(ctid)] = {
                "id": ctid, "name": f"{first} {last}", "email": f"{first.lower()}.{last.lower()}@{domain}",
                "phone": self.phone(), "mobile": self.rng.choice([None, self.phone()]), "customer_id": cid, "account_id": 1,
                "notes": None, "created_at": created, "updated_at": created, "vendor_id": None,
                "properties": {"title": self.rng.choice(["Office Manager", "Owner", "Bookkeeper", "Front Desk", "Director"])},
                "opt_out": False, "extension": None, "address1": None, "address2": None, "city": None,
                "state": None, "zip": None, "latitude": None, "longitude": None,
            }
            self.customer_contacts[cid].append(ctid)
        for k in range(self.rng.randint(1, 6)):
            aid = self.nid("asset_id", self.rng.randint(1, 30))
            kind = self.rng.choice(["Desktop", "Laptop", "Server", "Firewall", "Printer"])
            prefix = {"Desktop": "DESKTOP", "Laptop": "LAPTOP", "Server": "SRV", "Firewall": "FW", "Printer": "PRN"}[kind]
            self.assets[str(aid)] = {
                "id": aid, "name": f"{prefix}-{slug(name)[:4].upper()}{k + 1:02d}", "customer_id": cid,
                "contact_id": None, "created_at": created, "updated_at": created,
                "properties": {}, "asset_type": kind, "asset_serial": f"SN{self.rng.randint(10**7, 10**8 - 1)}",
                "external_rmm_link": None,
            }

    def add_individual(self, person: str) -> None:
        cid = self.nid("customer_id", self.rng.randint(3, 90))
        first, _, last = person.partition(" ")
        email = f"{slug(first)}.{slug(last)}@mail.example"
        created = stamp(self.local(self.today - timedelta(days=self.rng.randint(100, 1200)), 11))
        self.customers[str(cid)] = {
            "id": cid, "firstname": first, "lastname": last, "fullname": person, "business_name": None,
            "email": email, "phone": self.phone(), "mobile": self.phone(), "created_at": created, "updated_at": created,
            "pdf_url": None, **self.address(), "latitude": None, "longitude": None, "notes": None, "get_sms": True,
            "opt_out": False, "disabled": False, "no_email": False, "location_name": None, "location_id": None,
            "properties": {}, "online_profile_url": None, "tax_rate_id": None, "notification_email": None,
            "invoice_cc_emails": None, "invoice_term_id": None, "referred_by": None, "ref_customer_id": None,
            "prepay_hours": None,
        }
        self.customer_contacts[cid] = []
