"""Pydantic models of every Syncro response shape the app reads.

Money and quantities are Decimal (Syncro sends them as strings or numbers),
timestamps are timezone-aware, unknown extra fields are ignored. A required
field that is missing fails validation, and the client turns that into an
error naming the call.

Tolerant where Syncro is loose, strict where money is: a field that live
accounts (or Syncro's own examples) leave null or out is optional here, with
what the app does without it said beside it; money, hours and the ids the
write path links records by stay required. Ids are Python ints (no size
limit); custom ``properties`` keep whatever types the shop's fields have.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

from pydantic import Field

from .fields import Flag, Model, OptDecimal, OptFlag, OptTimestamp, Timestamp


class UserRef(Model):
    id: int
    full_name: str | None = None
    email: str | None = None


class User(Model):
    id: int
    name: str


class Me(Model):
    user_id: int
    user_name: str
    user_email: str | None = None
    subdomain: str | None = None
    admin: bool = False
    permissions: dict[str, dict[str, bool]] = Field(default_factory=dict)


class Contact(Model):
    id: int
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    customer_id: int | None = None
    properties: dict[str, Any] = Field(default_factory=dict)


class Address(Model):
    """One of a customer's sites (a ticket's ``address_id``)."""

    id: int
    name: str | None = None
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None

    @property
    def line(self) -> str:
        place = ", ".join(p for p in (self.address1, self.address2, self.city, self.state) if p)
        return " — ".join(p for p in (self.name, place) if p) or f"Site {self.id}"


class Customer(Model):
    id: int
    firstname: str | None = None
    lastname: str | None = None
    fullname: str | None = None
    business_name: str | None = None
    business_then_name: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    address: str | None = None
    address_2: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    #: Prepaid block in hours; absent, null or "0.0" means no block.
    prepay_hours: OptDecimal = None
    #: The shop's custom customer fields, of any type (ints, strings, lists).
    properties: dict[str, Any] = Field(default_factory=dict)
    contacts: list[Contact] = Field(default_factory=list)
    addresses: list[Address] = Field(default_factory=list)

    @property
    def display_name(self) -> str:
        return self.business_then_name or self.business_name or self.fullname or f"Customer {self.id}"

    @property
    def has_prepaid_block(self) -> bool:
        return self.prepay_hours is not None and self.prepay_hours > 0


class Asset(Model):
    id: int
    name: str
    customer_id: int | None = None
    asset_type: str | None = None
    asset_serial: str | None = None


class CommentKind(StrEnum):
    EMAIL = "email"
    PUBLIC = "public"
    PRIVATE = "private"


class Comment(Model):
    id: int
    ticket_id: int | None = None
    created_at: Timestamp
    subject: str | None = None
    body: str | None = None
    tech: str | None = None
    hidden: Flag = False
    user_id: int | None = None
    destination_emails: str | None = None

    @property
    def kind(self) -> CommentKind:
        if self.hidden:
            return CommentKind.PRIVATE
        return CommentKind.EMAIL if self.destination_emails else CommentKind.PUBLIC


class Timer(Model):
    id: int
    ticket_id: int
    user_id: int | None = None
    start_time: Timestamp
    end_time: OptTimestamp = None
    recorded: Flag = False
    billable: OptFlag = None
    notes: str | None = None
    product_id: int | None = None
    #: Null in the charge answer of Syncro's own example even when charged: read the ticket's lines.
    ticket_line_item_id: int | None = None
    #: Seconds; null after a charge or an update on live accounts (``seconds`` then uses start and end).
    active_duration: int | None = None
    created_at: OptTimestamp = None
    #: running, paused or stopped: only on accounts with live timers (2026); None elsewhere.
    status: str | None = None
    #: Seconds Syncro bills; on an account with live timers, the time worked (its pauses left out).
    billable_time: int | None = None

    @property
    def live(self) -> bool:
        """Running or paused in Syncro: a live timer the tech is still working on."""
        return self.status in ("running", "paused")

    @property
    def seconds(self) -> int:
        """How long the timer ran: Syncro's figure (a live timer's time worked, even once a charge has nulled
        ``active_duration``), else end minus start (0 while it runs)."""
        if self.active_duration is not None:
            return self.active_duration
        if self.status is not None and self.billable_time is not None:
            return self.billable_time
        if self.end_time is None:
            return 0
        return max(int((self.end_time - self.start_time).total_seconds()), 0)


class LineItem(Model):
    id: int
    ticket_id: int | None = None
    product_id: int | None = None
    name: str | None = None
    description: str | None = None
    quantity: Decimal
    #: Required: a line whose price cannot be read is in doubt, never taken as 0.00.
    price_retail: Decimal
    price_cost: OptDecimal = None
    taxable: Flag = False
    converted: Flag = False
    #: The invoice a line was rolled onto, where Syncro says (not every account's answer carries it).
    invoice_id: int | None = None
    created_at: OptTimestamp = None

    @property
    def total(self) -> Decimal:
        return self.quantity * self.price_retail


class Appointment(Model):
    id: int
    summary: str | None = None
    description: str | None = None
    customer_id: int | None = None
    ticket_id: int | None = None
    user_id: int | None = None
    #: Everyone invited besides the owner.
    user_ids: list[int] | None = None
    appointment_type_id: int | None = None
    start_at: Timestamp
    end_at: OptTimestamp = None
    location: str | None = None
    customer: Customer | None = None


class AppointmentType(Model):
    id: int
    name: str
    location_type: str | None = None


class TicketSummary(Model):
    """A ticket as ``GET /tickets`` lists it."""

    id: int
    number: int
    subject: str = ""
    status: str = ""
    priority: str | None = None
    problem_type: str | None = None
    customer_id: int | None = None
    customer_business_then_name: str | None = None
    contact_id: int | None = None
    contact_fullname: str | None = None
    user_id: int | None = None
    user: UserRef | None = None
    created_at: Timestamp
    updated_at: Timestamp
    due_date: OptTimestamp = None
    resolved_at: OptTimestamp = None
    customer_reply: Flag = False
    ticket_type_id: int | None = None
    ticket_type_name: str | None = None
    parent_id: int | None = None
    contract_id: int | None = None
    contract_name: str | None = None
    #: The SLA, when the account has SLAs (all null or false when it has none).
    sla_id: int | None = None
    sla_name: str | None = None
    sla_breached: Flag = False
    sla_breaching_soon: Flag = False
    #: The shop's custom ticket fields, of any type.
    properties: dict[str, Any] = Field(default_factory=dict)


class Ticket(TicketSummary):
    """A ticket as ``GET /tickets/{id}`` returns it, with what hangs off it."""

    customer: Customer | None = None
    contact: Contact | None = None
    comments: list[Comment] = Field(default_factory=list)
    line_items: list[LineItem] = Field(default_factory=list)
    ticket_timers: list[Timer] = Field(default_factory=list)
    appointments: list[Appointment] = Field(default_factory=list)
    assets: list[Asset] = Field(default_factory=list)


class Product(Model):
    id: int
    name: str
    description: str | None = None
    #: Required: the rate check compares it with the rate table.
    price_retail: Decimal
    price_cost: OptDecimal = None
    taxable: OptFlag = None
    disabled: Flag = False
    product_category: str | None = None


class InvoiceLine(Model):
    id: int
    item: str | None = None
    name: str | None = None
    price: Decimal
    quantity: Decimal
    product_id: int | None = None
    taxable: OptFlag = None
    prepay_hours_applied: OptDecimal = None


class Invoice(Model):
    """An invoice as ``POST /invoices`` and ``GET /invoices/{id}`` answer it, or as the list shows it.

    Live accounts list invoices with only id, number, total, status, created_at
    and customer_id: no subtotal, no ticket_id, no lines. So ``ticket_id`` is
    only trusted from ``GET /invoices/{id}`` (``SyncroClient.invoices_for_ticket``).
    """

    id: int
    number: str
    customer_id: int
    ticket_id: int | None = None
    subtotal: OptDecimal = None
    total: Decimal
    tax: OptDecimal = None
    status: str | None = None
    date: OptTimestamp = None
    created_at: OptTimestamp = None
    is_paid: Flag = False
    #: Only accounts with draft invoices on say it (docs/rules.md §13); None elsewhere.
    draft: OptFlag = None
    #: Absent on the POST response and in the list, present on GET /invoices/{id}.
    line_items: list[InvoiceLine] | None = None


class SavedSearch(Model):
    id: int
    name: str


class TicketType(Model):
    """One of the account's ticket types (``/tickets/settings``: ``ticket_types``)."""

    id: int
    name: str
    disabled: Flag = False


