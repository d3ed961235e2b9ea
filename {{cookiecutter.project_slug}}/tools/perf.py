"""`make perf`: throughput, latency and fairness of one server worker under wrk.

Shape (fixed so runs compare): one tenant holding the example's workload, and every request the
workload's one authenticated read (JWT verification, tenant role and row-level security included);
tools/workload.py says what the tenant holds and which request it is, and is all of this tool that
knows the example domain. For each concurrency a fresh server starts (1 worker, no reload, one
JSON log line per request as when deployed), gets a short warm-up, and wrk loads it for a fixed
time on 127.0.0.1. The server counts responses per client connection (tools/connection_stats.py)
because latency percentiles describe only requests that completed: a connection that never got
an answer is invisible to them. Every connection sends the same token, as a client does until its
token expires; with `--server-env JWT_CACHE_SECONDS=0` the server verifies it from scratch on
every request. Results go to reports/perf.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from {{ cookiecutter.package_name }}.settings import Environment, Settings
from {{ cookiecutter.package_name }}.tables import Organization

from tools import workload
from tools.connection_stats import STATS_FILE_VARIABLE
from tools.live_server import live_server
from tools.local_postgres import throwaway_postgres
from tools.migrations import upgrade
from tools.tokens import mint_token

# The application counting responses per connection (tools/connection_stats.py).
COUNTED = "tools.connection_stats:create_app"
WARM_UP = ("50", "2s")
# The performance budget (docs/performance.md), per concurrency.
TARGETS: dict[int, dict[str, float]] = {
    50: {"rps": 800, "p50_ms": 70, "p99_ms": 150},
    200: {"rps": 750, "p99_ms": 500},
    500: {"rps": 750, "p99_ms": 1500},
}
MAX_CPU_MS_PER_REQUEST = 1.2
MAX_RECOVERY_S = 1.0


@dataclass
class Run:
    connections: int
    seconds: int
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    timeouts: int
    connections_served: int
    connections_never_served: int
    cpu_ms_per_request: float
    recovery_s: float

    def invariant_failures(self) -> list[str]:
        """What must hold in every run, on any machine."""
        failures = []
        if self.errors or self.timeouts:
            failures.append(f"{self.errors} errors and {self.timeouts} timeouts")
        if self.connections_never_served:
            failures.append(f"{self.connections_never_served} connections never served")
        if self.recovery_s > MAX_RECOVERY_S:
            failures.append(f"answered a probe after {self.recovery_s} s")
        return failures

    def budget_misses(self) -> list[str]:
        """Where this run falls short of the budget measured on a 2-core machine."""
        misses = []
        target = TARGETS.get(self.connections, {})
        if self.rps < target.get("rps", 0):
            misses.append(f"{self.rps} req/s < {target['rps']}")
        for key in ("p50_ms", "p99_ms"):
            if key in target and getattr(self, key) > target[key]:
                misses.append(f"{key} {getattr(self, key)} > {target[key]}")
        if self.cpu_ms_per_request > MAX_CPU_MS_PER_REQUEST:
            misses.append(f"{self.cpu_ms_per_request} ms CPU/request > {MAX_CPU_MS_PER_REQUEST}")
        return misses


async def fill_tenant(database_url: str, tenant: uuid.UUID) -> None:
    """Create the tenant's organization and the workload's rows (tools/workload.py) in it."""
    engine = create_async_engine(database_url)
    async with async_sessionmaker(engine)() as session:
        session.add(Organization(id=tenant, name="Perf", currency="EUR"))
        await session.flush()
        await workload.fill(session, tenant)
        await session.commit()
        # Statistics, as autovacuum keeps them on a live database: the planner then chooses the
        # plans it would choose there, not those of a table it believes empty.
        await session.execute(text("ANALYZE"))
        await session.commit()
    await engine.dispose()


def tenant_token(tenant: uuid.UUID) -> str:
    """A token for `tenant` with its least role, valid longer than any run."""
    settings = Settings(_env_file=None, environment=Environment.DEVELOPMENT)
    return mint_token(settings, tenant_id=tenant, roles=["viewer"], ttl_seconds=3600)


@contextmanager
def prepared_database() -> Iterator[tuple[str, str]]:
    """A migrated database with the workload's tenant, and a token for that tenant."""
    with throwaway_postgres("perf") as url:
        upgrade(url)
        tenant = uuid.uuid4()
        asyncio.run(fill_tenant(url, tenant))
        yield url, tenant_token(tenant)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _seconds_until(url: str, accept: Callable[[str], bool], deadline_s: float) -> float:
    """Seconds until `url` answers 200 with a body `accept` takes (polled every 20 ms)."""
    start = time.monotonic()
    while time.monotonic() - start < deadline_s:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (loopback)
                if response.status == 200 and accept(response.read().decode()):
                    return time.monotonic() - start
        except OSError:
            pass  # not answering yet, or not 200
        time.sleep(0.02)
    raise RuntimeError(f"{url} did not answer as awaited within {deadline_s} s")


def _answered(body: str) -> bool:
    return True


def _nothing_in_flight(exposition: str) -> bool:
    """Whether /metrics shows no request in flight: wrk exits with the warm-up's last requests
    unanswered, and the load must not start before they are."""
    in_flight = re.search(r"^http_requests_in_flight (\S+)$", exposition, re.MULTILINE)
    if in_flight is None:
        raise RuntimeError("/metrics reports no http_requests_in_flight")
    return float(in_flight.group(1)) == 0


def _milliseconds(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if match is None:
        raise ValueError(f"unexpected wrk duration {value!r}")
    number, unit = match.groups()
    return round(float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit], 2)


