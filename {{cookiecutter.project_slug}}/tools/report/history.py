"""The history: one JSON line per run, appended by `make report` and published with the dashboard.

A record holds the numbers a trend needs (counts, coverage, timings, scores), not the reports
themselves, so a year of nightly runs stays well under a megabyte.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any

from tools.report.results import (
    LayerResult,
    benchmark_minimums,
    coverage_floors,
    layer_coverage,
    mutation_score,
    mutation_stats,
    pyramid_ratio,
    read_layers,
    total_coverage,
)

VERSION = 1
SLOWEST = 10
FAILED = 50

Record = dict[str, Any]


def _commit() -> str | None:
    """The commit under test: GitHub's, else the working copy's (None outside git)."""
    if sha := os.environ.get("GITHUB_SHA"):
        return sha[:12]
    result = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or None


def run_url() -> str | None:
    parts = [os.environ.get(name) for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY")]
    run_id = os.environ.get("GITHUB_RUN_ID")
    return f"{parts[0]}/{parts[1]}/actions/runs/{run_id}" if all(parts) and run_id else None


def _layer(result: LayerResult, coverage: float | None, floor: float | None) -> dict[str, Any]:
    return {
        "tests": result.tests,
        "passed": result.passed,
        "failures": result.failures,
        "errors": result.errors,
        "skipped": result.skipped,
        "reruns": result.reruns,
        "seconds": result.seconds,
        "coverage": coverage,
        "floor": floor,
    }


def build_record(reports: Path, makefile: Path, mutation_baseline: Path, now: datetime) -> Record:
    """This run's record, from reports/ (JUnit XML is required; the rest is optional)."""
    layers = read_layers(reports)
    floors = coverage_floors(makefile)
    cases = [case for result in layers.values() for case in result.cases]
    # A test that pytest reports several times under one name (schemathesis: once per API
    # operation) counts once, with its whole time.
    seconds: dict[str, float] = {}
    for case in cases:
        test = f"{case.layer}: {case.name}"
        seconds[test] = seconds.get(test, 0.0) + case.seconds
    slowest = sorted(seconds.items(), key=lambda item: (-item[1], item[0]))[:SLOWEST]
    coverage_xml = reports / "coverage.xml"
    stats = mutation_stats(reports / "mutation-stats.json")
    mutation = None
    if stats is not None:
        baseline = json.loads(mutation_baseline.read_text())["min_score"]
        mutation = {
            "score": round(mutation_score(stats), 2),
            "killed": stats["killed"],
            "survived": stats["survived"],
            "total": stats["total"],
            "baseline": baseline,
        }
    return {
        "version": VERSION,
        "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": _commit(),
        "run": run_url(),
        "layers": {
            layer: _layer(result, layer_coverage(reports / f".coverage.{layer}"), floors.get(layer))
            for layer, result in layers.items()
        },
        "coverage": {
            "total": total_coverage(coverage_xml) if coverage_xml.is_file() else None,
            "floor": floors.get("TOTAL"),
        },
        "pyramid": pyramid_ratio({layer: result.ran for layer, result in layers.items()}),
        "slowest": [{"test": test, "seconds": round(time, 3)} for test, time in slowest],
        "flaky": list(dict.fromkeys(f"{case.layer}: {case.name}" for case in cases if case.flaky)),
        "failed": list(
            dict.fromkeys(
                f"{case.layer}: {case.name}"
                for case in cases
                if case.outcome in {"failed", "error"}
            )
        )[:FAILED],
        "benchmarks": benchmark_minimums(reports / "benchmark.json") or None,
        "mutation": mutation,
    }


def read_history(path: Path) -> list[Record]:
    """Every record so far, oldest first (none when the file does not exist yet)."""
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def append_record(path: Path, record: Record) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as history:
        history.write(json.dumps(record, separators=(",", ":")) + "\n")


def pages_url(explicit: str, repository: str | None) -> str:
    """Where the dashboard is published: PAGES_URL, else GitHub Pages' address for the
    repository (owner/name, as in GITHUB_REPOSITORY)."""
    if explicit:
        return explicit.rstrip("/") + "/"
    if not repository:
        raise ValueError("set PAGES_URL to the published dashboard (or run in GitHub Actions)")
    owner, name = repository.split("/", 1)
    return f"https://{owner.lower()}.github.io/{name}/"


def fetch_history(url: str, destination: Path) -> bool:
    """Download the published history to extend it; False when nothing is published yet (404)."""
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"not an http(s) URL: {url!r}")
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (scheme checked)
            body: bytes = response.read()
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(body)
    return True


def pass_rate(record: Record) -> float | None:
    """Passed tests in percent of those that ran, over every layer of a record."""
    ran = sum(layer["tests"] - layer["skipped"] for layer in record["layers"].values())
    passed = sum(layer["passed"] for layer in record["layers"].values())
    return round(100 * passed / ran, 2) if ran else None


def flakiest(history: list[Record], runs: int) -> list[tuple[str, int]]:
    """Tests that were flaky in the last `runs` records, most often first."""
    counts: dict[str, int] = {}
    for record in history[-runs:]:
        for test in record["flaky"]:
            counts[test] = counts.get(test, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
