"""How Syncro's loose values are read: timestamps made aware, blanks as None, Rails' booleans as text."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict


def aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def blank_to_none(value: Any) -> Any:
    return None if value == "" else value


def bool_text(value: Any) -> Any:
    """Rails' booleans as Syncro sends them: true/false, "true"/"false", "1"/"0" (``bool("false")`` is True)."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "t", "1", "yes"):
            return True
        if text in ("false", "f", "0", "no", ""):
            return False
    return value


Timestamp = Annotated[datetime, AfterValidator(aware)]
OptTimestamp = Annotated[Timestamp | None, BeforeValidator(blank_to_none)]
OptDecimal = Annotated[Decimal | None, BeforeValidator(blank_to_none)]
#: A boolean that may arrive as text ("1", "false"); null reads as false.
Flag = Annotated[bool, BeforeValidator(lambda v: False if v is None else bool_text(v))]
OptFlag = Annotated[bool | None, BeforeValidator(bool_text)]


class Model(BaseModel):
    # defer_build: schemas are built on first use (after the first paint), not at import.
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)
