"""Run a baked project's development server for a test: on a free loopback port, in its own
process group, stopped with Ctrl-C (SIGINT) like a developer would, or another signal."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from tests.baking import BakedProject


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def http_status(url: str) -> int | None:
    """The status of a GET, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback URL)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@dataclass
class Server:
    base_url: str
    port: int
    env: dict[str, str]
    output: list[str] = field(default_factory=list)


@contextmanager
def serving(
    project: BakedProject,
    command: Sequence[str],
    timeout: float = 90,
    stop_signal: signal.Signals = signal.SIGINT,
) -> Iterator[Server]:
    """Start `command` in `project` with PORT set; yield once /healthz answers 200; stop it with
    `stop_signal` to its whole process group."""
    port = free_port()
    server = Server(f"http://127.0.0.1:{port}", port, project.environment({"PORT": str(port)}))
    process = subprocess.Popen(
        list(command),
        cwd=project.path,
        env=server.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: uv, the reloader and the worker
    )
    try:
        deadline = time.monotonic() + timeout
        while http_status(f"{server.base_url}/healthz") != 200:
            assert process.poll() is None, f"the server exited early:\n{process.communicate()[0]}"
            assert time.monotonic() < deadline, f"no answer on /healthz within {timeout:.0f} s"
            time.sleep(0.3)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, stop_signal)
        server.output.append(process.communicate(timeout=60)[0])
