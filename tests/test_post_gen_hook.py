"""The removal table keeps, moves and deletes exactly what the answers say."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.baking import TEMPLATE, choices
from tests.hooks import post_gen

PROJECT = TEMPLATE / "{{cookiecutter.project_slug}}"


def _tree(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def _scaffold(root: Path, files: list[str]) -> None:
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name)


def test_every_row_names_a_path_the_template_has() -> None:
    missing = [part.path for part in post_gen.PARTS if not (PROJECT / part.path).exists()]
    assert missing == []


def test_every_variant_waiting_in_the_choices_folder_has_a_row() -> None:
    variants = {
        str(path.relative_to(PROJECT))
        for path in (PROJECT / post_gen.CHOICES_DIR).rglob("*")
        if path.is_file()
    }
    assert variants == {part.path for part in post_gen.PARTS if part.path.startswith("_choices")}


@pytest.mark.parametrize("question", ["cloud", "license", "python_version"])
def test_every_choice_value_is_covered_by_the_table(question: str) -> None:
    covered = set().union(*(p.keep_for for p in post_gen.PARTS if p.question == question))
    assert set(choices(question)) - {"none"} <= covered


def test_unkept_parts_are_deleted_and_kept_variants_moved(tmp_path: Path) -> None:
    _scaffold(tmp_path, ["infra/aws/main.tf", "infra/gcp/main.tf", "_choices/a", "_choices/b"])
    parts = (
        post_gen.Part("infra/aws", "cloud", frozenset({"aws"})),
        post_gen.Part("infra/gcp", "cloud", frozenset({"gcp"})),
        post_gen.Part("_choices/a", "license", frozenset({"A"}), becomes="LICENSE"),
        post_gen.Part("_choices/b", "license", frozenset({"B"}), becomes="LICENSE"),
    )
    post_gen.apply_parts(tmp_path, {"cloud": "aws", "license": "B"}, parts)
    assert _tree(tmp_path) == {"infra/aws/main.tf", "LICENSE"}
    assert (tmp_path / "LICENSE").read_text() == "_choices/b"


def test_folders_the_table_empties_are_removed_but_not_the_project(tmp_path: Path) -> None:
    _scaffold(tmp_path, ["infra/terraform/gcp/main.tf", "README.md"])
    parts = (post_gen.Part("infra/terraform/gcp", "cloud", frozenset({"gcp"})),)
    post_gen.apply_parts(tmp_path, {"cloud": "none"}, parts)
    assert list(tmp_path.iterdir()) == [tmp_path / "README.md"]


def test_a_row_for_a_missing_path_is_a_loud_error(tmp_path: Path) -> None:
    parts = (post_gen.Part("nowhere", "cloud", frozenset({"aws"})),)
    with pytest.raises(FileNotFoundError, match="nowhere"):
        post_gen.apply_parts(tmp_path, {"cloud": "aws"}, parts)


def test_dependabot_folders_inside_deleted_parts_are_dropped_from_its_lists(tmp_path: Path) -> None:
    stacks = ["aws", "aws/bootstrap", "awsome", "gcp", "github"]
    _scaffold(tmp_path, [f"infra/{stack}/main.tf" for stack in stacks])
    config = tmp_path / post_gen.DEPENDABOT
    config.parent.mkdir(parents=True)
    config.write_text(
        "updates:\n"
        "  - package-ecosystem: terraform\n"
        "    directories:\n"
        "      - /infra/aws\n"
        "      - /infra/aws/bootstrap # its state bucket\n"
        "      - /infra/awsome\n"
        "      - /infra/gcp/\n"
        "      - /infra/github\n"
    )
    parts = (
        post_gen.Part("infra/aws", "cloud", frozenset({"aws"})),
        post_gen.Part("infra/gcp", "cloud", frozenset({"gcp"})),
    )
    post_gen.apply_parts(tmp_path, {"cloud": "gcp"}, parts)
    assert config.read_text() == (
        "updates:\n"
        "  - package-ecosystem: terraform\n"
        "    directories:\n"
        "      - /infra/awsome\n"
        "      - /infra/gcp/\n"
        "      - /infra/github\n"
    )


def test_the_templates_dependabot_lists_every_optional_folder_it_names_under_a_part() -> None:
    """Folders the Dependabot configuration names exist in the template; the hook drops those
    inside a deleted part, so every answer gets a list of folders that exist."""
    text = (PROJECT / post_gen.DEPENDABOT).read_text()
    listed = [m["path"] for line in text.splitlines() if (m := post_gen.DIRECTORY_ITEM.match(line))]
    assert "infra/terraform/aws/bootstrap" in listed
    assert [path for path in listed if not (PROJECT / path).is_dir()] == []
