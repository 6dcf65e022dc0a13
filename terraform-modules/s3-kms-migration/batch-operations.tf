# --- Batch Operations role ------------------------------------------------------------------------
# The role S3 Batch Operations assumes: trusted only by jobs of this account and Region, allowed only
# what copy in place and UpdateObjectEncryption need, on the listed buckets only (statements in
# policies.tf).

module "batch_operations_trust" {
  source = "./modules/policy-document"

  statements = local.batch_operations_trust_statements
}

module "batch_operations_permissions" {
  source = "./modules/policy-document"

  statements = local.batch_operations_permission_statements
}

resource "aws_iam_role" "this" {
  name                 = local.names.batch_operations_role
  description          = "Assumed by S3 Batch Operations to re-encrypt or copy objects in place under SSE-KMS"
  assume_role_policy   = module.batch_operations_trust.json
  max_session_duration = 3600
  tags                 = local.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "kms-migration"
  role   = aws_iam_role.this.id
  policy = module.batch_operations_permissions.json

  lifecycle {
    # A validation block may name var.region only from Terraform 1.9; this module supports 1.5.
    precondition {
      condition     = length(local.dsse_kms_source_keys_outside_region) == 0
      error_message = "buckets[*].dsse_kms.source_key_arns: ${join(", ", local.dsse_kms_source_keys_outside_region)} not in region ${var.region}: S3 encrypts a bucket's objects only with keys of the bucket's Region, so no version can be under them; list each key's ${var.region} ARN (for a multi-Region key, its ${var.region} replica)."
    }
  }
}
