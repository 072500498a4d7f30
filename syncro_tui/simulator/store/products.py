"""The product catalogue.

One method per Syncro call, answering in Syncro's shape; quirks are marked ``[quirk]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import JSON, StoreBase


class ProductCalls(StoreBase):
    # ------------------------------------------------------------------- products
    def list_products(self, params: Mapping[str, Any]) -> JSON:
        items = list(self.t("products").values())
        wanted = {str(i) for i in params.get("id[]", ())}
        if wanted:
            items = [p for p in items if str(p["id"]) in wanted]
        unwanted = {str(i) for i in params.get("id_not[]", ())}
        items = [p for p in items if str(p["id"]) not in unwanted]
        query = (params.get("query") or params.get("name") or "").lower()
        if query:
            items = [p for p in items if query in p["name"].lower()]
        page, meta = self.paginate(items, params)
        return {"products": page, "meta": meta}

    def get_product(self, product_id: Any) -> JSON:
        return {"product": dict(self.get("products", product_id))}
