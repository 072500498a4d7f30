"""What the app knows of the account behind the key, and what the tech has typed but not sent (no I/O).

``Account`` starts empty and fills in as the app reads Syncro at start (whose key
it is, the account's zone and hours, its statuses, techs, priorities and ticket
types); until then it answers with safe defaults (UTC, no priorities). ``Drafts``
keeps each form as typed, per ticket, for the app's run, so leaving a screen
loses nothing.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .text import clean

if TYPE_CHECKING:  # the app holds these before its first frame, which pydantic would delay
    from ..api.models import AccountSettings, BusinessHours, Me, TicketSettings
    from .billing_form import BillingForm
    from .comment import CommentForm
    from .new_ticket import NewTicketForm



def utc() -> ZoneInfo:
    """UTC as a zone, on any machine. Zones are looked up when used, never at import: Windows has no zone
    database of its own (the ``tzdata`` package brings one), and an import that fails there would stop the app
    from starting. Where no zone data can be found at all, UTC is built from its few bytes of TZif."""
    try:
        return ZoneInfo("UTC")
    except ZoneInfoNotFoundError:
        def block(names: bytes) -> bytes:  # a TZif header with one type (offset 0, not DST), and its names
            return b"TZif2" + bytes(15) + struct.pack(">6l", 0, 0, 0, 0, 1, len(names)) + bytes(6) + names
        return ZoneInfo.from_file(io.BytesIO(block(b"\0") + block(b"UTC\0") + b"\nUTC0\n"), key="UTC")


def resolve_zone(name: str | None) -> tuple[ZoneInfo, str | None]:
    """The zone Syncro names for the account, or UTC and the words that say why (None: nothing to say).

    A name this machine cannot resolve (a typo in the account, old zone data) never stops the app: times
    go on in UTC and the tech is told which zone was asked for."""
    if not name:
        return utc(), None
    try:
        return ZoneInfo(name), None
    except (ZoneInfoNotFoundError, ValueError):  # ValueError: a name that is not a zone's at all ("../x")
        return utc(), (f"The account's time zone “{clean(name)}” is not one this machine knows: times are shown "
                       "and typed in UTC until it is set right in Syncro (Admin → Account settings) or the "
                       "machine's zone data is updated (pip install -U tzdata).")


@dataclass
class Account:
    #: Whose key this is (GET /me); None until asked.
    me: Me | None = None
    #: The account's zone: every time is shown and typed in it (UTC until the settings are read).
    time_zone: ZoneInfo = field(default_factory=utc)
    #: Problem types, priorities, time zone and business hours (None until read, or when they cannot be).
    settings: AccountSettings | None = None
    #: Ticket statuses, techs, saved searches, appointment and ticket types (None until read).
    tickets: TicketSettings | None = None
    #: Why the key could not be checked (Syncro cannot be reached), and whose it was when last checked.
    unchecked: str | None = None
    last_known: Me | None = None

    @property
    def owner_label(self) -> str:
        if self.me:
            return f"{self.me.user_name} (#{self.me.user_id})"
        if self.unchecked:
            was = f"{self.last_known.user_name} (#{self.last_known.user_id}) when last checked; " if self.last_known else ""
            return f"{was}not checked now: {self.unchecked}"
        return "checking key…"

    @property
    def user_id(self) -> int | None:
        return self.me.user_id if self.me else None

    @property
    def priorities(self) -> list[str]:
        return self.settings.priorities if self.settings else []

    @property
    def business_hours(self) -> list[BusinessHours]:
        return self.settings.business_hours if self.settings else []

    @property
    def statuses(self) -> list[str]:
        return self.tickets.ticket_status_list if self.tickets else []

    @property
    def tech_names(self) -> dict[int, str]:
        """The account's techs by user id (empty until the ticket settings are read)."""
        return {u.id: u.name for u in self.tickets.users} if self.tickets else {}


@dataclass
class Drafts:
    #: The billing wizard's form, per ticket id.
    billing: dict[int, BillingForm] = field(default_factory=dict)
    #: Comments being written, per ticket id.
    comments: dict[int, CommentForm] = field(default_factory=dict)
    #: The new ticket being written (one at a time).
    new_ticket: NewTicketForm | None = None

    def unsent(self, numbers: Mapping[int, int]) -> list[str]:
        """What the tech typed and has not sent, in words (drafts last only as long as the app runs)."""
        def name(ticket_id: int) -> str:
            return f"#{numbers[ticket_id]}" if ticket_id in numbers else f"ticket {ticket_id}"

        out = [f"the billing of {name(t)}" for t, form in self.billing.items()
               if form.minutes.strip() or form.description.strip() or form.comment.strip()]
        out += [f"a comment on {name(t)}" for t, form in self.comments.items() if form.text.strip()]
        form = self.new_ticket
        if form is not None and (form.subject.strip() or form.description.strip() or form.customer_text.strip()):
            out.append("the new ticket")
        return out
