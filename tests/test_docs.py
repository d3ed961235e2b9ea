"""The docs: the template's site builds with warnings as errors and shows the per-workflow pages
that ship in baked projects; every Markdown page of the template and of baked projects links only
to files and anchors that exist (checked offline); every workflow of a bake has its page in that
bake, which names what the workflow needs; every make target the docs mention exists; and every
command shown in a ```console block is run by a test or listed in NOT_RUN with the reason it
cannot be (the rules: docs/contributing.md#docs).
"""

from __future__ import annotations

import ast
import os
import re
import shlex
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.baking import CLOUD_ANSWERS, TEMPLATE, answer_id, run
from tests.conftest import Bake
from tests.pages import (
    Slugger,
    broken_links,
    console_commands,
    documented,
    file_templates,
    github_slugs,
    links,
    mkdocs_slugs,
)
from tests.workflows import (
    load_yaml,
    make_targets_in,
    make_targets_run_by_template_tests,
    makefile_rules,
    triggers,
    with_prerequisites,
    workflow_files,
    workflow_make_targets,
)

DOCS = TEMPLATE / "docs"
# A page per workflow, in every baked project; the template's site shows the same files under
# workflows/ (scripts/mkdocs_baked_pages.py), so they are written once.
WORKFLOW_PAGES = Path("docs/ci_cd/workflows")
WORKFLOW_PAGE_SOURCES = TEMPLATE / "{{cookiecutter.project_slug}}" / WORKFLOW_PAGES
WORKFLOW_INDEX = "README.md"
TESTS = TEMPLATE / "tests"
CASES = [
    pytest.param(answers, id=answer_id(answers), marks=pytest.mark.xdist_group(answer_id(answers)))
    for answers in CLOUD_ANSWERS
]
# The bake that holds every page and every workflow.
EVERYTHING = {"cloud": "both"}
# Folders of tools' output and installed packages (node_modules: tools/workflow-lint's npm ci).
NOT_PAGES = {
    ".venv",
    ".git",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "reports",
    "site",
    "node_modules",
}

# What a command that no test can run needs; every NOT_RUN reason starts with one of these.
NEEDS = ("cloud:", "github:", "network:", "docker:", "suite:")
NOT_RUN: dict[str, str] = {
    "uvx cookiecutter gh:ORG/cookiecutter-fastapi-gates": (
        "github: fetches the template from GitHub; the tests bake the working copy instead "
        "(tests/baking.py) and run the CLI in test_the_contributing_guides_bake_command_works"
    ),
    "uvx cookiecutter --no-input gh:ORG/cookiecutter-fastapi-gates "
    'project_name="Billing Service" cloud=gcp python_version=3.13': (
        "github: fetches the template from GitHub; the bake matrix answers questions the same "
        "way (tests/test_bake.py)"
    ),
    "uvx cruft create gh:ORG/cookiecutter-fastapi-gates": (
        "github: fetches the template from GitHub; tests/test_update.py runs cruft create on a "
        "local copy"
    ),
    "uv run pytest": (
        "suite: a whole test suite, the template's (.ci/run and .github/workflows/ci.yml run it) "
        "or a baked project's (the slow tier runs every layer through make check)"
    ),
    "uv run python scripts/lock_generated.py": "network: resolves every dependency against PyPI",
    "uv run python scripts/lock_generated.py --upgrade": (
        "network: resolves every dependency against PyPI; tests/test_lock_generated.py runs the "
        "script with a stand-in for uv, and .github/workflows/relock.yml runs it weekly"
    ),
    "git ls-remote https://github.com/actions/checkout 'refs/tags/v7.0.1*'": (
        "github: asks GitHub for an action's tags; tests/test_template_ci.py checks the pins' form"
    ),
    "uv tool install cruft==2.16.0": "network: installs cruft from PyPI",
}
# Programs whose commands act on a real cloud account or on GitHub, or need Docker. terraform
# counts only for the subcommands that touch an environment's state (the offline checks are in
# tests/test_terraform.py).
PROGRAMS_NEEDING = {
    "aws": "cloud: calls an AWS account",
    "gcloud": "cloud: calls a Google Cloud project",
    "docker": "docker: there is no container engine on the test machine",
    "gh": "github: calls GitHub's API",
    "terraform": "cloud: reads or changes the state of a real environment",
}
TERRAFORM_STATEFUL = {"init", "plan", "apply", "output", "import", "destroy"}
# Layers whose new tests are not pytest files, and what the testing guide shows instead.
NO_FILE_TEMPLATE = {"load": "locust tasks in tools/load/locustfile.py; the guide shows one"}


