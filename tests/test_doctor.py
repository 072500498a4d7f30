"""``syncro-tui doctor``: read-only, says what works and what does not in words, exits 1 when a write would fail."""

from __future__ import annotations

from syncro_tui import cli
from syncro_tui.simulator.server import BackgroundSimulator

from .conftest import make_simulator
from .test_config_keys_cli import PROFILES


def test_doctor_on_the_demo_finds_everything_working(capsys) -> None:
    assert cli.main(["doctor", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "read-only: nothing is sent" in out
    assert "Key: It belongs to Dana Whitfield (user 1843), the profile's tech." in out
    assert "Rate table: All 9 products are in Syncro" in out and "Time zone: America/Chicago" in out
    # the shop's billing policy: the path, the rounding, which products debit a block
    assert 'Billing policy: Labor is billed as timer first: the shop\'s policy ([billing] path = "timer")' in out
    assert "Billing policy: Minutes become hours to the nearest 0.01 h." in out
    assert "Not debited from a block: Labor- Warranty work, Labor - Prepaid Project Labor, Labor - Internal Labor." in out
    # which of 2026's features the account has, found out by reading
    assert "Live timers: On: the work clock (w) runs as a timer in Syncro." in out
    assert "Draft invoices: On: the sweep corrects a $0.00 invoice through a draft." in out
    for read in ("open tickets", "customers", "products", "invoices", "users", "in full", "comments"):
        assert read in out
    assert "PROBLEM" not in out and out.rstrip().endswith("Everything the app needs works.")


def test_doctor_names_each_problem_and_exits_1(config_file, capsys, monkeypatch) -> None:
    sim = make_simulator()
    # The profile is Tom's but the key is Dana's; a product of the rate table is gone; intake forms are required;
    # a ticket in the first page is in a shape the app cannot read.
    del sim.store.t("products")[26117]
    sim.store.account["require_intake_form_with_ticket"] = True
    sim.store.account["live_timers"] = sim.store.account["draft_invoices"] = False  # an account of before 2026
    odd = max(sim.store.t("tickets").values(), key=lambda t: t["number"])
    odd["updated_at"] = "not a time"
    calls_before = len(sim.calls)
    with BackgroundSimulator(sim) as server:
        config_file.write_text(PROFILES.replace("http://127.0.0.1:8765/api/v1", server.base_url)
                               + '\n[billing]\npath = "line_item"\nincrement = "15 min"\ndirection = "up"\n')
        monkeypatch.setenv("SYNCRO_API_KEY", "demo-key")
        assert cli.main(["--profile", "tom", "doctor"]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM Key: The key belongs to Dana Whitfield (user 1843), not to the profile's tech (user 2231)" in out
    assert "PROBLEM Rate table: travel: product 26117 (Fee - Travel Time) is not in Syncro." in out
    assert "1 could not be read by the app's parsers" in out
    assert "PROBLEM Account: The account requires an intake form" in out
    assert "Live timers: The account has none: the work clock (w) is kept on this machine." in out
    assert "Draft invoices: Off: the sweep says how to correct a $0.00 invoice in Syncro's web." in out
    assert 'Billing policy: Labor is billed as a line item: the shop\'s policy ([billing] path = "line_item")' in out
    assert "Billing policy: Minutes become hours up to the next 15 min." in out
    assert "problems" in out.splitlines()[-1]
    assert all(method == "GET" for method, _ in list(sim.calls)[calls_before:])  # nothing was written
