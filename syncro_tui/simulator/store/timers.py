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
        end: datetime | None
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
            end = parse_time(existing["end_time"]) or self.clock()  # a live timer still running has no end yet
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
        timer: JSON = {
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
        timer["status"] = "stopped"  # said only by accounts with live timers (render_timer)
        self.t("timers")[timer["id"]] = timer
        self.touch_ticket(ticket)
        return self.render_timer(timer)  # flat

    def render_timer(self, timer: JSON) -> JSON:
        """A timer as Syncro shows it: its state only on an account with live timers, and a running one's
        active_duration counts up to now."""
        out = dict(timer)
        if not self.account.get("live_timers"):
            out.pop("status", None)
        elif timer.get("status") == "running":
            out["active_duration"] = self._worked(timer)
        return out

    def _worked(self, timer: JSON) -> int:
        """A live timer's seconds of work: what it had at its last move, plus the run since, while it runs."""
        seconds = int(timer.get("active_duration") or 0)
        if timer.get("status") == "running":
            seconds += int((self.clock() - parse_time(timer["updated_at"])).total_seconds())  # type: ignore[operator]
        return seconds

    # ---------------------------------------------------------------- live timers (2026)
    def _live_on(self) -> None:
        """[quirk] an account without live timers answers their calls 404, as for an unknown path."""
        if not self.account.get("live_timers"):
            raise not_found()

    def start_live_timer(self, body: JSON, *, key: str) -> JSON:
        """``POST /ticket_timers``: a timer for the key's owner on the ticket, running from now; the owner's running
        or paused timer on that ticket is resumed instead of a second being made."""
        self._live_on()
        ticket = self.find_ticket(body.get("ticket_id"))
        owner = self.keys[key]["user_id"]
        mine = next((t for t in self.t("timers").values() if t["ticket_id"] == ticket["id"] and t["user_id"] == owner
                     and t.get("status") in ("running", "paused")), None)
        if mine is not None:
            if mine["status"] == "paused":
                self._move(mine, "running")
            return {"ticket_timer": self.render_timer(mine)}
        product_id = as_int(body.get("product_id")) or self.account["default_labor_product_id"]
        if self.product_for(product_id) is None:
            raise SimError(422, {"errors": ["Product must exist"]})
        now = self.now()
        timer: JSON = {
            "id": self.next_id("timer_id"), "ticket_id": ticket["id"], "user_id": owner, "start_time": now,
            "end_time": None, "recorded": False, "created_at": now, "updated_at": now,
            "billable": bool(as_bool(body.get("billable")) if "billable" in body else True),
            "notes": body.get("notes"), "toggl_id": None, "product_id": product_id, "comment_id": None,
            "ticket_line_item_id": None, "active_duration": 0, "billable_time": 0, "billable_override": None,
            "status": "running",
        }
        self.t("timers")[timer["id"]] = timer
        self.touch_ticket(ticket)
        return {"ticket_timer": self.render_timer(timer)}

    #: The moves a live timer allows: (action, from states, to state).
    MOVES = {"start": (("paused",), "running"), "pause": (("running",), "paused"),
             "stop": (("running", "paused"), "stopped")}

    def move_live_timer(self, timer_id: Any, action: str, *, key: str) -> JSON:
        """``POST /ticket_timers/{id}/start|pause|stop``: 422 on a move its state does not allow. On an account that
        charges timers by default, stopping charges it (its line is made)."""
        self._live_on()
        timer = self.get("timers", timer_id)
        allowed, to = self.MOVES[action]
        if timer.get("status") not in allowed:
            raise SimError(422, {"errors": [f"Timer cannot {action} when it is {timer.get('status') or 'stopped'}"]})
        self._move(timer, to)
        if to == "stopped":
            timer["end_time"] = timer["updated_at"]
            timer["billable_time"] = timer["active_duration"]
            if self.account.get("charge_timers_by_default"):
                self.charge_timer(timer["ticket_id"], {"timer_entry_id": timer["id"]}, key=key)
        self.touch_ticket(self.find_ticket(timer["ticket_id"]))
        return {"ticket_timer": self.render_timer(timer)}

    def _move(self, timer: JSON, to: str) -> None:
        timer["active_duration"] = self._worked(timer)
        timer["status"] = to
        timer["updated_at"] = self.now()

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
        return self.render_timer(timer)

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
        if timer.get("status") in ("running", "paused"):
            raise SimError(422, {"errors": ["Timer must be stopped before it is charged"]})
        # What the timer bills: its interval, or a live timer's time worked (its pauses left out).
        seconds = timer.get("billable_time")
        if seconds is None:
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
        return {**self.render_timer(timer), "ticket_line_item_id": None}

    def list_ticket_timers(self, params: Mapping[str, str]) -> JSON:
        # [quirk] without live timers ticket_id is ignored: this is the whole shop's timer history;
        # created_at_gt/_lt are honoured. With them (2026), ticket_id, user_id, status and billing_status filter.
        items = sorted(self.t("timers").values(), key=lambda t: t["id"], reverse=True)
        if self.account.get("live_timers"):
            for name in ("ticket_id", "user_id"):
                if params.get(name):
                    items = [t for t in items if t[name] == as_int(params[name])]
            if params.get("status"):
                items = [t for t in items if t.get("status") == params["status"]]
            if params.get("billing_status") in ("charged", "uncharged"):
                items = [t for t in items if bool(t["recorded"]) is (params["billing_status"] == "charged")]
        after, before = parse_time(params.get("created_at_gt")), parse_time(params.get("created_at_lt"))
        if after is not None:
            items = [t for t in items if parse_time(t["created_at"]) > after]  # type: ignore[operator]
        if before is not None:
            items = [t for t in items if parse_time(t["created_at"]) < before]  # type: ignore[operator]
        page, meta = self.paginate(items, params)
        return {"ticket_timers": [self.render_timer(t) for t in page],
                "meta": {"total_pages": meta["total_pages"], "page": meta["page"]}}
