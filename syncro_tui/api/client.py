"""The async Syncro client: the one place that talks HTTP to Syncro.

- Sends the ``ApiRequest`` values of ``requests.py`` and parses their shapes.
- Paces every request through the process-wide ``Pacer``.
- Reads retry with backoff on network trouble and 5xx. Writes never resend
  themselves: when the outcome is unknown (timeout, dropped connection, 5xx,
  a body that does not parse, a null id) ``WriteOutcomeUnknown`` is raised with
  the request that was sent. A 429 was not processed, so it waits and sends again.
- The key never appears in a message, a log record or a repr.
- It has no write methods of its own: the product writes only through the write path
  (``writes/path.py``: journal first, owner checked, read back), which ``execute``s the
  request values a plan holds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime
from typing import Any, TypeVar

import httpx
from pydantic import ValidationError

from .. import __version__
from . import models as m
from . import requests as rq
from . import shapes
from .call import ApiRequest
from .errors import (
    PERMISSION_HINT,
    AuthError,
    BadRequest,
    NetworkError,
    NotFound,
    PermissionDenied,
    RateLimited,
    ResponseShapeError,
    ServerError,
    SyncroError,
    ValidationFailed,
    WriteOutcomeUnknown,
    error_messages,
)
from .pacing import Pacer, shared_pacer
from .redact import install_log_redaction, redact, register_secret

log = logging.getLogger("syncro_tui.api")

T = TypeVar("T")


def base_url_for(subdomain: str) -> str:
    return f"https://{subdomain}.syncromsp.com/api/v1"


class SyncroClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        auth_mode: str = "header",
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 20.0,
        pacer: Pacer | None = None,
        read_retries: int = 2,
        retry_backoff: float = 0.5,
        rate_limit_wait: float = 15.0,
        rate_limit_retries: int = 4,
    ) -> None:
        if auth_mode not in ("header", "query"):
            raise ValueError("auth_mode must be 'header' or 'query'")
        if not api_key:
            raise AuthError("No API key is configured.")
        register_secret(api_key)
        install_log_redaction()
        self.base_url = base_url.rstrip("/")
        self.auth_mode = auth_mode
        self.timeout = timeout
        self.pacer = pacer or shared_pacer()
        self.read_retries = read_retries
        self.retry_backoff = retry_backoff
        self.rate_limit_wait = rate_limit_wait
        self.rate_limit_retries = rate_limit_retries
        headers = {"Accept": "application/json", "User-Agent": f"syncro-tui/{__version__}"}
        self._auth_params: dict[str, str] = {}
        if auth_mode == "header":
            headers["Authorization"] = f"Bearer {api_key}"
        else:
            self._auth_params["api_key"] = api_key
        self._http = httpx.AsyncClient(base_url=self.base_url, headers=headers, transport=transport,
                                       timeout=httpx.Timeout(timeout), follow_redirects=False)

    def __repr__(self) -> str:
        return f"SyncroClient(base_url={self.base_url!r}, auth_mode={self.auth_mode!r}, key=***)"

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> SyncroClient:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    # --------------------------------------------------------------- sending
    async def execute(self, req: ApiRequest[T]) -> T:
        if req.refs:
            raise ValueError(f"{req.call} still waits for {', '.join(r.label for r in req.refs)}: resolve it first")
        attempt = 0
        limited = 0
        while True:
            attempt += 1
            try:
                return await self._send_once(req)
            except _Retryable as retry:
                if retry.rate_limited:
                    limited += 1
                    if limited > self.rate_limit_retries:
                        raise RateLimited(
                            "Syncro's request limit (180 a minute) is used up; try again in a minute.",
                            call=req.call, status=429) from None
                    self.pacer.drain()
                    log.warning("429 on %s; waiting %.0fs before sending again", req.call, self.rate_limit_wait)
                    await asyncio.sleep(self.rate_limit_wait)
                    continue
                if attempt > self.read_retries:
                    raise retry.error from None
                await asyncio.sleep(self.retry_backoff * 2 ** (attempt - 1))

    async def _send_once(self, req: ApiRequest[T]) -> T:
        await self.pacer.acquire()
        params = {**req.params, **self._auth_params}
        content = req.body_json().encode() if req.body is not None else None
        headers = {"Content-Type": "application/json"} if content is not None or req.is_write else None
        if req.is_write and content is None:
            content = b"{}" if req.method != "DELETE" else None
        started = time.monotonic()
        try:
            async with asyncio.timeout(self.timeout):
                response = await self._http.request(req.method, req.path, params=params, content=content, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            # Never reached the server: nothing was written, even for a write.
            error = NetworkError(f"Cannot reach Syncro at {self._host()}: {redact(exc) or type(exc).__name__}", call=req.call)
            if req.is_write:
                raise error from None
            raise _Retryable(error) from None
        except (TimeoutError, httpx.TimeoutException) as exc:
            self._ambiguous(req, "timeout", f"Syncro did not answer within {self.timeout:g} s")
            raise _Retryable(NetworkError(f"Syncro did not answer within {self.timeout:g} s.", call=req.call)) from exc
        except httpx.TransportError as exc:
            self._ambiguous(req, "connection", f"the connection broke ({redact(exc) or type(exc).__name__})")
            raise _Retryable(NetworkError(f"The connection to Syncro broke: {redact(exc)}", call=req.call)) from None
        elapsed = (time.monotonic() - started) * 1000
        log.debug("%s %s -> %s in %.0f ms", req.method, req.path, response.status_code, elapsed)
        return self._handle(req, response)

    def _host(self) -> str:
        return httpx.URL(self.base_url).host or self.base_url

    def _ambiguous(self, req: ApiRequest[Any], reason: str, detail: str) -> None:
        """For a write whose outcome cannot be known: raise instead of retrying."""
        if req.is_write:
            raise WriteOutcomeUnknown(
                f"{_describe(req)}: {detail}. It may or may not have been saved in Syncro; "
                "check before sending it again.",
                request=req.sent(), reason=reason,
            ) from None

    def _handle(self, req: ApiRequest[T], response: httpx.Response) -> T:
        status = response.status_code
        if 200 <= status < 300:
            data: Any = None
            if response.content.strip():
                try:
                    data = response.json()
                except ValueError:
                    self._ambiguous(req, "unparsable", "Syncro's answer could not be read")
                    raise _Retryable(ResponseShapeError(f"Syncro's answer to {req.call} could not be read.", call=req.call))
            # No body (204, or an empty 200): only a delete's parser takes that as an answer.
            try:
                return req.parse(data)
            except shapes.Refused as exc:
                raise ValidationFailed([str(exc)], call=req.call) from None
            except (shapes.ShapeProblem, ValidationError, KeyError, TypeError, IndexError, ValueError) as exc:
                self._ambiguous(req, "shape", "Syncro's answer was missing what it should hold")
                raise ResponseShapeError(f"Syncro's answer to {req.call} ({req.method} {req.path}) could not be "
                                         f"read: {_short(exc)}.", call=req.call) from None
        messages = error_messages(response.text, response.headers.get("content-type", ""))
        if status == 429:
            raise _Retryable(RateLimited("Rate limited", call=req.call, status=429), rate_limited=True)
        if status == 401:
            text = " ".join(messages)
            if PERMISSION_HINT in text.lower():
                needed = f" It needs the '{req.permission}' permission." if req.permission else ""
                raise PermissionDenied(
                    f"This API key's group is not allowed to {_verb(req)}.{needed} Ask the Syncro admin to add it "
                    "under Admin > API Tokens.", permission=req.permission, call=req.call)
            raise AuthError("Syncro refused the API key: it is wrong, expired or revoked.", call=req.call, status=401)
        if status == 404:
            raise NotFound(f"Not found in Syncro ({req.method} {req.path}).", call=req.call, status=404)
        if status == 422:
            raise ValidationFailed(messages or ["Syncro refused the request."], call=req.call)
        if status == 400:
            raise BadRequest(f"Syncro rejected the request as malformed ({'; '.join(messages) or 'Bad Request'}).",
                             call=req.call, status=400)
        if status >= 500:
            self._ambiguous(req, f"http {status}", f"Syncro answered with a server error ({status})")
            raise _Retryable(ServerError(f"Syncro had a server error ({status}).", call=req.call, status=status))
        raise SyncroError(f"Unexpected answer from Syncro ({status}): {'; '.join(messages)[:200]}", call=req.call, status=status)

    # ------------------------------------------------------------ pagination
    async def collect(self, build: Callable[[int], ApiRequest[m.Page[T]]], *, max_pages: int | None = None) -> m.Listing[T]:
        """Every item of every page, and how many could not be read (``Listing.skipped``)."""
        out: m.Listing[T] = m.Listing()
        async for page in self.pages(build, max_pages=max_pages):
            out.extend(page.items)
            out.skipped += page.skipped
        return out

    async def pages(self, build: Callable[[int], ApiRequest[m.Page[T]]], *, max_pages: int | None = None) -> AsyncIterator[m.Page[T]]:
        """Follow meta.total_pages, stopping early on an empty page (one whose every item was unreadable is not empty)."""
        page = 1
        while True:
            result = await self.execute(build(page))
            if not result.items and not result.skipped:
                return
            yield result
            if page >= result.meta.total_pages or (max_pages is not None and page >= max_pages):
                return
            page += 1

    # ------------------------------------------------------ typed call methods
    async def all_tickets(self, *, max_pages: int | None = None, **filters: Any) -> m.Listing[m.TicketSummary]:
        filters.setdefault("per_page", 100)
        return await self.collect(lambda page: rq.list_tickets(page=page, **filters), max_pages=max_pages)

    async def ticket_by_number(self, number: int | str) -> m.TicketSummary | None:
        """Resolve a ticket number to the ticket (never GET /tickets/{number}: ids and numbers collide)."""
        wanted = int(str(number).strip().lstrip("#"))
        page = await self.execute(rq.list_tickets(number=wanted))
        return next((t for t in page.items if t.number == wanted), None)

    async def all_comments(self, ticket_id: int) -> list[m.Comment]:
        return await self.collect(lambda page: rq.list_comments(ticket_id, page=page, per_page=100))

    async def autocomplete_customers(self, query: str) -> list[m.Customer]:
        return (await self.execute(rq.autocomplete_customers(query))).items

    async def list_contacts(self, customer_id: int) -> list[m.Contact]:
        return await self.collect(lambda page: rq.list_contacts(customer_id, page=page))

    async def list_assets(self, customer_id: int, query: str | None = None) -> list[m.Asset]:
        return await self.collect(lambda page: rq.list_assets(customer_id, query=query, page=page))

    async def list_appointments(self, *, date_from: date | None = None, date_to: date | None = None,
                                mine: bool | None = None) -> m.Listing[m.Appointment]:
        return await self.collect(lambda page: rq.list_appointments(date_from=date_from, date_to=date_to, mine=mine, page=page))

    async def appointment_types(self) -> list[m.AppointmentType]:
        return (await self.execute(rq.appointment_types())).items

    async def list_invoices(self, *, ticket_id: int | None = None, since_updated_at: datetime | None = None,
                            max_pages: int | None = None) -> m.Listing[m.Invoice]:
        return await self.collect(lambda page: rq.list_invoices(ticket_id=ticket_id, since_updated_at=since_updated_at,
                                                                page=page, per_page=100), max_pages=max_pages)

    async def invoices_for_ticket(self, ticket: m.Ticket, *, since: datetime | None = None) -> list[m.Invoice]:
        """The ticket's invoices (made since ``since``), oldest first, known from what Syncro says of the ticket.

        Live accounts list invoices without ``ticket_id`` (and the filter is not
        trusted, docs/rules.md §4), so the list only names candidates: the
        invoices its lines were rolled onto, and the newest page of
        ``GET /invoices?ticket_id=`` for the ticket's customer. A candidate whose
        listing does not say its ticket is read with ``GET /invoices/{id}``, which does.
        """
        from_lines = {li.invoice_id for li in ticket.line_items if li.invoice_id is not None}
        listed = await self.list_invoices(ticket_id=ticket.id, max_pages=1)
        found: dict[int, m.Invoice] = {}
        to_read = set(from_lines)
        for invoice in listed:
            if invoice.customer_id != ticket.customer_id or (since is not None and invoice.created_at is not None
                                                              and invoice.created_at < since):
                continue
            if invoice.ticket_id == ticket.id:
                found[invoice.id] = invoice
            elif invoice.ticket_id is None:
                to_read.add(invoice.id)

        async def read(invoice_id: int) -> m.Invoice | None:
            try:
                return await self.execute(rq.get_invoice(invoice_id))
            except NotFound:
                return None

        for read_in_full in await asyncio.gather(*(read(i) for i in sorted(to_read - set(found)))):
            if read_in_full is not None and read_in_full.ticket_id == ticket.id:
                found[read_in_full.id] = read_in_full
        return sorted((i for i in found.values() if since is None or i.created_at is None or i.created_at >= since),
                      key=lambda i: i.id)


class _Retryable(Exception):
    """Internal: a failure a read may retry (or, for 429, any call may resend)."""

    def __init__(self, error: SyncroError, *, rate_limited: bool = False) -> None:
        super().__init__(str(error))
        self.error = error
        self.rate_limited = rate_limited


_VERBS = {"GET": "read this", "POST": "create this", "PUT": "change this", "DELETE": "delete this"}


def _verb(req: ApiRequest[Any]) -> str:
    return f"{_VERBS.get(req.method, 'do this')} ({req.call.replace('_', ' ')})"


def _describe(req: ApiRequest[Any]) -> str:
    return f"{req.method} {req.path} ({req.call.replace('_', ' ')})"


def _short(exc: Exception) -> str:
    return redact(shapes.problem(exc))[:200]


__all__ = ["SyncroClient", "base_url_for"]
