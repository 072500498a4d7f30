"""What the screens and commands read from Syncro, fetched and shaped: the one place below the UI that reads.

Screens never call the client: they ask ``Reads`` for what they show (the open
queue, a ticket with its invoices, what billing starts from, a tech's day), and
each answer comes as the app's own records. The command line and ``doctor`` use
the same functions over their own client. Writes and their read-backs live in
``writes/``; nothing here changes anything in Syncro.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .api import requests as rq
from .api.pacing import Budget, background
from .api.errors import NotFound, SyncroError
from .api.models import (AccountSettings, Appointment, Asset, CannedResponse, Customer, Invoice, Listing, Me, Meta, Product, Ticket,
                         TicketSettings, TicketSummary, Timer, User)
from .api.models import Page
from .domain.canned import CannedList, listed_with
from .domain.situation import Situation, unnamed_invoice
from .domain.queue import QueueRow
from .domain.rates import RateTable, differences
from .domain.sweep import SweepDay
from .domain.when import day_bounds, involves

if TYPE_CHECKING:
    from .api.client import SyncroClient  # only for annotations: httpx loads after the first paint
    from .api.office import TicketStore
    from .cache import Cache, CachedTicket


class UnknownTicket(LookupError):
    """No ticket has that number."""


@dataclass(frozen=True)
class RowPage:
    """One page of the open tickets as queue rows, with Syncro's count of pages and tickets."""

    rows: list[QueueRow]
    meta: Meta
    #: Tickets of the page that could not be read (each logged).
    skipped: int = 0


def rows_of(listed: Listing[TicketSummary]) -> Listing[QueueRow]:
    """Listed tickets as queue rows (the listed tickets themselves are dropped: a row is a tenth of one)."""
    rows: Listing[QueueRow] = Listing(QueueRow.of(t) for t in listed)
    rows.skipped = listed.skipped
    return rows


async def read_situation(client: SyncroClient, *, number: int | None = None, ticket_id: int | None = None) -> Situation:
    """What billing starts from: the ticket (by number or id) and its customer (prepay_hours): two reads.

    Its invoices are read too only when the ticket was invoiced and its lines do not name the invoice.
    """
    if ticket_id is None:
        summary = await client.ticket_by_number(number) if number is not None else None
        if summary is None:
            raise UnknownTicket(f"There is no ticket #{number}.")
        ticket_id = summary.id
    try:
        ticket = await client.execute(rq.get_ticket(ticket_id))
    except NotFound:
        raise UnknownTicket(f"Ticket {number or ticket_id} is not in Syncro (deleted?).") from None
    if ticket.customer_id is None:
        raise UnknownTicket(f"Ticket #{ticket.number} has no customer, so it cannot be billed.")
    if not unnamed_invoice(ticket):  # what is invoiced already, the ticket's lines say
        return Situation(ticket=ticket, customer=await client.execute(rq.get_customer(ticket.customer_id)))
    customer, invoices = await asyncio.gather(client.execute(rq.get_customer(ticket.customer_id)),
                                              client.invoices_for_ticket(ticket))
    return Situation(ticket=ticket, customer=customer, invoices=tuple(invoices))


async def read_products(client: SyncroClient, product_ids: Iterable[int]) -> dict[int, Product | None]:
    """Syncro's products for the rate table's ids (None for a product Syncro does not have).

    One ``GET /products?id[]=…`` for them all; only an id that list does not answer (a filter the
    account ignores, a product that is not there) is read on its own, where a 404 means it is missing.
    """
    ids = list(dict.fromkeys(product_ids))
    if not ids:
        return {}
    listed = await client.execute(rq.list_products(ids=ids, per_page=len(ids)))
    found: dict[int, Product | None] = {p.id: p for p in listed.items if p.id in ids}

    async def one(product_id: int) -> Product | None:
        try:
            return await client.execute(rq.get_product(product_id))
        except NotFound:
            return None

    missing = [i for i in ids if i not in found]
    found.update(zip(missing, await asyncio.gather(*(one(i) for i in missing)), strict=True))
    return {i: found[i] for i in ids}


#: How many of its tickets one sweep of the office has claimed and not yet read (its claims are kept alive while
#: they wait in line, so this only keeps one sweep from claiming the day before the others start).
STORE_CLAIMS_AT_ONCE = 2


def could_be_theirs(wanted: set[int], listed: Iterable[TicketSummary], mine: Iterable[Appointment], user_id: int | None,
                own: set[int]) -> list[int]:
    """Of the day's tickets, those that could be the tech's, which a sweep without the office's store reads first:
    assigned to them, on their appointments, or on their timers, clocks and the app's changes for them (``own``). All of
    them for the shop's sweep (``user_id`` None)."""
    if user_id is None:
        return sorted(wanted)
    assigned = {t.id for t in listed if t.user_id == user_id}
    on_appointments = {a.ticket_id for a in mine if a.ticket_id is not None}
    return sorted((assigned | on_appointments | own) & wanted)


