"""The served OpenAPI schema is exactly the committed, reviewed `openapi.json`."""

from __future__ import annotations

import difflib
import json

import pytest

from tools.openapi_snapshot import REFRESH, SNAPSHOT, operations, render, served


@pytest.mark.critical
def test_the_served_schema_matches_the_committed_snapshot() -> None:
    assert SNAPSHOT.is_file(), f"{SNAPSHOT.name} is missing: run `{REFRESH}` and commit it"
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    current = served()
    if current == committed:
        return
    removed = sorted(operations(committed) - operations(current))
    added = sorted(operations(current) - operations(committed))
    diff = "".join(
        difflib.unified_diff(
            render(committed).splitlines(keepends=True),
            render(current).splitlines(keepends=True),
            fromfile=f"{SNAPSHOT.name} (committed)",
            tofile="served by the app",
        )
    )
    pytest.fail(
        f"The API changed. If that is intended, run `{REFRESH}` and commit {SNAPSHOT.name}; "
        f"reviewers then see the change.\n"
        f"Operations removed (breaking for clients): {removed or 'none'}\n"
        f"Operations added: {added or 'none'}\n{diff}",
        pytrace=False,
    )
