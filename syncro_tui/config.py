"""Configuration: a TOML file in the platform's config directory, with environment overrides.

The file (``syncro-tui config path`` says where) holds profiles, one per tech,
and may override the shop's rate table, appointment types and ticket
defaults. Keys are never in this file: they live in the OS keyring (keys.py).

Environment: ``SYNCRO_TUI_CONFIG`` (the file), ``SYNCRO_TUI_PROFILE`` (the
profile to use), ``SYNCRO_BASE_URL`` (the API base URL), ``SYNCRO_API_KEY``
(the key, see keys.py), ``SYNCRO_TUI_DATA_DIR`` (journal and logs).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .domain.rates import DEFAULT_RATES, BillingPath, LaborType, RateTable, Rounding, Unit

APP_NAME = "syncro-tui"
MIN_REFRESH_SECONDS = 15


class ConfigError(Exception):
    """The config file cannot be used; the message says where and why."""


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Profile(Section):
    """One tech's connection to Syncro."""

    #: The tech's name as Syncro knows it (shown in the status bar).
    tech_name: str | None = None
    #: The tech's Syncro user id: writes are refused when the key belongs to someone else.
    user_id: int | None = None
    #: The shop's Syncro subdomain (``acme`` for acme.syncromsp.com) ...
    subdomain: str | None = None
    #: ... or a full API base URL (the simulator, a proxy).
    base_url: str | None = None
    #: How the key is sent: the Authorization header (default) or the ``?api_key=`` query form.
    auth_mode: Literal["header", "query"] = "header"

    def api_base_url(self) -> str | None:
        if self.base_url:
            return self.base_url.rstrip("/")
        if self.subdomain:
            return f"https://{self.subdomain}.syncromsp.com/api/v1"
        return None


class RateOverride(Section):
    """Any part of a labor type's product; what is left out keeps the shipped default."""

    product_id: int | None = None
    name: str | None = None
    price_retail: Decimal | None = None
    unit: Unit | None = None
    debits_prepaid: bool | None = None
    explicit_only: bool | None = None


class TicketDefaults(Section):
    priority: str = "2 Normal"
    emergency_priority: str = "4 Urgent"
    status: str = "New"
    problem_type: str = "Not determined"
    #: The ticket type a new ticket starts with, by name (when the account has ticket types); None: the account's default.
    ticket_type: str | None = None
    #: Statuses that count as open in the queue, whatever Syncro's "Not Closed" returns.
    closed_statuses: list[str] = Field(default_factory=lambda: ["Resolved", "Invoiced", "Closed"])
    resolved_status: str = "Resolved"


class SavedFilter(Section):
    """A queue section of your own: every condition given must hold (``[[queue.filters]]``)."""

    name: str
    statuses: list[str] = Field(default_factory=list)
    priorities: list[str] = Field(default_factory=list)
    user_ids: list[int] = Field(default_factory=list)
    customer_ids: list[int] = Field(default_factory=list)
    unassigned: bool = False
    #: Words that must all appear in the number, customer, subject or tech.
    text: str = ""


class QueueSettings(Section):
    refresh_seconds: int = 60
    page_size: int = 100
    #: The section shown on a first start (later starts go back to where the tech was): mine, new, reply, all,
    #: appointments, "filter:<name>" for one of [[queue.filters]], "search:<id>" for a Syncro saved search.
    first_section: str = "mine"
    filters: list[SavedFilter] = Field(default_factory=list)

    @field_validator("refresh_seconds")
    @classmethod
    def _floor(cls, value: int) -> int:
        return max(value, MIN_REFRESH_SECONDS)


AlertWay = Literal["toast", "bell", "desktop"]


def _ways(*ways: AlertWay) -> Callable[[], list[AlertWay]]:
    """A kind of alert's ways by default (a fresh list each time)."""
    return lambda: list(ways)