async def timed_by(client: SyncroClient, user_id: int, start: datetime, end: datetime) -> set[int]:
    """The tickets the tech's Syncro timers ran on between ``start`` and ``end``: one ``GET /ticket_timers`` by
    ``user_id`` (2026). An account without live timers ignores that filter and lists the shop's newest timers, so
    the user is read back from each; one the key may not read, or that fails, names none (the sweep reads every
    ticket of the day anyway: this only puts the tech's own first)."""
    try:
        page = await client.execute(rq.live_timers(user_id=user_id, created_after=start))
    except SyncroError:
        return set()
    return {t.ticket_id for t in page.items if t.user_id == user_id and start <= t.start_time < end}


async def read_sweep_day(client: SyncroClient, *, day: date, tz: ZoneInfo, user_id: int | None,
                         status_changed: Iterable[int] = (), also: Iterable[int] = (),
                         progress: Callable[[int, int], None] | None = None,
                         store: TicketStore | None = None) -> SweepDay:
    """What the end-of-day sweep looks at for ``day``: every ticket updated since the day began, those the tech's
    appointments that day name (every tech's with ``user_id`` None: the shop's sweep), and ``status_changed`` and
    ``also`` (the tickets of the tech's clocks), each read in full; and the day's $0.00 invoices with their lines.

    Three lists (one page each on most days: tickets, appointments, invoices; a tech's sweep without the office's
    store reads a fourth, the tech's timers), then one read per ticket and per $0.00 invoice (``progress`` is told
    each ticket read). A ticket that cannot be read is named in ``unread``, never dropped in silence.

    ``store``: the office's tickets (``api/office.TicketStore``). A ticket another sweep of the office read, at the
    version Syncro lists now, is not read again; one another sweep is reading now is looked for once the rest are
    read (the office's five o'clock sweeps read each ticket about once, not once per tech).
    """
    start, end = day_bounds(day, tz)
    listed, appointments, invoices = await asyncio.gather(
        client.all_tickets(since_updated_at=start, per_page=100),
        client.list_appointments(date_from=day, date_to=day + timedelta(days=1)),
        client.list_invoices(since_updated_at=start))
    mine = tuple(a for a in appointments if (user_id is None or involves(a, user_id)) and start <= a.start_at < end)
    wanted = {t.id for t in listed if t.updated_at >= start and t.created_at < end}
    wanted |= {a.ticket_id for a in mine if a.ticket_id is not None} | set(status_changed) | set(also)
    #: The version Syncro lists now of each ticket: what the office's store must hold to be used.
    listed_at = {t.id: t.updated_at for t in listed} if store is not None else {}

    if store is None and user_id is not None:
        also = {*also, *await timed_by(client, user_id, start, end)}
    done = 0
    # A claim is taken only when its read is next in line: a sweep holds few at a time.
    in_line = asyncio.Semaphore(STORE_CLAIMS_AT_ONCE) if store is not None else contextlib.nullcontext()

    async def ticket(ticket_id: int) -> Ticket | int | None:
        """The ticket (its id when Syncro has it no more); None when another sweep of the office reads it now."""
        nonlocal done
        at = listed_at.get(ticket_id)
        found: Ticket | int | None = None
        try:
            if store is not None and at is not None:
                found = await asyncio.to_thread(store.get, ticket_id, at)
                if found is not None:
                    return found
            async with in_line:
                if store is not None and at is not None:
                    found = await asyncio.to_thread(store.get, ticket_id, at)  # read by another while in line
                    if found is not None or not await asyncio.to_thread(store.claim, ticket_id, at):
                        return found
                    async with store.holding(ticket_id, at):
                        found = await client.execute(rq.get_ticket(ticket_id))
                else:
                    found = await client.execute(rq.get_ticket(ticket_id))
            if store is not None:
                await asyncio.to_thread(store.put, found)
            return found
        except NotFound:
            found = ticket_id
            return found
        finally:
            if found is not None:
                done += 1
                if progress is not None:
                    progress(done, len(wanted))

    async def claimed_elsewhere(ticket_id: int) -> Ticket | int:
        """A ticket another sweep was reading: its copy once that sweep has kept it; read here (claimed again, so
        of several sweeps waiting one reads it) when that sweep's read failed or its process died."""
        assert store is not None
        while True:
            found = await store.read_by_another(ticket_id, listed_at[ticket_id]) or await ticket(ticket_id)
            if found is not None:
                return found

    async def invoice(invoice_id: int) -> Invoice | None:
        try:
            return await client.execute(rq.get_invoice(invoice_id))
        except NotFound:
            return None

    zero = [i.id for i in invoices if i.total == 0 and (i.created_at is None or start <= i.created_at < end)]
    if store is not None:
        # Each sweep of the office starts at its own place in the day: two sweeps claim different tickets.
        order = random.sample(sorted(wanted), len(wanted))
        first, full = await asyncio.gather(asyncio.gather(*(ticket(i) for i in order)),
                                           asyncio.gather(*(invoice(i) for i in zero)))
        later = await asyncio.gather(*(claimed_elsewhere(i) for i, t in zip(order, first, strict=True) if t is None))
    else:
        # Alone, a tech's sweep reads first what could be theirs (assigned to them, their appointments, their
        # clocks, what the app changed for them), then the day's other tickets last, as background work.
        theirs = could_be_theirs(wanted, listed, mine, user_id, {*status_changed, *also})
        first_part, full = await asyncio.gather(asyncio.gather(*(ticket(i) for i in theirs)),
                                                asyncio.gather(*(invoice(i) for i in zero)))
        with background():
            first = [*first_part, *await asyncio.gather(*(ticket(i) for i in sorted(wanted - set(theirs))))]
        later = []
    read = [t for t in (*first, *later) if t is not None]
    return SweepDay(day=day, tickets=tuple(sorted((t for t in read if isinstance(t, Ticket)), key=lambda t: t.id)),
                    zero_invoices=tuple(i for i in full if i is not None), appointments=mine,
                    status_changed=frozenset(status_changed), unread=tuple(sorted(t for t in read if isinstance(t, int))))


