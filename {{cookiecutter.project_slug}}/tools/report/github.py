"""Every call to GitHub, through the `gh` CLI (the workflow passes GH_TOKEN), and its dry run.

The rest of the package only plans actions (`Action`), so it is tested without GitHub.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

# name -> (colour, description); created on first use, updated on later runs (--force).
LABELS = {
    "gate-alert": ("b60205", "A gate of a nightly or main-branch run is failing"),
    "severity: blocking": ("b60205", "A gate every pull request must pass"),
    "severity: informational": ("fbca04", "A nightly-only gate: look at it, it blocks nothing"),
    "test-report": ("0e8a16", "The weekly test status report"),
}


@dataclass(frozen=True)
class Issue:
    number: int
    title: str


@dataclass(frozen=True)
class Action:
    kind: Literal["create", "comment", "close"]
    title: str
    body: str
    number: int | None = None
    labels: tuple[str, ...] = field(default=())


class GitHub(Protocol):
    def open_issues(self, label: str) -> list[Issue]: ...

    def apply(self, actions: Sequence[Action]) -> None: ...


class GhCli:
    """The real thing: `gh issue ...` in the repository of the working copy (or GH_REPO)."""

    def _gh(self, *arguments: str, stdin: str | None = None) -> str:
        result = subprocess.run(
            ["gh", *arguments], input=stdin, capture_output=True, text=True, check=False
        )
        if result.returncode:
            raise RuntimeError(f"gh {' '.join(arguments[:2])} failed: {result.stderr.strip()}")
        return result.stdout

    def open_issues(self, label: str) -> list[Issue]:
        listed = self._gh(
            "issue", "list", "--label", label, "--state", "open", "--limit", "200",
            "--json", "number,title",
        )  # fmt: skip
        return [Issue(item["number"], item["title"]) for item in json.loads(listed)]

    def apply(self, actions: Sequence[Action]) -> None:
        for name in sorted({label for action in actions for label in action.labels}):
            colour, description = LABELS[name]
            self._gh("label", "create", name, "--color", colour, "--description", description,
                     "--force")  # fmt: skip
        for action in actions:
            if action.kind == "create":
                labels = [argument for label in action.labels for argument in ("--label", label)]
                self._gh("issue", "create", "--title", action.title, "--body-file", "-", *labels,
                         stdin=action.body)  # fmt: skip
            elif action.kind == "comment":
                self._gh("issue", "comment", str(action.number), "--body-file", "-",
                         stdin=action.body)  # fmt: skip
            else:
                self._gh("issue", "close", str(action.number), "--comment", action.body)


class DryRun:
    """Prints what it would do; knows of no open issue."""

    def open_issues(self, label: str) -> list[Issue]:
        return []

    def apply(self, actions: Sequence[Action]) -> None:
        for action in actions:
            target = f"#{action.number}" if action.number else f"[{', '.join(action.labels)}]"
            print(f"would {action.kind} issue {action.title!r} {target}\n{action.body}\n")
        if not actions:
            print("nothing to do")