def _pages(root: Path, skip: frozenset[str] = frozenset()) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*.md")
        if not (NOT_PAGES | skip) & set(path.relative_to(root).parts)
    )


def template_pages() -> list[Path]:
    """README.md and docs/ of the template (the generated project is checked through bakes)."""
    return _pages(TEMPLATE, frozenset({"{{cookiecutter.project_slug}}", "tests"}))


def _slugger(page: Path) -> Slugger:
    return mkdocs_slugs if page.is_relative_to(DOCS) else github_slugs


def _workflow_pages(folder: Path) -> list[Path]:
    """The per-workflow pages of a folder of them, without their index."""
    return sorted(page for page in folder.glob("*.md") if page.name != WORKFLOW_INDEX)


def _code_spans(text: str) -> Iterator[str]:
    for block_text in re.split(r"^\s*(?:```|~~~).*$", text, flags=re.MULTILINE)[::2]:
        yield from re.findall(r"`([^`\n]+)`", block_text)


# ---------------------------------------------------------------------------------------------
# The site, links and anchors
# ---------------------------------------------------------------------------------------------


def test_the_site_builds_with_warnings_as_errors(tmp_path: Path) -> None:
    site = tmp_path / "site"
    command = [*shlex.split(documented("uv run mkdocs build --strict")), "--site-dir", str(site)]
    # Material prints a banner about its successor on every build; it is not a docs warning.
    run(command, TEMPLATE, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300).ok()
    # The site shows the pages baked projects ship, each cloud's too, without a copy in docs/.
    assert not (DOCS / "workflows").exists(), "the workflow pages live in the generated project"
    index = (site / "workflows" / "index.html").read_text()
    assert "{%" not in index
    pages = _workflow_pages(WORKFLOW_PAGE_SOURCES)
    assert len(pages) > 10
    assert [page.name for page in pages if f'href="{page.stem}/"' not in index] == []
    assert [
        page.name for page in pages if not (site / "workflows" / page.stem / "index.html").is_file()
    ] == []


