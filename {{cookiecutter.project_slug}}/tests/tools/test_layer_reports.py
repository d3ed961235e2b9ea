"""`make pyramid` and `make mutation`: tests per layer, the ratio and the mutation gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.layer_reports import main
from tools.report.results import counts_per_layer, mutation_score, pyramid_ratio


def _junit(reports: Path, layer: str, tests: int, skipped: int = 0) -> None:
    reports.mkdir(exist_ok=True)
    (reports / f"junit-{layer}.xml").write_text(
        f'<testsuites><testsuite name="pytest" tests="{tests}" skipped="{skipped}" '
        f'failures="0" errors="0"/></testsuites>'
    )


def test_tests_that_ran_are_counted_per_layer(tmp_path: Path) -> None:
    _junit(tmp_path, "unit", 30, skipped=2)
    _junit(tmp_path, "e2e", 4)
    assert counts_per_layer(tmp_path) == {"e2e": 4, "unit": 28}


def test_the_ratio_counts_property_tests_as_unit_and_ignores_other_layers() -> None:
    counts = {"unit": 50, "property": 20, "integration": 20, "e2e": 10, "contract": 99}
    assert pyramid_ratio(counts) == {"unit": 70, "integration": 20, "e2e": 10}
    assert pyramid_ratio({"security": 3}) == {"unit": 0, "integration": 0, "e2e": 0}


def test_the_pyramid_is_printed_with_its_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _junit(tmp_path, "unit", 6)
    _junit(tmp_path, "integration", 3)
    _junit(tmp_path, "e2e", 1)
    assert main(["pyramid", str(tmp_path)]) == 0
    assert "unit:integration:e2e = 60:30:10 (target 70:20:10)" in capsys.readouterr().out
    assert main(["pyramid", str(tmp_path / "nothing")]) == 1


def test_the_mutation_score_is_mutmuts() -> None:
    stats = {"killed": 6, "timeout": 2, "survived": 2, "total": 12, "skipped": 2}
    assert mutation_score(stats) == 80.0
    assert mutation_score({"killed": 0, "survived": 0, "total": 0}) == 0.0


@pytest.mark.parametrize(("killed", "passes"), [(8, True), (7, False)])
def test_the_mutation_gate_fails_under_the_baseline(
    tmp_path: Path, killed: int, passes: bool
) -> None:
    stats = tmp_path / "stats.json"
    stats.write_text(json.dumps({"killed": killed, "survived": 10 - killed, "total": 10}))
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"min_score": 80}))
    assert (main(["mutation", str(stats), str(baseline)]) == 0) is passes


def test_no_mutants_at_all_fails_the_gate(tmp_path: Path) -> None:
    stats = tmp_path / "stats.json"
    stats.write_text(json.dumps({"killed": 0, "survived": 0, "total": 0}))
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"min_score": 0}))
    assert main(["mutation", str(stats), str(baseline)]) == 1
