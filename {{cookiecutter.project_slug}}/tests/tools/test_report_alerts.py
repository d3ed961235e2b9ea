from __future__ import annotations

import json
import os
import stat
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.tools.report_samples import write_run
from tools.report.__main__ import main
from tools.report.alerts import LABEL, Gate, gates, plan, weekly_plan
from tools.report.github import Action, GhCli, Issue
from tools.report.history import Record, build_record
from tools.report.results import coverage_gaps
from tools.report.status import layer_table, run_summary, weekly_report, weekly_title

NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def _record(project: Path, when: datetime = NOW) -> Record:
    return build_record(
        project / "reports", project / "Makefile", project / "mutation-baseline.json", when
    )


def test_only_jobs_that_passed_or_failed_are_gates() -> None:
    results = gates({
        "suite": {"result": "failure"}, "gates": {"result": "success"},
        "stress": {"result": "skipped"}, "coverage": {"result": "cancelled"},
    })  # fmt: skip
    assert results == [Gate("gates", failed=False), Gate("suite", failed=True)]
    assert results[1].title == "Gate failing: suite"
    assert results[1].severity == "severity: blocking"
    assert results[0].severity == "severity: informational"


def test_one_issue_per_failing_gate_never_a_duplicate(tmp_path: Path) -> None:
    write_run(tmp_path)
    record = _record(tmp_path)
    results = [Gate("suite", True), Gate("mutation", True), Gate("coverage", False)]
    first = plan(results, [], "Nightly (run 1)", record)
    assert [(action.kind, action.title, action.labels) for action in first] == [
        ("create", "Gate failing: suite", (LABEL, "severity: blocking")),
        ("create", "Gate failing: mutation", (LABEL, "severity: informational")),
    ]
    assert "`suite` failed in Nightly (run 1)." in first[0].body
    assert "- `unit: tests.unit.test_a::test_fails`" in first[0].body
    assert "Mutation score 80.0% is under the baseline 85%." in first[1].body
    open_issues = [Issue(7, "Gate failing: suite"), Issue(9, "Gate failing: coverage")]
    again = plan(results, open_issues, "Nightly (run 2)", record)
    assert [(action.kind, action.number) for action in again] == [
        ("comment", 7),
        ("create", None),
        ("close", 9),
    ]
    assert again[2].body == "Passed again in Nightly (run 2)."


def test_a_coverage_alert_lists_the_gaps_and_a_run_without_reports_says_so(
    tmp_path: Path,
) -> None:
    reports = write_run(tmp_path)
    gaps = coverage_gaps(reports / "coverage.xml", 90)
    (action,) = plan([Gate("coverage", True)], [], "CI", _record(tmp_path), gaps)
    assert "- `src/shop/domain/money.py`: 66.7%, 1 lines missed" in action.body
    (bare,) = plan([Gate("quality", True)], [], "CI", None)
    assert "No test reports reached this job" in bare.body


def test_the_summary_table_has_a_row_per_layer_and_the_total(tmp_path: Path) -> None:
    write_run(tmp_path)
    rows = run_summary(_record(tmp_path)).splitlines()
    assert rows[0].startswith("| layer | tests | failures | errors | skipped | reruns |")
    assert rows[2] == "| e2e | 2 | 0 | 1 | 0 | 0 | 9.0 | - | 60% |"
    assert rows[3] == "| unit | 5 | 1 | 0 | 1 | 3 | 2.5 | - | 65% |"
    assert rows[4] == "| all layers |  |  |  |  |  |  | 75.00% | 90% |"


def test_the_weekly_report_compares_with_the_week_before(tmp_path: Path) -> None:
    write_run(tmp_path)
    older = _record(tmp_path, datetime(2026, 11, 10, tzinfo=UTC))
    older["coverage"] = {"total": 70.0, "floor": 90.0}
    this_week = [_record(tmp_path, datetime(2026, 11, day, tzinfo=UTC)) for day in (20, 22)]
    report = weekly_report([older, *this_week], NOW, "https://example.org/dash/")
    assert report.startswith("2 runs from 2026-11-20 to 2026-11-22; 2 had failing tests.")
    assert "- Pass rate: 66.67% in the latest run, 66.67% on average" in report
    assert "- Mutation score: 80.0% (baseline 85%)" in report
    assert "change since 2026-11-10" in report
    assert "| all layers |  |  |  |  |  |  | 75.00% | 90% | +5.00 |" in report
    assert "- `unit: tests.unit.test_a::test_flaky (2 runs)`" in report
    assert "- `e2e: tests.e2e.test_b::test_journey (8.00 s)`" in report
    assert report.endswith("Dashboard: https://example.org/dash/")
    assert weekly_report([older], NOW, None).startswith("No test run was recorded")
    assert weekly_title(NOW) == "Test status report 2026-W48"
    assert "| change |" in layer_table(older, older)


