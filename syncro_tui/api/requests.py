"""Every Syncro call the app makes, built as a value (``api/call.py``): its method, path, query and body, and
the shape its answer comes in (``api/shapes.py``, docs/rules.md §2), so no other code ever reads raw JSON."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from . import models as m
from . import shapes
from .call import ApiRequest, Id, Ref, clean_body, from_journal, query_params, record_id


# ------------------------------------------------------------------ writes
#: How each write's answer is read, by call name. A journaled step is rebuilt
#: with it after a restart (``rebuild``), so a resumed group parses the same way.
SHAPES: dict[str, Callable[[Any], Any]] = {
    "create_ticket": shapes.wrapped("ticket", m.Ticket),
    "update_ticket": shapes.wrapped("ticket", m.Ticket),
    "delete_ticket": shapes.deleted,
    "add_comment": shapes.wrapped("comment", m.Comment),
    "add_timer": shapes.flat(m.Timer),
    "update_timer": shapes.flat(m.Timer),
    "delete_timer": shapes.deleted,
    "charge_timer": shapes.flat(m.Timer),
    "start_live_timer": shapes.wrapped("ticket_timer", m.Timer),
    "start_timer": shapes.wrapped("ticket_timer", m.Timer),
    "pause_timer": shapes.wrapped("ticket_timer", m.Timer),
    "stop_timer": shapes.wrapped("ticket_timer", m.Timer),
    "add_line_item": shapes.flat(m.LineItem),
    "update_line_item": shapes.wrapped("ticket_line_item", m.LineItem),
    "remove_line_item": shapes.deleted,
    "create_appointment": shapes.wrapped("appointment", m.Appointment),
    "update_appointment": shapes.wrapped("appointment", m.Appointment),
    "delete_appointment": shapes.deleted,
    "create_invoice": shapes.wrapped("invoice", m.Invoice),
    "invoice_to_draft": shapes.wrapped("invoice", m.Invoice),
    "update_invoice_line": shapes.wrapped("line_item", m.InvoiceLine),
    "publish_invoice": shapes.wrapped("invoice", m.Invoice),
    # Check steps: a read whose answer the write path compares with what the plan expects.
    "check_line_item": shapes.wrapped("ticket", m.Ticket),
    "check_invoice": shapes.wrapped("invoice", m.Invoice),
}


def rebuild(call: str, method: str, path: str, body: Mapping[str, Any] | None, *,
            expect: Mapping[str, Any] | None = None, only_if: str | None = None,
            before: Sequence[int] | None = None) -> ApiRequest[Any]:
    """A journaled step as a request again (``$ref:`` tokens become Refs)."""
    if call not in SHAPES:
        raise ValueError(f"{call} is not a write this app makes")
    return ApiRequest(call, method, path, SHAPES[call], body=from_journal(body) if body is not None else None,
                      expect=from_journal(expect) if expect is not None else None,
                      only_if=Ref.parse(only_if) if only_if else None,
                      before=tuple(before) if before is not None else None)


VIEW_TICKET = "Tickets - View Details"
EDIT_TICKET = "Tickets - Edit"
TIMERS = "Ticket Timers - Overview"
CANNED = "Ticket Canned Responses - Manage"


# ----------------------------------------------------------------- account
def me() -> ApiRequest[m.Me]:
    return ApiRequest("me", "GET", "/me", shapes.flat(m.Me))


def users() -> ApiRequest[list[m.User]]:
    return ApiRequest("users", "GET", "/users", shapes.users)


def canned_responses(query: str | None = None) -> ApiRequest[m.Page[m.CannedResponse]]:
    """``GET /canned_responses``: the account's canned responses (the key needs the Manage permission even to
    read them; one page, unpaged in Syncro's example)."""
    return ApiRequest("canned_responses", "GET", "/canned_responses", shapes.listed("canned_responses", m.CannedResponse),
                      query_params(query=query), permission=CANNED)


def ticket_settings() -> ApiRequest[m.TicketSettings]:
    return ApiRequest("ticket_settings", "GET", "/tickets/settings", shapes.flat(m.TicketSettings))


def account_settings() -> ApiRequest[m.AccountSettings]:
    return ApiRequest("settings", "GET", "/settings", shapes.account_settings)


# ----------------------------------------------------------------- tickets
def list_tickets(*, status: str | None = None, since_updated_at: datetime | None = None, number: int | None = None,
                 query: str | None = None, customer_id: int | None = None, user_id: int | None = None,
                 mine: bool | None = None, ticket_search_id: int | None = None, page: int = 1,
                 per_page: int | None = None) -> ApiRequest[m.Page[m.TicketSummary]]:
    params = query_params(status=status, since_updated_at=since_updated_at, number=number, query=query,
                     customer_id=customer_id, user_id=user_id, mine=mine or None, ticket_search_id=ticket_search_id,
                     page=page, per_page=min(per_page, 100) if per_page else None)
    return ApiRequest("list_tickets", "GET", "/tickets", shapes.listed("tickets", m.TicketSummary), params, permission="Tickets - List/Search")


