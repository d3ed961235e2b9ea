"""Every answer that would produce a broken project is refused with one clear line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.baking import QUESTIONS, TEMPLATE, Ran, choices, run
from tests.hooks import post_gen, pre_gen
from tests.pages import blocks
from tests.typography import APOSTROPHE, TYPESET_NAME, TYPESET_SENTENCE

DEFAULTS = {
    "project_name": "Shop Service",
    "project_slug": "shop-service",
    "package_name": "shop_service",
    "description": "A shop.",
    "author_name": "Jane Doe",
    "author_email": "jane@example.com",
    "github_owner": "your-org",
    "python_version": "3.12",
    "cloud": "aws",
    "license": "MIT",
}
LONGEST_SLUG = pre_gen.SLUG_LIMIT.longest_answer
LONGEST_PACKAGE = pre_gen.PACKAGE_LIMIT.longest_answer

# (question, bad answer, words the one-line message must contain)
REJECTED = [
    ("project_name", "   ", "must not be empty"),
    ("project_name", " Shop", "must not start or end with spaces"),
    ("project_name", "Shop\tService", "control and direction characters"),
    ("project_name", "Shop\u202eecivreS", "RIGHT-TO-LEFT OVERRIDE"),
    ("project_name", "Shop\u2028Service", "LINE SEPARATOR"),
    ("project_name", "S" * 101, "at most 100"),
    ("project_slug", "Shop-Service", "lowercase letters"),
    ("project_slug", "1-shop", "start with a letter"),
    ("project_slug", "shop--service", "single hyphens"),
    ("project_slug", "shop-", "single hyphens"),
    ("project_slug", "shop/service", "single hyphens"),
    ("project_slug", "..", "start with a letter"),
    ("project_slug", ".shop", "start with a letter"),
    ("project_slug", "ab", f"3-{LONGEST_SLUG}"),
    ("project_slug", "s" * (LONGEST_SLUG + 1), f"3-{LONGEST_SLUG}"),
    ("project_slug", "sthree-shop", "S3 bucket names"),
    ("project_slug", "internal-tools", "AWS load balancer names"),
    ("project_slug", "googly-shop", "Cloud Storage bucket names"),
    ("project_slug", "shop-for-google", "contains 'google'"),
    ("package_name", "shop-service", "Python identifier"),
    ("package_name", "Shop", "Python identifier"),
    ("package_name", "class", "keyword"),
    ("package_name", "match", "keyword"),
    ("package_name", "json", "shadow"),
    ("package_name", "fastapi", "shadow"),
    ("package_name", "tests", "top-level folder"),
    ("package_name", "tools", "top-level folder"),
    ("package_name", "migrations", "top-level folder"),
    ("package_name", "p" * (LONGEST_PACKAGE + 1), f"at most {LONGEST_PACKAGE}"),
    ("description", "line\nbreak", "line breaks"),
    ("description", "d" * 301, "at most 300"),
    ("author_name", "", "must not be empty"),
    ("author_email", "jane", "name@example.com"),
    ("author_email", "jane@localhost", "name@example.com"),
    ("author_email", "jane doe@example.com", "name@example.com"),
    ("author_email", '"jane"@example.com', "name@example.com"),
    ("github_owner", "-org", "no hyphen at either end"),
    ("github_owner", "my_org", "letters, digits and single hyphens"),
    ("github_owner", "a" * 40, "1-39 characters"),
    ("python_version", "3.9", "3.11, 3.12, 3.13"),
    ("cloud", "azure", "aws, gcp, both, none"),
    ("license", "GPL", "MIT, Apache-2.0"),
]
ACCEPTED = [
    ("project_name", TYPESET_NAME),
    ("project_name", "商店服务"),
    ("project_name", "{{ not a template }} {% if %}"),
    ("project_name", "S" * 100),
    ("project_slug", "abc"),
    ("project_slug", "my-goog-shop"),
    ("project_slug", "a" * LONGEST_SLUG),
    ("package_name", "p" * LONGEST_PACKAGE),
    ("package_name", "tests_service"),
    ("description", TYPESET_SENTENCE),
    ("author_name", "O'Brien & Søn"),
    ("author_email", "o'brien+shop@mail.example.co.uk"),
]


def test_the_defaults_are_valid() -> None:
    assert pre_gen.first_problem(DEFAULTS) is None


@pytest.mark.parametrize(
    ("question", "answer", "message"), REJECTED, ids=[f"{q}={a[:20]!r}" for q, a, _ in REJECTED]
)
def test_bad_answers_are_named_with_what_is_valid(question: str, answer: str, message: str) -> None:
    problem = pre_gen.first_problem({**DEFAULTS, question: answer})
    assert problem is not None
    assert problem.startswith(f"{question} {answer!r}")
    assert message in problem
    assert f"pass {question}=..." in problem
    assert "\n" not in problem


@pytest.mark.parametrize(("question", "answer"), ACCEPTED, ids=[q for q, _ in ACCEPTED])
def test_answers_real_teams_give_are_accepted(question: str, answer: str) -> None:
    assert pre_gen.first_problem({**DEFAULTS, question: answer}) is None


def test_a_derived_slug_is_reported_with_the_name_it_came_from() -> None:
    problem = pre_gen.first_problem({**DEFAULTS, "project_name": "🚀", "project_slug": ""})
    assert problem is not None
    assert problem.startswith("project_slug '' (made from project_name '🚀')")
    assert "pass project_slug=..." in problem


def test_a_derived_package_is_reported_with_the_slug_it_came_from() -> None:
    answers = {**DEFAULTS, "project_slug": "tests", "package_name": "tests"}
    problem = pre_gen.first_problem(answers)
    assert problem is not None
    assert problem.startswith("package_name 'tests' (made from project_slug 'tests')")
    assert "e.g. 'tests_service'" in problem


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Shop Service", "shop-service"),
        ("  Café & Crème  ", "cafe-and-creme"),
        ("Joe's Shop", "joes-shop"),
        (f"Zoë{APOSTROPHE}s Shop", "zoes-shop"),
        ("shop.io", "shop-io"),
        ("商店服务", "shang-dian-fu-wu"),
        ("Привет мир", "privet-mir"),
        ("Über Großartige Bestellungen und Zahlungen GmbH", "uber-grossartige-bestellungen"),
        ("x/../y", "x-y"),
        ("🚀", ""),
    ],
)
def test_the_slug_is_made_from_any_name(name: str, slug: str) -> None:
    assert pre_gen.slug_of(name) == slug
    assert len(pre_gen.slug_of(name * 10)) <= LONGEST_SLUG


def test_the_earliest_wrong_answer_is_reported() -> None:
    problem = pre_gen.first_problem({**DEFAULTS, "project_slug": "X", "author_email": "nope"})
    assert problem is not None
    assert problem.startswith("project_slug")


def test_checks_stop_at_the_question_asked_so_far() -> None:
    answers = {**DEFAULTS, "author_email": "nope"}
    assert pre_gen.first_problem(answers, upto="project_slug") is None
    assert pre_gen.first_problem(answers) is not None


def test_a_missing_answer_is_reported() -> None:
    answers = {key: value for key, value in DEFAULTS.items() if key != "cloud"}
    assert pre_gen.first_problem(answers) == (
        "cloud is missing; answer it or pass cloud=... on the command line"
    )


@pytest.mark.parametrize(
    ("question", "supported"),
    [("python_version", "SUPPORTED_PYTHONS"), ("cloud", "CLOUDS"), ("license", "LICENSES")],
)
def test_the_hook_accepts_exactly_the_offered_choices(question: str, supported: str) -> None:
    assert sorted(getattr(pre_gen, supported)) == sorted(choices(question))


def test_every_top_level_folder_of_the_project_is_refused_as_a_package() -> None:
    folders = {
        path.name
        for path in (TEMPLATE / "{{cookiecutter.project_slug}}").iterdir()
        if path.is_dir() and not path.name.startswith((".", "_"))
    }
    assert folders <= pre_gen.PROJECT_TOP_LEVEL
    gitignored = (TEMPLATE / "{{cookiecutter.project_slug}}" / ".gitignore").read_text()
    written = pre_gen.PROJECT_TOP_LEVEL - folders
    assert all(f"{name}/" in gitignored.splitlines() for name in written)


def _cookiecutter(output: Path, *arguments: str, stdin: str | None = None) -> Ran:
    """cookiecutter's command line on this template, writing into `output`."""
    command: list[str | Path] = [sys.executable, "-m", "cookiecutter", "-o", output, TEMPLATE]
    command += arguments
    return run(command, TEMPLATE, stdin=stdin)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (["project_slug=Bad Slug"], "Error: project_slug 'Bad Slug' must be lowercase letters"),
        (["project_name=123 Shop"], "Error: project_slug '123-shop' (made from project_name"),
        (["project_name=🚀"], "Error: project_slug '' (made from project_name '🚀')"),
        (["project_slug=a/b", "package_name=ab"], "Error: project_slug 'a/b' must be"),
        (["project_slug=../up", "package_name=up"], "Error: project_slug '../up' must be"),
        (["author_email=nobody"], "Error: author_email 'nobody' must look like name@example.com"),
        (["package_name=import"], "Error: package_name 'import' is a Python keyword"),
        (["project_name=Shop {{ x }}\x07"], "Error: project_name 'Shop {{ x }}\\x07' contains"),
    ],
)
def test_cookiecutter_stops_with_one_line_and_writes_nothing(
    tmp_path: Path, answers: list[str], message: str
) -> None:
    result = _cookiecutter(tmp_path, "--no-input", *answers)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()], result.stderr
    assert result.stderr.startswith(message)
    assert list(tmp_path.iterdir()) == [], "a rejected answer must leave nothing behind"


