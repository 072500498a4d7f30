"""Timers on a ticket, and charging them (which makes the line).

One method per Syncro call, answering in Syncro's shape; quirks are marked ``[quirk]``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .base import JSON, SimError, StoreBase, as_bool, as_int, decimal_string, not_found, parse_time, stamp, to_decimal


class TimerCalls(StoreBase):
    # --------------------------------------------------------------------- timers
    def _timer_interval(self, body: JSON, *, existing: JSON | None = None) -> tuple[datetime, datetime]:
        start = parse_time(body.get("start_at")) if "start_at" in body else (parse_time(existing["start_time"]) if existing else None)
        if start is None:
            # [quirk] the spec's example 422 for a timer without start_at is a raw Ruby exception.
            raise SimError(422, {"error": "no implicit conversion of nil into String"})
        if "end_at" in body and body["end_at"]:
            end = parse_time(body["end_at"])
            if end is None:
                raise SimError(422, {"error": "End at is invalid"})
        elif body.get("duration_minutes") not in (None, ""):
            minutes = to_decimal(body["duration_minutes"])
            if minutes is None:
                raise SimError(422, {"error": "Duration minutes is invalid"})
            end = start + timedelta(minutes=float(minutes))
        elif existing:
            end = parse_time(existing["end_time"])  # type: ignore[assignment]
        else:
            end = self.clock()
        if end < start:
            raise SimError(422, {"success": False, "message": ["End time must be after start time"]})
        return start, end

    def add_timer(self, ticket_id: Any, body: JSON, *, key: str) -> JSON:
        ticket = self.find_ticket(ticket_id)
        if "billable" in body and as_bool(body["billable"]) is None:
            raise SimError(422, {"errors": ["billable must be true or false"]})
        # [quirk] billable: false is ignored: the timer is billable (no-charge work takes the warranty product).
        billable = True
        start, end = self._timer_interval(body)
        product_id = as_int(body.get("product_id")) or self.account["default_labor_product_id"]
        if self.product_for(product_id) is None:
            raise SimError(422, {"success": False, "message": ["Product must exist"]})
        now = self.now()
        seconds = int((end - start).total_seconds())
        timer = {
            "id": self.next_id("timer_id"),
            "ticket_id": ticket["id"],
            "user_id": as_int(body.get("user_id")) or self.keys[key]["user_id"],
            "start_time": stamp(start),
            "end_time": stamp(end),
            "recorded": False,
            "created_at": now,
            "updated_at": now,
            "billable": billable,
            "notes": body.get("notes"),
            "toggl_id": None,
            "product_id": product_id,
            "comment_id": None,
            "ticket_line_item_id": None,
            "active_duration": seconds,
            "billable_time": seconds,
            "billable_override": None,
        }
        self.t("timers")[timer["id"]] = timer
        self.touch_ticket(ticket)
        return dict(timer)  # flat

    def _ticket_timer(self, ticket: JSON, body: JSON) -> JSON:
        timer = self.t("timers").get(as_int(body.get("timer_entry_id")) or -1)
        if timer is None or timer["ticket_id"] != ticket["id"]:
            raise not_found()
        return timer

    def update_timer(self, ticket_id: Any, body: JSON) -> JSON:
        ticket = self.find_ticket(ticket_id)
        timer = self._ticket_timer(ticket, body)
        if "start_at" in body or "end_at" in body:
            # [quirk] duration_minutes on update is accepted but does not change the interval.
            start, end = self._timer_interval({k: v for k, v in body.items() if k != "duration_minutes"}, existing=timer)
            timer["start_time"], timer["end_time"] = stamp(start), stamp(end)
            timer["billable_time"] = int((end - start).total_seconds())
        for field in ("notes", "user_id", "product_id"):
            if field in body:
                timer[field] = as_int(body[field]) if field != "notes" else body[field]
        # [quirk] live accounts answer (and keep) active_duration null after an update.
        timer["active_duration"] = None
        timer["updated_at"] = self.now()
        self.touch_ticket(ticket)
        return dict(timer)

    def delete_timer(self, ticket_id: Any, body: JSON) -> JSON:
        ticket = self.find_ticket(ticket_id)
        timer = self._ticket_timer(ticket, body)
        del self.t("timers")[timer["id"]]
        self.touch_ticket(ticket)
        return {"success": True}

    def zero_price_for(self, timer_id: int) -> bool:
        """[quirk] whether charging this timer yields a 0.00 line: deterministic for the seed."""
        if self.zero_price_rate <= 0:
            return False
        return random.Random(f"{self.seed}:charge:{timer_id}").random() < self.zero_price_rate

    def charge_timer(self, ticket_id: Any, body: JSON, *, key: str) -> JSON:
        ticket = self.find_ticket(ticket_id)
        timer = self._ticket_timer(ticket, body)
        # [quirk] any product_id in the body is ignored: the timer's own product is charged.
        product = self.product_for(timer["product_id"]) or {}
        seconds = (parse_time(timer["end_time"]) - parse_time(timer["start_time"])).total_seconds()  # type: ignore[operator]
        hours = Decimal(int(seconds)) / Decimal(3600)
        price = Decimal(str(product.get("price_retail", 0)))
        if self.zero_price_for(timer["id"]):
            price = Decimal("0")
        # [quirk] charging ignores the timer's billable flag, and charging the same timer
        # twice makes a second line item: nothing here is idempotent.
        line = self._insert_line_item(
            ticket,
            {
                "product_id": product.get("id"),
                "name": product.get("name", "Labor"),
                "description": timer.get("notes") or product.get("description") or product.get("name", "Labor"),
                "quantity": decimal_string(hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)),
                "price_retail": price,
                "taxable": False,
            },
            key=key,
        )
        timer["recorded"] = True
        timer["ticket_line_item_id"] = line["id"]
        # [quirk] active_duration is null after a charge on live accounts.
        timer["active_duration"] = None
        timer["updated_at"] = self.now()
        # [quirk] the answer does not link the line (Syncro's own example: ticket_line_item_id null);
        # the ticket's timers do.
        return {**timer, "ticket_line_item_id": None}

    def list_ticket_timers(self, params: Mapping[str, str]) -> JSON:
        # [quirk] ticket_id is ignored: this is the whole shop's timer history; created_at_gt/_lt are honoured.
        items = sorted(self.t("timers").values(), key=lambda t: t["id"], reverse=True)
        after, before = parse_time(params.get("created_at_gt")), parse_time(params.get("created_at_lt"))
        if after is not None:
            items = [t for t in items if parse_time(t["created_at"]) > after]  # type: ignore[operator]
        if before is not None:
            items = [t for t in items if parse_time(t["created_at"]) < before]  # type: ignore[operator]
        page, meta = self.paginate(items, params)
        return {"ticket_timers": page, "meta": {"total_pages": meta["total_pages"], "page": meta["page"]}}
