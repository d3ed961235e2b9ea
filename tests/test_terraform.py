"""The Terraform of the generated project (infra/terraform): format, validation, mocked plans,
structural hardening and checkov.

terraform runs offline against a local provider mirror through a CLI config file of the tests'
own; only hashicorp/aws is there, so AWS is validated and plan-tested while GCP and GitHub are
parsed and checked structurally. Tests skip, saying why, where terraform, the mirror or checkov
is not available.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
import pytest

from tests.baking import TEMPLATE, choices, run
from tests.conftest import Bake
from tests.hooks import CLOUD_STACKS, cloud_stacks, github_backend, pre_gen

TEMPLATE_INFRA = TEMPLATE / "{{cookiecutter.project_slug}}" / "infra" / "terraform"
ALL_STACKS = (*CLOUD_STACKS, "github")
LONG_LIVED_KEYS = frozenset(
    {"aws_iam_access_key", "google_service_account_key", "google_storage_hmac_key"}
)
KEY_POLICY_ID = "CKV2_FASTAPI_1"
# Defaults of the template's answers, as they appear in rendered files.
SLUG, OWNER = "shop-service", "your-org"

HCL_OPTIONS = hcl2.SerializationOptions(
    with_comments=False, explicit_blocks=False, preserve_heredocs=False, strip_string_quotes=True
)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def pinned_checkov() -> str:
    """tf-check.sh is the single place the checkov version is pinned."""
    script = (TEMPLATE_INFRA / "tf-check.sh").read_text()
    match = re.search(r'CHECKOV_VERSION="\$\{CHECKOV_VERSION:-([0-9.]+)\}"', script)
    assert match, "tf-check.sh must pin CHECKOV_VERSION"
    return match.group(1)


CHECKOV_VERSION = pinned_checkov()


def parse_hcl(path: Path) -> dict[str, Any]:
    parsed: dict[str, Any] = hcl2.loads(path.read_text(), serialization_options=HCL_OPTIONS)
    return parsed


def one(body: Mapping[str, Any], block: str) -> dict[str, Any]:
    """The single nested block `block` of a resource body (python-hcl2 gives blocks as lists)."""
    blocks = body.get(block)
    assert isinstance(blocks, list), f"no {block} block in {sorted(body)}"
    assert len(blocks) == 1, f"expected one {block} block: {blocks}"
    found: dict[str, Any] = blocks[0]
    return found


@dataclass(frozen=True)
class Stack:
    """The top-level blocks of one Terraform root (its *.tf files, not subfolders)."""

    path: Path
    resources: dict[str, dict[str, Any]]  # "type.name" -> body
    variables: dict[str, dict[str, Any]]
    terraform: list[dict[str, Any]]
    data: dict[str, dict[str, Any]]  # "data.type.name" -> body
    locals: dict[str, Any]  # name -> expression
    providers: dict[str, dict[str, Any]]  # "provider.name" -> body

    @classmethod
    def load(cls, path: Path) -> Stack:
        resources: dict[str, dict[str, Any]] = {}
        variables: dict[str, dict[str, Any]] = {}
        terraform: list[dict[str, Any]] = []
        data: dict[str, dict[str, Any]] = {}
        local_values: dict[str, Any] = {}
        providers: dict[str, dict[str, Any]] = {}
        for file in sorted(path.glob("*.tf")):
            parsed = parse_hcl(file)
            for block in parsed.get("resource", []):
                for kind, named in block.items():
                    resources.update({f"{kind}.{name}": body for name, body in named.items()})
            for block in parsed.get("data", []):
                for kind, named in block.items():
                    data.update({f"data.{kind}.{name}": body for name, body in named.items()})
            for block in parsed.get("variable", []):
                variables.update(block)
            for block in parsed.get("locals", []):
                local_values.update(block)
            for block in parsed.get("provider", []):
                providers.update({f"provider.{name}": body for name, body in block.items()})
            terraform.extend(parsed.get("terraform", []))
        return cls(path, resources, variables, terraform, data, local_values, providers)

    def resource(self, address: str) -> dict[str, Any]:
        assert address in self.resources, f"{self.path.name} has no {address}"
        return self.resources[address]


def find_provider_mirror() -> Path | None:
    """The folder whose child is `registry.terraform.io` and that holds hashicorp/aws."""

    def usable(folder: Path) -> bool:
        return (folder / "registry.terraform.io" / "hashicorp" / "aws").is_dir()

    configured = os.environ.get("TF_PROVIDER_MIRROR")
    if configured:
        folder = Path(configured)
        folder = folder.parent if folder.name == "registry.terraform.io" else folder
        return folder if usable(folder) else None
    # Usual places for a filesystem mirror, a few levels deep: cheaper than walking the disk.
    roots = [Path("/opt"), Path("/usr/local/share"), Path("/usr/share"), Path("/srv"), Path.home()]
    for root in roots:
        for pattern in (
            "registry.terraform.io",
            "*/registry.terraform.io",
            "*/*/registry.terraform.io",
        ):
            for hit in sorted(root.glob(pattern)) if root.is_dir() else []:
                if usable(hit.parent):
                    return hit.parent
    return None


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def infra(baked: Bake) -> Path:
    """infra/terraform of a project with every stack (cloud=both)."""
    return baked({"cloud": "both"}) / "infra" / "terraform"


@pytest.fixture(scope="session")
def terraform() -> str:
    found = shutil.which("terraform")
    if found is None:
        pytest.skip("terraform not on PATH: install Terraform >= 1.11 to run these checks")
    return found


@pytest.fixture(scope="session")
def tf_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for offline terraform: a CLI config of our own pointing at the local mirror."""
    mirror = find_provider_mirror()
    if mirror is None:
        pytest.skip(
            "no Terraform provider mirror with hashicorp/aws found: set TF_PROVIDER_MIRROR to the "
            "folder that contains registry.terraform.io"
        )
    config = tmp_path_factory.mktemp("terraform-cli") / "terraformrc"
    config.write_text(
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path    = "{mirror}"\n'
        '    include = ["registry.terraform.io/hashicorp/*"]\n  }\n'
        '  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n'
        "}\n"
    )
    return {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(config),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "TF_INPUT": "0",
    }


