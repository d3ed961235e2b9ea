"""Small reports of a made-up run, written the way pytest, coverage.py, pytest-benchmark and
mutmut write them, for the tests of tools/report."""

from __future__ import annotations

import json
from pathlib import Path

# pytest >= 9 writes each rerun attempt as its own <testcase>; older versions nest <rerunFailure>.
UNIT_JUNIT = """<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">
<testsuite name="pytest" errors="0" failures="1" skipped="1" tests="5" time="2.5">
<testcase classname="tests.unit.test_a" name="test_flaky" time="0.30"/>
<testcase classname="tests.unit.test_a" name="test_flaky" time="0.20"/>
<testcase classname="tests.unit.test_a" name="test_fails" time="0.01"/>
<testcase classname="tests.unit.test_a" name="test_fails" time="0.01"><failure message="no"/>
</testcase>
<testcase classname="tests.unit.test_a" name="test_old_style_flaky" time="0.10">
<rerunFailure message="first try"/></testcase>
<testcase classname="tests.unit.test_a" name="test_slow" time="1.50"/>
<testcase classname="tests.unit.test_a" name="test_skipped" time="0.00"><skipped/></testcase>
</testsuite></testsuites>"""
E2E_JUNIT = """<testsuite name="pytest" errors="1" failures="0" skipped="0" tests="2" time="9.0">
<testcase classname="tests.e2e.test_b" name="test_journey" time="8.00"/>
<testcase classname="tests.e2e.test_b" name="test_broken" time="0.50"><error message="x"/>
</testcase></testsuite>"""
COVERAGE_XML = """<?xml version="1.0" ?>
<coverage lines-valid="20" lines-covered="15" branches-valid="4" branches-covered="3">
<packages><package name="src.shop"><classes>
<class filename="src/shop/domain/money.py"><lines><line number="1" hits="1"/>
<line number="2" hits="0"/><line number="3" hits="1" branch="true" condition-coverage="50% (1/2)"/>
<line number="4" hits="1"/></lines></class>
<class filename="src/shop/settings.py"><lines><line number="1" hits="0"/><line number="2" hits="0"/>
<line number="3" hits="1"/><line number="4" hits="1"/><line number="5" hits="1"/>
<line number="6" hits="1"/><line number="7" hits="1"/><line number="8" hits="1"/>
<line number="9" hits="1"/><line number="10" hits="1"/><line number="11" hits="1"/>
<line number="12" hits="1"/></lines></class>
<class filename="src/shop/services/orders.py"><lines><line number="1" hits="0"/>
<line number="2" hits="1"/><line number="3" hits="1"/><line number="4" hits="1"/>
<line number="5" hits="1" branch="true" condition-coverage="100% (2/2)"/></lines></class>
<class filename="src/shop/main.py"><lines><line number="1" hits="1"/></lines></class>
</classes></package></packages></coverage>"""
MAKEFILE = "COV_FLOOR_unit := 65\nCOV_FLOOR_e2e := 60\nCOV_FLOOR_TOTAL := 90\n"
BENCHMARKS = {"benchmarks": [{"name": "test_total", "stats": {"min": 0.00125, "mean": 0.002}}]}
MUTATION = {"killed": 8, "survived": 2, "total": 10, "skipped": 0, "timeout": 0}


def write_run(project: Path, *, optional: bool = True) -> Path:
    """A project folder with a Makefile, a mutation baseline and reports/; returns reports/."""
    reports = project / "reports"
    reports.mkdir(parents=True)
    (project / "Makefile").write_text(MAKEFILE)
    (project / "mutation-baseline.json").write_text(json.dumps({"min_score": 85}))
    (reports / "junit-unit.xml").write_text(UNIT_JUNIT)
    (reports / "junit-e2e.xml").write_text(E2E_JUNIT)
    (reports / "coverage.xml").write_text(COVERAGE_XML)
    if optional:
        (reports / "benchmark.json").write_text(json.dumps(BENCHMARKS))
        (reports / "mutation-stats.json").write_text(json.dumps(MUTATION))
    return reports
