from __future__ import annotations

from syncro_tui.simulator import Simulator


def open_ticket(sim: Simulator, *, customer_with_contacts: bool = True) -> dict:
    """A deterministic open ticket from the seed data."""
    for ticket in sorted(sim.store.t("tickets").values(), key=lambda t: t["number"]):
        if ticket["status"] in ("In Progress", "New") and (ticket["contact_id"] or not customer_with_contacts):
            return ticket
    raise AssertionError("the seed has no open ticket")


def prepaid_customer(sim: Simulator) -> dict:
    return next(c for c in sim.store.t("customers").values() if c["prepay_hours"] not in (None, "0.0"))


def ticket_for_customer(sim: Simulator, customer_id: int) -> dict:
    return next(t for t in sim.store.t("tickets").values() if t["customer_id"] == customer_id and t["status"] != "Invoiced")
