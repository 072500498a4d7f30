"""Who a key belongs to, the techs, and the account's settings.

One method per Syncro call, answering in Syncro's shape; quirks are marked ``[quirk]``.
"""

from __future__ import annotations

import copy

from .base import JSON, StoreBase


class AccountCalls(StoreBase):
    # ---------------------------------------------------------------------- users
    def me(self, key: str) -> JSON:
        user = self.user_for_key(key)
        assert user is not None  # auth has already run
        return {
            "user_token": "redacted-by-simulator",
            "user_email": user["email"],
            "user_name": user["full_name"],
            "user_id": user["id"],
            "admin": user["admin"],
            "can_use_app": True,
            "two_factor_required": False,
            "subdomain": self.account["subdomain"],
            "default_location": None,
            "enable_multi_locations": False,
            "locations_allowed": [],
            "permissions": user["permissions"],
        }

    def list_users(self) -> JSON:
        return {"users": [[u["id"], u["full_name"]] for u in self.t("users").values()]}

    def ticket_settings(self) -> JSON:
        return {
            "ticket_status_list": list(self.account["ticket_statuses"]),
            "default_labor_product_id": self.account["default_labor_product_id"],
            "ticket_timer_charge_by_default": None,
            "saved_searches": copy.deepcopy(self.account.get("saved_searches", [])),
            "ticket_types": copy.deepcopy(self.account.get("ticket_types", [])),
            "ticket_type_fields": [],
            "ticket_type_field_answers": [],
            "appointment_types": [{"id": a["id"], "name": a["name"]} for a in self.t("appointment_types").values()],
            "users": [{"id": u["id"], "name": u["full_name"]} for u in self.t("users").values()],
            "dashboard_settings": None,
            "worksheet_templates": copy.deepcopy(self.account.get("worksheet_templates", [])),
            # [quirk] null, not false, on accounts that never set it.
            "require_ticket_type": self.account.get("require_ticket_type") or None,
            "require_intake_form_with_ticket": self.account.get("require_intake_form_with_ticket") or None,
            "require_outtake_form_with_ticket": None,
            "ticket_workflow_default_id": None,
        }

    def list_canned_responses(self, params: dict[str, str]) -> JSON:
        """``GET /canned_responses?query=``: every one whose title, subject or body has the words (no paging)."""
        names = {c["id"]: c["name"] for c in self.account.get("canned_response_categories", [])}
        words = (params.get("query") or "").casefold()
        found = [c for c in self.account.get("canned_responses", [])
                 if words in f"{c['title']} {c.get('subject') or ''} {c['body']}".casefold()]
        return {"canned_responses": [{**copy.deepcopy(c), "category_name": names.get(c.get("canned_response_category_id"))}
                                     for c in found]}

    def canned_response_settings(self, key: str) -> JSON:
        """``GET /canned_responses/settings``: the categories, the subjects in use, and whether the key may manage."""
        user = self.keys[key]
        return {"canned_response_categories": copy.deepcopy(self.account.get("canned_response_categories", [])),
                "subjects": sorted({c.get("subject") or "" for c in self.account.get("canned_responses", [])} - {""}),
                "can_manage": bool(user["permissions"].get("canned_response", {}).get("manage"))}

    def settings(self) -> JSON:
        return {
            "customers": {"required_fields": None, "customer_fields": [], "customer_field_answers": []},
            "assets": {"asset_types": [], "asset_type_fields": [], "asset_type_field_answers": []},
            "locale": {
                "iso_code": "en",
                "currency_symbol": "$",
                "date_format": "mm-dd-yy",
                "time_format": "hh:mm tt",
                "time_zone": self.account["time_zone"],
            },
            "ticket": {
                "ticket_types": [t["name"] for t in self.account.get("ticket_types", []) if not t.get("disabled")],
                "problem_types": list(self.account["problem_types"]),
                "priorities": list(self.account["priorities"]),
            },
            "business_hours_enabled": True,
            "business_hours": copy.deepcopy(self.account["business_hours"]),
        }