def test_the_weekly_issue_replaces_last_weeks_and_a_rerun_comments() -> None:
    title = "Test status report 2026-W48"
    fresh = weekly_plan(title, "body", [Issue(3, "Test status report 2026-W47")])
    assert [(action.kind, action.number) for action in fresh] == [("close", 3), ("create", None)]
    rerun = weekly_plan(title, "body", [Issue(4, title)])
    assert [(action.kind, action.number) for action in rerun] == [("comment", 4)]


@pytest.fixture
def fake_gh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `gh` on PATH that records its arguments and input, and knows one open issue."""
    calls = tmp_path / "gh-calls.jsonl"
    gh = tmp_path / "bin" / "gh"
    gh.parent.mkdir()
    gh.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"with open({str(calls)!r}, 'a') as log:\n"
        "    log.write(json.dumps([sys.argv[1:], sys.stdin.read()]) + '\\n')\n"
        "if sys.argv[1:3] == ['issue', 'list']:\n"
        "    print(json.dumps([{'number': 5, 'title': 'Gate failing: suite'}]))\n"
    )
    gh.chmod(gh.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{gh.parent}{os.pathsep}{os.environ['PATH']}")
    return calls


def test_gh_is_called_to_list_label_comment_create_and_close(fake_gh: Path) -> None:
    github = GhCli()
    assert github.open_issues(LABEL) == [Issue(5, "Gate failing: suite")]
    github.apply([
        Action("comment", "Gate failing: suite", "still red", 5),
        Action("create", "Gate failing: load", "red", labels=(LABEL,)),
        Action("close", "Gate failing: image", "green", 6),
    ])  # fmt: skip
    calls = [json.loads(line) for line in fake_gh.read_text().splitlines()]
    assert calls[0][0][:5] == ["issue", "list", "--label", LABEL, "--state"]
    assert calls[1][0][:3] == ["label", "create", LABEL]
    assert calls[2] == [["issue", "comment", "5", "--body-file", "-"], "still red"]
    assert calls[3] == [
        ["issue", "create", "--title", "Gate failing: load", "--body-file", "-", "--label", LABEL],
        "red",
    ]
    assert calls[4][0] == ["issue", "close", "6", "--comment", "green"]


def test_a_failing_gh_call_stops_with_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gh = tmp_path / "gh"
    gh.write_text("#!/bin/sh\necho 'HTTP 401: Bad credentials' >&2\nexit 1\n")
    gh.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(RuntimeError, match="gh issue list failed: HTTP 401: Bad credentials"):
        GhCli().open_issues(LABEL)


def test_the_alert_and_weekly_commands_dry_run_without_github(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_run(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JOB_RESULTS", json.dumps({"suite": {"result": "failure"}}))
    monkeypatch.setenv("GITHUB_WORKFLOW", "Nightly")
    for name in ("GITHUB_REPOSITORY", "GITHUB_RUN_ID"):  # as on a laptop, also in CI
        monkeypatch.delenv(name, raising=False)
    assert main(["alerts", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would create issue 'Gate failing: suite' [gate-alert, severity: blocking]" in out
    assert "`suite` failed in Nightly (no run URL)." in out
    monkeypatch.setenv("JOB_RESULTS", "{}")
    assert main(["alerts", "--dry-run"]) == 0
    assert capsys.readouterr().out == "nothing to do\n"
    assert main(["weekly", "--dry-run"]) == 0
    assert "would create issue 'Test status report" in capsys.readouterr().out
    assert main(["summary"]) == 0
    assert "| unit | 5 | 1 | 0 | 1 | 3 | 2.5 |" in capsys.readouterr().out
