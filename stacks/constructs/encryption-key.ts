// The customer-managed KMS key every object ends up under: rotation, alias and a least-privilege key policy.
import { Construct } from 'constructs';
import { ITerraformDependable, dependable } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import {
  KMS_ADMIN_ACTIONS,
  KMS_BATCH_OPERATIONS_ACTIONS,
  KMS_CLOUDFRONT_READ_ACTIONS,
  KMS_EVENTBRIDGE_PUBLISH_ACTIONS,
  KMS_INVENTORY_DELIVERY_ACTIONS,
  KMS_LOG_DELIVERY_ACTIONS,
  KMS_S3_READ_ACTIONS,
  KMS_S3_USE_ACTIONS,
} from './actions';
import { PolicyStatement, awsPrincipals, policyDocument, servicePrincipal } from './policy';
import { bucketSidFragment } from '../config/names';

/** Who reads one bucket's objects through the key, besides the key users. */
export interface BucketReaders {
  readonly bucketName: string;
  /** IAM principals that may decrypt the bucket's objects through S3. */
  readonly readers: readonly string[];
  /** CloudFront distributions (ARNs) whose Origin Access Control may decrypt the bucket's objects. */
  readonly cloudfrontDistributions: readonly string[];
  /**
   * Service principals that deliver logs into the bucket (logging.s3.amazonaws.com,
   * delivery.logs.amazonaws.com): they may generate data keys for its objects, nothing else.
   * @default []
   */
  readonly logDeliveryPrincipals?: readonly string[];
  /**
   * Roles S3 assumes to replicate the bucket: they decrypt its objects through S3 to replicate them.
   * @default []
   */
  readonly replicationRoles?: readonly string[];
}

/** Sid prefixes of the per-bucket grants; the bucket's name follows, as bucketSidFragment makes it. */
export const READERS_SID_PREFIX = 'ReadersDecryptThrough';
export const CLOUDFRONT_SID_PREFIX = 'CloudFrontDecryptsThrough';
export const LOG_DELIVERY_SID_PREFIX = 'LogDeliveryEncryptsInto';
export const REPLICATION_SID_PREFIX = 'ReplicationDecryptsThrough';

export interface EncryptionKeyProps {
  /** Alias, e.g. alias/s3-migration-prod. */
  readonly alias: string;
  readonly accountId: string;
  readonly region: string;
  /**
   * IAM principals that administer the key (never use it for data).
   * @default [] (the account root still administers it through IAM policies)
   */
  readonly administrators?: readonly string[];
  /**
   * IAM principals that may use the key through S3 (read and write objects, run the runner).
   * @default []
   */
  readonly users?: readonly string[];
  /**
   * Waiting period before a scheduled deletion takes effect.
   * @default 30
   */
  readonly deletionWindowDays?: number;
  /**
   * The role S3 Batch Operations assumes; it may re-encrypt and copy through S3. A literal ARN, so
   * the key policy is known in the plan: order the key after the role with `orderAfter`.
   */
  readonly batchOperationsRoleArn: string;
  /**
   * Buckets whose S3 Inventory reports are delivered into a bucket encrypted with this key.
   * @default []
   */
  readonly inventorySourceBucketArns?: readonly string[];
  /**
   * ARN of the EventBridge rule allowed to publish to an SNS topic encrypted with this key.
   * @default no EventBridge access
   */
  readonly alarmRuleArn?: string;
  /**
   * Per bucket, principals and CloudFront distributions that may decrypt its objects and nothing else.
   * @default []
   */
  readonly bucketReaders?: readonly BucketReaders[];
  /** @default 'KMS key for SSE-KMS of migrated S3 objects' */
  readonly description?: string;
}

