provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    application = var.app_name
    environment = var.environment
    managed-by  = "terraform"
  }
}
