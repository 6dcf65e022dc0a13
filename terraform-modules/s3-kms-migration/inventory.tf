# --- S3 Inventory ---------------------------------------------------------------------------------
# Inventory of every version of each migrated bucket, with every field the runner classifies by,
# delivered KMS-encrypted into the inventory bucket. Athena queries it to find non-compliant versions.

resource "aws_s3_bucket_inventory" "this" {
  for_each = local.migrated_buckets

  bucket                   = each.key
  name                     = local.inventory_config_id
  enabled                  = true
  included_object_versions = "All"
  optional_fields          = local.inventory_optional_fields

  schedule {
    frequency = var.inventory_frequency
  }

  dynamic "filter" {
    for_each = each.value.prefix == null ? [] : [each.value.prefix]

    content {
      prefix = filter.value
    }
  }

  destination {
    bucket {
      bucket_arn = aws_s3_bucket.own["inventory"].arn
      account_id = var.account_id
      format     = var.inventory_format
      prefix     = local.inventory_destination_prefix

      encryption {
        sse_kms {
          key_id = aws_kms_key.this.arn
        }
      }
    }
  }
}
