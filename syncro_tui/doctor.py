"""``syncro-tui doctor``: a read-only check of an account against what the app needs (nothing is ever sent).

It asks whose key it is, which permissions its group has, whether the rate
table's products are Syncro's, what the account requires of a new ticket, the
account's time zone and business hours, which of Syncro's 2026 features it has
(live timers, draft invoices), and reads one page of every list the app uses
through the app's own parsers. Each finding is fine, a warning, or a
problem; a problem is something that makes a write fail (or go wrong), and
makes the command exit non-zero.
"""

from __future__ import annotations

import platform
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .api import requests as rq
from .host import Machine, desktop_words, exposure, privacy_words, terminal_words
from .api.errors import AuthError, NetworkError, SyncroError
from .api.models import Me
from .domain.account import resolve_zone
from .domain.rates import differences
from .reads import read_products

if TYPE_CHECKING:
    from .api.client import SyncroClient
    from .config import Config, Profile


class Level(StrEnum):
    OK = "ok"
    WARN = "warn"
    PROBLEM = "PROBLEM"


@dataclass(frozen=True)
class Finding:
    level: Level
    topic: str
    text: str


#: (area, verb) of ``GET /me``'s permissions, what the app does with it, and whether a write needs it.
PERMISSIONS: tuple[tuple[str, str, str, bool], ...] = (
    ("ticket", "read", "list and open tickets", False),
    ("ticket", "write", "comment, bill, triage and create tickets", True),
    ("customer", "read", "read customers, contacts and prepaid blocks", False),
    ("invoice", "read", "check a new invoice and warn about invoiced tickets", False),
    ("invoice", "write", "invoice at the end of a billing run", True),
    ("asset", "read", "pick an asset on a new ticket", False),
)


def this_machine(machine: Machine, *, config_file: Path, data: Path,
                 which: Callable[[str], str | None] = shutil.which) -> list[Finding]:
    """The machine's part: OS and terminal, whether keys and colours will work, how alerts reach the tech, where
    the files are and whether they are private (nothing is read from Syncro)."""
    out = [Finding(Level.OK, "This machine", f"{machine.name} ({platform.platform(terse=True)}), "
                                             f"Python {platform.python_version()}.")]
    terminal, problem = terminal_words(machine)
    out.append(Finding(Level.WARN if problem else Level.OK, "Terminal",
                       f"{terminal}: " + (problem if problem else "keys and colours will work.")))
    out.append(Finding(Level.OK, "Alerts", f"Alerts set to \"desktop\" reach you through {desktop_words(machine, which)}."))
    out.append(Finding(Level.OK, "Files", f"Config: {config_file}{'' if config_file.exists() else ' (not created yet)'}. "
                                          f"Journal, clocks, cache, logs: {data}."))
    loose = exposure(data, machine) if data.exists() else None
    out.append(Finding(Level.WARN if loose else Level.OK, "Privacy", loose or f"They are {privacy_words(machine)}."))
    return out


async def examine(client: SyncroClient, config: Config, profile: Profile) -> list[Finding]:
    out: list[Finding] = []
    me = await _owner(client, profile, out)
    if me is None:
        return out  # without a working key nothing else can be read
    _permissions(me, out)
    await _rates(client, config, out)
    await _account(client, out)
    await _features(client, out)
    await _lists(client, out)
    return out


async def _features(client: SyncroClient, out: list[Finding]) -> None:
    """Which of Syncro's 2026 features the account has (docs/rules.md §13), from what it answers reads with: a timer
    of an account with live timers says its state, an invoice of one with draft invoices says whether it is one."""
    try:
        timers = (await client.execute(rq.live_timers(page=1))).items
    except SyncroError as exc:
        out.append(Finding(Level.WARN, "Live timers", f"The account's timers could not be read: {exc}"))
    else:
        if not timers:
            out.append(Finding(Level.OK, "Live timers", "Not known yet (the account has no timers): w tries Syncro's "
                                                        "live timers, and keeps the clock on this machine if there are none."))
        elif timers[0].status is None:
            out.append(Finding(Level.OK, "Live timers", "The account has none: the work clock (w) is kept on this "
                                                        "machine."))
        else:
            out.append(Finding(Level.OK, "Live timers", "On: the work clock (w) runs as a timer in Syncro. Whether the "
                               "account charges timers when they stop is not something the API says; the app reads "
                               "each timer after stopping it, so it is never charged twice."))
    try:
        listed = (await client.execute(rq.list_invoices(per_page=1))).items
        invoice = None
        if listed:
            invoice = await client.execute(rq.get_invoice(listed[0].id))
    except SyncroError as exc:
        out.append(Finding(Level.WARN, "Draft invoices", f"An invoice could not be read: {exc}"))
        return
    if invoice is None:
        out.append(Finding(Level.OK, "Draft invoices", "Not known yet (the account has no invoices)."))
    elif invoice.draft is None:
        out.append(Finding(Level.OK, "Draft invoices", "Off: the sweep says how to correct a $0.00 invoice in Syncro's "
                                                       "web."))
    else:
        out.append(Finding(Level.OK, "Draft invoices", "On: the sweep corrects a $0.00 invoice through a draft."))


