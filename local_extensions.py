"""The template's Jinja extension: derived defaults, answers checked as they are given, safe text.

Cookiecutter (and cruft) load it from cookiecutter.json's `_extensions` with this folder on
sys.path. It adds the filters cookiecutter.json and the project's files use, and makes answers
given on the command line literal text. The rules themselves are the pre-generation hook's: this
module loads that file and applies them while the questions are asked, so a wrong answer stops
cookiecutter before it creates any folder.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections.abc import Mapping, MutableMapping
from functools import cache
from pathlib import Path
from types import ModuleType

import click
from cookiecutter.config import BUILTIN_ABBREVIATIONS
from cookiecutter.repository import expand_abbreviations
from jinja2 import Environment, pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context

HERE = Path(__file__).resolve().parent
TEMPLATE_NAME = "cookiecutter-fastapi-gates"
FREE_TEXT = ("project_name", "description", "author_name")


class AnswerError(click.ClickException):
    """A wrong answer: click prints `Error: <the line>` and cookiecutter exits with status 1."""


def load_hook(name: str) -> ModuleType:
    """A hook of this template imported as a module: hooks are plain Python until rendered."""
    spec = importlib.util.spec_from_file_location(name, HERE / "hooks" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@cache
def rules() -> ModuleType:
    """The pre-generation hook: it holds every rule for the answers."""
    return load_hook("pre_gen_project")


def _refuse_first_problem(answers: Mapping[str, object], upto: str | None = None) -> None:
    problem = rules().first_problem(answers, upto=upto)
    if problem:
        raise AnswerError(problem)


def _answers(context: Context) -> MutableMapping[str, object]:
    answers = context["cookiecutter"]
    assert isinstance(answers, MutableMapping)
    return answers


def _strip_free_text(answers: MutableMapping[str, object]) -> None:
    for question in FREE_TEXT:
        value = answers.get(question)
        if isinstance(value, str):
            answers[question] = value.strip()


@pass_context
def slug_of(context: Context, name: str) -> str:
    """project_slug's default; refuses a wrong project_name right after it is typed.

    A name that gives no usable slug is not refused here: the user may still type a slug.
    """
    answers = _answers(context)
    _strip_free_text(answers)
    _refuse_first_problem(answers, upto="project_name")
    return str(rules().slug_of(name))


@pass_context
def package_of(context: Context, slug: str) -> str:
    """package_name's default; refuses a wrong name or slug right after the slug is given."""
    _refuse_first_problem(_answers(context), upto="project_slug")
    return str(rules().package_of(slug))


@pass_context
def checked(context: Context, answers: MutableMapping[str, object]) -> str:
    """Strip free text and refuse the first wrong answer, before anything is written."""
    assert answers is _answers(context)
    _strip_free_text(answers)
    _refuse_first_problem(answers)
    return "yes"


def quoted(text: str) -> str:
    """A double-quoted string that TOML, JSON and YAML read back as `text` (readable Unicode)."""
    return json.dumps(text, ensure_ascii=False)


# Characters that start inline formatting anywhere in CommonMark and Python-Markdown (escaped
# with a backslash, which both honour), and those that only entities neutralise in both.
_MARKDOWN_ESCAPED = re.compile(r"([\\`*_\[\]#])")
_MARKDOWN_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "~": "&#126;"}
# At the start of a line these open a list.
_MARKDOWN_BLOCK_START = re.compile(r"^(?:([-+])|(\d+)([.)]))")


def markdown(text: str) -> str:
    """`text` as Markdown that renders as exactly that text, on GitHub and in MkDocs."""
    escaped = _MARKDOWN_ESCAPED.sub(r"\\\1", text)
    escaped = "".join(_MARKDOWN_ENTITIES.get(char, char) for char in escaped)
    return _MARKDOWN_BLOCK_START.sub(
        lambda start: f"\\{start[1]}" if start[1] else f"{start[2]}\\{start[3]}", escaped
    )


def template_link(template: str) -> str:
    """A Markdown link to where the project was generated from, or its name for a local copy."""
    url = expand_abbreviations(template, BUILTIN_ABBREVIATIONS).removeprefix("git+")
    if not url.startswith(("https://", "http://")):
        return f"{TEMPLATE_NAME} (a local copy)"
    return f"[{TEMPLATE_NAME}]({url.removesuffix('.git')})"


@cache
def _template_sources() -> frozenset[str]:
    """The strings of cookiecutter.json: cookiecutter renders them as templates on purpose."""

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [text for item in value for text in strings(item)]
        if isinstance(value, dict):
            return [text for item in value.values() for text in strings(item)]
        return []

    return frozenset(strings(json.loads((HERE / "cookiecutter.json").read_text())))


# The only Jinja in the template's folder and file names, and the hooks' one expression.
_PATH_TAG = re.compile(r"\{\{cookiecutter\.[a-z_]+\}\}")
_HOOK_ANSWERS = "{{ cookiecutter | tojson }}"
_JINJA_DELIMITERS = re.compile(r"\{[{%#]|[}%#]\}")


def _is_template_source(source: str) -> bool:
    if source in _template_sources():
        return True
    rest = _PATH_TAG.sub("", source).replace(_HOOK_ANSWERS, "")
    return not _JINJA_DELIMITERS.search(rest)


def _jinja_literal(text: str) -> str:
    """A Jinja expression whose value is `text`: Jinja decodes its string literals as
    unicode-escape, so escape that way and spell out the characters Jinja's lexer looks for."""
    escaped = text.encode("unicode-escape").decode("ascii")
    for char in "\"'{}%#":
        escaped = escaped.replace(char, f"\\x{ord(char):02x}")
    return '{{ "' + escaped + '" }}'


class Answers(Extension):
    """Filters for the answers, and answers given as text taken literally."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(
            slug_of=slug_of,
            package_of=package_of,
            checked=checked,
            quoted=quoted,
            markdown=markdown,
            template_link=template_link,
        )

    def preprocess(  # Jinja's signature: the file name is not needed here
        self,
        source: str,
        name: str | None,
        filename: str | None = None,  # noqa: ARG002
    ) -> str:
        # Files of the template are loaded by name; cookiecutter renders everything else from a
        # string: cookiecutter.json's defaults, folder and file names, hooks, and the answers
        # given with --no-input, a config file or a replay. An answer is text, never a template.
        if name is not None or _is_template_source(source):
            return source
        return _jinja_literal(source)
