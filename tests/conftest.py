"""Fixtures shared by the template's tests."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import pytest

from tests.baking import BakedProject, answer_id, bake

Bake = Callable[[Mapping[str, str]], BakedProject]
# Answers may hold any text; the folder of a bake is named after them in these characters only.
SAFE_FOLDER = re.compile(r"[^A-Za-z0-9_.=-]")


@pytest.fixture(scope="session")
def baked(tmp_path_factory: pytest.TempPathFactory) -> Bake:
    """Bake each set of answers once per test session (per xdist worker) and reuse it.

    Tests that read a baked project share it; a test that changes files must bake its own copy.
    """
    cache: dict[str, BakedProject] = {}

    def get(answers: Mapping[str, str]) -> BakedProject:
        key = answer_id(answers)
        if key not in cache:
            cache[key] = bake(tmp_path_factory.mktemp(SAFE_FOLDER.sub("_", key)[:60]), answers)
        return cache[key]

    return get


@pytest.fixture(scope="session")
def slow_project(tmp_path_factory: pytest.TempPathFactory) -> BakedProject:
    """The default project, baked and synced once for every slow test (all in xdist group "slow").

    Slow tests run its make targets in order of their files; they may add reports, not edit code.
    """
    project = bake(tmp_path_factory.mktemp("slow"))
    project.run(["uv", "sync", "--locked"])
    return project
