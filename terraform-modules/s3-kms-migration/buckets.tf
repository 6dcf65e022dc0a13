# --- Migrated buckets -----------------------------------------------------------------------------
# What the module declares on each existing bucket: default encryption, versioning and the
# encryption-enforcing policy. It never manages their lifecycle configuration:
# PutBucketLifecycleConfiguration replaces the whole configuration, so a second owner would delete
# the other's rules on every apply. The runner merges its one rule into what is there instead.

# Default encryption: new writes land compliant from the moment of apply.
resource "aws_s3_bucket_server_side_encryption_configuration" "migrated" {
  for_each = local.migrated_buckets

  bucket = each.key

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    # Bucket Keys cut KMS requests (and their cost and throttling) by orders of magnitude.
    bucket_key_enabled = true
  }
}

# A copy in place must leave the unencrypted original as a noncurrent version, never overwrite it.
resource "aws_s3_bucket_versioning" "migrated" {
  for_each = { for name, b in local.migrated_buckets : name => b if b.versioning }

  bucket = each.key

  versioning_configuration {
    status = "Enabled"
  }
}

# aws_s3_bucket_policy replaces the whole policy, so the existing one is read (or given) and ours
# is merged over it by sid: the next plan reads our statements back and yields the same document.
data "aws_s3_bucket_policy" "existing" {
  for_each = { for name, b in local.migrated_buckets : name => b if b.existing_policy == "read" }

  bucket = each.key
}

module "migrated_bucket_policy" {
  source   = "./modules/policy-document"
  for_each = local.migrated_buckets

  statements = local.migrated_bucket_policy_statements[each.key]
  source_policy_documents = (
    each.value.existing_policy == "none" ? [] :
    each.value.existing_policy == "read" ? [data.aws_s3_bucket_policy.existing[each.key].policy] :
    [each.value.existing_policy]
  )
}

resource "aws_s3_bucket_policy" "migrated" {
  for_each = local.migrated_buckets

  bucket = each.key
  policy = module.migrated_bucket_policy[each.key].json
}
