# Partial configuration: `terraform init -backend-config=envs/repository.gcs.tfbackend`.
terraform {
  backend "gcs" {}
}
