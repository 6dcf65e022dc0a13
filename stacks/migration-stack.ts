// One environment's migration infrastructure: composes the constructs and declares the outputs the runner reads.
import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LOG_DELIVERY_PRINCIPALS, type BucketConfig, type MigrationConfig } from './config';
import {
  BucketOutput,
  INVENTORY_CONFIG_ID,
  INVENTORY_DESTINATION_PREFIX,
  OUTPUT_DESCRIPTIONS,
  OUTPUT_NAMES,
  OutputName,
  REPORTS_LAYOUT,
} from './outputs';
import { EncryptionKey } from './constructs/encryption-key';
import { SecureBucket } from './constructs/secure-bucket';
import { BucketEncryption } from './constructs/bucket-encryption';
import { BucketVersioning } from './constructs/bucket-versioning';
import { EncryptionEnforcingPolicy } from './constructs/bucket-policy';
import { BucketInventory } from './constructs/bucket-inventory';
import { InventoryCatalog } from './constructs/inventory-catalog';
import { BatchOperationsRole } from './constructs/batch-operations-role';
import { KeyAlarm } from './constructs/key-alarm';
import { DefaultEncryptionRule } from './constructs/default-encryption-rule';
import { PolicyStatement, servicePrincipal } from './constructs/policy';
import { inventoryTableName } from './inventory-schema';
import { declareStateBackend } from './state-backend';

/** First inventory partition the Glue tables project; earlier than any report this tool reads. */
const PROJECTION_START = '2024-01-01-00-00';

/** Names of everything the stack creates, derived from the stack name only, so they never drift. */
export function resourceNames(stackName: string) {
  const snake = stackName.replace(/-/g, '_');
  return {
    inventoryBucketPrefix: `kmsmig-${stackName}-inv-`,
    reportsBucketPrefix: `kmsmig-${stackName}-reports-`,
    reportsPrefix: `${stackName}/`,
    glueDatabase: `kms_migration_${snake}`,
    athenaWorkgroup: `kms-migration-${stackName}`,
    batchOperationsRole: `kms-migration-${stackName}-batch-operations`,
    alarmRule: `kms-migration-${stackName}-key-alarm`,
    alarmTopic: `kms-migration-${stackName}-key-alarm`,
    // Followed by the bucket name: at most 14 + 20 + 27 + 63 = 124 characters, under Config's 128.
    complianceRulePrefix: `kms-migration-${stackName}-s3-default-encryption-kms-`,
  };
}

export class MigrationStack extends TerraformStack {
  readonly key: EncryptionKey;
  readonly inventoryBucket: SecureBucket;
  readonly reportsBucket: SecureBucket;
  readonly catalog: InventoryCatalog;
  readonly batchOperationsRole: BatchOperationsRole;
  readonly alarm?: KeyAlarm;

