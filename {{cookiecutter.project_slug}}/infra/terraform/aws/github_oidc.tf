# GitHub Actions authenticates with short-lived OIDC tokens: no access keys exist anywhere.
locals {
  github_oidc_host = "token.actions.githubusercontent.com"
  # Built from the account id (not the resource) so the trust policy is known at plan time and the
  # provider can be owned by another stack in the same account (create_github_oidc_provider = false).
  github_oidc_provider_arn = "arn:${local.partition}:iam::${local.account_id}:oidc-provider/${local.github_oidc_host}"

  # Classic subject, and the immutable form (owner and repository ids) that repositories created
  # since 2026-07-15 send; both are pinned to this environment, so only jobs that declare
  # `environment: <name>` (and pass its protection rules) can assume the role.
  github_subjects = [
    "repo:${var.github_owner}/${var.github_repository}:environment:${var.environment}",
    "repo:${var.github_owner}@${var.github_owner_id}/${var.github_repository}@${var.github_repository_id}:environment:${var.environment}",
  ]
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url            = "https://${local.github_oidc_host}"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_iam_role" "github_deploy" {
  name                 = "${local.name}-github-deploy"
  description          = "Assumed by GitHub Actions jobs of ${var.github_owner}/${var.github_repository} in the ${var.environment} environment"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "GitHubActionsEnvironment"
      Effect    = "Allow"
      Principal = { Federated = local.github_oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.github_oidc_host}:aud" = "sts.amazonaws.com"
          "${local.github_oidc_host}:sub" = local.github_subjects
        }
      }
    }]
  })

  depends_on = [aws_iam_openid_connect_provider.github]
}

# Exactly what a deploy does: push the image, register a task definition revision, roll the
# service, run the one-off migration task, and read its logs.
resource "aws_iam_role_policy" "github_deploy" {
  name = "deploy-${local.name}"
  role = aws_iam_role.github_deploy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "EcrLogin"
        Effect = "Allow"
        Action = "ecr:GetAuthorizationToken"
        # The action supports no resource-level permissions.
        Resource = "*"
      },
      {
        Sid    = "PushImage"
        Effect = "Allow"
        Action = [
          "ecr:BatchCheckLayerAvailability",
          "ecr:BatchGetImage",
          "ecr:CompleteLayerUpload",
          "ecr:DescribeImages",
          "ecr:DescribeImageScanFindings",
          "ecr:GetDownloadUrlForLayer",
          "ecr:InitiateLayerUpload",
          "ecr:PutImage",
          "ecr:UploadLayerPart",
        ]
        Resource = aws_ecr_repository.app.arn
      },
      {
        Sid    = "TaskDefinitions"
        Effect = "Allow"
        Action = ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]
        # Neither action supports resource-level permissions.
        Resource = "*"
      },
      {
        # ECS authorizes tags on created task definitions and tasks separately.
        Sid    = "TagOnCreate"
        Effect = "Allow"
        Action = "ecs:TagResource"
        Resource = [
          "arn:${local.partition}:ecs:${var.aws_region}:${local.account_id}:task-definition/${aws_ecs_task_definition.app.family}:*",
          "arn:${local.partition}:ecs:${var.aws_region}:${local.account_id}:task/${aws_ecs_cluster.main.name}/*",
        ]
        Condition = {
          StringEquals = { "ecs:CreateAction" = ["RegisterTaskDefinition", "RunTask"] }
        }
      },
      {
        Sid      = "RollService"
        Effect   = "Allow"
        Action   = ["ecs:DescribeServices", "ecs:UpdateService"]
        Resource = "arn:${local.partition}:ecs:${var.aws_region}:${local.account_id}:service/${aws_ecs_cluster.main.name}/${aws_ecs_service.app.name}"
      },
      {
        Sid      = "RunMigrations"
        Effect   = "Allow"
        Action   = "ecs:RunTask"
        Resource = "arn:${local.partition}:ecs:${var.aws_region}:${local.account_id}:task-definition/${aws_ecs_task_definition.app.family}:*"
        Condition = {
          ArnEquals = { "ecs:cluster" = aws_ecs_cluster.main.arn }
        }
      },
      {
        Sid      = "WatchMigrations"
        Effect   = "Allow"
        Action   = ["ecs:DescribeTasks", "ecs:StopTask"]
        Resource = "arn:${local.partition}:ecs:${var.aws_region}:${local.account_id}:task/${aws_ecs_cluster.main.name}/*"
      },
      {
        Sid      = "PassTaskRoles"
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = [aws_iam_role.task_execution.arn, aws_iam_role.task.arn]
        Condition = {
          StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" }
        }
      },
      {
        Sid      = "ReadMigrationLogs"
        Effect   = "Allow"
        Action   = ["logs:GetLogEvents", "logs:FilterLogEvents"]
        Resource = "${aws_cloudwatch_log_group.app.arn}:*"
      },
    ]
  })
}
