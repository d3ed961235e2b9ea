"""MkDocs hook: the template's site shows pages that ship in every baked project, written once.

The per-workflow pages live where a baked project has them,
`{{cookiecutter.project_slug}}/docs/ci_cd/workflows/`, and the site shows them under `workflows/`;
the baked architecture page (the module map) and "From the example to your domain" show as
`architecture.md` and `your-domain.md` (MOUNTS; mkdocs.yml's nav lists them).
On those pages the hook
- renders the little Jinja they hold the way a bake with every cloud would (ANSWERS), and
- turns each link to a file the site does not show (the baked project's other docs and files)
  into the link's text, which names that file.
On every page, a link to the source of a page the site shows (template pages link to
`../{{cookiecutter.project_slug}}/docs/ci_cd/workflows/ci.md`, which also works on GitHub) becomes
the link to that page in the site.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

TEMPLATE = Path(__file__).resolve().parent.parent
PROJECT = TEMPLATE / "{{cookiecutter.project_slug}}"
# Page or folder of the generated project -> where the site shows it.
MOUNTS = {
    PROJECT / "docs" / "ci_cd" / "workflows": "workflows",
    PROJECT / "docs" / "architecture.md": "architecture.md",
    PROJECT / "docs" / "your-domain.md": "your-domain.md",
}
# The answers the site's copy is rendered with: every cloud, so every page and row shows.
ANSWERS = {"cloud": "both", "package_name": "<package>"}

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+).+?\1")
# [text](target), not images; the text may hold one level of brackets.
LINK = re.compile(r"(?<!!)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\((?P<target>[^)\s]+)\)")
NOT_A_FILE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#|/)", re.IGNORECASE)


def mounted_pages() -> dict[Path, str]:
    """The source of every page the hook adds -> its path in the site."""
    pages: dict[Path, str] = {}
    for source, site in MOUNTS.items():
        if source.is_file():
            pages[source] = site
        else:
            for page in sorted(source.rglob("*.md")):
                pages[page] = f"{site}/{page.relative_to(source).as_posix()}"
    return pages


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for source, src_uri in mounted_pages().items():
        files.append(File.generated(config, src_uri, abs_src_path=str(source)))
    return files


def on_serve(server: LiveReloadServer, **_: object) -> None:
    for source in MOUNTS:
        server.watch(str(source))


def _outside_code_spans(line: str, change: Callable[[str], str]) -> str:
    """Apply `change` to a line with its inline code spans held back."""
    spans: list[str] = []

    def hold(span: re.Match[str]) -> str:
        spans.append(span[0])
        return f"\x00{len(spans) - 1}\x00"

    changed = change(CODE_SPAN.sub(hold, line))
    return re.sub(r"\x00(\d+)\x00", lambda held: spans[int(held[1])], changed)


def _in_prose(markdown: str, change: Callable[[str], str]) -> str:
    """Apply `change` to every line outside fenced code, inline code spans held back."""
    lines: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        if match := FENCE.match(line):
            if fence is None:
                fence = match[1]
            elif match[1].startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            lines.append(line)
        else:
            lines.append(line if fence is not None else _outside_code_spans(line, change))
    return "".join(lines)


def on_page_markdown(markdown: str, *, page: Page, files: Files, **_: object) -> str:
    if page.file.abs_src_path is None:
        return markdown
    source = Path(page.file.abs_src_path).resolve()
    mounted = any(source.is_relative_to(root) for root in MOUNTS)
    if mounted:
        # Markdown, not HTML: escaping would change the page.
        environment = jinja2.Environment(
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            autoescape=False,  # noqa: S701
        )
        markdown = environment.from_string(markdown).render(cookiecutter=ANSWERS)
    shown = {
        Path(file.abs_src_path).resolve(): file.src_uri
        for file in files
        if file.abs_src_path is not None
    }
    here = posixpath.dirname(page.file.src_uri) or "."

    def relink(link: re.Match[str]) -> str:
        target = link["target"]
        if NOT_A_FILE.match(target):
            return link[0]
        path, hash_sign, anchor = target.partition("#")
        file = shown.get((source.parent / path).resolve())
        if file is not None:
            return f"[{link['text']}]({posixpath.relpath(file, here)}{hash_sign}{anchor})"
        # A baked page's link to a file of the project the site does not show: keep the words.
        return link["text"] if mounted else link[0]

    return _in_prose(markdown, lambda line: LINK.sub(relink, line))