  constructor(
    scope: Construct,
    readonly config: MigrationConfig,
  ) {
    super(scope, config.stackName);
    const names = resourceNames(config.stackName);
    const { accountId, region } = config;

    declareStateBackend(this, config.backend);
    new AwsProvider(this, 'Aws', {
      region,
      // A plan against the wrong credentials fails before it touches anything.
      allowedAccountIds: [accountId],
      defaultTags: [{ tags: { ...config.tags, 'kms-migration:stack': config.stackName } }],
    });

    const sourceBucketArns = config.buckets.map((b) => `arn:aws:s3:::${b.name}`);
    const batchRoleArn = `arn:aws:iam::${accountId}:role/${names.batchOperationsRole}`;
    const alarmRuleArn = config.alarm.enabled ? KeyAlarm.ruleArn(region, accountId, names.alarmRule) : undefined;

    this.key = new EncryptionKey(this, 'MigrationKey', {
      alias: config.key.alias,
      accountId,
      region,
      administrators: config.key.administrators,
      users: config.key.users,
      deletionWindowDays: config.key.deletionWindowDays,
      // Named, not referenced: the role is built after the key, whose ARN its permissions name, and a
      // literal keeps the key policy readable in the first plan. orderAfter below orders the two.
      batchOperationsRoleArn: batchRoleArn,
      inventorySourceBucketArns: sourceBucketArns,
      alarmRuleArn,
      bucketReaders: config.buckets.map((b) => ({
        bucketName: b.name,
        readers: b.readers,
        cloudfrontDistributions: b.cloudfrontDistributions,
        logDeliveryPrincipals: b.logDelivery.map((service) => LOG_DELIVERY_PRINCIPALS[service]).filter((p): p is string => p !== undefined),
        replicationRoles: b.replicationRoles,
      })),
    });

    this.inventoryBucket = new SecureBucket(this, 'InventoryBucket', {
      bucketPrefix: names.inventoryBucketPrefix,
      kmsKeyArn: this.key.arn,
      expiry: [{ id: 'ExpireOldInventoryReports', prefix: `${INVENTORY_DESTINATION_PREFIX}/`, days: config.inventory.retentionDays }],
      extraStatements: (bucketArn) => [inventoryDeliveryStatement(bucketArn, accountId, sourceBucketArns)],
    });

    this.reportsBucket = new SecureBucket(this, 'ReportsBucket', {
      bucketPrefix: names.reportsBucketPrefix,
      kmsKeyArn: this.key.arn,
      versioned: true,
      expiry: [
        {
          id: 'ExpireAthenaResults',
          prefix: `${names.reportsPrefix}${REPORTS_LAYOUT.athenaResults}`,
          days: config.reports.athenaResultsRetentionDays,
        },
        { id: 'ExpireManifests', prefix: `${names.reportsPrefix}${REPORTS_LAYOUT.manifests}`, days: config.reports.retentionDays },
        { id: 'ExpireJobReports', prefix: `${names.reportsPrefix}${REPORTS_LAYOUT.jobReports}`, days: config.reports.retentionDays },
      ],
    });

    this.catalog = new InventoryCatalog(this, 'InventoryCatalog', {
      databaseName: names.glueDatabase,
      workgroupName: names.athenaWorkgroup,
      resultsLocation: `s3://${this.reportsBucket.name}/${names.reportsPrefix}${REPORTS_LAYOUT.athenaResults}`,
      kmsKeyArn: this.key.arn,
      accountId,
      bytesScannedCutoffPerQuery: config.athena.bytesScannedCutoffPerQuery,
    });

    this.batchOperationsRole = new BatchOperationsRole(this, 'BatchOperationsRole', {
      accountId,
      region,
      roleName: names.batchOperationsRole,
      kmsKeyArn: this.key.arn,
      sourceBuckets: config.buckets.map((b) => ({
        name: b.name,
        prefix: b.prefix,
        usesAcls: b.usesAcls,
        objectLock: b.objectLock,
        dsseKmsSourceKeyArns: b.dsseKms.migrate ? b.dsseKms.sourceKeyArns : [],
      })),
      reportsBucketArn: this.reportsBucket.arn,
      manifestObjectsArn: `${this.reportsBucket.arn}/${names.reportsPrefix}${REPORTS_LAYOUT.manifests}*`,
      reportObjectsArn: `${this.reportsBucket.arn}/${names.reportsPrefix}${REPORTS_LAYOUT.jobReports}*`,
      inventoryObjectsArn: `${this.inventoryBucket.arn}/${INVENTORY_DESTINATION_PREFIX}/*`,
    });
    // The key policy names the role by ARN; KMS refuses a policy naming a principal that does not exist yet.
    this.key.orderAfter(this.batchOperationsRole.role);

    const bucketOutputs: Record<string, BucketOutput> = {};
    for (const bucket of config.buckets) {
      bucketOutputs[bucket.name] = this.addMigratedBucket(bucket);
    }

    if (config.alarm.enabled) {
      this.alarm = new KeyAlarm(this, 'KeyAlarm', {
        kmsKeyArn: this.key.arn,
        accountId,
        region,
        ruleName: names.alarmRule,
        topicName: names.alarmTopic,
        emails: config.alarm.emails,
      });
    }

    this.declareOutputs({
      stack: config.stackName,
      region,
      account_id: accountId,
      kms_key_arn: this.key.arn,
      kms_key_alias: this.key.alias.name,
      inventory_bucket: this.inventoryBucket.name,
      glue_database: this.catalog.database.name,
      athena_workgroup: this.catalog.workgroup.name,
      reports_bucket: this.reportsBucket.name,
      reports_prefix: names.reportsPrefix,
      batch_operations_role_arn: this.batchOperationsRole.arn,
      noncurrent_days: config.migration.noncurrentVersionExpirationDays,
      newer_noncurrent_versions: config.migration.newerNoncurrentVersions ?? 0,
      buckets: bucketOutputs,
    });
  }

