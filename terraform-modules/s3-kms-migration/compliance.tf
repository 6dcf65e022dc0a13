# --- Continuous compliance (optional) --------------------------------------------------------------
# AWS Config's managed rule S3_DEFAULT_ENCRYPTION_KMS on each migrated bucket, allowing only the
# migration key: a bucket whose default encryption is changed after the migration turns
# NON_COMPLIANT. Off by default (var.compliance_aws_config_rule): AWS Config refuses a rule while the
# account and Region have no configuration recorder, which this module does not manage.

resource "aws_config_config_rule" "this" {
  for_each = local.compliance_rules

  name             = each.value.name
  description      = each.value.description
  input_parameters = jsonencode(each.value.input_parameters)
  tags             = local.tags

  source {
    owner             = "AWS"
    source_identifier = each.value.source_identifier
  }

  # One bucket by name: without a scope the rule would judge every bucket of the account.
  scope {
    compliance_resource_types = each.value.resource_types
    compliance_resource_id    = each.value.resource_id
  }
}
