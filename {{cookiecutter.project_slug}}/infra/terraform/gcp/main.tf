locals {
  name          = "${var.app_name}-${var.environment}"
  is_production = var.environment == "production"

  # Service account ids are limited to 30 characters.
  sa_prefix = trimsuffix(substr("${var.app_name}-${local.is_production ? "prd" : "stg"}", 0, 22), "-")

  container_port  = 8000
  app_environment = merge(var.app_environment, { ENVIRONMENT = var.environment })
}

resource "google_project_service" "apis" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "compute.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "servicenetworking.googleapis.com",
    "sqladmin.googleapis.com",
    "sts.googleapis.com",
  ])

  project = var.project_id
  service = each.key
  # Other stacks in the project may rely on the APIs: never switch them off on destroy.
  disable_on_destroy = false
}
