"""`make load` against a deployment needs a token that deployment accepts."""

from __future__ import annotations

import pytest

from tools.load.__main__ import main


def test_a_base_url_without_a_load_token_is_refused_before_any_load(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BASE_URL", "http://127.0.0.1:9")
    monkeypatch.delenv("LOAD_TOKEN", raising=False)
    assert main() == 2
    assert "also set LOAD_TOKEN" in capsys.readouterr().out
