"""python -m tools.report build|fetch|summary|alerts|weekly (the Makefile's report targets)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from tools.report.alerts import LABEL, WEEKLY_LABEL, gates, plan, weekly_plan
from tools.report.dashboard import render
from tools.report.github import DryRun, GhCli, GitHub
from tools.report.history import (
    Record,
    append_record,
    build_record,
    fetch_history,
    pages_url,
    read_history,
    run_url,
)
from tools.report.results import (
    FileGap,
    MissingReportError,
    coverage_floors,
    coverage_gaps,
)
from tools.report.status import run_summary, weekly_report, weekly_title

# The file name of the history beside the dashboard, where it is published too.
HISTORY_NAME = "history.jsonl"


def _record(args: argparse.Namespace) -> Record:
    return build_record(args.reports, args.makefile, args.mutation_baseline, datetime.now(UTC))


def _gaps(args: argparse.Namespace) -> list[FileGap]:
    coverage_xml = args.reports / "coverage.xml"
    if not coverage_xml.is_file():
        return []
    return coverage_gaps(coverage_xml, coverage_floors(args.makefile).get("TOTAL", 0.0))


def _build(args: argparse.Namespace) -> int:
    record = _record(args)
    history = [*read_history(args.history), record]
    append_record(args.history, record)
    args.out.mkdir(parents=True, exist_ok=True)
    page = args.out / "index.html"
    page.write_text(render(history, _gaps(args)))
    print(f"dashboard: {page} ({len(history)} runs in {args.history})")
    return 0


def _pages(args: argparse.Namespace) -> str:
    return pages_url(args.pages_url, os.environ.get("GITHUB_REPOSITORY"))


def _fetch(args: argparse.Namespace) -> int:
    url = _pages(args) + HISTORY_NAME
    if fetch_history(url, args.history):
        print(f"history: {len(read_history(args.history))} runs from {url}")
    else:
        print(f"no history published at {url} yet: this run starts it")
    return 0


def _github(args: argparse.Namespace) -> GitHub:
    return DryRun() if args.dry_run else GhCli()


def _alerts(args: argparse.Namespace) -> int:
    results = gates(json.loads(os.environ.get("JOB_RESULTS") or "{}"))
    try:
        record: Record | None = _record(args)
    except MissingReportError:
        record = None
    workflow = os.environ.get("GITHUB_WORKFLOW", "a local run")
    context = f"{workflow} ({run_url() or 'no run URL'})"
    github = _github(args)
    github.apply(plan(results, github.open_issues(LABEL), context, record, _gaps(args)))
    return 0


def _weekly(args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    title = weekly_title(now)
    try:
        dashboard: str | None = _pages(args)
    except ValueError:  # a local run without PAGES_URL: the report links to no dashboard
        dashboard = None
    body = weekly_report(read_history(args.history), now, dashboard)
    github = _github(args)
    github.apply(weekly_plan(title, body, github.open_issues(WEEKLY_LABEL)))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.report", description=__doc__)
    parser.add_argument("--reports", type=Path, default=Path("reports"))
    parser.add_argument("--makefile", type=Path, default=Path("Makefile"))
    parser.add_argument("--mutation-baseline", type=Path, default=Path("mutation-baseline.json"))
    parser.add_argument("--history", type=Path, default=Path("reports/dashboard") / HISTORY_NAME)
    parser.add_argument("--pages-url", default="", help="the published dashboard's address")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="append to the history, write the dashboard")
    build.add_argument("--out", type=Path, default=Path("reports/dashboard"))
    commands.add_parser("fetch", help="download the published history")
    commands.add_parser("summary", help="Markdown table of this run (CI's job summary)")
    for name, text in (("alerts", "gate issues"), ("weekly", "the weekly status issue")):
        command = commands.add_parser(name, help=f"open, update or close {text} (gh)")
        command.add_argument("--dry-run", action="store_true", help="print instead of calling gh")
    args = parser.parse_args(argv)
    try:
        if args.command == "summary":
            print(run_summary(_record(args)))
            return 0
        handler = {"build": _build, "fetch": _fetch, "alerts": _alerts, "weekly": _weekly}
        return handler[args.command](args)
    except (MissingReportError, ValueError) as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
