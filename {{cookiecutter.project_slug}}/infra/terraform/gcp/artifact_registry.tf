resource "google_artifact_registry_repository" "app" {
  #checkov:skip=CKV_GCP_84:Images are encrypted at rest with Google-managed keys; CMEK needs a per-project KMS key ring and service agent (opt-in, see README)
  repository_id = local.name
  location      = var.region
  format        = "DOCKER"
  description   = "Images of the application, one immutable tag per commit"

  # A tag always names the same image: deploys and rollbacks are reproducible.
  docker_config {
    immutable_tags = true
  }

  cleanup_policy_dry_run = false

  # Keep the 50 most recent versions (rollback history); delete untagged ones after a week.
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"

    most_recent_versions {
      keep_count = 50
    }
  }

  cleanup_policies {
    id     = "delete-untagged"
    action = "DELETE"

    condition {
      tag_state  = "UNTAGGED"
      older_than = "604800s"
    }
  }

  depends_on = [google_project_service.apis]
}
