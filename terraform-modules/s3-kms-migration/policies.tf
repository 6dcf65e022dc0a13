# Every policy statement the module declares, as data (mirrors the statements of the stack's
# constructs): one purpose per statement, named by its sid, rendered by modules/policy-document.
locals {
  # Anyone: for Deny statements that must hold whoever calls.
  anyone = [{ type = "*", identifiers = ["*"] }]

  via_s3_conditions = [
    { test = "StringEquals", variable = "kms:ViaService", values = ["s3.${var.region}.amazonaws.com"] },
    { test = "StringEquals", variable = "kms:CallerAccount", values = [var.account_id] },
  ]

  # --- KMS key policy -------------------------------------------------------------------------
  key_policy_statements = concat(
    [{
      # Keeps the key manageable through IAM if every named administrator is gone; no data use.
      sid        = "AccountRootAdministersKey"
      effect     = "Allow"
      principals = [{ type = "AWS", identifiers = ["arn:aws:iam::${var.account_id}:root"] }]
      actions    = local.kms_admin_actions
      resources  = ["*"]
      conditions = []
    }],
    length(var.kms_key_administrators) == 0 ? [] : [{
      sid        = "NamedAdministratorsAdministerKey"
      effect     = "Allow"
      principals = [{ type = "AWS", identifiers = var.kms_key_administrators }]
      actions    = local.kms_admin_actions
      resources  = ["*"]
      conditions = []
    }],
    length(var.kms_key_users) == 0 ? [] : [{
      sid        = "NamedUsersUseKeyThroughS3"
      effect     = "Allow"
      principals = [{ type = "AWS", identifiers = var.kms_key_users }]
      actions    = local.kms_s3_use_actions
      resources  = ["*"]
      conditions = local.via_s3_conditions
    }],
    # Per bucket: its readers decrypt through S3 in the Region, its objects only (the encryption
    # context is the object ARN, or the bucket ARN under an S3 Bucket Key); its distributions'
    # Origin Access Control decrypts the same, as AWS documents it, reading only; so do the roles
    # that replicate it. Sources in
    # stacks/constructs/encryption-key.ts.
    flatten([for b in var.buckets : concat(
      length(b.readers) == 0 ? [] : [{
        sid        = "ReadersDecryptThrough${local.migrated_buckets[b.name].sid_fragment}"
        effect     = "Allow"
        principals = [{ type = "AWS", identifiers = b.readers }]
        actions    = local.kms_s3_read_actions
        resources  = ["*"]
        conditions = [
          { test = "StringEquals", variable = "kms:ViaService", values = ["s3.${var.region}.amazonaws.com"] },
          { test = "StringLike", variable = "kms:EncryptionContext:aws:s3:arn", values = [local.migrated_buckets[b.name].arn, "${local.migrated_buckets[b.name].arn}/*"] },
        ]
      }],
      length(b.cloudfront_distributions) == 0 ? [] : [{
        sid        = "CloudFrontDecryptsThrough${local.migrated_buckets[b.name].sid_fragment}"
        effect     = "Allow"
        principals = [{ type = "Service", identifiers = ["cloudfront.amazonaws.com"] }]
        actions    = local.kms_cloudfront_read_actions
        resources  = ["*"]
        conditions = [
          { test = "StringEquals", variable = "AWS:SourceArn", values = b.cloudfront_distributions },
          { test = "StringLike", variable = "kms:EncryptionContext:aws:s3:arn", values = [local.migrated_buckets[b.name].arn, "${local.migrated_buckets[b.name].arn}/*"] },
        ]
      }],
      # Its log delivery services generate data keys for its objects, from this account's sources only.
      length(local.migrated_buckets[b.name].log_delivery_principals) == 0 ? [] : [{
        sid        = "LogDeliveryEncryptsInto${local.migrated_buckets[b.name].sid_fragment}"
        effect     = "Allow"
        principals = [{ type = "Service", identifiers = local.migrated_buckets[b.name].log_delivery_principals }]
        actions    = local.kms_log_delivery_actions
        resources  = ["*"]
        conditions = [
          { test = "StringEquals", variable = "aws:SourceAccount", values = [var.account_id] },
          { test = "StringLike", variable = "kms:EncryptionContext:aws:s3:arn", values = [local.migrated_buckets[b.name].arn, "${local.migrated_buckets[b.name].arn}/*"] },
        ]
      }],
      # Its replication roles decrypt its objects through S3 to replicate them (AWS's example policy in
      # replication-config-for-kms-objects.html); kms:Encrypt belongs on the destination's replica key.
      length(b.replication_roles) == 0 ? [] : [{
        sid        = "ReplicationDecryptsThrough${local.migrated_buckets[b.name].sid_fragment}"
        effect     = "Allow"
        principals = [{ type = "AWS", identifiers = b.replication_roles }]
        actions    = local.kms_s3_read_actions
        resources  = ["*"]
        conditions = [
          { test = "StringEquals", variable = "kms:ViaService", values = ["s3.${var.region}.amazonaws.com"] },
          { test = "StringLike", variable = "kms:EncryptionContext:aws:s3:arn", values = [local.migrated_buckets[b.name].arn, "${local.migrated_buckets[b.name].arn}/*"] },
        ]
      }],
    )]),
    [{
      sid        = "BatchOperationsReencryptsThroughS3"
      effect     = "Allow"
      principals = [{ type = "AWS", identifiers = [local.batch_operations_role_arn] }]
      actions    = local.kms_batch_operations_actions
      resources  = ["*"]
      conditions = local.via_s3_conditions
    }],
    [{
      sid        = "S3InventoryDeliveryEncrypts"
      effect     = "Allow"
      principals = [{ type = "Service", identifiers = ["s3.amazonaws.com"] }]
      actions    = local.kms_inventory_delivery_actions
      resources  = ["*"]
      conditions = [
        { test = "StringEquals", variable = "aws:SourceAccount", values = [var.account_id] },
        { test = "ArnLike", variable = "aws:SourceArn", values = local.source_bucket_arns },
      ]
    }],
    !var.alarm_enabled ? [] : [{
      sid        = "EventBridgePublishesKeyAlarm"
      effect     = "Allow"
      principals = [{ type = "Service", identifiers = ["events.amazonaws.com"] }]
      actions    = local.kms_eventbridge_publish_actions
      resources  = ["*"]
      conditions = [
        { test = "StringEquals", variable = "aws:SourceAccount", values = [var.account_id] },
        { test = "ArnEquals", variable = "aws:SourceArn", values = [local.alarm_rule_arn] },
      ]
    }],
  )

  # --- Policies of the migrated buckets ---------------------------------------------------------
  # Merged over each bucket's existing policy by sid (see buckets.tf). Each deny tests that its
  # header is present (Null = false) before comparing it, so uploads without encryption headers
  # fall through to default encryption instead of being refused.
  migrated_bucket_policy_statements = { for name, b in local.migrated_buckets : name => concat(
    [{
      sid        = "DenyInsecureTransport"
      effect     = "Deny"
      principals = local.anyone
      actions    = ["s3:*"]
      resources  = [b.arn, "${b.arn}/*"]
      conditions = [{ test = "Bool", variable = "aws:SecureTransport", values = ["false"] }]
    }],
    # Audit mode leaves the encryption denies out for a first deploy; the TLS-only deny stays.
    !var.deny_unencrypted_uploads || var.encryption_policy_mode == "audit" ? [] : [
      {
        sid        = "DenyEncryptionOtherThanKms"
        effect     = "Deny"
        principals = local.anyone
        actions    = ["s3:PutObject"]
        resources  = ["${b.arn}/*"]
        conditions = [
          { test = "Null", variable = "s3:x-amz-server-side-encryption", values = ["false"] },
          { test = "StringNotEquals", variable = "s3:x-amz-server-side-encryption", values = ["aws:kms"] },
        ]
      },
      {
        sid        = "DenyKmsKeyOtherThanMigrationKey"
        effect     = "Deny"
        principals = local.anyone
        actions    = ["s3:PutObject"]
        resources  = ["${b.arn}/*"]
        conditions = [
          { test = "Null", variable = "s3:x-amz-server-side-encryption-aws-kms-key-id", values = ["false"] },
          { test = "StringNotEquals", variable = "s3:x-amz-server-side-encryption-aws-kms-key-id", values = [local.refs.kms_key_arn] },
        ]
      },
      {
        # aws:kms without a key id means the AWS managed key aws/s3, not ours.
        sid        = "DenyKmsWithoutMigrationKeyId"
        effect     = "Deny"
        principals = local.anyone
        actions    = ["s3:PutObject"]
        resources  = ["${b.arn}/*"]
        conditions = [
          { test = "StringEquals", variable = "s3:x-amz-server-side-encryption", values = ["aws:kms"] },
          { test = "Null", variable = "s3:x-amz-server-side-encryption-aws-kms-key-id", values = ["true"] },
        ]
      },
      {
        sid        = "DenyCustomerProvidedKeys"
        effect     = "Deny"
        principals = local.anyone
        actions    = ["s3:PutObject"]
        resources  = ["${b.arn}/*"]
        conditions = [
          { test = "Null", variable = "s3:x-amz-server-side-encryption-customer-algorithm", values = ["false"] },
        ]
      },
    ],
    # The statement AWS documents for an Origin Access Control: CloudFront gets objects for the
    # listed distributions only.
    length(b.cloudfront_distributions) == 0 ? [] : [{
      sid        = "CloudFrontDistributionsRead"
      effect     = "Allow"
      principals = [{ type = "Service", identifiers = ["cloudfront.amazonaws.com"] }]
      actions    = local.s3_cloudfront_read_actions
      resources  = ["${b.arn}/*"]
      conditions = [{ test = "StringEquals", variable = "AWS:SourceArn", values = b.cloudfront_distributions }]
    }],
  ) }

  # --- Policies of the module's own buckets -----------------------------------------------------
  inventory_bucket_policy_statements = [
    {
      sid        = "DenyInsecureTransport"
      effect     = "Deny"
      principals = local.anyone
      actions    = ["s3:*"]
      resources  = [local.refs.inventory_bucket_arn, "${local.refs.inventory_bucket_arn}/*"]
      conditions = [{ test = "Bool", variable = "aws:SecureTransport", values = ["false"] }]
    },
    {
      # S3 may deliver inventory reports, for the listed source buckets of this account only.
      sid        = "S3InventoryDeliversForListedBuckets"
      effect     = "Allow"
      principals = [{ type = "Service", identifiers = ["s3.amazonaws.com"] }]
      actions    = ["s3:PutObject"]
      resources  = ["${local.refs.inventory_bucket_arn}/${local.inventory_destination_prefix}/*"]
      conditions = [
        { test = "StringEquals", variable = "aws:SourceAccount", values = [var.account_id] },
        { test = "ArnLike", variable = "aws:SourceArn", values = local.source_bucket_arns },
        { test = "StringEquals", variable = "s3:x-amz-acl", values = ["bucket-owner-full-control"] },
      ]
    },
  ]

  reports_bucket_policy_statements = [
    {
      sid        = "DenyInsecureTransport"
      effect     = "Deny"
      principals = local.anyone
      actions    = ["s3:*"]
      resources  = [local.refs.reports_bucket_arn, "${local.refs.reports_bucket_arn}/*"]
      conditions = [{ test = "Bool", variable = "aws:SecureTransport", values = ["false"] }]
    },
  ]

  own_bucket_policy_statements = {
    inventory = local.inventory_bucket_policy_statements
    reports   = local.reports_bucket_policy_statements
  }

  # --- Batch Operations role ----------------------------------------------------------------------
  # Trust policies name no resources: IAM refuses a Resource element there.
  batch_operations_trust_statements = [{
    sid        = "BatchOperationsJobsOfThisAccountAssume"
    effect     = "Allow"
    principals = [{ type = "Service", identifiers = ["batchoperations.s3.amazonaws.com"] }]
    actions    = ["sts:AssumeRole"]
    resources  = null
    conditions = [
      { test = "StringEquals", variable = "aws:SourceAccount", values = [var.account_id] },
      { test = "ArnLike", variable = "aws:SourceArn", values = ["arn:aws:s3:${var.region}:${var.account_id}:job/*"] },
    ]
  }]

  batch_operations_permission_statements = concat(
    [
      {
        sid        = "ReadSourceObjectVersions"
        effect     = "Allow"
        principals = []
        actions    = local.s3_batch_read_object_actions
        resources  = [for b in var.buckets : local.migrated_buckets[b.name].objects_arn]
        conditions = []
      },
      {
        sid        = "ReencryptOrCopyInPlace"
        effect     = "Allow"
        principals = []
        actions    = local.s3_batch_write_object_actions
        resources  = [for b in var.buckets : local.migrated_buckets[b.name].objects_arn]
        conditions = []
      },
    ],
    # ACL and Object Lock actions only where a bucket uses them.
    length([for b in var.buckets : b if b.uses_acls]) == 0 ? [] : [{
      sid        = "CarryOverObjectAcls"
      effect     = "Allow"
      principals = []
      actions    = local.s3_batch_acl_actions
      resources  = [for b in var.buckets : local.migrated_buckets[b.name].objects_arn if b.uses_acls]
      conditions = []
    }],
    length([for b in var.buckets : b if b.object_lock]) == 0 ? [] : [{
      sid        = "CarryOverObjectLock"
      effect     = "Allow"
      principals = []
      actions    = local.s3_batch_object_lock_actions
      resources  = [for b in var.buckets : local.migrated_buckets[b.name].objects_arn if b.object_lock]
      conditions = []
    }],
    [
      {
        sid        = "ReadManifests"
        effect     = "Allow"
        principals = []
        actions    = local.s3_manifest_read_actions
        resources = [
          "${local.refs.reports_bucket_arn}/${local.names.reports_prefix}${local.reports_layout.manifests}*",
          "${local.refs.inventory_bucket_arn}/${local.inventory_destination_prefix}/*",
        ]
        conditions = []
      },
      {
        sid        = "WriteCompletionReports"
        effect     = "Allow"
        principals = []
        actions    = local.s3_report_write_actions
        resources  = ["${local.refs.reports_bucket_arn}/${local.names.reports_prefix}${local.reports_layout.job_reports}*"]
        conditions = []
      },
      {
        sid        = "LocateBuckets"
        effect     = "Allow"
        principals = []
        actions    = local.s3_batch_bucket_actions
        resources  = concat([local.refs.reports_bucket_arn], local.source_bucket_arns)
        conditions = []
      },
      {
        sid        = "UseMigrationKeyThroughS3"
        effect     = "Allow"
        principals = []
        actions    = local.kms_batch_operations_actions
        resources  = [local.refs.kms_key_arn]
        conditions = [{ test = "StringEquals", variable = "kms:ViaService", values = ["s3.${var.region}.amazonaws.com"] }]
      },
    ],
    # One statement for every opted-in bucket: a key grant cannot be narrowed to a bucket by resource.
    length(local.dsse_kms_source_key_arns) == 0 ? [] : [{
      sid        = "DecryptDsseKmsSourcesThroughS3"
      effect     = "Allow"
      principals = []
      actions    = local.kms_dsse_source_decrypt_actions
      resources  = local.dsse_kms_source_key_arns
      conditions = [{ test = "StringEquals", variable = "kms:ViaService", values = ["s3.${var.region}.amazonaws.com"] }]
    }],
  )

  # --- Key alarm topic ----------------------------------------------------------------------------
  key_alarm_topic_statements = [{
    sid        = "KeyAlarmRulePublishes"
    effect     = "Allow"
    principals = [{ type = "Service", identifiers = ["events.amazonaws.com"] }]
    actions    = ["sns:Publish"]
    resources  = [local.refs.key_alarm_topic_arn]
    conditions = [{ test = "ArnEquals", variable = "aws:SourceArn", values = [local.alarm_rule_arn] }]
  }]
}