async def _owner(client: SyncroClient, profile: Profile, out: list[Finding]) -> Me | None:
    try:
        me = await client.execute(rq.me())
    except (AuthError, NetworkError) as exc:
        out.append(Finding(Level.PROBLEM, "Key", str(exc)))
        return None
    except SyncroError as exc:
        out.append(Finding(Level.PROBLEM, "Key", f"GET /me could not be read: {exc}"))
        return None
    if profile.user_id is None:
        out.append(Finding(Level.PROBLEM, "Key", f"The key belongs to {me.user_name} (user {me.user_id}), but the "
                           "profile has no user_id: every write is refused until it says whose profile it is."))
    elif profile.user_id != me.user_id:
        out.append(Finding(Level.PROBLEM, "Key", f"The key belongs to {me.user_name} (user {me.user_id}), not to the "
                           f"profile's tech (user {profile.user_id}): writes are refused, because Syncro would record "
                           f"them under {me.user_name}'s name."))
    else:
        out.append(Finding(Level.OK, "Key", f"It belongs to {me.user_name} (user {me.user_id}), the profile's tech."))
    return me


def _permissions(me: Me, out: list[Finding]) -> None:
    if not me.permissions:
        out.append(Finding(Level.WARN, "Permissions", "GET /me lists no permissions; the reads below show what works."))
        return
    for area, verb, purpose, for_writes in PERMISSIONS:
        allowed = me.permissions.get(area, {}).get(verb, False)
        if allowed:
            out.append(Finding(Level.OK, "Permissions", f"{area} {verb}: to {purpose}."))
        else:
            out.append(Finding(Level.PROBLEM if for_writes else Level.WARN, "Permissions",
                               f"{area} {verb} is missing: the app cannot {purpose}. Ask the Syncro admin to add it "
                               "to the key's group under Admin > API Tokens."))


async def _rates(client: SyncroClient, config: Config, out: list[Finding]) -> None:
    rates = config.rate_table()
    out.extend(Finding(Level.OK, "Billing policy", line) for line in rates.policy_lines())
    try:
        found = differences(rates, await read_products(client, (r.product_id for r in rates.rates)))
    except SyncroError as exc:
        out.append(Finding(Level.WARN, "Rate table", f"Syncro's products could not be read: {exc}"))
        return
    missing = [line for line in found if "is not in Syncro" in line]
    for line in found:
        out.append(Finding(Level.PROBLEM if line in missing else Level.WARN, "Rate table", line))
    if not found:
        out.append(Finding(Level.OK, "Rate table", f"All {len(rates.rates)} products are in Syncro at the table's prices."))


