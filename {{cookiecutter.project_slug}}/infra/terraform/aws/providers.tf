provider "aws" {
  region = var.aws_region

  # Refuse to run against an account the environment was not meant for (e.g. staging creds on prod).
  allowed_account_ids = var.allowed_account_ids

  default_tags {
    tags = {
      Application = var.app_name
      Environment = var.environment
      ManagedBy   = "terraform"
      Repository  = "${var.github_owner}/${var.github_repository}"
    }
  }
}
