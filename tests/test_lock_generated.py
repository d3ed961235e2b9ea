"""scripts/lock_generated.py: its options, and a whole run (bake, lock, store) with a stand-in
for uv that records how it was called, so no network is needed. The real relock runs weekly in
.github/workflows/relock.yml."""

from __future__ import annotations

import importlib.util
import os
import stat
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.baking import TEMPLATE, choices

SCRIPT = TEMPLATE / "scripts" / "lock_generated.py"
CHOICES = TEMPLATE / "{{cookiecutter.project_slug}}" / "_choices"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lock_generated", SCRIPT)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lock_generated = _script()

LOCK = """version = 1
requires-python = ">=3.12"

[[package]]
name = "{{{{ cookiecutter.project_slug }}}}"
version = "0.1.0"
source = {{ editable = "." }}

[[package]]
name = "fastapi"
version = "{fastapi}"
source = {{ registry = "https://pypi.org/simple" }}
{extra}"""


# Appends its arguments and UV_LOCKED to CALLS and moves fastapi to 999.0 in the project's uv.lock.
FAKE_UV = r"""
import os, pathlib, re, sys
with open(CALLS, "a") as calls:
    calls.write(" ".join(sys.argv[1:]) + f" UV_LOCKED={os.environ.get('UV_LOCKED')}\n")
lock = pathlib.Path("uv.lock")
pin = re.compile(r'(name = "fastapi"\nversion = )"[^"]+"')
lock.write_text(pin.sub(r'\1"999.0"', lock.read_text()))
"""


def test_by_default_every_offered_python_is_relocked_in_place_without_upgrades() -> None:
    args = lock_generated.parse_args([])
    assert args.pythons == choices("python_version")
    assert args.upgrade is False
    assert args.upgrade_package == []
    assert args.output_dir == CHOICES
    assert args.summary is None


def test_upgrade_options_reach_uv_lock() -> None:
    args = lock_generated.parse_args(["--upgrade", "--python", "3.13", "--python", "3.11"])
    assert args.pythons == ["3.13", "3.11"]
    command = lock_generated.uv_lock_command("3.13", args.upgrade, args.upgrade_package)
    assert command[:3] == ["uv", "lock", "--python"]
    assert command[3].endswith("3.13")
    assert command[4:] == ["--upgrade"]
    args = lock_generated.parse_args(["--upgrade-package", "fastapi", "--upgrade-package", "rich"])
    command = lock_generated.uv_lock_command("3.12", args.upgrade, args.upgrade_package)
    assert command[4:] == ["--upgrade-package", "fastapi", "--upgrade-package", "rich"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--python", "3.10"], "--python 3.10 is not offered; cookiecutter.json offers"),
        (["--upgrade", "--upgrade-package", "x"], "not allowed with argument --upgrade"),
        (["--upgrade=yes"], "ignored explicit argument"),
    ],
    ids=["unoffered-python", "upgrade-and-upgrade-package", "upgrade-takes-no-value"],
)
def test_bad_options_stop_with_a_usage_error(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        lock_generated.parse_args(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_package_changes_name_every_moved_added_and_removed_package() -> None:
    old = LOCK.format(fastapi="0.120.0", extra='\n[[package]]\nname = "gone"\nversion = "1.0"\n')
    new = LOCK.format(fastapi="0.121.1", extra='\n[[package]]\nname = "added"\nversion = "2.0"\n')
    changes = lock_generated.package_changes(old, new)
    assert changes == ["added (new) -> 2.0", "fastapi 0.120.0 -> 0.121.1", "gone 1.0 -> (removed)"]
    assert lock_generated.package_changes(old, old) == []
    markdown = lock_generated.summary({"3.12": changes, "3.13": []})
    assert "### Python 3.12: 3 changes\n\n- added (new) -> 2.0\n" in markdown
    assert "### Python 3.13: no changes" in markdown


def test_a_trial_run_bakes_locks_and_writes_only_into_its_output_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in for uv: records its arguments and moves one pinned version in the seeded lock.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls.txt"
    fake_uv = bin_dir / "uv"
    fake_uv.write_text(f"#!{sys.executable}\n" + FAKE_UV.replace("CALLS", repr(str(calls))))
    fake_uv.chmod(fake_uv.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("UV_LOCKED", "1")  # as in CI: it would make `uv lock` only check
    before = (CHOICES / "uv-3.12.lock").read_bytes()
    out = tmp_path / "locks"

    lock_generated.main(
        ["--upgrade", "--python", "3.12", "--output-dir", str(out), "--summary", str(out / "s.md")]
    )

    assert (CHOICES / "uv-3.12.lock").read_bytes() == before, "the template's lock is untouched"
    assert sorted(path.name for path in out.iterdir()) == ["s.md", "uv-3.12.lock"]
    written = (out / "uv-3.12.lock").read_text()
    assert 'name = "{{ cookiecutter.project_slug }}"' in written
    assert lock_generated.SLUG not in written
    (call,) = calls.read_text().splitlines()
    assert call.startswith("lock --python ")
    assert call.endswith("3.12 --upgrade UV_LOCKED=None")
    old_fastapi = lock_generated.package_versions(before.decode())["fastapi"]
    assert f"- fastapi {old_fastapi} -> 999.0" in (out / "s.md").read_text()
