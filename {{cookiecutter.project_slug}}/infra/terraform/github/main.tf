# Branch rules for the default branch: changes land through reviewed pull requests whose CI passed.
resource "github_repository_ruleset" "main" {
  name        = "main"
  repository  = var.github_repository
  target      = "branch"
  enforcement = "active"

  conditions {
    ref_name {
      include = ["~DEFAULT_BRANCH"]
      exclude = []
    }
  }

  rules {
    deletion                = true
    non_fast_forward        = true
    required_linear_history = true

    pull_request {
      required_approving_review_count   = var.required_approvals
      dismiss_stale_reviews_on_push     = true
      require_last_push_approval        = true
      required_review_thread_resolution = true
    }

    required_status_checks {
      # The branch must be up to date with main, so checks ran against what will be merged.
      strict_required_status_checks_policy = true

      dynamic "required_check" {
        for_each = toset(var.required_status_checks)
        content {
          context = required_check.value
        }
      }
    }
  }
}

# Deployments run from main only. Staging deploys without a human; production waits for a
# required reviewer, who may not approve their own run.
resource "github_repository_environment" "staging" {
  repository  = var.github_repository
  environment = "staging"

  deployment_branch_policy {
    protected_branches     = false
    custom_branch_policies = true
  }
}

resource "github_repository_environment" "production" {
  repository          = var.github_repository
  environment         = "production"
  prevent_self_review = true
  can_admins_bypass   = false
  wait_timer          = var.production_wait_minutes

  reviewers {
    users = var.production_reviewer_user_ids
    teams = var.production_reviewer_team_ids
  }

  deployment_branch_policy {
    protected_branches     = false
    custom_branch_policies = true
  }
}

resource "github_repository_environment_deployment_policy" "main_only" {
  for_each = {
    staging    = github_repository_environment.staging.environment
    production = github_repository_environment.production.environment
  }

  repository     = var.github_repository
  environment    = each.value
  branch_pattern = "main"
}

# Non-secret deploy settings (role ARNs, registry URLs, ...) for the deploy workflow's `vars`.
resource "github_actions_environment_variable" "deploy" {
  for_each = merge([
    for environment, variables in var.environment_variables : {
      for name, value in variables : "${environment}/${name}" => { environment = environment, name = name, value = value }
    }
  ]...)

  repository    = var.github_repository
  environment   = each.value.environment == "production" ? github_repository_environment.production.environment : github_repository_environment.staging.environment
  variable_name = each.value.name
  value         = each.value.value
}