def test_template_pages_link_only_to_files_and_anchors_that_exist() -> None:
    pages = template_pages()
    assert TEMPLATE / "README.md" in pages
    assert len(pages) > 10
    problems = [
        problem for page in pages for problem in broken_links(page, TEMPLATE, _slugger(page))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("answers", CASES)
def test_baked_pages_link_only_to_files_and_anchors_that_exist(
    baked: Bake, answers: dict[str, str]
) -> None:
    project = baked(answers).path
    pages = _pages(project)
    assert {"README.md", "CONTRIBUTING.md", "docs/testing.md"} <= {
        str(page.relative_to(project)) for page in pages
    }
    problems = [problem for page in pages for problem in broken_links(page, project, github_slugs)]
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# One page per workflow, naming what the workflow needs
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("answers", CASES)
def test_every_baked_workflow_has_its_page_and_no_page_lacks_its_workflow(
    baked: Bake, answers: dict[str, str]
) -> None:
    project = baked(answers).path
    pages = {f"{page.stem}.yml" for page in _workflow_pages(project / WORKFLOW_PAGES)}
    assert {path.name for path in workflow_files(project)} == pages


@pytest.mark.parametrize("answers", CASES)
def test_the_workflow_index_links_every_workflow_page_of_the_bake(
    baked: Bake, answers: dict[str, str]
) -> None:
    folder = baked(answers).path / WORKFLOW_PAGES
    linked = {link.target for link in links((folder / WORKFLOW_INDEX).read_text())}
    assert [page.name for page in _workflow_pages(folder) if page.name not in linked] == []


def _write_permissions(workflow: Mapping[str, Any]) -> set[str]:
    grants = [workflow.get("permissions")] + [
        job.get("permissions") for job in workflow["jobs"].values()
    ]
    return {
        scope
        for grant in grants
        if isinstance(grant, dict)
        for scope, level in grant.items()
        if level == "write"
    }


def test_each_workflow_page_names_the_triggers_targets_variables_and_grants_it_needs(
    baked: Bake,
) -> None:
    project = baked(EVERYTHING).path
    targets: dict[str, set[str]] = {}
    for target, files in workflow_make_targets(project).items():
        for name in files:
            targets.setdefault(name, set()).add(target)
    problems = []
    for path in workflow_files(project):
        page = (project / WORKFLOW_PAGES / f"{path.stem}.md").read_text()
        workflow, text = load_yaml(path), path.read_text()
        spans = set(_code_spans(page))
        wanted = {
            *(f"`{target}`" for target in targets.get(path.name, set()) if target not in spans),
            *(f"`{event}`" for event in triggers(workflow) if event not in spans),
            *(
                f"`{scope}: write`"
                for scope in _write_permissions(workflow)
                if f"{scope}: write" not in spans
            ),
        }
        # Variables and secrets by name, also those built as vars[format('PREFIX_{0}', ...)].
        names = re.findall(r"\b(?:vars|secrets)\.([A-Za-z_]\w*)", text)
        names += re.findall(r"format\('([A-Z_]+)\{0\}'", text)
        wanted |= {name for name in names if not re.search(rf"\b{name}", page)}
        problems += [f"{WORKFLOW_PAGES}/{path.stem}.md lacks {item}" for item in sorted(wanted)]
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# Make targets and thresholds the docs name
# ---------------------------------------------------------------------------------------------


def _all_pages(project: Path) -> list[Path]:
    return template_pages() + _pages(project)


def test_every_make_target_the_docs_name_exists(baked: Bake) -> None:
    project = baked(EVERYTHING).path
    rules = makefile_rules(project)
    problems = []
    for page in _all_pages(project):
        text = page.read_text()
        commands = [span for span in _code_spans(text) if span.startswith("make ")]
        commands += [command for command in console_commands(text) if command.startswith("make ")]
        for command in commands:
            for target in make_targets_in(command):
                if re.fullmatch(r"[a-z][\w-]*", target) and target not in rules:
                    problems.append(f"{_shown_path(page, project)}: `{command}` names no target")
    assert not problems, "\n".join(problems)


def test_every_makefile_setting_the_docs_quote_has_that_value(baked: Bake) -> None:
    project = baked(EVERYTHING).path
    lines = set((project / "Makefile").read_text().splitlines())
    quoted = [
        (_shown_path(page, project), span)
        for page in _all_pages(project)
        for span in _code_spans(page.read_text())
        if re.fullmatch(r"[A-Z][A-Za-z0-9_]* [:?]?= \S.*", span)
    ]
    assert quoted, "the gates page quotes the Makefile's thresholds"
    assert [(page, span) for page, span in quoted if span not in lines] == []


def _shown_path(page: Path, project: Path) -> str:
    """A page's path from its root: the template's, or `<project>/...` for a baked page."""
    if page.is_relative_to(project):
        return f"{project.name}/{page.relative_to(project)}"
    return str(page.relative_to(TEMPLATE))


# ---------------------------------------------------------------------------------------------
# Every command shown is run by a test, or listed with its reason
# ---------------------------------------------------------------------------------------------


def _test_sources() -> dict[str, str]:
    return {path.name: path.read_text() for path in sorted(TESTS.glob("test_*.py"))}


def _documented_in_tests() -> set[str]:
    """The arguments of every documented("...") call in the test files."""
    found: set[str] = set()
    for source in _test_sources().values():
        for node in ast.walk(ast.parse(source)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "documented"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def _make_targets_run_by_tests(project: Path) -> set[str]:
    """Targets the template's tests run (`["make", "<target>", ...]`), with their prerequisites."""
    return with_prerequisites(make_targets_run_by_template_tests(), makefile_rules(project))


def _program_needs(command: str) -> str | None:
    words = shlex.split(command.split("|")[0])
    if not words or words[0] not in PROGRAMS_NEEDING:
        return None
    if words[0] == "terraform" and not TERRAFORM_STATEFUL & set(words):
        return None
    return PROGRAMS_NEEDING[words[0]]


def _shown_commands(project: Path) -> dict[str, list[str]]:
    """command -> the pages that show it in a ```console block."""
    shown: dict[str, list[str]] = {}
    for page in _all_pages(project):
        for command in console_commands(page.read_text()):
            shown.setdefault(command, []).append(_shown_path(page, project))
    return shown


def test_every_shown_command_is_run_by_a_test_or_needs_what_tests_cannot_have(
    baked: Bake,
) -> None:
    project = baked(EVERYTHING).path
    shown = _shown_commands(project)
    run_documented = _documented_in_tests()
    make_run = _make_targets_run_by_tests(project)
    argument_lists = "\n".join(_test_sources().values())
    unaccounted = []
    for command, pages in sorted(shown.items()):
        words = shlex.split(command)
        run = (
            command in run_documented
            or (words[0] == "make" and set(make_targets_in(command)) <= make_run)
            or (words[0] == "cd" and (project / words[1]).is_dir())
            or ("|" not in command and str(words).replace("'", '"') in argument_lists)
        )
        marked = command in NOT_RUN or _program_needs(command) is not None
        if run == marked:
            verdict = "is run by a test and also marked" if run else "is neither run nor marked"
            unaccounted.append(f"`{command}` ({', '.join(pages)}) {verdict}")
    assert not unaccounted, "\n".join(unaccounted)


def test_not_run_reasons_name_what_is_missing_and_every_entry_is_still_shown(
    baked: Bake,
) -> None:
    shown = _shown_commands(baked(EVERYTHING).path)
    assert [command for command, reason in NOT_RUN.items() if not reason.startswith(NEEDS)] == []
    assert [command for command in NOT_RUN if command not in shown] == []
    assert [command for command in _documented_in_tests() if command not in shown] == []


def test_the_contributing_guides_bake_command_works(tmp_path: Path) -> None:
    command = documented("uv run cookiecutter . --no-input --output-dir /tmp/bake")
    baking = command.replace("/tmp/bake", str(tmp_path))  # noqa: S108 (replaced)
    run(baking, TEMPLATE, timeout=300).ok()
    assert (tmp_path / "shop-service" / "pyproject.toml").is_file()


# ---------------------------------------------------------------------------------------------
# The baked project's testing guide
# ---------------------------------------------------------------------------------------------


def test_the_testing_guide_has_a_test_template_for_every_layer(baked: Bake) -> None:
    project = baked({}).path
    folders = {path.name for path in (project / "tests").iterdir() if path.is_dir()}
    layers = folders - {"__pycache__"} - set(NO_FILE_TEMPLATE)
    guide = (project / "docs" / "testing.md").read_text()
    assert {template.layer for template in file_templates(guide)} == layers
    assert all(f"### {layer.capitalize()}" in guide for layer in NO_FILE_TEMPLATE)


# ---------------------------------------------------------------------------------------------
# The checkers themselves catch what they are for
# ---------------------------------------------------------------------------------------------


def test_anchors_follow_github_and_mkdocs_rules() -> None:
    titles = ["Secrets, variables, permissions", "`ci.yml` -- the gate", "Notes", "Notes"]
    assert github_slugs(titles) == [
        "secrets-variables-permissions",
        "ciyml----the-gate",
        "notes",
        "notes-1",
    ]
    assert mkdocs_slugs(titles) == [
        "secrets-variables-permissions",
        "ciyml-the-gate",
        "notes",
        "notes_1",
    ]


def test_the_link_checker_reports_missing_files_anchors_and_escapes(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other\n\n## Real section\n")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n"
        "[ok](other.md#real-section) [ok](#page) [web](https://example.com/x.md)\n"
        "[gone](missing.md) [no anchor](other.md#nothing) [out](../outside.md)\n"
        "`[not a link](nowhere.md)`\n\n```console\ncat [also not](nowhere.md)\n```\n"
    )
    problems = broken_links(page, tmp_path, github_slugs)
    assert [problem.split(": ", 1)[1] for problem in problems] == [
        "missing.md does not exist",
        "other.md#nothing names a missing anchor",
        f"../outside.md leaves {tmp_path.name}",
    ]


def test_console_blocks_yield_one_command_per_line_without_comments() -> None:
    text = (
        "```console\n# a comment\nmake dev    # serve\nterraform plan \\\n  -out=x.tfplan\n\n```\n"
        "```text\nnot a command\n```\n"
    )
    assert console_commands(text) == ["make dev", "terraform plan -out=x.tfplan"]
