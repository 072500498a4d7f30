"""The anchor `bench_triage.py` measures beside the app: a minimal Textual app pushing the same screens.

    python scripts/anchor_triage.py N

A plain ``DataTable`` of N rows built in memory (``anchor_app.py``'s), and on its keys the screens a triage
key opens, made the plain way from data in memory (no HTTP): Enter pushes a ticket screen (a head and five
comments, "Comments (5)"), ``b`` a form of eight inputs with its head ("Prepaid block: none"), ``n`` a form of
a subject and a body, and there ``ctrl+s`` a modal confirm ("Press s to send"). Escape goes back.
"""

from __future__ import annotations

import sys

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, Static, TextArea

from anchor_app import Anchor


class Back(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]


class TicketView(Back):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("#31900  Printer offline on 2nd floor\n\nStatus  In Progress   Priority  2 Normal")
            yield Static("Comments (5), newest first")
            for n in range(5):
                yield Static(f"EMAIL  Tue Nov 24  Dana Whitfield\nComment {n}: " + "words " * 30)
        yield Footer()


class Form(Back):
    BINDINGS = [Binding("ctrl+s", "review", "Review and send", priority=True)]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Bill ticket #31900  Printer offline\nCustomer 4   Prepaid block: none   Status: In Progress")
            for name in ("Minutes worked", "Labor type", "Work ended", "Description", "Subject", "Resolution",
                         "Notes", "Product"):
                yield Label(name)
                yield Input(placeholder=name)
            yield TextArea()
        yield Footer()

    def action_review(self) -> None:
        self.app.push_screen(Confirm())


class Confirm(ModalScreen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Ticket #31900: private note “Update”")
            yield Static('1/1  POST /tickets/108/comment\n  {"subject": "Update", "body": "x", "hidden": true}')
            yield Static("Press s to send, Escape to cancel. Nothing has been sent yet.")
        yield Footer()


class TriageAnchor(Anchor):
    BINDINGS = [*Anchor.BINDINGS, Binding("enter", "ticket", "Open", priority=True), ("b", "bill", "Bill"),
                ("n", "comment", "Comment")]

    def action_ticket(self) -> None:
        self.push_screen(TicketView())

    def action_bill(self) -> None:
        self.push_screen(Form())

    def action_comment(self) -> None:
        self.push_screen(Form())


if __name__ == "__main__":
    TriageAnchor(int(sys.argv[1])).run()
