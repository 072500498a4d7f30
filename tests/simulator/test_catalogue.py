"""The simulator's own products and the app's rate table are two readings of one shop, held side by side.

The simulator must not borrow the app's rate table (a wrong belief would then
pass its own test); this is where a difference between them shows.
"""

from __future__ import annotations

from syncro_tui.domain.rates import DEFAULT_RATES, Unit
from syncro_tui.simulator import catalogue


def test_every_rate_of_the_app_is_a_product_of_the_demo_shop_at_that_price() -> None:
    products = {p.id: p for p in catalogue.LABOR}
    assert sorted(products) == sorted(r.product_id for r in DEFAULT_RATES)
    for rate in DEFAULT_RATES:
        product = products[rate.product_id]
        assert (product.name, product.price_retail) == (rate.name, rate.price_retail)
        assert product.prepaid == rate.debits_prepaid, rate.name
        assert (product.category == "Fees") == (rate.unit is Unit.TRIP), rate.name


def test_the_seeded_account_lists_the_catalogue_and_pays_prepaid_labor_from_blocks() -> None:
    from datetime import date

    from syncro_tui.simulator.seed import generate

    data = generate(1, date(2026, 11, 20))
    listed = {int(k): v for k, v in data["products"].items()}
    assert set(listed) == {p.id for p in (*catalogue.LABOR, *catalogue.HARDWARE)}
    assert listed[catalogue.EMERGENCY]["price_retail"] == 262.5
    assert data["account"]["prepaid_product_ids"] == [p.id for p in catalogue.LABOR if p.prepaid]
    labor = {p.id for p in catalogue.BILLED_LABOR}
    assert {t["product_id"] for t in data["timers"].values()} <= labor
