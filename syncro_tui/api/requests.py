"""Every Syncro call the app makes, as a value: method, path, query, JSON body, and its response shape.

A request is built here, shown to the tech (the confirm screen renders
``body_json()``), and then sent by the client as those very bytes: what is
previewed is what is sent. Each builder names the shape its response comes
in (docs/rules.md §2), so no other code ever reads raw JSON.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from . import models as m
from .errors import SentRequest

log = logging.getLogger("syncro_tui.api")

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class ShapeProblem(Exception):
    """The body did not have the shape the call returns."""


@dataclass(frozen=True)
class Ref:
    """An id that an earlier call of the same group will return: ``Ref(0)`` is the id of call 1's record.

    A multi-call operation is planned (and confirmed) before its first call is
    sent, so later calls name the ids they need this way. ``resolve`` puts the
    real values in once they are known. In the journal a Ref is the token
    ``$ref:STEP.FIELD``; on the confirm screen it reads ``<id from call N>``.
    """

    step: int
    field: str = "id"

    PREFIX: ClassVar[str] = "$ref:"

    def __str__(self) -> str:
        return f"{self.PREFIX}{self.step}.{self.field}"

    @property
    def label(self) -> str:
        return f"<{self.field} from call {self.step + 1}>"

    @classmethod
    def parse(cls, text: str) -> Ref | None:
        match = _REF.fullmatch(text)
        return cls(int(match.group(1)), match.group(2)) if match else None


_REF = re.compile(r"\$ref:(\d+)\.(\w+)")
_REF_IN_TEXT = re.compile(r"\$ref:\d+\.\w+")


Id = int | Ref


def _id(value: Id) -> Id:
    """A record id for a path or body: an int (never text that could change the path), or a Ref."""
    return value if isinstance(value, Ref) else int(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Ref):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("timestamps sent to Syncro must be timezone-aware")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def clean_body(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body: blank fields omitted (never sent as null), Decimal and datetimes as strings."""
    return {k: _jsonable(v) for k, v in fields.items() if v is not None and v != ""}


