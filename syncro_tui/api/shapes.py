"""How each answer Syncro sends is read into the models (``api/models.py``): the only code that sees raw JSON."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import models as m

log = logging.getLogger("syncro_tui.api")

M = TypeVar("M", bound=BaseModel)


class ShapeProblem(Exception):
    """The body did not have the shape the call returns."""


def obj(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ShapeProblem(f"expected a JSON object, got {type(data).__name__}")
    return data


def wrapped(key: str, model: type[M]) -> Callable[[Any], M]:
    def parse(data: Any) -> M:
        inner = obj(data).get(key)
        if not isinstance(inner, dict):
            raise ShapeProblem(f"expected {{{key!r}: {{...}}}}")
        return model.model_validate(inner)
    return parse


def flat(model: type[M]) -> Callable[[Any], M]:
    return lambda data: model.model_validate(obj(data))


def listed(key: str, model: type[M], item_key: str | None = None) -> Callable[[Any], m.Page[M]]:
    """A page of ``{key: [...], "meta": {...}}``; items may be flat or wrapped in ``item_key``.

    One item that cannot be read does not cost the page: it is skipped, logged
    (its id and what was wrong, never its content) and counted in ``skipped``.
    """
    def parse(data: Any) -> m.Page[M]:
        body = obj(data)
        items = body.get(key)
        if not isinstance(items, list):
            raise ShapeProblem(f"expected {{{key!r}: [...]}}")
        if item_key:
            items = [i[item_key] if isinstance(i, dict) and isinstance(i.get(item_key), dict) else i for i in items]
        meta_body = body.get("meta")
        meta = m.Meta.model_validate(meta_body if isinstance(meta_body, dict) else {"total_pages": 1, "page": 1})
        read: list[M] = []
        skipped = 0
        for item in items:
            try:
                read.append(model.model_validate(item))
            except ValidationError as exc:
                skipped += 1
                ident = item.get("id") if isinstance(item, dict) else None
                log.warning("skipped one of %s that could not be read (id %s): %s", key, ident, problem(exc))
        return m.Page[M](items=read, meta=meta, skipped=skipped)
    return parse


def problem(exc: Exception) -> str:
    """What was wrong with an answer, in a few words (the field and pydantic's message, never the value)."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"{where or 'body'}: {first.get('msg', 'invalid')}"
    return str(exc)[:200]


def users(data: Any) -> list[m.User]:
    pairs = obj(data).get("users")
    if not isinstance(pairs, list):
        raise ShapeProblem("expected {'users': [[id, name], ...]}")
    return [m.User(id=p[0], name=p[1]) for p in pairs]


def account_settings(data: Any) -> m.AccountSettings:
    body = obj(data)
    ticket = body.get("ticket") or {}
    return m.AccountSettings(
        time_zone=(body.get("locale") or {}).get("time_zone"),
        problem_types=ticket.get("problem_types") or [],
        priorities=[p for p in ticket.get("priorities") or [] if p],
        business_hours=body.get("business_hours") or [],
    )


class Refused(Exception):
    """A 2xx answer that says the call was not done (``{"success": false}``): Syncro's refusal, not a shape problem."""


def deleted(data: Any) -> m.Deleted:
    # Some deletes answer 204 with no body (``None`` here): that is success.
    result = m.Deleted() if data is None else m.Deleted.model_validate(obj(data))
    if not result.success:
        raise Refused(result.message or "Syncro answered that it did not do it (success: false).")
    return result
