"""Every name the generated project builds from the slug or the package fits the place it goes, and
NAME_LIMITS in the pre-generation hook (the one table of those names and their limits) says so.

The Terraform is read, not run (there is no Google provider here): every resource, data source
and provider attribute whose expression uses `var.app_name`, or a local built from it, is
evaluated (tests/hcl_eval.py) for the shortest and the longest slugs the hook accepts, in both
environments. Each must have a NAME_LIMITS entry that lists it in `where`, fit the entry's
limits, and the entry's pattern must be the longest name among its places. Names Terraform cuts
to fit (`substr`, `trimsuffix`) are `shortened`: they are evaluated for far longer slugs too. The
`app_name` validations must accept exactly the slugs the hook accepts. Baked projects give the
values Jinja writes: the env files (tfvars, backend files) and compose.yaml. (The env files also
set github_repository to the slug; it is checked there, and what Terraform builds from it are
descriptions and OIDC conditions, not names.)

tests/test_terraform.py plans the AWS stack of the longest slug with its real env files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.baking import choices
from tests.conftest import Bake
from tests.hcl_eval import UnsupportedError, evaluate
from tests.hooks import CLOUD_STACKS, cloud_stacks, kept, pre_gen
from tests.test_terraform import TEMPLATE_INFRA, Stack, parse_hcl

LIMITS: tuple[Any, ...] = pre_gen.NAME_LIMITS
ENVIRONMENTS = ("staging", "production")
SHORTEST: int = pre_gen.SLUG_MIN_LENGTH
LONGEST: int = pre_gen.SLUG_LIMIT.longest_answer


def repeated(unit: str, length: int) -> str:
    """A slug of `length` characters: `unit` repeated, ending in a letter instead of a hyphen."""
    text = (unit * length)[:length]
    return text[:-1] + "z" if text.endswith("-") else text


# Slugs the hook accepts. The hyphenated ones put a hyphen where Terraform cuts names (`trimsuffix`
# must drop it). The shortest one also stands for `{slug}` when patterns are compared: no cut
# reaches it.
SLUGS = {
    "shortest": "q" + "z" * (SHORTEST - 2) + "x",
    "longest": "a" + "b" * (LONGEST - 2) + "c",
    "longest-hyphen-every-2nd": repeated("a-", LONGEST),
    "longest-hyphen-every-3rd": repeated("ab-", LONGEST),
}
MARK = SLUGS["shortest"]
# Far past the hook's limit: only names Terraform cuts to fit can take it.
OVERLONG = "a" + "b" * (3 * LONGEST) + "c"
# What Terraform learns at plan time, at its longest: availability zone names (ap-southeast-1a)
# and random_id's hex digits, written `#` as in the patterns.
AVAILABILITY_ZONES = ["#" * 15] * 3

# Meta-arguments hold no names; for_each and count are evaluated to expand instances.
META_ARGUMENTS = frozenset({"for_each", "count", "depends_on", "lifecycle", "provider"})
# Every Terraform root of the template: each folder that holds .tf files.
TERRAFORM_ROOTS = tuple(
    sorted({str(path.parent.relative_to(TEMPLATE_INFRA)) for path in TEMPLATE_INFRA.rglob("*.tf")})
)
STACKS = {root: Stack.load(TEMPLATE_INFRA / root) for root in TERRAFORM_ROOTS}
_REFERENCE = re.compile(r"\b(var|local)\.([A-Za-z_][A-Za-z0-9_-]*)")
_TERRAFORM_PLACE = re.compile(r"^(?P<root>[a-z/]+):(?P<address>.+)$")


def entry_id(entry: Any) -> str:
    return re.sub(r"\W+", "-", str(entry.what)).strip("-")


def place_kind(place: str) -> str:
    """`terraform` (aws:aws_lb.main.name), `value` (compose.yaml#services.app) or `file`."""
    if "#" in place:
        return "value"
    return "terraform" if _TERRAFORM_PLACE.match(place) else "file"


ENTRY_AT: dict[str, Any] = {place: entry for entry in LIMITS for place in entry.where}


# ---------------------------------------------------------------------------------------------
# Terraform: the attributes that build names from app_name, and their values
# ---------------------------------------------------------------------------------------------


def derived_symbols(stack: Stack) -> frozenset[str]:
    """`var.app_name` and every local built from it, directly or through another such local."""
    symbols = {"var.app_name"}
    grown = True
    while grown:
        grown = False
        for name, expression in stack.locals.items():
            if f"local.{name}" not in symbols and mentions(expression, symbols):
                symbols.add(f"local.{name}")
                grown = True
    return frozenset(symbols)


def mentions(expression: Any, symbols: frozenset[str] | set[str]) -> bool:
    return isinstance(expression, str) and any(
        f"{kind}.{name}" in symbols for kind, name in _REFERENCE.findall(expression)
    )


@dataclass(frozen=True)
class Derived:
    """One attribute of a Terraform block whose expression uses app_name."""

    root: str
    block: str  # "aws_iam_role.task", "provider.aws", "data.aws_x.y"
    attribute: str  # "name", "tags.Name", "visibility_config.metric_name"
    expression: str
    body: Mapping[str, Any] = field(repr=False)

    @property
    def place(self) -> str:
        return f"{self.root}:{self.block}.{self.attribute}"


def attributes(body: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    """(dotted path, expression) of every string in a block, nested blocks and maps included."""
    if isinstance(body, dict):
        for key, value in body.items():
            if not path and key in META_ARGUMENTS:
                continue
            yield from attributes(value, (*path, key))
    elif isinstance(body, list):
        for item in body:
            yield from attributes(item, path)
    elif isinstance(body, str):
        yield ".".join(path), body


def derived_attributes(root: str) -> list[Derived]:
    stack = STACKS[root]
    symbols = derived_symbols(stack)
    blocks = {**stack.resources, **stack.data, **stack.providers}
    found = {
        (block, attribute): Derived(root, block, attribute, expression, body)
        for block, body in blocks.items()
        for attribute, expression in attributes(body)
        if mentions(expression, symbols)
    }
    return list(found.values())


DERIVED = [derived for root in TERRAFORM_ROOTS for derived in derived_attributes(root)]
DERIVED_AT = {derived.place: derived for derived in DERIVED}


@dataclass(frozen=True)
class Scope:
    """What a Terraform expression's references mean for one slug, environment and instance."""

    stack: Stack
    values: Mapping[str, Any]  # variable values; the rest come from their defaults
    each: Any = None
    index: int | None = None

    def resolve(self, path: Sequence[str]) -> Any:
        head, *rest = path
        if head == "var" and len(rest) == 1:
            return self.variable(rest[0])
        if head == "local" and len(rest) == 1:
            value = self.stack.locals[rest[0]]
            return evaluate(value, self.resolve) if isinstance(value, str) else value
        if head == "each" and rest in (["key"], ["value"]) and self.each is not None:
            return self.each
        if head == "count" and rest == ["index"] and self.index is not None:
            return self.index
        if path[:2] == ["data", "aws_availability_zones"] and path[-1] == "names":
            return AVAILABILITY_ZONES
        if head == "random_id" and len(rest) == 2 and rest[1] == "hex":
            return "#" * 2 * int(self.stack.resource(f"random_id.{rest[0]}")["byte_length"])
        body = self.stack.resources.get(f"{head}.{rest[0]}") if rest else None
        if body is not None and len(rest) == 2 and isinstance(body.get(rest[1]), str):
            # Another resource's attribute that is written in the code, such as its name.
            return evaluate(body[rest[1]], replace(self, each=None, index=None).resolve)
        raise UnsupportedError(f"{'.'.join(path)} is not known before apply; give it a stand-in")

    def variable(self, name: str) -> Any:
        if name in self.values:
            return self.values[name]
        declared = self.stack.variables.get(name, {})
        if "default" not in declared:
            raise UnsupportedError(f"var.{name} has no default; give the scope a value")
        return declared["default"]

    def instances(self, body: Mapping[str, Any]) -> list[Scope]:
        """One scope per instance of a block with for_each or count."""
        if "for_each" in body:
            keys = evaluate(body["for_each"], self.resolve)
            return [replace(self, each=key) for key in keys]
        if "count" in body:
            return [
                replace(self, index=index) for index in range(evaluate(body["count"], self.resolve))
            ]
        return [self]


def names(derived: Derived, slug: str, environment: str) -> list[str]:
    """What the attribute evaluates to, for each instance of its block."""
    scope = Scope(STACKS[derived.root], {"app_name": slug, "environment": environment})
    values = [evaluate(derived.expression, each.resolve) for each in scope.instances(derived.body)]
    assert all(isinstance(value, str) for value in values), f"{derived.place}: {values!r}"
    return values


def as_pattern(name: str, slug: str = MARK) -> str:
    return name.replace(slug, "{slug}")


# ---------------------------------------------------------------------------------------------
# The table itself
# ---------------------------------------------------------------------------------------------


def test_every_entry_says_where_and_no_place_has_two() -> None:
    places = [place for entry in LIMITS for place in entry.where]
    assert [entry.what for entry in LIMITS if not entry.where] == []
    assert sorted({place for place in places if places.count(place) > 1}) == []
    assert all(0 < entry.least <= entry.limit for entry in LIMITS)


def test_the_slug_limit_is_the_tightest_entry() -> None:
    # Terraform enforces only its app_name rule: every other name must fit whatever it accepts.
    assert pre_gen.SLUG_LIMIT is ENTRY_AT["aws:variable.app_name"]
    assert all(
        entry.longest_answer >= LONGEST for entry in LIMITS if entry.question == "project_slug"
    )


@pytest.mark.parametrize("slug", SLUGS.values(), ids=SLUGS.keys())
def test_the_test_slugs_are_accepted(slug: str) -> None:
    assert pre_gen.CHECKS["project_slug"](slug) is None
    assert pre_gen.CHECKS["package_name"](pre_gen.package_of(slug)) is None


# ---------------------------------------------------------------------------------------------
# Terraform names: one entry each, within its limits, its pattern the longest at its places
# ---------------------------------------------------------------------------------------------


def fits(entry: Any, name: str, place: str) -> list[str]:
    """What is wrong with one name at one place: its length, or hyphens most names refuse (two in
    a row, one at the end of anything but a prefix)."""
    problems = []
    if not entry.least <= len(name) <= entry.limit:
        problems.append(f"{len(name)} characters, {entry.what} takes {entry.least}-{entry.limit}")
    if "--" in name:
        problems.append("two hyphens in a row")
    if name.endswith("-") and not place.endswith("prefix"):
        problems.append("ends with a hyphen")
    return [f"{name!r}: {problem}" for problem in problems]


@pytest.mark.parametrize("derived", DERIVED, ids=[derived.place for derived in DERIVED])
def test_terraform_name_has_an_entry_and_fits(derived: Derived) -> None:
    entry = ENTRY_AT.get(derived.place)
    example = max(names(derived, SLUGS["longest"], "production"), key=len)
    assert entry is not None, (
        f"{derived.place} builds {example!r} from app_name: add it to NAME_LIMITS "
        "(hooks/pre_gen_project.py) with its provider's limit"
    )
    problems = [
        f"{slug_id}, {environment}: {problem}"
        for slug_id, slug in SLUGS.items()
        for environment in ENVIRONMENTS
        for name in names(derived, slug, environment)
        for problem in fits(entry, name, derived.place)
    ]
    assert problems == []


def terraform_places(entry: Any) -> list[str]:
    return [
        place
        for place in entry.where
        if place_kind(place) == "terraform" and ":variable." not in place
    ]


TERRAFORM_ENTRIES = [entry for entry in LIMITS if terraform_places(entry)]


@pytest.mark.parametrize("entry", TERRAFORM_ENTRIES, ids=map(entry_id, TERRAFORM_ENTRIES))
def test_pattern_is_the_longest_terraform_name_at_its_places(entry: Any) -> None:
    places = terraform_places(entry)
    assert [place for place in places if place not in DERIVED_AT] == [], (
        "these places build no name from app_name (renamed or removed?)"
    )
    built = {
        as_pattern(name)
        for place in places
        for name in names(DERIVED_AT[place], MARK, "production")
    }
    longest = max(len(name) for name in built)
    assert entry.pattern in built, f"Terraform builds {sorted(built)}"
    assert len(entry.pattern) == longest, f"the longest name is {longest} characters: {built}"
    if not entry.shortened:
        # Not cut by Terraform: the whole slug is in every name, however long.
        for place in places:
            for name in names(DERIVED_AT[place], SLUGS["longest"], "production"):
                assert SLUGS["longest"] in name, f"{place} cuts the slug: mark the entry shortened"


SHORTENED = [entry for entry in TERRAFORM_ENTRIES if entry.shortened]


@pytest.mark.parametrize("entry", SHORTENED, ids=map(entry_id, SHORTENED))
@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_shortened_names_fit_however_long_the_slug(entry: Any, environment: str) -> None:
    for place in terraform_places(entry):
        for name in names(DERIVED_AT[place], OVERLONG, environment):
            assert fits(entry, name, place) == [], place


# ---------------------------------------------------------------------------------------------
# The app_name validations accept exactly the slugs the hook accepts
# ---------------------------------------------------------------------------------------------


def app_name_accepted(root: str, value: str) -> bool:
    stack = STACKS[root]
    scope = Scope(stack, {"app_name": value})
    return all(
        evaluate(rule["condition"], scope.resolve) is True
        for rule in stack.variables["app_name"]["validation"]
    )


def slug_of_length(length: int) -> str:
    return "a" + "b" * (length - 2) + "c" if length >= 2 else "a"


SHAPES = {
    "single-hyphens": "a-b-c",
    "digits": "a1-2b",
    "trailing-hyphen": "abc-",
    "leading-hyphen": "-abc",
    "two-hyphens": "ab--c",
    "leading-digit": "1abc",
    "underscore": "ab_c",
    "uppercase": "Abcd",
    "dot": "ab.c",
    "space": "ab c",
}


@pytest.mark.parametrize("root", CLOUD_STACKS)
def test_app_name_rule_accepts_the_hooks_lengths(root: str) -> None:
    lengths = range(1, LONGEST + 4)
    accepted = [n for n in lengths if app_name_accepted(root, slug_of_length(n))]
    assert accepted == list(range(SHORTEST, LONGEST + 1))
    entry = ENTRY_AT[f"{root}:variable.app_name"]
    assert (entry.least, entry.limit) == (SHORTEST, LONGEST)


@pytest.mark.parametrize("root", CLOUD_STACKS)
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_app_name_rule_agrees_with_the_hook_on_shape(root: str, shape: str) -> None:
    by_hook = pre_gen.CHECKS["project_slug"](shape) is None
    assert app_name_accepted(root, shape) == by_hook


# ---------------------------------------------------------------------------------------------
# The env files Jinja writes: tfvars and backend files
# ---------------------------------------------------------------------------------------------


def env_places() -> list[tuple[str, str]]:
    """(file, key) of every top-level value of an env file that Jinja builds from the slug."""
    found = []
    for path in sorted(TEMPLATE_INFRA.glob("*/envs/*")):
        for key, value in parse_hcl(path).items():
            answers = set(
                re.findall(r"cookiecutter\.(\w+)", value if isinstance(value, str) else "")
            )
            if answers - {"github_owner"}:
                found.append((str(path.relative_to(TEMPLATE_INFRA.parent.parent)), key))
    return found


ENV_PLACES = env_places()
# Other rules a backend value meets: the bootstrap stack creates the S3 state bucket.
BACKEND_RULES = {("s3", "bucket"): ("aws/bootstrap", "bucket_name")}


def generic(file: str) -> str:
    """The file with its environment as `{environment}`, as NAME_LIMITS writes it."""
    return re.sub(r"/(staging|production)\.", "/{environment}.", file)


def project_for(baked: Bake, slug: str, file: str) -> Path:
    # The bake with the most stacks that keeps the file: the hook's table says which that is (the
    # GitHub stack keeps its state in GCS only when Google Cloud is the only cloud).
    by_stacks = sorted(choices("cloud"), key=lambda cloud: -len(cloud_stacks(cloud)))
    cloud = next(cloud for cloud in by_stacks if kept(file, {"cloud": cloud}))
    return baked({"project_slug": slug, "cloud": cloud}).path


@pytest.mark.parametrize("slug_id", ["shortest", "longest", "longest-hyphen-every-2nd"])
@pytest.mark.parametrize(("file", "key"), ENV_PLACES, ids=[f"{f}#{k}" for f, k in ENV_PLACES])
def test_env_file_value_has_an_entry_fits_and_passes_validation(
    baked: Bake, slug_id: str, file: str, key: str
) -> None:
    slug = SLUGS[slug_id]
    place = f"{generic(file)}#{key}"
    entry = ENTRY_AT.get(place)
    assert entry is not None, f"{place} is built from the slug: add it to NAME_LIMITS"
    project = project_for(baked, slug, file)
    values = parse_hcl(project / file)
    value = values[key]
    assert fits(entry, value, place) == []
    if slug_id == "shortest" and "/staging." not in file:
        assert as_pattern(value, slug) == entry.pattern
    # The rules Terraform checks it against: its variable's validation (app_name, project_id,
    # github_repository), or for a state bucket the bootstrap stack's.
    if file.endswith(".tfvars"):
        root, variable = file.split("/")[2], key
    else:
        backend = file.split(".")[-2]  # s3 or gcs
        if (backend, key) not in BACKEND_RULES:
            return
        root, variable = BACKEND_RULES[backend, key]
    stack = STACKS[root]
    scope = Scope(stack, {**values, variable: value})
    for rule in stack.variables[variable].get("validation", []):
        assert evaluate(rule["condition"], scope.resolve) is True, rule["error_message"]


# ---------------------------------------------------------------------------------------------
# Everything else the slug or the package names
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug_id", ["shortest", "longest"])
def test_compose_image_names_have_an_entry_and_fit(baked: Bake, slug_id: str) -> None:
    slug = SLUGS[slug_id]
    compose = yaml.safe_load(
        (baked({"project_slug": slug, "cloud": "both"}) / "compose.yaml").read_text()
    )
    # Compose names the images it builds <project>-<service>.
    built = {
        f"compose.yaml#services.{service}": f"{compose['name']}-{service}"
        for service, spec in compose["services"].items()
        if "build" in spec and "image" not in spec
    }
    assert built, "compose.yaml builds no image?"
    for place, image in built.items():
        entry = ENTRY_AT.get(place)
        assert entry is not None, f"{place} builds {image!r}: add it to NAME_LIMITS"
        assert fits(entry, image, place) == []
    for entry in {ENTRY_AT[place] for place in built}:
        longest = max(
            (image for place, image in built.items() if ENTRY_AT[place] is entry), key=len
        )
        assert as_pattern(longest, slug) == entry.pattern


FILE_ENTRIES = [
    entry for entry in LIMITS if any(place_kind(place) == "file" for place in entry.where)
]


@pytest.mark.parametrize("entry", FILE_ENTRIES, ids=map(entry_id, FILE_ENTRIES))
def test_file_holds_the_name(baked: Bake, entry: Any) -> None:
    slug = SLUGS["longest"]
    package = pre_gen.package_of(slug)
    project = baked({"project_slug": slug, "cloud": "both"}).path
    name = entry.pattern.replace("{slug}", slug).replace("{package}", package)
    for place in entry.where:
        text = (project / place.replace("{package}", package)).read_text()
        assert name in text, f"{place} does not hold {name!r}"
        assert fits(entry, name, place) == []


def test_deploy_steps_build_no_names_from_the_slug(baked: Bake) -> None:
    """The deploy make targets and workflows take every cloud name from GitHub variables."""
    slug = SLUGS["longest"]
    project = baked({"project_slug": slug, "cloud": "both"}).path
    files = [*project.glob("deploy/*.mk"), *project.glob(".github/workflows/deploy*.yml")]
    assert files
    assert [str(path.relative_to(project)) for path in files if slug in path.read_text()] == []
