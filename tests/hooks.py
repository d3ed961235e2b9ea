"""The hook scripts as modules: they are plain Python until cookiecutter renders them.

What the post-generation hook keeps for which answers is read from its table (post_gen.PARTS)
here, so no test writes down again which clouds an answer deploys to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from local_extensions import load_hook, rules
from tests.baking import QUESTIONS

pre_gen = rules()
post_gen = load_hook("post_gen_project")

TERRAFORM = "infra/terraform"
# The GitHub stack's state backends, one file per kind of state storage (s3, gcs).
GITHUB_BACKEND = re.compile(rf"{TERRAFORM}/github/backend_(?P<kind>\w+)\.tf")


def with_defaults(answers: Mapping[str, str]) -> dict[str, object]:
    """Every choice question's answer: the given ones, else the default."""
    defaults = {q: values[0] for q, values in QUESTIONS.items() if isinstance(values, list)}
    return {**defaults, **answers}


def kept(path: str, answers: Mapping[str, str]) -> bool:
    """Whether the hook keeps `path` (relative to the project) for `answers`."""
    full = with_defaults(answers)
    return all(
        part.kept_by(full)
        for part in post_gen.PARTS
        if path == part.path or path.startswith(f"{part.path}/")
    )


# The cloud stacks: the folders of infra/terraform that only some answers keep.
CLOUD_STACKS: tuple[str, ...] = tuple(
    sorted(
        part.path.removeprefix(f"{TERRAFORM}/")
        for part in post_gen.PARTS
        if part.path.startswith(f"{TERRAFORM}/") and part.path.count("/") == 2
    )
)


def cloud_stacks(cloud: str) -> list[str]:
    """The cloud stacks the hook keeps for a cloud answer, in CLOUD_STACKS' order."""
    return [stack for stack in CLOUD_STACKS if kept(f"{TERRAFORM}/{stack}", {"cloud": cloud})]


def github_backend(cloud: str) -> str | None:
    """Where the GitHub stack keeps its state for a cloud answer (s3, gcs); None: locally."""
    kinds = [
        match["kind"]
        for part in post_gen.PARTS
        if (match := GITHUB_BACKEND.fullmatch(part.path)) and kept(part.path, {"cloud": cloud})
    ]
    assert len(kinds) <= 1, f"the hook keeps {kinds} GitHub backends for cloud={cloud}"
    return kinds[0] if kinds else None
