"""Slow tier: `make report` turns the baked project's own run into a history line with that run's
numbers and a dashboard that a real browser renders; the published history is fetched and
extended; the alert and weekly-report targets print the issues they would post."""

from __future__ import annotations

import json
import re
import shutil
import threading
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.baking import BakedProject, run
from tests.png import read_png

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("slow")]

LAYERS = ("unit", "property", "integration", "e2e", "contract", "security")
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# tools/report/charts.py: the bars of passed tests, the first line of a trend.
CHART_COLOURS = {bytes.fromhex("2ca02c"), bytes.fromhex("1f77b4")}


def _suite_counts(junit: Path) -> dict[str, int]:
    root = ElementTree.parse(junit).getroot()  # noqa: S314 (the baked project's pytest wrote it)
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    return {
        key: sum(int(suite.get(key, 0)) for suite in suites)
        for key in ("tests", "failures", "errors", "skipped")
    }


def _coverage_total(project: BakedProject, data_file: str) -> float:
    command = ["uv", "run", "coverage", "report", "--format=total", "--precision=2"]
    return float(project.run([*command, f"--data-file={data_file}"]).split()[-1])


def _history(project: BakedProject) -> list[dict[str, Any]]:
    text = (project / "reports" / "dashboard" / "history.jsonl").read_text()
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def reported(slow_project: BakedProject) -> BakedProject:
    """The slow project after its run (test_slow.py's make check, else the layers run here)."""
    reports = slow_project / "reports"
    needed = [reports / f"junit-{layer}.xml" for layer in LAYERS] + [reports / "coverage.xml"]
    if not all(path.is_file() for path in needed):
        slow_project.run(["make", "test", "coverage"], timeout=900)
    shutil.rmtree(reports / "dashboard", ignore_errors=True)
    slow_project.run(["make", "report"], timeout=300)
    return slow_project


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log on the test's output."""


@pytest.fixture
def published(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served on loopback, standing in for the GitHub Pages site: (folder, URL)."""
    handler = partial(_QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_the_history_record_has_the_numbers_of_the_junit_and_coverage_files(
    reported: BakedProject,
) -> None:
    reports = reported / "reports"
    (record,) = _history(reported)
    junit_layers = {path.stem.removeprefix("junit-") for path in reports.glob("junit-*.xml")}
    assert set(record["layers"]) == junit_layers >= set(LAYERS)
    for layer in junit_layers:
        expected = _suite_counts(reports / f"junit-{layer}.xml")
        assert {key: record["layers"][layer][key] for key in expected} == expected, layer
        data = reports / f".coverage.{layer}"
        if data.is_file():
            measured = _coverage_total(reported, str(data.relative_to(reported.path)))
            assert record["layers"][layer]["coverage"] == pytest.approx(measured, abs=0.01), layer
    assert record["coverage"]["total"] == pytest.approx(
        _coverage_total(reported, ".coverage"), abs=0.01
    )
    makefile = (reported / "Makefile").read_text()
    assert f"COV_FLOOR_TOTAL := {record['coverage']['floor']:g}" in makefile
    assert (record["benchmarks"] is None) != (reports / "benchmark.json").is_file()
    assert (record["mutation"] is None) != (reports / "mutation-stats.json").is_file()
    page = (reports / "dashboard" / "index.html").read_text()
    assert f"{sum(layer['tests'] for layer in record['layers'].values())} tests" in page
    assert "<script" not in page


def test_the_published_history_is_extended_and_the_issue_targets_dry_run(
    reported: BakedProject, published: tuple[Path, str]
) -> None:
    site, url = published
    (last_night,) = _history(reported)
    week_ago = datetime.now(UTC) - timedelta(days=8)
    last_night["time"] = week_ago.strftime("%Y-%m-%dT%H:%M:%SZ")
    (site / "history.jsonl").write_text(json.dumps(last_night) + "\n")
    shutil.rmtree(reported / "reports" / "dashboard")
    assert "history: 1 runs" in reported.run(["make", "report-fetch", f"PAGES_URL={url}"])
    reported.run(["make", "report"], timeout=300)
    history = _history(reported)
    assert [record["time"] for record in history][:1] == [last_night["time"]]
    assert len(history) == 2

    weekly = reported.run(["make", "weekly-report", "DRY_RUN=1", f"PAGES_URL={url}"])
    assert re.search(r"would create issue 'Test status report \d{4}-W\d\d' \[test-report\]", weekly)
    assert f"change since {last_night['time'][:10]}" in weekly
    assert f"Dashboard: {url}" in weekly

    results = json.dumps({"suite": {"result": "failure"}, "coverage": {"result": "success"}})
    alerts = reported.run(["make", "alert-issues", "DRY_RUN=1", f"JOB_RESULTS={results}"])
    assert "would create issue 'Gate failing: suite' [gate-alert, severity: blocking]" in alerts
    unit = history[-1]["layers"]["unit"]
    assert f"| unit | {unit['tests']} | {unit['failures']} |" in alerts
    assert "Gate failing: coverage" not in alerts  # passed, and no issue is open to close


def test_a_headless_browser_renders_the_dashboards_charts(
    reported: BakedProject, tmp_path: Path
) -> None:
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        pytest.skip(
            "no Chromium on PATH (Debian: apt-get install chromium; .ci/run installs it): "
            "the dashboard was written and checked as HTML, but not rendered"
        )
    page = (reported / "reports" / "dashboard" / "index.html").as_uri()
    command = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-extensions", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1280,2400",
    ]  # fmt: skip
    screenshot = tmp_path / "dashboard.png"
    for extra in ([f"--screenshot={screenshot}"], ["--dump-dom"]):
        result = run([*command, *extra, page], tmp_path, timeout=120).ok()
    dom = result.stdout
    record = _history(reported)[-1]
    charts = 4 + (record["benchmarks"] is not None) + (record["mutation"] is not None)
    assert dom.count("<svg") == charts, dom[:2000]
    assert dom.count('role="img"') == charts
    assert "Coverage per layer over time" in dom

    image = read_png(screenshot)
    assert (image.width, image.height) == (1280, 2400)
    assert screenshot.stat().st_size > 20_000
    colours = image.colours()
    assert len(colours) > 20, "the screenshot is (nearly) blank"
    assert colours >= CHART_COLOURS, "the charts' colours are not on the screenshot"
    print(f"dashboard screenshot: {screenshot.stat().st_size} bytes, {len(colours)} colours")
