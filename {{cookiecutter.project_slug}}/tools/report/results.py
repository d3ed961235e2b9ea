"""One run's results, read from reports/: JUnit XML per layer, coverage, benchmarks, mutation.

`make pyramid` and `make mutation` (tools/layer_reports.py) and `make report` read them through
these functions, so every number is computed one way.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import coverage
from coverage.exceptions import NoDataError

# The shape the suite aims at: most tests fast and isolated, few slow and end to end.
PYRAMID_TARGET = {"unit": 70, "integration": 20, "e2e": 10}
# Property tests are unit tests written as invariants: they count on the unit side.
PYRAMID_SIDES = {"unit": "unit", "property": "unit", "integration": "integration", "e2e": "e2e"}
# Where a missed line hurts most: domain/ holds the money and state-machine rules (and is the
# code mutation testing guards), services/ combines them with the database. Other code (wiring,
# settings, development helpers) counts once.
IMPORTANCE = {"domain": 3, "services": 2}
FLOOR = re.compile(r"^COV_FLOOR_(\w+) := (\d+(?:\.\d+)?)$", re.MULTILINE)


class MissingReportError(Exception):
    """A report `make report` cannot do without."""


@dataclass(frozen=True)
class TestCase:
    layer: str
    name: str
    seconds: float
    outcome: str  # passed | failed | error | skipped
    reruns: int = 0

    @property
    def flaky(self) -> bool:
        """Failed, then passed on a rerun (pytest-rerunfailures)."""
        return self.outcome == "passed" and self.reruns > 0


@dataclass(frozen=True)
class LayerResult:
    layer: str
    tests: int
    failures: int
    errors: int
    skipped: int
    seconds: float
    reruns: int = 0
    cases: list[TestCase] = field(default_factory=list)

    @property
    def ran(self) -> int:
        return self.tests - self.skipped

    @property
    def passed(self) -> int:
        return self.tests - self.failures - self.errors - self.skipped


@dataclass(frozen=True)
class FileGap:
    path: str
    statements: int
    missed: int
    percent: float
    under_floor: bool

    @property
    def importance(self) -> int:
        return max((IMPORTANCE.get(part, 1) for part in Path(self.path).parts), default=1)


def _outcome(element: ElementTree.Element) -> str:
    for tag, outcome in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
        if element.find(tag) is not None:
            return outcome
    return "passed"


def _suites(junit: Path) -> list[ElementTree.Element]:
    root = ElementTree.parse(junit).getroot()  # noqa: S314 (our own pytest's report)
    return [root] if root.tag == "testsuite" else list(root.iter("testsuite"))


def _name(element: ElementTree.Element) -> str:
    return f"{element.get('classname', '')}::{element.get('name', '')}"


def _suite_cases(suite: ElementTree.Element, layer: str) -> tuple[list[TestCase], int]:
    """The test cases of one <testsuite> and how many reruns it holds.

    pytest-rerunfailures reports every attempt. Older pytest nests <rerunFailure> in the final
    <testcase>; pytest >= 9 writes each earlier attempt as a <testcase> of the same name that the
    suite's `tests` does not count. Same-named test cases that `tests` does count are separate
    tests (schemathesis writes one per API operation), so extra elements are reruns only when
    they match the duplicated names exactly; otherwise the reruns are counted, not attributed.
    """
    elements = list(suite.iter("testcase"))
    groups: dict[str, list[ElementTree.Element]] = {}
    for element in elements:
        groups.setdefault(_name(element), []).append(element)
    extra = len(elements) - int(suite.get("tests", len(elements)))
    grouped_reruns = extra > 0 and extra == sum(len(group) - 1 for group in groups.values())
    cases = [
        TestCase(
            layer=layer,
            name=name,
            seconds=sum(float(element.get("time", 0)) for element in attempts),
            outcome=_outcome(attempts[-1]),
            reruns=len(attempts) - 1 + len(attempts[-1].findall("rerunFailure")),
        )
        for name, group in groups.items()
        for attempts in ([group] if grouped_reruns else [[element] for element in group])
    ]
    return cases, max(extra, 0) + sum(len(element.findall("rerunFailure")) for element in elements)


def read_junit(junit: Path, layer: str) -> LayerResult:
    """A layer's counts (as pytest wrote them) and its test cases; the last attempt of a rerun
    test is its outcome."""
    suites = _suites(junit)
    cases, reruns = [], 0
    for suite in suites:
        suite_cases, suite_reruns = _suite_cases(suite, layer)
        cases += suite_cases
        reruns += suite_reruns

    def total(attribute: str) -> int:
        return sum(int(suite.get(attribute, 0)) for suite in suites)

    return LayerResult(
        layer=layer,
        tests=total("tests"),
        failures=total("failures"),
        errors=total("errors"),
        skipped=total("skipped"),
        seconds=round(sum(float(suite.get("time", 0)) for suite in suites), 3),
        reruns=reruns,
        cases=cases,
    )


def junit_files(reports: Path) -> dict[str, Path]:
    """layer -> reports/junit-<layer>.xml."""
    return {path.stem.removeprefix("junit-"): path for path in sorted(reports.glob("junit-*.xml"))}


def read_layers(reports: Path) -> dict[str, LayerResult]:
    files = junit_files(reports)
    if not files:
        raise MissingReportError(
            f"no JUnit reports (junit-<layer>.xml) in {reports}/: run the test layers first "
            "(make test, or make check)"
        )
    return {layer: read_junit(path, layer) for layer, path in files.items()}


def counts_per_layer(reports: Path) -> dict[str, int]:
    """Tests that ran (not skipped) per layer."""
    return {layer: read_junit(path, layer).ran for layer, path in junit_files(reports).items()}


def pyramid_ratio(counts: Mapping[str, int]) -> dict[str, int]:
    """unit:integration:e2e in percent of their sum (zeros when none of them ran)."""
    sides = dict.fromkeys(PYRAMID_TARGET, 0)
    for layer, count in counts.items():
        if layer in PYRAMID_SIDES:
            sides[PYRAMID_SIDES[layer]] += count
    total = sum(sides.values())
    return {side: round(100 * count / total) if total else 0 for side, count in sides.items()}


def coverage_floors(makefile: Path) -> dict[str, float]:
    """COV_FLOOR_<layer> (and COV_FLOOR_TOTAL as "TOTAL") from the Makefile, their one home."""
    return {name: float(value) for name, value in FLOOR.findall(makefile.read_text())}


def layer_coverage(data_file: Path) -> float | None:
    """Percent of lines and branches one layer covered; None when it wrote no data."""
    if not data_file.is_file():
        return None
    data = coverage.Coverage(data_file=str(data_file))
    data.load()
    try:
        return round(data.report(file=io.StringIO()), 2)
    except NoDataError:
        return None


def _condition_counts(line: ElementTree.Element) -> tuple[int, int]:
    """(covered, total) branches of a Cobertura <line>, e.g. condition-coverage="50% (1/2)"."""
    match = re.search(r"\((\d+)/(\d+)\)", line.get("condition-coverage", ""))
    return (int(match[1]), int(match[2])) if match else (0, 0)


def _file_gaps(root: ElementTree.Element, floor: float) -> Iterator[FileGap]:
    for element in root.iter("class"):
        lines = element.findall("lines/line")
        missed = sum(line.get("hits") == "0" for line in lines)
        branches = [_condition_counts(line) for line in lines]
        covered = len(lines) - missed + sum(hit for hit, _ in branches)
        possible = len(lines) + sum(total for _, total in branches)
        percent = round(100 * covered / possible, 2) if possible else 100.0
        yield FileGap(element.get("filename", "?"), len(lines), missed, percent, percent < floor)


def coverage_gaps(coverage_xml: Path, floor: float) -> list[FileGap]:
    """Files with missed lines, most urgent first.

    Order: files under the floor first; then missed lines weighted by IMPORTANCE (a missed line
    in domain/ counts three times); then the path, so equal gaps list the same way every run.
    """
    root = ElementTree.parse(coverage_xml).getroot()  # noqa: S314 (our own coverage report)
    gaps = [gap for gap in _file_gaps(root, floor) if gap.missed]
    return sorted(
        gaps, key=lambda gap: (not gap.under_floor, -gap.missed * gap.importance, gap.path)
    )


def total_coverage(coverage_xml: Path) -> float:
    """Lines and branches of all layers together, as `make coverage` gates them."""
    root = ElementTree.parse(coverage_xml).getroot()  # noqa: S314 (our own coverage report)
    covered = int(root.get("lines-covered", 0)) + int(root.get("branches-covered", 0))
    possible = int(root.get("lines-valid", 0)) + int(root.get("branches-valid", 0))
    return round(100 * covered / possible, 2) if possible else 100.0


def benchmark_minimums(benchmark_json: Path) -> dict[str, float]:
    """Benchmark name -> fastest round in milliseconds (the statistic `make bench` gates on)."""
    if not benchmark_json.is_file():
        return {}
    benchmarks = json.loads(benchmark_json.read_text())["benchmarks"]
    return {item["name"]: round(item["stats"]["min"] * 1000, 4) for item in benchmarks}


def mutation_score(stats: Mapping[str, int]) -> float:
    """mutmut's score: killed (and timed-out) mutants in percent of those tested."""
    tested = stats["total"] - stats.get("skipped", 0)
    return 100 * (stats["killed"] + stats.get("timeout", 0)) / tested if tested else 0.0


def mutation_stats(stats_json: Path) -> dict[str, int] | None:
    """mutmut export-cicd-stats, or None when mutation testing did not run."""
    if not stats_json.is_file():
        return None
    stats: dict[str, int] = json.loads(stats_json.read_text())
    return stats
