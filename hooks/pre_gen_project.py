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
    # The name as the template builds it, `{slug}` or `{package}` standing for the answer: of a
    # name made in several places the longest, of Terraform's the production one (its longer
    # environment). `#` stands for a character known only at plan time (a random suffix, an
    # availability zone).
    pattern: str
    limit: int
    # Where the template makes it, for the template's tests: a Terraform attribute
    # (`aws:aws_iam_role.task.name`, in infra/terraform/aws), a value in a baked file
    # (`compose.yaml#services.app`) or a baked file that holds the name (`src/{package}/db.py`).
    where: tuple[str, ...] = ()
    # The template cuts the answer (Terraform's substr) so that the name fits at any length.
    shortened: bool = False
    # The shortest the place accepts.
    least: int = 1

    @property
    def question(self) -> str:
        return "project_slug" if "{slug}" in self.pattern else "package_name"

    @property
    def longest_answer(self) -> int:
        if self.shortened:
            return sys.maxsize
        fixed = self.pattern.replace("{slug}", "").replace("{package}", "")
        return self.limit - len(fixed)


# BEGIN NAME_LIMITS: every name derived from the slug or the package, with its limit.
NAME_LIMITS: tuple[NameLimit, ...] = (
    NameLimit(
        "the Terraform app_name rule (infra/terraform/*/variables.tf)",
        "{slug}",
        32,
        where=(
            "aws:variable.app_name",
            "gcp:variable.app_name",
            "infra/terraform/aws/envs/{environment}.tfvars#app_name",
            "infra/terraform/gcp/envs/{environment}.tfvars#app_name",
        ),
        least=3,
    ),
    NameLimit(
        "a GitHub repository name",
        "{slug}",
        100,
        where=(
            "infra/terraform/aws/envs/{environment}.tfvars#github_repository",
            "infra/terraform/gcp/envs/{environment}.tfvars#github_repository",
            "infra/terraform/github/envs/repository.tfvars#github_repository",
        ),
    ),
    # AWS (infra/terraform/aws); limits of the AWS APIs, which the provider checks at plan time.
    NameLimit(
        "an AWS IAM role name",
        "{slug}-production-task-execution",
        64,
        where=(
            "aws:aws_iam_role.task_execution.name",
            "aws:aws_iam_role.task.name",
            "aws:aws_iam_role.rds_monitoring.name",
            "aws:aws_iam_role.vpc_flow.name",
            "aws:aws_iam_role.github_deploy.name",
        ),
    ),
    NameLimit(
        "an AWS IAM inline policy name",
        "deploy-{slug}-production",
        128,
        where=("aws:aws_iam_role_policy.github_deploy.name",),
    ),
    NameLimit(
        "an AWS load balancer or target group name",
        "{slug}-production",
        32,
        where=("aws:aws_lb.main.name", "aws:aws_lb_target_group.app.name"),
        shortened=True,
    ),
    NameLimit(
        "an S3 bucket_prefix (Terraform adds 26 characters to it; bucket names take 63)",
        "{slug}-production-alb-logs-",
        37,
        where=("aws:aws_s3_bucket.alb_logs.bucket_prefix",),
        shortened=True,
    ),
    NameLimit(
        "an ECR repository name",
        "{slug}-production",
        256,
        where=("aws:aws_ecr_repository.app.name",),
        least=2,
    ),
    NameLimit(
        "an ECS cluster, service or task definition family name",
        "{slug}-production",
        255,
        where=(
            "aws:aws_ecs_cluster.main.name",
            "aws:aws_ecs_service.app.name",
            "aws:aws_ecs_task_definition.app.family",
        ),
    ),
    NameLimit(
        "an Application Auto Scaling policy name",
        "{slug}-production-cpu",
        256,
        where=("aws:aws_appautoscaling_policy.cpu.name",),
    ),
    NameLimit(
        "an EC2 security group name",
        "{slug}-production-alb",
        255,
        where=(
            "aws:aws_security_group.alb.name",
            "aws:aws_security_group.app.name",
            "aws:aws_security_group.db.name",
        ),
    ),
    NameLimit(
        "an AWS tag value (Name tags, default tags)",
        "{slug}-production-private-###############",
        256,
        where=(
            "aws:provider.aws.default_tags.tags.Application",
            "aws:aws_security_group.alb.tags.Name",
            "aws:aws_security_group.app.tags.Name",
            "aws:aws_security_group.db.tags.Name",
            "aws:aws_vpc.main.tags.Name",
            "aws:aws_default_security_group.default.tags.Name",
            "aws:aws_subnet.public.tags.Name",
            "aws:aws_subnet.private.tags.Name",
            "aws:aws_internet_gateway.main.tags.Name",
            "aws:aws_route_table.public.tags.Name",
            "aws:aws_route_table.private.tags.Name",
            "aws:aws_eip.nat.tags.Name",
            "aws:aws_nat_gateway.main.tags.Name",
        ),
    ),
    NameLimit(
        "a KMS alias", "alias/{slug}-production", 256, where=("aws:aws_kms_alias.main.name",)
    ),
    NameLimit(
        "a KMS key description",
        "{slug}-production: logs, secrets, database, container images",
        8192,
        where=("aws:aws_kms_key.main.description",),
    ),
    NameLimit(
        "a CloudWatch log group name",
        "/aws/rds/instance/{slug}-production/postgresql",
        512,
        where=(
            "aws:aws_cloudwatch_log_group.app.name",
            "aws:aws_cloudwatch_log_group.vpc_flow.name",
            "aws:aws_cloudwatch_log_group.db.name",
            "aws:aws_cloudwatch_log_group.waf.name",
        ),
    ),
    NameLimit(
        "a Secrets Manager secret name",
        "{slug}-production/DATABASE_URL",
        512,
        where=("aws:aws_secretsmanager_secret.app.name",),
    ),
    NameLimit(
        "a Secrets Manager secret description",
        "DATABASE_URL for {slug}-production (value set outside Terraform)",
        2048,
        where=("aws:aws_secretsmanager_secret.app.description",),
    ),
    NameLimit(
        "an RDS instance identifier",
        "{slug}-production",
        63,
        where=("aws:aws_db_instance.main.identifier",),
    ),
    NameLimit(
        "an RDS snapshot identifier",
        "{slug}-production-final",
        255,
        where=("aws:aws_db_instance.main.final_snapshot_identifier",),
    ),
    NameLimit(
        "an RDS subnet group name",
        "{slug}-production",
        255,
        where=("aws:aws_db_subnet_group.main.name",),
    ),
    NameLimit(
        "an RDS parameter group name_prefix (Terraform adds 26 characters; names take 255)",
        "{slug}-production-",
        229,
        where=("aws:aws_db_parameter_group.main.name_prefix",),
    ),
    NameLimit(
        "a WAF web ACL name", "{slug}-production", 128, where=("aws:aws_wafv2_web_acl.main.name",)
    ),
    NameLimit(
        "a WAF metric name",
        "{slug}-production",
        255,
        where=("aws:aws_wafv2_web_acl.main.visibility_config.metric_name",),
    ),
    NameLimit(
        "an S3 state bucket name (envs/*.s3.tfbackend)",
        "{slug}-tfstate-production",
        63,
        where=(
            "infra/terraform/aws/envs/{environment}.s3.tfbackend#bucket",
            "infra/terraform/github/envs/repository.s3.tfbackend#bucket",
        ),
        least=3,
    ),
    # Google Cloud (infra/terraform/gcp).
    NameLimit(
        "a Cloud Run service name",
        "{slug}-production",
        49,
        where=("gcp:google_cloud_run_v2_service.app.name",),
    ),
    NameLimit(
        "a Cloud Run job name",
        "{slug}-production-migrate",
        63,
        where=("gcp:google_cloud_run_v2_job.migrate.name",),
    ),
    NameLimit(
        "a Google service account id",
        "{slug}-prd-deploy",
        30,
        where=(
            "gcp:google_service_account.runtime.account_id",
            "gcp:google_service_account.deployer.account_id",
        ),
        shortened=True,
        least=6,
    ),
    NameLimit(
        "a Google service account display name",
        "{slug}-production deployer (GitHub Actions)",
        100,
        where=(
            "gcp:google_service_account.runtime.display_name",
            "gcp:google_service_account.deployer.display_name",
        ),
    ),
    NameLimit(
        "an Artifact Registry repository id",
        "{slug}-production",
        63,
        where=("gcp:google_artifact_registry_repository.app.repository_id",),
    ),
    NameLimit(
        "a Compute Engine network, subnet, firewall rule or address name",
        "{slug}-production-deny-all-ingress",
        63,
        where=(
            "gcp:google_compute_network.main.name",
            "gcp:google_compute_subnetwork.run.name",
            "gcp:google_compute_firewall.deny_all_ingress.name",
            "gcp:google_compute_global_address.private_services.name",
        ),
    ),
    NameLimit(
        "a Secret Manager secret id",
        "{slug}-production-database-url",
        255,
        where=("gcp:google_secret_manager_secret.database_url.secret_id",),
    ),
    NameLimit(
        "a Cloud SQL instance name",
        "{slug}-production-######",
        98,
        where=("gcp:google_sql_database_instance.main.name",),
    ),
    NameLimit(
        "a Google Cloud label value",
        "{slug}",
        63,
        where=("gcp:provider.google.default_labels.application",),
    ),
    NameLimit(
        "a Google Cloud project id (the placeholder in envs/*.tfvars)",
        "{slug}-prd",
        30,
        where=("infra/terraform/gcp/envs/{environment}.tfvars#project_id",),
        shortened=True,
        least=6,
    ),
    NameLimit(
        "a Cloud Storage state bucket name (envs/*.gcs.tfbackend)",
        "{slug}-production-tfstate",
        63,
        where=(
            "infra/terraform/gcp/envs/{environment}.gcs.tfbackend#bucket",
            "infra/terraform/github/envs/repository.gcs.tfbackend#bucket",
        ),
        least=3,
    ),
    # The local stack and the code.
    NameLimit(
        "an image name Docker Compose builds",
        "{slug}-migrate",
        255,
        where=("compose.yaml#services.app", "compose.yaml#services.migrate"),
    ),
    NameLimit(
        "a PostgreSQL role name",
        "{package}_tenant",
        63,
        where=("src/{package}/db.py",),
    ),
    NameLimit(
        "the generated code's line limit (its longest import)",
        "from {package}.observability.request_telemetry import (",
        100,
        where=("tests/unit/test_observability.py",),
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

# What clouds refuse in names that begin with the slug: (prefix or word, only as a prefix, whose
# names refuse it).
RESERVED_SLUG_PARTS = (
    ("sthree-", True, "S3 bucket names (the state bucket)"),
    ("amzn-s3-demo-", True, "S3 bucket names (the state bucket)"),
    ("internal-", True, "AWS load balancer names"),
    ("goog", True, "Cloud Storage bucket names (the state bucket)"),
    ("google", False, "Cloud Storage bucket names (the state bucket)"),
    ("g00gle", False, "Cloud Storage bucket names (the state bucket)"),
)

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
    for part, prefix_only, where in RESERVED_SLUG_PARTS:
        if value.startswith(part) if prefix_only else part in value:
            place = "starts with" if prefix_only else "contains"
            return f"{place} {part!r}, which {where} refuse; pick another slug"
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
        f"run again and answer it, or pass {question}=... on the command line."
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
