"""Customers, their contacts and assets.

One method per Syncro call, answering in Syncro's shape; quirks are marked ``[quirk]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import ADDRESS_ID_BASE, JSON, StoreBase, as_int


class CustomerCalls(StoreBase):
    # ------------------------------------------------------------------ customers
    def customer_name(self, customer: JSON) -> str:
        return customer.get("business_name") or customer["fullname"]

    def render_customer(self, customer: JSON, *, with_contacts: bool) -> JSON:
        out = dict(customer)
        out["business_then_name"] = self.customer_name(customer)
        out["business_and_full_name"] = (
            f"{customer['business_name']} - {customer['fullname']}" if customer.get("business_name") else customer["fullname"]
        )
        if with_contacts:
            out["contacts"] = [c for c in self.t("contacts").values() if c["customer_id"] == customer["id"]]
            # The customer's sites (a ticket's address_id): here one, the customer's own address.
            out["addresses"] = [{"id": ADDRESS_ID_BASE + customer["id"], "name": "Main office",
                                 "address1": customer.get("address"), "address2": customer.get("address_2"),
                                 "city": customer.get("city"), "state": customer.get("state"), "zip": customer.get("zip")}]
        return out

    def list_customers(self, params: Mapping[str, str]) -> JSON:
        items = [c for c in self.t("customers").values() if not c.get("disabled")]
        query = (params.get("query") or params.get("business_name") or "").lower()
        if query:
            items = [
                c for c in items
                if query in self.customer_name(c).lower() or query in c["fullname"].lower() or query in (c.get("email") or "").lower()
            ]
        if params.get("email"):
            items = [c for c in items if (c.get("email") or "").lower() == params["email"].lower()]
        items.sort(key=lambda c: self.customer_name(c).lower())
        page, meta = self.paginate(items, params)
        return {"customers": [self.render_customer(c, with_contacts=False) for c in page], "meta": meta}

    def autocomplete_customers(self, params: Mapping[str, str]) -> JSON:
        query = (params.get("query") or "").lower()
        items = [
            c for c in self.t("customers").values()
            if query and (self.customer_name(c).lower().startswith(query) or query in self.customer_name(c).lower() or query in c["fullname"].lower())
        ]
        items.sort(key=lambda c: (not self.customer_name(c).lower().startswith(query), self.customer_name(c).lower()))
        return {"customers": [self.render_customer(c, with_contacts=False) for c in items[:25]]}

    def get_customer(self, customer_id: Any) -> JSON:
        return {"customer": self.render_customer(self.get("customers", customer_id), with_contacts=True)}

    def list_contacts(self, params: Mapping[str, str]) -> JSON:
        items = list(self.t("contacts").values())
        if params.get("customer_id"):
            items = [c for c in items if c["customer_id"] == as_int(params["customer_id"])]
        page, meta = self.paginate(items, params, default_per_page=50)
        return {"contacts": page, "meta": meta}

    def get_contact(self, contact_id: Any) -> JSON:
        return dict(self.get("contacts", contact_id))  # flat

    def list_assets(self, params: Mapping[str, str]) -> JSON:
        items = list(self.t("assets").values())
        if params.get("customer_id"):
            items = [a for a in items if a["customer_id"] == as_int(params["customer_id"])]
        query = (params.get("query") or "").lower()
        if query:
            items = [a for a in items if query in a["name"].lower() or query in (a.get("asset_serial") or "").lower()]
        page, meta = self.paginate(items, params)
        return {"assets": page, "meta": meta}