export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  /** The key policy's statements, as data. */
  readonly policyStatements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const deletionWindowDays = props.deletionWindowDays ?? 30;
    if (!Number.isInteger(deletionWindowDays) || deletionWindowDays < 7 || deletionWindowDays > 30) {
      throw new Error(`'deletionWindowDays' value must be between 7 and 30 days. Received: ${deletionWindowDays}`);
    }
    if (!props.alias.startsWith('alias/') || props.alias.startsWith('alias/aws/')) {
      throw new Error(`'alias' must start with 'alias/' and not 'alias/aws/'. Received: ${props.alias}`);
    }

    this.policyStatements = parseKeyPolicy(props);
    const policy = policyDocument(this, 'Policy', { statements: this.policyStatements });

    this.key = new KmsKey(this, 'Key', {
      description: props.description ?? 'KMS key for SSE-KMS of migrated S3 objects',
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindowDays,
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      policy: policy.json,
      // Every migrated object is readable only through this key, so `cdktf destroy` in the wrong
      // workspace or a change that replaces the key must fail the plan instead of scheduling its
      // deletion. A renamed id escapes it (the old address has no block left): README, "Retiring the
      // key", which is also the reviewed code change that removes this.
      lifecycle: { preventDestroy: true },
    });
    // The runner and applications resolve the key through its alias; losing it breaks them as surely.
    this.alias = new KmsAlias(this, 'Alias', {
      name: props.alias,
      targetKeyId: this.key.keyId,
      lifecycle: { preventDestroy: true },
    });
  }

  get arn(): string {
    return this.key.arn;
  }

  /**
   * Creates the key only after `principal` exists. KMS refuses a key policy naming a principal
   * that does not exist yet (MalformedPolicyDocumentException), and a principal named by literal
   * ARN is no reference Terraform could order by, so on a first deploy the key and the role would
   * otherwise be created in parallel. Emitted as `depends_on` on the key resource.
   */
  orderAfter(principal: ITerraformDependable): void {
    this.key.dependsOn = [...(this.key.dependsOn ?? []), dependable(principal)];
  }
}

