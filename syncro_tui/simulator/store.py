"""The simulator's data and Syncro's behaviour over it, without HTTP.

Records are kept close to the JSON the real API returns, keyed by id. Each
public method is one Syncro call: it validates like Syncro (with Syncro's
error bodies), changes the data and returns the response body in Syncro's
shape for that call (wrapped or flat, see SYNCRO.md section 2). Quirks are
reproduced on purpose and marked ``[quirk]``.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

JSON = dict[str, Any]

PERMISSION_MESSAGE = "Not authorized. Please ask account admin to update your group permissions."
#: Statuses the "Not Closed" list filter leaves out. Whether real Syncro counts
#: Invoiced as closed is unverified; the app filters on its own open-status list too.
NOT_CLOSED_EXCLUDES = ("Resolved", "Invoiced", "Closed")


#: Site ids are derived from the customer id, so the seeded data need not change.
ADDRESS_ID_BASE = 700_000


class SimError(Exception):
    """A response Syncro gives instead of success (status, body as Syncro sends it)."""

    def __init__(self, status: int, body: JSON | str, content_type: str = "application/json") -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.content_type = content_type


def not_found() -> SimError:
    return SimError(404, {"message": "Not found"})


def stamp(moment: datetime) -> str:
    """Syncro's timestamp form: UTC with milliseconds and Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_time(value: Any) -> datetime | None:
    """Parse a timestamp or a plain date the way Rails is lenient about them."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def money(value: Decimal) -> float | int:
    """Dollars as Syncro's JSON shows them on line items (a number)."""
    q = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return int(q) if q == q.to_integral_value() else float(q)


def decimal_string(value: Decimal) -> str:
    """Quantities and invoice totals as Syncro sends them: a string like "1.0"."""
    text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"


def to_decimal(value: Any, default: Decimal | None = None) -> Decimal | None:
    if value is None or value == "":
        return default
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return default


