# Plan-only tests with a mocked provider: no AWS account or credentials needed.
# Run with `terraform test` after `terraform init -backend=false`.

mock_provider "aws" {
  # The real provider still validates values, so data sources get realistic defaults.
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
      arn        = "arn:aws:iam::123456789012:user/terraform-test"
      user_id    = "AIDATERRAFORMTEST"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_data "aws_availability_zones" {
    defaults = {
      names    = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
      zone_ids = ["euw1-az1", "euw1-az2", "euw1-az3"]
    }
  }

  mock_data "aws_elb_service_account" {
    defaults = {
      arn = "arn:aws:iam::156460612806:root"
    }
  }
}

# Computed ARNs would be unknown during plan; fixed values make the JSON documents that embed them
# (task definition, IAM policies) known, so the assertions below can read them.
override_resource {
  target          = aws_kms_key.main
  override_during = plan
  values = {
    arn    = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    key_id = "00000000-0000-0000-0000-000000000000"
  }
}

override_resource {
  target          = aws_vpc.main
  override_during = plan
  values = {
    id = "vpc-0123456789abcdef0"
  }
}

override_resource {
  target          = aws_ecr_repository.app
  override_during = plan
  values = {
    arn            = "arn:aws:ecr:eu-west-1:123456789012:repository/shop-service-production"
    repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-service-production"
  }
}

override_resource {
  target          = aws_secretsmanager_secret.app
  override_during = plan
  values = {
    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-service-production/DATABASE_URL-AbCdEf"
  }
}

override_resource {
  target          = aws_ecs_cluster.main
  override_during = plan
  values = {
    arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/shop-service-production"
  }
}

override_resource {
  target          = aws_cloudwatch_log_group.app
  override_during = plan
  values = {
    arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/shop-service-production"
  }
}

override_resource {
  target          = aws_iam_role.task_execution
  override_during = plan
  values = {
    arn = "arn:aws:iam::123456789012:role/shop-service-production-task-execution"
  }
}

override_resource {
  target          = aws_iam_role.task
  override_during = plan
  values = {
    arn = "arn:aws:iam::123456789012:role/shop-service-production-task"
  }
}

variables {
  environment          = "production"
  app_name             = "shop-service"
  aws_region           = "eu-west-1"
  github_owner         = "your-org"
  github_repository    = "shop-service"
  github_owner_id      = "1234567"
  github_repository_id = "890123456"
  domain_name          = "api.example.com"
  route53_zone_id      = "Z0123456789ABCDEFGHIJ"
  app_environment = {
    JWT_ISSUER   = "https://issuer.example.com/"
    JWT_AUDIENCE = "shop-service"
    JWT_JWKS_URL = "https://issuer.example.com/.well-known/jwks.json"
  }
}

