"""Canned responses for the comment editor (issue 36): the account's, and the shop's own snippets.

Syncro keeps canned responses as HTML; the editor takes them as its own plain
text, by the same rules as comments (``text.html_to_text``), so what is
inserted is what the tech reads and edits. The key may lack the permission
Syncro asks even to list them ("Ticket Canned Responses - Manage"): the list then
says so, and the config's snippets are still there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..api.models import CannedResponse
from .sections import Needle
from .text import html_to_text


@dataclass(frozen=True)
class Canned:
    """One response the tech can insert: its title, its text as the editor takes it, where it comes from."""

    title: str
    text: str
    #: The comment's subject it suggests (Syncro's ``subject``; None for a snippet).
    subject: str | None = None
    #: "Syncro" with its category, or "snippet" for the config's own.
    source: str = "snippet"


@dataclass(frozen=True)
class CannedList:
    """What ctrl+k lists: the responses, and why Syncro's are missing or old, when they are."""

    items: tuple[Canned, ...]
    #: Why the account's are not listed, or are as last read (the permission refused, Syncro not reached).
    note: str | None = None


def matching(items: Iterable[Canned], words: str) -> list[Canned]:
    """Those whose title has every word typed (the queue filter's rules: any order, any case)."""
    needle = Needle(words)
    return [c for c in items if needle.matches(c.title.lower())]


def listed_with(responses: Iterable[CannedResponse], snippets: Iterable[tuple[str, str]], note: str | None) -> CannedList:
    """Syncro's canned responses as the editor takes them (plain text by the comment rules), then the shop's
    snippets (title, text)."""
    return CannedList((*(Canned(r.title, html_to_text(r.body), r.subject,
                                "Syncro" + (f" · {r.category_name}" if r.category_name else "")) for r in responses),
                       *(Canned(title, text) for title, text in snippets)), note)
