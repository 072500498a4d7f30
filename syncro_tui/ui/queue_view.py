"""What the queue screen draws: its columns, its rows' cells, the sections bar and today's appointments, from
the queue model (``session/queue.py``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from rich.text import Text
from textual.widgets import Static

from ..domain.account import Account
from ..domain.queue import QueueRow, age, short_due, short_status
from ..domain.when import due
from ..session.queue import QueueModel
from .text import clean, literal
from .ticket_table import Column

COLUMNS = (Column("seen", " ", 1), Column("number", "#", 7),
           Column("status", "Status", 19, least=10, rank=2, short=short_status),
           Column("priority", "Priority", 8, rank=3), Column("customer", "Customer", 26, least=14, rank=1),
           Column("subject", "Subject", 30, least=16, grow=True),
           Column("due", "Due", 12, least=10, rank=3, short=short_due),
           Column("tech", "Tech", 16, least=10, rank=5), Column("age", "Age", 4, rank=7),
           Column("updated", "Updated", 11, rank=6))
APPOINTMENT_COLUMNS = (Column("time", "Time", 13), Column("summary", "Summary", 40, least=16, grow=True),
                       Column("customer", "Customer", 26, least=12, rank=4), Column("tech", "Tech", 16, least=10, rank=2),
                       Column("ticket", "Ticket", 8, rank=1), Column("location", "Location", 20, least=10, rank=3))

PRIORITY_STYLE = {"4 Urgent": "bold red", "0 Urgent": "bold red", "1 High": "yellow", "3 Low": "dim"}
CHANGED = Text("●", style="bold dodger_blue1")
MARKED = Text("✔", style="bold reverse magenta")
NOT_CHANGED = Text(" ")


class RowPainter:
    """The queue's rows as cells, made when the table first draws a row (only drawn rows ever have cells)."""

    def __init__(self, model: QueueModel, account: Account, now: Callable[[], datetime]) -> None:
        self.model = model
        self.account = account
        self.now = now

    def __call__(self, key: str) -> list[Text]:
        """A row's cells, by its key (the ticket id)."""
        ticket = self.model.row(int(key))
        if ticket is None:
            return [NOT_CHANGED, literal(f"#{key}")] + [Text("")] * (len(COLUMNS) - 2)
        return self.cells(ticket)

    def cells(self, ticket: QueueRow) -> list[Text]:
        """The row's cells (the table keeps them while the row is shown and unchanged; only drawn rows have any)."""
        changed = ticket.id in self.model.unseen
        now = self.now()
        tz = self.account.time_zone
        updated = ticket.updated_at.astimezone(tz)
        updated_text = updated.strftime("%H:%M") if updated.date() == now.astimezone(tz).date() else updated.strftime("%b %d")
        tech = ticket.tech_name or ("—" if ticket.user_id is None else f"#{ticket.user_id}")
        seen = (MARKED if ticket.id in self.model.marked
                else Text(self.model.marks.get(ticket.id, "●"), style=CHANGED.style) if changed else NOT_CHANGED)
        return [
            seen,
            literal(f"#{ticket.number}"),
            literal(ticket.status, "bold" if ticket.status in ("New", "Customer Reply") else ""),
            literal(ticket.priority or "", PRIORITY_STYLE.get(ticket.priority or "", "")),
            literal(ticket.customer_business_then_name or ""),
            literal(ticket.subject),
            self.due_cell(ticket, now),
            literal(tech, "dim" if ticket.user_id is None else ""),
            literal(age(ticket.created_at, now)),
            literal(updated_text),
        ]

    def due_cell(self, ticket: QueueRow, now: datetime) -> Text:
        """The SLA's state when it is breached or about to be; for a customer's reply how long it has waited on us
        (since the reply, the ticket's last update); else the due date, overdue red, due today yellow."""
        if ticket.sla_breached:
            return Text("SLA breached", style="bold red")
        if ticket.sla_breaching_soon:
            return Text("SLA due soon", style="bold yellow")
        if ticket.status == "Customer Reply" or ticket.customer_reply:  # the customer answered: waiting on us since
            return Text(f"waiting {age(ticket.updated_at, now)}", style="bold yellow")
        if ticket.due_date is None:
            return Text("")
        tz = self.account.time_zone
        when = due(ticket.due_date, tz=tz, now=now)
        return Text(when.text(now.astimezone(tz).date()),
                    style="bold red" if when.overdue else "bold yellow" if when.today else "")


class SectionsBar(Static):
    """The sections by number, the filter and the load's progress, on one line (``show``). Too narrow for every
    label, the other sections' labels are cut shorter step by step (a long search's name then costs its own room,
    not everyone's), down to their numbers; the current one keeps its name."""

    #: How far the other sections' labels are cut, in turn, until the bar fits (0: the number alone).
    LABEL_CUTS = (None, 14, 10, 8, 0)

    def __init__(self, model: QueueModel, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model = model

    def show(self) -> None:
        model = self.model
        width = self.size.width or self.app.size.width
        tail = Text()
        if model.needle:
            tail.append("  filter: ", style="dim")
            tail.append(clean(model.needle.text), style="bold")
        if model.progress:
            tail.append(f"  {model.progress}", style="italic")
        for cut in self.LABEL_CUTS:
            bar = self.tabs(cut=cut)
            if bar.cell_len + tail.cell_len <= width:
                break
        bar.append_text(tail)
        self.update(bar, layout=False)  # one line, always: no layout pass per key

    def on_resize(self) -> None:
        self.show()  # labels back, or collapsed, for the new width

    def tabs(self, *, cut: int | None = None) -> Text:
        """``cut``: the other sections' labels at most this wide (their counts kept), 0 for none."""
        model = self.model
        bar = Text(no_wrap=True, overflow="ellipsis")
        for number, section in enumerate(model.sections, start=1):
            current = section.id == (model.section.id if model.section else None)
            key = str(number) if number <= 9 else " "
            bar.append(f" {key} ", style="bold reverse" if current else "bold")
            if cut == 0 and not current:
                continue
            label = clean(section.label)
            if cut is not None and not current and len(label) > cut:
                label = label[:cut - 1].rstrip() + "…"
            if model.counted(section):
                label += f" {model.count(section)}"
            bar.append(f" {label} ", style="bold" if current else "dim")
        return bar


def appointment_rows(model: QueueModel, account: Account) -> list[tuple[str, tuple[Text, ...]]]:
    """Today's appointments as the appointments view's rows (a ticket by the number the queue knows it by)."""
    tz = account.time_zone
    rows: list[tuple[str, tuple[Text, ...]]] = []
    names = account.tech_names
    numbers = {t.id: t.number for t in model.queue.tickets.values()}
    for appt in model.appointments:
        start = appt.start_at.astimezone(tz)
        end = appt.end_at.astimezone(tz) if appt.end_at else start + timedelta(hours=1)
        customer = (appt.customer.display_name if appt.customer else None) or (
            f"#{appt.customer_id}" if appt.customer_id else "")
        ticket = f"#{numbers[appt.ticket_id]}" if appt.ticket_id in numbers else ("open" if appt.ticket_id else "")
        rows.append((str(appt.id), (literal(f"{start:%H:%M}–{end:%H:%M}"), literal(appt.summary or ""),
                                    literal(customer), literal(names.get(appt.user_id or -1, "")), literal(ticket),
                                    literal(appt.location or ""))))
    return rows
