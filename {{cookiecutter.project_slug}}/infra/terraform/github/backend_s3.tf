# Partial configuration: `terraform init -backend-config=envs/repository.s3.tfbackend`.
terraform {
  backend "s3" {}
}
