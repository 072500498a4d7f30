"""All of one simulated Syncro account, in memory: one module per resource, one ``Store`` over them.

Records are kept close to the JSON the real API returns, keyed by id. Each
public method is one Syncro call: it validates like Syncro (with Syncro's
error bodies), changes the data and returns the response body in Syncro's
shape for that call (wrapped or flat, see docs/rules.md §2). Quirks are
reproduced on purpose and marked ``[quirk]``.
"""

from __future__ import annotations

from .account import AccountCalls
from .appointments import AppointmentCalls
from .base import ADDRESS_ID_BASE, JSON, NOT_CLOSED_EXCLUDES, PERMISSION_MESSAGE, SLA_SOON, SimError, decimal_string, money, stamp
from .comments import CommentCalls
from .customers import CustomerCalls
from .invoices import InvoiceCalls
from .line_items import LineItemCalls
from .products import ProductCalls
from .tickets import TicketCalls
from .timers import TimerCalls

__all__ = ["ADDRESS_ID_BASE", "JSON", "NOT_CLOSED_EXCLUDES", "PERMISSION_MESSAGE", "SLA_SOON", "SimError", "Store",
           "decimal_string", "money", "stamp"]


class Store(AccountCalls, CustomerCalls, ProductCalls, TicketCalls, CommentCalls, TimerCalls, LineItemCalls,
            InvoiceCalls, AppointmentCalls):
    """All of one simulated Syncro account, in memory."""
