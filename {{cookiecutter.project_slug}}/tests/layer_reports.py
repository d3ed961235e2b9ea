"""Numbers `make check` and `make mutation` print and gate on, read from the layers' reports.

python -m tests.layer_reports pyramid reports/
python -m tests.layer_reports mutation mutants/mutmut-cicd-stats.json mutation-baseline.json
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from pathlib import Path

# The shape the suite aims at: most tests fast and isolated, few slow and end to end.
TARGET = {"unit": 70, "integration": 20, "e2e": 10}
# Property tests are unit tests written as invariants: they count on the unit side.
PYRAMID_LAYERS = {"unit": "unit", "property": "unit", "integration": "integration", "e2e": "e2e"}


def counts_per_layer(reports: Path) -> dict[str, int]:
    """Tests that ran (not skipped) per layer, from reports/junit-<layer>.xml."""
    counts = {}
    for junit in sorted(reports.glob("junit-*.xml")):
        root = ElementTree.parse(junit).getroot()  # noqa: S314 (our own pytest's report)
        suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
        ran = sum(int(suite.get("tests", 0)) - int(suite.get("skipped", 0)) for suite in suites)
        counts[junit.stem.removeprefix("junit-")] = ran
    return counts


def pyramid_ratio(counts: Mapping[str, int]) -> dict[str, int]:
    """unit:integration:e2e in percent of their sum (zeros when none of them ran)."""
    sides = dict.fromkeys(TARGET, 0)
    for layer, count in counts.items():
        if layer in PYRAMID_LAYERS:
            sides[PYRAMID_LAYERS[layer]] += count
    total = sum(sides.values())
    return {side: round(100 * count / total) if total else 0 for side, count in sides.items()}


def _pyramid(reports: Path) -> int:
    counts = counts_per_layer(reports)
    if not counts:
        print(f"no JUnit reports in {reports}/: run the test layers first")
        return 1
    print("Tests per layer:")
    for layer, count in counts.items():
        print(f"  {layer:<12} {count:>5}")
    ratio, target = pyramid_ratio(counts), ":".join(str(share) for share in TARGET.values())
    shares = ":".join(str(share) for share in ratio.values())
    print(f"Pyramid unit:integration:e2e = {shares} (target {target})")
    return 0


def mutation_score(stats: Mapping[str, int]) -> float:
    """mutmut's score: killed (and timed-out) mutants in percent of those tested."""
    tested = stats["total"] - stats.get("skipped", 0)
    return 100 * (stats["killed"] + stats.get("timeout", 0)) / tested if tested else 0.0


def _mutation(stats_file: Path, baseline_file: Path) -> int:
    stats = json.loads(stats_file.read_text())
    baseline = float(json.loads(baseline_file.read_text())["min_score"])
    score = mutation_score(stats)
    print(
        f"mutation score {score:.1f}% ({stats['killed']} killed, {stats['survived']} survived, "
        f"{stats.get('no_tests', 0)} without tests, of {stats['total']}); baseline {baseline:.1f}%"
    )
    if stats["total"] == 0:
        print("no mutants were generated: check [tool.mutmut] in pyproject.toml")
        return 1
    if score < baseline:
        print(
            "below the baseline: `uv run mutmut results` lists the survivors and "
            "`uv run mutmut show <name>` shows one; kill them with tests"
        )
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("pyramid").add_argument("reports", type=Path)
    mutation = commands.add_parser("mutation")
    mutation.add_argument("stats", type=Path)
    mutation.add_argument("baseline", type=Path)
    args = parser.parse_args(argv)
    if args.command == "pyramid":
        return _pyramid(args.reports)
    return _mutation(args.stats, args.baseline)


if __name__ == "__main__":
    sys.exit(main())
