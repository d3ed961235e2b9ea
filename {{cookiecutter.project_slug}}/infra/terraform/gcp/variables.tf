# ---------------------------------------------------------------------------------------------
# Identity of the deployment
# ---------------------------------------------------------------------------------------------

variable "environment" {
  description = "Deployment environment; also the GitHub environment allowed to deploy it."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "The environment must be \"staging\" or \"production\"."
  }
}

variable "app_name" {
  description = "Short name used in every resource name (lowercase letters, digits, hyphens)."
  type        = string

  validation {
    # The project slug's rule: the template's pre-generation hook lists every name built from it
    # with its limit, and at 32 characters the longest still fit. Service account ids are
    # cut to fit (main.tf).
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.app_name)) && length(var.app_name) >= 3 && length(var.app_name) <= 32
    error_message = "The app_name must be 3-32 lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "project_id" {
  description = "Google Cloud project of this environment (one project per environment is recommended)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "The project_id must be a Google Cloud project id (6-30 lowercase letters, digits, hyphens)."
  }
}

variable "region" {
  description = "Region of Cloud Run, Cloud SQL and Artifact Registry."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "The region must look like \"europe-west1\"."
  }
}

# ---------------------------------------------------------------------------------------------
# GitHub repository allowed to deploy (Workload Identity Federation)
# ---------------------------------------------------------------------------------------------

variable "github_owner" {
  description = "GitHub user or organization that owns the repository."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}$", var.github_owner))
    error_message = "The github_owner must be a GitHub user or organization name."
  }
}

variable "github_repository" {
  description = "Repository name (without the owner)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "The github_repository must be a repository name such as \"shop-service\"."
  }
}

variable "github_owner_id" {
  description = "Numeric id of the owner (`gh api users/OWNER --jq .id`); ids survive renames, names can be re-registered."
  type        = string

  validation {
    condition     = can(regex("^[1-9][0-9]*$", var.github_owner_id))
    error_message = "The github_owner_id must be the numeric id printed by `gh api users/OWNER --jq .id`."
  }
}

variable "github_repository_id" {
  description = "Numeric id of the repository (`gh api repos/OWNER/REPO --jq .id`)."
  type        = string

  validation {
    condition     = can(regex("^[1-9][0-9]*$", var.github_repository_id))
    error_message = "The github_repository_id must be the numeric id printed by `gh api repos/OWNER/REPO --jq .id`."
  }
}

# ---------------------------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------------------------

variable "subnet_cidr" {
  description = "Subnet Cloud Run egresses through (Direct VPC egress uses addresses from it)."
  type        = string
  default     = "10.50.0.0/24"

  validation {
    condition     = can(cidrhost(var.subnet_cidr, 0)) && tonumber(split("/", var.subnet_cidr)[1]) <= 26
    error_message = "The subnet_cidr must be a valid IPv4 CIDR block of /26 or larger."
  }
}

variable "private_services_prefix_length" {
  description = "Size of the range reserved for Cloud SQL's private IP (private services access)."
  type        = number
  default     = 20

  validation {
    condition     = var.private_services_prefix_length >= 16 && var.private_services_prefix_length <= 24
    error_message = "The private_services_prefix_length must be between 16 and 24."
  }
}

# ---------------------------------------------------------------------------------------------
# Service
# ---------------------------------------------------------------------------------------------

variable "initial_image" {
  description = "Image of the first revision only; CI deploys every later revision (Terraform ignores the image)."
  type        = string
  default     = "us-docker.pkg.dev/cloudrun/container/hello"
}

variable "cpu" {
  description = "vCPUs per Cloud Run instance."
  type        = string
  default     = "1"

  validation {
    condition     = contains(["1", "2", "4", "8"], var.cpu)
    error_message = "The cpu must be 1, 2, 4 or 8."
  }
}

variable "memory" {
  description = "Memory per Cloud Run instance, e.g. 512Mi or 1Gi."
  type        = string
  default     = "512Mi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.memory))
    error_message = "The memory must look like 512Mi or 1Gi."
  }
}

variable "min_instances" {
  description = "Instances kept warm (0 lets staging scale to zero)."
  type        = number
  default     = 0

  validation {
    condition     = var.min_instances >= 0
    error_message = "The min_instances must not be negative."
  }
}

variable "max_instances" {
  description = "Upper bound of instances; with db_pool_size it caps database connections."
  type        = number
  default     = 10

  validation {
    condition     = var.max_instances >= 1 && var.max_instances <= 1000
    error_message = "The max_instances must be between 1 and 1000."
  }
}

variable "app_environment" {
  description = "Plain (non-secret) environment variables, e.g. JWT_ISSUER. ENVIRONMENT and DATABASE_URL are set for you."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for key in keys(var.app_environment) : can(regex("^[A-Z][A-Z0-9_]*$", key))])
    error_message = "The app_environment keys must be UPPER_SNAKE_CASE environment variable names."
  }

  validation {
    condition     = length(setintersection(keys(var.app_environment), ["ENVIRONMENT", "DATABASE_URL", "PORT"])) == 0
    error_message = "ENVIRONMENT, DATABASE_URL and PORT are managed by this stack; do not set them in app_environment."
  }
}

# ---------------------------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------------------------

variable "db_version" {
  description = "Cloud SQL PostgreSQL version."
  type        = string
  default     = "POSTGRES_17"

  validation {
    condition     = contains(["POSTGRES_15", "POSTGRES_16", "POSTGRES_17", "POSTGRES_18"], var.db_version)
    error_message = "The db_version must be one of POSTGRES_15 to POSTGRES_18."
  }
}

variable "db_tier" {
  description = "Cloud SQL machine tier (Enterprise edition), e.g. db-custom-1-3840."
  type        = string
  default     = "db-custom-1-3840"

  validation {
    condition     = can(regex("^db-(custom-[0-9]+-[0-9]+|g1-small|f1-micro|perf-optimized-N-[0-9]+)$", var.db_tier))
    error_message = "The db_tier must be a Cloud SQL tier such as db-custom-1-3840."
  }
}

variable "db_disk_size_gb" {
  description = "Initial disk size; the disk grows automatically."
  type        = number
  default     = 20

  validation {
    condition     = var.db_disk_size_gb >= 10
    error_message = "The db_disk_size_gb must be at least 10."
  }
}

variable "db_backup_retention_count" {
  description = "Number of daily backups kept."
  type        = number
  default     = 14

  validation {
    condition     = var.db_backup_retention_count >= 7 && var.db_backup_retention_count <= 365
    error_message = "The db_backup_retention_count must be between 7 and 365."
  }
}
