terraform {
  required_version = ">= 1.11.0"

  required_providers {
    github = {
      source  = "integrations/github"
      version = "~> 6.6"
    }
  }

  # The backend block lives in backend_s3.tf or backend_gcs.tf, whichever matches the project's
  # cloud; with neither (no cloud chosen) the state is local.
}

# Authenticates with GITHUB_TOKEN from the environment (a fine-grained token with the repository's
# Administration and Environments write permissions), e.g. `GITHUB_TOKEN=$(gh auth token)`.
provider "github" {
  owner = var.github_owner
}
