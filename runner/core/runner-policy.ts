// The runner's own IAM policy: every AWS call it makes, mapped to its IAM action, scoped to one stack's resources.
//
// Action names and resource types follow the Service Authorization Reference:
//   S3 and S3 Control  https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
//   Athena             https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonathena.html
//   Glue               https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsglue.html
//   KMS                https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
//   IAM (PassRole)     https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
// and, per API, "Required permissions for Amazon S3 API operations":
//   https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
import {
  INVENTORY_DESTINATION_PREFIX,
  KMS_S3_USE_ACTIONS,
  S3_BATCH_ACL_ACTIONS,
  S3_BATCH_OBJECT_LOCK_ACTIONS,
  S3_BATCH_READ_OBJECT_ACTIONS,
  S3_BATCH_WRITE_OBJECT_ACTIONS,
  type StackOutputs,
} from '../../stacks/outputs';

/**
 * The IAM actions each SDK operation the runner sends needs (the Command class name without
 * `Command`; a paginator's operation likewise). A call added to runner/aws/ without an entry here
 * fails test/runner/core/runner-policy.test.ts, which scans for them.
 */
export const RUNNER_API_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  // S3, objects. HeadObject is authorized as s3:GetObject; with a VersionId, s3:GetObjectVersion.
  GetObject: ['s3:GetObject', 's3:GetObjectVersion'],
  HeadObject: ['s3:GetObject', 's3:GetObjectVersion'],
  GetObjectTagging: ['s3:GetObjectTagging', 's3:GetObjectVersionTagging'],
  GetObjectAcl: ['s3:GetObjectAcl', 's3:GetObjectVersionAcl'],
  PutObject: ['s3:PutObject'],
  // A copy reads the source version (with its tags) and writes the destination: both are the same bucket here.
  CopyObject: [
    's3:GetObject',
    's3:GetObjectVersion',
    's3:GetObjectTagging',
    's3:GetObjectVersionTagging',
    's3:PutObject',
    's3:PutObjectTagging',
  ],
  CreateMultipartUpload: ['s3:PutObject'],
  UploadPart: ['s3:PutObject'],
  UploadPartCopy: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
  CompleteMultipartUpload: ['s3:PutObject'],
  AbortMultipartUpload: ['s3:AbortMultipartUpload'],
  // The S3 API reference: UpdateObjectEncryption needs s3:PutObject and s3:UpdateObjectEncryption.
  UpdateObjectEncryption: ['s3:PutObject', 's3:UpdateObjectEncryption'],
  RestoreObject: ['s3:RestoreObject'],
  DeleteObject: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
  ListObjectVersions: ['s3:ListBucketVersions'],
  ListObjectsV2: ['s3:ListBucket'],
  // S3, buckets.
  GetBucketEncryption: ['s3:GetEncryptionConfiguration'],
  GetBucketVersioning: ['s3:GetBucketVersioning'],
  GetBucketPolicy: ['s3:GetBucketPolicy'],
  GetBucketReplication: ['s3:GetReplicationConfiguration'],
  GetBucketNotificationConfiguration: ['s3:GetBucketNotification'],
  GetBucketLifecycleConfiguration: ['s3:GetLifecycleConfiguration'],
  // Deleting a lifecycle configuration is authorized as writing one.
  PutBucketLifecycleConfiguration: ['s3:PutLifecycleConfiguration'],
  DeleteBucketLifecycle: ['s3:PutLifecycleConfiguration'],
  // S3 Control: Batch Operations and access points. The job's Tags are written with s3:PutJobTagging.
  CreateJob: ['s3:CreateJob', 's3:PutJobTagging', 'iam:PassRole'],
  DescribeJob: ['s3:DescribeJob'],
  ListJobs: ['s3:ListJobs'],
  GetJobTagging: ['s3:GetJobTagging'],
  ListAccessPoints: ['s3:ListAccessPoints'],
  GetAccessPointPolicy: ['s3:GetAccessPointPolicy'],
  // KMS, called directly (not through S3).
  DescribeKey: ['kms:DescribeKey'],
  GetKeyPolicy: ['kms:GetKeyPolicy'],
  // Athena; the query itself reads Glue and S3 with the caller's permissions (statements below).
  GetWorkGroup: ['athena:GetWorkGroup'],
  StartQueryExecution: ['athena:StartQueryExecution', 'glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
  GetQueryExecution: ['athena:GetQueryExecution'],
  GetQueryResults: ['athena:GetQueryResults'],
  // STS: "No permissions are required to perform this operation", not even against an explicit deny
  // (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
  GetCallerIdentity: [],
};

