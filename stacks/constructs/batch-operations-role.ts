// The IAM role S3 Batch Operations assumes: trusted only by Batch Operations jobs of this account,
// allowed only what copy in place and UpdateObjectEncryption need, on the listed buckets only.
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  KMS_BATCH_OPERATIONS_ACTIONS,
  KMS_DSSE_SOURCE_DECRYPT_ACTIONS,
  S3_BATCH_ACL_ACTIONS,
  S3_BATCH_BUCKET_ACTIONS,
  S3_BATCH_OBJECT_LOCK_ACTIONS,
  S3_BATCH_READ_OBJECT_ACTIONS,
  S3_BATCH_WRITE_OBJECT_ACTIONS,
  S3_MANIFEST_READ_ACTIONS,
  S3_REPORT_WRITE_ACTIONS,
} from './actions';
import { PolicyStatement, policyDocument, servicePrincipal } from './policy';

export interface BatchOperationsSourceBucket {
  readonly name: string;
  /** Limit object access to keys under this prefix. @default the whole bucket */
  readonly prefix?: string;
  /** Objects carry ACLs a copy must keep. @default false */
  readonly usesAcls?: boolean;
  /** Objects carry retention or legal hold a copy must keep. @default false */
  readonly objectLock?: boolean;
  /**
   * KMS keys (in `region`) the bucket's DSSE-KMS versions are under, which a copy in place must
   * decrypt; only for buckets that opt in to migrating DSSE-KMS. The migration key needs no entry.
   * @default [] (no DSSE-KMS source key is decrypted)
   */
  readonly dsseKmsSourceKeyArns?: readonly string[];
}

export interface BatchOperationsRoleProps {
  readonly accountId: string;
  readonly region: string;
  /** Role name; the runner names it in CreateJob. */
  readonly roleName: string;
  readonly kmsKeyArn: string;
  readonly sourceBuckets: readonly BatchOperationsSourceBucket[];
  /** Bucket holding manifests and completion reports. */
  readonly reportsBucketArn: string;
  /** Object ARN pattern of the manifests the runner writes, e.g. arn:...:reports/prod/manifests/*. */
  readonly manifestObjectsArn: string;
  /** Object ARN pattern where completion reports go. */
  readonly reportObjectsArn: string;
  /** Object ARN pattern of inventory reports, for jobs that take an inventory manifest. */
  readonly inventoryObjectsArn: string;
}

export class BatchOperationsRole extends Construct {
  readonly role: IamRole;
  readonly trustStatements: readonly PolicyStatement[];
  readonly permissionStatements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: BatchOperationsRoleProps) {
    super(scope, id);
    if (props.sourceBuckets.length === 0) throw new Error("'sourceBuckets' must list at least one bucket");
    for (const bucket of props.sourceBuckets) {
      const foreign = (bucket.dsseKmsSourceKeyArns ?? []).find((arn) => !isKeyArnIn(arn, props.region));
      if (foreign !== undefined) {
        throw new Error(
          `'dsseKmsSourceKeyArns' of bucket '${bucket.name}' must be KMS key ARNs in ${props.region}, the buckets' Region. Received: ${foreign}`,
        );
      }
    }

    this.trustStatements = [
      {
        sid: 'BatchOperationsJobsOfThisAccountAssume',
        effect: 'Allow',
        principals: [servicePrincipal('batchoperations.s3.amazonaws.com')],
        actions: ['sts:AssumeRole'],
        conditions: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:aws:s3:${props.region}:${props.accountId}:job/*`] },
        ],
      },
    ];
    const trust = policyDocument(this, 'TrustPolicy', { statements: this.trustStatements, kind: 'trust' });
    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: 'Assumed by S3 Batch Operations to re-encrypt or copy objects in place under SSE-KMS',
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
    });

    this.permissionStatements = parsePermissions(props);
    const permissions = policyDocument(this, 'PermissionsPolicy', { statements: this.permissionStatements });
    new IamRolePolicy(this, 'Permissions', {
      name: 'kms-migration',
      role: this.role.id,
      policy: permissions.json,
    });
  }

  get arn(): string {
    return this.role.arn;
  }
}

/** S3 uses only keys of the bucket's Region, so a key elsewhere can hold no version of ours. */
function isKeyArnIn(arn: string, region: string): boolean {
  return arn.startsWith(`arn:aws:kms:${region}:`) && arn.split(':')[5]?.startsWith('key/') === true;
}

function objectsArn(bucket: BatchOperationsSourceBucket): string {
  return `arn:aws:s3:::${bucket.name}/${bucket.prefix ?? ''}*`;
}

function parsePermissions(props: BatchOperationsRoleProps): PolicyStatement[] {
  const objects = props.sourceBuckets.map(objectsArn);
  const viaS3 = { test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${props.region}.amazonaws.com`] };
  const statements: PolicyStatement[] = [
    { sid: 'ReadSourceObjectVersions', effect: 'Allow', actions: S3_BATCH_READ_OBJECT_ACTIONS, resources: objects },
    { sid: 'ReencryptOrCopyInPlace', effect: 'Allow', actions: S3_BATCH_WRITE_OBJECT_ACTIONS, resources: objects },
  ];
  const aclBuckets = props.sourceBuckets.filter((b) => b.usesAcls);
  if (aclBuckets.length > 0) {
    statements.push({ sid: 'CarryOverObjectAcls', effect: 'Allow', actions: S3_BATCH_ACL_ACTIONS, resources: aclBuckets.map(objectsArn) });
  }
  const lockBuckets = props.sourceBuckets.filter((b) => b.objectLock);
  if (lockBuckets.length > 0) {
    statements.push({
      sid: 'CarryOverObjectLock',
      effect: 'Allow',
      actions: S3_BATCH_OBJECT_LOCK_ACTIONS,
      resources: lockBuckets.map(objectsArn),
    });
  }
  statements.push(
    {
      sid: 'ReadManifests',
      effect: 'Allow',
      actions: S3_MANIFEST_READ_ACTIONS,
      resources: [props.manifestObjectsArn, props.inventoryObjectsArn],
    },
    { sid: 'WriteCompletionReports', effect: 'Allow', actions: S3_REPORT_WRITE_ACTIONS, resources: [props.reportObjectsArn] },
    {
      sid: 'LocateBuckets',
      effect: 'Allow',
      actions: S3_BATCH_BUCKET_ACTIONS,
      resources: [props.reportsBucketArn, ...props.sourceBuckets.map((b) => `arn:aws:s3:::${b.name}`)],
    },
    {
      sid: 'UseMigrationKeyThroughS3',
      effect: 'Allow',
      actions: KMS_BATCH_OPERATIONS_ACTIONS,
      resources: [props.kmsKeyArn],
      conditions: [viaS3],
    },
  );
  // One statement for every opted-in bucket: a key grant cannot be narrowed to a bucket by resource.
  const dsseSourceKeys = [...new Set(props.sourceBuckets.flatMap((b) => b.dsseKmsSourceKeyArns ?? []))];
  if (dsseSourceKeys.length > 0) {
    statements.push({
      sid: 'DecryptDsseKmsSourcesThroughS3',
      effect: 'Allow',
      actions: KMS_DSSE_SOURCE_DECRYPT_ACTIONS,
      resources: dsseSourceKeys,
      conditions: [viaS3],
    });
  }
  return statements;
}
