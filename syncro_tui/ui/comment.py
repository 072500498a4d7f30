"""Comment on a ticket: subject, body, and visibility as Syncro really has it (docs/rules.md §6).

A plain sentence says who receives it (the contact's address for an email
reply). The body is sent as Syncro HTML with ``<br>`` breaks, lists as "• "
lines. A customer-visible comment that looks like it hands over a password,
key or token is stopped, with the offending text highlighted.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from ..api.models import Ticket
from ..api.ollama import CommentSuggestion
from ..domain import coach
from ..domain.coach import Coaching
from ..domain.comment import CommentDraft, CommentForm, Visibility, audience
from ..domain.drafting import comment_prompt
from ..writes.plans import Plan, comment_on
from ..domain.ticket import email_recipient
from .coach import CoachPanel, coach_again, place
from .base import HoldsRefresh
from .drafting import HELP, ask, can_draft, footer_quiet, history, put
from .messages import TicketChanged
from .text import clean, literal
from .widgets import AttributionBanner, FittingFooter, ReportsFailures
from .writing import confirm_and_send

EMPTY = CommentDraft("", "", Visibility.PUBLIC)


class AudienceLine(Static):
    """Who receives the comment, said plainly; bound to the screen's draft."""

    draft: reactive[CommentDraft] = reactive(EMPTY)

    def __init__(self, recipient: str | None, *, id: str, classes: str) -> None:
        super().__init__(id=id, classes=classes)
        self.recipient = recipient

    def watch_draft(self, draft: CommentDraft) -> None:
        self.update(literal(audience(draft.visibility, self.recipient), "italic"))


class CommentProblems(Static):
    """What stops the send: the missing fields once a send was tried, and a password-looking text in a public
    comment, highlighted; bound to the screen's draft and whether a send was tried."""

    draft: reactive[CommentDraft] = reactive(EMPTY)
    attempted: reactive[bool] = reactive(False)

    def watch_draft(self) -> None:
        self.update(self.view())

    def watch_attempted(self) -> None:
        self.update(self.view())

    def view(self) -> Text:
        draft, out = self.draft, Text()
        if self.attempted:
            for problem in draft.problems():
                out.append(problem + "\n", style="bold red")
        hazards = draft.hazards()
        if hazards:
            out.append(f"{draft.stopped}\n", style="bold red")
            out.append_text(highlighted(draft.text, hazards))
        return out


