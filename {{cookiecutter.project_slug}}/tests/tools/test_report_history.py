from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest

from tests.loopback_http import loopback_http
from tests.tools.report_samples import write_run
from tools.report.__main__ import main
from tools.report.charts import line_chart, pyramid, stacked_bars
from tools.report.dashboard import render
from tools.report.history import (
    Record,
    append_record,
    build_record,
    fetch_history,
    flakiest,
    pages_url,
    pass_rate,
    read_history,
)
from tools.report.results import coverage_gaps

NOW = datetime(2026, 11, 23, 3, 40, tzinfo=UTC)


def _record(project: Path) -> Record:
    return build_record(
        project / "reports", project / "Makefile", project / "mutation-baseline.json", NOW
    )


def test_a_record_holds_the_runs_numbers(tmp_path: Path) -> None:
    write_run(tmp_path)
    record = _record(tmp_path)
    assert record["time"] == "2026-11-23T03:40:00Z"
    assert record["layers"] == {
        "e2e": {"tests": 2, "passed": 1, "failures": 0, "errors": 1, "skipped": 0, "reruns": 0,
                "seconds": 9.0, "coverage": None, "floor": 60.0},
        "unit": {"tests": 5, "passed": 3, "failures": 1, "errors": 0, "skipped": 1, "reruns": 3,
                 "seconds": 2.5, "coverage": None, "floor": 65.0},
    }  # fmt: skip
    assert record["coverage"] == {"total": 75.0, "floor": 90.0}
    assert record["pyramid"] == {"unit": 67, "integration": 0, "e2e": 33}
    assert record["slowest"][0] == {"test": "e2e: tests.e2e.test_b::test_journey", "seconds": 8.0}
    assert record["flaky"] == [
        "unit: tests.unit.test_a::test_flaky",
        "unit: tests.unit.test_a::test_old_style_flaky",
    ]
    assert record["failed"] == [
        "e2e: tests.e2e.test_b::test_broken",
        "unit: tests.unit.test_a::test_fails",
    ]
    assert record["benchmarks"] == {"test_total": 1.25}
    assert record["mutation"] == {
        "score": 80.0, "killed": 8, "survived": 2, "total": 10, "baseline": 85
    }  # fmt: skip


def test_a_test_reported_once_per_api_operation_is_one_slow_test(tmp_path: Path) -> None:
    reports = write_run(tmp_path)
    operations = "".join(
        f'<testcase classname="c" name="test_api" time="{seconds}"><failure/></testcase>'
        for seconds in (3, 4)
    )
    (reports / "junit-contract.xml").write_text(
        f'<testsuite tests="2" failures="2" errors="0" skipped="0">{operations}</testsuite>'
    )
    record = _record(tmp_path)
    assert record["slowest"][0] == {"test": "e2e: tests.e2e.test_b::test_journey", "seconds": 8.0}
    assert record["slowest"][1] == {"test": "contract: c::test_api", "seconds": 7.0}
    assert record["failed"].count("contract: c::test_api") == 1


