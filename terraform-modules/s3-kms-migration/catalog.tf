# --- Glue and Athena --------------------------------------------------------------------------------
# Where the inventory is queried: a Glue database, one table per bucket over the inventory's Hive
# symlinks with partition projection on dt, and an Athena workgroup whose results are enforced,
# KMS-encrypted and capped in bytes scanned.

resource "aws_glue_catalog_database" "this" {
  name        = local.names.glue_database
  description = "S3 Inventory of the buckets under KMS migration"
  tags        = local.tags
}

resource "aws_glue_catalog_table" "this" {
  for_each = local.migrated_buckets

  database_name = aws_glue_catalog_database.this.name
  name          = each.value.glue_table
  table_type    = "EXTERNAL_TABLE"
  parameters    = local.inventory_table_parameters

  partition_keys {
    name = "dt"
    type = "string"
  }

  storage_descriptor {
    location      = "${local.bucket_outputs[each.key].inventory_location}hive/"
    input_format  = local.inventory_storage.input_format
    output_format = local.inventory_storage.output_format

    ser_de_info {
      serialization_library = local.inventory_storage.serialization_library
      parameters            = local.inventory_storage.serde_parameters
    }

    # CSV columns are positional: the order of local.inventory_columns is the report's order.
    dynamic "columns" {
      for_each = local.inventory_columns

      content {
        name = columns.value.name
        type = columns.value.type
      }
    }
  }

  lifecycle {
    precondition {
      condition     = length(distinct([for b in values(local.migrated_buckets) : b.glue_table])) == length(local.migrated_buckets)
      error_message = "Two buckets map to the same Glue table name (inventory_<name with non-alphanumerics as _>): migrate one of them with another stack."
    }
  }
}

resource "aws_athena_workgroup" "this" {
  name        = local.names.athena_workgroup
  description = "Queries over S3 Inventory for the KMS migration runner"
  # Workgroups holding query history refuse to be deleted otherwise; results live in the reports bucket.
  force_destroy = true
  tags          = local.tags

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.athena_bytes_scanned_cutoff_per_query

    result_configuration {
      output_location       = "s3://${aws_s3_bucket.own["reports"].bucket}/${local.names.reports_prefix}${local.reports_layout.athena_results}"
      expected_bucket_owner = var.account_id

      encryption_configuration {
        encryption_option = "SSE_KMS"
        kms_key_arn       = aws_kms_key.this.arn
      }
    }
  }
}