class AlertSettings(Section):
    """How each kind of alert reaches the tech (``[alerts]``): any of toast, bell, desktop; [] turns it off."""

    new_ticket: list[AlertWay] = Field(default_factory=_ways("toast"))
    customer_reply: list[AlertWay] = Field(default_factory=_ways("toast", "bell"))
    assigned: list[AlertWay] = Field(default_factory=_ways("toast", "bell"))
    urgent: list[AlertWay] = Field(default_factory=_ways("toast", "bell"))
    sla_breached: list[AlertWay] = Field(default_factory=_ways("toast", "bell"))
    sla_soon: list[AlertWay] = Field(default_factory=_ways("toast"))
    #: How "desktop" reaches the desktop: auto (the terminal's own sequence where it is known, else the
    #: system's: Windows' notification centre, macOS Notification Center, notify-send elsewhere), or one of
    #: osc99 (kitty), osc777 (WezTerm, Ghostty, foot), osc9 (iTerm2), system (notify-send: the same, by its old name).
    desktop_by: Literal["auto", "osc99", "osc777", "osc9", "system", "notify-send"] = "auto"

    def ways(self, kind: str) -> list[str]:
        return list(getattr(self, kind, []))


class BillingSettings(Section):
    """How the shop bills (``[billing]``): ``path`` "timer" (a timer, then its charge) or "line_item" (one line, no
    timer); how minutes become billed hours: ``increment`` "0.01 h", "6 min", "15 min"; ``direction`` "nearest" or
    "up" (to the next increment). Work is never rounded to nothing: at least one increment."""

    path: BillingPath = BillingPath.TIMER
    increment: str = "0.01 h"
    direction: Literal["nearest", "up"] = "nearest"

    @field_validator("increment")
    @classmethod
    def _whole_hundredths(cls, value: str) -> str:
        Rounding.parse(value)  # says what is wrong, in the config error
        return value

    def rounding(self) -> Rounding:
        return Rounding.parse(self.increment, self.direction)


class ClockSettings(Section):
    """Where the work clock (``w``) keeps its time (``[clock]``): ``where = "syncro"`` (the default) on Syncro's
    live timers where the account has them, so Syncro's web and the tech's other machines see it; ``"local"`` on
    this machine only. ``labor``: the labor type a new timer is started with (asked each time when unset)."""

    where: Literal["syncro", "local"] = "syncro"
    labor: LaborType | None = None


class PacingSettings(Section):
    """This machine's share of Syncro's 180 requests a minute per IP, and what it leaves unused."""

    per_minute: int = Field(180, ge=2, le=180)
    headroom: int = Field(15, ge=0)

    @model_validator(mode="after")
    def _leaves_some(self) -> PacingSettings:
        if self.headroom >= self.per_minute - 1:
            raise ValueError(f"headroom ({self.headroom}) must leave requests to send: less than per_minute "
                             f"({self.per_minute}) minus 1")
        return self


class OfficeSettings(Section):
    """One request budget for every machine of the office (Syncro counts per IP address): a Redis the office's
    machines reach. Redis is told counts and times only (README, "A shop behind one address")."""

    #: ``redis://[:password@]host:6379/0`` (``rediss://`` for TLS); ``SYNCRO_TUI_OFFICE_REDIS`` overrides it.
    redis: str | None = None

    @field_validator("redis")
    @classmethod
    def _a_redis_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return value or None

    def url(self) -> str | None:
        """The office's Redis, the environment's first (an empty value turns it off for this process)."""
        override = os.environ.get("SYNCRO_TUI_OFFICE_REDIS")
        return (override or None) if override is not None else self.redis


class DraftingSettings(Section):
    """A local model (Ollama) that drafts prose; optional (docs/rules.md §10)."""

    enabled: bool = True
    #: Tried in order, once per run of the app: localhost first, then the shop's second host.
    hosts: list[str] = Field(default_factory=lambda: ["http://localhost:11434"])
    model: str = "qwen3:14b"
    #: How long each host gets to answer the check at start.
    probe_seconds: float = 2.5
    #: How long one draft may take.
    timeout_seconds: float = 60.0


