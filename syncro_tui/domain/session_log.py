"""The session log written on close (docs/rules.md §12), as pure code: where it goes and what it says.

``clients/<customer-slug>/session-logs/<date>-ticket-<number>.md`` under the
configured root, in Markdown: the subject, every comment (oldest first) and the
resolution. Text from Syncro is cleaned of control characters, so the file is
safe to ``cat``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, tzinfo
from pathlib import Path

from ..api.models import Comment, Ticket
from .text import clean, html_to_text


def slug(name: str) -> str:
    """A folder name for a customer: lower case ASCII words joined by hyphens ("Halvorsen & Pike CPAs" → "halvorsen-pike-cpas")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "customer"


def log_path(root: Path, *, customer: str, number: int, day: datetime) -> Path:
    return root / "clients" / slug(customer) / "session-logs" / f"{day:%Y-%m-%d}-ticket-{number}.md"


def render(ticket: Ticket, *, resolution: str | None, closed_at: datetime, zone: tzinfo) -> str:
    """The log's Markdown."""
    def when(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") if moment else "—"

    customer = ticket.customer.display_name if ticket.customer else (ticket.customer_business_then_name or "")
    lines = [f"# Ticket #{ticket.number}: {clean(ticket.subject)}", "",
             f"- Customer: {clean(customer)}"]
    if ticket.contact and ticket.contact.name:
        lines.append(f"- Contact: {clean(ticket.contact.name)}")
    lines += [f"- Opened: {when(ticket.created_at)}", f"- Closed: {when(closed_at)}",
              f"- Tech: {clean(ticket.user.full_name) if ticket.user and ticket.user.full_name else '—'}", ""]
    lines += ["## Comments", ""]
    comments: list[Comment] = sorted(ticket.comments, key=lambda c: (c.created_at, c.id))
    if not comments:
        lines += ["(none)", ""]
    for comment in comments:
        lines.append(f"### {when(comment.created_at)}, {clean(comment.tech or '—')} ({comment.kind.value}): "
                     f"{clean(comment.subject or '')}")
        lines += ["", clean(html_to_text(comment.body), single_line=False), ""]
    lines += ["## Resolution", "", clean(resolution, single_line=False) if resolution else "(no resolution comment)", ""]
    return "\n".join(lines)
