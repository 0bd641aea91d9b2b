"""A Prefect server owned by one ``chorus run``, that dies with it even on SIGKILL.

Without ``PREFECT_API_URL``, Prefect would start a temporary server of its own for the
flow; when the process running the flow is killed with SIGKILL that server keeps running,
orphaned, and the flow run stays RUNNING forever. ``managed_server()`` replaces it:

* it starts ``prefect server start`` (``--no-ui --analytics-off``, the Chorus offline
  defaults of ``chorus.core.env`` in its environment) on 127.0.0.1 and a free port, as a
  child that the kernel sends SIGTERM when its parent dies (Linux ``PR_SET_PDEATHSIG``,
  set between fork and exec; the child exits at once if the parent is already gone), in
  its own session so that a Ctrl-C reaches only Chorus, which then stops it;
* it waits for ``/api/health``, points Prefect at it (``PREFECT_API_URL``, for this
  process and its children), and tags the flow runs made inside it ``MANAGED_TAG``;
* when it is the only live managed run on this ``PREFECT_HOME`` it marks tagged runs
  left RUNNING by a dead process CRASHED (``flows.stale_runs``) and logs the count;
* on exit it drains Prefect's log and event workers into it, then stops it: SIGTERM,
  wait, SIGKILL after ``stop_timeout``.

With ``PREFECT_API_URL`` set (the environment or a Prefect profile) it does nothing and
the flow uses that server. The death signal is tied to the thread that starts the
server: enter ``managed_server()`` from the main thread (``chorus run`` does).
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

from pydantic import BaseModel, ConfigDict, Field

from chorus.core.env import OFFLINE_DEFAULTS
from chorus.core.errors import ChorusError
from flows.stale_runs import MANAGED_TAG, HomeLease, mark_stale_runs_crashed

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# Forced on the child whatever the environment says: a per-run server has no UI to show
# and must never send telemetry.
SERVER_ENV = {"PREFECT_SERVER_UI_ENABLED": "false", "PREFECT_UI_ENABLED": "false",
              "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}


class ManagedServerSettings(BaseModel):
    """Where and how long: the managed server's knobs (defaults suit ``chorus run``)."""

    model_config = ConfigDict(extra="forbid")

    host: str = Field("127.0.0.1", description="Interface the server listens on.")
    port: int = Field(0, ge=0, le=65535, description="0: a free port, chosen at start.")
    startup_timeout: float = Field(
        180.0, gt=0, le=3600, description="Seconds to wait for /api/health (a busy 2-core "
                                          "machine can take over 40 s).")
    stop_timeout: float = Field(10.0, gt=0, le=600,
                                description="Seconds between SIGTERM and SIGKILL at stop.")
    start_attempts: int = Field(3, ge=1, le=10, description="Tries when the chosen port "
                                                             "is taken before the server binds it.")
    log_level: str = Field("WARNING", description="The server's own log level.")


