"""The coach's words (issue 21): a note for every place it stands, and "now" taken from the wizard's own review."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from syncro_tui.domain import billing_form, coach
from syncro_tui.domain.billing_form import BillingForm
from syncro_tui.domain.comment import CommentDraft, Visibility
from syncro_tui.domain.rates import RateTable

from .test_billing_form import RATES, situation
from syncro_tui.domain.sweep import LeakKind

TZ = ZoneInfo("America/Chicago")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=TZ)


def test_every_wizard_field_and_every_leak_has_its_note() -> None:
    assert set(coach.fields("bill")) >= {"minutes", "labor", "ended", "timers", "comment", "ack"}
    for field in coach.fields("bill"):
        said = coach.billing(field, BillingForm(), billing_form.BillingReview(), None, RateTable())
        assert said is not None and said.what and said.rule, field
    for kind in LeakKind:
        assert coach.leak(kind, "bills it").rule.startswith("docs/rules.md §")
    assert coach.ticket_status("Resolved").rule and coach.ticket_status("Quarantined").what


def test_minutes_say_their_quantity_before_the_labor_type_is_chosen() -> None:
    form = BillingForm(minutes="45")
    review = billing_form.review(form, None, rates=RateTable(), now=NOW, tz=TZ)
    said = coach.billing("minutes", form, review, None, RateTable())
    assert said.now == ("45 min → 0.75 h: the shop bills to the nearest 0.01 h.",)
    said = coach.billing("minutes", BillingForm(minutes="forty"), billing_form.review(
        BillingForm(minutes="forty"), None, rates=RateTable(), now=NOW, tz=TZ), None, RateTable())
    assert len(said.now) == 1 and "0.75" not in said.now[0]  # the minutes' problem, not a quantity


def test_a_secret_in_a_customer_visible_comment_is_said_and_a_private_note_is_not_stopped() -> None:
    public = CommentDraft("Update", "Your password: Hunter22!", Visibility.EMAIL)
    said = coach.comment("body", public, "otis@example.com")
    assert said.now[0] == "Syncro emails this to otis@example.com and shows it to the customer on the ticket."
    assert said.now[-1].startswith("Stopped: a customer would see what looks like a password")
    private = CommentDraft("Update", "Your password: Hunter22!", Visibility.PRIVATE)
    assert not any("Stopped" in n for n in coach.comment("body", private, None).now)
    assert coach.comment("nowhere", public, None) is None


def test_the_block_decides_what_the_labor_note_says() -> None:
    form = BillingForm(minutes="120", labor="emergency", ended="today 09:00", description="Server back")
    for prepay, words in (("10.0", "prepaid block of 10.0 h: after-hours work is onsite at 1.5 × the hours"),
                          (None, "no prepaid block: after-hours work is the emergency product")):
        where = situation(prepay)
        said = coach.billing("labor", form, billing_form.review(form, where, rates=RATES, now=NOW, tz=TZ), where, RATES)
        assert words in said.now[-1]
        assert said.now[0].startswith("Emergency for a prepaid customer" if prepay else "Emergency, no prepaid block")
