"""Markdown about a run and about a week of runs: the CI job summary, the bodies of alert issues
and the weekly status report."""

from __future__ import annotations

from datetime import datetime, timedelta

from tools.report.history import Record, flakiest, pass_rate

WEEK = timedelta(days=7)
LISTED = 10


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}%"


def _floor(value: float | None) -> str:
    return "-" if value is None else f"{value:g}%"


def _change(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "-"
    return f"{now - before:+.2f}"


def layer_table(record: Record, before: Record | None = None) -> str:
    """Counts, reruns and coverage per layer; with `before`, the coverage change since then."""
    header = "| layer | tests | failures | errors | skipped | reruns | seconds | coverage | floor |"
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    if before is not None:
        header, rule = header + " change |", rule + "---:|"
    rows = [header, rule]
    for name, layer in record["layers"].items():
        counts = [layer[key] for key in ("tests", "failures", "errors", "skipped", "reruns")]
        cells = [name, *map(str, counts), f"{layer['seconds']:.1f}"]
        cells += [_percent(layer["coverage"]), _floor(layer["floor"])]
        if before is not None:
            previous = before["layers"].get(name, {}).get("coverage")
            cells.append(_change(layer["coverage"], previous))
        rows.append("| " + " | ".join(cells) + " |")
    total = record["coverage"]
    cells = ["all layers", *[""] * 6, _percent(total["total"]), _floor(total["floor"])]
    if before is not None:
        cells.append(_change(total["total"], before["coverage"]["total"]))
    rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _tests(title: str, tests: list[str]) -> str:
    if not tests:
        return ""
    more = f"\n- ... and {len(tests) - LISTED} more" if len(tests) > LISTED else ""
    return f"\n\n{title}\n\n" + "\n".join(f"- `{test}`" for test in tests[:LISTED]) + more


def run_summary(record: Record) -> str:
    """This run: the layer table, failed and flaky tests (the CI job summary, issue bodies)."""
    return (
        layer_table(record)
        + _tests("Failed tests:", record["failed"])
        + _tests("Flaky tests (failed, then passed on a rerun):", record["flaky"])
    )


def _time(record: Record) -> datetime:
    return datetime.strptime(record["time"], "%Y-%m-%dT%H:%M:%S%z")


def weekly_title(now: datetime) -> str:
    return f"Test status report {now:%G-W%V}"


def weekly_report(history: list[Record], now: datetime, dashboard_url: str | None) -> str:
    """Pass rate, coverage per layer and its change over the week, flakiest and slowest tests,
    mutation score: from the published history."""
    week = [record for record in history if now - _time(record) <= WEEK]
    link = f"\n\nDashboard: {dashboard_url}" if dashboard_url else ""
    if not week:
        return f"No test run was recorded in the 7 days before {now:%Y-%m-%d}.{link}"
    latest = week[-1]
    before = next((r for r in reversed(history) if now - _time(r) > WEEK), week[0])
    rates = [rate for rate in map(pass_rate, week) if rate is not None]
    failing = sum(1 for record in week if record["failed"])
    mutation = latest["mutation"]
    mutation_text = (
        f"{mutation['score']:.1f}% (baseline {mutation['baseline']}%)"
        if mutation
        else "not measured in the latest run"
    )
    flaky = [f"{test} ({count} runs)" for test, count in flakiest(week, len(week))]
    slowest = [f"{item['test']} ({item['seconds']:.2f} s)" for item in latest["slowest"]]
    return (
        f"{len(week)} runs from {week[0]['time'][:10]} to {latest['time'][:10]}; "
        f"{failing} had failing tests.\n\n"
        f"- Pass rate: {_percent(rates[-1] if rates else None)} in the latest run, "
        f"{_percent(sum(rates) / len(rates) if rates else None)} on average\n"
        f"- Mutation score: {mutation_text}\n\n"
        f"Coverage per layer in the latest run, change since {before['time'][:10]}:\n\n"
        + layer_table(latest, before)
        + (_tests("Flakiest tests this week:", flaky) or "\n\nNo flaky test this week.")
        + _tests("Slowest tests in the latest run:", slowest)
        + link
    )
