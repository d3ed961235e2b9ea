"""The space of answers, not the example: whatever a team types bakes a clean project or is refused
with one line and nothing on disk.

Hypothesis draws whole answer sets: names in any printable Unicode (accents, non-Latin scripts,
emoji, punctuation, text that looks like Jinja) of every length around the limits, explicit slugs
and packages across their limits and sorting before and after every first-party name, free text
with quotes, backslashes and typography, and every choice. The default suite runs a small
derandomized sample; `ANSWER_SPACE_EXAMPLES=500` (the template CI's scheduled job) a long random
one.
"""

from __future__ import annotations

import os
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from cookiecutter.exceptions import FailedHookException
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from local_extensions import AnswerError
from tests.baking import (
    QUESTIONS,
    TEMPLATE,
    BakedProject,
    bake,
    choices,
    parse_structured_files,
    run,
)
from tests.hooks import pre_gen
from tests.pages import visible_text
from tests.typography import APOSTROPHE, CLOSING_QUOTE, EM_DASH, EN_DASH, OPENING_QUOTE

LONG_RUN = "ANSWER_SPACE_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("ANSWER_SPACE_EXAMPLES", "12"))
RUFF = Path(sys.executable).parent / "ruff"

# Printable text of any script; control characters, separators and surrogates are drawn apart.
PRINTABLE = st.characters(exclude_categories=["Cc", "Cs", "Co", "Cn", "Zl", "Zp"])
REFUSED_CHARACTERS = st.sampled_from(["\n", "\t", "\x00", "\x7f", "\u2028", "\u202e"])
FRAGMENTS = st.sampled_from(
    [
        "Shop",
        "Café & Crème",
        f"Joe{APOSTROPHE}s",
        f"{OPENING_QUOTE}quoted{CLOSING_QUOTE}",
        f" {EN_DASH} ",
        f" {EM_DASH} ",
        '"straight"',
        "back\\slash",
        "{{ cookiecutter.project_slug }}",
        "{% if x %}",
        "{# note #}",
        "*stars* _under_ `tick` [link](x) <b> # | ~",
        "商店服务",
        "データ",
        "Привет",
        "🚀👨‍👩‍👧",
        "tests",
        "3D",
        "  ",
    ]
)


@st.composite
def free_text(draw: st.DrawFn, question: str) -> str:
    """Text around the question's limit, now and then with a character the rules refuse."""
    longest = pre_gen.TEXT_MAX_LENGTH[question]
    parts = draw(st.lists(st.one_of(FRAGMENTS, st.text(PRINTABLE, max_size=40)), max_size=8))
    text = "".join(parts)
    if draw(st.integers(0, 9)) == 0:
        text = draw(st.sampled_from(["x" * (longest - 1), "y" * longest, "z" * (longest + 1)]))
    if draw(st.integers(0, 14)) == 0:
        position = draw(st.integers(0, len(text)))
        text = text[:position] + draw(REFUSED_CHARACTERS) + text[position:]
    return text or "Shop"


SLUGS = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,9}){0,5}", fullmatch=True)
# Names that sort before, between and after the project's first-party packages (tests, tools).
PACKAGES = st.one_of(
    st.from_regex(r"[a-z][a-z0-9_]{0,55}", fullmatch=True),
    st.sampled_from(["a", "aaa", "shop", "tests", "tests_app", "tim", "tools", "tools_x", "zzz"]),
    st.sampled_from(["z" * pre_gen.PACKAGE_LIMIT.longest_answer, "import", "json", "x-y"]),
)
EMAILS = st.one_of(st.from_regex(pre_gen.EMAIL, fullmatch=True), st.emails())
OWNERS = st.one_of(st.from_regex(pre_gen.GITHUB_OWNER, fullmatch=True), st.just("-bad-"))


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, str]:
    answers = {"project_name": draw(free_text("project_name"))}
    # Explicit slugs and packages now and then; otherwise they are derived, as most users do.
    if draw(st.booleans()):
        answers["project_slug"] = draw(SLUGS)
    if draw(st.booleans()):
        answers["package_name"] = draw(PACKAGES)
    for question in ("description", "author_name"):
        if draw(st.booleans()):
            answers[question] = draw(free_text(question))
    if draw(st.booleans()):
        answers["author_email"] = draw(EMAILS)
    if draw(st.booleans()):
        answers["github_owner"] = draw(OWNERS)
    for question in ("python_version", "cloud", "license"):
        answers[question] = draw(st.sampled_from(choices(question)))
    return answers


def _check_baked(project: BakedProject, answers: dict[str, str]) -> None:
    assert parse_structured_files(project.path) >= 3
    project.run([RUFF, "check", "--no-cache", "."])
    project.run([RUFF, "format", "--check", "--no-cache", "."])

    slug = project.name
    (package,) = [path.name for path in (project / "src").iterdir() if path.is_dir()]
    for limit in pre_gen.NAME_LIMITS:
        if limit.shortened:  # cut to fit by the template; test_name_limits evaluates those
            continue
        name = limit.pattern.format(slug=slug, package=package)
        assert len(name) <= limit.limit, f"{limit.what}: {name!r} is over {limit.limit}"

    # Free text reaches each format as the same text, stripped of surrounding spaces.
    pyproject = tomllib.loads(project.read("pyproject.toml"))
    description = answers.get("description", str(QUESTIONS["description"])).strip()
    assert pyproject["project"]["description"] == description
    author = answers.get("author_name", str(QUESTIONS["author_name"])).strip()
    assert pyproject["project"]["authors"][0]["name"] == author
    heading = project.read("README.md").splitlines()[0]
    assert visible_text(MarkdownIt("commonmark").render(heading)) == answers["project_name"].strip()


def _assert_refused_cleanly(output: Path, message: str) -> None:
    assert message
    assert "\n" not in message
    left = [path.name for path in output.iterdir() if path.name != ".cookiecutter-hooks"]
    assert left == [], "a refused answer must leave nothing behind"


def test_the_baked_projects_ruff_is_the_one_these_checks_run() -> None:
    for lock in (TEMPLATE / "{{cookiecutter.project_slug}}" / "_choices").glob("uv-*.lock"):
        packages = tomllib.loads(lock.read_text())["package"]
        (locked,) = [package["version"] for package in packages if package["name"] == "ruff"]
        found = run([RUFF, "--version"], TEMPLATE).ok()
        assert found.stdout.split() == ["ruff", locked], lock.name


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG_RUN,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
    # A bake takes a second: shrinking a failure would take many minutes. The report prints the
    # failing answers, which are readable as they are.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(answers=answer_sets())
def test_every_answer_bakes_a_clean_project_or_is_refused_cleanly(
    tmp_path_factory: pytest.TempPathFactory, answers: dict[str, str]
) -> None:
    output = tmp_path_factory.mktemp("space")
    try:
        project = bake(output, answers)
    except AnswerError as refused:
        event(f"refused while asking: {refused.message.split()[0]}")
        _assert_refused_cleanly(output, refused.message)
        return
    except FailedHookException as refused:
        event("refused by the hook")
        _assert_refused_cleanly(output, str(refused))
        return
    event("baked")
    try:
        _check_baked(project, answers)
    finally:
        shutil.rmtree(output)
