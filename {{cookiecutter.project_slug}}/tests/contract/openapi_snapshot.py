"""The committed OpenAPI snapshot (`openapi.json`): `make openapi` rewrites it from the app.

Reviewers see API changes as a diff of this file, and the contract layer fails while the served
schema and the snapshot disagree. Only the API itself is kept: `info` (title, description) is
naming, not contract.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from {{ cookiecutter.package_name }}.main import create_app

from tests.conftest import make_settings

SNAPSHOT = Path(__file__).resolve().parents[2] / "openapi.json"
REFRESH = "make openapi"


def served() -> dict[str, Any]:
    document = create_app(make_settings()).openapi()
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
