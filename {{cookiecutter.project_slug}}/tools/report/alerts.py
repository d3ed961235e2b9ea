"""Alerts: one GitHub issue per failing gate of a nightly or main-branch run.

A gate is a job of the workflow run (`toJSON(needs)` in JOB_RESULTS). Its issue is found by its
title among the open issues labelled `gate-alert`: a failing gate comments on its open issue or
opens one, labelled by severity; a gate that passed again closes its issue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tools.report.github import Action, Issue
from tools.report.history import Record
from tools.report.results import FileGap
from tools.report.status import run_summary

LABEL = "gate-alert"
WEEKLY_LABEL = "test-report"
# Jobs whose checks every pull request must pass (ci.yml's ci-ok and their nightly twins). The
# rest (load, mutation, benchmarks, drift, stress) inform: they block no merge.
BLOCKING = frozenset(
    {
        "quality",
        "tests",
        "tools",
        "suite",
        "coverage",
        "security",
        "image",
        "terraform",
        "observability",
    }
)
GAPS_LISTED = 10


@dataclass(frozen=True)
class Gate:
    name: str
    failed: bool

    @property
    def title(self) -> str:
        return f"Gate failing: {self.name}"

    @property
    def severity(self) -> str:
        return "severity: blocking" if self.name in BLOCKING else "severity: informational"


def gates(job_results: Mapping[str, Mapping[str, Any]]) -> list[Gate]:
    """The jobs that passed or failed (skipped and cancelled ones say nothing)."""
    return [
        Gate(name, job["result"] == "failure")
        for name, job in sorted(job_results.items())
        if job.get("result") in {"success", "failure"}
    ]


def _details(gate: Gate, record: Record | None, gaps: Sequence[FileGap]) -> str:
    if record is None:
        return "No test reports reached this job; the run's log has the details."
    text = run_summary(record)
    if gate.name == "coverage" and gaps:
        text += "\n\nLargest coverage gaps (under the floor first):\n\n" + "\n".join(
            f"- `{gap.path}`: {gap.percent:.1f}%, {gap.missed} lines missed"
            for gap in gaps[:GAPS_LISTED]
        )
    mutation = record["mutation"]
    if mutation and mutation["score"] < mutation["baseline"]:
        text += (
            f"\n\nMutation score {mutation['score']:.1f}% is under the baseline "
            f"{mutation['baseline']}%."
        )
    return text


def plan(
    results: Sequence[Gate],
    open_issues: Sequence[Issue],
    context: str,
    record: Record | None,
    gaps: Sequence[FileGap] = (),
) -> list[Action]:
    """Create, comment on or close issues so there is exactly one open issue per failing gate.

    `context` names the workflow run (with its URL) in every text written.
    """
    existing = {issue.title: issue for issue in open_issues}
    actions = []
    for gate in results:
        issue = existing.get(gate.title)
        if gate.failed:
            body = f"`{gate.name}` failed in {context}.\n\n{_details(gate, record, gaps)}"
            if issue:
                actions.append(Action("comment", gate.title, body, issue.number))
            else:
                actions.append(Action("create", gate.title, body, labels=(LABEL, gate.severity)))
        elif issue:
            actions.append(Action("close", gate.title, f"Passed again in {context}.", issue.number))
    return actions


def weekly_plan(title: str, body: str, open_reports: Sequence[Issue]) -> list[Action]:
    """Post this week's report (a rerun comments on it); close the earlier weeks' reports."""
    current = next((issue for issue in open_reports if issue.title == title), None)
    actions = [
        Action("close", issue.title, f"Superseded by {title!r}.", issue.number)
        for issue in open_reports
        if issue.title != title
    ]
    if current:
        return [*actions, Action("comment", title, body, current.number)]
    return [*actions, Action("create", title, body, labels=(WEEKLY_LABEL,))]
