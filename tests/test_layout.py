"""The rooms of a baked project: the runtime alone in src/<package>/ and in the image, tools/ that
never import the tests, no command-line programs among the tests, and a README layout table that
names every module of the runtime and of the tools."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.baking import answer_id
from tests.conftest import Bake

DEFAULT = pytest.mark.xdist_group(answer_id({}))
# What the Dockerfile may copy from the build context: the project's metadata, the runtime and
# the migrations the image runs (`alembic upgrade head`).
RUNTIME_COPIES = {
    "pyproject.toml",
    "uv.lock",
    "README.md",
    "LICENSE",
    "src",
    "alembic.ini",
    "migrations",
}
# Not modules: the package marker files and tools' installed packages.
NOT_MODULES = {"__init__.py", "py.typed", "__pycache__", "node_modules"}
CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _python_files(folder: Path) -> Iterator[Path]:
    yield from (path for path in sorted(folder.rglob("*.py")) if "node_modules" not in path.parts)


def _imported_tops(path: Path) -> set[str]:
    """The top-level names of the modules a file imports (absolute imports only)."""
    tops = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            tops |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            tops.add(node.module.split(".")[0])
    return tops


def _package(project: Path) -> Path:
    (package,) = (project / "src").iterdir()
    return package


@DEFAULT
def test_the_image_copies_the_runtime_and_the_context_leaves_out_tools_and_tests(
    baked: Bake,
) -> None:
    project = baked({}).path
    copied = set()
    for line in (project / "Dockerfile").read_text().splitlines():
        words = line.split()
        if words[:1] == ["COPY"] and not any(word.startswith("--from=") for word in words):
            copied |= {word.rstrip("/") for word in words[1:-1] if not word.startswith("--")}
    assert copied, "the Dockerfile copies nothing from the build context"
    assert copied <= RUNTIME_COPIES, f"the image copies more than the runtime: {copied}"
    ignored = set((project / ".dockerignore").read_text().split())
    assert {"tests", "tools"} <= ignored


@DEFAULT
def test_the_runtime_imports_neither_tools_nor_tests_and_tools_never_import_tests(
    baked: Bake,
) -> None:
    project = baked({}).path
    runtime = {
        str(path.relative_to(project)): _imported_tops(path) & {"tools", "tests"}
        for path in _python_files(_package(project))
    }
    tools = {
        str(path.relative_to(project)): _imported_tops(path) & {"tests"}
        for path in _python_files(project / "tools")
    }
    assert {path: names for path, names in runtime.items() if names} == {}
    assert {path: names for path, names in tools.items() if names} == {}


@DEFAULT
def test_the_tests_hold_no_command_line_programs(baked: Bake) -> None:
    project = baked({}).path
    programs = [
        str(path.relative_to(project))
        for path in _python_files(project / "tests")
        if path.name == "__main__.py" or '__name__ == "__main__"' in path.read_text()
    ]
    assert programs == [], "command-line programs belong in tools/"


def _layout_paths(readme: str) -> set[str]:
    """The paths the first column of the README's layout table names. A bare name in a cell
    (`schemas.py` after `src/pkg/models.py`) is in the folder of the cell's first path."""
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    named = set()
    for row in section.splitlines():
        if not row.startswith("| `"):
            continue
        folder = ""
        for span in CODE_SPAN.findall(row.split(" | ")[0]):
            path = span if "/" in span.rstrip("/") else folder + span
            folder = path.rstrip("/").rsplit("/", 1)[0] + "/"
            named.add(path.rstrip("/"))
    return named


@DEFAULT
def test_the_readme_layout_names_every_module_of_the_runtime_and_the_tools(baked: Bake) -> None:
    project = baked({}).path
    named = _layout_paths((project / "README.md").read_text())
    modules = {
        str(path.relative_to(project))
        for folder in (_package(project), project / "tools")
        for path in folder.iterdir()
        if path.name not in NOT_MODULES
    }
    assert modules - named == set(), "modules the README's layout table does not name"
    placeholders = {path for path in named if "<" in path}  # tests/<layer>
    assert {path for path in named - placeholders if not (project / path).exists()} == set()
