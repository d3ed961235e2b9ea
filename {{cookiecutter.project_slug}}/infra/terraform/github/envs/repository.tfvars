# `terraform plan -var-file=envs/repository.tfvars` (one state for the repository's settings).

github_owner      = "{{ cookiecutter.github_owner }}"
github_repository = "{{ cookiecutter.project_slug }}"

# The aggregate job of .github/workflows/ci.yml.
required_status_checks = ["ci-ok"]
required_approvals     = 1

# TODO: who approves production deployments (`gh api users/NAME --jq .id`).
production_reviewer_user_ids = []
production_reviewer_team_ids = []

# Optional: paste the `github_variables` outputs of infra/terraform/aws and/or gcp here, e.g.
# environment_variables = {
#   staging    = { AWS_REGION = "eu-west-1", AWS_DEPLOY_ROLE_ARN = "arn:aws:iam::123456789012:role/..." }
#   production = { AWS_REGION = "eu-west-1", AWS_DEPLOY_ROLE_ARN = "arn:aws:iam::210987654321:role/..." }
# }
