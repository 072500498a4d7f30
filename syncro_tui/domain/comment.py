"""Comments as Syncro really has them (docs/rules.md §6), without I/O.

Three kinds, set by two flags: an email reply goes to the contact, a public
note shows on the customer's portal without an email, and a private note is
for techs only. Bodies are Syncro HTML with ``<br>`` line breaks: list tags
render badly in Syncro's emails, so lists become lines starting with "• ".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import StrEnum


class Visibility(StrEnum):
    EMAIL = "email"
    PUBLIC = "public"
    PRIVATE = "private"

    @property
    def hidden(self) -> bool:
        return self is Visibility.PRIVATE

    @property
    def do_not_email(self) -> bool:
        return self is not Visibility.EMAIL

    @property
    def customer_visible(self) -> bool:
        return self is not Visibility.PRIVATE

    @property
    def label(self) -> str:
        return {Visibility.EMAIL: "Email reply", Visibility.PUBLIC: "Public note",
                Visibility.PRIVATE: "Private note"}[self]

    @property
    def words(self) -> str:
        return {Visibility.EMAIL: "Email reply (the contact gets it by email)",
                Visibility.PUBLIC: "Public note (on the ticket for the customer, no email)",
                Visibility.PRIVATE: "Private note (techs only)"}[self]


_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
SECRET = re.compile(
    r"(?i)\b(?:pass(?:word|wd|code)?|pwd|pin|api[ _-]?key|token|secret|credentials?)\b\s*(?:is|[:=])\s*\S+")
INTERNAL = re.compile(r"(?i)\b(?:internal only|do not share|don't tell the customer|tech note)\b")


def secrets_in(text: str) -> list[tuple[int, int]]:
    """Spans of text that look like a password, key or token being handed over."""
    return [m.span() for m in SECRET.finditer(text or "")]


def not_for_customers(text: str) -> list[tuple[int, int]]:
    """Spans a customer must not see: secrets handed over, or words marking a note as internal."""
    return sorted(secrets_in(text) + [m.span() for m in INTERNAL.finditer(text or "")])


def to_html(text: str) -> str:
    """The tech's plain text as a Syncro comment body: escaped, list items as "• " lines, ``<br>`` breaks."""
    lines = [(_BULLET.sub("• ", line) if _BULLET.match(line) else line).rstrip()
             for line in (text or "").strip().splitlines()]
    return "<br>".join(html.escape(line, quote=False) for line in lines)


@dataclass(frozen=True)
class CommentDraft:
    subject: str
    #: What the tech wrote, as plain text.
    text: str
    visibility: Visibility

    @property
    def body(self) -> str:
        return to_html(self.text)

    def problems(self) -> list[str]:
        out = []
        if not self.subject.strip():
            out.append("The comment needs a subject.")
        if not self.text.strip():
            out.append("The comment needs a body: say what was done.")
        return out

    def hazards(self) -> list[tuple[int, int]]:
        """Spans of the text a customer must not see, when the customer would see it (none for a private note)."""
        return not_for_customers(self.text) if self.visibility.customer_visible else []

    @property
    def stopped(self) -> str | None:
        """Why the comment cannot be sent as it is, when a customer would see something they must not."""
        if not self.hazards():
            return None
        return (f"Stopped: a customer would see what looks like a password, key, token or internal note "
                f"({self.visibility.label.lower()}). Remove it, or make this a private note.")


#: Private is the default: nothing reaches a customer unless the tech chooses so.
DEFAULT_VISIBILITY = Visibility.PRIVATE


@dataclass
class CommentForm:
    """What the tech typed on the comment screen, kept per ticket for the app's run."""

    subject: str = ""
    visibility: str = DEFAULT_VISIBILITY.value
    text: str = ""

    @property
    def draft(self) -> CommentDraft:
        return CommentDraft(self.subject, self.text, Visibility(self.visibility))


def audience(visibility: Visibility, recipient: str | None) -> str:
    """Who receives the comment, in one plain sentence (shown before confirming)."""
    if visibility is Visibility.EMAIL:
        return (f"Syncro emails this to {recipient} and shows it to the customer on the ticket." if recipient else
                "An email reply, but the ticket's contact has no email address: nobody would receive it by email.")
    if visibility is Visibility.PUBLIC:
        return "The customer sees this on the ticket (portal and PDFs); nobody is emailed."
    return "Only techs see this private note; the customer does not."