def as_bool(value: Any) -> bool | None:
    """Rails' boolean casting: true/false, "1"/"0", "true"/"false"; None when not a boolean."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in ("true", "1", "t", "yes"):
        return True
    if isinstance(value, str) and value.lower() in ("false", "0", "f", "no"):
        return False
    return None


def as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class Store:
    """All of one simulated Syncro account, in memory."""

    TABLES = (
        "users", "customers", "contacts", "assets", "products", "tickets", "comments",
        "timers", "line_items", "invoices", "appointments", "appointment_types",
    )

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        clock: Callable[[], datetime] | None = None,
        zero_price_rate: float = 0.0,
        seed: int = 0,
    ) -> None:
        self.account: JSON = copy.deepcopy(dict(data["account"]))
        self.keys: dict[str, JSON] = copy.deepcopy(dict(data["keys"]))
        self.counters: dict[str, int] = dict(data["counters"])
        self.tables: dict[str, dict[int, JSON]] = {
            name: {int(k): copy.deepcopy(v) for k, v in data[name].items()} for name in self.TABLES
        }
        self.clock = clock or (lambda: datetime.now(UTC))
        #: [quirk] share of charge_timer_entry calls whose generated line item arrives at 0.00.
        self.zero_price_rate = zero_price_rate
        self.seed = seed

    # ----------------------------------------------------------------- persistence
    def dump(self) -> JSON:
        """The whole state as JSON-able data (sorted, so equal states dump equal)."""
        out: JSON = {"account": self.account, "keys": self.keys, "counters": self.counters}
        for name, table in self.tables.items():
            out[name] = {str(k): v for k, v in sorted(table.items())}
        return out

    def dumps(self) -> str:
        return json.dumps(self.dump(), sort_keys=True, indent=1)

    # -------------------------------------------------------------------- helpers
    def now(self) -> str:
        return stamp(self.clock())

    def next_id(self, counter: str) -> int:
        self.counters[counter] += 1
        return self.counters[counter]

    def t(self, name: str) -> dict[int, JSON]:
        return self.tables[name]

    def get(self, table: str, ident: Any) -> JSON:
        record = self.tables[table].get(as_int(ident) or -1)
        if record is None:
            raise not_found()
        return record

    def user_for_key(self, key: str) -> JSON | None:
        entry = self.keys.get(key)
        if entry is None:
            return None
        return {**self.t("users")[entry["user_id"]], "permissions": entry["permissions"]}

    def user_brief(self, user_id: int | None) -> JSON | None:
        user = self.t("users").get(user_id or -1)
        if user is None:
            return None
        return {k: user[k] for k in ("id", "email", "full_name", "created_at", "updated_at", "group", "admin", "color")}

    def touch_ticket(self, ticket: JSON) -> None:
        ticket["updated_at"] = self.now()

    def product_for(self, product_id: int | None) -> JSON | None:
        return self.t("products").get(product_id or -1)

    # -------------------------------------------------------------------- paging
    @staticmethod
    def paginate(items: list[JSON], params: Mapping[str, str], default_per_page: int = 25) -> tuple[list[JSON], JSON]:
        page = max(as_int(params.get("page")) or 1, 1)
        per_page = as_int(params.get("per_page")) or default_per_page
        per_page = min(max(per_page, 1), 100)
        total = len(items)
        total_pages = max((total + per_page - 1) // per_page, 1)
        start = (page - 1) * per_page
        # A page past the end is an empty list, not a 404.
        return items[start : start + per_page], {
            "total_pages": total_pages,
            "total_entries": total,
            "per_page": per_page,
            "page": page,
        }

    # ------------------------------------------------------------------ customers
    def customer_name(self, customer: JSON) -> str:
        return customer.get("business_name") or customer["fullname"]

    def render_customer(self, customer: JSON, *, with_contacts: bool) -> JSON:
        out = dict(customer)
        out["business_then_name"] = self.customer_name(customer)
        out["business_and_full_name"] = (
            f"{customer['business_name']} - {customer['fullname']}" if customer.get("business_name") else customer["fullname"]
        )
        if with_contacts:
            out["contacts"] = [c for c in self.t("contacts").values() if c["customer_id"] == customer["id"]]
            # The customer's sites (a ticket's address_id): here one, the customer's own address.
            out["addresses"] = [{"id": ADDRESS_ID_BASE + customer["id"], "name": "Main office",
                                 "address1": customer.get("address"), "address2": customer.get("address_2"),
                                 "city": customer.get("city"), "state": customer.get("state"), "zip": customer.get("zip")}]
        return out

    def list_customers(self, params: Mapping[str, str]) -> JSON:
        items = [c for c in self.t("customers").values() if not c.get("disabled")]
        query = (params.get("query") or params.get("business_name") or "").lower()
        if query:
            items = [
                c for c in items
                if query in self.customer_name(c).lower() or query in c["fullname"].lower() or query in (c.get("email") or "").lower()
            ]
        if params.get("email"):
            items = [c for c in items if (c.get("email") or "").lower() == params["email"].lower()]
        items.sort(key=lambda c: self.customer_name(c).lower())
        page, meta = self.paginate(items, params)
        return {"customers": [self.render_customer(c, with_contacts=False) for c in page], "meta": meta}

    def autocomplete_customers(self, params: Mapping[str, str]) -> JSON:
        query = (params.get("query") or "").lower()
        items = [
            c for c in self.t("customers").values()
            if query and (self.customer_name(c).lower().startswith(query) or query in self.customer_name(c).lower() or query in c["fullname"].lower())
        ]
        items.sort(key=lambda c: (not self.customer_name(c).lower().startswith(query), self.customer_name(c).lower()))
        return {"customers": [self.render_customer(c, with_contacts=False) for c in items[:25]]}

    def get_customer(self, customer_id: Any) -> JSON:
        return {"customer": self.render_customer(self.get("customers", customer_id), with_contacts=True)}

    def list_contacts(self, params: Mapping[str, str]) -> JSON:
        items = list(self.t("contacts").values())
        if params.get("customer_id"):
            items = [c for c in items if c["customer_id"] == as_int(params["customer_id"])]
        page, meta = self.paginate(items, params, default_per_page=50)
        return {"contacts": page, "meta": meta}

    def get_contact(self, contact_id: Any) -> JSON:
        return dict(self.get("contacts", contact_id))  # flat

    def list_assets(self, params: Mapping[str, str]) -> JSON:
        items = list(self.t("assets").values())
        if params.get("customer_id"):
            items = [a for a in items if a["customer_id"] == as_int(params["customer_id"])]
        query = (params.get("query") or "").lower()
        if query:
            items = [a for a in items if query in a["name"].lower() or query in (a.get("asset_serial") or "").lower()]
        page, meta = self.paginate(items, params)
        return {"assets": page, "meta": meta}

    # ------------------------------------------------------------------- products
    def list_products(self, params: Mapping[str, str]) -> JSON:
        items = list(self.t("products").values())
        query = (params.get("query") or params.get("name") or "").lower()
        if query:
            items = [p for p in items if query in p["name"].lower()]
        page, meta = self.paginate(items, params)
        return {"products": page, "meta": meta}

    def get_product(self, product_id: Any) -> JSON:
        return {"product": dict(self.get("products", product_id))}

    # ---------------------------------------------------------------------- users
    def me(self, key: str) -> JSON:
        user = self.user_for_key(key)
        assert user is not None  # auth has already run
        return {
            "user_token": "redacted-by-simulator",
            "user_email": user["email"],
            "user_name": user["full_name"],
            "user_id": user["id"],
            "admin": user["admin"],
            "can_use_app": True,
            "two_factor_required": False,
            "subdomain": self.account["subdomain"],
            "default_location": None,
            "enable_multi_locations": False,
            "locations_allowed": [],
            "permissions": user["permissions"],
        }

    def list_users(self) -> JSON:
        return {"users": [[u["id"], u["full_name"]] for u in self.t("users").values()]}

    def ticket_settings(self) -> JSON:
        return {
            "ticket_status_list": list(self.account["ticket_statuses"]),
            "default_labor_product_id": self.account["default_labor_product_id"],
            "ticket_timer_charge_by_default": None,
            "saved_searches": copy.deepcopy(self.account.get("saved_searches", [])),
            "ticket_types": copy.deepcopy(self.account.get("ticket_types", [])),
            "ticket_type_fields": [],
            "ticket_type_field_answers": [],
            "appointment_types": [{"id": a["id"], "name": a["name"]} for a in self.t("appointment_types").values()],
            "users": [{"id": u["id"], "name": u["full_name"]} for u in self.t("users").values()],
            "dashboard_settings": None,
            "worksheet_templates": copy.deepcopy(self.account.get("worksheet_templates", [])),
            # [quirk] null, not false, on accounts that never set it.
            "require_ticket_type": self.account.get("require_ticket_type") or None,
            "require_intake_form_with_ticket": self.account.get("require_intake_form_with_ticket") or None,
            "require_outtake_form_with_ticket": None,
            "ticket_workflow_default_id": None,
        }

    def settings(self) -> JSON:
        return {
            "customers": {"required_fields": None, "customer_fields": [], "customer_field_answers": []},
            "assets": {"asset_types": [], "asset_type_fields": [], "asset_type_field_answers": []},
            "locale": {
                "iso_code": "en",
                "currency_symbol": "$",
                "date_format": "mm-dd-yy",
                "time_format": "hh:mm tt",
                "time_zone": self.account["time_zone"],
            },
            "ticket": {
                "ticket_types": [t["name"] for t in self.account.get("ticket_types", []) if not t.get("disabled")],
                "problem_types": list(self.account["problem_types"]),
                "priorities": list(self.account["priorities"]),
            },
            "business_hours_enabled": True,
            "business_hours": copy.deepcopy(self.account["business_hours"]),
        }

    # -------------------------------------------------------------------- tickets
    def ticket_summary_fields(self, ticket: JSON) -> JSON:
        customer = self.t("customers").get(ticket["customer_id"])
        contact = self.t("contacts").get(ticket.get("contact_id") or -1)
        out = dict(ticket)
        out["customer_business_then_name"] = self.customer_name(customer) if customer else None
        out["contact_fullname"] = contact["name"] if contact else None
        out["user"] = self.user_brief(ticket.get("user_id"))
        return out

    def render_ticket_list_item(self, ticket: JSON) -> JSON:
        out = self.ticket_summary_fields(ticket)
        out["comments"] = []  # all_comments defaults to false since March 2026
        return out

    def ticket_comments(self, ticket_id: int) -> list[JSON]:
        return sorted(
            (c for c in self.t("comments").values() if c["ticket_id"] == ticket_id),
            key=lambda c: (c["created_at"], c["id"]),
        )

    def render_ticket_detail(self, ticket: JSON) -> JSON:
        out = self.ticket_summary_fields(ticket)
        for list_only in ("customer_reply", "contact_fullname", "ticket_type_name"):
            out.pop(list_only, None)
        kind = self.ticket_type(ticket.get("ticket_type_id"))
        out["ticket_type"] = {**kind, "account_id": 1, "ticket_fields": []} if kind else None
        tid = ticket["id"]
        customer = self.t("customers").get(ticket["customer_id"])
        out["customer"] = self.render_customer(customer, with_contacts=True) if customer else None
        out["contact"] = self.t("contacts").get(ticket.get("contact_id") or -1)
        out["comments"] = [self.render_comment(c) for c in self.ticket_comments(tid)]
        out["line_items"] = [li for li in self.t("line_items").values() if li["ticket_id"] == tid]
        out["ticket_timers"] = [tm for tm in self.t("timers").values() if tm["ticket_id"] == tid]
        out["appointments"] = [self.render_appointment(a, nested=False) for a in self.t("appointments").values() if a.get("ticket_id") == tid]
        out["assets"] = [a for a in self.t("assets").values() if a["id"] in (ticket.get("asset_ids") or [])]
        out["attachments"] = []
        out["worksheet_results"] = []
        return out

    def find_ticket(self, ticket_id: Any) -> JSON:
        return self.get("tickets", ticket_id)

    def ticket_type(self, type_id: Any) -> JSON | None:
        return next((dict(t) for t in self.account.get("ticket_types", []) if t["id"] == as_int(type_id)), None)

    def list_tickets(self, params: Mapping[str, str], *, key: str) -> JSON:
        items = list(self.t("tickets").values())
        status = params.get("status")
        if status:
            if status.lower() == "not closed":
                items = [t for t in items if t["status"] not in NOT_CLOSED_EXCLUDES]
            else:
                items = [t for t in items if t["status"].lower() == status.lower()]
        if params.get("number"):
            items = [t for t in items if str(t["number"]) == params["number"].strip().lstrip("#")]
        if params.get("customer_id"):
            items = [t for t in items if t["customer_id"] == as_int(params["customer_id"])]
        if params.get("contact_id"):
            items = [t for t in items if t.get("contact_id") == as_int(params["contact_id"])]
        if params.get("user_id"):
            items = [t for t in items if t.get("user_id") == as_int(params["user_id"])]
        if as_bool(params.get("mine")):
            owner = self.keys[key]["user_id"]
            items = [t for t in items if t.get("user_id") == owner]
        since = parse_time(params.get("since_updated_at"))
        if since is not None:
            items = [t for t in items if parse_time(t["updated_at"]) >= since]  # type: ignore[operator]
        for name, field in (("created_after", "created_at"), ("resolved_after", "resolved_at")):
            after = parse_time(params.get(name))
            if after is not None:
                items = [t for t in items if t.get(field) and parse_time(t[field]) >= after]  # type: ignore[operator]
        query = (params.get("query") or "").strip().lower()
        if query:
            def matches(t: JSON) -> bool:
                customer = self.t("customers").get(t["customer_id"])
                hay = " ".join([str(t["number"]), t["subject"], self.customer_name(customer) if customer else ""]).lower()
                return query in hay
            items = [t for t in items if matches(t)]
        search_id = as_int(params.get("ticket_search_id"))
        if search_id is not None:
            search = next((s for s in self.account.get("saved_searches", []) if s["id"] == search_id), None)
            if search is None:
                raise not_found()
            statuses = search.get("statuses") or []
            items = [t for t in items if not statuses or t["status"] in statuses]
        items.sort(key=lambda t: t["number"], reverse=True)
        page, meta = self.paginate(items, params)
        return {"tickets": [self.render_ticket_list_item(t) for t in page], "meta": {"total_pages": meta["total_pages"], "page": meta["page"]}}

    def get_ticket(self, ticket_id: Any) -> JSON:
        return {"ticket": self.render_ticket_detail(self.find_ticket(ticket_id))}

    TICKET_FIELDS = (
        "subject", "problem_type", "status", "priority", "user_id", "due_date", "contact_id", "address_id",
        "start_at", "end_at", "location_id", "customer_reply", "tag_list", "properties", "ticket_type_id",
    )

    def _validate_ticket_type(self, body: JSON, *, creating: bool) -> None:
        given = body.get("ticket_type_id")
        if given in (None, ""):
            if creating and self.account.get("require_ticket_type"):
                # [quirk] a shop that requires a ticket type refuses a ticket without one.
                raise SimError(422, {"success": False, "message": ["Ticket type can't be blank"]})
            return
        kind = self.ticket_type(given)
        if kind is None or kind.get("disabled"):
            raise SimError(422, {"success": False, "message": ["Ticket type must exist"]})

    def _validate_ticket_fields(self, body: JSON) -> None:
        if "status" in body and body["status"] not in self.account["ticket_statuses"]:
            # [quirk] a bare Rails errors hash
            raise SimError(422, {"status": ["is not included in the list"]})
        if "user_id" in body and body["user_id"] not in (None, "") and as_int(body["user_id"]) not in self.t("users"):
            raise SimError(422, {"success": False, "message": ["User must exist"]})
        if "subject" in body and not str(body.get("subject") or "").strip():
            raise SimError(422, {"success": False, "message": ["Subject can't be blank"]})

    def create_ticket(self, body: JSON, *, key: str) -> JSON:
        customer = self.t("customers").get(as_int(body.get("customer_id")) or -1)
        if customer is None:
            raise SimError(422, {"error": "Customer required field"})
        if not str(body.get("subject") or "").strip():
            raise SimError(422, {"success": False, "message": ["Subject can't be blank"]})
        self._validate_ticket_fields(body)
        self._validate_ticket_type(body, creating=True)
        kind = self.ticket_type(body.get("ticket_type_id"))
        now = self.now()
        tid = self.next_id("ticket_id")
        ticket: JSON = {
            "id": tid,
            "number": self.next_id("ticket_number"),
            "subject": str(body["subject"]),
            "created_at": now,
            "updated_at": now,
            "customer_id": customer["id"],
            "contact_id": as_int(body.get("contact_id")),
            "status": body.get("status") or "New",
            "priority": body.get("priority") or "2 Normal",
            "problem_type": body.get("problem_type") or "Not determined",
            "user_id": as_int(body.get("user_id")),
            "due_date": body.get("due_date"),
            "start_at": body.get("start_at"),
            "end_at": body.get("end_at"),
            "resolved_at": None,
            "address_id": as_int(body.get("address_id")),
            "location_id": None,
            "customer_reply": False,
            "asset_ids": [as_int(a) for a in body.get("asset_ids") or [] if as_int(a) is not None],
            "tag_list": list(body.get("tag_list") or []),
            "properties": dict(body.get("properties") or {}),
            "billing_status": None,
            "ticket_type_id": kind["id"] if kind else None,
            "ticket_type_name": kind["name"] if kind else None,
            "pdf_url": None,
            "parent_id": None,
            "contract_id": None,
            "contract_name": None,
            "sla_id": None,
            "sla_name": None,
            "sla_breached": False,
            "sla_breaching_soon": False,
        }
        self.t("tickets")[tid] = ticket
        for attrs in body.get("comments_attributes") or []:
            self._insert_comment(ticket, attrs, key=key)
        return {"ticket": self.render_ticket_detail(ticket)}

    def update_ticket(self, ticket_id: Any, body: JSON) -> JSON:
        ticket = self.find_ticket(ticket_id)
        self._validate_ticket_fields(body)
        self._validate_ticket_type(body, creating=False)
        for field in self.TICKET_FIELDS:
            if field in body:
                value = body[field]
                if field in ("user_id", "contact_id", "address_id", "location_id", "ticket_type_id"):
                    value = as_int(value)
                if field == "customer_reply":
                    value = bool(as_bool(value))
                ticket[field] = value
        if "ticket_type_id" in body:
            ticket["ticket_type_name"] = (self.ticket_type(ticket["ticket_type_id"]) or {}).get("name")
        if "status" in body:
            ticket["resolved_at"] = self.now() if body["status"] in NOT_CLOSED_EXCLUDES else ticket.get("resolved_at")
        self.touch_ticket(ticket)
        return {"ticket": self.render_ticket_detail(ticket)}

    def delete_ticket(self, ticket_id: Any) -> JSON:
        ticket = self.find_ticket(ticket_id)
        del self.t("tickets")[ticket["id"]]
        return {"message": "Ticket was successfully deleted. "}

    # ------------------------------------------------------------------- comments
    def render_comment(self, comment: JSON) -> JSON:
        out = dict(comment)
        out.setdefault("is_rich_text", False)
        out["user"] = self.user_brief(comment.get("user_id")) or {}
        return out

    def list_comments(self, ticket_id: Any, params: Mapping[str, str]) -> JSON:
        ticket = self.find_ticket(ticket_id)
        items = self.ticket_comments(ticket["id"])
        if (params.get("sort_direction") or "ASC").upper() == "DESC":
            items.reverse()
        page, meta = self.paginate(items, params, default_per_page=10)
        return {
            "comments": [self.render_comment(c) for c in page],
            "meta": {"total_pages": meta["total_pages"], "page": meta["page"], "per_page": meta["per_page"]},
        }

    def _insert_comment(self, ticket: JSON, body: JSON, *, key: str) -> JSON:
        missing = []
        if not str(body.get("body") or "").strip():
            missing.append("Body can't be blank")
        if not str(body.get("subject") or "").strip():
            missing.append("Subject can't be blank")
        if missing:
            raise SimError(422, {"success": False, "message": missing})
        owner = self.t("users")[self.keys[key]["user_id"]]
        hidden = bool(as_bool(body.get("hidden")))
        do_not_email = bool(as_bool(body.get("do_not_email")))
        destination = None
        if not hidden and not do_not_email:
            contact = self.t("contacts").get(ticket.get("contact_id") or -1)
            customer = self.t("customers").get(ticket["customer_id"]) or {}
            destination = (contact or {}).get("email") or customer.get("email")
        now = self.now()
        comment = {
            "id": self.next_id("comment_id"),
            "created_at": now,
            "updated_at": now,
            "ticket_id": ticket["id"],
            "subject": str(body["subject"]),
            "body": str(body["body"]),
            "tech": str(body.get("tech") or owner["full_name"]),
            "hidden": hidden,
            "user_id": owner["id"],
            "destination_emails": destination,
            "is_rich_text": False,
        }
        # [quirk] product_id, minutes_spent and bill_time_now are accepted and silently dropped;
        # do_not_email is write-only and is not returned.
        self.t("comments")[comment["id"]] = comment
        self.touch_ticket(ticket)
        return comment

    def add_comment(self, ticket_id: Any, body: JSON, *, key: str) -> JSON:
        ticket = self.find_ticket(ticket_id)
        # [quirk] a comment wrapped as {"comment": {...}} has no top-level body: 422 "Body can't be blank".
        return {"comment": self.render_comment(self._insert_comment(ticket, body, key=key))}

    # --------------------------------------------------------------------- timers
    def _timer_interval(self, body: JSON, *, existing: JSON | None = None) -> tuple[datetime, datetime]:
        start = parse_time(body.get("start_at")) if "start_at" in body else (parse_time(existing["start_time"]) if existing else None)
        if start is None:
            # [quirk] the spec's example 422 for a timer without start_at is a raw Ruby exception.
            raise SimError(422, {"error": "no implicit conversion of nil into String"})
        if "end_at" in body and body["end_at"]:
            end = parse_time(body["end_at"])
            if end is None:
                raise SimError(422, {"error": "End at is invalid"})
        elif body.get("duration_minutes") not in (None, ""):
            minutes = to_decimal(body["duration_minutes"])
            if minutes is None:
                raise SimError(422, {"error": "Duration minutes is invalid"})
            end = start + timedelta(minutes=float(minutes))
        elif existing:
            end = parse_time(existing["end_time"])  # type: ignore[assignment]
        else:
            end = self.clock()
        if end < start:
            raise SimError(422, {"success": False, "message": ["End time must be after start time"]})
        return start, end

    def add_timer(self, ticket_id: Any, body: JSON, *, key: str) -> JSON:
        ticket = self.find_ticket(ticket_id)
        if "billable" in body and as_bool(body["billable"]) is None:
            raise SimError(422, {"errors": ["billable must be true or false"]})
        # [quirk] billable: false is ignored: the timer is billable (no-charge work takes the warranty product).
        billable = True
        start, end = self._timer_interval(body)
        product_id = as_int(body.get("product_id")) or self.account["default_labor_product_id"]
        if self.product_for(product_id) is None:
            raise SimError(422, {"success": False, "message": ["Product must exist"]})
        now = self.now()
        seconds = int((end - start).total_seconds())
        timer = {
            "id": self.next_id("timer_id"),
            "ticket_id": ticket["id"],
            "user_id": as_int(body.get("user_id")) or self.keys[key]["user_id"],
            "start_time": stamp(start),
            "end_time": stamp(end),
            "recorded": False,
            "created_at": now,
            "updated_at": now,
            "billable": billable,
            "notes": body.get("notes"),
            "toggl_id": None,
            "product_id": product_id,
            "comment_id": None,
            "ticket_line_item_id": None,
            "active_duration": seconds,
            "billable_time": seconds,
            "billable_override": None,
        }
        self.t("timers")[timer["id"]] = timer
        self.touch_ticket(ticket)
        return dict(timer)  # flat

    def _ticket_timer(self, ticket: JSON, body: JSON) -> JSON:
        timer = self.t("timers").get(as_int(body.get("timer_entry_id")) or -1)
        if timer is None or timer["ticket_id"] != ticket["id"]:
            raise not_found()
        return timer

    def update_timer(self, ticket_id: Any, body: JSON) -> JSON:
        ticket = self.find_ticket(ticket_id)
        timer = self._ticket_timer(ticket, body)
        if "start_at" in body or "end_at" in body:
            # [quirk] duration_minutes on update is accepted but does not change the interval.
            start, end = self._timer_interval({k: v for k, v in body.items() if k != "duration_minutes"}, existing=timer)
            timer["start_time"], timer["end_time"] = stamp(start), stamp(end)
            timer["billable_time"] = int((end - start).total_seconds())
        for field in ("notes", "user_id", "product_id"):
            if field in body:
                timer[field] = as_int(body[field]) if field != "notes" else body[field]
        # [quirk] live accounts answer (and keep) active_duration null after an update.
        timer["active_duration"] = None
        timer["updated_at"] = self.now()
        self.touch_ticket(ticket)
        return dict(timer)

    def delete_timer(self, ticket_id: Any, body: JSON) -> JSON:
        ticket = self.find_ticket(ticket_id)
        timer = self._ticket_timer(ticket, body)
        del self.t("timers")[timer["id"]]
        self.touch_ticket(ticket)
        return {"success": True}

    def zero_price_for(self, timer_id: int) -> bool:
        """[quirk] whether charging this timer yields a 0.00 line: deterministic for the seed."""
        if self.zero_price_rate <= 0:
            return False
        return random.Random(f"{self.seed}:charge:{timer_id}").random() < self.zero_price_rate

    def charge_timer(self, ticket_id: Any, body: JSON, *, key: str) -> JSON:
        ticket = self.find_ticket(ticket_id)
        timer = self._ticket_timer(ticket, body)
        # [quirk] any product_id in the body is ignored: the timer's own product is charged.
        product = self.product_for(timer["product_id"]) or {}
        seconds = (parse_time(timer["end_time"]) - parse_time(timer["start_time"])).total_seconds()  # type: ignore[operator]
        hours = Decimal(int(seconds)) / Decimal(3600)
        price = Decimal(str(product.get("price_retail", 0)))
        if self.zero_price_for(timer["id"]):
            price = Decimal("0")
        # [quirk] charging ignores the timer's billable flag, and charging the same timer
        # twice makes a second line item: nothing here is idempotent.
        line = self._insert_line_item(
            ticket,
            {
                "product_id": product.get("id"),
                "name": product.get("name", "Labor"),
                "description": timer.get("notes") or product.get("description") or product.get("name", "Labor"),
                "quantity": decimal_string(hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)),
                "price_retail": price,
                "taxable": False,
            },
            key=key,
        )
        timer["recorded"] = True
        timer["ticket_line_item_id"] = line["id"]
        # [quirk] active_duration is null after a charge on live accounts.
        timer["active_duration"] = None
        timer["updated_at"] = self.now()
        # [quirk] the answer does not link the line (Syncro's own example: ticket_line_item_id null);
        # the ticket's timers do.
        return {**timer, "ticket_line_item_id": None}

    def list_ticket_timers(self, params: Mapping[str, str]) -> JSON:
        # [quirk] ticket_id is ignored: this is the whole shop's timer history; created_at_gt/_lt are honoured.
        items = sorted(self.t("timers").values(), key=lambda t: t["id"], reverse=True)
        after, before = parse_time(params.get("created_at_gt")), parse_time(params.get("created_at_lt"))
        if after is not None:
            items = [t for t in items if parse_time(t["created_at"]) > after]  # type: ignore[operator]
        if before is not None:
            items = [t for t in items if parse_time(t["created_at"]) < before]  # type: ignore[operator]
        page, meta = self.paginate(items, params)
        return {"ticket_timers": page, "meta": {"total_pages": meta["total_pages"], "page": meta["page"]}}

    # ----------------------------------------------------------------- line items
    def _insert_line_item(self, ticket: JSON, body: JSON, *, key: str) -> JSON:
        quantity = to_decimal(body.get("quantity"), Decimal("1"))
        # [quirk] only price_retail sets the price; price, retail_price, rate and price_cents are ignored.
        price = to_decimal(body.get("price_retail"), Decimal("0"))
        cost = to_decimal(body.get("price_cost"), Decimal("0"))
        taxable = as_bool(body.get("taxable"))
        now = self.now()
        line = {
            "id": self.next_id("line_item_id"),
            "ticket_id": ticket["id"],
            "user_id": self.keys[key]["user_id"],
            "product_id": as_int(body.get("product_id")),
            "name": str(body["name"]),
            "description": str(body["description"]),
            "quantity": decimal_string(quantity),  # type: ignore[arg-type]
            "product_category": None,
            "upc_code": body.get("upc_code"),
            # [quirk] taxable defaults to true when omitted, labor included.
            "taxable": True if taxable is None else taxable,
            "cost_cents": int((cost * 100).to_integral_value()),  # type: ignore[operator]
            "retail_cents": int((price * 100).to_integral_value()),  # type: ignore[operator]
            "created_at": now,
            "updated_at": now,
            "converted": False,
            "item_id": None,
            "position": 1 + sum(1 for li in self.t("line_items").values() if li["ticket_id"] == ticket["id"]),
            "price_cost": money(cost),  # type: ignore[arg-type]
            "price_retail": money(price),  # type: ignore[arg-type]
            "invoice_id": None,
        }
        self.t("line_items")[line["id"]] = line
        self.touch_ticket(ticket)
        return line

    def add_line_item(self, ticket_id: Any, body: JSON, *, key: str) -> JSON:
        ticket = self.find_ticket(ticket_id)
        missing = [f"{f.capitalize()} can't be blank" for f in ("name", "description") if not str(body.get(f) or "").strip()]
        if missing:
            raise SimError(422, {"errors": ", ".join(missing), "params": {}})
        return dict(self._insert_line_item(ticket, body, key=key))  # flat

    def _ticket_line(self, ticket: JSON, body: JSON) -> JSON:
        line = self.t("line_items").get(as_int(body.get("ticket_line_item_id")) or -1)
        if line is None or line["ticket_id"] != ticket["id"]:
            raise not_found()
        return line

    def update_line_item(self, ticket_id: Any, body: JSON) -> JSON:
        ticket = self.find_ticket(ticket_id)
        line = self._ticket_line(ticket, body)
        if "price_retail" in body:
            price = to_decimal(body["price_retail"], Decimal("0"))
            line["price_retail"] = money(price)  # type: ignore[arg-type]
            line["retail_cents"] = int((price * 100).to_integral_value())  # type: ignore[operator]
        if "price_cost" in body:
            cost = to_decimal(body["price_cost"], Decimal("0"))
            line["price_cost"] = money(cost)  # type: ignore[arg-type]
            line["cost_cents"] = int((cost * 100).to_integral_value())  # type: ignore[operator]
        if "quantity" in body:
            line["quantity"] = decimal_string(to_decimal(body["quantity"], Decimal("1")))  # type: ignore[arg-type]
        for field in ("name", "description"):
            if field in body:
                line[field] = str(body[field])
        if "taxable" in body:
            line["taxable"] = bool(as_bool(body["taxable"]))
        line["updated_at"] = self.now()
        self.touch_ticket(ticket)
        return {"ticket_line_item": dict(line)}

    def remove_line_item(self, ticket_id: Any, body: JSON) -> JSON:
        ticket = self.find_ticket(ticket_id)
        line = self._ticket_line(ticket, body)
        del self.t("line_items")[line["id"]]
        self.touch_ticket(ticket)
        return {"success": True, "message": ""}

    # ------------------------------------------------------------------- invoices
    def render_invoice(self, invoice: JSON, *, with_lines: bool) -> JSON:
        out = {k: v for k, v in invoice.items() if k != "line_items"}
        if with_lines:
            out["line_items"] = [dict(li) for li in invoice["line_items"]]
            customer = self.t("customers").get(invoice["customer_id"])
            out["customer"] = self.render_customer(customer, with_contacts=False) if customer else None
            out["payments"] = []
        return out

    def create_invoice(self, body: JSON, *, key: str) -> JSON:
        ticket = self.t("tickets").get(as_int(body.get("ticket_id")) or -1)
        customer_id = as_int(body.get("customer_id")) or (ticket or {}).get("customer_id")
        customer = self.t("customers").get(customer_id or -1)
        if customer is None:
            raise SimError(422, {"success": False, "message": ["Customer can't be blank"], "params": body})
        if ticket is not None and ticket["customer_id"] != customer["id"]:
            raise SimError(422, {"success": False, "message": ["Ticket belongs to another customer"], "params": body})
        now = self.clock()
        invoice_id = self.next_id("invoice_id")
        prepaid = to_decimal(customer.get("prepay_hours"), Decimal("0")) or Decimal("0")
        tax_rate = Decimal(str(self.account["tax_rate"]))
        subtotal = tax = Decimal("0")
        lines: list[JSON] = []
        pulled = [] if ticket is None else [li for li in self.t("line_items").values() if li["ticket_id"] == ticket["id"] and not li["converted"]]
        for li in sorted(pulled, key=lambda x: x["id"]):
            quantity = Decimal(li["quantity"])
            price = Decimal(str(li["price_retail"]))
            applied = Decimal("0")
            # Prepaid blocks are debited in hours, for hourly labor products.
            if li.get("product_id") in self.account["prepaid_product_ids"] and prepaid > 0:
                applied = min(prepaid, quantity)
                prepaid -= applied
            charged = (quantity - applied) * price
            subtotal += charged
            if li["taxable"]:
                tax += (charged * tax_rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            li["converted"] = True
            li["invoice_id"] = invoice_id
            lines.append({
                "id": self.next_id("invoice_line_id"),
                "created_at": stamp(now),
                "updated_at": stamp(now),
                "invoice_id": invoice_id,
                "item": li["name"],
                "name": li["description"],
                "cost": decimal_string(Decimal(str(li["price_cost"]))),
                "price": decimal_string(price),
                "quantity": li["quantity"],
                "product_id": li.get("product_id"),
                "taxable": li["taxable"],
                "discount_percent": None,
                "position": len(lines) + 1,
                "invoice_bundle_id": None,
                "discount_dollars": "0.0",
                "prepay_hours_applied": decimal_string(applied),
            })
        if ticket is not None and customer.get("prepay_hours") not in (None, ""):
            customer["prepay_hours"] = decimal_string(prepaid)
        invoice = {
            "id": invoice_id,
            "customer_id": customer["id"],
            "customer_business_then_name": self.customer_name(customer),
            "number": str(self.next_id("invoice_number")),
            "created_at": stamp(now),
            "updated_at": stamp(now),
            "date": stamp(datetime.combine(now.date(), datetime.min.time(), UTC)),
            "due_date": stamp(datetime.combine(now.date(), datetime.min.time(), UTC) + timedelta(days=30)),
            "subtotal": decimal_string(subtotal.quantize(Decimal("0.01"))),
            "total": decimal_string((subtotal + tax).quantize(Decimal("0.01"))),
            "tax": decimal_string(tax.quantize(Decimal("0.01"))),
            "verified_paid": False,
            "tech_marked_paid": False,
            "ticket_id": ticket["id"] if ticket else None,
            "pdf_url": None,
            "is_paid": False,
            "location_id": None,
            "po_number": None,
            "contact_id": (ticket or {}).get("contact_id"),
            "note": body.get("note"),
            "hardwarecost": None,
            "user_id": self.keys[key]["user_id"],
            "category": body.get("category") or "Standard",
            "line_items": lines,
        }
        self.t("invoices")[invoice_id] = invoice
        if ticket is not None:
            self.touch_ticket(ticket)
        # [quirk] the POST response carries no line_items; GET /invoices/{id} does.
        return {"invoice": self.render_invoice(invoice, with_lines=False)}

    def get_invoice(self, ident: Any) -> JSON:
        invoice = self.t("invoices").get(as_int(ident) or -1)
        if invoice is None:  # "ID or Number"
            invoice = next((i for i in self.t("invoices").values() if i["number"] == str(ident)), None)
        if invoice is None:
            raise not_found()
        return {"invoice": self.render_invoice(invoice, with_lines=True)}

    def list_invoices(self, params: Mapping[str, str]) -> JSON:
        items = sorted(self.t("invoices").values(), key=lambda i: i["id"], reverse=True)
        if params.get("ticket_id"):
            items = [i for i in items if i.get("ticket_id") == as_int(params["ticket_id"])]
        if as_bool(params.get("paid")):
            items = [i for i in items if i["is_paid"]]
        if as_bool(params.get("unpaid")):
            items = [i for i in items if not i["is_paid"]]
        page, meta = self.paginate(items, params)
        return {"invoices": [self.invoice_list_item(i) for i in page], "meta": {"total_pages": meta["total_pages"], "page": meta["page"]}}

    @staticmethod
    def invoice_list_item(invoice: JSON) -> JSON:
        """[quirk] live accounts list invoices in a minimal shape: no subtotal, no ticket_id, no lines."""
        return {"id": invoice["id"], "number": invoice["number"], "total": invoice["total"],
                "status": "Paid" if invoice["is_paid"] else "Unpaid", "created_at": invoice["created_at"],
                "customer_id": invoice["customer_id"]}

    # --------------------------------------------------------------- appointments
    def render_appointment(self, appt: JSON, *, nested: bool = True) -> JSON:
        out = dict(appt)
        start, end = parse_time(appt["start_at"]), parse_time(appt["end_at"])
        out["duration"] = decimal_string(Decimal(int((end - start).total_seconds())) / Decimal(3600)) if start and end else None  # type: ignore[operator]
        if nested:
            customer = self.t("customers").get(appt.get("customer_id") or -1)
            out["customer"] = self.render_customer(customer, with_contacts=False) if customer else None
        return out

    def list_appointments(self, params: Mapping[str, str], *, key: str) -> JSON:
        items = sorted(self.t("appointments").values(), key=lambda a: (a["start_at"], a["id"]))
        # [quirk] customer_id is ignored: filter client-side.
        date_from = parse_time(params.get("date_from") or params.get("start_at"))
        date_to = parse_time(params.get("date_to"))
        if date_from is not None:
            items = [a for a in items if parse_time(a["end_at"]) >= date_from]  # type: ignore[operator]
        if date_to is not None:
            limit = date_to + timedelta(days=1) if len(params.get("date_to", "")) <= 10 else date_to
            items = [a for a in items if parse_time(a["start_at"]) < limit]  # type: ignore[operator]
        if as_bool(params.get("mine")):
            owner = self.keys[key]["user_id"]
            items = [a for a in items if a.get("user_id") == owner or owner in (a.get("user_ids") or [])]
        page, meta = self.paginate(items, params)
        return {"appointments": [self.render_appointment(a) for a in page], "meta": {"total_pages": meta["total_pages"], "page": meta["page"]}}

    def get_appointment(self, appt_id: Any) -> JSON:
        return {"appointment": self.render_appointment(self.get("appointments", appt_id))}

    def _appointment_fields(self, body: JSON, appt: JSON | None) -> JSON:
        fields: JSON = {}
        for name in ("summary", "description", "location", "all_day", "do_not_email"):
            if name in body:
                fields[name] = body[name]
        for name in ("ticket_id", "customer_id", "user_id", "appointment_type_id"):
            if name in body:
                fields[name] = as_int(body[name])
        if "user_ids" in body:
            fields["user_ids"] = [as_int(u) for u in body["user_ids"] or []]
        for name in ("start_at", "end_at"):
            if body.get(name):
                moment = parse_time(body[name])
                if moment is None:
                    raise SimError(422, {"success": False, "error": f"{name.replace('_', ' ').capitalize()} is invalid", "message": f"{name} is invalid", "params": body})
                fields[name] = stamp(moment)
        return fields

    def _appointment_errors(self, merged: JSON, body: JSON) -> None:
        problems = []
        if not str(merged.get("summary") or "").strip():
            problems.append("Summary can't be blank")
        if not merged.get("start_at"):
            problems.append("Start at can't be blank")
        if not merged.get("end_at"):
            problems.append("End at can't be blank")
        if not problems and parse_time(merged["end_at"]) < parse_time(merged["start_at"]):  # type: ignore[operator]
            problems.append("End at must be after start at")
        if problems:
            text = ",".join(problems)
            raise SimError(422, {"success": False, "error": text, "message": text, "params": body})

    def create_appointment(self, body: JSON, *, key: str) -> JSON:
        fields = self._appointment_fields(body, None)
        if fields.get("start_at") and not fields.get("end_at") and body.get("appointment_duration"):
            minutes = to_decimal(body["appointment_duration"], Decimal("0")) or Decimal("0")
            fields["end_at"] = stamp(parse_time(fields["start_at"]) + timedelta(minutes=float(minutes)))  # type: ignore[operator]
        self._appointment_errors(fields, body)
        ticket = self.t("tickets").get(fields.get("ticket_id") or -1)
        if fields.get("ticket_id") and ticket is None:
            raise not_found()
        now = self.now()
        description = fields.get("description") or ""
        if ticket is not None:
            # [quirk] Syncro fills the description from the ticket (and its customer).
            customer = self.t("customers").get(ticket["customer_id"]) or {}
            description = (f"Ticket #{ticket['number']}: {ticket['subject']}\n"
                           f"Customer: {self.customer_name(customer) if customer else ''}"
                           + (f"\n\n{description}" if description else ""))
        appt = {
            "id": self.next_id("appointment_id"),
            "summary": fields["summary"],
            "description": description,
            "customer_id": fields.get("customer_id") or (ticket or {}).get("customer_id"),
            "ticket_id": fields.get("ticket_id"),
            "user_id": fields.get("user_id") or self.keys[key]["user_id"],
            "user_ids": fields.get("user_ids") or [],
            "appointment_type_id": fields.get("appointment_type_id"),
            "created_at": now,
            "updated_at": now,
            "start_at": fields["start_at"],
            "end_at": fields["end_at"],
            "location": fields.get("location"),
            "all_day": fields.get("all_day"),
            "do_not_email": "1" if as_bool(fields.get("do_not_email")) else "0",
            "appointment_location_type": None,
        }
        self.t("appointments")[appt["id"]] = appt
        if ticket is not None:
            self.touch_ticket(ticket)
        return {"appointment": self.render_appointment(appt)}

    def update_appointment(self, appt_id: Any, body: JSON) -> JSON:
        appt = self.get("appointments", appt_id)
        if not body.get("start_at"):
            self._appointment_errors({**appt, "start_at": None}, body)
        fields = self._appointment_fields(body, appt)
        merged = {**appt, **fields}
        self._appointment_errors(merged, body)
        appt.update(fields)
        appt["updated_at"] = self.now()
        return {"appointment": self.render_appointment(appt)}

    def delete_appointment(self, appt_id: Any) -> None:
        appt = self.get("appointments", appt_id)
        del self.t("appointments")[appt["id"]]
        # [quirk] some deletes answer 204 with no body (this one, here; a peer's log saw {"message": "deleted"}).
        return None

    def list_appointment_types(self) -> JSON:
        return {"appointment_types": list(self.t("appointment_types").values())}