class WorksheetTemplate(Model):
    id: int
    name: str | None = None


class CannedResponse(Model):
    """One of the account's canned responses (``GET /canned_responses``): its body is Syncro's HTML."""

    id: int
    title: str
    body: str | None = None
    subject: str | None = None
    category_name: str | None = None


class TicketSettings(Model):
    ticket_status_list: list[str]
    default_labor_product_id: int | None = None
    users: list[User] = Field(default_factory=list)
    appointment_types: list[AppointmentType] = Field(default_factory=list)
    saved_searches: list[SavedSearch] = Field(default_factory=list)
    ticket_types: list[TicketType] = Field(default_factory=list)
    #: The account refuses a ticket without a type (null on accounts that never set it: not required).
    require_ticket_type: Flag = False
    #: The type a new ticket gets when the tech picks none (where the account says).
    default_ticket_type_id: int | None = None
    require_intake_form_with_ticket: Flag = False
    require_outtake_form_with_ticket: Flag = False
    worksheet_templates: list[WorksheetTemplate] = Field(default_factory=list)

    @property
    def usable_ticket_types(self) -> list[TicketType]:
        return [t for t in self.ticket_types if not t.disabled]


class BusinessHours(Model):
    day: str
    start: str | None = None
    end: str | None = None
    closed: bool = False


class AccountSettings(Model):
    time_zone: str | None = None
    problem_types: list[str] = Field(default_factory=list)
    priorities: list[str] = Field(default_factory=list)
    business_hours: list[BusinessHours] = Field(default_factory=list)


class Meta(Model):
    total_pages: int = 1
    page: int = 1
    #: How many there are in all (Syncro says so on most lists).
    total_entries: int | None = None


T = TypeVar("T")


class Page(Model, Generic[T]):
    items: list[T]
    meta: Meta
    #: Items of this page that could not be read (each logged); the rest of the page is kept.
    skipped: int = 0


class Listing(list[T]):
    """Every item of every page read, and how many items could not be read (``skipped``)."""

    skipped: int = 0


class Deleted(Model):
    """The answer to a delete/remove call (204 with no body reads as success)."""

    success: Flag = True
    message: str | None = None
