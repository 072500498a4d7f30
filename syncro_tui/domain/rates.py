"""The shop's labor products and rates (SYNCRO.md section 7).

Every shop has its own product ids and prices; these are the shipped defaults
and the config may replace any of them. Money is Decimal, never float.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING
from .money import dollars

if TYPE_CHECKING:
    from ..api.models import Product


class LaborType(StrEnum):
    REMOTE = "remote"
    ONSITE = "onsite"
    IN_SHOP = "in_shop"
    EMERGENCY = "emergency"
    WARRANTY = "warranty"
    PROJECT = "project"
    INTERNAL = "internal"
    TRAVEL = "travel"
    WEBSITE = "website"


class Unit(StrEnum):
    HOUR = "hour"
    TRIP = "trip"


@dataclass(frozen=True, slots=True)
class Rate:
    """One labor product as the shop sells it."""

    labor_type: LaborType
    product_id: int
    name: str
    price_retail: Decimal
    unit: Unit = Unit.HOUR
    #: Hours on this product are debited from a customer's prepaid block.
    debits_prepaid: bool = True
    #: Only used when the tech asks for it explicitly (never a default choice).
    explicit_only: bool = False


DEFAULT_RATES: tuple[Rate, ...] = (
    Rate(LaborType.REMOTE, 1190473, "Labor - Remote Business", Decimal("150.00")),
    Rate(LaborType.ONSITE, 26118, "Labor - Onsite Business", Decimal("175.00")),
    Rate(LaborType.IN_SHOP, 573881, "Labor - In Shop Business", Decimal("150.00")),
    Rate(LaborType.EMERGENCY, 26184, "Labor - Emergency or After Hours Business", Decimal("262.50")),
    Rate(LaborType.WARRANTY, 1049360, "Labor- Warranty work", Decimal("0.00"), debits_prepaid=False),
    Rate(LaborType.PROJECT, 9269129, "Labor - Prepaid Project Labor", Decimal("0.00"), explicit_only=True),
    Rate(LaborType.INTERNAL, 9269124, "Labor - Internal Labor", Decimal("0.00"), debits_prepaid=False),
    Rate(LaborType.TRAVEL, 26117, "Fee - Travel Time", Decimal("40.00"), unit=Unit.TRIP, debits_prepaid=False),
    Rate(LaborType.WEBSITE, 68055, "Labor - Website Labor", Decimal("150.00")),
)


@dataclass(frozen=True, slots=True)
class RateTable:
    """The rate table in force: look up by labor type or by product id."""

    rates: tuple[Rate, ...] = DEFAULT_RATES

    def __post_init__(self) -> None:
        types = [r.labor_type for r in self.rates]
        ids = [r.product_id for r in self.rates]
        if len(set(types)) != len(types):
            raise ValueError("each labor type may appear only once in the rate table")
        if len(set(ids)) != len(ids):
            raise ValueError("each product id may appear only once in the rate table")

    def for_type(self, labor_type: LaborType | str) -> Rate:
        lt = LaborType(labor_type)
        for rate in self.rates:
            if rate.labor_type is lt:
                return rate
        raise KeyError(f"no product is configured for labor type {lt.value!r}")

    def for_product(self, product_id: int) -> Rate | None:
        for rate in self.rates:
            if rate.product_id == product_id:
                return rate
        return None

    def is_labor_product(self, product_id: int) -> bool:
        return self.for_product(product_id) is not None


def differences(rates: RateTable, products: dict[int, Product | None]) -> list[str]:
    """Where the rate table and Syncro's products (``GET /products/{id}``, None when missing) disagree.

    The rate table is what the app sends (Syncro does not fill prices in through
    the API); a difference is shown so the shop can decide which one is wrong.
    """
    out = []
    for rate in rates.rates:
        if rate.product_id not in products:
            continue
        product = products[rate.product_id]
        if product is None:
            out.append(f"{rate.labor_type.value}: product {rate.product_id} ({rate.name}) is not in Syncro.")
            continue
        if product.price_retail != rate.price_retail:
            out.append(f"{rate.labor_type.value}: Syncro's {product.name} ({product.id}) is ${product.price_retail:.2f}; "
                       f"the rate table says {dollars(rate.price_retail)}, which is what the app sends.")
        if product.disabled:
            out.append(f"{rate.labor_type.value}: {product.name} ({product.id}) is disabled in Syncro.")
    return out
