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

variable "required_status_checks" {
  description = "Check names that must pass before merging into main (the CI workflow's aggregate job)."
  type        = list(string)
  default     = ["ci-ok"]

  validation {
    condition     = length(var.required_status_checks) > 0
    error_message = "At least one status check must be required."
  }
}

variable "required_approvals" {
  description = "Approving reviews required on pull requests into main."
  type        = number
  default     = 1

  validation {
    condition     = var.required_approvals >= 1 && var.required_approvals <= 6
    error_message = "The required_approvals must be between 1 and 6."
  }
}

variable "production_reviewer_user_ids" {
  description = "Numeric ids of users who may approve production deployments (`gh api users/NAME --jq .id`)."
  type        = list(number)
  default     = []
}

variable "production_reviewer_team_ids" {
  description = "Numeric ids of teams who may approve production deployments (`gh api orgs/ORG/teams/SLUG --jq .id`)."
  type        = list(number)
  default     = []

  validation {
    # GitHub allows up to six reviewers in total, and production needs at least one.
    condition     = length(var.production_reviewer_team_ids) + length(var.production_reviewer_user_ids) >= 1 && length(var.production_reviewer_team_ids) + length(var.production_reviewer_user_ids) <= 6
    error_message = "Production needs 1-6 required reviewers: set production_reviewer_user_ids and/or production_reviewer_team_ids."
  }
}

variable "production_wait_minutes" {
  description = "Minutes a production deployment waits after approval (a last chance to cancel)."
  type        = number
  default     = 0

  validation {
    condition     = var.production_wait_minutes >= 0 && var.production_wait_minutes <= 43200
    error_message = "The production_wait_minutes must be between 0 and 43200."
  }
}

variable "environment_variables" {
  description = "GitHub Actions variables per environment, e.g. the `github_variables` output of the cloud stacks."
  type        = map(map(string))
  default     = {}

  validation {
    condition     = alltrue([for environment in keys(var.environment_variables) : contains(["staging", "production"], environment)])
    error_message = "The environment_variables keys must be \"staging\" or \"production\"."
  }
}
