"""Appointments and their types.

One method per Syncro call, answering in Syncro's shape; quirks are marked ``[quirk]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from .base import JSON, SimError, StoreBase, as_bool, as_int, decimal_string, not_found, parse_time, stamp, to_decimal


class AppointmentCalls(StoreBase):
    # --------------------------------------------------------------- appointments
    def render_appointment(self, appt: JSON, *, nested: bool = True) -> JSON:
        out = dict(appt)
        start, end = parse_time(appt["start_at"]), parse_time(appt["end_at"])
        out["duration"] = decimal_string(Decimal(int((end - start).total_seconds())) / Decimal(3600)) if start and end else None
        if nested:
            customer = self.t("customers").get(appt.get("customer_id") or -1)
            out["customer"] = self.render_customer(customer, with_contacts=False) if customer else None
        return out

    def list_appointments(self, params: Mapping[str, str], *, key: str) -> JSON:
        items = sorted(self.t("appointments").values(), key=lambda a: (a["start_at"], a["id"]))
        # [quirk] customer_id is ignored: filter client-side.
        date_from = parse_time(params.get("date_from") or params.get("start_at"))
        date_to = parse_time(params.get("date_to"))
        if date_from is not None:
            items = [a for a in items if parse_time(a["end_at"]) >= date_from]  # type: ignore[operator]
        if date_to is not None:
            limit = date_to + timedelta(days=1) if len(params.get("date_to", "")) <= 10 else date_to
            items = [a for a in items if parse_time(a["start_at"]) < limit]  # type: ignore[operator]
        if as_bool(params.get("mine")):
            owner = self.keys[key]["user_id"]
            items = [a for a in items if a.get("user_id") == owner or owner in (a.get("user_ids") or [])]
        page, meta = self.paginate(items, params)
        return {"appointments": [self.render_appointment(a) for a in page], "meta": {"total_pages": meta["total_pages"], "page": meta["page"]}}

    def get_appointment(self, appt_id: Any) -> JSON:
        return {"appointment": self.render_appointment(self.get("appointments", appt_id))}

    def _appointment_fields(self, body: JSON, appt: JSON | None) -> JSON:
        fields: JSON = {}
        for name in ("summary", "description", "location", "all_day", "do_not_email"):
            if name in body:
                fields[name] = body[name]
        for name in ("ticket_id", "customer_id", "user_id", "appointment_type_id"):
            if name in body:
                fields[name] = as_int(body[name])
        if "user_ids" in body:
            fields["user_ids"] = [as_int(u) for u in body["user_ids"] or []]
        for name in ("start_at", "end_at"):
            if body.get(name):
                moment = parse_time(body[name])
                if moment is None:
                    raise SimError(422, {"success": False, "error": f"{name.replace('_', ' ').capitalize()} is invalid", "message": f"{name} is invalid", "params": body})
                fields[name] = stamp(moment)
        return fields

    def _appointment_errors(self, merged: JSON, body: JSON) -> None:
        problems = []
        if not str(merged.get("summary") or "").strip():
            problems.append("Summary can't be blank")
        if not merged.get("start_at"):
            problems.append("Start at can't be blank")
        if not merged.get("end_at"):
            problems.append("End at can't be blank")
        if not problems and parse_time(merged["end_at"]) < parse_time(merged["start_at"]):  # type: ignore[operator]
            problems.append("End at must be after start at")
        if problems:
            text = ",".join(problems)
            raise SimError(422, {"success": False, "error": text, "message": text, "params": body})

    def create_appointment(self, body: JSON, *, key: str) -> JSON:
        fields = self._appointment_fields(body, None)
        if fields.get("start_at") and not fields.get("end_at") and body.get("appointment_duration"):
            minutes = to_decimal(body["appointment_duration"], Decimal("0"))
            start = parse_time(fields["start_at"])
            if start is not None:
                fields["end_at"] = stamp(start + timedelta(minutes=float(minutes)))
        self._appointment_errors(fields, body)
        ticket = self.t("tickets").get(fields.get("ticket_id") or -1)
        if fields.get("ticket_id") and ticket is None:
            raise not_found()
        now = self.now()
        description = fields.get("description") or ""
        if ticket is not None:
            # [quirk] Syncro fills the description from the ticket (and its customer).
            customer = self.t("customers").get(ticket["customer_id"]) or {}
            description = (f"Ticket #{ticket['number']}: {ticket['subject']}\n"
                           f"Customer: {self.customer_name(customer) if customer else ''}"
                           + (f"\n\n{description}" if description else ""))
        appt = {
            "id": self.next_id("appointment_id"),
            "summary": fields["summary"],
            "description": description,
            "customer_id": fields.get("customer_id") or (ticket or {}).get("customer_id"),
            "ticket_id": fields.get("ticket_id"),
            "user_id": fields.get("user_id") or self.keys[key]["user_id"],
            "user_ids": fields.get("user_ids") or [],
            "appointment_type_id": fields.get("appointment_type_id"),
            "created_at": now,
            "updated_at": now,
            "start_at": fields["start_at"],
            "end_at": fields["end_at"],
            "location": fields.get("location"),
            "all_day": fields.get("all_day"),
            "do_not_email": "1" if as_bool(fields.get("do_not_email")) else "0",
            "appointment_location_type": None,
        }
        self.t("appointments")[appt["id"]] = appt
        if ticket is not None:
            self.touch_ticket(ticket)
        return {"appointment": self.render_appointment(appt)}

    def update_appointment(self, appt_id: Any, body: JSON) -> JSON:
        appt = self.get("appointments", appt_id)
        if not body.get("start_at"):
            self._appointment_errors({**appt, "start_at": None}, body)
        fields = self._appointment_fields(body, appt)
        merged = {**appt, **fields}
        self._appointment_errors(merged, body)
        appt.update(fields)
        appt["updated_at"] = self.now()
        return {"appointment": self.render_appointment(appt)}

    def delete_appointment(self, appt_id: Any) -> None:
        appt = self.get("appointments", appt_id)
        del self.t("appointments")[appt["id"]]
        # [quirk] some deletes answer 204 with no body (this one, here; a peer's log saw {"message": "deleted"}).
        return None

    def list_appointment_types(self) -> JSON:
        return {"appointment_types": list(self.t("appointment_types").values())}
