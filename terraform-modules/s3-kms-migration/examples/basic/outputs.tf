# The runner's outputs contract (stacks/outputs.ts), re-exported at the root so
# `terraform output -json` is what the runner reads.

output "stack" {
  description = "stack of the module; see stacks/outputs.ts."
  value       = module.kms_migration.stack
}

output "region" {
  description = "region of the module; see stacks/outputs.ts."
  value       = module.kms_migration.region
}

output "account_id" {
  description = "account_id of the module; see stacks/outputs.ts."
  value       = module.kms_migration.account_id
}

output "kms_key_arn" {
  description = "kms_key_arn of the module; see stacks/outputs.ts."
  value       = module.kms_migration.kms_key_arn
}

output "kms_key_alias" {
  description = "kms_key_alias of the module; see stacks/outputs.ts."
  value       = module.kms_migration.kms_key_alias
}

output "inventory_bucket" {
  description = "inventory_bucket of the module; see stacks/outputs.ts."
  value       = module.kms_migration.inventory_bucket
}

output "glue_database" {
  description = "glue_database of the module; see stacks/outputs.ts."
  value       = module.kms_migration.glue_database
}

output "athena_workgroup" {
  description = "athena_workgroup of the module; see stacks/outputs.ts."
  value       = module.kms_migration.athena_workgroup
}

output "reports_bucket" {
  description = "reports_bucket of the module; see stacks/outputs.ts."
  value       = module.kms_migration.reports_bucket
}

output "reports_prefix" {
  description = "reports_prefix of the module; see stacks/outputs.ts."
  value       = module.kms_migration.reports_prefix
}

output "batch_operations_role_arn" {
  description = "batch_operations_role_arn of the module; see stacks/outputs.ts."
  value       = module.kms_migration.batch_operations_role_arn
}

output "noncurrent_days" {
  description = "noncurrent_days of the module; see stacks/outputs.ts."
  value       = module.kms_migration.noncurrent_days
}

output "newer_noncurrent_versions" {
  description = "newer_noncurrent_versions of the module; see stacks/outputs.ts."
  value       = module.kms_migration.newer_noncurrent_versions
}

output "buckets" {
  description = "buckets of the module; see stacks/outputs.ts."
  value       = module.kms_migration.buckets
}
