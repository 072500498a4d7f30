"""What a local model is asked when it drafts prose (docs/rules.md §10; no I/O).

The model writes words only: never the product, quantity, price or anything
about credentials. Everything sent to it has obvious secrets removed first,
and what it answers goes into the editor for the tech to change, where the
review checklist runs on it like on anything the tech typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from .comment import Visibility, secrets_in

REMOVED = "[removed]"

STYLE = ("You write for an IT managed-service provider's ticket system. Plain, friendly, factual English; short "
         "sentences; no greetings or sign-offs; no Markdown, no HTML; lists as lines starting with '- '. Never "
         "include passwords, keys, tokens or anything like them, never invent work that the notes do not mention, "
         "and never mention prices, quantities or products. Answer with JSON only.")


def strip_secrets(text: str) -> str:
    """The text with anything that looks like a password, key or token replaced, before it leaves the app."""
    out, at = [], 0
    for start, end in secrets_in(text):
        if start < at:
            continue
        out.append(text[at:start])
        out.append(REMOVED)
        at = end
    out.append(text[at:])
    return "".join(out)


def _context(subject: str, customer: str, history: Sequence[str]) -> str:
    lines = [f"Ticket subject: {subject}", f"Customer: {customer}"]
    if history:
        lines.append("Earlier comments, oldest first:")
        lines.extend(f"- {strip_secrets(h)}" for h in history)
    return strip_secrets("\n".join(lines))


def comment_prompt(*, subject: str, customer: str, history: Sequence[str], notes: str,
                   visibility: Visibility) -> tuple[str, str]:
    """System and user messages for a comment; the answer is ``{subject, body, preview}``."""
    who = ("the customer reads it" if visibility.customer_visible else "only the shop's techs read it")
    system = (f"{STYLE} Write one ticket comment ({visibility.label.lower()}: {who}). Return "
              '{"subject": short subject such as "Update" or "Resolution", "body": the comment, '
              '"preview": one line saying what the comment says}.')
    user = (f"{_context(subject, customer, history)}\n\nThe tech's notes on what to say:\n"
            f"{strip_secrets(notes) or '(none: summarise the state of the ticket)'}")
    return system, user


def billing_prompt(*, subject: str, customer: str, history: Sequence[str], notes: str, work: str) -> tuple[str, str]:
    """System and user messages for a billing run; the answer is
    ``{comment_subject, comment_body, line_item_description, preview}``.

    ``work`` says how long and what kind (for the wording only: the app works out every amount).
    """
    system = (f"{STYLE} Write the resolution comment the customer reads and the one-line description for the "
              'invoice line. Return {"comment_subject": e.g. "Resolution", "comment_body": what was done and the '
              'outcome, "line_item_description": under 80 characters, "preview": one line}.')
    user = (f"{_context(subject, customer, history)}\nWork: {work}\n\nThe tech's notes on what was done:\n"
            f"{strip_secrets(notes) or '(none)'}")
    return system, user
