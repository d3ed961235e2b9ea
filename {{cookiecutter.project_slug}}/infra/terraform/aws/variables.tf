# ---------------------------------------------------------------------------------------------
# Identity of the deployment
# ---------------------------------------------------------------------------------------------

variable "environment" {
  description = "Deployment environment; also the GitHub environment that may assume the deploy role."
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
    # with its limit, and at 32 characters the longest still fit. RDS identifiers refuse
    # two hyphens in a row.
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.app_name)) && length(var.app_name) >= 3 && length(var.app_name) <= 32
    error_message = "The app_name must be 3-32 lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "aws_region" {
  description = "AWS region for every resource of this environment."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "The aws_region must look like \"eu-west-1\"."
  }
}

variable "allowed_account_ids" {
  description = "AWS account ids this environment may be applied to (guards against the wrong credentials); null allows any."
  type        = list(string)
  default     = null

  validation {
    condition     = alltrue([for id in coalesce(var.allowed_account_ids, []) : can(regex("^[0-9]{12}$", id))])
    error_message = "Every allowed account id must be 12 digits."
  }
}

# ---------------------------------------------------------------------------------------------
# GitHub repository allowed to deploy (OIDC)
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
  description = "Numeric id of the owner (`gh api users/OWNER --jq .id`); part of GitHub's immutable OIDC subject."
  type        = string

  validation {
    condition     = can(regex("^[1-9][0-9]*$", var.github_owner_id))
    error_message = "The github_owner_id must be the numeric id printed by `gh api users/OWNER --jq .id`."
  }
}

variable "github_repository_id" {
  description = "Numeric id of the repository (`gh api repos/OWNER/REPO --jq .id`); part of GitHub's immutable OIDC subject."
  type        = string

  validation {
    condition     = can(regex("^[1-9][0-9]*$", var.github_repository_id))
    error_message = "The github_repository_id must be the numeric id printed by `gh api repos/OWNER/REPO --jq .id`."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider. Set false when another stack in the same account already owns it."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------------------------------------
# Network and DNS
# ---------------------------------------------------------------------------------------------

variable "vpc_cidr" {
  description = "CIDR block of the VPC (a /16 to /20; split into public and private subnets per AZ)."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 20
    error_message = "The vpc_cidr must be a valid IPv4 CIDR block between /16 and /20."
  }
}

variable "az_count" {
  description = "Number of availability zones to spread subnets, NAT gateways and tasks over."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "The az_count must be 2 or 3 (the ALB and a Multi-AZ database need at least two)."
  }
}

variable "domain_name" {
  description = "Public host name of the service, e.g. api.example.com; an ACM certificate is issued for it."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "The domain_name must be a lowercase DNS name without a wildcard, e.g. api.example.com."
  }
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone that holds domain_name (certificate validation and the alias record)."
  type        = string

  validation {
    condition     = can(regex("^Z[A-Z0-9]{4,31}$", var.route53_zone_id))
    error_message = "The route53_zone_id must be a hosted zone id such as Z0123456789ABCDEFGHIJ."
  }
}

variable "alb_ingress_cidrs" {
  description = "IPv4 ranges allowed to reach the load balancer."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.alb_ingress_cidrs) > 0 && alltrue([for cidr in var.alb_ingress_cidrs : can(cidrhost(cidr, 0))])
    error_message = "The alb_ingress_cidrs must be a non-empty list of IPv4 CIDR blocks."
  }
}

# ---------------------------------------------------------------------------------------------
# Service
# ---------------------------------------------------------------------------------------------

variable "image_tag" {
  description = "Tag of the image in the task definition Terraform registers. CI registers later revisions with its own tags."
  type        = string
  default     = "bootstrap"

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "The image_tag must be a valid container image tag."
  }
}

variable "task_cpu" {
  description = "Fargate task CPU units."
  type        = number
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.task_cpu)
    error_message = "The task_cpu must be one of 256, 512, 1024, 2048, 4096."
  }
}

variable "task_memory" {
  description = "Fargate task memory in MiB (must be a valid combination with task_cpu)."
  type        = number
  default     = 1024

  validation {
    condition     = var.task_memory >= 512 && var.task_memory <= 30720 && var.task_memory % 512 == 0
    error_message = "The task_memory must be a multiple of 512 MiB between 512 and 30720."
  }
}

variable "desired_count" {
  description = "Initial number of tasks; autoscaling owns the number afterwards."
  type        = number
  default     = 2

  validation {
    condition     = var.desired_count >= 1
    error_message = "The desired_count must be at least 1."
  }
}

variable "max_count" {
  description = "Upper bound for CPU-based autoscaling."
  type        = number
  default     = 6

  validation {
    condition     = var.max_count >= 1 && var.max_count <= 100
    error_message = "The max_count must be between 1 and 100."
  }
}

variable "app_environment" {
  description = "Plain (non-secret) environment variables of the container, e.g. JWT_ISSUER. ENVIRONMENT is set for you."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for key in keys(var.app_environment) : can(regex("^[A-Z][A-Z0-9_]*$", key))])
    error_message = "The app_environment keys must be UPPER_SNAKE_CASE environment variable names."
  }

  validation {
    condition     = length(setintersection(keys(var.app_environment), ["ENVIRONMENT", "DATABASE_URL"])) == 0
    error_message = "ENVIRONMENT is derived from var.environment and DATABASE_URL is a secret; do not set them in app_environment."
  }
}

variable "app_secret_names" {
  description = "Secret environment variables: one Secrets Manager secret each, filled by an operator, injected at task start."
  type        = list(string)
  default     = ["DATABASE_URL"]

  validation {
    condition     = contains(var.app_secret_names, "DATABASE_URL") && alltrue([for name in var.app_secret_names : can(regex("^[A-Z][A-Z0-9_]*$", name))])
    error_message = "The app_secret_names must be UPPER_SNAKE_CASE names and include DATABASE_URL."
  }
}

variable "log_retention_days" {
  description = "Retention of every CloudWatch log group (application, VPC flow logs, WAF, database)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be a retention period CloudWatch Logs accepts (e.g. 30, 90, 365)."
  }
}

# ---------------------------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------------------------

variable "db_engine_major_version" {
  description = "PostgreSQL major version; minor versions upgrade automatically in the maintenance window."
  type        = string
  default     = "17"

  validation {
    condition     = contains(["15", "16", "17"], var.db_engine_major_version)
    error_message = "The db_engine_major_version must be 15, 16 or 17."
  }
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.small"

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.db_instance_class))
    error_message = "The db_instance_class must look like db.t4g.small."
  }
}

variable "db_allocated_storage" {
  description = "Initial storage in GiB; storage autoscaling grows it up to db_max_allocated_storage."
  type        = number
  default     = 20

  validation {
    condition     = var.db_allocated_storage >= 20 && var.db_allocated_storage <= 65536
    error_message = "The db_allocated_storage must be between 20 and 65536 GiB."
  }
}

variable "db_max_allocated_storage" {
  description = "Storage autoscaling ceiling in GiB."
  type        = number
  default     = 100

  validation {
    condition     = var.db_max_allocated_storage >= var.db_allocated_storage
    error_message = "The db_max_allocated_storage must be at least db_allocated_storage."
  }
}

variable "db_backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 14

  validation {
    condition     = var.db_backup_retention_days >= 7 && var.db_backup_retention_days <= 35
    error_message = "The db_backup_retention_days must be between 7 and 35."
  }
}
