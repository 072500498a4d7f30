"""Sessions on the built-in simulator: ``--demo`` on real loopback, and in process for tests and screenshots.

In process, no socket is opened: the client talks to the simulator through
httpx's ASGI transport. ``--demo`` (``LoopbackDemo``) serves it on a loopback
port, as a real account would be reached.
"""

from __future__ import annotations

from typing import Any

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx

from .api import Pacer, SyncroClient
from .config import Config, Profile
from .session import Session, Settings, demo_journal
from .simulator import API_PREFIX, DEMO_KEY, Simulator

BASE_URL = "http://simulator" + API_PREFIX
#: The demo key's owner: Dana Whitfield, user 1843.
DEMO_USER = 1843


def asgi(sim: Simulator) -> Any:
    """The simulator as httpx's ASGI transport takes an app (its own signature is Starlette's, which is the same
    protocol under other annotations)."""
    return sim


def in_process_client(sim: Simulator, key: str = DEMO_KEY, **kwargs) -> SyncroClient:
    return SyncroClient(BASE_URL, key, transport=httpx.ASGITransport(asgi(sim)), **kwargs)


def demo_session(connect: Callable[[], SyncroClient], *, model_hosts: list[str], config: Config | None = None,
                 user_id: int | None = DEMO_USER, journal_path: Path | None = None,
                 clock: Callable[[], datetime] | None = None,
                 model_transport: httpx.AsyncBaseTransport | None = None, lesson: str | None = None,
                 lesson_ticket: int | None = None) -> Session:
    """The one way a session on the simulator is made in process (tests, screenshots, benchmarks, training).

    The demo's Syncro starts fresh each run, so its journal does too (a new temporary directory unless
    ``journal_path``); the simulator also answers as the local model (Ollama's API), so drafting works.
    """
    settings = demo_settings(config or Config(), user_id=user_id, lesson=lesson)
    journal = journal_path or demo_journal()
    return Session(read_settings=lambda: settings, connect=lambda _: connect(), demo=True, clock=clock,
                   journal_path=journal, model_hosts=model_hosts, model_transport=model_transport, lesson=lesson,
                   lesson_ticket=lesson_ticket)


def demo_settings(config: Config, *, user_id: int | None = DEMO_USER, lesson: str | None = None,
                  lessons: tuple[tuple[str, str], ...] = ()) -> Settings:
    """The demo's profile (Dana Whitfield, on the simulator) with the shop's config."""
    return Settings(profile_name="dana", profile=Profile(tech_name="Dana Whitfield", user_id=user_id, base_url=BASE_URL),
                    config=config, account_label="TRAINING" if lesson else "DEMO", lessons=lessons)


def in_process_session(sim: Simulator, *, key: str = DEMO_KEY, user_id: int | None = DEMO_USER,
                       config: Config | None = None, clock: Callable[[], datetime] | None = None,
                       pacer: Pacer | None = None, journal_path: Path | None = None, lesson: str | None = None,
                       lesson_ticket: int | None = None, **client_kwargs) -> Session:
    """A session on the in-process simulator (no socket: httpx's ASGI transport)."""
    client = in_process_client(sim, key, pacer=pacer or Pacer(180, headroom=0, burst=179), **client_kwargs)
    return demo_session(lambda: client, model_hosts=["http://simulator"], config=config, user_id=user_id,
                        journal_path=journal_path, clock=clock, model_transport=httpx.ASGITransport(asgi(sim)), lesson=lesson,
                        lesson_ticket=lesson_ticket)
