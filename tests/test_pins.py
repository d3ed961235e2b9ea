"""Every pin of the generated project is written once, in a file Dependabot updates.

Dependabot's configuration lists every folder that holds pins, for every cloud answer: the
workflows and the composite action (action SHAs), the Dockerfile, compose.yaml (image tags and
digests), the npm tools and each Terraform stack, each with a manifest Dependabot reads there.
compose.yaml's images are pinned by tag and digest. Dependabot does not update images written in
workflow files (dependabot/dependabot-core#5819), so CI's service containers write none: they run
compose.yaml's `db` image, which `make ci-images` prints into a job output. The Dockerfile's base
images are ones Dependabot can read, or listed in NOT_BOT_UPDATED with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.baking import BakedProject, Ran, answer_id, choices, run
from tests.conftest import Bake
from tests.workflows import action_files, load_yaml, workflow_files

# Each cloud answer, the default first (as in test_workflows.py, so a worker bakes each once).
CLOUD_ANSWERS: list[dict[str, str]] = [{}] + [{"cloud": cloud} for cloud in choices("cloud")[1:]]
CASES = [
    pytest.param(answers, id=answer_id(answers), marks=pytest.mark.xdist_group(answer_id(answers)))
    for answers in CLOUD_ANSWERS
]
ECOSYSTEMS = {"uv", "github-actions", "docker", "docker-compose", "npm", "terraform"}
# What Dependabot reads in a listed folder, per ecosystem (the github-actions root is special:
# it means .github/workflows/).
MANIFESTS = {
    "uv": ("uv.lock",),
    "github-actions": ("action.yml",),
    "docker": ("Dockerfile",),
    "docker-compose": ("compose.yaml",),
    "npm": ("package.json", "package-lock.json"),
    "terraform": ("*.tf",),
}
SKIPPED_FOLDERS = {".venv", "node_modules", ".terraform"}
DIGEST_PINNED = re.compile(r"[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}")
# Base images of the Dockerfile that Dependabot does not update, and why.
NOT_BOT_UPDATED = {
    "python:${PYTHON_VERSION}-slim-bookworm": (
        "follows .python-version (an ARG, which Dependabot cannot read in FROM: "
        "dependabot/dependabot-core#2057); every build takes that version's newest patch release"
    ),
}
FROM = re.compile(r"^FROM\s+(?:--platform=\S+\s+)?(?P<image>\S+)(?:\s+AS\s+(?P<stage>\S+))?", re.I)
# How CI's service containers get their image: a planning step prints compose.yaml's `db` image.
CI_IMAGES_STEP = 'make --silent ci-images >> "${GITHUB_OUTPUT}"'
EXPRESSION = re.compile(r"^\$\{\{\s*(?P<context>needs|inputs)\.(?P<path>[\w.-]+)\s*\}\}$")
STEP_OUTPUT = re.compile(r"^\$\{\{\s*steps\.(?P<step>[\w-]+)\.outputs\.(?P<name>[\w-]+)\s*\}\}$")


def _dependabot(project: Path) -> list[dict[str, Any]]:
    updates: list[dict[str, Any]] = load_yaml(project / ".github" / "dependabot.yml")["updates"]
    return updates


def _directories(update: Mapping[str, Any]) -> set[str]:
    return set(update.get("directories") or [update["directory"]])


def _folders_holding(project: Path, pattern: str) -> set[str]:
    """`/folder` for each folder of the project with a file matching `pattern`."""
    folders = {
        path.parent.relative_to(project)
        for path in project.rglob(pattern)
        if not SKIPPED_FOLDERS & set(path.relative_to(project).parts)
    }
    return {"/" if folder == Path() else f"/{folder}" for folder in folders}


def _db_image(project: Path) -> str:
    image: str = load_yaml(project / "compose.yaml")["services"]["db"]["image"]
    return image


@pytest.mark.parametrize("answers", CASES)
def test_dependabot_updates_every_folder_that_holds_pins(
    baked: Bake, answers: dict[str, str]
) -> None:
    project = baked(answers).path
    updates = _dependabot(project)
    by_ecosystem = {update["package-ecosystem"]: update for update in updates}
    assert len(by_ecosystem) == len(updates), "one entry per ecosystem"
    assert set(by_ecosystem) == ECOSYSTEMS
    for ecosystem, update in by_ecosystem.items():
        assert update["cooldown"]["default-days"] >= 3, ecosystem
        assert update["groups"], ecosystem
        for directory in _directories(update):
            folder = project / directory.lstrip("/")
            if ecosystem == "github-actions" and directory == "/":
                folder = project / ".github" / "workflows"
                assert list(folder.glob("*.yml")), directory
                continue
            for manifest in MANIFESTS[ecosystem]:
                assert list(folder.glob(manifest)), f"{ecosystem}: {directory} has no {manifest}"
    actions = {"/" + str(path.parent.relative_to(project)) for path in action_files(project)}
    assert actions, "the project has no composite action"
    assert _directories(by_ecosystem["github-actions"]) == {"/"} | actions
    for ecosystem in ("docker", "docker-compose", "npm", "terraform"):
        manifest = MANIFESTS[ecosystem][0]
        assert _directories(by_ecosystem[ecosystem]) == _folders_holding(project, manifest)


def test_compose_images_are_pinned_by_tag_and_digest(baked: Bake) -> None:
    services = load_yaml(baked({}) / "compose.yaml")["services"]
    images = {name: service["image"] for name, service in services.items() if "image" in service}
    assert "db" in images
    unpinned = {name: image for name, image in images.items() if not DIGEST_PINNED.fullmatch(image)}
    assert unpinned == {}


def _compose_variants(text: str) -> Iterator[tuple[str, str]]:
    """compose.yaml as written, restyled the ways a person or a bot may restyle it."""
    data = yaml.safe_load(text)
    image = data["services"]["db"]["image"]
    yield "as written", text
    quoted = text.replace(f"image: {image}\n", f'image: "{image}" # pinned\n', 1)
    assert quoted != text
    yield "quoted, with a comment", quoted
    for indent in (2, 4):
        yield f"indent {indent}", yaml.safe_dump(data, indent=indent, sort_keys=True)


def _ci_images_in(folder: Path, project: BakedProject) -> Ran:
    """The project's `make ci-images`, run where `folder` holds some other compose.yaml."""
    return run(["make", "--silent", "-f", project / "Makefile", "ci-images"], folder)


