# Staging: `terraform plan -var-file=envs/staging.tfvars` after
# `terraform init -reconfigure -backend-config=envs/staging.s3.tfbackend`.
# Values marked TODO must be replaced before the first plan (validation rejects the placeholders).

environment = "staging"
app_name    = "{{ cookiecutter.project_slug }}"
aws_region  = "eu-west-1"

# TODO: the account this environment lives in (guards against applying with the wrong credentials).
# allowed_account_ids = ["123456789012"]

github_owner      = "{{ cookiecutter.github_owner }}"
github_repository = "{{ cookiecutter.project_slug }}"
# TODO: `gh api users/{{ cookiecutter.github_owner }} --jq .id` and `gh api repos/{{ cookiecutter.github_owner }}/{{ cookiecutter.project_slug }} --jq .id`
github_owner_id      = "TODO"
github_repository_id = "TODO"
# Set to false in the second environment when staging and production share one AWS account.
create_github_oidc_provider = true

# TODO: a name in a Route 53 hosted zone of this account.
domain_name     = "staging.api.example.com"
route53_zone_id = "TODO"

desired_count = 1
max_count     = 3

db_instance_class = "db.t4g.small"

log_retention_days = 90

app_environment = {
  LOG_LEVEL = "INFO"
  # TODO: your identity provider (the app refuses to start without an https issuer and a JWKS URL).
  JWT_ISSUER   = "https://issuer.example.com/"
  JWT_AUDIENCE = "{{ cookiecutter.project_slug }}"
  JWT_JWKS_URL = "https://issuer.example.com/.well-known/jwks.json"
}