def get_ticket(ticket_id: int) -> ApiRequest[m.Ticket]:
    return ApiRequest("get_ticket", "GET", f"/tickets/{record_id(ticket_id)}", shapes.wrapped("ticket", m.Ticket), permission=VIEW_TICKET)


def create_ticket(fields: Mapping[str, Any]) -> ApiRequest[m.Ticket]:
    return ApiRequest("create_ticket", "POST", "/tickets", SHAPES["create_ticket"], body=clean_body(fields), permission="Tickets - Create")


def update_ticket(ticket_id: Id, fields: Mapping[str, Any]) -> ApiRequest[m.Ticket]:
    return ApiRequest("update_ticket", "PUT", f"/tickets/{record_id(ticket_id)}", SHAPES["update_ticket"], body=clean_body(fields), permission=EDIT_TICKET)


def delete_ticket(ticket_id: Id) -> ApiRequest[m.Deleted]:
    return ApiRequest("delete_ticket", "DELETE", f"/tickets/{record_id(ticket_id)}", SHAPES["delete_ticket"], permission="Tickets - Delete")


def list_comments(ticket_id: int, *, page: int = 1, per_page: int | None = None, newest_first: bool = False) -> ApiRequest[m.Page[m.Comment]]:
    params = query_params(page=page, per_page=per_page, sort_direction="DESC" if newest_first else None)
    return ApiRequest("list_comments", "GET", f"/tickets/{record_id(ticket_id)}/comments", shapes.listed("comments", m.Comment), params, permission=VIEW_TICKET)


def add_comment(ticket_id: Id, *, subject: str, body: str, hidden: bool, do_not_email: bool, tech: str | None = None) -> ApiRequest[m.Comment]:
    # Posted flat: wrapping as {"comment": {...}} gets 422 "Body can't be blank".
    fields = clean_body({"subject": subject, "body": body, "hidden": hidden, "do_not_email": do_not_email, "tech": tech})
    return ApiRequest("add_comment", "POST", f"/tickets/{record_id(ticket_id)}/comment", SHAPES["add_comment"], body=fields, permission=EDIT_TICKET)


# ------------------------------------------------------------------ timers
def add_timer(ticket_id: Id, *, start_at: datetime, end_at: datetime, notes: str, product_id: Id,
              billable: bool = True, user_id: Id | None = None) -> ApiRequest[m.Timer]:
    fields = clean_body({"start_at": start_at, "end_at": end_at, "notes": notes, "product_id": product_id,
                         "billable": billable, "user_id": user_id})
    return ApiRequest("add_timer", "POST", f"/tickets/{record_id(ticket_id)}/timer_entry", SHAPES["add_timer"], body=fields, permission=TIMERS)


def update_timer(ticket_id: Id, timer_id: Id, **fields: Any) -> ApiRequest[m.Timer]:
    body = clean_body({"timer_entry_id": timer_id, **fields})
    return ApiRequest("update_timer", "PUT", f"/tickets/{record_id(ticket_id)}/update_timer_entry", SHAPES["update_timer"], body=body, permission=TIMERS)


def delete_timer(ticket_id: Id, timer_id: Id) -> ApiRequest[m.Deleted]:
    return ApiRequest("delete_timer", "POST", f"/tickets/{record_id(ticket_id)}/delete_timer_entry", SHAPES["delete_timer"],
                      body={"timer_entry_id": record_id(timer_id)}, permission=TIMERS)


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
    return ApiRequest(call, "POST", f"/ticket_timers/{record_id(timer_id)}/{move}", SHAPES[call], permission=TIMERS)


def start_timer(timer_id: Id) -> ApiRequest[m.Timer]:
    return _move(timer_id, "start")


def pause_timer(timer_id: Id) -> ApiRequest[m.Timer]:
    return _move(timer_id, "pause")


def stop_timer(timer_id: Id) -> ApiRequest[m.Timer]:
    return _move(timer_id, "stop")


def live_timers(*, user_id: int | None = None, ticket_id: int | None = None, status: str | None = None,
                created_after: datetime | None = None, page: int = 1) -> ApiRequest[m.Page[m.Timer]]:
    """``GET /ticket_timers`` with 2026's filters (accounts without live timers ignore them: read ``status`` and
    ``user_id`` back). ``created_after`` (``created_at_gt``) every account honours."""
    return ApiRequest("live_timers", "GET", "/ticket_timers", shapes.listed("ticket_timers", m.Timer),
                      query_params(user_id=user_id, ticket_id=ticket_id, status=status, created_at_gt=created_after,
                                   page=page), permission=TIMERS)


