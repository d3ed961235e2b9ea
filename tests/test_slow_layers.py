"""Slow tier: the baked default project's load, mutation, benchmark and performance gates run,
report, and fail when they should."""

from __future__ import annotations

import json
import re
import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest

from tests.baking import BakedProject
from tests.serving import serving

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("slow")]


def _json(path: Path) -> Any:
    return json.loads(path.read_text())


def test_make_load_runs_a_bounded_load_without_errors(slow_project: BakedProject) -> None:
    output = slow_project.run(["make", "load", "LOAD_SECONDS=10"], timeout=300)
    assert "load gate passed" in output
    summary = _json(slow_project / "reports" / "load_summary.json")
    assert summary["failures"] == 0
    assert summary["requests"] > 100
    for report in ("load_stats.csv", "load.html", "load.json"):
        assert (slow_project / "reports" / report).is_file(), report


def test_make_load_fails_when_p95_is_over_its_limit(slow_project: BakedProject) -> None:
    with pytest.raises(AssertionError, match=r"load gate FAILED: p95 \d+ ms is above"):
        slow_project.run(["make", "load", "LOAD_SECONDS=3", "LOAD_P95_MS=0"], timeout=300)


def test_make_mutation_scores_at_least_the_committed_baseline(slow_project: BakedProject) -> None:
    output = slow_project.run(["make", "mutation"], timeout=600)
    stats = _json(slow_project / "reports" / "mutation-stats.json")
    baseline = _json(slow_project / "mutation-baseline.json")["min_score"]
    tested = stats["total"] - stats["skipped"]
    assert tested > 0, "no mutants: [tool.mutmut] no longer points at the domain"
    assert 100 * (stats["killed"] + stats["timeout"]) / tested >= baseline, output


def test_make_bench_passes_against_its_baseline_and_fails_on_a_regression(
    slow_project: BakedProject,
) -> None:
    # The gate's 20% is for a runner that does nothing else; here the other test workers share
    # both cores, and unchanged code has measured 21% slower. A twice-as-fast baseline is a 100%
    # regression, so a 50% threshold still tells the two cases apart.
    bench = ["make", "bench", "BENCH_FAIL=min:50%"]
    slow_project.run(["make", "bench-baseline"], timeout=300)
    slow_project.run(bench, timeout=300)
    assert len(_json(slow_project / "reports" / "benchmark.json")["benchmarks"]) >= 3

    # The same code against a baseline twice as fast: the gate must notice.
    (saved,) = (slow_project / ".benchmarks").glob("*/*_baseline.json")
    baseline = _json(saved)
    for benchmark in baseline["benchmarks"]:
        benchmark["stats"]["min"] /= 2
    saved.write_text(json.dumps(baseline))
    with pytest.raises(AssertionError, match="Performance has regressed"):
        slow_project.run(bench, timeout=300)


def test_make_smoke_passes_against_a_running_service(slow_project: BakedProject) -> None:
    token = re.findall(r"eyJ[\w-]+\.[\w-]+\.[\w-]+", slow_project.run(["make", "token"]))[-1]
    with serving(slow_project, ["make", "dev"]) as server:
        output = slow_project.run(
            ["make", "smoke", f"BASE_URL={server.base_url}", f"SMOKE_TOKEN={token}"],
            timeout=120,
        )
    assert "5 passed" in output


def test_make_perf_serves_every_connection_at_every_level(slow_project: BakedProject) -> None:
    if shutil.which("wrk") is None:
        pytest.skip("make perf needs wrk (Debian/Ubuntu: apt-get install wrk); .ci/run installs it")
    # About a minute: three levels of 8 s each, a fresh server and a warm-up per level.
    output = slow_project.run(["make", "perf", "PERF_SECONDS=8"], timeout=300)
    report = _json(slow_project / "reports" / "perf.json")
    assert sorted(run["connections"] for run in report["runs"]) == [50, 200, 500], output
    for run in report["runs"]:
        # What must hold on any machine; `make perf` exits non-zero too when it does not.
        assert run["requests"] > 0, run
        assert run["errors"] == run["timeouts"] == 0, run
        assert run["connections_never_served"] == 0, run
        assert run["recovery_s"] <= 1.0, run
    # The throughput budget is for a quiet 2-core machine; here other tests share the cores.
    # docs/performance.md quotes medians measured alone; misses are shown, not failed.
    if report["budget_misses"]:
        warnings.warn("make perf over budget: " + "; ".join(report["budget_misses"]), stacklevel=1)