def test_in_github_actions_the_record_names_the_commit_and_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_run(tmp_path)
    environment = {
        "GITHUB_SHA": "c0ffee" * 7,  # a low-entropy stand-in, so the secret scan stays quiet
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "acme/shop",
        "GITHUB_RUN_ID": "42",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    record = _record(tmp_path)
    assert record["commit"] == "c0ffeec0ffee"
    assert record["run"] == "https://github.com/acme/shop/actions/runs/42"
    assert 'href="https://github.com/acme/shop/actions/runs/42"' in render([record], [])


def test_history_appends_one_json_line_per_run(tmp_path: Path) -> None:
    history = tmp_path / "dashboard" / "history.jsonl"
    assert read_history(history) == []
    append_record(history, {"run": 1})
    append_record(history, {"run": 2})
    assert history.read_text().splitlines() == ['{"run":1}', '{"run":2}']
    assert read_history(history) == [{"run": 1}, {"run": 2}]


def test_pass_rate_and_flakiest_over_runs(tmp_path: Path) -> None:
    write_run(tmp_path)
    record = _record(tmp_path)
    assert pass_rate(record) == 66.67  # 4 of 6 tests that ran passed
    older = {**record, "flaky": ["unit: tests.unit.test_a::test_flaky"]}
    assert flakiest([older, record], runs=2)[0] == ("unit: tests.unit.test_a::test_flaky", 2)
    assert flakiest([older, record], runs=1)[0][1] == 1


def _svg_root(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 (our own output)


def test_charts_are_valid_accessible_svg() -> None:
    charts = [
        line_chart("Coverage", ["11-22", "11-23"], {"unit": [70.0, 71.5], "e2e": [None, 60]}, "%",
                   floor=65),
        line_chart("One run", ["11-23"], {"score": [80.0]}, "%"),
        stacked_bars("Tests", {"unit": {"passed": 3, "failed": 1, "errors": 0, "skipped": 1}}),
        pyramid("Pyramid", {"unit": 80, "integration": 15, "e2e": 5},
                {"unit": 70, "integration": 20, "e2e": 10}),
    ]  # fmt: skip
    namespace = "{http://www.w3.org/2000/svg}"
    for svg in charts:
        root = _svg_root(svg)
        assert root.get("role") == "img"
        title, description = root.find(f"{namespace}title"), root.find(f"{namespace}desc")
        assert title is not None
        assert description is not None
        assert root.get("aria-labelledby") == f"{title.get('id')} {description.get('id')}"
    first = _svg_root(charts[0])
    assert len(first.findall(f"{namespace}polyline")) == 1  # e2e has one point: no line
    assert len(first.findall(f"{namespace}circle")) == 3
    assert "latest: unit 71.5%, e2e 60%" in (first.findtext(f"{namespace}desc") or "")


def test_the_dashboard_shows_the_run_its_trends_and_what_was_not_measured(tmp_path: Path) -> None:
    reports = write_run(tmp_path)
    record = _record(tmp_path)
    gaps = coverage_gaps(reports / "coverage.xml", 90)
    page = render([record, record], gaps)
    assert page.count("<svg") == 6  # outcomes, pyramid, pass rate, coverage, benchmarks, mutation
    # Nothing to load: no script, stylesheet, image, frame or CSS url().
    assert not re.search(r"<(script|link|img|iframe)\b|\bsrc=|url\(", page)
    assert "src/shop/domain/money.py" in page
    assert "tests.unit.test_a::test_flaky" in page
    assert "Not measured in this run" not in page
    unmeasured = render([{**record, "benchmarks": None, "mutation": None}], [])
    assert unmeasured.count("Not measured in this run") == 2
    assert "no combined coverage report" in unmeasured


def test_make_report_appends_and_writes_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_run(tmp_path, optional=False)
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        assert main(["build"]) == 0
    assert "2 runs in reports/dashboard/history.jsonl" in capsys.readouterr().out
    assert len(read_history(tmp_path / "reports" / "dashboard" / "history.jsonl")) == 2
    assert "Not measured in this run" in (tmp_path / "reports/dashboard/index.html").read_text()
    assert main(["--reports", "elsewhere", "build"]) == 1
    assert "no JUnit reports (junit-<layer>.xml) in elsewhere/" in capsys.readouterr().err


@pytest.fixture
def published(tmp_path: Path) -> Iterator[str]:
    """A loopback web server for a folder: the published dashboard."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "history.jsonl").write_text(json.dumps({"run": 1}) + "\n")
    with loopback_http(partial(SimpleHTTPRequestHandler, directory=str(site))) as url:
        yield url


def test_the_published_history_is_fetched_and_a_first_run_starts_one(
    tmp_path: Path, published: str, capsys: pytest.CaptureFixture[str]
) -> None:
    history = tmp_path / "reports" / "history.jsonl"
    assert main(["--history", str(history), "--pages-url", published, "fetch"]) == 0
    assert read_history(history) == [{"run": 1}]
    assert f"history: 1 runs from {published}/history.jsonl" in capsys.readouterr().out
    assert not fetch_history(f"{published}/nothing-yet.jsonl", tmp_path / "other.jsonl")
    assert not (tmp_path / "other.jsonl").exists()
    with pytest.raises(ValueError, match="not an http"):
        fetch_history("file:///etc/passwd", history)


def test_the_pages_address_is_given_or_github_pages_of_the_repository() -> None:
    assert (
        pages_url("https://reports.example.org/shop", None) == "https://reports.example.org/shop/"
    )
    assert pages_url("", "Acme/shop-service") == "https://acme.github.io/shop-service/"
    with pytest.raises(ValueError, match="set PAGES_URL"):
        pages_url("", None)
