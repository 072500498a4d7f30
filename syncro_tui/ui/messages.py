"""How a screen asks for another: a message the app handles (no screen imports another screen).

A screen posts one of these to the app (``self.app.post_message(OpenTicket(id))``);
``SyncroApp`` opens the screen it names, importing it on first use. When a write
has changed a ticket, the screen that wrote it posts ``TicketChanged`` and the
app has the queue and any open view of that ticket read it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from ..api.models import AccountSettings, Me, Ticket


class OpenTicket(Message):
    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self.ticket_id = ticket_id


class OpenBilling(Message):
    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self.ticket_id = ticket_id


class OpenComment(Message):
    def __init__(self, ticket: Ticket) -> None:
        super().__init__()
        self.ticket = ticket


class OpenNewTicket(Message):
    pass


class OpenAppointments(Message):
    pass


class OpenUnfinished(Message):
    pass


class OpenActivity(Message):
    pass


class OpenSweep(Message):
    """``E``: the end-of-day sweep."""


class TicketChanged(Message):
    """A write landed on this ticket (a new one too; None: not known): the queue and the ticket's views read it
    again."""

    def __init__(self, ticket_id: int | None = None) -> None:
        super().__init__()
        self.ticket_id = ticket_id


class ToggleClock(Message):
    """``w``: start the ticket's work clock, or pause or resume it."""

    def __init__(self, ticket_id: int, number: int, subject: str) -> None:
        super().__init__()
        self.ticket_id, self.number, self.subject = ticket_id, number, subject


class StopClock(Message):
    """``W``: stop the ticket's work clock and bill its time (the wizard, filled in)."""

    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self.ticket_id = ticket_id


class ClocksChanged(Message):
    """A work clock started, moved or went, here or in Syncro: the status bar says the clocks again."""


class Connected(Message):
    """Syncro answered the app's first call: whose key it is, and the account's settings when they could be read
    (None: times stay in UTC). The client is built after the first frame, so the connection arrives late, as this."""

    def __init__(self, me: Me, settings: AccountSettings | None) -> None:
        super().__init__()
        self.me = me
        self.settings = settings
