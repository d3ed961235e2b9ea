# Containers only: values are put by an operator (see README), so they never enter Terraform state.
resource "aws_secretsmanager_secret" "app" {
  #checkov:skip=CKV2_AWS_57:Values are set by an operator (README: rotate by putting a new version and redeploying); a rotation Lambda per secret is out of scope
  for_each = toset(var.app_secret_names)

  name                    = "${local.name}/${each.key}"
  description             = "${each.key} for ${local.name} (value set outside Terraform)"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = local.is_production ? 30 : 7
}