def test_an_existing_folder_is_not_touched(tmp_path: Path) -> None:
    (tmp_path / "shop-service").mkdir()
    (tmp_path / "shop-service" / "notes.txt").write_text("mine")
    result = _cookiecutter(tmp_path, "--no-input")
    assert result.returncode == 1
    assert "already exists" in result.stdout
    assert [path.name for path in (tmp_path / "shop-service").iterdir()] == ["notes.txt"]


def test_answers_that_skip_the_prompts_are_checked_by_the_hook(tmp_path: Path) -> None:
    # A replay file (or any caller of cookiecutter's generate_files) bypasses the questions.
    private = {key: value for key, value in QUESTIONS.items() if key.startswith("_")}
    answers = {**private, **DEFAULTS, "package_name": "tests", "__answers_checked": "yes"}
    replay = tmp_path / "replay.json"
    replay.write_text(json.dumps({"cookiecutter": {**answers, "_template": str(TEMPLATE)}}))
    output = tmp_path / "out"
    result = _cookiecutter(output, "--replay-file", str(replay))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: package_name 'tests' is a top-level folder of the generated project; pick "
        "another name, e.g. 'tests_service'; run again and answer it, or pass package_name=... "
        "on the command line."
    ]
    assert "Hook script failed (exit status: 1)" in result.stdout
    assert not output.exists() or list(output.iterdir()) == []


