# Staging: `terraform plan -var-file=envs/staging.tfvars` after
# `terraform init -reconfigure -backend-config=envs/staging.gcs.tfbackend`.
# Values marked TODO must be replaced before the first plan (validation rejects the placeholders).

environment = "staging"
app_name    = "{{ cookiecutter.project_slug }}"
# TODO: the id of this environment's project (6-30 characters); one project per environment
# keeps IAM and quotas apart.
project_id = "{{ cookiecutter.__gcp_project_prefix }}-stg"
region     = "europe-west1"

github_owner      = "{{ cookiecutter.github_owner }}"
github_repository = "{{ cookiecutter.project_slug }}"
# TODO: `gh api users/{{ cookiecutter.github_owner }} --jq .id` and `gh api repos/{{ cookiecutter.github_owner }}/{{ cookiecutter.project_slug }} --jq .id`
github_owner_id      = "TODO"
github_repository_id = "TODO"

min_instances = 0
max_instances = 4

db_tier = "db-custom-1-3840"

app_environment = {
  LOG_LEVEL = "INFO"
  # TODO: your identity provider (the app refuses to start without an https issuer and a JWKS URL).
  JWT_ISSUER   = "https://issuer.example.com/"
  JWT_AUDIENCE = "{{ cookiecutter.project_slug }}"
  JWT_JWKS_URL = "https://issuer.example.com/.well-known/jwks.json"
}
