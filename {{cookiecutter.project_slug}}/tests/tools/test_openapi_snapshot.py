"""`make openapi` writes the schema the application serves, without its naming."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.example import COLLECTION
from tools import openapi_snapshot


def test_make_openapi_writes_the_served_api_for_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(openapi_snapshot, "SNAPSHOT", tmp_path / "openapi.json")
    openapi_snapshot.main()
    written = (tmp_path / "openapi.json").read_text(encoding="utf-8")
    assert written == openapi_snapshot.render(openapi_snapshot.served())
    assert "info" not in json.loads(written)
    assert f"GET {COLLECTION}" in openapi_snapshot.operations(json.loads(written))
    assert "wrote openapi.json" in capsys.readouterr().out
