"""Check the answers before cookiecutter writes the project.

Cookiecutter renders this file with Jinja, runs it from the new project directory and deletes that
directory when the script exits non-zero, so a bad answer leaves nothing behind. The rules are
plain functions and tables: `local_extensions.py` applies the same ones while the questions are
asked (so nothing is created at all), and the template's tests import this file unrendered.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13")
CLOUDS = ("aws", "gcp", "both", "none")
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "Proprietary")

# Import names the generated project depends on: a package with one of these names would shadow it.
DEPENDENCY_IMPORTS = frozenset(
    {
        "alembic",
        "asyncpg",
        "fastapi",
        "httpx",
        "jwt",
        "pydantic",
        "pydantic_settings",
        "pytest",
        "sqlalchemy",
        "starlette",
        "uvicorn",
    }
)
# The generated project's top-level folders, and those its make targets write: its root is on
# sys.path in tests and tools, so a package of the same name would shadow them or be shadowed.
PROJECT_TOP_LEVEL = frozenset(
    {"deploy", "docs", "infra", "migrations", "ops", "src", "tests", "tools", "reports", "mutants"}
)


@dataclass(frozen=True)
class NameLimit:
    """A name the project builds from an answer, and the longest the place it goes accepts."""

    what: str
    # The name as the template builds it, `{slug}` or `{package}` standing for the answer.
    pattern: str
    limit: int

    @property
    def question(self) -> str:
        return "project_slug" if "{slug}" in self.pattern else "package_name"

    @property
    def longest_answer(self) -> int:
        fixed = self.pattern.replace("{slug}", "").replace("{package}", "")
        return self.limit - len(fixed)


# BEGIN NAME_LIMITS: every name derived from the slug or the package, with its limit.
NAME_LIMITS: tuple[NameLimit, ...] = (
    NameLimit("the Terraform app_name rule (infra/terraform/*/variables.tf)", "{slug}", 32),
    NameLimit("an AWS IAM role name", "{slug}-production-task-execution", 64),
    NameLimit("a Cloud Run service name", "{slug}-production", 49),
    NameLimit("a PostgreSQL role name", "{package}_tenant", 63),
    NameLimit(
        "the generated code's line limit (its longest import)",
        "from {package}.observability.request_telemetry import (",
        100,
    ),
)
# END NAME_LIMITS


def _tightest(question: str) -> NameLimit:
    return min(
        (limit for limit in NAME_LIMITS if limit.question == question),
        key=lambda limit: limit.longest_answer,
    )


SLUG_MIN_LENGTH = 3
SLUG_LIMIT = _tightest("project_slug")
PACKAGE_LIMIT = _tightest("package_name")
# Free text: long enough for any real title or sentence, short enough for one line of a page.
TEXT_MAX_LENGTH = {"project_name": 100, "description": 300, "author_name": 100}
EMAIL_MAX_LENGTH = 254

SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
PACKAGE = re.compile(r"[a-z][a-z0-9_]*")
# A practical address: the characters mail providers accept, a dotted domain, a letters-only TLD.
EMAIL = re.compile(
    r"[A-Za-z0-9._%+'-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
)
# GitHub: 1-39 alphanumerics or single hyphens, not at either end.
GITHUB_OWNER = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}")
# Unicode categories free text may not hold: control characters, line and paragraph separators,
# surrogates and unassigned code points; and the bidirectional overrides that make text read
# differently from what it is.
REFUSED_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Cs", "Cn", "Co"})
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")

Check = Callable[[str], "str | None"]


def slug_of(name: str) -> str:
    """The slug a project name gives: transliterated, lowercased, hyphenated, cut at a word."""
    from slugify import slugify  # cookiecutter's own dependency; only the prompts need it

    return str(
        slugify(
            name,
            max_length=SLUG_LIMIT.longest_answer,
            word_boundary=True,
            replacements=[["'", ""], ["\u2019", ""], ["&", " and "]],
        )
    )


def package_of(slug: str) -> str:
    """The import name a slug gives."""
    return slug.replace("-", "_")


def _free_text(question: str) -> Check:
    longest = TEXT_MAX_LENGTH[question]

    def check(value: str) -> str | None:
        if not value.strip():
            return "must not be empty"
        if value != value.strip():
            return "must not start or end with spaces"
        if len(value) > longest:
            return f"is {len(value)} characters; at most {longest} fit on one line of the README"
        for char in value:
            if unicodedata.category(char) in REFUSED_CATEGORIES or char in BIDI_CONTROLS:
                return (
                    f"contains {unicodedata.name(char, f'U+{ord(char):04X}')}: line breaks, "
                    "control and direction characters cannot be written into the project's files"
                )
        return None

    return check


def _slug(value: str) -> str | None:
    longest = SLUG_LIMIT.longest_answer
    if not SLUG.fullmatch(value):
        return (
            "must be lowercase letters, digits and single hyphens and start with a letter, "
            "e.g. 'shop-service'"
        )
    if not SLUG_MIN_LENGTH <= len(value) <= longest:
        return (
            f"is {len(value)} characters; it must be {SLUG_MIN_LENGTH}-{longest}, "
            f"the most that fit {SLUG_LIMIT.what}"
        )
    return None


def _suggested_package(value: str) -> str:
    suggestion = f"{value}_service" if PACKAGE.fullmatch(value) else "shop_service"
    return suggestion if len(suggestion) <= PACKAGE_LIMIT.longest_answer else "shop_service"


def _package(value: str) -> str | None:
    if not PACKAGE.fullmatch(value) or not value.isidentifier():
        return "must be a lowercase Python identifier (letters, digits, _), e.g. 'shop_service'"
    example = f"e.g. '{_suggested_package(value)}'"
    if keyword.iskeyword(value) or keyword.issoftkeyword(value):
        return f"is a Python keyword; pick another name, {example}"
    if value in sys.stdlib_module_names or value in DEPENDENCY_IMPORTS:
        return f"would shadow a module the project imports; pick another name, {example}"
    if value in PROJECT_TOP_LEVEL:
        return f"is a top-level folder of the generated project; pick another name, {example}"
    longest = PACKAGE_LIMIT.longest_answer
    if len(value) > longest:
        return f"is {len(value)} characters; at most {longest} fit {PACKAGE_LIMIT.what}"
    return None


def _email(value: str) -> str | None:
    if len(value) > EMAIL_MAX_LENGTH or not EMAIL.fullmatch(value):
        return "must look like name@example.com"
    return None


def _github_owner(value: str) -> str | None:
    if not GITHUB_OWNER.fullmatch(value):
        return (
            "must be a GitHub user or organization name: letters, digits and single hyphens, "
            "1-39 characters, no hyphen at either end, e.g. 'your-org'"
        )
    return None


def _one_of(choices: tuple[str, ...]) -> Check:
    def check(value: str) -> str | None:
        return None if value in choices else "must be one of " + ", ".join(choices)

    return check


# In question order, so the first complaint is about the earliest wrong answer.
CHECKS: dict[str, Check] = {
    "project_name": _free_text("project_name"),
    "project_slug": _slug,
    "package_name": _package,
    "description": _free_text("description"),
    "author_name": _free_text("author_name"),
    "author_email": _email,
    "github_owner": _github_owner,
    "python_version": _one_of(SUPPORTED_PYTHONS),
    "cloud": _one_of(CLOUDS),
    "license": _one_of(LICENSES),
}
# A derived answer that is wrong is reported with the answer it came from, which the user typed.
DERIVED_FROM = {
    "project_slug": ("project_name", slug_of),
    "package_name": ("project_slug", package_of),
}


def _where_from(question: str, value: str, answers: Mapping[str, object]) -> str:
    """`, made from project_name 'X',` when `value` is what the earlier answer gives."""
    if question not in DERIVED_FROM:
        return ""
    source, derive = DERIVED_FROM[question]
    source_value = answers.get(source)
    if not isinstance(source_value, str) or derive(source_value) != value:
        return ""
    return f" (made from {source} {source_value!r})"


def problem_with(question: str, answers: Mapping[str, object]) -> str | None:
    """One line naming what is wrong with one answer, or None."""
    value = answers.get(question)
    if not isinstance(value, str):
        return f"{question} is missing; answer it or pass {question}=... on the command line"
    problem = CHECKS[question](value)
    if problem is None:
        return None
    return (
        f"{question} {value!r}{_where_from(question, value, answers)} {problem}; "
        f"answer again or pass {question}=... on the command line."
    )


def first_problem(answers: Mapping[str, object], upto: str | None = None) -> str | None:
    """The line for the first wrong answer (up to and including `upto`), or None."""
    for question in CHECKS:
        problem = problem_with(question, answers)
        if problem:
            return problem
        if question == upto:
            break
    return None


def main(rendered_answers: str) -> int:
    problem = first_problem(json.loads(rendered_answers))
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    return 0


# JSON never holds three unescaped quotes in a row, so it cannot end this raw string early.
RENDERED_ANSWERS = r"""{{ cookiecutter | tojson }}"""

if __name__ == "__main__":
    sys.exit(main(RENDERED_ANSWERS))
