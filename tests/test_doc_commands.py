"""Slow tier: the commands and test templates that a baked project's README.md, CONTRIBUTING.md
and docs/testing.md show, run for real in the baked default project (a git copy of it, so the
shared project stays as baked)."""

from __future__ import annotations

import json
import re
import shlex

import pytest

from tests.baking import BakedProject
from tests.pages import documented, file_templates
from tests.serving import serving

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("slow")]


@pytest.fixture(scope="module")
def checkout(slow_project: BakedProject, tmp_path_factory: pytest.TempPathFactory) -> BakedProject:
    """A contributor's clone: the baked default project committed in a git repository."""
    copy = slow_project.copy_to(tmp_path_factory.mktemp("contributor"))
    copy.commit("Generated")
    return copy


def test_the_readme_api_call_lists_the_demo_products(slow_project: BakedProject) -> None:
    server_command = shlex.split(documented("uv run python -m tools.dev"))
    call = documented(
        'curl -H "Authorization: Bearer $(make -s token)" http://127.0.0.1:8000/api/v1/products'
    )
    with serving(slow_project, server_command) as server:
        listed = slow_project.attempt(
            ["bash", "-c", call.replace(":8000", f":{server.port}")], env=server.env, timeout=60
        )
    page = json.loads(listed.ok().stdout)
    assert page["items"], f"no demo products in {page}"
    assert {"sku", "price"} <= set(page["items"][0])


def test_the_contributor_setup_installs_the_commit_and_push_hooks(checkout: BakedProject) -> None:
    checkout.run(documented("make install"))
    checkout.run(documented("uv run pre-commit install"))
    hooks = checkout / ".git" / "hooks"
    assert (hooks / "pre-commit").is_file()
    assert (hooks / "pre-push").is_file()


@pytest.mark.parametrize(
    "command",
    [
        documented("uv run pytest tests/unit/test_pricing.py"),
        documented("uv run pytest tests/integration/test_products_api.py -k duplicate"),
    ],
)
def test_the_documented_single_file_runs_pass(checkout: BakedProject, command: str) -> None:
    output = checkout.run(command)
    assert re.search(r"\b\d+ passed\b", output)
    assert not re.search(r"\b\d+ (failed|skipped|errors?)\b", output)


def test_the_test_templates_of_the_testing_guide_pass_lint_types_and_pytest(
    checkout: BakedProject,
) -> None:
    templates = file_templates(checkout.read("docs/testing.md"))
    assert len(templates) >= 3
    for template in templates:
        path = checkout / template.path
        assert not path.exists(), f"the template {template.path} would overwrite a real test"
        path.write_text(template.source)
    written = [template.path for template in templates]
    checkout.run(["uv", "run", "--locked", "ruff", "check", *written])
    checkout.run(["uv", "run", "--locked", "ruff", "format", "--check", *written])
    checkout.run(["uv", "run", "--locked", "mypy", *written])
    # The smoke template needs a deployed service: the development server (without the reloader,
    # which would restart it when files change) stands in for one.
    with serving(checkout, ["uv", "run", "--locked", "python", "-m", "tools.dev"]) as server:
        output = checkout.run(
            ["uv", "run", "--locked", "pytest", "-p", "no:cacheprovider", *written],
            env={**server.env, "BASE_URL": server.base_url},
        )
    assert re.search(r"\b\d+ passed\b", output)
    assert not re.search(r"\b\d+ (failed|skipped|deselected|errors?)\b", output), output
