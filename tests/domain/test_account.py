"""The account behind the key: safe defaults until Syncro has said, then what it said."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from syncro_tui.api.models import AccountSettings, Me, TicketSettings
from syncro_tui.domain.account import Account, Drafts
from syncro_tui.domain.billing_form import BillingForm


def test_before_syncro_answers_nothing_is_assumed() -> None:
    account = Account()
    assert account.time_zone == ZoneInfo("UTC") and account.owner_label == "checking key…"
    assert (account.user_id, account.priorities, account.statuses, account.tech_names) == (None, [], [], {})


def test_what_syncro_said_is_what_the_screens_read() -> None:
    account = Account(me=Me(user_id=1843, user_name="Dana Whitfield"),
                      settings=AccountSettings(priorities=["1 High", "4 Urgent"]),
                      tickets=TicketSettings.model_validate({"ticket_status_list": ["New", "Resolved"],
                                                             "users": [{"id": 1843, "name": "Dana Whitfield"}]}))
    assert account.owner_label == "Dana Whitfield (#1843)" and account.user_id == 1843
    assert account.priorities == ["1 High", "4 Urgent"] and account.statuses == ["New", "Resolved"]
    assert account.tech_names == {1843: "Dana Whitfield"}


def test_drafts_are_kept_per_ticket() -> None:
    drafts = Drafts()
    drafts.billing.setdefault(1, BillingForm()).minutes = "45"
    assert drafts.billing.setdefault(1, BillingForm()).minutes == "45" and 2 not in drafts.billing
