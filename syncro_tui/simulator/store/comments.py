"""Comments on a ticket.

One method per Syncro call, answering in Syncro's shape; quirks are marked ``[quirk]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import JSON, SimError, StoreBase, as_bool


class CommentCalls(StoreBase):
    # ------------------------------------------------------------------- comments
    def render_comment(self, comment: JSON) -> JSON:
        out = dict(comment)
        out.setdefault("is_rich_text", False)
        out["user"] = self.user_brief(comment.get("user_id")) or {}
        return out

    def list_comments(self, ticket_id: Any, params: Mapping[str, str]) -> JSON:
        ticket = self.find_ticket(ticket_id)
        items = self.ticket_comments(ticket["id"])
        if (params.get("sort_direction") or "ASC").upper() == "DESC":
            items.reverse()
        page, meta = self.paginate(items, params, default_per_page=10)
        return {
            "comments": [self.render_comment(c) for c in page],
            "meta": {"total_pages": meta["total_pages"], "page": meta["page"], "per_page": meta["per_page"]},
        }

    def _insert_comment(self, ticket: JSON, body: JSON, *, key: str) -> JSON:
        missing = []
        if not str(body.get("body") or "").strip():
            missing.append("Body can't be blank")
        if not str(body.get("subject") or "").strip():
            missing.append("Subject can't be blank")
        if missing:
            raise SimError(422, {"success": False, "message": missing})
        owner = self.t("users")[self.keys[key]["user_id"]]
        hidden = bool(as_bool(body.get("hidden")))
        do_not_email = bool(as_bool(body.get("do_not_email")))
        destination = None
        if not hidden and not do_not_email:
            contact = self.t("contacts").get(ticket.get("contact_id") or -1)
            customer = self.t("customers").get(ticket["customer_id"]) or {}
            destination = (contact or {}).get("email") or customer.get("email")
        now = self.now()
        comment = {
            "id": self.next_id("comment_id"),
            "created_at": now,
            "updated_at": now,
            "ticket_id": ticket["id"],
            "subject": str(body["subject"]),
            "body": str(body["body"]),
            "tech": str(body.get("tech") or owner["full_name"]),
            "hidden": hidden,
            "user_id": owner["id"],
            "destination_emails": destination,
            "is_rich_text": False,
        }
        # [quirk] product_id, minutes_spent and bill_time_now are accepted and silently dropped;
        # do_not_email is write-only and is not returned.
        self.t("comments")[comment["id"]] = comment
        self.touch_ticket(ticket)
        return comment

    def add_comment(self, ticket_id: Any, body: JSON, *, key: str) -> JSON:
        ticket = self.find_ticket(ticket_id)
        # [quirk] a comment wrapped as {"comment": {...}} has no top-level body: 422 "Body can't be blank".
        return {"comment": self.render_comment(self._insert_comment(ticket, body, key=key))}
