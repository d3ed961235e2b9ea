data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_availability_zones" "available" {
  #checkov:skip=CKV_AWS_394:Only the first az_count zones are used (slice below) and new zones get later letters, so a new zone never moves a subnet
  state = "available"
  # Local Zones and Wavelength Zones lack services this stack uses (NAT gateways, RDS Multi-AZ).
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

locals {
  name          = "${var.app_name}-${var.environment}"
  is_production = var.environment == "production"

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  azs        = slice(data.aws_availability_zones.available.names, 0, var.az_count)

  # ALB and target group names are limited to 32 characters.
  lb_name = "${trimsuffix(substr(var.app_name, 0, 21), "-")}-${var.environment}"

  container_name = "app"
  container_port = 8000
  # The image runs as this non-root user (see the Dockerfile).
  container_user = "10001"
}
