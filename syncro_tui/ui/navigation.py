"""Where the app goes when a screen asks (``Open*`` messages): each screen is imported when first opened, so the
first frame imports none of them; a screen that writes is refused at once when the key may not write."""

from __future__ import annotations

from .base import SyncroBase
from .messages import (OpenActivity, OpenAppointments, OpenBilling, OpenComment, OpenNewTicket, OpenSweep, OpenTicket,
                       OpenUnfinished)


class Navigation(SyncroBase):
    """The app's handling of the messages that open a screen, whichever screen sent them."""

    def on_open_ticket(self, message: OpenTicket) -> None:
        from .ticket import TicketScreen

        self.push_screen(TicketScreen(message.ticket_id))

    def on_open_billing(self, message: OpenBilling) -> None:
        from .billing import BillingScreen
        from .writing import key_allowed

        if not key_allowed(self):  # refused at the first key, not after the tech has filled the wizard in
            return
        self.push_screen(BillingScreen(message.ticket_id))


    def on_open_comment(self, message: OpenComment) -> None:
        from .writing import key_allowed

        if not key_allowed(self):
            return
        from .comment import CommentScreen

        self.push_screen(CommentScreen(message.ticket))

    def on_open_new_ticket(self, message: OpenNewTicket) -> None:
        from .writing import key_allowed

        if not key_allowed(self):
            return
        from .new_ticket import NewTicketScreen

        self.push_screen(NewTicketScreen())

    def on_open_appointments(self, message: OpenAppointments) -> None:
        from .appointments import AppointmentsScreen

        self.push_screen(AppointmentsScreen())

    def on_open_unfinished(self, message: OpenUnfinished) -> None:
        if self.writes is None or not self.writes.open_groups():
            self.notify("No unfinished writes.", timeout=4)
            return
        from .unfinished import UnfinishedScreen

        self.push_screen(UnfinishedScreen())

    def on_open_activity(self, message: OpenActivity) -> None:
        from .activity import ActivityScreen

        self.push_screen(ActivityScreen())

    def on_open_sweep(self, message: OpenSweep) -> None:
        from .sweep import SweepScreen

        self.push_screen(SweepScreen())