DEFAULT_APPOINTMENT_TYPES = {"In Shop": 4321, "Onsite": 4322, "Phone Call": 4323, "Reminder": 193053, "Remote": 59289}


class Snippet(Section):
    """One of the shop's own canned texts (``[[snippets]]``), listed by ctrl+k beside the account's."""

    title: str
    body: str


class Config(Section):
    default_profile: str | None = None
    profiles: dict[str, Profile] = Field(default_factory=dict)
    #: Overrides of the shipped rate table, by labor type.
    rates: dict[LaborType, RateOverride] = Field(default_factory=dict)
    appointment_types: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_APPOINTMENT_TYPES))
    tickets: TicketDefaults = Field(default_factory=TicketDefaults)
    queue: QueueSettings = Field(default_factory=QueueSettings)
    pacing: PacingSettings = Field(default_factory=PacingSettings)
    office: OfficeSettings = Field(default_factory=OfficeSettings)
    drafting: DraftingSettings = Field(default_factory=DraftingSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    billing: BillingSettings = Field(default_factory=BillingSettings)
    clock: ClockSettings = Field(default_factory=ClockSettings)
    #: Binding id -> keys, e.g. {"queue.refresh" = "f5"}.
    keymap: dict[str, str] = Field(default_factory=dict)
    #: The shop's own canned texts, for the comment editor (ctrl+k), with or without Syncro's.
    snippets: list[Snippet] = Field(default_factory=list)
    #: Where session logs are written on close (clients/<customer>/session-logs/ below it).
    session_log_root: str | None = None

    def rate_table(self) -> RateTable:
        return RateTable(tuple(
            replace(default, **self.rates[default.labor_type].model_dump(exclude_none=True))
            if default.labor_type in self.rates else default
            for default in DEFAULT_RATES
        ), rounding=self.billing.rounding(), path=self.billing.path)

    def profile(self, name: str | None = None) -> tuple[str, Profile]:
        """The profile to use: the one named, else $SYNCRO_TUI_PROFILE, else the default, else the only one."""
        wanted = name or os.environ.get("SYNCRO_TUI_PROFILE") or self.default_profile
        if wanted:
            if wanted not in self.profiles:
                known = ", ".join(sorted(self.profiles)) or "none configured"
                raise ConfigError(f"No profile named {wanted!r} (profiles: {known}).")
            return wanted, self.profiles[wanted]
        if len(self.profiles) == 1:
            return next(iter(self.profiles.items()))
        if not self.profiles:
            raise ConfigError(
                f"No profile is configured. Add one to {config_path()} (see the README), "
                "or try the built-in simulator with `syncro-tui --demo`.")
        raise ConfigError(f"Several profiles are configured ({', '.join(sorted(self.profiles))}); choose one with --profile.")


def config_path() -> Path:
    override = os.environ.get("SYNCRO_TUI_CONFIG")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def data_dir() -> Path:
    override = os.environ.get("SYNCRO_TUI_DATA_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def _readable(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"])
        lines.append(f"  {where}: {item['msg']}")
    return "\n".join(lines)


def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    if not path.exists():
        return Config()
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text (byte {exc.object[exc.start]:#04x} at position {exc.start}): "
                          "save it as UTF-8 (Notepad: Save as, Encoding UTF-8).") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror}") from None
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{path} has settings that cannot be used:\n{_readable(exc)}") from None


def dump_config(config: Config) -> str:
    """The effective config as TOML (no key is ever part of it)."""
    import tomli_w

    data = config.model_dump(mode="json", exclude_none=True)
    # The rate table in force, shipped defaults included, not only the overrides.
    data["rates"] = {
        rate.labor_type.value: {"product_id": rate.product_id, "name": rate.name, "price_retail": str(rate.price_retail),
                                "unit": rate.unit.value, "debits_prepaid": rate.debits_prepaid,
                                "explicit_only": rate.explicit_only}
        for rate in config.rate_table().rates
    }
    return tomli_w.dumps(data)
