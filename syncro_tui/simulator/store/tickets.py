"""Tickets: lists, detail, create, update, delete.

One method per Syncro call, answering in Syncro's shape; quirks are marked ``[quirk]``.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .base import JSON, NOT_CLOSED_EXCLUDES, SLA_SOON, SimError, StoreBase, as_bool, as_int, not_found, parse_time


class TicketCalls(StoreBase):
    # -------------------------------------------------------------------- tickets
    def ticket_summary_fields(self, ticket: JSON) -> JSON:
        customer = self.t("customers").get(ticket["customer_id"])
        contact = self.t("contacts").get(ticket.get("contact_id") or -1)
        out = dict(ticket)
        out["customer_business_then_name"] = self.customer_name(customer) if customer else None
        out["contact_fullname"] = contact["name"] if contact else None
        out["user"] = self.user_brief(ticket.get("user_id"))
        return out

    def render_ticket_list_item(self, ticket: JSON) -> JSON:
        out = self.ticket_summary_fields(ticket)
        out["comments"] = []  # all_comments defaults to false since March 2026
        return out

    def ticket_comments(self, ticket_id: int) -> list[JSON]:
        return sorted(
            (c for c in self.t("comments").values() if c["ticket_id"] == ticket_id),
            key=lambda c: (c["created_at"], c["id"]),
        )

    def render_ticket_detail(self, ticket: JSON) -> JSON:
        out = self.ticket_summary_fields(ticket)
        for list_only in ("customer_reply", "contact_fullname", "ticket_type_name"):
            out.pop(list_only, None)
        kind = self.ticket_type(ticket.get("ticket_type_id"))
        out["ticket_type"] = {**kind, "account_id": 1, "ticket_fields": []} if kind else None
        tid = ticket["id"]
        customer = self.t("customers").get(ticket["customer_id"])
        out["customer"] = self.render_customer(customer, with_contacts=True) if customer else None
        out["contact"] = self.t("contacts").get(ticket.get("contact_id") or -1)
        out["comments"] = [self.render_comment(c) for c in self.ticket_comments(tid)]
        out["line_items"] = [li for li in self.t("line_items").values() if li["ticket_id"] == tid]
        out["ticket_timers"] = [self.render_timer(tm) for tm in self.t("timers").values() if tm["ticket_id"] == tid]
        out["appointments"] = [self.render_appointment(a, nested=False) for a in self.t("appointments").values() if a.get("ticket_id") == tid]
        out["assets"] = [a for a in self.t("assets").values() if a["id"] in (ticket.get("asset_ids") or [])]
        out["attachments"] = []
        out["worksheet_results"] = []
        return out

    def find_ticket(self, ticket_id: Any) -> JSON:
        return self.get("tickets", ticket_id)

    def ticket_type(self, type_id: Any) -> JSON | None:
        return next((dict(t) for t in self.account.get("ticket_types", []) if t["id"] == as_int(type_id)), None)

    def watch_slas(self) -> None:
        """Syncro's SLA clock: an open SLA ticket whose due time the clock has passed since the last look is
        breached, one within ``SLA_SOON`` of it is breaching soon, and either change updates the ticket.

        The first look only notes the time: the seed's flags stand as the account had them. Whether live
        Syncro moves ``updated_at`` when an SLA flag flips is unverified; here it does, so a delta refresh
        sees the flip (otherwise the next full load would). The next moments to look at are kept in order
        (made again after any write), so a list call does not walk every ticket.
        """
        now, last = self.clock(), self.sla_watched
        if last is not None and now <= last:
            return
        self.sla_watched = now
        marks = self.sla_marks()
        if last is None:
            return
        while marks and marks[0][0] <= now:
            _, ticket_id = heapq.heappop(marks)
            ticket = self.t("tickets").get(ticket_id)
            due = self.sla_due(ticket)
            if ticket is None or due is None:
                continue
            if due <= now:
                ticket.update(sla_breached=True, sla_breaching_soon=False)
            elif not ticket.get("sla_breaching_soon") and due - SLA_SOON <= now:
                ticket["sla_breaching_soon"] = True
                heapq.heappush(marks, (due, ticket_id))
            else:  # its due date moved since the mark was made
                continue
            ticket["updated_at"] = self.now()

    def sla_due(self, ticket: JSON | None) -> datetime | None:
        """When an open SLA ticket not yet breached is due; None for any other ticket."""
        if (ticket is None or ticket.get("sla_id") is None or ticket.get("sla_breached")
                or ticket["status"] in NOT_CLOSED_EXCLUDES):
            return None
        return parse_time(ticket.get("due_date"))

    def sla_marks(self) -> list[tuple[datetime, int]]:
        """The next moment each SLA ticket changes (a heap); made again after a write or a ticket added."""
        tickets = self.t("tickets")
        if self._sla_marks is None or self._sla_marks_for != (self.writes, len(tickets)):
            marks = []
            for ticket_id, ticket in tickets.items():
                due = self.sla_due(ticket)
                if due is not None:
                    marks.append((due if ticket.get("sla_breaching_soon") else due - SLA_SOON, ticket_id))
            heapq.heapify(marks)
            self._sla_marks, self._sla_marks_for = marks, (self.writes, len(tickets))
        return self._sla_marks

    def list_tickets(self, params: Mapping[str, str], *, key: str) -> JSON:
        self.watch_slas()
        items = list(self.t("tickets").values())
        status = params.get("status")
        if status:
            if status.lower() == "not closed":
                items = [t for t in items if t["status"] not in NOT_CLOSED_EXCLUDES]
            else:
                items = [t for t in items if t["status"].lower() == status.lower()]
        if params.get("number"):
            items = [t for t in items if str(t["number"]) == params["number"].strip().lstrip("#")]
        if params.get("customer_id"):
            items = [t for t in items if t["customer_id"] == as_int(params["customer_id"])]
        if params.get("contact_id"):
            items = [t for t in items if t.get("contact_id") == as_int(params["contact_id"])]
        if params.get("user_id"):
            items = [t for t in items if t.get("user_id") == as_int(params["user_id"])]
        if as_bool(params.get("mine")):
            owner = self.keys[key]["user_id"]
            items = [t for t in items if t.get("user_id") == owner]
        since = parse_time(params.get("since_updated_at"))
        if since is not None:
            items = [t for t in items if parse_time(t["updated_at"]) >= since]  # type: ignore[operator]
        for name, field in (("created_after", "created_at"), ("resolved_after", "resolved_at")):
            after = parse_time(params.get(name))
            if after is not None:
                items = [t for t in items if t.get(field) and parse_time(t[field]) >= after]  # type: ignore[operator]
        query = (params.get("query") or "").strip().lower()
        if query:
            def matches(t: JSON) -> bool:
                customer = self.t("customers").get(t["customer_id"])
                hay = " ".join([str(t["number"]), t["subject"], self.customer_name(customer) if customer else ""]).lower()
                return query in hay
            items = [t for t in items if matches(t)]
        search_id = as_int(params.get("ticket_search_id"))
        if search_id is not None:
            search = next((s for s in self.account.get("saved_searches", []) if s["id"] == search_id), None)
            if search is None:
                raise not_found()
            statuses = search.get("statuses") or []
            items = [t for t in items if not statuses or t["status"] in statuses]
        items.sort(key=lambda t: t["number"], reverse=True)
        page, meta = self.paginate(items, params)
        return {"tickets": [self.render_ticket_list_item(t) for t in page], "meta": {"total_pages": meta["total_pages"], "page": meta["page"]}}

    def get_ticket(self, ticket_id: Any) -> JSON:
        self.watch_slas()
        return {"ticket": self.render_ticket_detail(self.find_ticket(ticket_id))}

    TICKET_FIELDS = (
        "subject", "problem_type", "status", "priority", "user_id", "due_date", "contact_id", "address_id",
        "start_at", "end_at", "location_id", "customer_reply", "tag_list", "properties", "ticket_type_id",
    )

    def _validate_ticket_type(self, body: JSON, *, creating: bool) -> None:
        given = body.get("ticket_type_id")
        if given in (None, ""):
            if creating and self.account.get("require_ticket_type"):
                # [quirk] a shop that requires a ticket type refuses a ticket without one.
                raise SimError(422, {"success": False, "message": ["Ticket type can't be blank"]})
            return
        kind = self.ticket_type(given)
        if kind is None or kind.get("disabled"):
            raise SimError(422, {"success": False, "message": ["Ticket type must exist"]})

    def _validate_ticket_fields(self, body: JSON) -> None:
        if "status" in body and body["status"] not in self.account["ticket_statuses"]:
            # [quirk] a bare Rails errors hash
            raise SimError(422, {"status": ["is not included in the list"]})
        if "user_id" in body and body["user_id"] not in (None, "") and as_int(body["user_id"]) not in self.t("users"):
            raise SimError(422, {"success": False, "message": ["User must exist"]})
        if "subject" in body and not str(body.get("subject") or "").strip():
            raise SimError(422, {"success": False, "message": ["Subject can't be blank"]})

    def create_ticket(self, body: JSON, *, key: str) -> JSON:
        customer = self.t("customers").get(as_int(body.get("customer_id")) or -1)
        if customer is None:
            raise SimError(422, {"error": "Customer required field"})
        if not str(body.get("subject") or "").strip():
            raise SimError(422, {"success": False, "message": ["Subject can't be blank"]})
        self._validate_ticket_fields(body)
        self._validate_ticket_type(body, creating=True)
        kind = self.ticket_type(body.get("ticket_type_id"))
        now = self.now()
        tid = self.next_id("ticket_id")
        ticket: JSON = {
            "id": tid,
            "number": self.next_id("ticket_number"),
            "subject": str(body["subject"]),
            "created_at": now,
            "updated_at": now,
            "customer_id": customer["id"],
            "contact_id": as_int(body.get("contact_id")),
            "status": body.get("status") or "New",
            "priority": body.get("priority") or "2 Normal",
            "problem_type": body.get("problem_type") or "Not determined",
            "user_id": as_int(body.get("user_id")),
            "due_date": body.get("due_date"),
            "start_at": body.get("start_at"),
            "end_at": body.get("end_at"),
            "resolved_at": None,
            "address_id": as_int(body.get("address_id")),
            "location_id": None,
            "customer_reply": False,
            "asset_ids": [as_int(a) for a in body.get("asset_ids") or [] if as_int(a) is not None],
            "tag_list": list(body.get("tag_list") or []),
            "properties": dict(body.get("properties") or {}),
            "billing_status": None,
            "ticket_type_id": kind["id"] if kind else None,
            "ticket_type_name": kind["name"] if kind else None,
            "pdf_url": None,
            "parent_id": None,
            "contract_id": None,
            "contract_name": None,
            "sla_id": None,
            "sla_name": None,
            "sla_breached": False,
            "sla_breaching_soon": False,
        }
        self.t("tickets")[tid] = ticket
        for attrs in body.get("comments_attributes") or []:
            self._insert_comment(ticket, attrs, key=key)
        return {"ticket": self.render_ticket_detail(ticket)}

    def update_ticket(self, ticket_id: Any, body: JSON) -> JSON:
        ticket = self.find_ticket(ticket_id)
        self._validate_ticket_fields(body)
        self._validate_ticket_type(body, creating=False)
        for field in self.TICKET_FIELDS:
            if field in body:
                value = body[field]
                if field in ("user_id", "contact_id", "address_id", "location_id", "ticket_type_id"):
                    value = as_int(value)
                if field == "customer_reply":
                    value = bool(as_bool(value))
                ticket[field] = value
        if "ticket_type_id" in body:
            ticket["ticket_type_name"] = (self.ticket_type(ticket["ticket_type_id"]) or {}).get("name")
        if "status" in body:
            ticket["resolved_at"] = self.now() if body["status"] in NOT_CLOSED_EXCLUDES else ticket.get("resolved_at")
        self.touch_ticket(ticket)
        return {"ticket": self.render_ticket_detail(ticket)}

    def delete_ticket(self, ticket_id: Any) -> JSON:
        ticket = self.find_ticket(ticket_id)
        del self.t("tickets")[ticket["id"]]
        return {"message": "Ticket was successfully deleted. "}
