"""One spec per call the write path sends: what it knows of each, in one table (docs/rules.md §3).

A call is built and its answer parsed in ``api/requests.py`` (the only code that sees raw JSON); everything
the write path needs beyond that is its ``Spec`` here:

- a write: how it is found again after a lost answer (``read_back``, ``writes/reconcile.py``), and for a
  create, the read of what existed before it (``baseline``: read back by difference, never by look-alike);
- a check step (a read a group makes to compare with its plan): how it judges what it read (``check``);
- what a later, conditional step waits for in a field of this call's result, in words (``conditions``).

A call with no spec is never sent: ``WritePath.start`` refuses it, and
``tests/writes/test_write_path.py`` fails for a write the app can build that has none.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..api.call import ApiRequest, Ref
from ..domain.readback import Facts, Finding, InvoiceFacts, LineFacts, check_charged_line, check_invoice
from . import reconcile as rb
from .reconcile import Verdict

if TYPE_CHECKING:
    from ..api.client import SyncroClient  # only for annotations: httpx loads after the first paint

#: How a write is found after a lost answer: (client, the request, when it was sent, the key's owner).
Reader = Callable[["SyncroClient", ApiRequest[Any], datetime, "int | None"], Awaitable[Verdict]]
#: What exists before a create is sent that it could be mistaken for: the ids, read at ``now``.
Baseline = Callable[["SyncroClient", ApiRequest[Any], datetime], Awaitable[tuple[int, ...]]]
#: How a check step judges the record it read against what the plan expects.
Check = Callable[[Any, Mapping[str, Any]], Finding]


@dataclass(frozen=True)
class Spec:
    #: A write: how it is found again after a lost answer (None: a check, simply run again).
    read_back: Reader | None = None
    #: A create: the read of what exists before it is sent (None: not a create).
    baseline: Baseline | None = None
    #: A create on a record the same group creates (a comment on the new ticket) had nothing before it;
    #: an appointment is found among the owner's calendar all the same.
    empty_on_new: bool = True
    #: A check step: how it judges what it read back, and the facts it hands the calls after it.
    check: Check | None = None
    gives: type[Facts] | None = None
    #: By field of this call's result: what a later step sent only when that field is true waits for, in words.
    conditions: Mapping[str, str] = field(default_factory=dict)


def _removed(kind: str) -> Reader:
    return lambda client, req, sent_at, owner: rb.find_removed(kind, client, req, sent_at, owner)


#: Every call the write path sends, by call name.
SPECS: dict[str, Spec] = {
    "add_comment": Spec(rb.find_comment, rb.comments_before),
    "add_timer": Spec(rb.find_timer, rb.timers_before),
    "update_timer": Spec(rb.find_timer_update),
    "charge_timer": Spec(rb.find_charge),
    "add_line_item": Spec(rb.find_line_item, rb.lines_before),
    "update_line_item": Spec(rb.find_line_update),
    "delete_timer": Spec(_removed("timer")),
    "remove_line_item": Spec(_removed("line item")),
    "create_invoice": Spec(rb.find_invoice, rb.invoices_before),
    "create_ticket": Spec(rb.find_ticket_create, rb.tickets_before),
    "update_ticket": Spec(rb.find_ticket_update),
    "create_appointment": Spec(rb.find_appointment_create, rb.appointments_before, empty_on_new=False),
    "update_appointment": Spec(rb.find_appointment_update),
    "delete_appointment": Spec(rb.find_appointment_delete),
    "start_live_timer": Spec(rb.find_live_start),
    "start_timer": Spec(rb.find_live_move),
    "pause_timer": Spec(rb.find_live_move),
    "stop_timer": Spec(rb.find_live_move),
    "invoice_to_draft": Spec(rb.find_draft),
    "update_invoice_line": Spec(rb.find_invoice_line),
    "publish_invoice": Spec(rb.find_draft),
    # Check steps: a read whose answer is compared with what the plan expects.
    "check_line_item": Spec(check=check_charged_line, gives=LineFacts,
                            conditions={"needs_patch": "only if the line arrived at $0.00"}),
    "check_invoice": Spec(check=check_invoice, gives=InvoiceFacts),
}


def sendable(req: ApiRequest[Any]) -> bool:
    """Whether the write path knows how to make ``req`` safe: a write it can read back, a check it can judge."""
    spec = SPECS.get(req.call)
    return spec is not None and (spec.check is not None if req.is_check else spec.read_back is not None)


def creates(call: str) -> bool:
    """Whether ``call`` makes a record, read back by difference from what existed before it."""
    spec = SPECS.get(call)
    return spec is not None and spec.baseline is not None


def judge(req: ApiRequest[Any], record: Any) -> Finding:
    """What a check step found in the record it read."""
    check = SPECS[req.call].check
    if check is None:
        raise ValueError(f"{req.call} is not a check step")
    return check(record, req.expect or {})


def ref_problem(calls: Sequence[str], ref: Ref) -> str | None:
    """Why ``ref`` names nothing the call it points to returns (None: it does). A write's answer gives the record's
    ``id``; a check gives its facts' fields. A misspelt field fails the plan, not a resume in front of a customer."""
    spec = SPECS.get(calls[ref.step]) if ref.step < len(calls) else None
    if spec is None:
        return None  # not a call the write path sends: the path refuses the plan itself
    known = set(spec.gives.model_fields) if spec.gives is not None else {"id"}
    if ref.field not in known:
        return f"{ref.label} names nothing call {ref.step + 1} ({calls[ref.step]}) returns ({', '.join(sorted(known))})"
    return None


def condition(calls: Sequence[str], ref: Ref) -> str:
    """What a conditional step of a group of ``calls`` waits for, in words: "only if the line arrived at $0.00"."""
    spec = SPECS.get(calls[ref.step]) if ref.step < len(calls) else None
    words = spec.conditions.get(ref.field) if spec is not None else None
    return words or "only if " + ref.field.replace("_", " ")


def condition_text(calls: Sequence[str], ref: Ref) -> str:
    """The condition as the confirm screen and ``bill --plan`` show it, with the call that decides."""
    return f"{condition(calls, ref)} (call {ref.step + 1} decides)"


async def reconcile(client: SyncroClient, req: ApiRequest[Any], *, sent_at: datetime, owner: int | None = None) -> Verdict:
    """Whether the write ``req`` (sent at ``sent_at`` under ``owner``'s key) is in Syncro now."""
    spec = SPECS.get(req.call)
    if spec is None or spec.read_back is None:
        raise ValueError(f"no read-back is known for {req.call}: it must not be sent through the write path")
    return await spec.read_back(client, req, sent_at, owner)


async def baseline(client: SyncroClient, req: ApiRequest[Any], *, now: datetime) -> tuple[int, ...] | None:
    """What exists now that a create could be mistaken for, read before it is sent (None: not a create).

    The flows that already read these (the billing run's ticket) put them on the request themselves;
    this is the read for the others.
    """
    spec = SPECS.get(req.call)
    if spec is None or spec.baseline is None:
        return None
    if req.refs and spec.empty_on_new:
        return ()  # on a record this group creates: nothing was on it before
    return await spec.baseline(client, req, now)
