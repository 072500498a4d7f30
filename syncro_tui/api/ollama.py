"""A local model through Ollama's HTTP API, for drafting prose (docs/rules.md §10).

Optional: hosts are tried in order with a short timeout once per run of the
app; without a reachable model the tech writes, and nothing else changes. The
model answers JSON only, which is validated here against the shape asked for.
It never sees the Syncro key: this client has none, and talks to other hosts.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

DEFAULT_HOST = "http://localhost:11434"
DEFAULT_MODEL = "qwen3:14b"


class DraftFailed(Exception):
    """No draft this time; the message says why in words the tech can act on. Nothing in the editor changed."""


class Suggestion(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    @field_validator("*")
    @classmethod
    def _not_blank(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
        return value


class CommentSuggestion(Suggestion):
    subject: str
    body: str
    preview: str = ""


class BillingSuggestion(Suggestion):
    comment_subject: str
    comment_body: str
    line_item_description: str
    preview: str = ""


S = TypeVar("S", bound=Suggestion)


class OllamaClient:
    def __init__(self, hosts: list[str], model: str = DEFAULT_MODEL, *, probe_seconds: float = 2.5,
                 timeout_seconds: float = 60.0, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.hosts = [h.rstrip("/") for h in hosts]
        self.model = model
        self.probe_seconds = probe_seconds
        self.timeout_seconds = timeout_seconds
        self._http = httpx.AsyncClient(transport=transport, headers={"Content-Type": "application/json"})
        #: The host that answered the probe with the model, or None (not probed, or none did).
        self.host: str | None = None
        #: What the probe found, for the status bar.
        self.status = "not checked"

    def __repr__(self) -> str:
        return f"OllamaClient(hosts={self.hosts!r}, model={self.model!r}, host={self.host!r})"

    async def aclose(self) -> None:
        await self._http.aclose()

    async def probe(self) -> str | None:
        """Try each host once (short timeout); the first with the model wins. Sets ``host`` and ``status``."""
        reasons = []
        for host in self.hosts:
            try:
                async with asyncio.timeout(self.probe_seconds):  # also bounds transports without timeouts
                    response = await self._http.get(f"{host}/api/tags", timeout=self.probe_seconds)
                response.raise_for_status()
                names = {m.get("name") for m in response.json().get("models", []) if isinstance(m, dict)}
            except (httpx.HTTPError, TimeoutError, ValueError, AttributeError) as exc:
                reasons.append(f"{host}: {type(exc).__name__}")
                continue
            if self.model in names or f"{self.model}:latest" in names:
                self.host, self.status = host, f"{self.model} ready"
                return host
            reasons.append(f"{host} does not have {self.model}")
        self.host, self.status = None, "no model (" + "; ".join(reasons) + ")" if reasons else "no model configured"
        return None

    async def draft(self, system: str, user: str, shape: type[S]) -> S:
        """One chat turn asking for JSON of ``shape``; DraftFailed when there is no usable answer."""
        if self.host is None:
            raise DraftFailed("No local model is reachable (checked when the app started).")
        payload = {"model": self.model, "stream": False, "think": False, "format": "json",
                   "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}]}
        try:
            async with asyncio.timeout(self.timeout_seconds):
                response = await self._http.post(f"{self.host}/api/chat", json=payload, timeout=self.timeout_seconds)
        except (httpx.TimeoutException, TimeoutError):
            raise DraftFailed(f"The model did not answer within {self.timeout_seconds:g} s.") from None
        except httpx.HTTPError as exc:
            raise DraftFailed(f"The model's server could not be reached ({type(exc).__name__}).") from None
        if response.status_code != 200:
            raise DraftFailed(f"The model's server answered {response.status_code}.")
        try:
            content = response.json()["message"]["content"]
            data = json.loads(content)
        except (ValueError, KeyError, TypeError):
            raise DraftFailed("The model did not answer with the JSON asked for.") from None
        try:
            suggestion = shape.model_validate(data)
        except ValidationError as exc:
            missing = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
            raise DraftFailed(f"The model's JSON lacks what was asked for ({missing}).") from None
        empty = [name for name, value in suggestion.model_dump().items() if name != "preview" and not value]
        if empty:
            raise DraftFailed(f"The model left {', '.join(empty)} empty.")
        return suggestion