class CommentScreen(HoldsRefresh, ReportsFailures, Screen[bool]):
    """Dismisses with True when the comment is in Syncro."""

    #: The draft as the fields hold it: the panes below draw from it, and only when it changes.
    draft_now: reactive[CommentDraft] = reactive(EMPTY, init=False)
    #: A send was tried: the missing fields are said from then on.
    attempted: reactive[bool] = reactive(False, init=False)

    BINDINGS = [
        Binding("escape", "leave", "Back (draft kept)", id="comment.back"),
        Binding("ctrl+s", "review", "Review and send", id="comment.review", priority=True),
        Binding("ctrl+d", "draft", "Draft with the model", id="comment.draft", priority=True),
        Binding("ctrl+k", "canned", "Canned", id="comment.canned", priority=True),
    ]

    def __init__(self, ticket: Ticket) -> None:
        super().__init__()
        self.ticket = ticket
        self.sending = False

    @property
    def form(self) -> CommentForm:
        return self.app.drafts.comments.setdefault(self.ticket.id, CommentForm())

    def compose(self) -> ComposeResult:
        form = self.form
        head = Text(f"Comment on ticket #{self.ticket.number}  ", style="bold")
        head.append_text(literal(self.ticket.subject, "bold"))
        head.append("   ")
        head.append_text(literal(self.ticket.customer_business_then_name or "", "dim"))
        subject = Input(form.subject, placeholder="Subject", id="subject")
        visibility = Select([(v.label, v.value) for v in Visibility], value=form.visibility, allow_blank=False,
                            id="visibility")
        body = TextArea(form.text, id="body", soft_wrap=True, show_line_numbers=False)
        #: How each field puts its value in the form: a change writes only its own field.
        self.writers: dict[Widget, Callable[[CommentForm], None]] = {
            subject: lambda f: setattr(f, "subject", subject.value),
            visibility: lambda f: setattr(f, "visibility", str(visibility.value)),
            body: lambda f: setattr(f, "text", body.text)}
        yield AttributionBanner(id="attribution")
        yield Static(head, id="comment-head")
        with VerticalScroll(id="comment-form"):
            if form.text.strip() or form.subject.strip():  # never silently: a draft typed earlier, with its visibility
                yield Static(literal(f"Your unsent draft is back, set to {Visibility(form.visibility).label}: "
                                     + audience(Visibility(form.visibility), email_recipient(self.ticket))
                                     + " Check it before sending; your typing goes on at its end.", "bold yellow"),
                             id="restored", classes="bill-note")
            with Horizontal(classes="bill-row"):
                yield subject
                yield visibility
            yield AudienceLine(email_recipient(self.ticket), id="audience", classes="bill-note").data_bind(
                draft=CommentScreen.draft_now)
            yield Label("Body (plain text: line breaks and “- ” lists are kept)")
            yield body
            yield CommentProblems(id="comment-problems", classes="bill-problem").data_bind(
                CommentScreen.attempted, draft=CommentScreen.draft_now)
        yield CoachPanel()
        yield FittingFooter()

    def on_mount(self) -> None:
        if self.query("#restored"):  # typing goes on at the end of the draft, never in front of it
            body = self.query_one("#body", TextArea)
            body.focus()
            body.move_cursor(body.document.end)
        else:
            self.query_one("#subject", Input).focus()
        self.update_view()

    def draft(self) -> CommentDraft:
        return self.form.draft

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def changed(self, event: Input.Changed | Select.Changed | TextArea.Changed) -> None:
        """A field changed: its value into the form, and the review again."""
        writer = self.writers.get(event.control) if event.control is not None else None
        if writer is None:
            return
        writer(self.form)
        self.update_view()
        self.app.keep_drafts()

    def update_view(self) -> None:
        self.draft_now = self.draft()
        coach_again(self)

    def coaching(self, widget: Widget | None) -> Coaching | None:
        field = place(widget, coach.fields("comment"))
        return coach.comment(field, self.draft(), email_recipient(self.ticket)) if field else None

    def action_review(self) -> None:
        if self.sending:
            return
        self.attempted = True
        self.update_view()
        draft = self.draft()
        try:
            plan = comment_on(self.ticket, draft, recipient=email_recipient(self.ticket))
        except ValueError as exc:
            self.notify(str(exc), title="Not ready to send", severity="error", timeout=8)
            self.query_one("#body" if draft.subject.strip() else "#subject").focus()
            return
        self.send(plan)

    @work(exclusive=True, group="comment-send", exit_on_error=False)
    async def send(self, plan: Plan) -> None:
        self.sending = True
        try:
            outcome = await confirm_and_send(self.app, plan)
        finally:
            self.sending = False
        if outcome is not None and outcome.steps and outcome.steps[0].landed:
            self.app.drafts.comments.pop(self.ticket.id, None)
            self.app.keep_drafts()
            self.app.post_message(TicketChanged(self.ticket.id))
            self.dismiss(True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return can_draft(self.app) if action == "draft" else True

    def footer_quiet(self) -> set[str]:
        return footer_quiet(self.app)

    @work(exclusive=True, group="comment-draft", exit_on_error=False)
    async def action_draft(self) -> None:
        """The model drafts subject and body from what the tech wrote so far (the notes)."""
        draft = self.draft()
        system, user = comment_prompt(subject=self.ticket.subject, customer=self.ticket.customer_business_then_name or "",
                                      history=history(self.ticket), notes=draft.text, visibility=draft.visibility)
        suggestion = await ask(self.app, system, user, CommentSuggestion)
        if suggestion is None:
            return
        self.query_one("#subject", Input).value = clean(suggestion.subject)
        put(self.query_one("#body", TextArea), suggestion.body)
        self.query_one("#body", TextArea).focus()
        self.notify(HELP, title=suggestion.preview or "Draft", timeout=10)

    @work(exclusive=True, group="comment-canned", exit_on_error=False)
    async def action_canned(self) -> None:
        """ctrl+k: a canned response (the account's, or the shop's snippets) inserted at the body's cursor."""
        from .canned import CannedScreen

        snippets = [(s.title, s.body) for s in self.app.session.config.snippets]
        picked = await self.app.push_screen_wait(CannedScreen(await self.app.reads.canned(snippets)))
        if picked is None:
            return
        body = self.query_one("#body", TextArea)
        body.insert(clean(picked.text, single_line=False))  # control and bidi characters made visible
        subject = self.query_one("#subject", Input)
        if picked.subject and not subject.value.strip():
            subject.value = clean(picked.subject)
        body.focus()

    def action_leave(self) -> None:
        if not self.sending:
            self.dismiss(False)


def highlighted(text: str, spans: list[tuple[int, int]]) -> Text:
    """The text with ``spans`` marked; each piece is cleaned on its own, so the marks stay on the right words."""
    out, at = Text(), 0
    for start, end in spans:
        if start < at:  # overlapping spans: mark the rest of this one only
            start = at
        out.append(clean(text[at:start], single_line=False), style="dim")
        out.append(clean(text[start:end], single_line=False), style="bold white on red")
        at = max(at, end)
    out.append(clean(text[at:], single_line=False), style="dim")
    return out
