"""The static dashboard: one HTML file with inline SVG charts, no script and no external files,
so it opens from disk and from GitHub Pages alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from tools.report.charts import line_chart, pyramid, stacked_bars
from tools.report.history import Record, flakiest, pass_rate
from tools.report.results import PYRAMID_TARGET, FileGap

TREND_RUNS = 60
GAPS_SHOWN = 15
BENCHMARK_CHART = "Benchmark timings over time (fastest round)"
NOT_MEASURED = '<p class="absent">Not measured in this run.</p>'
STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:16px;color:#222}
h1{margin:0 0 4px}h2{margin-top:32px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:8px 0}th,td{padding:3px 10px;border-bottom:1px solid #eee;
text-align:right}th:first-child,td:first-child{text-align:left}.bad{color:#b00020;font-weight:600}
.absent{color:#666;font-style:italic}figure{margin:8px 0}code{font-size:12px}
.row{display:flex;flex-wrap:wrap;gap:0 32px;align-items:flex-start}
"""


def _labels(history: list[Record]) -> list[str]:
    """The runs' dates, for a trend's x axis."""
    return [run["time"][:10] for run in history]


def _row(*parts: str) -> str:
    """Side by side where the window is wide enough (a chart and its table), else stacked."""
    return '<div class="row">' + "".join(parts) + "</div>"


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    head = "".join(f'<th scope="col">{escape(header)}</th>' for header in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><caption>{escape(caption)}</caption><tr>{head}</tr>{body}</table>"


def _percent(value: float | None, floor: float | None = None) -> str:
    if value is None:
        return '<span class="absent">not measured</span>'
    text = f"{value:.2f}%"
    return f'<span class="bad">{text}</span>' if floor is not None and value < floor else text


def _tests(record: Record) -> str:
    layers = record["layers"]
    bars = {
        name: {
            "passed": layer["passed"],
            "failed": layer["failures"],
            "errors": layer["errors"],
            "skipped": layer["skipped"],
        }
        for name, layer in layers.items()
    }
    rows = [
        (
            escape(name),
            layer["tests"],
            layer["passed"],
            layer["failures"],
            layer["errors"],
            layer["skipped"],
            layer["reruns"],
            f"{layer['seconds']:.1f}",
        )
        for name, layer in layers.items()
    ]
    headers = ("layer", "tests", "passed", "failed", "errors", "skipped", "reruns", "seconds")
    chart = stacked_bars("Tests per layer by outcome", bars)
    return _row(f"<figure>{chart}</figure>", _table("Tests per layer", headers, rows))


def _pyramid(record: Record) -> str:
    shares = record["pyramid"]
    return (
        f"<figure>{pyramid('Test pyramid: share of tests per level', shares, PYRAMID_TARGET)}"
        "</figure><p>unit (with property) : integration : e2e = "
        + ":".join(str(shares[side]) for side in PYRAMID_TARGET)
        + " (target "
        + ":".join(str(share) for share in PYRAMID_TARGET.values())
        + "); dashed outlines are the target.</p>"
    )


def _coverage(history: list[Record]) -> str:
    record = history[-1]
    total = record["coverage"]
    rows = [
        (escape(name), _percent(layer["coverage"], layer["floor"]), _percent(layer["floor"]))
        for name, layer in record["layers"].items()
    ]
    rows.append(
        ("<b>all layers</b>", _percent(total["total"], total["floor"]), _percent(total["floor"]))
    )
    names = list(record["layers"])
    series: dict[str, list[float | None]] = {
        name: [run["layers"].get(name, {}).get("coverage") for run in history] for name in names
    }
    series["all layers"] = [run["coverage"]["total"] for run in history]
    chart = line_chart("Coverage per layer over time", _labels(history), series, "%")
    return _row(
        _table("Coverage (lines and branches) per layer", ("layer", "coverage", "floor"), rows),
        f"<figure>{chart}</figure>",
    )


def _gaps(gaps: Sequence[FileGap], floor: float | None) -> str:
    if not gaps:
        return (
            '<p class="absent">No missed lines, or no combined coverage report '
            "(reports/coverage.xml, written by make coverage).</p>"
        )
    rows = [
        (
            f"<code>{escape(gap.path)}</code>",
            _percent(gap.percent, floor),
            gap.missed,
            f"x{gap.importance}",
            "yes" if gap.under_floor else "",
        )
        for gap in gaps[:GAPS_SHOWN]
    ]
    return (
        "<p>Files under the overall floor first, then by missed lines weighted by how much the "
        "code matters (domain x3, services x2, the rest x1).</p>"
        + _table(
            f"The {min(len(gaps), GAPS_SHOWN)} most urgent of {len(gaps)} files with missed lines",
            ("file", "coverage", "missed lines", "weight", "under floor"),
            rows,
        )
    )


def _slow_and_flaky(history: list[Record]) -> str:
    record = history[-1]
    slowest = _table(
        "Slowest tests of this run",
        ("test", "seconds"),
        (
            (f"<code>{escape(item['test'])}</code>", f"{item['seconds']:.2f}")
            for item in record["slowest"]
        ),
    )
    flaky = flakiest(history, TREND_RUNS)
    flaky_table = (
        _table(
            f"Tests that failed, then passed on a rerun (last {TREND_RUNS} runs)",
            ("test", "flaky runs", "flaky in this run"),
            (
                (f"<code>{escape(test)}</code>", count, "yes" if test in record["flaky"] else "")
                for test, count in flaky
            ),
        )
        if flaky
        else f"<p>No flaky test in the last {min(len(history), TREND_RUNS)} runs.</p>"
    )
    return f"<h2>Slowest tests</h2>{slowest}<h2>Flaky tests</h2>{flaky_table}"


def _mutation(history: list[Record]) -> str:
    mutation = history[-1]["mutation"]
    if mutation is None:
        return NOT_MEASURED
    scores = [run["mutation"]["score"] if run["mutation"] else None for run in history]
    chart = line_chart(
        "Mutation score over time",
        _labels(history),
        {"score": scores},
        "%",
        floor=float(mutation["baseline"]),
    )
    return (
        f"<p>Score {mutation['score']:.1f}% ({mutation['killed']} of {mutation['total']} "
        f"mutants killed; baseline {mutation['baseline']}%).</p><figure>{chart}</figure>"
    )


def _benchmarks(history: list[Record]) -> str:
    timings = history[-1]["benchmarks"]
    if timings is None:
        return NOT_MEASURED
    series = {name: [(run["benchmarks"] or {}).get(name) for run in history] for name in timings}
    rows = ((f"<code>{escape(name)}</code>", f"{ms:.4g}") for name, ms in timings.items())
    chart = line_chart(BENCHMARK_CHART, _labels(history), series, " ms")
    return _row(
        _table("Fastest round per benchmark in this run", ("benchmark", "ms"), rows),
        f"<figure>{chart}</figure>",
    )


def render(history: list[Record], gaps: Sequence[FileGap]) -> str:
    """The page for the last record of `history`, with trends over the runs before it."""
    recent = history[-TREND_RUNS:]
    record = recent[-1]
    rates = [pass_rate(run) for run in recent]
    commit = escape(record["commit"] or "working copy")
    link = f'<a href="{escape(record["run"])}">run</a>' if record["run"] else "local run"
    layers, coverage = record["layers"].values(), record["coverage"]
    summary = (
        f"{sum(layer['tests'] for layer in layers)} tests, "
        f"{sum(layer['failures'] + layer['errors'] for layer in layers)} failed, "
        f"{sum(layer['skipped'] for layer in layers)} skipped; pass rate "
        f"{_percent(rates[-1])}; coverage {_percent(coverage['total'], coverage['floor'])}"
    )
    return "".join(
        [
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>Test results {escape(record['time'])}</title><style>{STYLE}</style></head>",
            f"<body><main><h1>Test results</h1><p>{escape(record['time'])}, commit "
            f"<code>{commit}</code> ({link}); {len(history)} runs in the history.</p>",
            f"<p>{summary}</p>",
            f"<h2>Tests per layer</h2>{_tests(record)}",
            f"<h2>Pyramid</h2>{_pyramid(record)}",
            "<h2>Pass rate</h2><figure>",
            line_chart(
                "Pass rate over time",
                _labels(recent),
                {"pass rate": rates},
                "%",
            ),
            f"</figure><h2>Coverage</h2>{_coverage(recent)}",
            f"<h2>Coverage gaps</h2>{_gaps(gaps, record['coverage']['floor'])}",
            _slow_and_flaky(recent),
            f"<h2>Benchmarks</h2>{_benchmarks(recent)}",
            f"<h2>Mutation score</h2>{_mutation(recent)}",
            "</main></body></html>\n",
        ]
    )
