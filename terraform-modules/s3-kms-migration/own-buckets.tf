# --- Own buckets ------------------------------------------------------------------------------------
# The inventory and reports buckets the module creates (SecureBucket in the stack): KMS-encrypted,
# public access blocked, owner-enforced (no ACLs), TLS-only, old artifacts expired by prefix.

resource "aws_s3_bucket" "own" {
  for_each = local.own_buckets

  bucket_prefix = each.value.bucket_prefix
  force_destroy = false
  tags          = local.tags
}

resource "aws_s3_bucket_public_access_block" "own" {
  for_each = local.own_buckets

  bucket                  = aws_s3_bucket.own[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "own" {
  for_each = local.own_buckets

  bucket = aws_s3_bucket.own[each.key].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "own" {
  for_each = local.own_buckets

  bucket = aws_s3_bucket.own[each.key].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "own" {
  for_each = { for key, b in local.own_buckets : key => b if b.versioned }

  bucket = aws_s3_bucket.own[each.key].id

  versioning_configuration {
    status = "Enabled"
  }
}

module "own_bucket_policy" {
  source   = "./modules/policy-document"
  for_each = local.own_buckets

  statements = local.own_bucket_policy_statements[each.key]
}

resource "aws_s3_bucket_policy" "own" {
  for_each = local.own_buckets

  bucket = aws_s3_bucket.own[each.key].id
  policy = module.own_bucket_policy[each.key].json
}

resource "aws_s3_bucket_lifecycle_configuration" "own" {
  for_each = local.own_buckets

  bucket = aws_s3_bucket.own[each.key].id

  dynamic "rule" {
    for_each = local.own_bucket_lifecycle_rules[each.key]

    content {
      id     = rule.value.id
      status = "Enabled"

      filter {
        prefix = rule.value.prefix
      }

      dynamic "expiration" {
        for_each = rule.value.expiration_days == null ? [] : [rule.value.expiration_days]

        content {
          days = expiration.value
        }
      }

      dynamic "abort_incomplete_multipart_upload" {
        for_each = rule.value.abort_days == null ? [] : [rule.value.abort_days]

        content {
          days_after_initiation = abort_incomplete_multipart_upload.value
        }
      }

      dynamic "noncurrent_version_expiration" {
        for_each = rule.value.noncurrent_days == null ? [] : [rule.value.noncurrent_days]

        content {
          noncurrent_days = noncurrent_version_expiration.value
        }
      }
    }
  }
}
