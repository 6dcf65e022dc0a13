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
}