class Reads:
    """The UI's reads over one client (the session builds it with the client, after the first frame), and what
    the local cache holds of them (the last queue, the tickets opened recently)."""

    def __init__(self, client: SyncroClient, cache: Cache | None = None) -> None:
        self.client = client
        self.cache = cache
        self._canned: list[CannedResponse] | None = None  # read once a session (``canned``)
        self._canned_refused: str | None = None  # the key may not read them (asked once a session)

    def budget(self) -> Budget:
        """The API budget as the status bar shows it."""
        return self.client.pacer.budget()

    # ------------------------------------------------------------ the account
    async def me(self) -> Me:
        return await self.client.execute(rq.me())

    async def account_settings(self) -> AccountSettings:
        return await self.client.execute(rq.account_settings())

    async def ticket_settings(self) -> TicketSettings:
        return await self.client.execute(rq.ticket_settings())

    async def techs(self) -> list[User]:
        return await self.client.execute(rq.users())

    async def find_products(self, words: str) -> list[Product]:
        """Syncro's products whose name has ``words`` (the first page: a picker, not a catalogue), not disabled."""
        return [p for p in (await self.client.execute(rq.list_products(query=words))).items if not p.disabled]

    # ------------------------------------------------------------ tickets
    async def open_ticket_pages(self, *, per_page: int) -> AsyncIterator[RowPage]:
        """The open tickets page by page as queue rows, each as it arrives (rows show before the last page)."""
        async for page in self.client.pages(lambda n: rq.list_tickets(status="Not Closed", per_page=per_page, page=n)):
            yield RowPage([QueueRow.of(t) for t in page.items], page.meta, page.skipped)

    async def changed_tickets(self, since: datetime) -> Listing[QueueRow]:
        """Every ticket updated since ``since``, as rows (one request when nothing was)."""
        return rows_of(await self.client.all_tickets(since_updated_at=since, per_page=100))

    async def tickets_where(self, *, max_pages: int, **filters: object) -> Listing[QueueRow]:
        """A section that Syncro filters (a saved search, a query, a customer's tickets), as rows."""
        return rows_of(await self.client.all_tickets(max_pages=max_pages, **filters))

    async def ticket(self, ticket_id: int) -> Ticket:
        return await self.client.execute(rq.get_ticket(ticket_id))

    async def opened(self, ticket_id: int) -> Ticket:
        """The ticket the tech opens, in full (kept in the cache, to show when Syncro cannot be reached); its
        invoices are read next (``invoices_of``), so the ticket is drawn without waiting for them."""
        ticket = await self.client.execute(rq.get_ticket(ticket_id))
        if self.cache is not None:
            self.cache.save_ticket(ticket, at=datetime.now(UTC))
        return ticket

    async def invoices_of(self, ticket: Ticket) -> list[Invoice]:
        return await self.client.invoices_for_ticket(ticket)

    async def ticket_numbered(self, number: int) -> int | None:
        """The id of the ticket numbered ``number`` (any status, anyone's): one ``GET /tickets?number=N``, never a
        number taken for an id. None when no ticket has it."""
        found = await self.client.ticket_by_number(number)
        return found.id if found is not None else None

    async def canned(self, snippets: Iterable[tuple[str, str]] = ()) -> CannedList:
        """The account's canned responses (read once a session, kept here for offline), then the config's
        ``snippets``. A refused permission or a Syncro not reached is said in the note; the snippets stay."""
        from .api.errors import PermissionDenied

        note = self._canned_refused
        if self._canned is None and note is None:
            try:
                self._canned = (await self.client.execute(rq.canned_responses())).items
            except PermissionDenied as exc:  # asked once a session: the key's group does not change by asking again
                note = self._canned_refused = (
                    f"The account's canned responses are not listed: this key's group lacks Syncro's "
                    f"“{exc.permission or rq.CANNED}” permission, which Syncro asks even to read them (restart the "
                    f"app once it is granted).")
            except SyncroError as exc:
                kept = self.cache.canned() if self.cache is not None else None
                note = f"Syncro's canned responses could not be read ({exc})" + (
                    f"; these are as last read here, {kept[1]:%b %d %H:%M} UTC." if kept else ".")
                if kept is not None:
                    return listed_with(kept[0], snippets, note)
            else:
                if self.cache is not None:
                    self.cache.save_canned(self._canned, at=datetime.now(UTC))
        return listed_with(self._canned or [], snippets, note)

    # ------------------------------------------------------------ the local cache
    def cached_ticket(self, ticket_id: int) -> CachedTicket | None:
        return self.cache.ticket(ticket_id) if self.cache is not None else None

    def recent_tickets(self, limit: int = 20) -> list[CachedTicket]:  # opened last first, offline too
        return self.cache.recent(limit) if self.cache is not None else []

    def cached_numbered(self, number: int) -> CachedTicket | None:
        return self.cache.numbered(number) if self.cache is not None else None

    def keep_queue(self, *, changed: Iterable[QueueRow], removed: Iterable[int], watermark: datetime | None,
                   zone: str, replace: bool = False) -> None:
        if self.cache is not None:
            self.cache.save_queue(changed=changed, removed=removed, watermark=watermark, at=datetime.now(UTC),
                                  replace=replace, zone=zone)

    async def running_timers(self, user_id: int) -> Page[Timer]:
        """The tech's running Syncro timers (2026's live timers; an account without them ignores the filters)."""
        return await self.client.execute(rq.live_timers(user_id=user_id, status="running"))

    async def invoice(self, invoice_id: int) -> Invoice:
        """One invoice in full, with its lines."""
        return await self.client.execute(rq.get_invoice(invoice_id))

    async def situation(self, ticket_id: int) -> Situation:
        return await read_situation(self.client, ticket_id=ticket_id)

    async def product_differences(self, rates: RateTable, product_ids: Iterable[int] | None = None) -> dict[int, list[str]]:
        """Where Syncro's products and the rate table disagree, by product id (every rate's, or the ids given):
        one call for them all (``read_products``)."""
        ids = list(product_ids) if product_ids is not None else [r.product_id for r in rates.rates]
        products = await read_products(self.client, ids)
        return {i: differences(RateTable(tuple(r for r in rates.rates if r.product_id == i)), {i: products[i]})
                for i in ids}

    # ------------------------------------------------------------ customers
    async def customers(self, query: str) -> list[Customer]:
        return await self.client.autocomplete_customers(query)

    async def customer_and_assets(self, customer_id: int) -> tuple[Customer, list[Asset]]:
        customer, assets = await asyncio.gather(self.client.execute(rq.get_customer(customer_id)),
                                                self.client.list_assets(customer_id))
        return customer, assets

    async def assets(self, customer_id: int, query: str | None) -> list[Asset]:
        return await self.client.list_assets(customer_id, query)

    # ------------------------------------------------------------ appointments
    async def appointments(self, first: date, last: date) -> Listing[Appointment]:
        return await self.client.list_appointments(date_from=first, date_to=last)

    async def sweep_day(self, day: date, tz: ZoneInfo, user_id: int, *, status_changed: Iterable[int] = (),
                        also: Iterable[int] = (), progress: Callable[[int, int], None] | None = None) -> SweepDay:
        """The end-of-day sweep's reads, as background work: the tech's own calls go first; with an office budget,
        the tickets the office's other sweeps read are not read again."""
        from .api.office import office_store

        with background():
            return await read_sweep_day(self.client, day=day, tz=tz, user_id=user_id, status_changed=status_changed,
                                        also=also, progress=progress, store=office_store(self.client.pacer))

    async def owners_day(self, day: date, user_id: int | None) -> list[Appointment] | None:
        """The tech's appointments (owned or invited) on ``day``, for a clash warning; None when Syncro cannot say."""
        try:
            listed = await self.client.list_appointments(date_from=day, date_to=day + timedelta(days=1))
        except SyncroError:
            return None
        return [a for a in listed if involves(a, user_id)]