def test_ci_images_prints_the_image_of_composes_db_service(baked: Bake, tmp_path: Path) -> None:
    project = baked({})
    expected = f"postgres={_db_image(project.path)}"
    assert project.run(["make", "--silent", "ci-images"]).strip() == expected
    text = project.read("compose.yaml")
    for name, variant in _compose_variants(text):
        (tmp_path / "compose.yaml").write_text(variant)
        result = _ci_images_in(tmp_path, project)
        assert (result.returncode, result.stdout.strip()) == (0, expected), name


def test_ci_images_fails_loudly_without_a_db_image(baked: Bake, tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  app:\n    image: app:1\n")
    result = _ci_images_in(tmp_path, baked({}))
    assert result.returncode != 0
    assert (result.stdout, "compose.yaml has no image for db" in result.stderr) == ("", True)


def _from_ci_images(workflow: Mapping[str, Any], job_id: str, expression: str) -> bool:
    """Whether `${{ needs.<job>.outputs.<name> }}`, read in job `job_id`, is the output of a
    `make ci-images` step."""
    match = EXPRESSION.match(expression.strip())
    if not match or match["context"] != "needs":
        return False
    needed, _, output = match["path"].partition(".outputs.")
    job = workflow["jobs"][job_id]
    needs = job.get("needs", [])
    if needed not in ([needs] if isinstance(needs, str) else needs):
        return False
    source = STEP_OUTPUT.match(str(workflow["jobs"][needed]["outputs"][output]).strip())
    if not source:
        return False
    (step,) = [s for s in workflow["jobs"][needed]["steps"] if s.get("id") == source["step"]]
    return bool(step["run"].strip() == CI_IMAGES_STEP and source["name"] == "postgres")


def _service_images(workflow: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for job_id, job in workflow["jobs"].items():
        for service in job.get("services", {}).values():
            yield job_id, str(service["image"])
        container = job.get("container")
        if container is not None:
            yield job_id, str(container["image"] if isinstance(container, dict) else container)


def test_ci_service_containers_run_composes_db_image(baked: Bake) -> None:
    project = baked({"cloud": "both"}).path
    workflows = {path.name: load_yaml(path) for path in workflow_files(project)}
    problems = []
    checked = 0
    for name, workflow in workflows.items():
        for job_id, image in _service_images(workflow):
            checked += 1
            match = EXPRESSION.match(image.strip())
            if match and match["context"] == "inputs":
                callers = [
                    (caller_name, caller_id, caller)
                    for caller_name, caller_workflow in workflows.items()
                    for caller_id, caller in caller_workflow["jobs"].items()
                    if caller.get("uses") == f"./.github/workflows/{name}"
                ]
                assert callers, f"{name} is called by no workflow"
                problems += [
                    f"{caller_name}: {caller_id} passes {name} another image"
                    for caller_name, caller_id, caller in callers
                    if not _from_ci_images(
                        workflows[caller_name],
                        caller_id,
                        str(caller.get("with", {}).get(match["path"], "")),
                    )
                ]
            elif not _from_ci_images(workflow, job_id, image):
                problems.append(f"{name}: {job_id} runs {image}, not compose.yaml's db image")
    assert checked >= 4, "fewer service containers than the workflows have"
    assert problems == []


def test_dockerfile_base_images_are_ones_dependabot_updates_or_listed(baked: Bake) -> None:
    project = baked({}).path
    stages: set[str] = set()
    unread = set()
    for line in (project / "Dockerfile").read_text().splitlines():
        match = FROM.match(line)
        if not match:
            continue
        image = match["image"]
        if image not in stages and "$" in image:
            unread.add(image)
        if match["stage"]:
            stages.add(match["stage"])
    assert unread == set(NOT_BOT_UPDATED)
