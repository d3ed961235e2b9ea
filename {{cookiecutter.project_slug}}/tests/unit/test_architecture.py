"""The runtime's rooms stay apart (docs/architecture.md): the platform never imports a domain,
a domain's pure rules import no framework, and a domain plugs in at one registration point."""

from __future__ import annotations

import ast
import sys
from importlib.resources import files
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter
from sqlalchemy import MetaData

import {{ cookiecutter.package_name }}
from {{ cookiecutter.package_name }}.errors import (
    UNKNOWN_TENANT,
    constraint_messages,
)
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.registration import Domain

from tests.conftest import make_settings

PACKAGE = {{ cookiecutter.package_name }}.__name__
ROOT = Path(str(files(PACKAGE)))
# The example domain, and the modules that choose which domain the service serves.
DOMAIN_PACKAGE = f"{PACKAGE}.shop"
ENTRY_POINTS = {f"{PACKAGE}.main", f"{PACKAGE}.domain", f"{PACKAGE}.jobs"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, with relative imports resolved."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            prefix = ".".join(base[: len(base) - node.level + 1]) if node.level else ""
            target = ".".join(part for part in (prefix, node.module or "") if part)
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


MODULES = {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}
PLATFORM = sorted(
    name for name in MODULES if name not in ENTRY_POINTS and not name.startswith(DOMAIN_PACKAGE)
)
RULES = sorted(name for name in MODULES if name.startswith(f"{DOMAIN_PACKAGE}.domain"))


def _reaches(imported: set[str], *modules: str) -> set[str]:
    return {
        name for name in imported if any(name == m or name.startswith(f"{m}.") for m in modules)
    }


@pytest.mark.parametrize("module", PLATFORM)
def test_the_platform_never_imports_a_domain(module: str) -> None:
    imported = _imports(MODULES[module])
    assert _reaches(imported, DOMAIN_PACKAGE, f"{PACKAGE}.domain") == set()


@pytest.mark.parametrize("module", RULES)
def test_pure_rules_import_the_standard_library_and_the_service_exceptions_only(
    module: str,
) -> None:
    # mutmut: `make mutation` runs these tests on mutated copies that import its trampoline.
    allowed = {f"{PACKAGE}.exceptions", f"{DOMAIN_PACKAGE}.domain", "mutmut"}
    outside = {
        name
        for name in _imports(MODULES[module])
        if name.split(".")[0] not in sys.stdlib_module_names and not _reaches({name}, *allowed)
    }
    assert outside == set()


def test_the_layers_exist_where_these_rules_look() -> None:
    # A rename that empties a list above would make its rule pass without checking anything.
    assert f"{PACKAGE}.errors" in PLATFORM
    assert f"{PACKAGE}.db" in PLATFORM
    assert f"{DOMAIN_PACKAGE}.domain.payments" in RULES


async def test_any_domain_plugs_in_at_the_registration_point() -> None:
    router = APIRouter(prefix="/api/v1/notes")

    @router.get("")
    async def list_notes() -> list[str]:
        return ["first"]

    notes = Domain(routers=(router,), metadata=MetaData(), tenant_tables=())
    app = create_app(make_settings(), domain=notes)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/api/v1/notes")).json() == ["first"]
        assert (await client.get("/api/v1/products")).status_code == 404


def test_each_tenant_table_explains_a_missing_organization_and_the_domain_may_say_more() -> None:
    messages = constraint_messages(("notes",), {"uq_notes_title": "a note with this title exists"})
    assert messages == {
        "fk_notes_organization_id_organizations": UNKNOWN_TENANT,
        "uq_notes_title": "a note with this title exists",
    }
