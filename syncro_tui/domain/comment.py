"""Comments as Syncro really has them (SYNCRO.md section 6), without I/O.

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
