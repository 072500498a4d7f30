"""Alerts as data: which change raises which alert, one per ticket per refresh, the most pressing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from syncro_tui.domain.alerts import AlertKind, alerts, kinds
from syncro_tui.domain.queue import QueueRow

AT = datetime(2026, 12, 1, 15, tzinfo=UTC)
ME = 1843
ROW = QueueRow(id=1, number=31901, subject="Printer offline", status="In Progress", priority="2 Normal",
               customer_id=7, customer_business_then_name="Brightline Dental", user_id=2107, tech_name="Tom",
               created_at=AT, updated_at=AT)


def mine(row: QueueRow) -> bool:
    return row.user_id == ME or row.user_id is None


def test_each_change_raises_its_kind() -> None:
    assert kinds(None, replace(ROW, user_id=None), me=ME, mine=mine) == [AlertKind.NEW_TICKET]
    assert kinds(None, ROW, me=ME, mine=mine) == []  # someone else's new ticket is not mine to be told of
    assert kinds(ROW, replace(ROW, user_id=ME), me=ME, mine=mine) == [AlertKind.ASSIGNED]
    assert kinds(ROW, replace(ROW, priority="4 Urgent"), me=ME, mine=mine) == [AlertKind.URGENT]
    mine_row = replace(ROW, user_id=ME)
    assert kinds(mine_row, replace(mine_row, status="Customer Reply"), me=ME, mine=mine) == [AlertKind.CUSTOMER_REPLY]
    assert kinds(ROW, replace(ROW, status="Customer Reply"), me=ME, mine=mine) == []  # not mine
    assert kinds(ROW, replace(ROW, sla_breaching_soon=True), me=ME, mine=mine) == [AlertKind.SLA_SOON]
    assert kinds(ROW, replace(ROW, sla_breached=True, sla_breaching_soon=True), me=ME, mine=mine) == [
        AlertKind.SLA_BREACHED]
    assert kinds(replace(ROW, priority="4 Urgent"), replace(ROW, priority="4 Urgent", subject="x"), me=ME,
                 mine=mine) == []  # still urgent: said once


def test_one_alert_per_ticket_the_most_pressing_and_only_the_kinds_wanted() -> None:
    before = {1: ROW}
    changed = replace(ROW, user_id=ME, priority="4 Urgent", sla_breached=True)
    (only,) = alerts([changed], before, me=ME, mine=mine)
    assert only.kind is AlertKind.SLA_BREACHED and only.text == "#31901 Brightline Dental: Printer offline"
    (urgent,) = alerts([changed], before, me=ME, mine=mine, wanted=lambda k: k is not AlertKind.SLA_BREACHED)
    assert urgent.kind is AlertKind.URGENT
    assert alerts([changed], before, me=ME, mine=mine, wanted=lambda k: False) == []


def test_a_burst_of_one_kind_is_one_notice_naming_the_first_few() -> None:
    from syncro_tui.domain.alerts import Alert, notices

    new = [Alert(AlertKind.NEW_TICKET, replace(ROW, id=n, number=32000 + n, user_id=None)) for n in range(20)]
    urgent = [Alert(AlertKind.URGENT, replace(ROW, id=100 + n, number=33000 + n)) for n in range(2)]
    told = notices([*new, *urgent])
    assert [n.kind for n in told] == [AlertKind.URGENT, AlertKind.URGENT, AlertKind.NEW_TICKET]  # most pressing first
    assert told[0].title == "Raised to urgent" and told[0].tickets == (100,)
    group = told[-1]
    assert group.title == "20 new tickets" and group.tickets == tuple(range(20))
    assert group.text.splitlines() == ["#32000 Brightline Dental: Printer offline",
                                       "#32001 Brightline Dental: Printer offline",
                                       "#32002 Brightline Dental: Printer offline", "and 17 more"]
    # Up to three of a kind are each their own notice; a fourth makes them one.
    assert [n.title for n in notices(new[:3])] == ["New ticket"] * 3
    assert [n.title for n in notices(new[:4])] == ["4 new tickets"]
    breached = [Alert(AlertKind.SLA_BREACHED, replace(ROW, id=n)) for n in range(5)]
    assert notices(breached)[0].title == "5 tickets: SLA breached"
    replies = [Alert(AlertKind.CUSTOMER_REPLY, replace(ROW, id=n)) for n in range(4)]
    assert notices(replies)[0].title == "4 customer replies"


def test_on_a_ticket_this_window_wrote_to_only_what_no_write_of_the_techs_can_do_is_said() -> None:
    """A bulk assign's own tickets raise nothing of it, but a customer's reply or an SLA breach in the same refresh
    is still said: it is not the tech's doing."""
    before = {1: ROW}
    assigned = replace(ROW, user_id=ME, priority="4 Urgent")
    assert alerts([assigned], before, me=ME, mine=mine, own={1}) == []
    assert alerts([replace(assigned, status="Customer Reply")], before, me=ME, mine=mine, own={1}) == []  # a status set
    (reply,) = alerts([replace(assigned, customer_reply=True)], before, me=ME, mine=mine, own={1})
    assert reply.kind is AlertKind.CUSTOMER_REPLY
    (breached,) = alerts([replace(assigned, sla_breached=True)], before, me=ME, mine=mine, own={1})
    assert breached.kind is AlertKind.SLA_BREACHED
    assert alerts([replace(ROW, id=2, user_id=None)], {}, me=ME, mine=mine, own={2}) == []  # a ticket it made
    (other,) = alerts([replace(ROW, id=3, user_id=ME)], {3: replace(ROW, id=3)}, me=ME, mine=mine, own={1})
    assert other.kind is AlertKind.ASSIGNED  # another ticket: said as ever
