"""Serving the simulator over real loopback HTTP: standalone, or in a background thread."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from typing import Any

import uvicorn

from .app import API_PREFIX, SimulatedDisconnect, Simulator


class InjectedDropsAreNotErrors(logging.Filter):
    """A dropped connection the simulator was asked for is said once by the simulator's own log line; uvicorn's
    "Exception in ASGI application" traceback for it is dropped. Any other error still shows in full."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], SimulatedDisconnect))


def quiet_injected_drops() -> None:
    """After uvicorn has configured its logging (its Config does that)."""
    uvicorn_errors = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, InjectedDropsAreNotErrors) for f in uvicorn_errors.filters):
        uvicorn_errors.addFilter(InjectedDropsAreNotErrors())


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class BackgroundSimulator:
    """The simulator on a loopback port, served by uvicorn in a daemon thread.

    Used by ``syncro-tui --demo`` and by the end-to-end tests.
    """

    def __init__(self, simulator: Simulator, host: str = "127.0.0.1", port: int = 0,
                 sock: socket.socket | None = None) -> None:
        """Serves on ``sock`` when given (already bound and listening), else on a new socket at host:port."""
        self.simulator = simulator
        self.sock = sock or _bind(host, port)
        self.host, self.port = self.sock.getsockname()[:2]
        config = uvicorn.Config(simulator, log_level="critical", access_log=False, lifespan="off")
        quiet_injected_drops()
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self._run, name="syncro-simulator", daemon=True)

    @property
    def base_url(self) -> str:
        return f"{self.origin}{API_PREFIX}"

    @property
    def origin(self) -> str:
        """Where the simulator answers; also its Ollama-compatible model (``/api/tags``, ``/api/chat``)."""
        return f"http://{self.host}:{self.port}"

    def _run(self) -> None:
        asyncio.run(self.server.serve(sockets=[self.sock]))

    def start(self, timeout: float = 10.0) -> "BackgroundSimulator":
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the simulator did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)
        self.sock.close()

    def __enter__(self) -> "BackgroundSimulator":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def serve_forever(simulator: Simulator, host: str, port: int, announce: Any = print) -> None:
    """Run in the foreground until interrupted (``syncro-tui simulator``)."""
    sock = _bind(host, port)
    actual = sock.getsockname()[1]
    announce(f"Syncro simulator: http://{host}:{actual}{API_PREFIX}")
    announce("Demo API key: demo-key (owner: Dana Whitfield, user 1843)")
    announce("Other keys: demo-key-marcus, demo-key-priya, demo-key-tom; demo-key-frontdesk lacks ticket permissions")
    if simulator.state_file:
        announce(f"State file: {simulator.state_file}")
    announce("Press Ctrl+C to stop.")
    config = uvicorn.Config(simulator, log_level="warning", access_log=False, lifespan="off")
    quiet_injected_drops()
    told = logging.StreamHandler()  # stderr, like uvicorn's own lines
    told.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    simulator_log = logging.getLogger("syncro_tui.simulator")
    simulator_log.addHandler(told)
    simulator_log.setLevel(logging.INFO)
    server = uvicorn.Server(config)
    try:
        asyncio.run(server.serve(sockets=[sock]))
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
