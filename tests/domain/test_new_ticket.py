"""The new-ticket form checked, and its three calls with blank fields omitted (docs/rules.md §5)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from syncro_tui.domain.new_ticket import NO_INVITE_NOTE, NewTicketForm, review
from syncro_tui.domain.parts import Parts
from syncro_tui.domain.when import describe
from syncro_tui.writes.plans import new_ticket
from tests.domain.test_when import HOURS

TZ = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=TZ)
TYPES = {4322: "Onsite"}


def filled(**changes) -> NewTicketForm:
    form = NewTicketForm(customer_id=12, customer_name="Brightline Dental", customer_text="Brightline Dental",
                         subject="Printer jams", problem_type="Hardware", priority="2 Normal",
                         description="Front desk printer jams\n- tray 2\n- every page")
    for key, value in changes.items():
        setattr(form, key, value)
    return form


def check(form: NewTicketForm):
    return review(form, now=NOW, tz=TZ, appointment_types=TYPES, owner="Dana Tech (#7)", hours=HOURS)


def test_a_minimal_ticket_is_two_calls_with_blank_fields_left_out():
    result = check(filled())
    assert result.problems == {}
    ticket, comment = new_ticket(result.order).steps
    assert ticket.body == {"customer_id": 12, "subject": "Printer jams", "problem_type": "Hardware", "status": "New",
                           "priority": "2 Normal"}
    assert comment.body == {"subject": "Initial Issue", "body": "Front desk printer jams<br>• tray 2<br>• every page",
                            "hidden": False, "do_not_email": True}
    assert [ref.step for ref in comment.depends_on] == [0]  # the new ticket's id


def test_everything_filled_is_three_calls_with_the_appointment_linked():
    result = check(filled(user_id=7, due="tomorrow", contact_id=3, address_id=700012, asset_id=55, do_not_email=False,
                          appointment_type_id=4322, location="12 Main St", start="mon 10:00"))
    ticket, comment, appointment = new_ticket(result.order).steps
    assert ticket.body["due_date"] == "2026-11-21T00:00:00-06:00" and ticket.body["asset_ids"] == [55]  # the day in the zone
    assert ticket.body["user_id"] == 7 and ticket.body["contact_id"] == 3 and ticket.body["address_id"] == 700012
    assert comment.body["do_not_email"] is False
    assert appointment.body["start_at"] == "2026-11-23T10:00:00-06:00"
    assert appointment.body["end_at"] == "2026-11-23T11:30:00-06:00"
    assert [ref.step for ref in appointment.depends_on] == [0] and appointment.body["customer_id"] == 12
    assert appointment.body["summary"] == "Brightline Dental - Printer jams"
    assert NO_INVITE_NOTE in result.order.notes
    assert any("Mon 2026-11-23 10:00 CST to 11:30" in note and "Dana Tech" in note for note in result.order.notes)


def test_each_missing_or_wrong_field_is_named_and_nothing_is_planned():
    result = check(NewTicketForm(customer_text="Nobody Inc", start="mon 10:00", end="9:00", due="someday"))
    assert result.order is None
    assert "“Nobody Inc” is not a customer Syncro knows" in result.problems["customer"]
    assert {"subject", "problem_type", "priority", "description", "end", "due", "appointment_type"} <= set(result.problems)
    assert "must be after the start" in result.problems["end"]
    assert "Choose the customer" in check(NewTicketForm()).problems["customer"]


def test_an_appointment_field_without_a_start_asks_for_one():
    result = check(filled(location="Onsite at the clinic"))
    assert "needs a start" in result.problems["start"]


def test_a_credential_in_the_description_is_stopped():
    result = check(filled(description="Wifi password: hunter22"))
    assert result.order is None and "password" in result.problems["description"]


def test_urgent_is_offered_for_emergency_and_after_hours_work():
    assert "Emergency" in check(filled(problem_type="Emergency Service")).urgent_hint
    late = check(filled(appointment_type_id=4322, start="mon 18:00"))
    assert "Outside business hours" in late.urgent_hint
    assert check(filled(appointment_type_id=4322, start="mon 18:00", priority="4 Urgent")).urgent_hint is None
    assert check(filled()).urgent_hint is None
    assert describe(late.slot.start, TZ).startswith("Mon")


def test_the_accounts_ticket_type_rule() -> None:
    from syncro_tui.api.models import TicketSettings
    from syncro_tui.domain.new_ticket import AccountRules

    settings = TicketSettings.model_validate({
        "ticket_status_list": ["New"], "require_ticket_type": True,
        "ticket_types": [{"id": 1, "name": "Break/Fix"}, {"id": 2, "name": "Old", "disabled": True}]})
    rules = AccountRules.of(settings)
    assert rules.ticket_types == {1: "Break/Fix"} and rules.require_ticket_type
    assert rules.default_type(settings, None) == 1  # required and only one usable: that one
    assert rules.default_type(settings, "break/FIX") == 1
    assert AccountRules.of(settings.model_copy(update={"require_ticket_type": False})).default_type(settings, None) is None
    assert AccountRules.of(TicketSettings.model_validate({"ticket_status_list": [], "require_ticket_type": None})) \
        == AccountRules()


def test_a_required_ticket_type_is_asked_for_and_sent():
    from syncro_tui.domain.new_ticket import INTAKE_NOTE, AccountRules

    rules = AccountRules(ticket_types={9101: "Break/Fix"}, require_ticket_type=True, require_intake_form=True)
    missing = review(filled(), now=NOW, tz=TZ, appointment_types=TYPES, owner="x", rules=rules)
    assert set(missing.problems) == {"ticket_type"} and missing.order is None
    gone = review(filled(ticket_type_id=9105), now=NOW, tz=TZ, appointment_types=TYPES, owner="x", rules=rules)
    assert "not one this account offers" in gone.problems["ticket_type"]
    ready = review(filled(ticket_type_id=9101), now=NOW, tz=TZ, appointment_types=TYPES, owner="x", rules=rules)
    assert new_ticket(ready.order).steps[0].body["ticket_type_id"] == 9101
    assert "Ticket type: Break/Fix." in ready.order.notes and INTAKE_NOTE in ready.order.notes


def test_with_its_parts_a_change_works_out_again_only_what_reads_it():
    """Issue 35: the subject does not scan the description again nor read the appointment's time; a new start does,
    and the answer is the same as a fresh review's."""
    parts = Parts()
    form = filled(appointment_type_id=4322, start="mon 10:00", due="tomorrow")
    first = review(form, now=NOW, tz=TZ, appointment_types=TYPES, owner="Dana Tech (#7)", hours=HOURS, parts=parts)
    assert parts.worked == {"description", "due", "slot", "hours"} and first.ready
    form.subject = "Printer jams on tray 2"
    review(form, now=NOW, tz=TZ, appointment_types=TYPES, owner="Dana Tech (#7)", hours=HOURS, parts=parts)
    assert parts.worked == set()
    form.start = "sat 10:00"
    again = review(form, now=NOW, tz=TZ, appointment_types=TYPES, owner="Dana Tech (#7)", hours=HOURS, parts=parts)
    assert parts.worked == {"slot", "hours"}
    fresh = check(form)
    assert (again.slot, again.urgent_hint, again.order) == (fresh.slot, fresh.urgent_hint, fresh.order)
    assert again.urgent_hint and "After-hours" in again.urgent_hint