def charge_timer(ticket_id: Id, timer_id: Id) -> ApiRequest[m.Timer]:
    return ApiRequest("charge_timer", "POST", f"/tickets/{record_id(ticket_id)}/charge_timer_entry", SHAPES["charge_timer"],
                      body={"timer_entry_id": record_id(timer_id)}, permission=TIMERS)


# -------------------------------------------------------------- line items
def add_line_item(ticket_id: Id, *, name: str, description: str, quantity: Decimal, price_retail: Decimal,
                  taxable: bool, product_id: Id | None = None, price_cost: Decimal | None = None) -> ApiRequest[m.LineItem]:
    # name, description, price_retail and taxable are always explicit (docs/rules.md §7, rule 6).
    fields = clean_body({"product_id": product_id, "name": name, "description": description, "quantity": quantity,
                         "price_retail": price_retail, "price_cost": price_cost})
    fields["taxable"] = bool(taxable)
    return ApiRequest("add_line_item", "POST", f"/tickets/{record_id(ticket_id)}/add_line_item", SHAPES["add_line_item"], body=fields, permission=EDIT_TICKET)


def update_line_item(ticket_id: Id, line_item_id: Id, **fields: Any) -> ApiRequest[m.LineItem]:
    body = clean_body({"ticket_line_item_id": line_item_id, **fields})
    return ApiRequest("update_line_item", "PUT", f"/tickets/{record_id(ticket_id)}/update_line_item", SHAPES["update_line_item"], body=body, permission=EDIT_TICKET)


def remove_line_item(ticket_id: Id, line_item_id: Id) -> ApiRequest[m.Deleted]:
    return ApiRequest("remove_line_item", "POST", f"/tickets/{record_id(ticket_id)}/remove_line_item", SHAPES["remove_line_item"],
                      body={"ticket_line_item_id": record_id(line_item_id)}, permission=EDIT_TICKET)


# --------------------------------------------------------------- customers
def list_customers(*, query: str | None = None, page: int = 1, per_page: int | None = None) -> ApiRequest[m.Page[m.Customer]]:
    return ApiRequest("list_customers", "GET", "/customers", shapes.listed("customers", m.Customer),
                      query_params(query=query, page=page, per_page=per_page), permission="Customers - List/Search")


def autocomplete_customers(query: str) -> ApiRequest[m.Page[m.Customer]]:
    return ApiRequest("autocomplete_customers", "GET", "/customers/autocomplete", shapes.listed("customers", m.Customer),
                      query_params(query=query), permission="Customers - List/Search")


def get_customer(customer_id: int) -> ApiRequest[m.Customer]:
    return ApiRequest("get_customer", "GET", f"/customers/{record_id(customer_id)}", shapes.wrapped("customer", m.Customer), permission="Customers - View Detail")


def list_contacts(customer_id: int, *, page: int = 1) -> ApiRequest[m.Page[m.Contact]]:
    return ApiRequest("list_contacts", "GET", "/contacts", shapes.listed("contacts", m.Contact),
                      query_params(customer_id=customer_id, page=page), permission="Customers - View Detail")


def get_contact(contact_id: int) -> ApiRequest[m.Contact]:
    return ApiRequest("get_contact", "GET", f"/contacts/{record_id(contact_id)}", shapes.flat(m.Contact), permission="Customers - View Detail")


def list_assets(customer_id: int, *, query: str | None = None, page: int = 1) -> ApiRequest[m.Page[m.Asset]]:
    return ApiRequest("list_assets", "GET", "/customer_assets", shapes.listed("assets", m.Asset),
                      query_params(customer_id=customer_id, query=query, page=page), permission="Assets - List/Search")


# ---------------------------------------------------------------- products
def list_products(*, query: str | None = None, ids: Sequence[int] = (), page: int = 1,
                  per_page: int | None = None) -> ApiRequest[m.Page[m.Product]]:
    """Products by name, or the ones whose ids are given (``id[]``, repeated, as Rails reads a list)."""
    return ApiRequest("list_products", "GET", "/products", shapes.listed("products", m.Product),
                      query_params(query=query, page=page, per_page=per_page, **{"id[]": list(ids) or None}),
                      permission="Products - List/Search")


def get_product(product_id: int) -> ApiRequest[m.Product]:
    return ApiRequest("get_product", "GET", f"/products/{record_id(product_id)}", shapes.wrapped("product", m.Product), permission="Products - List/Search")


