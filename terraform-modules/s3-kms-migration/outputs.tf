# Outputs: exactly the names and value shapes of stacks/outputs.ts, so `terraform output -json`
# feeds the runner as the CDKTF stack's outputs do.

output "stack" {
  description = "Name of the stack (environment) these outputs belong to."
  value       = var.stack
}

output "region" {
  description = "AWS Region of the buckets, the key, the inventory and the Batch Operations jobs."
  value       = var.region
}

output "account_id" {
  description = "AWS account id that owns the buckets; the runner refuses to run as another account."
  value       = var.account_id
}

output "kms_key_arn" {
  description = "ARN of the customer-managed KMS key every object version must end up under."
  value       = aws_kms_key.this.arn
}

output "kms_key_alias" {
  description = "Alias of the KMS key (alias/...)."
  value       = aws_kms_alias.this.name
}

output "inventory_bucket" {
  description = "Bucket that receives the S3 Inventory reports of every migrated bucket."
  value       = aws_s3_bucket.own["inventory"].bucket
}

output "glue_database" {
  description = "Glue database holding one inventory table per migrated bucket."
  value       = aws_glue_catalog_database.this.name
}

output "athena_workgroup" {
  description = "Athena workgroup (enforced, KMS-encrypted results) the runner queries the inventory in."
  value       = aws_athena_workgroup.this.name
}

output "reports_bucket" {
  description = "Bucket for manifests, Batch Operations completion reports, Athena results and runner state."
  value       = aws_s3_bucket.own["reports"].bucket
}

output "reports_prefix" {
  description = "Prefix in the reports bucket for this stack's manifests, reports and state (ends with \"/\")."
  value       = local.names.reports_prefix
}

output "batch_operations_role_arn" {
  description = "IAM role that S3 Batch Operations assumes to copy or re-encrypt objects."
  value       = aws_iam_role.this.arn
}

output "noncurrent_days" {
  description = "Days after which noncurrent versions expire once the migration is verified."
  value       = var.noncurrent_version_expiration_days
}

output "newer_noncurrent_versions" {
  description = "Noncurrent versions to keep regardless of age (0: keep none)."
  # null-safe: the runner reads a number, 0 when unset.
  value = var.newer_noncurrent_versions == null ? 0 : var.newer_noncurrent_versions
}

output "buckets" {
  description = "Per migrated bucket: prefix filter, inventory configuration and location, Glue table, versioning, ACL and Object Lock use, whether DSSE-KMS versions are migrated, and the encryption classes accepted as remaining exceptions."
  value       = local.bucket_outputs
}