  /** Everything declared on one existing bucket; returns what the runner must know of it. */
  private addMigratedBucket(bucket: BucketConfig): BucketOutput {
    // Ids carry the bucket name: stable as long as the bucket is, whatever else the list holds.
    const scope = new Construct(this, `Bucket-${bucket.name}`);
    new BucketEncryption(scope, 'Encryption', { bucketName: bucket.name, kmsKeyArn: this.key.arn });
    if (bucket.versioning) new BucketVersioning(scope, 'Versioning', { bucketName: bucket.name });
    new EncryptionEnforcingPolicy(scope, 'Policy', {
      bucketName: bucket.name,
      kmsKeyArn: this.key.arn,
      existingPolicy: bucket.existingPolicy,
      // Audit mode leaves the encryption denies out for a first deploy; the TLS-only deny stays.
      denyUnencryptedUploads: this.config.migration.denyUnencryptedUploads && this.config.encryptionPolicy.mode === 'enforce',
      cloudfrontDistributions: bucket.cloudfrontDistributions,
    });
    new BucketInventory(scope, 'Inventory', {
      bucketName: bucket.name,
      configId: INVENTORY_CONFIG_ID,
      destinationBucketArn: this.inventoryBucket.arn,
      destinationPrefix: INVENTORY_DESTINATION_PREFIX,
      accountId: this.config.accountId,
      kmsKeyArn: this.key.arn,
      format: this.config.inventory.format,
      frequency: this.config.inventory.frequency,
      prefix: bucket.prefix,
    });
    if (this.config.compliance.awsConfigRule) {
      new DefaultEncryptionRule(scope, 'DefaultEncryptionRule', {
        bucketName: bucket.name,
        ruleName: `${resourceNames(this.config.stackName).complianceRulePrefix}${bucket.name}`,
        kmsKeyArn: this.key.arn,
      });
    }
    const inventoryLocation = `s3://${this.inventoryBucket.name}/${INVENTORY_DESTINATION_PREFIX}/${bucket.name}/${INVENTORY_CONFIG_ID}/`;
    const tableName = inventoryTableName(bucket.name);
    this.catalog.addInventoryTable(`Table-${bucket.name}`, {
      tableName,
      inventoryLocation,
      format: this.config.inventory.format,
      projectionStart: PROJECTION_START,
    });
    return {
      bucket: bucket.name,
      prefix_filter: bucket.prefix ?? '',
      inventory_config_id: INVENTORY_CONFIG_ID,
      inventory_format: this.config.inventory.format,
      inventory_frequency: this.config.inventory.frequency,
      inventory_location: inventoryLocation,
      glue_table: tableName,
      versioning: bucket.versioning,
      uses_acls: bucket.usesAcls,
      object_lock: bucket.objectLock,
      migrate_dsse_kms: bucket.dsseKms.migrate,
      accepted_exceptions: [...bucket.acceptRemaining],
      // Who else reads the bucket through the key, and who the config accepts will lose access.
      readers: [...bucket.readers],
      cloudfront_distributions: [...bucket.cloudfrontDistributions],
      accept_losing_access: [...bucket.acceptLosingAccess],
      // Who replicates the bucket through the key, and which event destinations expect the migration's events.
      replication_roles: [...bucket.replicationRoles],
      accept_events: [...bucket.acceptEvents],
    };
  }

  private declareOutputs(values: { readonly [K in OutputName]: unknown }): void {
    for (const name of OUTPUT_NAMES) {
      new TerraformOutput(this, name, { value: values[name], description: OUTPUT_DESCRIPTIONS[name] });
    }
  }
}

/** S3 may deliver inventory reports, for the listed source buckets of this account only. */
function inventoryDeliveryStatement(bucketArn: string, accountId: string, sourceBucketArns: string[]): PolicyStatement {
  return {
    sid: 'S3InventoryDeliversForListedBuckets',
    effect: 'Allow',
    principals: [servicePrincipal('s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [`${bucketArn}/${INVENTORY_DESTINATION_PREFIX}/*`],
    conditions: [
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
      { test: 'ArnLike', variable: 'aws:SourceArn', values: sourceBucketArns },
      { test: 'StringEquals', variable: 's3:x-amz-acl', values: ['bucket-owner-full-control'] },
    ],
  };
}
