"""The demo shop's products as its Syncro account lists them: the simulator's own, not the app's rate table.

The app's rate table (``domain.rates.DEFAULT_RATES``) is what the app believes
these products are; the simulator must not borrow it, or a wrong belief would
pass its own test. ``tests/simulator/test_catalogue.py`` holds the two side by
side, and ``syncro-tui doctor`` does the same against a live account.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Product:
    id: int
    name: str
    price_retail: Decimal
    #: "Labor" is billed by the hour; "Fees" per unit (a trip); "Hardware" is stock.
    category: str
    #: Whether a customer's prepaid block pays for it (the account's ``prepaid_product_ids``).
    prepaid: bool = False
    price_cost: Decimal = Decimal("0.00")


LABOR = (
    Product(1190473, "Labor - Remote Business", Decimal("150.00"), "Labor", prepaid=True),
    Product(26118, "Labor - Onsite Business", Decimal("175.00"), "Labor", prepaid=True),
    Product(573881, "Labor - In Shop Business", Decimal("150.00"), "Labor", prepaid=True),
    Product(26184, "Labor - Emergency or After Hours Business", Decimal("262.50"), "Labor", prepaid=True),
    Product(1049360, "Labor- Warranty work", Decimal("0.00"), "Labor"),
    # Live accounts do not debit prepay_hours for it (verified by a shop on 2026-05-04).
    Product(9269129, "Labor - Prepaid Project Labor", Decimal("0.00"), "Labor"),
    Product(9269124, "Labor - Internal Labor", Decimal("0.00"), "Labor"),
    Product(26117, "Fee - Travel Time", Decimal("40.00"), "Fees"),
    Product(68055, "Labor - Website Labor", Decimal("150.00"), "Labor", prepaid=True),
)
HARDWARE = (
    Product(880101, "Dell OptiPlex 7020 Desktop", Decimal("899.00"), "Hardware", price_cost=Decimal("720.00")),
    Product(880102, "Ubiquiti U6 Pro Access Point", Decimal("189.00"), "Hardware", price_cost=Decimal("149.00")),
    Product(880103, "Samsung 870 EVO 1TB SSD", Decimal("129.00"), "Hardware", price_cost=Decimal("89.00")),
    Product(880104, "Website Hosting - Monthly Flat Fee", Decimal("25.00"), "Hardware", price_cost=Decimal("0.00")),
)
#: The labor a seeded ticket's time is billed as: hourly and not free.
BILLED_LABOR = tuple(p for p in LABOR if p.category == "Labor" and p.price_retail > 0)
EMERGENCY = 26184
DEFAULT_LABOR = 1190473