def _text_blocks(page: Path) -> list[str]:
    return [block.body for block in blocks(page.read_text()) if block.language == "text"]


def test_the_readme_shows_the_line_cookiecutter_prints(tmp_path: Path) -> None:
    result = _cookiecutter(tmp_path, "--no-input", "package_name=import")
    assert result.stderr.strip() in _text_blocks(TEMPLATE / "README.md")


def test_a_choice_the_template_does_not_offer_is_refused_as_the_readme_says(
    tmp_path: Path,
) -> None:
    result = _cookiecutter(tmp_path, "--no-input", "cloud=azure")
    assert result.returncode == 1
    last_line = result.stderr.strip().splitlines()[-1]
    readme = " ".join((TEMPLATE / "README.md").read_text().split())
    assert f"`{last_line}`" in readme
    assert list(tmp_path.iterdir()) == []


def test_the_readme_shows_the_message_after_a_bake() -> None:
    assert post_gen.next_steps(Path("/home/you/shop-service")) in _text_blocks(
        TEMPLATE / "README.md"
    )


def name_limits_table() -> str:
    """docs/questions.md's table of NAME_LIMITS, as the page must show it."""
    rows = ["| name | built as | limit | longest answer it allows |", "|---|---|---|---|"]
    for limit in pre_gen.NAME_LIMITS:
        allows = "any (shortened)" if limit.shortened else str(limit.longest_answer)
        pattern = limit.pattern.replace("|", "\\|")
        rows.append(f"| {limit.what} | `{pattern}` | {limit.limit} | {allows} |")
    return "\n".join(rows)


def test_the_questions_page_lists_every_name_limit() -> None:
    page = (TEMPLATE / "docs" / "questions.md").read_text()
    shown = page.split("<!-- name-limits")[1].split("-->", 1)[1].split("<!-- /name-limits -->")[0]
    assert shown.strip() == name_limits_table(), "regenerate it with tests.test_pre_gen_hook"
    assert f"3-{LONGEST_SLUG} lowercase letters" in page
    assert f"at most {LONGEST_PACKAGE} characters" in page
    for part, _, _ in pre_gen.RESERVED_SLUG_PARTS:
        assert f"`{part}`" in page


def test_a_wrong_slug_typed_at_the_prompt_stops_before_the_next_question(tmp_path: Path) -> None:
    result = _cookiecutter(tmp_path, stdin="Shop Service\nBad Slug\nshop_service\n")
    assert result.returncode == 1
    assert "[2/10]" in result.stdout
    assert "[3/10]" not in result.stdout
    assert result.stderr.startswith("Error: project_slug 'Bad Slug' must be")
    assert list(tmp_path.iterdir()) == []
