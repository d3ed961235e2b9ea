output "ruleset_id" {
  description = "Id of the ruleset protecting the default branch."
  value       = github_repository_ruleset.main.ruleset_id
}

output "environments" {
  description = "GitHub environments the deploy workflow targets."
  value       = [github_repository_environment.staging.environment, github_repository_environment.production.environment]
}