run "production_is_hardened" {
  command = plan

  # Database: Multi-AZ, protected, encrypted, private, managed password, TLS only.

  assert {
    condition     = aws_db_instance.main.multi_az
    error_message = "Production PostgreSQL must be Multi-AZ."
  }

  assert {
    condition     = aws_db_instance.main.deletion_protection && !aws_db_instance.main.skip_final_snapshot
    error_message = "Production PostgreSQL needs deletion protection and a final snapshot."
  }

  assert {
    condition     = aws_db_instance.main.storage_encrypted && aws_db_instance.main.kms_key_id == aws_kms_key.main.arn
    error_message = "PostgreSQL storage must be encrypted with the environment's KMS key."
  }

  assert {
    condition     = aws_db_instance.main.manage_master_user_password && aws_db_instance.main.password == null
    error_message = "The master password must be managed by RDS (Secrets Manager), never set in Terraform."
  }

  assert {
    condition     = !aws_db_instance.main.publicly_accessible
    error_message = "PostgreSQL must not be publicly accessible."
  }

  assert {
    condition     = aws_db_instance.main.backup_retention_period >= 7
    error_message = "Automated backups must be kept at least a week."
  }

  assert {
    condition     = contains([for p in aws_db_parameter_group.main.parameter : "${p.name}=${p.value}"], "rds.force_ssl=1")
    error_message = "PostgreSQL must refuse connections without TLS."
  }

  # Edge: immutable, scanned, encrypted images; TLS-only load balancer.

  assert {
    condition     = aws_ecr_repository.app.image_tag_mutability == "IMMUTABLE"
    error_message = "ECR tags must be immutable."
  }

  assert {
    condition     = aws_ecr_repository.app.image_scanning_configuration[0].scan_on_push
    error_message = "ECR must scan images on push."
  }

  assert {
    condition     = aws_ecr_repository.app.encryption_configuration[0].encryption_type == "KMS"
    error_message = "ECR must encrypt images with KMS."
  }

  assert {
    condition     = aws_lb_listener.https.protocol == "HTTPS" && startswith(aws_lb_listener.https.ssl_policy, "ELBSecurityPolicy-TLS13-")
    error_message = "The HTTPS listener must use a TLS 1.3 security policy."
  }

  assert {
    condition     = aws_lb_listener.http_redirect.default_action[0].type == "redirect" && aws_lb_listener.http_redirect.default_action[0].redirect[0].protocol == "HTTPS"
    error_message = "Port 80 must only redirect to HTTPS."
  }

  assert {
    condition     = aws_lb_target_group.app.health_check[0].path == "/readyz"
    error_message = "The target group must check /readyz."
  }

  assert {
    condition     = aws_lb.main.enable_deletion_protection && aws_lb.main.drop_invalid_header_fields
    error_message = "The production ALB needs deletion protection and must drop invalid headers."
  }

  # Service: private, non-root, read-only, secrets from Secrets Manager, automatic rollback.

  assert {
    condition     = aws_ecs_service.app.deployment_circuit_breaker[0].enable && aws_ecs_service.app.deployment_circuit_breaker[0].rollback
    error_message = "Failed deployments must roll back automatically."
  }

  assert {
    condition     = !aws_ecs_service.app.network_configuration[0].assign_public_ip
    error_message = "Tasks must run in private subnets without public IPs."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.app.container_definitions)[0].readonlyRootFilesystem
    error_message = "The container root filesystem must be read-only."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.app.container_definitions)[0].user == "10001"
    error_message = "The container must run as the image's non-root user."
  }

  assert {
    condition     = [for s in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].secrets : s.name] == ["DATABASE_URL"]
    error_message = "DATABASE_URL must come from Secrets Manager, not a plain environment variable."
  }

  assert {
    condition     = !contains([for e in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment : e.name], "DATABASE_URL")
    error_message = "DATABASE_URL must not be a plain environment variable."
  }

  assert {
    condition     = contains(jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment, { name = "ENVIRONMENT", value = "production" })
    error_message = "The container must be told its environment."
  }

  assert {
    condition     = length(aws_nat_gateway.main) == 2
    error_message = "Production needs one NAT gateway per availability zone."
  }

  # Network and logs: flow logs, closed default security group, encrypted logs with retention.

  assert {
    condition     = aws_flow_log.vpc.traffic_type == "ALL" && aws_flow_log.vpc.vpc_id == aws_vpc.main.id
    error_message = "VPC flow logs must record all traffic."
  }

  assert {
    condition     = length(aws_default_security_group.default.ingress) == 0 && length(aws_default_security_group.default.egress) == 0
    error_message = "The default security group must have no rules."
  }

  assert {
    condition = alltrue([
      for group in concat([aws_cloudwatch_log_group.app, aws_cloudwatch_log_group.vpc_flow, aws_cloudwatch_log_group.waf], values(aws_cloudwatch_log_group.db)) :
      group.retention_in_days >= 365 && group.kms_key_id == aws_kms_key.main.arn
    ])
    error_message = "Every log group needs KMS encryption and at least a year of retention by default."
  }

  assert {
    condition     = aws_kms_key.main.enable_key_rotation
    error_message = "The KMS key must rotate."
  }

  assert {
    condition     = alltrue([for secret in aws_secretsmanager_secret.app : secret.kms_key_id == aws_kms_key.main.arn])
    error_message = "Secrets must be encrypted with the environment's KMS key."
  }

  # GitHub OIDC: both subject forms, bound to the environment; least-privilege deploy policy.

  assert {
    condition = toset(jsondecode(aws_iam_role.github_deploy.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]) == toset([
      "repo:your-org/shop-service:environment:production",
      "repo:your-org@1234567/shop-service@890123456:environment:production",
    ])
    error_message = "The deploy role must trust exactly the classic and the immutable subject of the production environment."
  }

  assert {
    condition     = jsondecode(aws_iam_role.github_deploy.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    error_message = "The deploy role must require the STS audience."
  }

  assert {
    condition     = jsondecode(aws_iam_role.github_deploy.assume_role_policy).Statement[0].Principal.Federated == "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    error_message = "The deploy role must trust GitHub's OIDC provider only."
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 1 && aws_iam_openid_connect_provider.github[0].client_id_list == toset(["sts.amazonaws.com"])
    error_message = "The GitHub OIDC provider must accept the STS audience only."
  }

  # Least privilege: no wildcard actions; "*" resources only where AWS offers nothing narrower.
  assert {
    condition = alltrue([
      for statement in jsondecode(aws_iam_role_policy.github_deploy.policy).Statement :
      alltrue([for action in flatten([statement.Action]) : !endswith(action, "*")]) &&
      (statement.Resource != "*" || contains(["EcrLogin", "TaskDefinitions"], statement.Sid))
    ])
    error_message = "The deploy policy must not use wildcard actions or unexplained wildcard resources."
  }
}

run "staging_is_smaller_but_still_encrypted" {
  command = plan

  variables {
    environment = "staging"
    # Staging may share an account (and its OIDC provider) with another environment.
    create_github_oidc_provider = false
  }

  assert {
    condition     = !aws_db_instance.main.multi_az && !aws_db_instance.main.deletion_protection
    error_message = "Staging runs a single-AZ database that can be torn down."
  }

  assert {
    condition     = aws_db_instance.main.storage_encrypted && aws_ecr_repository.app.image_tag_mutability == "IMMUTABLE"
    error_message = "Staging keeps encryption and immutable tags."
  }

  assert {
    condition     = length(aws_nat_gateway.main) == 1
    error_message = "Staging shares one NAT gateway."
  }

  assert {
    condition     = contains(jsondecode(aws_iam_role.github_deploy.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"], "repo:your-org/shop-service:environment:staging")
    error_message = "The staging role must be bound to the staging GitHub environment."
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0
    error_message = "No second OIDC provider may be created when the account already has one."
  }
}

# Validation rejects an unknown environment name, a repository given by name instead of id and an
# app_name with two hyphens in a row (RDS refuses such identifiers).
run "rejects_invalid_input" {
  command = plan

  variables {
    environment          = "dev"
    app_name             = "shop--service"
    github_repository_id = "shop-service"
  }

  expect_failures = [var.environment, var.app_name, var.github_repository_id]
}
