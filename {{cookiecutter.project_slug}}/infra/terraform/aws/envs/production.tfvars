# Production: `terraform plan -var-file=envs/production.tfvars` after
# `terraform init -reconfigure -backend-config=envs/production.s3.tfbackend`.
# Values marked TODO must be replaced before the first plan (validation rejects the placeholders).

environment = "production"
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
domain_name     = "api.example.com"
route53_zone_id = "TODO"

desired_count = 2
max_count     = 6

db_instance_class = "db.m7g.large"

log_retention_days = 365

app_environment = {
  LOG_LEVEL = "INFO"
  # TODO: your identity provider (the app refuses to start without an https issuer and a JWKS URL).
  JWT_ISSUER   = "https://issuer.example.com/"
  JWT_AUDIENCE = "{{ cookiecutter.project_slug }}"
  JWT_JWKS_URL = "https://issuer.example.com/.well-known/jwks.json"
}
