# Instance names cannot be reused for a week after deletion: a suffix keeps re-creation possible.
resource "random_id" "db_suffix" {
  byte_length = 3
}

resource "google_sql_database_instance" "main" {
  name   = "${local.name}-${random_id.db_suffix.hex}"
  region = var.region
  #checkov:skip=CKV_GCP_79:The major version is the validated variable db_version; major upgrades are planned migrations, not a lint fix
  #checkov:skip=CKV2_GCP_13:log_duration writes a line per statement; Query Insights records latency without that log volume
  database_version = var.db_version

  # Terraform refuses to destroy the instance; the API-level flag below also blocks console deletes.
  deletion_protection = true

  settings {
    edition           = "ENTERPRISE"
    tier              = var.db_tier
    availability_type = local.is_production ? "REGIONAL" : "ZONAL"

    disk_type                   = "PD_SSD"
    disk_size                   = var.db_disk_size_gb
    disk_autoresize             = true
    deletion_protection_enabled = true

    ip_configuration {
      # Private IP only: no public address exists.
      ipv4_enabled                                  = false
      private_network                               = google_compute_network.main.id
      enable_private_path_for_google_cloud_services = true
      # Only clients with Cloud SQL-issued certificates connect: the Cloud Run integration
      # (Cloud SQL Auth Proxy) does that for the app.
      ssl_mode = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    }

    backup_configuration {
      enabled                        = true
      start_time                     = "02:00"
      point_in_time_recovery_enabled = true
      transaction_log_retention_days = 7

      backup_retention_settings {
        retained_backups = var.db_backup_retention_count
        retention_unit   = "COUNT"
      }
    }

    maintenance_window {
      day          = 7
      hour         = 3
      update_track = "stable"
    }

    insights_config {
      query_insights_enabled  = true
      record_application_tags = false
      record_client_address   = false
    }

    # Logging flags required by the CIS benchmark (and checkov).
    database_flags {
      name  = "log_checkpoints"
      value = "on"
    }

    database_flags {
      name  = "log_connections"
      value = "on"
    }

    database_flags {
      name  = "log_disconnections"
      value = "on"
    }

    database_flags {
      name  = "log_lock_waits"
      value = "on"
    }

    database_flags {
      name  = "log_min_messages"
      value = "error"
    }

    database_flags {
      name  = "log_min_error_statement"
      value = "error"
    }

    database_flags {
      name  = "log_hostname"
      value = "on"
    }

    database_flags {
      name  = "log_temp_files"
      value = "0"
    }

    database_flags {
      name  = "log_min_duration_statement"
      value = "-1"
    }

    database_flags {
      name  = "log_statement"
      value = "ddl"
    }

    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }
  }

  depends_on = [google_service_networking_connection.private_services]
}

resource "google_sql_database" "app" {
  name     = "app"
  instance = google_sql_database_instance.main.name
}

# The application's own login. Its password lives in Terraform state (keep the state bucket
# restricted) and in Secret Manager as part of DATABASE_URL.
# Letters and digits only: the password goes into a URL unescaped.
resource "random_password" "db_app" {
  length  = 32
  special = false
}

resource "google_sql_user" "app" {
  name     = "app"
  instance = google_sql_database_instance.main.name
  password = random_password.db_app.result
}
