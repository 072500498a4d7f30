"""The new-ticket form's lists, read from Syncro: the account's issue types, priorities, ticket types, techs and
appointment types; the picked customer's contacts, sites and assets (with the asset search)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.screen import Screen
from textual.widgets import Input, Select, Static

from ..api import SyncroError
from ..api.models import Asset, Customer
from ..domain.new_ticket import AccountRules, NewTicketForm
from .dialogs import CustomerPicker
from .base import HoldsRefresh
from .text import literal
from .widgets import ReportsFailures


class SyncroLists(HoldsRefresh, ReportsFailures, Screen[int | None]):
    """The part of ``NewTicketScreen`` that fills its pickers from what Syncro lists."""

    customer: Customer | None
    assets: list[Asset]

    if TYPE_CHECKING:  # the form's
        @property
        def form(self) -> NewTicketForm: ...
        def update_view(self) -> None: ...

    @work(exclusive=True, group="new-ticket-lists", exit_on_error=False)
    async def load_lists(self) -> None:
        app = self.app
        reads = app.reads
        head = self.query_one("#nt-head", Static)
        try:
            if app.account.settings is None:
                app.account.settings = await reads.account_settings()
            if app.account.tickets is None:
                app.account.tickets = await reads.ticket_settings()
        except SyncroError as exc:
            head.update(Text(f"New ticket. The account's lists could not be read: {exc}. ctrl+r reads them again.",
                             style="bold red"))
            return
        head.update(Text("New ticket", style="bold"))
        form, account, tickets = self.form, app.account.settings, app.account.tickets
        self.fill("#problem_type", [(literal(p), p) for p in account.problem_types], form.problem_type)
        urgent = app.session.config.tickets.emergency_priority
        self.fill("#priority", [(literal(p + ("  (emergency / after hours)" if p == urgent else "")), p)
                                for p in account.priorities], form.priority)
        self.fill("#tech", [(literal(u.name), u.id) for u in tickets.users], form.user_id)
        rules = AccountRules.of(tickets)
        if not form.account_defaults_applied:
            form.ticket_type_id = form.ticket_type_id or rules.default_type(tickets, app.session.config.tickets.ticket_type)
            form.account_defaults_applied = True
        self.fill("#ticket_type", [(literal(name), type_id) for type_id, name in rules.ticket_types.items()],
                  form.ticket_type_id)
        self.query_one("#ticket_type", Select).disabled = not rules.ticket_types
        self.query_one("#ticket-type-note", Static).update(Text(
            "Required by this account." if rules.require_ticket_type else
            ("Optional." if rules.ticket_types else "This account has no ticket types."), style="dim italic"))
        self.fill("#appointment_type", [(literal(name), type_id) for type_id, name in self.appointment_types().items()],
                  form.appointment_type_id)
        self.update_view()

    def appointment_types(self) -> dict[int, str]:
        """The account's appointment types, else the config's (ids are per shop)."""
        app = self.app
        listed = app.account.tickets.appointment_types if app.account.tickets else []
        return {t.id: t.name for t in listed} or {v: k for k, v in app.session.config.appointment_types.items()}

    def fill(self, selector: str, options: Sequence[tuple[Text, Any]], value: Any) -> None:
        select: Select[Any] = self.query_one(selector, Select)
        with select.prevent(Select.Changed):
            select.set_options(options)
            if value is not None and any(v == value for _, v in options):
                select.value = value

    @on(CustomerPicker.Picked)
    def customer_picked(self, event: CustomerPicker.Picked) -> None:
        form = self.form
        if form.customer_id != event.customer_id:
            form.contact_id = form.address_id = form.asset_id = None
        form.customer_id, form.customer_name, form.customer_text = event.customer_id, event.name, event.name
        self.load_customer(event.customer_id)
        self.query_one("#subject", Input).focus()
        self.update_view()

    @on(CustomerPicker.Typed)
    def customer_typed(self, event: CustomerPicker.Typed) -> None:
        form = self.form
        form.customer_text = event.text
        if form.customer_id is not None:
            form.customer_id, form.customer_name = None, ""
            form.contact_id = form.address_id = form.asset_id = None
            self.customer, self.assets = None, []
            for selector in ("#contact", "#address", "#asset"):
                self.fill(selector, [], None)
        self.update_view()

    @work(exclusive=True, group="new-ticket-customer", exit_on_error=False)
    async def load_customer(self, customer_id: int) -> None:
        try:
            customer, assets = await self.app.reads.customer_and_assets(customer_id)
        except SyncroError as exc:
            self.notify(f"The customer's contacts and assets could not be read: {exc}", severity="error", timeout=10)
            return
        if self.form.customer_id != customer_id:
            return  # the tech moved on to another customer
        self.customer, self.assets = customer, assets
        form = self.form
        self.fill("#contact", [(literal(c.name or c.email or f"Contact {c.id}"), c.id) for c in customer.contacts],
                  form.contact_id)
        self.fill("#address", [(literal(a.line), a.id) for a in customer.addresses], form.address_id)
        self.show_assets(assets)
        self.update_view()

    def show_assets(self, assets: Sequence[Asset]) -> None:
        self.fill("#asset", [(literal(f"{a.name}  {a.asset_type or ''} {a.asset_serial or ''}".rstrip()), a.id)
                             for a in assets], self.form.asset_id)

    @on(Input.Changed, "#asset-query")
    def asset_query(self, event: Input.Changed) -> None:
        event.stop()
        if self.form.customer_id is not None:
            self.find_assets(self.form.customer_id, event.value.strip())

    @work(exclusive=True, group="new-ticket-assets", exit_on_error=False)
    async def find_assets(self, customer_id: int, query: str) -> None:
        await asyncio.sleep(CustomerPicker.DEBOUNCE)
        try:
            found = await self.app.reads.assets(customer_id, query or None)
        except SyncroError as exc:
            self.notify(f"The asset search failed: {exc}", severity="error", timeout=8)
            return
        self.show_assets(found)
        if found:
            self.notify(f"{len(found)} asset{'s' if len(found) != 1 else ''} found: pick one in the Asset list.",
                        timeout=3)
        else:
            self.notify("No asset of this customer matches.", severity="warning", timeout=4)