@dataclass(frozen=True)
class ApiRequest(Generic[T]):
    call: str
    method: str
    path: str
    parse: Callable[[Any], T] = field(repr=False, compare=False)
    params: Mapping[str, Any] = field(default_factory=dict)
    body: Mapping[str, Any] | None = None
    #: The Syncro permission the call needs (from the spec), for error messages.
    permission: str | None = None
    #: A *check* step of a group (``check_*`` calls): what reading ``path`` back must find.
    #: The write path reads and compares; the expectation itself is never sent.
    expect: Mapping[str, Any] | None = None
    #: A conditional step: sent only when this field of an earlier step's result is true.
    only_if: Ref | None = None
    #: For a create: the ids of the records that already existed and could look like it (the ticket's comments,
    #: timers, lines or invoices, the customer's tickets, that day's appointments), taken before it is sent.
    #: After a doubtful answer only a record not among them can be this write's. Never sent.
    before: tuple[int, ...] | None = None

    @property
    def is_write(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH", "DELETE")

    @property
    def is_check(self) -> bool:
        return self.expect is not None

    @property
    def read(self) -> ApiRequest[T]:
        """A check step as the plain GET it makes."""
        return replace(self, expect=None)

    def body_json(self) -> str:
        """The exact body that is sent (and shown before sending); a Ref shows as ``<id from call N>``."""
        if self.body is None:
            return ""
        return json.dumps(self.body, indent=2, ensure_ascii=False, sort_keys=False, default=_ref_label)

    def preview(self) -> dict[str, Any]:
        """The call as the confirm screen and ``bill --plan --json`` show it (ids to come as labels)."""
        out: dict[str, Any] = {"call": self.call, "method": self.method, "path": self.display_path}
        if self.body is not None:
            out["body"] = json.loads(self.body_json())
        if self.expect is not None:
            out["expect"] = json.loads(json.dumps(self.expect, default=_ref_label))
        if self.only_if is not None:
            out["only_if"] = self.only_if.label
        return out

    @property
    def display_path(self) -> str:
        return _REF_IN_TEXT.sub(lambda m: Ref.parse(m.group(0)).label, self.path)  # type: ignore[union-attr]

    @property
    def refs(self) -> tuple[Ref, ...]:
        """The ids from earlier calls this request still waits for."""
        found = [Ref.parse(m.group(0)) for m in _REF_IN_TEXT.finditer(self.path)]
        found += _refs_in(self.body) + _refs_in(self.expect)
        return tuple(r for r in found if r is not None)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        """Every earlier result this step needs, its condition included."""
        return self.refs + ((self.only_if,) if self.only_if else ())

    def resolve(self, results: Sequence[Mapping[str, Any] | None]) -> ApiRequest[T]:
        """This request with every Ref replaced by the value the earlier call returned (``results[step]``)."""
        if not self.refs:
            return self

        def value(ref: Ref) -> Any:
            record = results[ref.step] if ref.step < len(results) else None
            if not record or record.get(ref.field) is None:
                raise ValueError(f"{self.call} needs the {ref.field} from call {ref.step + 1}, which has not returned it")
            return record[ref.field]

        path = _REF_IN_TEXT.sub(lambda m: str(int(value(Ref.parse(m.group(0))))), self.path)  # type: ignore[arg-type]
        return replace(self, path=path, body=_swap(self.body, value), expect=_swap(self.expect, value))

    def sent(self) -> SentRequest:
        return SentRequest(self.call, self.method, self.path, dict(self.params), dict(self.body) if self.body is not None else None)


def _ref_label(value: Any) -> Any:
    if isinstance(value, Ref):
        return value.label
    raise TypeError(f"{type(value).__name__} is not JSON")


def _refs_in(value: Any) -> list[Ref]:
    if isinstance(value, Ref):
        return [value]
    if isinstance(value, Mapping):
        return [r for v in value.values() for r in _refs_in(v)]
    if isinstance(value, list | tuple):
        return [r for v in value for r in _refs_in(v)]
    return []


def _swap(value: Any, resolve: Callable[[Ref], Any]) -> Any:
    if isinstance(value, Ref):
        return resolve(value)
    if isinstance(value, Mapping):
        return {k: _swap(v, resolve) for k, v in value.items()}
    if isinstance(value, list):
        return [_swap(v, resolve) for v in value]
    return value


def _unswap(value: Any) -> Any:
    """Journal JSON back to a body: ``$ref:`` tokens become Refs again."""
    if isinstance(value, str):
        return Ref.parse(value) or value
    if isinstance(value, dict):
        return {k: _unswap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unswap(v) for v in value]
    return value


# ----------------------------------------------------------------- parsers
def _obj(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ShapeProblem(f"expected a JSON object, got {type(data).__name__}")
    return data


def wrapped(key: str, model: type[M]) -> Callable[[Any], M]:
    def parse(data: Any) -> M:
        inner = _obj(data).get(key)
        if not isinstance(inner, dict):
            raise ShapeProblem(f"expected {{{key!r}: {{...}}}}")
        return model.model_validate(inner)
    return parse


def flat(model: type[M]) -> Callable[[Any], M]:
    return lambda data: model.model_validate(_obj(data))


def listed(key: str, model: type[M], item_key: str | None = None) -> Callable[[Any], m.Page[M]]:
    """A page of ``{key: [...], "meta": {...}}``; items may be flat or wrapped in ``item_key``.

    One item that cannot be read does not cost the page: it is skipped, logged
    (its id and what was wrong, never its content) and counted in ``skipped``.
    """
    def parse(data: Any) -> m.Page[M]:
        body = _obj(data)
        items = body.get(key)
        if not isinstance(items, list):
            raise ShapeProblem(f"expected {{{key!r}: [...]}}")
        if item_key:
            items = [i[item_key] if isinstance(i, dict) and isinstance(i.get(item_key), dict) else i for i in items]
        meta_body = body.get("meta")
        meta = m.Meta.model_validate(meta_body if isinstance(meta_body, dict) else {"total_pages": 1, "page": 1})
        read: list[M] = []
        skipped = 0
        for item in items:
            try:
                read.append(model.model_validate(item))
            except ValidationError as exc:
                skipped += 1
                ident = item.get("id") if isinstance(item, dict) else None
                log.warning("skipped one of %s that could not be read (id %s): %s", key, ident, problem(exc))
        return m.Page[M](items=read, meta=meta, skipped=skipped)
    return parse


def problem(exc: Exception) -> str:
    """What was wrong with an answer, in a few words (the field and pydantic's message, never the value)."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"{where or 'body'}: {first.get('msg', 'invalid')}"
    return str(exc)[:200]


def _users(data: Any) -> list[m.User]:
    pairs = _obj(data).get("users")
    if not isinstance(pairs, list):
        raise ShapeProblem("expected {'users': [[id, name], ...]}")
    return [m.User(id=p[0], name=p[1]) for p in pairs]


def _account_settings(data: Any) -> m.AccountSettings:
    body = _obj(data)
    ticket = body.get("ticket") or {}
    return m.AccountSettings(
        time_zone=(body.get("locale") or {}).get("time_zone"),
        problem_types=ticket.get("problem_types") or [],
        priorities=[p for p in ticket.get("priorities") or [] if p],
        business_hours=body.get("business_hours") or [],
    )


class Refused(Exception):
    """A 2xx answer that says the call was not done (``{"success": false}``): Syncro's refusal, not a shape problem."""


def _deleted(data: Any) -> m.Deleted:
    # Some deletes answer 204 with no body (``None`` here): that is success.
    result = m.Deleted() if data is None else m.Deleted.model_validate(_obj(data))
    if not result.success:
        raise Refused(result.message or "Syncro answered that it did not do it (success: false).")
    return result


def _params(**values: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in values.items():
        if v is None or v == "":
            continue
        out[k] = ("true" if v else "false") if isinstance(v, bool) else _jsonable(v)
    return out


# ------------------------------------------------------------------ writes
#: How each write's answer is read, by call name. A journaled step is rebuilt
#: with it after a restart (``rebuild``), so a resumed group parses the same way.
SHAPES: dict[str, Callable[[Any], Any]] = {
    "create_ticket": wrapped("ticket", m.Ticket),
    "update_ticket": wrapped("ticket", m.Ticket),
    "delete_ticket": _deleted,
    "add_comment": wrapped("comment", m.Comment),
    "add_timer": flat(m.Timer),
    "update_timer": flat(m.Timer),
    "delete_timer": _deleted,
    "charge_timer": flat(m.Timer),
    "start_live_timer": wrapped("ticket_timer", m.Timer),
    "start_timer": wrapped("ticket_timer", m.Timer),
    "pause_timer": wrapped("ticket_timer", m.Timer),
    "stop_timer": wrapped("ticket_timer", m.Timer),
    "add_line_item": flat(m.LineItem),
    "update_line_item": wrapped("ticket_line_item", m.LineItem),
    "remove_line_item": _deleted,
    "create_appointment": wrapped("appointment", m.Appointment),
    "update_appointment": wrapped("appointment", m.Appointment),
    "delete_appointment": _deleted,
    "create_invoice": wrapped("invoice", m.Invoice),
    "invoice_to_draft": wrapped("invoice", m.Invoice),
    "update_invoice_line": wrapped("line_item", m.InvoiceLine),
    "publish_invoice": wrapped("invoice", m.Invoice),
    # Check steps: a read whose answer the write path compares with what the plan expects.
    "check_line_item": wrapped("ticket", m.Ticket),
    "check_invoice": wrapped("invoice", m.Invoice),
}


def rebuild(call: str, method: str, path: str, body: Mapping[str, Any] | None, *,
            expect: Mapping[str, Any] | None = None, only_if: str | None = None,
            before: Sequence[int] | None = None) -> ApiRequest[Any]:
    """A journaled step as a request again (``$ref:`` tokens become Refs)."""
    if call not in SHAPES:
        raise ValueError(f"{call} is not a write this app makes")
    return ApiRequest(call, method, path, SHAPES[call], body=_unswap(body) if body is not None else None,
                      expect=_unswap(expect) if expect is not None else None,
                      only_if=Ref.parse(only_if) if only_if else None,
                      before=tuple(before) if before is not None else None)


VIEW_TICKET = "Tickets - View Details"
EDIT_TICKET = "Tickets - Edit"
TIMERS = "Ticket Timers - Overview"


# ----------------------------------------------------------------- account
def me() -> ApiRequest[m.Me]:
    return ApiRequest("me", "GET", "/me", flat(m.Me))


def users() -> ApiRequest[list[m.User]]:
    return ApiRequest("users", "GET", "/users", _users)


def ticket_settings() -> ApiRequest[m.TicketSettings]:
    return ApiRequest("ticket_settings", "GET", "/tickets/settings", flat(m.TicketSettings))


def account_settings() -> ApiRequest[m.AccountSettings]:
    return ApiRequest("settings", "GET", "/settings", _account_settings)


# ----------------------------------------------------------------- tickets
def list_tickets(*, status: str | None = None, since_updated_at: datetime | None = None, number: int | None = None,
                 query: str | None = None, customer_id: int | None = None, user_id: int | None = None,
                 mine: bool | None = None, ticket_search_id: int | None = None, page: int = 1,
                 per_page: int | None = None) -> ApiRequest[m.Page[m.TicketSummary]]:
    params = _params(status=status, since_updated_at=since_updated_at, number=number, query=query,
                     customer_id=customer_id, user_id=user_id, mine=mine or None, ticket_search_id=ticket_search_id,
                     page=page, per_page=min(per_page, 100) if per_page else None)
    return ApiRequest("list_tickets", "GET", "/tickets", listed("tickets", m.TicketSummary), params, permission="Tickets - List/Search")


def get_ticket(ticket_id: int) -> ApiRequest[m.Ticket]:
    return ApiRequest("get_ticket", "GET", f"/tickets/{_id(ticket_id)}", wrapped("ticket", m.Ticket), permission=VIEW_TICKET)


def create_ticket(fields: Mapping[str, Any]) -> ApiRequest[m.Ticket]:
    return ApiRequest("create_ticket", "POST", "/tickets", SHAPES["create_ticket"], body=clean_body(fields), permission="Tickets - Create")


def update_ticket(ticket_id: Id, fields: Mapping[str, Any]) -> ApiRequest[m.Ticket]:
    return ApiRequest("update_ticket", "PUT", f"/tickets/{_id(ticket_id)}", SHAPES["update_ticket"], body=clean_body(fields), permission=EDIT_TICKET)


def delete_ticket(ticket_id: Id) -> ApiRequest[m.Deleted]:
    return ApiRequest("delete_ticket", "DELETE", f"/tickets/{_id(ticket_id)}", SHAPES["delete_ticket"], permission="Tickets - Delete")


def list_comments(ticket_id: int, *, page: int = 1, per_page: int | None = None, newest_first: bool = False) -> ApiRequest[m.Page[m.Comment]]:
    params = _params(page=page, per_page=per_page, sort_direction="DESC" if newest_first else None)
    return ApiRequest("list_comments", "GET", f"/tickets/{_id(ticket_id)}/comments", listed("comments", m.Comment), params, permission=VIEW_TICKET)


def add_comment(ticket_id: Id, *, subject: str, body: str, hidden: bool, do_not_email: bool, tech: str | None = None) -> ApiRequest[m.Comment]:
    # Posted flat: wrapping as {"comment": {...}} gets 422 "Body can't be blank".
    fields = clean_body({"subject": subject, "body": body, "hidden": hidden, "do_not_email": do_not_email, "tech": tech})
    return ApiRequest("add_comment", "POST", f"/tickets/{_id(ticket_id)}/comment", SHAPES["add_comment"], body=fields, permission=EDIT_TICKET)


# ------------------------------------------------------------------ timers
def add_timer(ticket_id: Id, *, start_at: datetime, end_at: datetime, notes: str, product_id: Id,
              billable: bool = True, user_id: Id | None = None) -> ApiRequest[m.Timer]:
    fields = clean_body({"start_at": start_at, "end_at": end_at, "notes": notes, "product_id": product_id,
                         "billable": billable, "user_id": user_id})
    return ApiRequest("add_timer", "POST", f"/tickets/{_id(ticket_id)}/timer_entry", SHAPES["add_timer"], body=fields, permission=TIMERS)


def update_timer(ticket_id: Id, timer_id: Id, **fields: Any) -> ApiRequest[m.Timer]:
    body = clean_body({"timer_entry_id": timer_id, **fields})
    return ApiRequest("update_timer", "PUT", f"/tickets/{_id(ticket_id)}/update_timer_entry", SHAPES["update_timer"], body=body, permission=TIMERS)


def delete_timer(ticket_id: Id, timer_id: Id) -> ApiRequest[m.Deleted]:
    return ApiRequest("delete_timer", "POST", f"/tickets/{_id(ticket_id)}/delete_timer_entry", SHAPES["delete_timer"],
                      body={"timer_entry_id": _id(timer_id)}, permission=TIMERS)


# Live timers (2026; docs/rules.md §13): a timer kept in Syncro while the tech works, for the key's owner.
def start_live_timer(ticket_id: Id, *, product_id: Id, notes: str) -> ApiRequest[m.Timer]:
    """``POST /ticket_timers``: a timer running from now; the owner's running or paused one on the ticket is resumed
    instead of a second being made (404 on accounts without live timers)."""
    return ApiRequest("start_live_timer", "POST", "/ticket_timers", SHAPES["start_live_timer"],
                      body=clean_body({"ticket_id": ticket_id, "product_id": product_id, "notes": notes}),
                      permission=TIMERS)


def _move(timer_id: Id, move: str) -> ApiRequest[m.Timer]:
    """``POST /ticket_timers/{id}/start|pause|stop`` (422 on a move the timer's state does not allow)."""
    call = f"{move}_timer"
    return ApiRequest(call, "POST", f"/ticket_timers/{_id(timer_id)}/{move}", SHAPES[call], permission=TIMERS)


def start_timer(timer_id: Id) -> ApiRequest[m.Timer]:
    return _move(timer_id, "start")


def pause_timer(timer_id: Id) -> ApiRequest[m.Timer]:
    return _move(timer_id, "pause")


def stop_timer(timer_id: Id) -> ApiRequest[m.Timer]:
    return _move(timer_id, "stop")


def live_timers(*, user_id: int | None = None, ticket_id: int | None = None, status: str | None = None,
                page: int = 1) -> ApiRequest[m.Page[m.Timer]]:
    """``GET /ticket_timers`` with 2026's filters (accounts without live timers ignore them: read ``status``)."""
    return ApiRequest("live_timers", "GET", "/ticket_timers", listed("ticket_timers", m.Timer),
                      _params(user_id=user_id, ticket_id=ticket_id, status=status, page=page), permission=TIMERS)


def charge_timer(ticket_id: Id, timer_id: Id) -> ApiRequest[m.Timer]:
    return ApiRequest("charge_timer", "POST", f"/tickets/{_id(ticket_id)}/charge_timer_entry", SHAPES["charge_timer"],
                      body={"timer_entry_id": _id(timer_id)}, permission=TIMERS)


# -------------------------------------------------------------- line items
def add_line_item(ticket_id: Id, *, name: str, description: str, quantity: Decimal, price_retail: Decimal,
                  taxable: bool, product_id: Id | None = None, price_cost: Decimal | None = None) -> ApiRequest[m.LineItem]:
    # name, description, price_retail and taxable are always explicit (docs/rules.md §7, rule 6).
    fields = clean_body({"product_id": product_id, "name": name, "description": description, "quantity": quantity,
                         "price_retail": price_retail, "price_cost": price_cost})
    fields["taxable"] = bool(taxable)
    return ApiRequest("add_line_item", "POST", f"/tickets/{_id(ticket_id)}/add_line_item", SHAPES["add_line_item"], body=fields, permission=EDIT_TICKET)


def update_line_item(ticket_id: Id, line_item_id: Id, **fields: Any) -> ApiRequest[m.LineItem]:
    body = clean_body({"ticket_line_item_id": line_item_id, **fields})
    return ApiRequest("update_line_item", "PUT", f"/tickets/{_id(ticket_id)}/update_line_item", SHAPES["update_line_item"], body=body, permission=EDIT_TICKET)


def remove_line_item(ticket_id: Id, line_item_id: Id) -> ApiRequest[m.Deleted]:
    return ApiRequest("remove_line_item", "POST", f"/tickets/{_id(ticket_id)}/remove_line_item", SHAPES["remove_line_item"],
                      body={"ticket_line_item_id": _id(line_item_id)}, permission=EDIT_TICKET)


# --------------------------------------------------------------- customers
def list_customers(*, query: str | None = None, page: int = 1, per_page: int | None = None) -> ApiRequest[m.Page[m.Customer]]:
    return ApiRequest("list_customers", "GET", "/customers", listed("customers", m.Customer),
                      _params(query=query, page=page, per_page=per_page), permission="Customers - List/Search")


def autocomplete_customers(query: str) -> ApiRequest[m.Page[m.Customer]]:
    return ApiRequest("autocomplete_customers", "GET", "/customers/autocomplete", listed("customers", m.Customer),
                      _params(query=query), permission="Customers - List/Search")


def get_customer(customer_id: int) -> ApiRequest[m.Customer]:
    return ApiRequest("get_customer", "GET", f"/customers/{_id(customer_id)}", wrapped("customer", m.Customer), permission="Customers - View Detail")


def list_contacts(customer_id: int, *, page: int = 1) -> ApiRequest[m.Page[m.Contact]]:
    return ApiRequest("list_contacts", "GET", "/contacts", listed("contacts", m.Contact),
                      _params(customer_id=customer_id, page=page), permission="Customers - View Detail")


def get_contact(contact_id: int) -> ApiRequest[m.Contact]:
    return ApiRequest("get_contact", "GET", f"/contacts/{_id(contact_id)}", flat(m.Contact), permission="Customers - View Detail")


def list_assets(customer_id: int, *, query: str | None = None, page: int = 1) -> ApiRequest[m.Page[m.Asset]]:
    return ApiRequest("list_assets", "GET", "/customer_assets", listed("assets", m.Asset),
                      _params(customer_id=customer_id, query=query, page=page), permission="Assets - List/Search")


# ---------------------------------------------------------------- products
def list_products(*, query: str | None = None, ids: Sequence[int] = (), page: int = 1,
                  per_page: int | None = None) -> ApiRequest[m.Page[m.Product]]:
    """Products by name, or the ones whose ids are given (``id[]``, repeated, as Rails reads a list)."""
    return ApiRequest("list_products", "GET", "/products", listed("products", m.Product),
                      _params(query=query, page=page, per_page=per_page, **{"id[]": list(ids) or None}),
                      permission="Products - List/Search")


def get_product(product_id: int) -> ApiRequest[m.Product]:
    return ApiRequest("get_product", "GET", f"/products/{_id(product_id)}", wrapped("product", m.Product), permission="Products - List/Search")


# ------------------------------------------------------------ appointments
def list_appointments(*, date_from: date | None = None, date_to: date | None = None, mine: bool | None = None,
                      page: int = 1) -> ApiRequest[m.Page[m.Appointment]]:
    # customer_id is ignored by Syncro: filter client-side (docs/rules.md §4).
    return ApiRequest("list_appointments", "GET", "/appointments", listed("appointments", m.Appointment, item_key="appointment"),
                      _params(date_from=date_from, date_to=date_to, mine=mine or None, page=page),
                      permission="Appointments - View All")


def get_appointment(appointment_id: int) -> ApiRequest[m.Appointment]:
    return ApiRequest("get_appointment", "GET", f"/appointments/{_id(appointment_id)}", wrapped("appointment", m.Appointment))


def create_appointment(fields: Mapping[str, Any]) -> ApiRequest[m.Appointment]:
    return ApiRequest("create_appointment", "POST", "/appointments", SHAPES["create_appointment"], body=clean_body(fields))


def update_appointment(appointment_id: Id, fields: Mapping[str, Any]) -> ApiRequest[m.Appointment]:
    return ApiRequest("update_appointment", "PUT", f"/appointments/{_id(appointment_id)}", SHAPES["update_appointment"],
                      body=clean_body(fields))


def delete_appointment(appointment_id: Id) -> ApiRequest[m.Deleted]:
    return ApiRequest("delete_appointment", "DELETE", f"/appointments/{_id(appointment_id)}", SHAPES["delete_appointment"])


def appointment_types() -> ApiRequest[m.Page[m.AppointmentType]]:
    return ApiRequest("appointment_types", "GET", "/appointment_types", listed("appointment_types", m.AppointmentType), permission="Global Admin")


# ---------------------------------------------------------------- invoices
def create_invoice(*, ticket_id: Id, customer_id: Id, category: str = "Standard") -> ApiRequest[m.Invoice]:
    return ApiRequest("create_invoice", "POST", "/invoices", SHAPES["create_invoice"],
                      body={"ticket_id": _id(ticket_id), "customer_id": _id(customer_id), "category": category},
                      permission="Invoices - Create")


INVOICES_EDIT = "Invoices - Edit"


def invoice_to_draft(invoice_id: Id) -> ApiRequest[m.Invoice]:
    """An invoice back to draft, to be corrected (accounts with drafts on; 404 elsewhere, 422 once paid)."""
    return ApiRequest("invoice_to_draft", "POST", f"/invoices/{_id(invoice_id)}/convert_to_draft",
                      SHAPES["invoice_to_draft"], permission=INVOICES_EDIT)


def update_invoice_line(invoice_id: Id, line_id: Id, *, price: Decimal) -> ApiRequest[m.InvoiceLine]:
    """A draft invoice's line set to its price (the invoice's own field is ``price``, not ``price_retail``)."""
    return ApiRequest("update_invoice_line", "PUT", f"/invoices/{_id(invoice_id)}/line_items/{_id(line_id)}",
                      SHAPES["update_invoice_line"], body=clean_body({"price": price}), permission=INVOICES_EDIT)


def publish_invoice(invoice_id: Id) -> ApiRequest[m.Invoice]:
    return ApiRequest("publish_invoice", "POST", f"/invoices/{_id(invoice_id)}/publish", SHAPES["publish_invoice"],
                      permission=INVOICES_EDIT)


def check_line_item(ticket_id: Id, expect: Mapping[str, Any]) -> ApiRequest[m.Ticket]:
    """Read the ticket back after a charge: the charged line must be what the plan expects."""
    return ApiRequest("check_line_item", "GET", f"/tickets/{_id(ticket_id)}", SHAPES["check_line_item"],
                      expect=clean_body(expect), permission=VIEW_TICKET)


def check_invoice(invoice_id: Id, expect: Mapping[str, Any]) -> ApiRequest[m.Invoice]:
    """Read the new invoice back: its lines and total must be what the plan expects."""
    return ApiRequest("check_invoice", "GET", f"/invoices/{_id(invoice_id)}", SHAPES["check_invoice"],
                      expect=clean_body(expect), permission="Invoices - View Details")


def get_invoice(invoice_id: int) -> ApiRequest[m.Invoice]:
    return ApiRequest("get_invoice", "GET", f"/invoices/{_id(invoice_id)}", wrapped("invoice", m.Invoice), permission="Invoices - View Details")


def list_invoices(*, ticket_id: int | None = None, since_updated_at: datetime | None = None, page: int = 1,
                  per_page: int | None = None) -> ApiRequest[m.Page[m.Invoice]]:
    return ApiRequest("list_invoices", "GET", "/invoices", listed("invoices", m.Invoice),
                      _params(ticket_id=ticket_id, since_updated_at=since_updated_at, page=page, per_page=per_page),
                      permission="Invoices - List/Search")
