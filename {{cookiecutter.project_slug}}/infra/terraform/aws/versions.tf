terraform {
  # 1.11: S3 native state locking (use_lockfile) and `override_during` in the mocked tests.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.x: the code uses no 6.x-only arguments; Dependabot proposes the next major.
      version = "~> 5.100"
    }
  }

  # Partial configuration: `terraform init -backend-config=envs/<environment>.s3.tfbackend`.
  backend "s3" {}
}