/**
 * Actions whose Service Authorization Reference entry names no resource type: IAM authorizes them
 * only with `"Resource": "*"`. s3:CreateJob (the job does not exist yet; the role it runs as is
 * scoped by iam:PassRole instead), s3:ListJobs and s3:ListAccessPoints (account-level listings).
 */
export const ACTIONS_WITHOUT_RESOURCE_TYPE = ['s3:CreateJob', 's3:ListJobs', 's3:ListAccessPoints'] as const;

/** The service principal a PassRole of the Batch Operations role is limited to. */
export const BATCH_OPERATIONS_SERVICE = 'batchoperations.s3.amazonaws.com';

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** `aws`, `aws-cn`, `aws-us-gov`: taken from the key's ARN so every ARN here is in the stack's partition. */
function partitionOf(arn: string): string {
  return arn.split(':')[1] || 'aws';
}

function statement(
  Sid: string,
  Action: readonly string[],
  Resource: string | readonly string[],
  Condition?: PolicyStatement['Condition'],
): PolicyStatement {
  return { Sid, Effect: 'Allow', Action: [...new Set(Action)].sort(), Resource, ...(Condition ? { Condition } : {}) };
}

/**
 * The least-privilege policy of the identity that runs `migrate` for one stack, built from the stack
 * outputs the runner reads, so it names exactly the deployed buckets, prefixes, key, role and catalog.
 * The identity must also be in the stack's key.users: the key policy, not this policy, lets it use the
 * key through S3 (UseKeyThroughS3 repeats that grant for key policies that defer to IAM).
 */