def parse_wrk(output: str) -> dict[str, float]:
    """Requests, latency percentiles and failures from `wrk --latency` output."""
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    requests = re.search(r"(\d+) requests in", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    connect, read, write, timeout = map(int, sockets.groups()) if sockets else (0, 0, 0, 0)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests": int(requests.group(1)) if requests else 0,
        "p50_ms": _milliseconds(latency["50"]),
        "p99_ms": _milliseconds(latency["99"]),
        "errors": connect + read + write + (int(non_2xx.group(1)) if non_2xx else 0),
        "timeouts": timeout,
    }


def served_connections(stats: dict[str, list[float]], start: float, end: float) -> int:
    """Connections answered while the load ran: not the warm-up's (answered before `start`) nor
    the recovery probe's (first answered after `end`). A client port the warm-up used may come
    back in the load, so a connection is one client address answered in that window."""
    return sum(1 for _count, first, last in stats.values() if last >= start and first <= end)


def run_once(
    database_url: str,
    token: str,
    connections: int,
    seconds: int,
    server_env: dict[str, str] | None = None,
) -> Run:
    wrk = ["wrk", "-t2", "-H", f"Authorization: Bearer {token}", "--timeout", "10s", "--latency"]
    with tempfile.TemporaryDirectory() as tmp:
        stats_file = Path(tmp) / "connections.json"
        # Logged as when deployed: one JSON line per request.
        settings = {
            "LOG_FORMAT": "json",
            STATS_FILE_VARIABLE: str(stats_file),
            **(server_env or {}),
        }
        # A fresh server per run; its counts reach stats_file when it shuts down.
        with live_server(
            database_url, log=Path(tmp) / "server.log", access_log=False, env=settings, app=COUNTED
        ) as server:
            url = server.base_url + workload.PATH
            subprocess.run(
                [*wrk, "-c", WARM_UP[0], "-d", WARM_UP[1], url], check=True, capture_output=True
            )
            _seconds_until(f"{server.base_url}/metrics", _nothing_in_flight, deadline_s=10)
            started = time.time()
            cpu_before = _cpu_seconds(server.pid)
            output = subprocess.run(
                [*wrk, "-c", str(connections), "-d", f"{seconds}s", url],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            cpu_used = _cpu_seconds(server.pid) - cpu_before
            finished = time.time()
            recovery = _seconds_until(f"{server.base_url}/readyz", _answered, deadline_s=10)
        stats = json.loads(stats_file.read_text())
    parsed = parse_wrk(output)
    served = served_connections(stats, started, finished)
    return Run(
        connections=connections,
        seconds=seconds,
        requests=int(parsed["requests"]),
        rps=round(parsed["requests"] / seconds, 1),
        p50_ms=parsed["p50_ms"],
        p99_ms=parsed["p99_ms"],
        errors=int(parsed["errors"]),
        timeouts=int(parsed["timeouts"]),
        connections_served=served,
        connections_never_served=max(0, connections - served),
        cpu_ms_per_request=round(1000 * cpu_used / max(parsed["requests"], 1), 3),
        recovery_s=round(recovery, 3),
    )


def median_run(runs: list[Run]) -> dict[str, float]:
    numbers = ("rps", "p50_ms", "p99_ms", "cpu_ms_per_request")
    return {key: statistics.median(getattr(run, key) for run in runs) for key in numbers}


def _setting(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not name or not equals:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, epilog=f"Workload (tools/workload.py): {workload.DESCRIPTION}."
    )
    parser.add_argument("--connections", default="50,200,500", help="comma-separated levels")
    parser.add_argument("--seconds", type=int, default=20, help="load time per run")
    parser.add_argument("--runs", type=int, default=1, help="runs per level (medians reported)")
    parser.add_argument("--report", type=Path, default=Path("reports/perf.json"))
    parser.add_argument("--strict", action="store_true", help="also fail on budget misses")
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        type=_setting,
        metavar="NAME=VALUE",
        help="a setting for the server, e.g. JWT_CACHE_SECONDS=0 (repeatable)",
    )
    args = parser.parse_args(argv)
    server_env = dict(args.server_env)
    if shutil.which("wrk") is None:
        print("make perf needs wrk: apt-get install wrk, or brew install wrk", file=sys.stderr)
        return 2

    levels = [int(level) for level in args.connections.split(",")]
    results: dict[int, list[Run]] = {}
    with prepared_database() as (url, token):
        for level in levels:
            results[level] = [
                run_once(url, token, level, args.seconds, server_env) for _ in range(args.runs)
            ]

    failures, misses = [], []
    print(f"{'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'cpu ms':>7} {'errors':>6} "
          f"{'unserved':>8}")  # fmt: skip
    for level, runs in results.items():
        middle = median_run(runs)
        print(f"{level:>5} {middle['rps']:>8.0f} {middle['p50_ms']:>8.1f} {middle['p99_ms']:>8.1f} "
              f"{middle['cpu_ms_per_request']:>7.2f} {sum(r.errors + r.timeouts for r in runs):>6} "
              f"{sum(r.connections_never_served for r in runs):>8}")  # fmt: skip
        failures += [f"{level} connections: {f}" for r in runs for f in r.invariant_failures()]
        misses += [f"{level} connections: {m}" for r in runs for m in r.budget_misses()]
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(
        json.dumps(
            {
                "runs": [asdict(run) for runs in results.values() for run in runs],
                "medians": {level: median_run(runs) for level, runs in results.items()},
                "invariant_failures": failures,
                "budget_misses": misses,
            },
            indent=2,
        )
    )
    for line in failures:
        print(f"FAIL {line}", file=sys.stderr)
    for line in misses:
        print(f"{'FAIL' if args.strict else 'over budget'} {line}", file=sys.stderr)
    return 1 if failures or (args.strict and misses) else 0


if __name__ == "__main__":
    sys.exit(main())