async def _account(client: SyncroClient, out: list[Finding]) -> None:
    try:
        tickets = await client.execute(rq.ticket_settings())
    except SyncroError as exc:
        out.append(Finding(Level.PROBLEM, "Account", f"GET /tickets/settings could not be read: {exc}"))
    else:
        kinds = [t.name for t in tickets.usable_ticket_types]
        if tickets.require_ticket_type and not kinds:
            out.append(Finding(Level.PROBLEM, "Account", "The account requires a ticket type but lists none: every "
                               "new ticket would be refused."))
        elif tickets.require_ticket_type:
            out.append(Finding(Level.OK, "Account", f"A ticket type is required; the new-ticket form asks for one of "
                               f"{len(kinds)} ({', '.join(kinds[:4])}{', …' if len(kinds) > 4 else ''})."))
        else:
            out.append(Finding(Level.OK, "Account", "No ticket type is required"
                               + (f" ({len(kinds)} offered on the form)." if kinds else ".")))
        if tickets.require_intake_form_with_ticket:
            out.append(Finding(Level.PROBLEM, "Account", "The account requires an intake form with each ticket, which "
                               "the API cannot send: creating a ticket from the app may be refused."))
        statuses = set(tickets.ticket_status_list)
        for needed in ("Invoiced", "Resolved"):
            if needed not in statuses:
                out.append(Finding(Level.PROBLEM if needed == "Invoiced" else Level.WARN, "Account",
                                   f"The account has no “{needed}” status: "
                                   + ("a billing run ends by setting it." if needed == "Invoiced" else
                                      "closing a ticket sets it (set [tickets] resolved_status).")))
    try:
        settings = await client.execute(rq.account_settings())
    except SyncroError as exc:
        out.append(Finding(Level.WARN, "Time zone", f"GET /settings could not be read: {exc}"))
        return
    zone, problem = resolve_zone(settings.time_zone or "")
    if problem or not settings.time_zone:
        out.append(Finding(Level.WARN, "Time zone", problem or "The account names no time zone: times are shown in UTC."))
    else:
        out.append(Finding(Level.OK, "Time zone", f"{zone.key}; times are typed and shown in it."))
    open_days = [h for h in settings.business_hours if not h.closed and h.start and h.end]
    if open_days:
        out.append(Finding(Level.OK, "Business hours", "; ".join(f"{h.day[:3]} {h.start}–{h.end}" for h in open_days)
                           + ": work outside them is flagged as after hours."))
    else:
        out.append(Finding(Level.WARN, "Business hours", "The account sets none: nothing is flagged as after hours."))


async def _lists(client: SyncroClient, out: list[Finding]) -> None:
    """One page of each list the app reads, through the app's own parsers."""
    today = datetime.now(UTC).date()
    first: dict[str, Any] = {}

    async def tickets() -> Any:
        page = await client.execute(rq.list_tickets(status="Not Closed", per_page=25))
        first["ticket"] = page.items[0] if page.items else None
        return page

    reads: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("open tickets", tickets),
        ("customers", lambda: client.execute(rq.list_customers(per_page=25))),
        ("products", lambda: client.execute(rq.list_products(per_page=25))),
        ("appointments this week", lambda: client.execute(rq.list_appointments(date_from=today,
                                                                                date_to=today + timedelta(days=6)))),
        ("invoices", lambda: client.execute(rq.list_invoices(per_page=25))),
        ("users", lambda: client.execute(rq.users())),
    ]
    for label, read in reads:
        await _read(label, read, out)
    ticket = first.get("ticket")
    if ticket is None:
        return
    await _read(f"ticket #{ticket.number} in full", lambda: client.execute(rq.get_ticket(ticket.id)), out)
    await _read(f"ticket #{ticket.number}'s comments", lambda: client.execute(rq.list_comments(ticket.id)), out)
    if ticket.customer_id is not None:
        await _read(f"ticket #{ticket.number}'s customer", lambda: client.execute(rq.get_customer(ticket.customer_id)), out)


async def _read(label: str, read: Callable[[], Awaitable[Any]], out: list[Finding]) -> None:
    try:
        result = await read()
    except SyncroError as exc:  # a missing permission names itself (PermissionDenied)
        out.append(Finding(Level.PROBLEM, "Reads", f"{label}: {exc}"))
        return
    items = getattr(result, "items", result if isinstance(result, list) else None)
    skipped = getattr(result, "skipped", 0)
    count = f" ({len(items)} on the first page)" if isinstance(items, list) else ""
    if skipped:
        out.append(Finding(Level.WARN, "Reads", f"{label}{count}: {skipped} could not be read by the app's parsers "
                           "(the log says which field); the app leaves them out."))
    else:
        out.append(Finding(Level.OK, "Reads", f"{label}{count}: every record read."))


def report(findings: list[Finding], *, summary: bool = True) -> tuple[str, int]:
    """The findings in words, and the exit code: 1 when any is a problem (``summary``: the closing line)."""
    lines = [f"{f.level.value:<8}{f.topic}: {f.text}" for f in findings]
    problems = sum(f.level is Level.PROBLEM for f in findings)
    if not summary:
        return "\n".join(lines), 1 if problems else 0
    warnings = sum(f.level is Level.WARN for f in findings)
    if problems:
        lines.append(f"{problems} problem{'s' if problems != 1 else ''}"
                     + (f" and {warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")
                     + ": the app's writes would fail or go wrong on this account until they are fixed.")
    else:
        lines.append("Everything the app needs works" + (f" ({warnings} warning{'s' if warnings != 1 else ''})."
                                                          if warnings else "."))
    return "\n".join(lines), 1 if problems else 0