export function runnerPolicy(outputs: StackOutputs): PolicyDocument {
  const partition = partitionOf(outputs.kms_key_arn);
  const s3 = (resource: string) => `arn:${partition}:s3:::${resource}`;
  const regional = (service: string, resource: string) => `arn:${partition}:${service}:${outputs.region}:${outputs.account_id}:${resource}`;
  const buckets = Object.values(outputs.buckets);
  const objects = (list: typeof buckets) => list.map((b) => s3(`${b.bucket}/${b.prefix_filter}*`));
  const withAcls = buckets.filter((b) => b.uses_acls);
  const withLocks = buckets.filter((b) => b.object_lock);
  const reportsObjects = s3(`${outputs.reports_bucket}/${outputs.reports_prefix}*`);
  const inventoryPrefix = `${INVENTORY_DESTINATION_PREFIX}/`;
  const statements: PolicyStatement[] = [
    // Migrated buckets: read a version with everything a copy carries over, then re-encrypt or copy it in place.
    statement('ReadMigratedObjects', S3_BATCH_READ_OBJECT_ACTIONS, objects(buckets)),
    statement('ReencryptMigratedObjects', [...S3_BATCH_WRITE_OBJECT_ACTIONS, 's3:AbortMultipartUpload'], objects(buckets)),
    ...(withAcls.length ? [statement('CarryObjectAcls', S3_BATCH_ACL_ACTIONS, objects(withAcls))] : []),
    // HeadObject returns a version's lock only to a caller with s3:GetObjectRetention and s3:GetObjectLegalHold.
    ...(withLocks.length ? [statement('CarryObjectLocks', S3_BATCH_OBJECT_LOCK_ACTIONS, objects(withLocks))] : []),
    statement(
      'InspectMigratedBuckets',
      [
        's3:ListBucket',
        's3:ListBucketVersions',
        's3:GetEncryptionConfiguration',
        's3:GetBucketVersioning',
        's3:GetBucketPolicy',
        's3:GetReplicationConfiguration',
        's3:GetBucketNotification',
        's3:GetLifecycleConfiguration',
      ],
      buckets.map((b) => s3(b.bucket)),
    ),
    // migrate expire (and --undo): one rule merged into the bucket's lifecycle configuration.
    statement(
      'ExpireNoncurrentVersions',
      ['s3:PutLifecycleConfiguration'],
      buckets.map((b) => s3(b.bucket)),
    ),
    // Reports bucket, the stack's prefix only: state and lock, manifests (Athena UNLOAD), Athena results, write-probe canaries.
    statement(
      'RunnerFilesUnderStackPrefix',
      [
        's3:GetObject',
        's3:GetObjectVersion',
        's3:GetObjectTagging',
        's3:GetObjectVersionTagging',
        's3:PutObject',
        's3:PutObjectTagging',
        's3:UpdateObjectEncryption',
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:AbortMultipartUpload',
        's3:ListMultipartUploadParts',
      ],
      reportsObjects,
    ),
    statement('ListStackPrefix', ['s3:ListBucket', 's3:ListBucketVersions'], s3(outputs.reports_bucket), {
      StringLike: { 's3:prefix': [`${outputs.reports_prefix}*`] },
    }),
    // Inventory: the runner reads manifest.json, symlinks and data files; Athena reads the data files as the caller.
    statement('ReadInventoryReports', ['s3:GetObject'], s3(`${outputs.inventory_bucket}/${inventoryPrefix}*`)),
    statement('ListInventoryReports', ['s3:ListBucket'], s3(outputs.inventory_bucket), {
      StringLike: { 's3:prefix': [`${inventoryPrefix}*`] },
    }),
    // Athena asks where the buckets it reads and writes are, and lists unfinished uploads of its results.
    statement(
      'AthenaLocatesBuckets',
      ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
      [s3(outputs.reports_bucket), s3(outputs.inventory_bucket)],
    ),
    statement(
      'QueryInventoryInWorkgroup',
      ['athena:GetWorkGroup', 'athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'],
      regional('athena', `workgroup/${outputs.athena_workgroup}`),
    ),
    statement(
      'ReadInventoryTables',
      ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
      [
        regional('glue', 'catalog'),
        regional('glue', `database/${outputs.glue_database}`),
        regional('glue', `table/${outputs.glue_database}/*`),
      ],
    ),
    // No resource type in the Service Authorization Reference: "*" is the only Resource IAM accepts.
    statement('CreateAndListBatchOperationsJobs', ['s3:CreateJob', 's3:ListJobs'], '*'),
    statement('FollowBatchOperationsJobs', ['s3:DescribeJob', 's3:GetJobTagging', 's3:PutJobTagging'], regional('s3', 'job/*')),
    statement('PassBatchOperationsRole', ['iam:PassRole'], outputs.batch_operations_role_arn, {
      StringEquals: { 'iam:PassedToService': BATCH_OPERATIONS_SERVICE },
    }),
    // Who reads each bucket: the policies of its access points (ListAccessPoints has no resource type either).
    statement('ListAccessPoints', ['s3:ListAccessPoints'], '*'),
    statement('ReadAccessPointPolicies', ['s3:GetAccessPointPolicy'], regional('s3', 'accesspoint/*')),
    // The key, read directly: its state (preflight) and its policy (who may read each bucket). The key policy
    // lets the account's IAM grant these (AccountRootAdministersKey).
    statement('ReadMigrationKey', ['kms:DescribeKey', 'kms:GetKeyPolicy'], outputs.kms_key_arn),
    // S3 using the key for the caller, the same actions and condition as the key policy's grant to key.users.
    statement('UseKeyThroughS3', KMS_S3_USE_ACTIONS, outputs.kms_key_arn, {
      StringEquals: { 'kms:ViaService': `s3.${outputs.region}.amazonaws.com` },
    }),
  ];
  return { Version: '2012-10-17', Statement: statements };
}
