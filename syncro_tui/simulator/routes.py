"""Syncro's routes as the simulator answers them: method, path, the store's handler, the permission it needs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from . import model
from .store import JSON, Store


@dataclass(frozen=True)
class Call:
    """What a handler gets: the parsed request."""

    key: str
    #: One value per name; a Rails list (``id[]=1&id[]=2``) as a list under its name with the brackets.
    params: dict[str, Any]
    body: JSON
    ids: dict[str, str]


def query(request: Request) -> dict[str, Any]:
    """The query string as Rails reads it: the last value of a name, every value of a ``name[]``."""
    params = request.query_params
    return {k: params.getlist(k) if k.endswith("[]") else params[k] for k in params}


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    name: str
    #: The answer's body; None for a 204 with no body.
    handler: Callable[[Store, Call], JSON | None]
    #: (area, verb) in the key's permissions, or None for no check.
    permission: tuple[str, str] | None
    status: int = 200

    @property
    def writes(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH", "DELETE")


def _route(method: str, path: str, name: str, handler: Callable[[Store, Call], JSON | None],
           permission: tuple[str, str] | None, status: int = 200) -> Route:
    regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path) + "$"
    return Route(method, re.compile(regex), name, handler, permission, status)


TR, TW, TD = ("ticket", "read"), ("ticket", "write"), ("ticket", "delete")
CR = ("customer", "read")
IR, IW = ("invoice", "read"), ("invoice", "write")
AR = ("asset", "read")
#: "Ticket Canned Responses - Manage": Syncro asks it even to list them.
CANNED = ("canned_response", "manage")

def _moves(action: str) -> Callable[[Store, Call], JSON | None]:
    """A live timer's move (start, pause, stop) as a route's handler."""
    return lambda s, c: s.move_live_timer(c.ids["id"], action, key=c.key)


ROUTES: tuple[Route, ...] = (
    _route("GET", "/me", "me", lambda s, c: s.me(c.key), None),
    _route("GET", "/users", "list_users", lambda s, c: s.list_users(), None),
    _route("GET", "/tickets/settings", "ticket_settings", lambda s, c: s.ticket_settings(), TR),
    _route("GET", "/settings", "settings", lambda s, c: s.settings(), None),
    _route("GET", "/canned_responses/settings", "canned_response_settings",
           lambda s, c: s.canned_response_settings(c.key), None),
    _route("GET", "/canned_responses", "canned_responses", lambda s, c: s.list_canned_responses(c.params), CANNED),
    _route("GET", "/tickets", "list_tickets", lambda s, c: s.list_tickets(c.params, key=c.key), TR),
    _route("POST", "/tickets", "create_ticket", lambda s, c: s.create_ticket(c.body, key=c.key), TW),
    _route("GET", "/tickets/{id}", "get_ticket", lambda s, c: s.get_ticket(c.ids["id"]), TR),
    _route("PUT", "/tickets/{id}", "update_ticket", lambda s, c: s.update_ticket(c.ids["id"], c.body), TW),
    _route("DELETE", "/tickets/{id}", "delete_ticket", lambda s, c: s.delete_ticket(c.ids["id"]), TD),
    _route("GET", "/tickets/{id}/comments", "list_comments", lambda s, c: s.list_comments(c.ids["id"], c.params), TR),
    _route("POST", "/tickets/{id}/comment", "add_comment", lambda s, c: s.add_comment(c.ids["id"], c.body, key=c.key), TW),
    _route("POST", "/tickets/{id}/timer_entry", "add_timer", lambda s, c: s.add_timer(c.ids["id"], c.body, key=c.key), TW),
    _route("PUT", "/tickets/{id}/update_timer_entry", "update_timer", lambda s, c: s.update_timer(c.ids["id"], c.body), TW),
    _route("POST", "/tickets/{id}/delete_timer_entry", "delete_timer", lambda s, c: s.delete_timer(c.ids["id"], c.body), TW),
    _route("POST", "/tickets/{id}/charge_timer_entry", "charge_timer", lambda s, c: s.charge_timer(c.ids["id"], c.body, key=c.key), TW),
    _route("POST", "/tickets/{id}/add_line_item", "add_line_item", lambda s, c: s.add_line_item(c.ids["id"], c.body, key=c.key), TW),
    _route("PUT", "/tickets/{id}/update_line_item", "update_line_item", lambda s, c: s.update_line_item(c.ids["id"], c.body), TW),
    _route("POST", "/tickets/{id}/remove_line_item", "remove_line_item", lambda s, c: s.remove_line_item(c.ids["id"], c.body), TW),
    _route("GET", "/ticket_timers", "list_ticket_timers", lambda s, c: s.list_ticket_timers(c.params), TR),
    _route("POST", "/ticket_timers", "start_live_timer", lambda s, c: s.start_live_timer(c.body, key=c.key), TW),
    *(_route("POST", f"/ticket_timers/{{id}}/{action}", f"{action}_timer", _moves(action), TW)
      for action in ("start", "pause", "stop")),
    _route("GET", "/customers", "list_customers", lambda s, c: s.list_customers(c.params), CR),
    _route("GET", "/customers/autocomplete", "autocomplete_customers", lambda s, c: s.autocomplete_customers(c.params), CR),
    _route("GET", "/customers/{id}", "get_customer", lambda s, c: s.get_customer(c.ids["id"]), CR),
    _route("GET", "/contacts", "list_contacts", lambda s, c: s.list_contacts(c.params), CR),
    _route("GET", "/contacts/{id}", "get_contact", lambda s, c: s.get_contact(c.ids["id"]), CR),
    _route("GET", "/customer_assets", "list_assets", lambda s, c: s.list_assets(c.params), AR),
    _route("GET", "/products", "list_products", lambda s, c: s.list_products(c.params), None),
    _route("GET", "/products/{id}", "get_product", lambda s, c: s.get_product(c.ids["id"]), None),
    _route("GET", "/appointments", "list_appointments", lambda s, c: s.list_appointments(c.params, key=c.key), None),
    _route("POST", "/appointments", "create_appointment", lambda s, c: s.create_appointment(c.body, key=c.key), None, 201),
    _route("GET", "/appointments/{id}", "get_appointment", lambda s, c: s.get_appointment(c.ids["id"]), None),
    _route("PUT", "/appointments/{id}", "update_appointment", lambda s, c: s.update_appointment(c.ids["id"], c.body), None),
    _route("DELETE", "/appointments/{id}", "delete_appointment", lambda s, c: s.delete_appointment(c.ids["id"]), None, 204),
    _route("GET", "/appointment_types", "list_appointment_types", lambda s, c: s.list_appointment_types(), None),
    _route("GET", "/invoices", "list_invoices", lambda s, c: s.list_invoices(c.params), IR),
    _route("POST", "/invoices", "create_invoice", lambda s, c: s.create_invoice(c.body, key=c.key), IW),
    _route("GET", "/invoices/{id}", "get_invoice", lambda s, c: s.get_invoice(c.ids["id"]), IR),
    _route("POST", "/invoices/{id}/convert_to_draft", "invoice_to_draft", lambda s, c: s.invoice_to_draft(c.ids["id"]), IW),
    _route("PUT", "/invoices/{id}/line_items/{line_item_id}", "update_invoice_line",
           lambda s, c: s.update_invoice_line(c.ids["id"], c.ids["line_item_id"], c.body), IW),
    _route("POST", "/invoices/{id}/publish", "publish_invoice", lambda s, c: s.publish_invoice(c.ids["id"]), IW),
)

ROUTE_NAMES = frozenset(r.name for r in ROUTES) | frozenset(model.ROUTE_NAMES)