class ManagedServer:
    """A started server: its process, URL, and the file its stderr goes to."""

    def __init__(self, process: subprocess.Popen[bytes], api_url: str, stderr: IO[bytes]):
        self.process = process
        self.api_url = api_url
        self.stderr = stderr

    @property
    def pid(self) -> int:
        return self.process.pid

    def stderr_tail(self, limit: int = 2000) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")[-limit:]

    def stop(self, timeout: float) -> None:
        """SIGTERM, wait up to ``timeout`` s, then SIGKILL; always reaps the process."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.stderr.close()


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that asks the kernel to SIGTERM the child when this thread dies
    (None off Linux). It resolves ``prctl`` before the fork and does nothing else after it."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def server_env() -> dict[str, str]:
    """The child's environment: ours, the offline defaults where unset, ``SERVER_ENV``
    forced, and no ``PREFECT_API_URL`` (the server must not talk to another one)."""
    env = {**OFFLINE_DEFAULTS, **os.environ, **SERVER_ENV}
    env.pop("PREFECT_API_URL", None)
    return env


def spawn(settings: ManagedServerSettings, port: int) -> ManagedServer:
    """``prefect server start`` on ``port`` as a child that dies with this thread."""
    stderr = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", settings.host,
         "--port", str(port), "--no-ui", "--analytics-off", "--log-level", settings.log_level],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
        env=server_env(), preexec_fn=die_with_parent(), start_new_session=True)
    return ManagedServer(process, f"http://{settings.host}:{port}/api", stderr)


def start_server(settings: ManagedServerSettings) -> ManagedServer:
    """Start the server and return it healthy; a new free port when the chosen one was
    taken before the server bound it (it exits), up to ``start_attempts`` tries.

    Raises ``ChorusError`` with the exit code and the tail of the server's stderr (which
    holds Prefect's own messages only) when it exits or does not answer in time.
    """
    reason, tail = "was not started", ""
    for _ in range(settings.start_attempts):
        server = spawn(settings, settings.port or free_port(settings.host))
        try:
            if wait_healthy(server, settings.startup_timeout):
                return server
        except BaseException:
            server.stop(settings.stop_timeout)
            raise
        code = server.process.poll()
        reason = (f"exited with code {code}" if code is not None
                  else f"did not answer within {settings.startup_timeout:.0f} s")
        tail = server.stderr_tail()
        server.stop(settings.stop_timeout)
        if code is None or settings.port:
            break  # a timeout, or a fixed port: another try would not help
    raise ChorusError(f"the managed Prefect server {reason}; its last output: {tail.strip()}")


def wait_healthy(server: ManagedServer, timeout: float) -> bool:
    """True once ``/api/health`` answers 200; False when the process exits or time is up."""
    import httpx

    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=5.0) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                return False
            try:
                if client.get(f"{server.api_url}/health").status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    return False


def drain_prefect_workers(timeout: float) -> None:
    """Send the logs and events Prefect still holds, before the server goes away.

    Prefect ships them from background workers that would otherwise flush at exit, into a
    stopped server, retrying for over a minute (``prefect_test_harness`` drains the same
    way). Waits at most ``timeout`` s per worker kind; a failure here is not the run's.
    """
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        try:
            worker.drain_all(timeout=timeout)
        except Exception:  # noqa: BLE001 - shipping logs must not fail or mask the run
            pass


@contextmanager
def managed_server(settings: ManagedServerSettings | None = None) -> Iterator[str | None]:
    """Run the block against a server of its own; yields its API URL.

    Yields None, and starts nothing, when ``PREFECT_API_URL`` is set already. See the
    module docstring for what happens on entry and exit.
    """
    from prefect import tags
    from prefect.logging import get_logger
    from prefect.settings import PREFECT_API_URL, PREFECT_HOME, temporary_settings

    if PREFECT_API_URL.value():
        yield None
        return
    settings = settings or ManagedServerSettings()
    logger = get_logger("chorus.server")
    lease = HomeLease(PREFECT_HOME.value())
    lease.acquire()
    previous = os.environ.get("PREFECT_API_URL")
    try:
        t0 = time.perf_counter()
        server = start_server(settings)
        try:
            logger.info("managed Prefect server pid %d on %s, up in %.1f s", server.pid,
                        server.api_url, time.perf_counter() - t0)
            os.environ["PREFECT_API_URL"] = server.api_url
            with temporary_settings({PREFECT_API_URL: server.api_url}):
                with lease.alone() as alone:
                    if alone:
                        n = mark_stale_runs_crashed()
                        logger.info("marked %d stale chorus-pipeline flow run(s) CRASHED", n)
                    else:
                        logger.info("another chorus run shares this Prefect home: "
                                    "its stale flow runs are left for a later run")
                with tags(MANAGED_TAG):
                    yield server.api_url
        finally:
            drain_prefect_workers(settings.stop_timeout)
            if previous is None:
                os.environ.pop("PREFECT_API_URL", None)
            else:
                os.environ["PREFECT_API_URL"] = previous
            server.stop(settings.stop_timeout)
    finally:
        lease.release()
