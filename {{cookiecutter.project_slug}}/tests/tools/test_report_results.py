from __future__ import annotations

from pathlib import Path

import coverage
import pytest

from tests.tools.report_samples import write_run
from tools.report.results import (
    MissingReportError,
    benchmark_minimums,
    coverage_floors,
    coverage_gaps,
    layer_coverage,
    mutation_stats,
    read_junit,
    read_layers,
    total_coverage,
)


def test_counts_are_pytests_and_the_last_attempt_is_the_outcome(tmp_path: Path) -> None:
    reports = write_run(tmp_path)
    unit = read_junit(reports / "junit-unit.xml", "unit")
    assert (unit.tests, unit.failures, unit.errors, unit.skipped) == (5, 1, 0, 1)
    assert (unit.passed, unit.ran, unit.seconds) == (3, 4, 2.5)
    outcomes = {case.name.split("::")[1]: case.outcome for case in unit.cases}
    assert outcomes == {
        "test_flaky": "passed",
        "test_fails": "failed",
        "test_old_style_flaky": "passed",
        "test_slow": "passed",
        "test_skipped": "skipped",
    }
    assert unit.reruns == 3


def test_flaky_means_failed_then_passed_on_a_rerun(tmp_path: Path) -> None:
    unit = read_junit(write_run(tmp_path) / "junit-unit.xml", "unit")
    flaky = sorted(case.name for case in unit.cases if case.flaky)
    assert flaky == ["tests.unit.test_a::test_flaky", "tests.unit.test_a::test_old_style_flaky"]
    rerun_and_failed = next(case for case in unit.cases if case.name.endswith("test_fails"))
    assert rerun_and_failed.reruns == 1
    assert not rerun_and_failed.flaky
    assert next(case for case in unit.cases if case.flaky).seconds == pytest.approx(0.5)


def _contract_junit(tmp_path: Path, tests: int, names: list[str]) -> Path:
    junit = tmp_path / "junit-contract.xml"
    cases = "".join(f'<testcase classname="c" name="{name}" time="1"/>' for name in names)
    junit.write_text(
        f'<testsuite tests="{tests}" failures="0" errors="0" skipped="0">{cases}</testsuite>'
    )
    return junit


def test_same_named_tests_that_pytest_counts_are_not_reruns(tmp_path: Path) -> None:
    # schemathesis: one <testcase> per API operation, all with the test function's name
    contract = read_junit(_contract_junit(tmp_path, 3, ["test_api"] * 3), "contract")
    assert (len(contract.cases), contract.reruns) == (3, 0)
    assert not any(case.flaky for case in contract.cases)


def test_reruns_that_cannot_be_told_from_same_named_tests_are_counted_not_attributed(
    tmp_path: Path,
) -> None:
    contract = read_junit(_contract_junit(tmp_path, 3, ["test_api"] * 3 + ["test_other"]), "c")
    assert (len(contract.cases), contract.reruns) == (4, 1)
    assert not any(case.flaky for case in contract.cases)


def test_every_layer_is_read_and_missing_junit_is_a_clear_error(tmp_path: Path) -> None:
    layers = read_layers(write_run(tmp_path))
    assert list(layers) == ["e2e", "unit"]
    assert layers["e2e"].errors == 1
    with pytest.raises(MissingReportError, match="no JUnit reports"):
        read_layers(tmp_path / "empty")


def test_floors_come_from_the_makefile(tmp_path: Path) -> None:
    write_run(tmp_path)
    assert coverage_floors(tmp_path / "Makefile") == {"unit": 65, "e2e": 60, "TOTAL": 90}


def test_total_coverage_counts_lines_and_branches(tmp_path: Path) -> None:
    assert total_coverage(write_run(tmp_path) / "coverage.xml") == 75.0  # (15 + 3) / (20 + 4)


def test_gaps_put_files_under_the_floor_first_then_weighted_missed_lines(tmp_path: Path) -> None:
    coverage_xml = write_run(tmp_path) / "coverage.xml"
    # money.py 66.7% (1 line missed, x3), settings.py 83.3% (2, x1), orders.py 85.7% (1, x2)
    ranked = [(gap.path, gap.missed, gap.importance) for gap in coverage_gaps(coverage_xml, 0)]
    assert ranked == [
        ("src/shop/domain/money.py", 1, 3),
        ("src/shop/services/orders.py", 1, 2),  # ties with settings.py: by path
        ("src/shop/settings.py", 2, 1),
    ]
    gaps = coverage_gaps(coverage_xml, floor=85)
    assert [(gap.path, gap.under_floor) for gap in gaps] == [
        ("src/shop/domain/money.py", True),
        ("src/shop/settings.py", True),
        ("src/shop/services/orders.py", False),
    ]
    assert gaps[0].percent == pytest.approx(100 * 4 / 6, abs=0.01)  # 3 of 4 lines, 1 of 2 arcs


def test_a_layers_coverage_is_read_from_its_data_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no pyproject.toml here: coverage.py's defaults
    module = tmp_path / "module.py"
    module.write_text("a = 1\nb = 2\nif a:\n    c = 3\nelse:\n    c = 4\n")
    data = coverage.CoverageData(basename=str(tmp_path / ".coverage.unit"))
    data.add_lines({str(module): [1, 2, 3, 4]})
    data.write()
    assert layer_coverage(tmp_path / ".coverage.unit") == 80.0
    assert layer_coverage(tmp_path / ".coverage.e2e") is None


def test_optional_reports_are_none_or_empty_when_absent(tmp_path: Path) -> None:
    reports = write_run(tmp_path)
    assert benchmark_minimums(reports / "benchmark.json") == {"test_total": 1.25}
    assert mutation_stats(reports / "mutation-stats.json") == {
        "killed": 8, "survived": 2, "total": 10, "skipped": 0, "timeout": 0
    }  # fmt: skip
    assert benchmark_minimums(tmp_path / "none.json") == {}
    assert mutation_stats(tmp_path / "none.json") is None