function parseKeyPolicy(props: EncryptionKeyProps): PolicyStatement[] {
  const root = `arn:aws:iam::${props.accountId}:root`;
  const viaS3 = [
    { test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${props.region}.amazonaws.com`] },
    { test: 'StringEquals', variable: 'kms:CallerAccount', values: [props.accountId] },
  ];
  const statements: PolicyStatement[] = [
    {
      // Keeps the key manageable through IAM if every named administrator is gone; no data use.
      sid: 'AccountRootAdministersKey',
      effect: 'Allow',
      principals: [awsPrincipals([root])],
      actions: KMS_ADMIN_ACTIONS,
      resources: ['*'],
    },
  ];
  if (props.administrators && props.administrators.length > 0) {
    statements.push({
      sid: 'NamedAdministratorsAdministerKey',
      effect: 'Allow',
      principals: [awsPrincipals(props.administrators)],
      actions: KMS_ADMIN_ACTIONS,
      resources: ['*'],
    });
  }
  if (props.users && props.users.length > 0) {
    statements.push({
      sid: 'NamedUsersUseKeyThroughS3',
      effect: 'Allow',
      principals: [awsPrincipals(props.users)],
      actions: KMS_S3_USE_ACTIONS,
      resources: ['*'],
      conditions: viaS3,
    });
  }
  for (const bucket of props.bucketReaders ?? []) statements.push(...bucketReaderStatements(bucket, props.region, props.accountId));
  statements.push({
    sid: 'BatchOperationsReencryptsThroughS3',
    effect: 'Allow',
    principals: [awsPrincipals([props.batchOperationsRoleArn])],
    actions: KMS_BATCH_OPERATIONS_ACTIONS,
    resources: ['*'],
    conditions: viaS3,
  });
  if (props.inventorySourceBucketArns && props.inventorySourceBucketArns.length > 0) {
    statements.push({
      sid: 'S3InventoryDeliveryEncrypts',
      effect: 'Allow',
      principals: [servicePrincipal('s3.amazonaws.com')],
      actions: KMS_INVENTORY_DELIVERY_ACTIONS,
      resources: ['*'],
      conditions: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: props.inventorySourceBucketArns },
      ],
    });
  }
  if (props.alarmRuleArn) {
    statements.push({
      sid: 'EventBridgePublishesKeyAlarm',
      effect: 'Allow',
      principals: [servicePrincipal('events.amazonaws.com')],
      actions: KMS_EVENTBRIDGE_PUBLISH_ACTIONS,
      resources: ['*'],
      conditions: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] },
        { test: 'ArnEquals', variable: 'aws:SourceArn', values: [props.alarmRuleArn] },
      ],
    });
  }
  return statements;
}

/**
 * The encryption context S3 sends KMS for an object of `bucketName`: the object's ARN, or the
 * bucket's ARN for objects under an S3 Bucket Key ("When an S3 Bucket Key is enabled ..., the
 * encryption context will be the bucket Amazon Resource Name (ARN) and not the object ARN",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-bucket-key.html; the
 * aws:s3:arn pair, https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context).
 * Versions written before and after Bucket Keys were turned on both exist, so both forms match.
 */
export function bucketEncryptionContext(bucketName: string): PolicyStatement['conditions'] {
  const bucketArn = `arn:aws:s3:::${bucketName}`;
  return [{ test: 'StringLike', variable: 'kms:EncryptionContext:aws:s3:arn', values: [bucketArn, `${bucketArn}/*`] }];
}

/**
 * One bucket's readers may decrypt through S3 in the Region, and only that bucket's objects: no
 * kms:CallerAccount (readers of other accounts call from theirs; their own IAM policy must grant
 * kms:Decrypt on the key too). Its distributions follow AWS's statement for an Origin Access
 * Control reading SSE-KMS objects (service principal, AWS:SourceArn of the distributions,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html#create-oac-overview-s3),
 * narrowed to kms:Decrypt and the bucket's encryption context. Its log delivery services may
 * generate data keys for its objects, from this account's sources only.
 */
function bucketReaderStatements(bucket: BucketReaders, region: string, accountId: string): PolicyStatement[] {
  const id = bucketSidFragment(bucket.bucketName);
  const statements: PolicyStatement[] = [];
  if (bucket.readers.length > 0) {
    statements.push({
      sid: `${READERS_SID_PREFIX}${id}`,
      effect: 'Allow',
      principals: [awsPrincipals(bucket.readers)],
      actions: KMS_S3_READ_ACTIONS,
      resources: ['*'],
      conditions: [
        { test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${region}.amazonaws.com`] },
        ...bucketEncryptionContext(bucket.bucketName)!,
      ],
    });
  }
  if (bucket.cloudfrontDistributions.length > 0) {
    statements.push({
      sid: `${CLOUDFRONT_SID_PREFIX}${id}`,
      effect: 'Allow',
      principals: [servicePrincipal('cloudfront.amazonaws.com')],
      actions: KMS_CLOUDFRONT_READ_ACTIONS,
      resources: ['*'],
      conditions: [
        { test: 'StringEquals', variable: 'AWS:SourceArn', values: bucket.cloudfrontDistributions },
        ...bucketEncryptionContext(bucket.bucketName)!,
      ],
    });
  }
  const logDelivery = bucket.logDeliveryPrincipals ?? [];
  if (logDelivery.length > 0) {
    // Log delivery services write through S3, which asks KMS for a data key under the bucket's
    // default key: aws:SourceAccount keeps other accounts' deliveries out (confused deputy), the
    // encryption context keeps the grant to this bucket.
    statements.push({
      sid: `${LOG_DELIVERY_SID_PREFIX}${id}`,
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: logDelivery }],
      actions: KMS_LOG_DELIVERY_ACTIONS,
      resources: ['*'],
      conditions: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
        ...bucketEncryptionContext(bucket.bucketName)!,
      ],
    });
  }
  if ((bucket.replicationRoles ?? []).length > 0) {
    // AWS's example policy for replicating SSE-KMS objects grants the role kms:Decrypt conditioned on
    // kms:ViaService s3.<source Region> and the source bucket's encryption context
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html);
    // kms:Encrypt belongs on the replica key, the destination's. The same narrowing as the readers'.
    statements.push({
      sid: `${REPLICATION_SID_PREFIX}${id}`,
      effect: 'Allow',
      principals: [awsPrincipals(bucket.replicationRoles!)],
      actions: KMS_S3_READ_ACTIONS,
      resources: ['*'],
      conditions: [
        { test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${region}.amazonaws.com`] },
        ...bucketEncryptionContext(bucket.bucketName)!,
      ],
    });
  }
  return statements;
}
