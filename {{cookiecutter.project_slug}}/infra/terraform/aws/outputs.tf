# What the deploy workflow needs; `github_variables` bundles them under the names it reads.

locals {
  ecs_network_configuration = jsonencode({
    awsvpcConfiguration = {
      subnets        = aws_subnet.private[*].id
      securityGroups = [aws_security_group.app.id]
      assignPublicIp = "DISABLED"
    }
  })
}

output "aws_region" {
  description = "Region of every resource of this environment."
  value       = var.aws_region
}

output "ecr_repository_url" {
  description = "Image repository URL (push <url>:<git sha>)."
  value       = aws_ecr_repository.app.repository_url
}

output "ecs_cluster_name" {
  description = "ECS cluster running the service and the migration task."
  value       = aws_ecs_cluster.main.name
}

output "ecs_service_name" {
  description = "ECS service CI rolls to a new task definition revision."
  value       = aws_ecs_service.app.name
}

output "ecs_task_definition_family" {
  description = "Task definition family: CI reads the latest revision, swaps the image and registers a new one."
  value       = aws_ecs_task_definition.app.family
}

output "ecs_container_name" {
  description = "Name of the application container inside the task definition."
  value       = local.container_name
}

output "ecs_network_configuration" {
  description = "JSON for `aws ecs run-task --network-configuration` (one-off migration task)."
  value       = local.ecs_network_configuration
}

output "deploy_role_arn" {
  description = "IAM role GitHub Actions assumes through OIDC (jobs in the matching GitHub environment only)."
  value       = aws_iam_role.github_deploy.arn
}

output "alb_url" {
  description = "Public HTTPS URL of the service (smoke tests hit <url>/healthz and <url>/readyz)."
  value       = "https://${var.domain_name}"
}

output "alb_dns_name" {
  description = "DNS name of the load balancer (the alias target of domain_name)."
  value       = aws_lb.main.dns_name
}

output "app_secret_arns" {
  description = "Secrets Manager secrets an operator fills once (see README): name -> ARN."
  value       = { for name, secret in aws_secretsmanager_secret.app : name => secret.arn }
}

output "db_master_secret_arn" {
  description = "Secret holding the RDS-managed master credentials (for creating the application role)."
  value       = try(aws_db_instance.main.master_user_secret[0].secret_arn, null)
}

output "db_endpoint" {
  description = "host:port of the PostgreSQL instance (private)."
  value       = aws_db_instance.main.endpoint
}

output "github_variables" {
  description = "GitHub Actions variables for this environment (see README; infra/terraform/github can set them)."
  value = {
    AWS_REGION             = var.aws_region
    AWS_DEPLOY_ROLE_ARN    = aws_iam_role.github_deploy.arn
    AWS_ECR_REPOSITORY_URL = aws_ecr_repository.app.repository_url
    AWS_ECS_CLUSTER        = aws_ecs_cluster.main.name
    AWS_ECS_SERVICE        = aws_ecs_service.app.name
    AWS_ECS_TASK_FAMILY    = aws_ecs_task_definition.app.family
    AWS_ECS_CONTAINER_NAME = local.container_name
    AWS_ECS_NETWORK_CONFIG = local.ecs_network_configuration
    AWS_APP_URL            = "https://${var.domain_name}"
  }
}