@pytest.fixture(scope="session")
def aws_roots(
    infra: Path, terraform: str, tf_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """The AWS stack and its bootstrap root, initialised once in a copy (init writes files)."""
    copy = tmp_path_factory.mktemp("aws") / "aws"
    shutil.copytree(infra / "aws", copy)
    roots = {"aws": copy, "aws/bootstrap": copy / "bootstrap"}
    for root in roots.values():
        run(
            [terraform, "init", "-backend=false", "-input=false", "-no-color"], root, env=tf_env
        ).ok()
    return roots


@pytest.fixture(scope="session")
def stacks(infra: Path) -> dict[str, Stack]:
    return {name: Stack.load(infra / name) for name in ALL_STACKS}


@dataclass(frozen=True)
class Checkov:
    """The pinned checkov, run through `uv tool run` in a throwaway environment of its own."""

    command: list[str]
    # Outside the baked project: a pyenv shim for uv would read its .python-version.
    workdir: Path

    def scan(self, directory: Path, infra: Path) -> dict[str, Any]:
        """JSON report of `directory` with the project's checkov config and custom policies."""
        command: list[str | Path] = [
            *self.command,
            "checkov",
            *("--config-file", infra / "checkov.yaml"),
            *("--external-checks-dir", infra / "checkov-policies"),
            *("--directory", directory, "--output", "json"),
        ]
        result = run(command, self.workdir)
        try:
            report: dict[str, Any] = json.loads(result.stdout)
        except json.JSONDecodeError:
            pytest.fail(f"checkov printed no report (exit {result.returncode}):\n{result.stderr}")
        return report


@pytest.fixture(scope="session")
def checkov(tmp_path_factory: pytest.TempPathFactory) -> Checkov:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv not on PATH: checkov runs in its own environment through `uv tool run`")
    workdir = tmp_path_factory.mktemp("checkov")
    command = [uv, "tool", "run", "--from", f"checkov=={CHECKOV_VERSION}"]
    probe = run([*command, "python", "-c", "import checkov"], workdir)
    if probe.returncode != 0:
        pytest.skip(f"uv could not install checkov {CHECKOV_VERSION}: {probe.stderr[-500:]}")
    return Checkov(command, workdir)


# ---------------------------------------------------------------------------------------------
# The baked stacks follow the cloud answer and render cleanly
# ---------------------------------------------------------------------------------------------


def test_the_hooks_table_decides_every_cloud_stack() -> None:
    # Which stacks an answer keeps is read from the hook's table: every stack but GitHub's is there.
    stacks = {path.parent.name for path in TEMPLATE_INFRA.glob("*/*.tf")}
    assert stacks == set(ALL_STACKS)
    kept_by_some = {stack for cloud in choices("cloud") for stack in cloud_stacks(cloud)}
    assert kept_by_some == set(CLOUD_STACKS), "a stack that no answer keeps"


@pytest.mark.parametrize("cloud", choices("cloud"))
def test_baked_stacks_match_cloud(baked: Bake, cloud: str) -> None:
    infra = baked({"cloud": cloud}) / "infra" / "terraform"
    present = {path.name for path in infra.iterdir() if path.is_dir() and any(path.glob("*.tf"))}
    assert present == {*cloud_stacks(cloud), "github"}


@pytest.mark.parametrize("cloud", choices("cloud"))
def test_github_state_lives_with_the_cloud(baked: Bake, cloud: str) -> None:
    github = baked({"cloud": cloud}) / "infra" / "terraform" / "github"
    backends = {path.stem.removeprefix("backend_") for path in github.glob("backend_*.tf")}
    backend_files = {path.name for path in (github / "envs").glob("*.tfbackend")}
    expected = github_backend(cloud)
    assert backends == ({expected} if expected else set()), (
        "the post-generation hook must keep exactly the GitHub backend matching the cloud"
    )
    assert backend_files == ({f"repository.{expected}.tfbackend"} if expected else set())


@pytest.mark.parametrize("cloud", choices("cloud"))
def test_terraform_fmt(baked: Bake, cloud: str, terraform: str) -> None:
    infra = baked({"cloud": cloud}) / "infra" / "terraform"
    run([terraform, "fmt", "-check", "-recursive", "-diff", "-no-color"], infra).ok()


def test_only_identity_answers_are_templated() -> None:
    """HCL is full of braces: Jinja may appear only as the project's name and owner in envs/, and
    as the name cut to the 26 characters a Google project id placeholder leaves for it."""
    allowed = re.compile(
        r"\{\{ cookiecutter\.(project_slug|github_owner|__gcp_project_prefix) \}\}"
    )
    offenders = []
    for path in sorted(TEMPLATE_INFRA.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text()
        leftover = allowed.sub("", text) if path.parent.name == "envs" else text
        if re.search(r"\{\{|\{%|\{#", leftover):
            offenders.append(str(path.relative_to(TEMPLATE_INFRA)))
    assert offenders == []


@pytest.mark.parametrize("stack", ALL_STACKS)
def test_env_files_fit_the_variables(infra: Path, stacks: dict[str, Stack], stack: str) -> None:
    variables = stacks[stack].variables
    required = {name for name, body in variables.items() if "default" not in body}
    tfvars = sorted((infra / stack / "envs").glob("*.tfvars"))
    expected = ["production", "staging"] if stack != "github" else ["repository"]
    assert [path.stem for path in tfvars] == expected
    for path in tfvars:
        values = parse_hcl(path)
        assert set(values) <= set(variables), f"{path.name} sets undeclared variables"
        assert required <= set(values), f"{path.name} misses {sorted(required - set(values))}"
        assert values.get("environment", path.stem) == path.stem
        assert values.get("app_name", SLUG) == SLUG
        assert values["github_owner"] == OWNER


@pytest.mark.parametrize("stack", CLOUD_STACKS)
def test_each_environment_has_its_own_state(
    infra: Path, stacks: dict[str, Stack], stack: str
) -> None:
    # A partial backend block: everything environment-specific comes from envs/*.tfbackend.
    backend_blocks = [
        one(block, "backend") for block in stacks[stack].terraform if "backend" in block
    ]
    # The same kind of storage the GitHub stack uses beside this cloud (the hook's table).
    assert backend_blocks == [{github_backend(stack): {}}]
    backends = {
        path.name.split(".")[0]: parse_hcl(path)
        for path in (infra / stack / "envs").glob("*.tfbackend")
    }
    assert set(backends) == {"staging", "production"}
    if stack == "aws":
        for settings in backends.values():
            # S3-native locking (DynamoDB locking is deprecated) and encrypted state.
            assert settings["use_lockfile"] is True
            assert settings["encrypt"] is True
        assert backends["staging"]["key"] != backends["production"]["key"]
    else:
        assert backends["staging"]["prefix"] != backends["production"]["prefix"]


def test_no_long_lived_keys(stacks: dict[str, Stack]) -> None:
    for stack in stacks.values():
        assert not {address.split(".")[0] for address in stack.resources} & LONG_LIVED_KEYS


def test_every_checkov_skip_has_a_reason() -> None:
    skip = re.compile(r"#\s*checkov:skip=([^:\s]+)(?::(.*))?")
    skips = [
        (path.name, match)
        for path in sorted(TEMPLATE_INFRA.rglob("*.tf"))
        for match in skip.finditer(path.read_text())
    ]
    assert skips, "expected the documented skips"
    for name, match in skips:
        assert re.fullmatch(r"CKV2?_[A-Z]+_\d+", match.group(1)), f"{name}: {match.group(0)}"
        assert len((match.group(2) or "").strip()) >= 20, (
            f"{name}: skip without a reason: {match.group(0)}"
        )
    config = (TEMPLATE_INFRA / "checkov.yaml").read_text()
    assert "skip-check" not in config, "skips belong next to the resource, with a reason"


# ---------------------------------------------------------------------------------------------
# AWS: validate and plan against the mocked provider
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("root", ["aws", "aws/bootstrap"])
def test_aws_validate(
    aws_roots: dict[str, Path], terraform: str, tf_env: dict[str, str], root: str
) -> None:
    run([terraform, "validate", "-no-color"], aws_roots[root], env=tf_env).ok()


def test_aws_terraform_test(
    aws_roots: dict[str, Path], terraform: str, tf_env: dict[str, str]
) -> None:
    """tests/*.tftest.hcl: production hardening, staging sizing, rejected input (plan, mocked)."""
    output = run([terraform, "test", "-no-color"], aws_roots["aws"], env=tf_env).ok().stdout
    assert re.search(r"Success! [1-9]\d* passed, 0 failed", output), output


# The longest slug the hook accepts; tests/test_name_limits.py checks every name built from it.
LONGEST_SLUG = "a" + "b" * (pre_gen.SLUG_LIMIT.longest_answer - 2) + "c"
# The env files' TODO values (validation rejects them until they are replaced), and stand-ins.
TODO_STAND_INS = {
    "github_owner_id": "1234567",
    "github_repository_id": "890123456",
    "route53_zone_id": "Z0123456789ABCDEFGHIJ",
}


@pytest.fixture(scope="session")
def aws_longest_slug(
    baked: Bake, terraform: str, tf_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The AWS stack of a project with the longest slug, initialised in a copy, with a plan-only
    test that takes its variables from the command line: the shipped test's mocks without its
    variables, which would override -var-file."""
    infra = baked({"project_slug": LONGEST_SLUG, "cloud": "aws"}) / "infra" / "terraform"
    copy = tmp_path_factory.mktemp("aws-longest-slug") / "aws"
    shutil.copytree(infra / "aws", copy)
    shipped = (copy / "tests" / "hardening.tftest.hcl").read_text()
    mocks = shipped.split("\nvariables {", 1)[0]
    assert "mock_provider" in mocks, "hardening.tftest.hcl changed shape"
    assert "run " not in mocks, "hardening.tftest.hcl changed shape"
    (copy / "tests" / "env_files.tftest.hcl").write_text(
        f'{mocks}\nrun "plans_with_the_env_files" {{\n  command = plan\n}}\n'
    )
    run([terraform, "init", "-backend=false", "-input=false", "-no-color"], copy, env=tf_env).ok()
    return copy


@pytest.mark.parametrize("environment", ["staging", "production"])
def test_aws_plans_the_longest_slug_with_its_env_files(
    aws_longest_slug: Path, terraform: str, tf_env: dict[str, str], environment: str
) -> None:
    """The provider checks every name against its limit while planning (mocked)."""
    tfvars = aws_longest_slug / "envs" / f"{environment}.tfvars"
    values = parse_hcl(tfvars)
    assert values["app_name"] == LONGEST_SLUG
    todo = sorted(name for name, value in values.items() if value == "TODO")
    assert set(todo) <= set(TODO_STAND_INS), "give the new TODO values a stand-in"
    command = [
        terraform,
        "test",
        "-no-color",
        "-filter=tests/env_files.tftest.hcl",
        f"-var-file={tfvars}",
        *(f"-var={name}={TODO_STAND_INS[name]}" for name in todo),
    ]
    output = run(command, aws_longest_slug, env=tf_env).ok().stdout
    assert "Success! 1 passed, 0 failed" in output, output


# ---------------------------------------------------------------------------------------------
# GCP and GitHub: no provider here, so the hardening is checked on the parsed HCL
# ---------------------------------------------------------------------------------------------


def test_gcp_database_is_private_protected_and_backed_up(stacks: dict[str, Stack]) -> None:
    sql = stacks["gcp"].resource("google_sql_database_instance.main")
    settings = one(sql, "settings")
    network = one(settings, "ip_configuration")
    backups = one(settings, "backup_configuration")
    assert sql["deletion_protection"] is True
    assert settings["deletion_protection_enabled"] is True
    assert network["ipv4_enabled"] is False
    assert network["private_network"] == "${google_compute_network.main.id}"
    assert network["ssl_mode"] == "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    assert backups["enabled"] is True
    assert backups["point_in_time_recovery_enabled"] is True
    assert settings["availability_type"] == '${local.is_production ? "REGIONAL" : "ZONAL"}'


def test_gcp_registry_is_immutable_and_cleaned(stacks: dict[str, Stack]) -> None:
    registry = stacks["gcp"].resource("google_artifact_registry_repository.app")
    assert one(registry, "docker_config")["immutable_tags"] is True
    assert {policy["action"] for policy in registry["cleanup_policies"]} == {"KEEP", "DELETE"}
    assert registry["cleanup_policy_dry_run"] is False


def test_gcp_service_probes_secrets_and_ownership(stacks: dict[str, Stack]) -> None:
    service = stacks["gcp"].resource("google_cloud_run_v2_service.app")
    template = one(service, "template")
    container = one(template, "containers")
    assert template["service_account"] == "${google_service_account.runtime.email}"
    assert one(one(container, "startup_probe"), "http_get")["path"] == "/readyz"
    assert one(one(container, "liveness_probe"), "http_get")["path"] == "/healthz"
    database_url = one(container, "env")
    assert database_url["name"] == "DATABASE_URL"
    assert one(one(database_url, "value_source"), "secret_key_ref")["version"] == "latest"
    assert one(template, "vpc_access")["egress"] == "PRIVATE_RANGES_ONLY"
    # CI owns the image: Terraform must not roll a deployed revision back.
    assert "${template[0].containers[0].image}" in one(service, "lifecycle")["ignore_changes"]


def test_gcp_federation_is_pinned_to_ids_and_environment(stacks: dict[str, Stack]) -> None:
    gcp = stacks["gcp"]
    provider = gcp.resource("google_iam_workload_identity_pool_provider.github")
    condition = provider["attribute_condition"]
    assert one(provider, "oidc")["issuer_uri"] == "https://token.actions.githubusercontent.com"
    for clause in (
        "assertion.repository_id == '${var.github_repository_id}'",
        "assertion.repository_owner_id == '${var.github_owner_id}'",
        "assertion.environment == '${var.environment}'",
        "assertion.sub == 'repo:${var.github_owner}/${var.github_repository}"
        ":environment:${var.environment}'",
        "assertion.sub == 'repo:${var.github_owner}@${var.github_owner_id}/"
        "${var.github_repository}@${var.github_repository_id}:environment:${var.environment}'",
    ):
        assert clause in condition
    binding = gcp.resource("google_service_account_iam_member.deployer_federation")
    assert binding["member"].endswith("/attribute.repository_id/${var.github_repository_id}")


def test_gcp_deployer_has_only_deploy_roles(stacks: dict[str, Stack]) -> None:
    deployer = "serviceAccount:${google_service_account.deployer.email}"
    granted = {
        (address.split(".")[0], body["role"])
        for address, body in stacks["gcp"].resources.items()
        if body.get("member") == deployer
    }
    # Scoped to the repository, the service, the job and the runtime account; never project-wide.
    assert granted == {
        ("google_artifact_registry_repository_iam_member", "roles/artifactregistry.writer"),
        ("google_cloud_run_v2_service_iam_member", "roles/run.developer"),
        ("google_cloud_run_v2_job_iam_member", "roles/run.developer"),
        ("google_service_account_iam_member", "roles/iam.serviceAccountUser"),
    }


def test_github_main_requires_review_and_ci(stacks: dict[str, Stack]) -> None:
    github = stacks["github"]
    ruleset = github.resource("github_repository_ruleset.main")
    rules = one(ruleset, "rules")
    checks = one(rules, "required_status_checks")
    assert ruleset["enforcement"] == "active"
    assert one(one(ruleset, "conditions"), "ref_name")["include"] == ["~DEFAULT_BRANCH"]
    assert rules["non_fast_forward"] is True
    assert rules["deletion"] is True
    assert (
        one(rules, "pull_request")["required_approving_review_count"] == "${var.required_approvals}"
    )
    assert github.variables["required_approvals"]["default"] >= 1
    assert checks["strict_required_status_checks_policy"] is True
    assert (
        checks["dynamic"][0]["required_check"]["for_each"] == "${toset(var.required_status_checks)}"
    )
    assert github.variables["required_status_checks"]["default"] == ["ci-ok"]


def test_github_production_needs_a_reviewer_and_main(stacks: dict[str, Stack]) -> None:
    github = stacks["github"]
    production = github.resource("github_repository_environment.production")
    assert production["prevent_self_review"] is True
    assert production["can_admins_bypass"] is False
    assert one(production, "reviewers") == {
        "users": "${var.production_reviewer_user_ids}",
        "teams": "${var.production_reviewer_team_ids}",
    }
    for environment in ("staging", "production"):
        policy = one(
            github.resource(f"github_repository_environment.{environment}"),
            "deployment_branch_policy",
        )
        assert policy == {"protected_branches": False, "custom_branch_policies": True}
    assert (
        github.resource("github_repository_environment_deployment_policy.main_only")[
            "branch_pattern"
        ]
        == "main"
    )


# ---------------------------------------------------------------------------------------------
# checkov (offline, pinned, its own environment)
# ---------------------------------------------------------------------------------------------


def test_checkov_passes_every_stack(checkov: Checkov, infra: Path) -> None:
    # One scan of infra/terraform (checkov's start-up dominates); findings are grouped by stack.
    report = checkov.scan(infra, infra)
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["resource_count"] > 0
    failed = {
        stack: [
            f"{check['check_id']} {check['resource']} ({check['file_path']}): {check['check_name']}"
            for check in report["results"]["failed_checks"]
            if check["file_path"].startswith(f"/{stack}/")
        ]
        for stack in ALL_STACKS
    }
    assert {stack: found for stack, found in failed.items() if found} == {}


def test_checkov_policy_forbids_long_lived_keys(
    checkov: Checkov, infra: Path, tmp_path: Path
) -> None:
    keys = {
        "aws_iam_access_key": 'user = "ci"',
        "google_service_account_key": 'service_account_id = "ci"',
        "google_storage_hmac_key": 'service_account_email = "ci@example.iam.gserviceaccount.com"',
    }
    assert set(keys) == LONG_LIVED_KEYS
    (tmp_path / "main.tf").write_text(
        "".join(f'resource "{kind}" "ci" {{\n  {body}\n}}\n\n' for kind, body in keys.items())
    )
    report = checkov.scan(tmp_path, infra)
    flagged = {
        check["resource"]
        for check in report["results"]["failed_checks"]
        if check["check_id"] == KEY_POLICY_ID
    }
    assert flagged == {f"{kind}.ci" for kind in LONG_LIVED_KEYS}


# ---------------------------------------------------------------------------------------------
# tf-check.sh (make tf-check): the steps per stack, with terraform and uv replaced by recorders
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def recorded_tools(tmp_path: Path) -> tuple[dict[str, str], Path]:
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    for tool in ("terraform", "uv"):
        stub = bin_dir / tool
        stub.write_text(
            "#!/usr/bin/env bash\n"
            f'echo "{tool} $*" >> "$CALLS_LOG"\n'
            '[[ -z "${FAIL_ON:-}" || "$*" != *"$FAIL_ON"* ]]\n'
        )
        stub.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "CALLS_LOG": str(log),
    }
    return env, log


def calls(log: Path, infra: Path) -> list[str]:
    return log.read_text().replace(f"{infra}/", "").splitlines() if log.exists() else []


def test_tf_check_runs_every_step_per_stack(
    infra: Path, recorded_tools: tuple[dict[str, str], Path]
) -> None:
    env, log = recorded_tools
    run(["bash", infra / "tf-check.sh"], infra, env=env).ok()
    recorded = calls(log, infra)
    assert recorded[:7] == [
        "terraform -chdir=aws fmt -check -recursive -diff",
        "terraform -chdir=aws init -backend=false -input=false -no-color",
        "terraform -chdir=aws validate -no-color",
        "terraform -chdir=aws test -no-color",
        "terraform -chdir=aws/bootstrap init -backend=false -input=false -no-color",
        "terraform -chdir=aws/bootstrap validate -no-color",
        f"uv tool run --from checkov=={CHECKOV_VERSION} checkov"
        " --config-file checkov.yaml --external-checks-dir checkov-policies --directory aws",
    ]
    stacks_checked = [line.rsplit(" ", 1)[1] for line in recorded if line.startswith("uv ")]
    assert stacks_checked == list(ALL_STACKS)
    assert not any("gcp test" in line or "github test" in line for line in recorded)


def test_tf_check_passes_shellcheck(infra: Path) -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck not on PATH (apt-get install shellcheck)")
    run([shellcheck, infra / "tf-check.sh"], infra).ok()


def test_tf_check_stops_at_the_first_failure(
    infra: Path, recorded_tools: tuple[dict[str, str], Path]
) -> None:
    env, log = recorded_tools
    result = run(["bash", infra / "tf-check.sh", "aws"], infra, env={**env, "FAIL_ON": "validate"})
    assert result.returncode != 0
    assert not any(line.startswith("uv ") for line in calls(log, infra))


def test_tf_check_rejects_an_unknown_stack(
    infra: Path, recorded_tools: tuple[dict[str, str], Path]
) -> None:
    env, _ = recorded_tools
    result = run(["bash", infra / "tf-check.sh", "azure"], infra, env=env)
    assert result.returncode != 0
    assert "unknown stack: azure" in result.stderr
