"""Numbers `make check` and `make mutation` print and gate on, read from the layers' reports.

python -m tools.layer_reports pyramid reports/
python -m tools.layer_reports mutation mutants/mutmut-cicd-stats.json mutation-baseline.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tools.report.results import PYRAMID_TARGET, counts_per_layer, mutation_score, pyramid_ratio


def _pyramid(reports: Path) -> int:
    counts = counts_per_layer(reports)
    if not counts:
        print(f"no JUnit reports in {reports}/: run the test layers first")
        return 1
    print("Tests per layer:")
    for layer, count in counts.items():
        print(f"  {layer:<12} {count:>5}")
    ratio, target = pyramid_ratio(counts), ":".join(str(share) for share in PYRAMID_TARGET.values())
    shares = ":".join(str(share) for share in ratio.values())
    print(f"Pyramid unit:integration:e2e = {shares} (target {target})")
    return 0


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
