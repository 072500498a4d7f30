"""Invoices made from a ticket's lines.

One method per Syncro call, answering in Syncro's shape; quirks are marked ``[quirk]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .base import (JSON, SimError, StoreBase, as_bool, as_int, decimal_string, not_found, parse_time, stamp,
                   to_decimal)


class InvoiceCalls(StoreBase):
    # ------------------------------------------------------------------- invoices
    def render_invoice(self, invoice: JSON, *, with_lines: bool) -> JSON:
        out = {k: v for k, v in invoice.items() if k not in ("line_items", "draft")}
        if self.account.get("draft_invoices"):  # only accounts with drafts on say whether an invoice is one
            out["draft"] = bool(invoice.get("draft"))
        if with_lines:
            out["line_items"] = [dict(li) for li in invoice["line_items"]]
            customer = self.t("customers").get(invoice["customer_id"])
            out["customer"] = self.render_customer(customer, with_contacts=False) if customer else None
            out["payments"] = []
        return out

    def create_invoice(self, body: JSON, *, key: str) -> JSON:
        ticket = self.t("tickets").get(as_int(body.get("ticket_id")) or -1)
        customer_id = as_int(body.get("customer_id")) or (ticket or {}).get("customer_id")
        customer = self.t("customers").get(customer_id or -1)
        if customer is None:
            raise SimError(422, {"success": False, "message": ["Customer can't be blank"], "params": body})
        if ticket is not None and ticket["customer_id"] != customer["id"]:
            raise SimError(422, {"success": False, "message": ["Ticket belongs to another customer"], "params": body})
        now = self.clock()
        invoice_id = self.next_id("invoice_id")
        prepaid = to_decimal(customer.get("prepay_hours"), Decimal("0")) or Decimal("0")
        tax_rate = Decimal(str(self.account["tax_rate"]))
        subtotal = tax = Decimal("0")
        lines: list[JSON] = []
        pulled = [] if ticket is None else [li for li in self.t("line_items").values() if li["ticket_id"] == ticket["id"] and not li["converted"]]
        for li in sorted(pulled, key=lambda x: x["id"]):
            quantity = Decimal(li["quantity"])
            price = Decimal(str(li["price_retail"]))
            applied = Decimal("0")
            # Prepaid blocks are debited in hours, for hourly labor products.
            if li.get("product_id") in self.account["prepaid_product_ids"] and prepaid > 0:
                applied = min(prepaid, quantity)
                prepaid -= applied
            charged = (quantity - applied) * price
            subtotal += charged
            if li["taxable"]:
                tax += (charged * tax_rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            li["converted"] = True
            li["invoice_id"] = invoice_id
            lines.append({
                "id": self.next_id("invoice_line_id"),
                "created_at": stamp(now),
                "updated_at": stamp(now),
                "invoice_id": invoice_id,
                "item": li["name"],
                "name": li["description"],
                "cost": decimal_string(Decimal(str(li["price_cost"]))),
                "price": decimal_string(price),
                "quantity": li["quantity"],
                "product_id": li.get("product_id"),
                "taxable": li["taxable"],
                "discount_percent": None,
                "position": len(lines) + 1,
                "invoice_bundle_id": None,
                "discount_dollars": "0.0",
                "prepay_hours_applied": decimal_string(applied),
            })
        if ticket is not None and customer.get("prepay_hours") not in (None, ""):
            customer["prepay_hours"] = decimal_string(prepaid)
        invoice = {
            "id": invoice_id,
            "customer_id": customer["id"],
            "customer_business_then_name": self.customer_name(customer),
            "number": str(self.next_id("invoice_number")),
            "created_at": stamp(now),
            "updated_at": stamp(now),
            "date": stamp(datetime.combine(now.date(), datetime.min.time(), UTC)),
            "due_date": stamp(datetime.combine(now.date(), datetime.min.time(), UTC) + timedelta(days=30)),
            "subtotal": decimal_string(subtotal.quantize(Decimal("0.01"))),
            "total": decimal_string((subtotal + tax).quantize(Decimal("0.01"))),
            "tax": decimal_string(tax.quantize(Decimal("0.01"))),
            "verified_paid": False,
            "tech_marked_paid": False,
            "ticket_id": ticket["id"] if ticket else None,
            "pdf_url": None,
            "is_paid": False,
            "location_id": None,
            "po_number": None,
            "contact_id": (ticket or {}).get("contact_id"),
            "note": body.get("note"),
            "hardwarecost": None,
            "user_id": self.keys[key]["user_id"],
            "category": body.get("category") or "Standard",
            "line_items": lines,
        }
        self.t("invoices")[invoice_id] = invoice
        if ticket is not None:
            self.touch_ticket(ticket)
        # [quirk] the POST response carries no line_items; GET /invoices/{id} does.
        return {"invoice": self.render_invoice(invoice, with_lines=False)}

    # ------------------------------------------------------------ draft invoices
    def _drafts_on(self) -> None:
        """[quirk] an account with draft invoices off answers the draft calls 404, as for an unknown path."""
        if not self.account.get("draft_invoices"):
            raise not_found()

    def invoice_to_draft(self, ident: Any) -> JSON:
        """An invoice back to draft, to be corrected; refused (422) after a payment, an accounting post, or for a
        refund."""
        self._drafts_on()
        invoice = self.get("invoices", ident)
        if invoice["is_paid"] or invoice.get("payments"):
            raise SimError(422, {"errors": "Invoice has payments applied and cannot be converted to a draft"})
        if invoice.get("accounting_posted"):
            raise SimError(422, {"errors": "Invoice has been posted to accounting and cannot be converted to a draft"})
        if invoice.get("category") == "Refund":
            raise SimError(422, {"errors": "A refund cannot be converted to a draft"})
        invoice["draft"] = True
        invoice["updated_at"] = self.now()
        return {"invoice": self.render_invoice(invoice, with_lines=False)}

    def update_invoice_line(self, ident: Any, line_id: Any, body: JSON) -> JSON:
        """``PUT /invoices/{id}/line_items/{line_item_id}``: only a draft's lines change; the totals follow."""
        invoice = self.get("invoices", ident)
        line = next((li for li in invoice["line_items"] if li["id"] == as_int(line_id)), None)
        if line is None:
            raise not_found()
        if not invoice.get("draft"):
            raise SimError(422, {"errors": "Only a draft invoice can be edited"})
        if "price" in body:
            line["price"] = decimal_string(to_decimal(body["price"], Decimal("0")))
        for field in ("item", "name"):
            if field in body:
                line[field] = str(body[field])
        if "taxable" in body:
            line["taxable"] = bool(as_bool(body["taxable"]))
        line["updated_at"] = self.now()
        self._total(invoice)
        return {"line_item": dict(line)}

    def publish_invoice(self, ident: Any) -> JSON:
        self._drafts_on()
        invoice = self.get("invoices", ident)
        if not invoice.get("draft"):
            raise SimError(422, {"errors": "Invoice is not a draft"})
        invoice["draft"] = False
        invoice["updated_at"] = self.now()
        return {"invoice": self.render_invoice(invoice, with_lines=False)}

    def _total(self, invoice: JSON) -> None:
        """Subtotal, tax and total again from the lines (their prepaid hours as applied when invoiced)."""
        tax_rate = Decimal(str(self.account["tax_rate"]))
        subtotal = tax = Decimal("0")
        for li in invoice["line_items"]:
            charged = (Decimal(li["quantity"]) - Decimal(li.get("prepay_hours_applied") or "0")) * Decimal(li["price"])
            subtotal += charged
            if li["taxable"]:
                tax += (charged * tax_rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        invoice["subtotal"] = decimal_string(subtotal.quantize(Decimal("0.01")))
        invoice["tax"] = decimal_string(tax.quantize(Decimal("0.01")))
        invoice["total"] = decimal_string((subtotal + tax).quantize(Decimal("0.01")))

    def get_invoice(self, ident: Any) -> JSON:
        invoice = self.t("invoices").get(as_int(ident) or -1)
        if invoice is None:  # "ID or Number"
            invoice = next((i for i in self.t("invoices").values() if i["number"] == str(ident)), None)
        if invoice is None:
            raise not_found()
        return {"invoice": self.render_invoice(invoice, with_lines=True)}

    def list_invoices(self, params: Mapping[str, str]) -> JSON:
        items = sorted(self.t("invoices").values(), key=lambda i: i["id"], reverse=True)
        if params.get("ticket_id"):
            items = [i for i in items if i.get("ticket_id") == as_int(params["ticket_id"])]
        if as_bool(params.get("paid")):
            items = [i for i in items if i["is_paid"]]
        if as_bool(params.get("unpaid")):
            items = [i for i in items if not i["is_paid"]]
        since = parse_time(params.get("since_updated_at"))
        if since is not None:
            items = [i for i in items if parse_time(i["updated_at"]) >= since]  # type: ignore[operator]
        page, meta = self.paginate(items, params)
        return {"invoices": [self.invoice_list_item(i) for i in page], "meta": {"total_pages": meta["total_pages"], "page": meta["page"]}}

    @staticmethod
    def invoice_list_item(invoice: JSON) -> JSON:
        """[quirk] live accounts list invoices in a minimal shape: no subtotal, no ticket_id, no lines."""
        return {"id": invoice["id"], "number": invoice["number"], "total": invoice["total"],
                "status": "Paid" if invoice["is_paid"] else "Unpaid", "created_at": invoice["created_at"],
                "customer_id": invoice["customer_id"]}
