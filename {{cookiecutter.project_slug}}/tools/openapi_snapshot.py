"""The committed OpenAPI snapshot (`openapi.json`): `make openapi` rewrites it from the app.

Reviewers see API changes as a diff of this file, and the contract layer fails while the served
schema and the snapshot disagree (tests/contract/test_openapi_snapshot.py). Only the API itself is
kept: `info` (title, description) is naming, not contract.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.settings import Environment, Settings

SNAPSHOT = Path(__file__).resolve().parent.parent / "openapi.json"
REFRESH = "make openapi"


def served() -> dict[str, Any]:
    # Settings as tests get them: the schema must not depend on a developer's `.env`.
    document = create_app(Settings(_env_file=None, environment=Environment.TEST)).openapi()
    return {key: value for key, value in document.items() if key != "info"}


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def operations(document: dict[str, Any]) -> set[str]:
    return {
        f"{method.upper()} {path}"
        for path, item in document.get("paths", {}).items()
        for method in item
    }


def main() -> None:
    SNAPSHOT.write_text(render(served()), encoding="utf-8")
    print(f"wrote {SNAPSHOT.name}: review its diff and commit it with the change")


if __name__ == "__main__":
    main()
