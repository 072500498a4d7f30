"""The simulator's store: one Syncro account's records, the helpers every resource shares, and persistence.

Records are kept close to the JSON the real API returns, keyed by id. Each
public method is one Syncro call: it validates like Syncro (with Syncro's
error bodies), changes the data and returns the response body in Syncro's
shape for that call (wrapped or flat, see docs/rules.md §2). Quirks are
reproduced on purpose and marked ``[quirk]``.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, overload

JSON = dict[str, Any]

PERMISSION_MESSAGE = "Not authorized. Please ask account admin to update your group permissions."
#: Statuses the "Not Closed" list filter leaves out. Whether real Syncro counts
#: Invoiced as closed is unverified; the app filters on its own open-status list too.
NOT_CLOSED_EXCLUDES = ("Resolved", "Invoiced", "Closed")
#: How long before an SLA ticket's due time Syncro calls it ``sla_breaching_soon``. The window is the
#: account's notification setting; the seed and the SLA watch share this one.
SLA_SOON = timedelta(hours=8)


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
    if not isinstance(value, str) or not value:
        return None
    return _parse_stamp(value)


@functools.lru_cache(maxsize=1 << 17)
def _parse_stamp(value: str) -> datetime | None:
    """Every list filter parses each ticket's stamps: at 20,000 tickets a cache keeps a list call in milliseconds."""
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


@overload
def to_decimal(value: Any, default: Decimal) -> Decimal: ...
@overload
def to_decimal(value: Any, default: None = None) -> Decimal | None: ...
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


class StoreBase:
    """All of one simulated Syncro account, in memory."""

    if TYPE_CHECKING:  # what one kind of call uses of another's (the Store class joins them all)
        def find_ticket(self, ticket_id: Any) -> JSON: ...
        def ticket_comments(self, ticket_id: int) -> list[JSON]: ...
        def customer_name(self, customer: JSON) -> str: ...
        def render_customer(self, customer: JSON, *, with_contacts: bool) -> JSON: ...
        def render_comment(self, comment: JSON) -> JSON: ...
        def render_timer(self, timer: JSON) -> JSON: ...
        def render_appointment(self, appt: JSON, *, nested: bool = True) -> JSON: ...
        def _insert_comment(self, ticket: JSON, body: JSON, *, key: str) -> JSON: ...
        def _insert_line_item(self, ticket: JSON, body: JSON, *, key: str) -> JSON: ...
        def charge_timer(self, ticket_id: Any, body: JSON, *, key: str) -> JSON: ...

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
        #: When the SLA watch last looked (see ``TicketCalls.watch_slas``); None: not yet.
        self.sla_watched: datetime | None = None
        #: Writes to tickets so far: the SLA watch makes its marks again after one.
        self.writes = 0
        self._sla_marks: list[tuple[datetime, int]] | None = None
        self._sla_marks_for: tuple[int, int] = (0, 0)
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
        self.writes += 1

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
