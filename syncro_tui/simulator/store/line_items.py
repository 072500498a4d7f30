"""Line items on a ticket.

One method per Syncro call, answering in Syncro's shape; quirks are marked ``[quirk]``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .base import JSON, SimError, StoreBase, as_bool, as_int, decimal_string, money, not_found, to_decimal


class LineItemCalls(StoreBase):
    # ----------------------------------------------------------------- line items
    def _insert_line_item(self, ticket: JSON, body: JSON, *, key: str) -> JSON:
        quantity = to_decimal(body.get("quantity"), Decimal("1"))
        # [quirk] only price_retail sets the price; price, retail_price, rate and price_cents are ignored.
        price = to_decimal(body.get("price_retail"), Decimal("0"))
        cost = to_decimal(body.get("price_cost"), Decimal("0"))
        taxable = as_bool(body.get("taxable"))
        now = self.now()
        line = {
            "id": self.next_id("line_item_id"),
            "ticket_id": ticket["id"],
            "user_id": self.keys[key]["user_id"],
            "product_id": as_int(body.get("product_id")),
            "name": str(body["name"]),
            "description": str(body["description"]),
            "quantity": decimal_string(quantity),
            "product_category": None,
            "upc_code": body.get("upc_code"),
            # [quirk] taxable defaults to true when omitted, labor included.
            "taxable": True if taxable is None else taxable,
            "cost_cents": int((cost * 100).to_integral_value()),
            "retail_cents": int((price * 100).to_integral_value()),
            "created_at": now,
            "updated_at": now,
            "converted": False,
            "item_id": None,
            "position": 1 + sum(1 for li in self.t("line_items").values() if li["ticket_id"] == ticket["id"]),
            "price_cost": money(cost),
            "price_retail": money(price),
            "invoice_id": None,
        }
        self.t("line_items")[line["id"]] = line
        self.touch_ticket(ticket)
        return line

    def add_line_item(self, ticket_id: Any, body: JSON, *, key: str) -> JSON:
        ticket = self.find_ticket(ticket_id)
        missing = [f"{f.capitalize()} can't be blank" for f in ("name", "description") if not str(body.get(f) or "").strip()]
        if missing:
            raise SimError(422, {"errors": ", ".join(missing), "params": {}})
        return dict(self._insert_line_item(ticket, body, key=key))  # flat

    def _ticket_line(self, ticket: JSON, body: JSON) -> JSON:
        line = self.t("line_items").get(as_int(body.get("ticket_line_item_id")) or -1)
        if line is None or line["ticket_id"] != ticket["id"]:
            raise not_found()
        return line

    def update_line_item(self, ticket_id: Any, body: JSON) -> JSON:
        ticket = self.find_ticket(ticket_id)
        line = self._ticket_line(ticket, body)
        if "price_retail" in body:
            price = to_decimal(body["price_retail"], Decimal("0"))
            line["price_retail"] = money(price)
            line["retail_cents"] = int((price * 100).to_integral_value())
        if "price_cost" in body:
            cost = to_decimal(body["price_cost"], Decimal("0"))
            line["price_cost"] = money(cost)
            line["cost_cents"] = int((cost * 100).to_integral_value())
        if "quantity" in body:
            line["quantity"] = decimal_string(to_decimal(body["quantity"], Decimal("1")))
        for field in ("name", "description"):
            if field in body:
                line[field] = str(body[field])
        if "taxable" in body:
            line["taxable"] = bool(as_bool(body["taxable"]))
        line["updated_at"] = self.now()
        self.touch_ticket(ticket)
        return {"ticket_line_item": dict(line)}

    def remove_line_item(self, ticket_id: Any, body: JSON) -> JSON:
        ticket = self.find_ticket(ticket_id)
        line = self._ticket_line(ticket, body)
        del self.t("line_items")[line["id"]]
        self.touch_ticket(ticket)
        return {"success": True, "message": ""}
