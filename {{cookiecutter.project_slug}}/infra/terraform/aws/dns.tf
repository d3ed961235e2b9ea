resource "aws_acm_certificate" "app" {
  domain_name       = var.domain_name
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

# One name, one validation record (static, so the plan does not depend on apply-time keys).
resource "aws_route53_record" "certificate_validation" {
  zone_id         = var.route53_zone_id
  name            = one(aws_acm_certificate.app.domain_validation_options).resource_record_name
  type            = one(aws_acm_certificate.app.domain_validation_options).resource_record_type
  records         = [one(aws_acm_certificate.app.domain_validation_options).resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "app" {
  certificate_arn         = aws_acm_certificate.app.arn
  validation_record_fqdns = [aws_route53_record.certificate_validation.fqdn]
}

resource "aws_route53_record" "app" {
  zone_id = var.route53_zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = aws_lb.main.dns_name
    zone_id                = aws_lb.main.zone_id
    evaluate_target_health = true
  }
}
