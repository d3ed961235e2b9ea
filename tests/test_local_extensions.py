"""The template's Jinja extension: literal answers, text that survives every format it lands in."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import markdown as python_markdown
import pytest
import yaml
from cookiecutter.environment import StrictEnvironment
from markdown_it import MarkdownIt

import local_extensions
from tests.hooks import post_gen
from tests.pages import visible_text
from tests.typography import TYPESET_NAME

TRICKY_TEXT = [
    "Shop Service",
    TYPESET_NAME,
    "{{ cookiecutter.project_slug }} {% raw %} {# note #} {%- endraw %}",
    "*bold* _it_ `code` [link](x) ![img](y) <b>tag</b> &amp; a|b ~~no~~ #1",
    "- a list? + or not",
    "1. first",
    "3) third",
    "=== underline",
    "> quoted",
    "# heading",
    "trailing #",
    "back\\slash \\*",
    "商店服务 データ Привет 👨‍👩‍👧",
]


def _environment() -> StrictEnvironment:
    return StrictEnvironment(
        context={"cookiecutter": {"_extensions": ["local_extensions.Answers"]}},
        keep_trailing_newline=True,
    )


@pytest.mark.parametrize("text", TRICKY_TEXT)
def test_an_answer_given_as_text_is_never_rendered_as_a_template(text: str) -> None:
    assert _environment().from_string(text).render(cookiecutter={}) == text


def test_the_templates_own_strings_still_render() -> None:
    environment = _environment()
    answers = {"project_name": "Shop", "project_slug": "shop", "package_name": "shop"}
    assert environment.from_string("out/{{cookiecutter.project_slug}}").render(
        cookiecutter=answers
    ) == ("out/shop")
    assert (
        environment.from_string("{{ cookiecutter.project_name | slug_of }}").render(
            cookiecutter=answers
        )
        == "shop"
    )


@pytest.mark.parametrize("text", TRICKY_TEXT)
def test_markdown_renders_as_the_text_in_commonmark_and_mkdocs(text: str) -> None:
    escaped = local_extensions.markdown(text)
    for source in (escaped, f"# {escaped}"):
        assert visible_text(MarkdownIt("commonmark").render(source)) == text
        assert visible_text(python_markdown.markdown(source)) == text


@pytest.mark.parametrize("text", TRICKY_TEXT)
def test_quoted_text_reads_back_in_toml_json_and_yaml(text: str) -> None:
    quoted = local_extensions.quoted(text)
    assert tomllib.loads(f"value = {quoted}")["value"] == text
    assert json.loads(quoted) == text
    assert yaml.safe_load(f"value: {quoted}")["value"] == text


@pytest.mark.parametrize(
    ("template", "link"),
    [
        (
            "gh:acme/cookiecutter-fastapi-gates",
            "https://github.com/acme/cookiecutter-fastapi-gates",
        ),
        ("https://gitlab.com/acme/gates.git", "https://gitlab.com/acme/gates"),
        ("git+https://git.example.com/t.git", "https://git.example.com/t"),
    ],
)
def test_the_readme_links_where_the_template_came_from(template: str, link: str) -> None:
    assert local_extensions.template_link(template) == f"[cookiecutter-fastapi-gates]({link})"


def test_a_local_template_is_named_without_a_path() -> None:
    assert local_extensions.template_link("/home/jane/src/gates") == (
        "cookiecutter-fastapi-gates (a local copy)"
    )


def test_a_wrong_answer_stops_the_questions_with_one_line() -> None:
    environment = _environment()
    answers = {"project_name": "Shop", "project_slug": "ab"}
    with pytest.raises(local_extensions.AnswerError) as refused:
        environment.from_string("{{ cookiecutter.project_slug | package_of }}").render(
            cookiecutter=answers
        )
    assert refused.value.message.startswith("project_slug 'ab' is 2 characters")


def test_free_text_is_stripped_once_every_question_is_answered() -> None:
    answers: dict[str, object] = {"project_name": "  Shop  ", "description": " A shop. "}
    environment = _environment()
    with pytest.raises(local_extensions.AnswerError):  # the other answers are missing
        environment.from_string("{{ cookiecutter | checked }}").render(cookiecutter=answers)
    assert answers["project_name"] == "Shop"
    assert answers["description"] == "A shop."


def test_after_a_bake_the_user_is_told_where_and_what_next() -> None:
    message = post_gen.next_steps(Path("/work/my shop"))
    assert message.splitlines() == [
        "Created my shop in /work/my shop",
        "Next: cd '/work/my shop'",
        "  make dev    serve the API against a throwaway PostgreSQL",
        "  make test   run the tests",
    ]
