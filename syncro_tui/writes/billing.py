"""The reads billing starts from: the ticket and customer, and the products behind the rate table (the plan itself is pure)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..api.errors import NotFound
from ..api.models import Product
from ..domain.billing import Situation

if TYPE_CHECKING:
    from ..api.client import SyncroClient  # only for annotations: httpx loads after the first paint


class UnknownTicket(LookupError):
    """No ticket has that number."""


async def read_situation(client: SyncroClient, *, number: int | None = None, ticket_id: int | None = None) -> Situation:
    """The ticket (by number or id), its customer (prepay_hours) and its invoices."""
    if ticket_id is None:
        summary = await client.ticket_by_number(number) if number is not None else None
        if summary is None:
            raise UnknownTicket(f"There is no ticket #{number}.")
        ticket_id = summary.id
    try:
        ticket = await client.get_ticket(ticket_id)
    except NotFound:
        raise UnknownTicket(f"Ticket {number or ticket_id} is not in Syncro (deleted?).") from None
    if ticket.customer_id is None:
        raise UnknownTicket(f"Ticket #{ticket.number} has no customer, so it cannot be billed.")
    customer, invoices = await asyncio.gather(client.get_customer(ticket.customer_id),
                                              client.invoices_for_ticket(ticket))
    return Situation(ticket=ticket, customer=customer, invoices=tuple(invoices))


async def read_products(client: SyncroClient, product_ids: Iterable[int]) -> dict[int, Product | None]:
    """Syncro's products for the rate table's ids (None for a product Syncro does not have)."""
    async def one(product_id: int) -> Product | None:
        try:
            return await client.get_product(product_id)
        except NotFound:
            return None

    ids = list(dict.fromkeys(product_ids))
    return dict(zip(ids, await asyncio.gather(*(one(i) for i in ids)), strict=True))