# ------------------------------------------------------------ appointments
def list_appointments(*, date_from: date | None = None, date_to: date | None = None, mine: bool | None = None,
                      page: int = 1) -> ApiRequest[m.Page[m.Appointment]]:
    # customer_id is ignored by Syncro: filter client-side (docs/rules.md §4).
    return ApiRequest("list_appointments", "GET", "/appointments", shapes.listed("appointments", m.Appointment, item_key="appointment"),
                      query_params(date_from=date_from, date_to=date_to, mine=mine or None, page=page),
                      permission="Appointments - View All")


def get_appointment(appointment_id: int) -> ApiRequest[m.Appointment]:
    return ApiRequest("get_appointment", "GET", f"/appointments/{record_id(appointment_id)}", shapes.wrapped("appointment", m.Appointment))


def create_appointment(fields: Mapping[str, Any]) -> ApiRequest[m.Appointment]:
    return ApiRequest("create_appointment", "POST", "/appointments", SHAPES["create_appointment"], body=clean_body(fields))


def update_appointment(appointment_id: Id, fields: Mapping[str, Any]) -> ApiRequest[m.Appointment]:
    return ApiRequest("update_appointment", "PUT", f"/appointments/{record_id(appointment_id)}", SHAPES["update_appointment"],
                      body=clean_body(fields))


def delete_appointment(appointment_id: Id) -> ApiRequest[m.Deleted]:
    return ApiRequest("delete_appointment", "DELETE", f"/appointments/{record_id(appointment_id)}", SHAPES["delete_appointment"])


def appointment_types() -> ApiRequest[m.Page[m.AppointmentType]]:
    return ApiRequest("appointment_types", "GET", "/appointment_types", shapes.listed("appointment_types", m.AppointmentType), permission="Global Admin")


# ---------------------------------------------------------------- invoices
def create_invoice(*, ticket_id: Id, customer_id: Id, category: str = "Standard") -> ApiRequest[m.Invoice]:
    return ApiRequest("create_invoice", "POST", "/invoices", SHAPES["create_invoice"],
                      body={"ticket_id": record_id(ticket_id), "customer_id": record_id(customer_id), "category": category},
                      permission="Invoices - Create")


INVOICES_EDIT = "Invoices - Edit"


def invoice_to_draft(invoice_id: Id) -> ApiRequest[m.Invoice]:
    """An invoice back to draft, to be corrected (accounts with drafts on; 404 elsewhere, 422 once paid)."""
    return ApiRequest("invoice_to_draft", "POST", f"/invoices/{record_id(invoice_id)}/convert_to_draft",
                      SHAPES["invoice_to_draft"], permission=INVOICES_EDIT)


def update_invoice_line(invoice_id: Id, line_id: Id, *, price: Decimal) -> ApiRequest[m.InvoiceLine]:
    """A draft invoice's line set to its price (the invoice's own field is ``price``, not ``price_retail``)."""
    return ApiRequest("update_invoice_line", "PUT", f"/invoices/{record_id(invoice_id)}/line_items/{record_id(line_id)}",
                      SHAPES["update_invoice_line"], body=clean_body({"price": price}), permission=INVOICES_EDIT)


def publish_invoice(invoice_id: Id) -> ApiRequest[m.Invoice]:
    return ApiRequest("publish_invoice", "POST", f"/invoices/{record_id(invoice_id)}/publish", SHAPES["publish_invoice"],
                      permission=INVOICES_EDIT)


def check_line_item(ticket_id: Id, expect: Mapping[str, Any]) -> ApiRequest[m.Ticket]:
    """Read the ticket back after a charge: the charged line must be what the plan expects."""
    return ApiRequest("check_line_item", "GET", f"/tickets/{record_id(ticket_id)}", SHAPES["check_line_item"],
                      expect=clean_body(expect), permission=VIEW_TICKET)


def check_invoice(invoice_id: Id, expect: Mapping[str, Any]) -> ApiRequest[m.Invoice]:
    """Read the new invoice back: its lines and total must be what the plan expects."""
    return ApiRequest("check_invoice", "GET", f"/invoices/{record_id(invoice_id)}", SHAPES["check_invoice"],
                      expect=clean_body(expect), permission="Invoices - View Details")


def get_invoice(invoice_id: int) -> ApiRequest[m.Invoice]:
    return ApiRequest("get_invoice", "GET", f"/invoices/{record_id(invoice_id)}", shapes.wrapped("invoice", m.Invoice), permission="Invoices - View Details")


def list_invoices(*, ticket_id: int | None = None, since_updated_at: datetime | None = None, page: int = 1,
                  per_page: int | None = None) -> ApiRequest[m.Page[m.Invoice]]:
    return ApiRequest("list_invoices", "GET", "/invoices", shapes.listed("invoices", m.Invoice),
                      query_params(ticket_id=ticket_id, since_updated_at=since_updated_at, page=page, per_page=per_page),
                      permission="Invoices - List/Search")
