# Names, layout and per-bucket settings derived from the inputs only (mirrors resourceNames() and
# the constants of stacks/outputs.ts), so names never drift between the module and the stack.
locals {
  # Names of everything the module creates, derived from the stack name only.
  names = {
    inventory_bucket_prefix = "kmsmig-${var.stack}-inv-"
    reports_bucket_prefix   = "kmsmig-${var.stack}-reports-"
    reports_prefix          = "${var.stack}/"
    glue_database           = "kms_migration_${replace(var.stack, "-", "_")}"
    athena_workgroup        = "kms-migration-${var.stack}"
    batch_operations_role   = "kms-migration-${var.stack}-batch-operations"
    alarm_rule              = "kms-migration-${var.stack}-key-alarm"
    alarm_topic             = "kms-migration-${var.stack}-key-alarm"
    # Followed by the bucket name: at most 14 + 20 + 27 + 63 = 124 characters, under Config's 128.
    compliance_rule_prefix = "kms-migration-${var.stack}-s3-default-encryption-kms-"
  }

  # Where the runner keeps its files in the reports bucket, relative to reports_prefix.
  reports_layout = {
    manifests      = "manifests/"
    job_reports    = "job-reports/"
    state          = "state/"
    athena_results = "athena-results/"
  }

  # Prefix in the inventory bucket under which S3 delivers every bucket's reports, and the
  # inventory configuration id on every migrated bucket.
  inventory_destination_prefix = "inventory"
  inventory_config_id          = "kms-migration"

  # Computable before the role and rule exist: the key policy names them, and a reference would be a cycle.
  batch_operations_role_arn = "arn:aws:iam::${var.account_id}:role/${local.names.batch_operations_role}"
  alarm_rule_arn            = "arn:aws:events:${var.region}:${var.account_id}:rule/${local.names.alarm_rule}"

  # The service principal each buckets[*].log_delivery entry grants (LOG_DELIVERY_PRINCIPALS in stacks/config/names.ts).
  log_delivery_principals = {
    "s3-server-access-logs" = "logging.s3.amazonaws.com"
    "vended-logs"           = "delivery.logs.amazonaws.com"
  }

  # Keyed by bucket name: instance addresses stay stable whatever else the list holds.
  migrated_buckets = { for b in var.buckets : b.name => {
    name            = b.name
    arn             = "arn:aws:s3:::${b.name}"
    objects_arn     = "arn:aws:s3:::${b.name}/${b.prefix == null ? "" : b.prefix}*"
    prefix          = b.prefix
    existing_policy = b.existing_policy
    versioning      = b.versioning == null ? var.versioning : b.versioning
    uses_acls       = b.uses_acls
    object_lock     = b.object_lock
    glue_table      = "inventory_${replace(b.name, "/[^a-z0-9]/", "_")}"
    # Keys a copy in place of the bucket's DSSE-KMS versions must decrypt; none unless it opts in.
    migrate_dsse_kms         = b.dsse_kms.migrate
    dsse_kms_source_key_arns = b.dsse_kms.migrate ? b.dsse_kms.source_key_arns : []
    accepted_exceptions      = b.accept_remaining
    # Who reads the bucket through the key besides the key users, and who may lose access.
    readers                  = b.readers
    cloudfront_distributions = b.cloudfront_distributions
    accept_losing_access     = b.accept_losing_access
    # Services delivering logs into the bucket, by service principal ("elb-access-logs" is refused in variables.tf).
    log_delivery_principals = [for s in b.log_delivery : local.log_delivery_principals[s] if contains(keys(local.log_delivery_principals), s)]
    # Who replicates the bucket through the key, and which event destinations expect the migration's events.
    replication_roles = b.replication_roles
    accept_events     = b.accept_events
    # The bucket name in a statement id, alphanumeric (bucketSidFragment in stacks/config/names.ts).
    sid_fragment = join("", [for word in split("-", replace(b.name, ".", "-")) : title(word)])
  } }

  # Sid fragments that two granting buckets share (precondition in kms.tf): a policy takes each sid once.
  granting_sid_fragments        = [for name, b in local.migrated_buckets : b.sid_fragment if length(b.readers) + length(b.cloudfront_distributions) + length(b.log_delivery_principals) + length(b.replication_roles) > 0]
  shared_granting_sid_fragments = distinct([for f in local.granting_sid_fragments : f if length([for g in local.granting_sid_fragments : g if g == f]) > 1])

  source_bucket_arns = [for b in var.buckets : "arn:aws:s3:::${b.name}"]

  # Every DSSE-KMS source key the Batch Operations role may decrypt, in bucket order, each once;
  # and those outside var.region, which S3 never uses for these buckets (precondition in batch-operations.tf).
  dsse_kms_source_key_arns            = distinct(flatten([for b in var.buckets : local.migrated_buckets[b.name].dsse_kms_source_key_arns]))
  dsse_kms_source_keys_outside_region = [for arn in local.dsse_kms_source_key_arns : arn if split(":", arn)[3] != var.region]

  # The module's own buckets (SecureBucket in the stack): KMS-encrypted, public access blocked,
  # owner-enforced, TLS-only, with expiry of old artifacts by prefix.
  own_buckets = {
    inventory = {
      bucket_prefix = local.names.inventory_bucket_prefix
      # Reports are replaced daily; nothing to keep old versions of.
      versioned = false
      expiry = [
        { id = "ExpireOldInventoryReports", prefix = "${local.inventory_destination_prefix}/", days = var.inventory_retention_days },
      ]
    }
    reports = {
      bucket_prefix = local.names.reports_bucket_prefix
      # Keeps old versions of the runner's state file; they expire after 30 days.
      versioned = true
      expiry = [
        { id = "ExpireAthenaResults", prefix = "${local.names.reports_prefix}${local.reports_layout.athena_results}", days = var.athena_results_retention_days },
        { id = "ExpireManifests", prefix = "${local.names.reports_prefix}${local.reports_layout.manifests}", days = var.reports_retention_days },
        { id = "ExpireJobReports", prefix = "${local.names.reports_prefix}${local.reports_layout.job_reports}", days = var.reports_retention_days },
      ]
    }
  }

  # Every lifecycle rule of each own bucket, in the stack's order.
  own_bucket_lifecycle_rules = { for key, b in local.own_buckets : key => concat(
    [for e in b.expiry : { id = e.id, prefix = e.prefix, expiration_days = e.days, abort_days = null, noncurrent_days = null }],
    [{ id = "AbortIncompleteUploads", prefix = "", expiration_days = null, abort_days = 7, noncurrent_days = null }],
    b.versioned ? [{ id = "ExpireOldVersions", prefix = "", expiration_days = null, abort_days = null, noncurrent_days = 30 }] : [],
  ) }

  # Glue table parameters: partition projection on dt, so no MSCK REPAIR is ever needed.
  inventory_table_parameters = {
    EXTERNAL                      = "TRUE"
    "projection.enabled"          = "true"
    "projection.dt.type"          = "date"
    "projection.dt.format"        = local.inventory_partition_format
    "projection.dt.range"         = "${local.inventory_projection_start},NOW"
    "projection.dt.interval"      = "1"
    "projection.dt.interval.unit" = "HOURS"
  }

  # CloudTrail events that make every migrated object unreadable: DisableKey, ScheduleKeyDeletion.
  key_alarm_event_pattern = {
    source        = ["aws.kms"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["kms.amazonaws.com"]
      eventName   = ["DisableKey", "ScheduleKeyDeletion"]
      resources   = { ARN = [local.refs.kms_key_arn] }
    }
  }

  # One AWS Config managed rule per migrated bucket when var.compliance_aws_config_rule is on: a
  # scope may name one resource id only with exactly one resource type, so a rule cannot cover two
  # buckets by name. Empty when off, so nothing is declared.
  compliance_rules = var.compliance_aws_config_rule ? { for name, b in local.migrated_buckets : name => {
    name              = "${local.names.compliance_rule_prefix}${name}"
    description       = "Default encryption of ${name} is SSE-KMS with the S3 migration key"
    source_identifier = "S3_DEFAULT_ENCRYPTION_KMS"
    resource_types    = ["AWS::S3::Bucket"]
    resource_id       = name
    input_parameters  = { kmsKeyArns = local.refs.kms_key_arn }
  } } : {}

  # What the runner must know of each bucket: the `buckets` output of stacks/outputs.ts.
  bucket_outputs = { for name, b in local.migrated_buckets : name => {
    bucket              = name
    prefix_filter       = b.prefix == null ? "" : b.prefix
    inventory_config_id = local.inventory_config_id
    inventory_format    = var.inventory_format
    inventory_frequency = var.inventory_frequency
    inventory_location  = "s3://${local.refs.inventory_bucket_name}/${local.inventory_destination_prefix}/${name}/${local.inventory_config_id}/"
    glue_table          = b.glue_table
    versioning          = b.versioning
    uses_acls           = b.uses_acls
    object_lock         = b.object_lock
    migrate_dsse_kms    = b.migrate_dsse_kms
    accepted_exceptions = b.accepted_exceptions
    # Who else reads the bucket through the key, and who the config accepts will lose access.
    readers                  = b.readers
    cloudfront_distributions = b.cloudfront_distributions
    accept_losing_access     = b.accept_losing_access
    # Who replicates the bucket through the key, and which event destinations expect the migration's events.
    replication_roles = b.replication_roles
    accept_events     = b.accept_events
  } }

  tags = merge(var.tags, { "kms-migration:stack" = var.stack })
}
