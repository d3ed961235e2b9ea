# What the deploy workflow needs; `github_variables` bundles them under the names it reads.

output "project_id" {
  description = "Project of this environment."
  value       = var.project_id
}

output "region" {
  description = "Region of the service, the job and the registry."
  value       = var.region
}

output "artifact_registry_repository" {
  description = "Image path prefix: push <value>/app:<git sha>."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.app.repository_id}"
}

output "cloud_run_service" {
  description = "Cloud Run service CI deploys revisions to."
  value       = google_cloud_run_v2_service.app.name
}

output "migration_job" {
  description = "Cloud Run job CI updates to the new image and executes before the rollout."
  value       = google_cloud_run_v2_job.migrate.name
}

output "service_url" {
  description = "HTTPS URL of the service (smoke tests hit <url>/healthz and <url>/readyz)."
  value       = google_cloud_run_v2_service.app.uri
}

output "workload_identity_provider" {
  description = "Full provider name for google-github-actions/auth `workload_identity_provider`."
  value       = google_iam_workload_identity_pool_provider.github.name
}

output "deploy_service_account" {
  description = "Service account GitHub Actions impersonates (google-github-actions/auth `service_account`)."
  value       = google_service_account.deployer.email
}

output "runtime_service_account" {
  description = "Service account the service and the migration job run as."
  value       = google_service_account.runtime.email
}

output "github_variables" {
  description = "GitHub Actions variables for this environment (see README; infra/terraform/github can set them)."
  value = {
    GCP_PROJECT_ID                 = var.project_id
    GCP_REGION                     = var.region
    GCP_WORKLOAD_IDENTITY_PROVIDER = google_iam_workload_identity_pool_provider.github.name
    GCP_DEPLOY_SERVICE_ACCOUNT     = google_service_account.deployer.email
    GCP_ARTIFACT_REPOSITORY        = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.app.repository_id}"
    GCP_CLOUD_RUN_SERVICE          = google_cloud_run_v2_service.app.name
    GCP_MIGRATION_JOB              = google_cloud_run_v2_job.migrate.name
    GCP_APP_URL                    = google_cloud_run_v2_service.app.uri
  }
}
