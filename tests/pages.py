"""Read Markdown pages the way the docs tests need them: headings and their anchors, links, and
the commands of ```console blocks.

Two anchor schemes exist: GitHub's (READMEs and the baked project's docs, read on GitHub) and
MkDocs' (the template's `docs/`, built into a site). Both are computed here, offline.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^\s`]*)")
HEADING = re.compile(r"^ {0,3}(?P<level>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
INLINE_CODE = re.compile(r"(`+)(?:.+?)\1")
# [text](target "title") and ![alt](target); the target may be wrapped in <>.
INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?(?P<target>[^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)"
)
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(?P<target>\S+?)>?(?:\s+.*)?$")
HTML_ID = re.compile(r"""\bid=["'](?P<id>[^"']+)["']""")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
# A trailing shell comment: whitespace, `#`, whitespace.
TRAILING_COMMENT = re.compile(r"\s+#\s.*$")
# The first line of a ```python block that is a whole test file: its path in the project.
FILE_TEMPLATE_LINE = re.compile(r"^# (?P<path>tests/(?P<layer>\w+)/test_\w+\.py)$")

Slugger = Callable[[list[str]], list[str]]


@dataclass(frozen=True)
class Block:
    """A fenced code block: its info string (language) and body."""

    language: str
    body: str
    line: int


@dataclass(frozen=True)
class Link:
    target: str
    line: int


def _prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of every line outside fenced code blocks."""
    fence: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = FENCE.match(line)
        if fence is None and match:
            fence = match["fence"]
        elif fence is not None and line.strip().startswith(fence[0] * len(fence)):
            if line.strip().strip(fence[0]) == "":
                fence = None
        elif fence is None:
            yield number, line


def blocks(text: str) -> list[Block]:
    """Every fenced code block of a page."""
    found: list[Block] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        fence, start = match["fence"], index
        body: list[str] = []
        index += 1
        while index < len(lines) and not (
            lines[index].strip().startswith(fence) and lines[index].strip().strip(fence[0]) == ""
        ):
            body.append(lines[index])
            index += 1
        found.append(Block(match["info"].lower(), "\n".join(body), start + 1))
        index += 1
    return found


@dataclass(frozen=True)
class FileTemplate:
    """A ```python block that is a complete test file, to be saved at `path`."""

    path: str
    layer: str
    source: str


def file_templates(text: str) -> list[FileTemplate]:
    """Every ```python block whose first line is `# tests/<layer>/test_<name>.py`."""
    found: list[FileTemplate] = []
    for block in blocks(text):
        first = block.body.splitlines()[0] if block.body else ""
        if block.language == "python" and (match := FILE_TEMPLATE_LINE.match(first)):
            found.append(FileTemplate(match["path"], match["layer"], block.body + "\n"))
    return found


def console_commands(text: str) -> list[str]:
    """The commands of every ```console block: one per line (backslash continues a line),
    without blank lines, comment lines and trailing comments. Console blocks hold commands
    only; output goes into ```text blocks."""
    commands: list[str] = []
    for block in blocks(text):
        if block.language != "console":
            continue
        for line in block.body.replace("\\\n", " ").splitlines():
            command = TRAILING_COMMENT.sub("", line).strip()
            if command and not command.startswith("#"):
                commands.append(re.sub(r"\s+", " ", command))
    return commands


def _heading_text(raw: str) -> str:
    """The text a heading renders to: links reduced to their text, code and emphasis marks off."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", raw)
    return re.sub(r"[`*]|<[^>]+>", "", text).strip()


def headings(text: str) -> list[str]:
    return [
        _heading_text(match["text"])
        for _, line in _prose_lines(text)
        if (match := HEADING.match(line))
    ]


def _deduplicate(slugs: list[str], separator: str) -> list[str]:
    seen: dict[str, int] = {}
    unique: list[str] = []
    for slug in slugs:
        count = seen.get(slug, 0)
        unique.append(slug if count == 0 else f"{slug}{separator}{count}")
        seen[slug] = count + 1
    return unique


def github_slugs(titles: list[str]) -> list[str]:
    """GitHub's heading anchors: lowercase, punctuation dropped, each space a hyphen."""
    return _deduplicate(
        [re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-") for title in titles], "-"
    )


def mkdocs_slugs(titles: list[str]) -> list[str]:
    """Python-Markdown's `toc` anchors (MkDocs' default): ASCII, punctuation dropped, runs of
    spaces and hyphens become one hyphen; repeats get `_1`, `_2`."""

    def slug(title: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
        value = re.sub(r"[^\w\s-]", "", ascii_text).strip().lower()
        return re.sub(r"[-\s]+", "-", value)

    return _deduplicate([slug(title) for title in titles], "_")


def anchors(text: str, slugger: Slugger) -> set[str]:
    """Every anchor a page offers: its headings' slugs and explicit HTML ids."""
    ids = {match["id"] for _, line in _prose_lines(text) for match in HTML_ID.finditer(line)}
    return set(slugger(headings(text))) | ids


def links(text: str) -> list[Link]:
    """Every inline link, image and reference definition outside code."""
    found: list[Link] = []
    for number, line in _prose_lines(text):
        prose = INLINE_CODE.sub(lambda match: " " * len(match[0]), line)
        found += [Link(match["target"], number) for match in INLINE_LINK.finditer(prose)]
        if definition := REFERENCE_DEFINITION.match(prose):
            found.append(Link(definition["target"], number))
    return found


def broken_links(page: Path, root: Path, slugger: Slugger) -> list[str]:
    """Links of `page` to a file or anchor that does not exist (external links are not
    followed). Relative targets must stay inside `root`."""
    problems: list[str] = []
    for link in links(page.read_text()):
        if not link.target or EXTERNAL.match(link.target):
            continue
        path_part, _, anchor = link.target.partition("#")
        target = (page.parent / path_part).resolve() if path_part else page
        where = f"{page.relative_to(root)}:{link.line}: {link.target}"
        if not target.is_relative_to(root.resolve()):
            problems.append(f"{where} leaves {root.name}")
        elif not target.exists():
            problems.append(f"{where} does not exist")
        elif anchor and (
            target.suffix != ".md" or anchor not in anchors(target.read_text(), slugger)
        ):
            problems.append(f"{where} names a missing anchor")
    return problems


def documented(command: str) -> str:
    """Mark a command that a page shows in a ```console block and that the calling test runs.

    Returns the command unchanged. tests/test_docs.py finds every `documented("...")` in the test
    files: that is how a shown command counts as run. Keep the argument verbatim; swap in a
    scratch folder, port or template location on the returned string if the test needs to.
    """
    return command


def visible_text(rendered: str) -> str:
    """What a reader sees of rendered HTML: the text without tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()
