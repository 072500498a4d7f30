"""The simulator as an ASGI application serving Syncro's REST API under /api/v1.

It is a plain ASGI callable (Starlette supplies the request and response
types) rather than a routed Starlette app, because fault injection must be
able to cut a response off half-way, after the record is written, which a
route that returns a Response object cannot do.

Outside /api/v1, ``/__sim/`` is a control API for tests and trainers: faults,
reset, state. It answers on loopback only by default (see server.py).
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from . import model
from . import seed as seed_module
from .faults import Fault, FaultPlan
from .routes import ROUTE_NAMES, ROUTES, Call, Route, query
from .store import JSON, PERMISSION_MESSAGE, SimError, Store

log = logging.getLogger("syncro_tui.simulator")


class SyncroJSON(JSONResponse):
    """Syncro's JSON: UTF-8, except text that UTF-8 cannot carry (a lone surrogate in a stored comment), which
    arrives escaped (\\ud800), as a JSON encoder that escapes it sends it."""

    def render(self, content: object) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")

API_PREFIX = "/api/v1"

HTML_400 = (
    "<!DOCTYPE html>\n<html>\n<head><title>Bad Request</title></head>\n<body>\n"
    "<h1>Bad Request</h1>\n<p>The request could not be understood.</p>\n</body>\n</html>\n"
)
HTML_500 = (
    "<!DOCTYPE html>\n<html>\n<head><title>We're sorry, but something went wrong (500)</title></head>\n"
    "<body>\n<div class=\"dialog\"><h1>We're sorry, but something went wrong.</h1></div>\n</body>\n</html>\n"
)
GARBAGE_BODY = '{"ticket": {"id": 1084'  # truncated JSON, as from a proxy that cut the body


class SimulatedDisconnect(httpx.RemoteProtocolError):
    """Raised inside the app to drop the connection after the response started.

    Over real HTTP, uvicorn closes the socket when an app fails mid-response,
    and the client sees a broken connection. In-process (httpx's ASGI
    transport) the exception itself reaches the client, so it is an httpx
    transport error, just as a real dropped connection would be.
    """

    def __init__(self) -> None:
        super().__init__("Server disconnected without sending a complete response.")


def extract_key(request: Request) -> str | None:
    """The API key from any of the three forms Syncro accepts."""
    header = request.headers.get("authorization")
    if header:
        header = header.strip()
        return header[7:].strip() if header.lower().startswith("bearer ") else header
    return request.query_params.get("api_key")


class RateWindow:
    """Syncro's limit: N requests per rolling minute per client address."""

    def __init__(self, limit: int | None, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        if not self.limit:
            return True
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(client, deque())
            while hits and now - hits[0] >= self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True


@functools.lru_cache(maxsize=4)
def _seeded(seed: int, today: date, open_tickets: int | None) -> dict[str, Any]:
    """The seeded account of a seed and a day, made once per process: a seed and a day always give the same
    account, and the store copies what it is given, so this is never changed (a reset, or the next simulator of
    the same seed, starts from it without seeding again)."""
    return seed_module.generate(seed, today, open_tickets=open_tickets)


class Simulator:
    """A Syncro account you can talk to: ``await sim(scope, receive, send)``."""

    def __init__(
        self,
        *,
        seed: int = 1,
        today: date | None = None,
        clock: Callable[[], datetime] | None = None,
        rate_limit: int | None = 180,
        latency: float = 0.0,
        zero_price_rate: float = 0.0,
        state_file: str | os.PathLike[str] | None = None,
        reset: bool = False,
        open_tickets: int | None = None,
    ) -> None:
        self.seed = seed
        #: A bigger shop: the seed's open tickets copied until this many are open (fresh data only).
        self.open_tickets = open_tickets
        self.today = today
        self.clock = clock
        self.latency = latency
        self.zero_price_rate = zero_price_rate
        self.rate = RateWindow(rate_limit)
        self.faults = FaultPlan()
        self.state_file = Path(state_file) if state_file else None
        #: Every API call answered, as (method, route name): tests count requests with it.
        self.calls: deque[tuple[str, str]] = deque(maxlen=10_000)
        #: What the stand-in model was sent (tests check that no secret or key reached it).
        self.model_requests: deque[JSON] = deque(maxlen=100)
        data: dict[str, Any] | None = None
        if self.state_file and self.state_file.exists() and not reset:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
        self.store = self._make_store(data)

    def _make_store(self, data: dict[str, Any] | None) -> Store:
        if data is None:
            today = self.today or (seed_module.seed_day(self.clock()) if self.clock else None)
            data = _seeded(self.seed, today or seed_module.seed_day(datetime.now(UTC)), self.open_tickets)
        return Store(data, clock=self.clock, zero_price_rate=self.zero_price_rate, seed=self.seed)

    def reset(self) -> None:
        self.store = self._make_store(None)
        self.faults.clear()
        self.calls.clear()
        self.save()

    def save(self) -> None:
        """Persist the state (atomically) when a state file is configured."""
        if self.state_file is None:
            return
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.state_file.parent, prefix=".syncro-sim-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(self.store.dumps())
        os.replace(tmp, self.state_file)

    def add_fault(self, **spec: Any) -> Fault:
        route = spec.get("route")
        if route is not None and route not in ROUTE_NAMES:
            raise ValueError(f"unknown route {route!r}")
        return self.faults.add(**spec)

    # ------------------------------------------------------------------ ASGI
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        path = request.url.path
        response: Response | None
        if path.startswith("/__sim/"):
            response = await self._control(request, path[len("/__sim/"):])
        elif path in ("/api/tags", "/api/chat"):
            response = await self._model(request, path)
            if response is None:
                return
        elif path.startswith(API_PREFIX + "/") or path == API_PREFIX:
            response = await self._api(request, path[len(API_PREFIX):] or "/", scope, send)
            if response is None:
                return
        else:
            response = JSONResponse({"message": "Not found"}, status_code=404)
        await response(scope, receive, send)

    async def _api(self, request: Request, path: str, scope: dict[str, Any], send: Any) -> Response | None:
        method = request.method.upper()
        route, ids = self._match(method, path)
        client = (scope.get("client") or ("in-process", 0))[0]
        if self.latency:
            await asyncio.sleep(self.latency)
        if not self.rate.allow(client):
            return PlainTextResponse("Retry later\n", status_code=429)
        key = extract_key(request)
        if route is None:
            return JSONResponse({"message": "Not found"}, status_code=404)
        if not key or key not in self.store.keys:
            return JSONResponse({"error": "Not authorized"}, status_code=401)
        if route.permission is not None:
            area, verb = route.permission
            if not self.store.keys[key]["permissions"].get(area, {}).get(verb, False):
                return JSONResponse({"error": PERMISSION_MESSAGE}, status_code=401)
        body: JSON = {}
        if method in ("POST", "PUT", "PATCH"):
            content_type = request.headers.get("content-type", "")
            if not content_type.lower().startswith("application/json"):
                # [quirk] Rails without a JSON content type: an HTML 400 page.
                return Response(HTML_400, status_code=400, media_type="text/html")
            raw = await request.body()
            if raw.strip():
                try:
                    parsed = json.loads(raw)
                except ValueError:
                    return Response(HTML_400, status_code=400, media_type="text/html")
                if not isinstance(parsed, dict):
                    return Response(HTML_400, status_code=400, media_type="text/html")
                body = parsed
        call = Call(key=key, params=query(request), body=body, ids=ids)
        self.calls.append((method, route.name))

        fault = self.faults.take(method, route.name)
        if fault is not None and fault.kind == "latency":
            await asyncio.sleep(fault.delay)
            fault = None
        if fault is not None and fault.when == "before":
            return await self._fail(fault, send, committed=False)

        # Handlers are synchronous, so each call is atomic on the event loop.
        try:
            result = route.handler(self.store, call)
        except SimError as err:
            if isinstance(err.body, str):
                return Response(err.body, status_code=err.status, media_type=err.content_type)
            return JSONResponse(err.body, status_code=err.status)
        except Exception:  # noqa: BLE001 - Syncro answers a 500 page, never a traceback
            log.exception("simulator handler %s failed", route.name)
            return Response(HTML_500, status_code=500, media_type="text/html")
        if route.writes:
            self.save()

        if fault is not None:
            return await self._fail(fault, send, committed=True)
        if result is None:
            return Response(status_code=route.status)
        return SyncroJSON(result, status_code=route.status)

    async def _model(self, request: Request, path: str) -> Response | None:
        """The Ollama-compatible stand-in (simulator/model.py); no key: a local model has none."""
        name = "ollama_tags" if path == "/api/tags" else "ollama_chat"
        method = request.method.upper()
        if (method, name) not in (("GET", "ollama_tags"), ("POST", "ollama_chat")):
            return JSONResponse({"error": "method not allowed"}, status_code=405)
        self.calls.append((method, name))
        body: JSON = {}
        if method == "POST":
            try:
                body = json.loads(await request.body() or b"{}")
            except ValueError:
                return JSONResponse({"error": "invalid JSON"}, status_code=400)
            self.model_requests.append(body)
        fault = self.faults.take(method, name)
        if fault is not None and fault.kind == "timeout":
            await asyncio.sleep(fault.delay)
            return JSONResponse({"error": "too late"}, status_code=200)
        if fault is not None and fault.kind == "drop":
            raise SimulatedDisconnect()
        if fault is not None and fault.kind == "500":
            return JSONResponse({"error": "model crashed"}, status_code=500)
        if name == "ollama_tags":
            return JSONResponse(model.tags())
        return JSONResponse(model.answer(body, prose=fault is not None and fault.kind == "garbage"))

    def _match(self, method: str, path: str) -> tuple[Route | None, dict[str, str]]:
        for route in ROUTES:
            if route.method != method:
                continue
            m = route.pattern.match(path)
            if m:
                ids = m.groupdict()
                if any(not v.isdigit() for v in ids.values()) and route.name != "get_invoice":
                    continue
                return route, ids
        return None, {}

    async def _fail(self, fault: Fault, send: Any, *, committed: bool) -> Response | None:
        if fault.kind == "timeout":
            await asyncio.sleep(fault.delay)
            if not committed:
                # The server never processed it: close without an answer.
                await self._drop(send)
                return None
            return JSONResponse({"message": "too late, the client gave up"}, status_code=200)
        if fault.kind == "drop":
            await self._drop(send)
            return None
        if fault.kind == "500":
            return Response(HTML_500, status_code=500, media_type="text/html")
        if fault.kind == "garbage":
            return Response(GARBAGE_BODY, status_code=200, media_type="application/json")
        if fault.kind == "429":
            return PlainTextResponse("Retry later\n", status_code=429)
        raise AssertionError(f"unhandled fault kind {fault.kind}")

    @staticmethod
    async def _drop(send: Any) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")]})
        raise SimulatedDisconnect()

    # --------------------------------------------------------------- control
    async def _control(self, request: Request, action: str) -> Response:
        method = request.method.upper()
        try:
            payload = json.loads(await request.body() or b"{}") if method in ("POST", "PUT") else {}
        except ValueError:
            return JSONResponse({"error": "control body must be JSON"}, status_code=400)
        if action == "health":
            return JSONResponse({"ok": True, "account": self.store.account["name"]})
        if action == "faults" and method == "POST":
            try:
                fault = self.add_fault(**payload)
            except (TypeError, ValueError) as exc:
                return JSONResponse({"error": str(exc)}, status_code=422)
            return JSONResponse({"fault": fault.to_json()}, status_code=201)
        if action == "faults" and method == "GET":
            return JSONResponse({"faults": [f.to_json() for f in self.faults.list()]})
        if action == "faults" and method == "DELETE":
            self.faults.clear()
            return JSONResponse({"faults": []})
        if action == "reset" and method == "POST":
            self.reset()
            return JSONResponse({"ok": True})
        if action == "state" and method == "GET":
            return Response(self.store.dumps(), media_type="application/json")
        if action == "calls" and method == "GET":
            return JSONResponse({"calls": [list(c) for c in self.calls]})
        return JSONResponse({"message": "Not found"}, status_code=404)
