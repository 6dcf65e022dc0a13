// The outputs contract between the stacks and the runner: names, types and descriptions, defined once.
import { z } from 'zod';
import { ACCEPTABLE_REMAINING, INVENTORY_FORMATS, INVENTORY_FREQUENCIES } from './config';

/** The stack-name rule is part of the contract: the runner's --stack names the outputs' `stack`. */
export { stackNameProblem } from './config';

/**
 * Where a stack's config lives (`<environments folder>/<stack>.json`), so the runner can tell a stack
 * that was never configured from one that was never deployed, and name the file to create or edit.
 */
export { environmentsDir, listStacks, stackConfigFile } from './config';

/**
 * What the stacks grant for object work, which the runner's own IAM policy (`migrate policy`) grants
 * its caller too: the key users' KMS actions through S3 (the key policy's NamedUsersUseKeyThroughS3),
 * and the object reads and writes of a copy in place or an UpdateObjectEncryption, with ACL and Object
 * Lock actions for buckets that use them. One list each, in stacks/constructs/actions.ts.
 */
export {
  KMS_S3_USE_ACTIONS,
  S3_BATCH_ACL_ACTIONS,
  S3_BATCH_OBJECT_LOCK_ACTIONS,
  S3_BATCH_READ_OBJECT_ACTIONS,
  S3_BATCH_WRITE_OBJECT_ACTIONS,
} from './constructs/actions';

/** How accept_events names a bucket's EventBridge delivery, which has no ARN in the bucket's configuration. */
export { EVENTBRIDGE_DESTINATION } from './config';

/**
 * Glue database and table names as the stacks make them (kms_migration_<stack>, inventory_<bucket>
 * with every other character an underscore), which the runner writes into Athena SQL. Outputs
 * naming anything else were not written by this stack, and are refused where they are read, so
 * no other text reaches a query.
 */
export const GLUE_NAME = /^[a-z0-9_]+$/;

const glueName = z.string().regex(GLUE_NAME, {
  error: (issue) =>
    `must be a Glue name of lower-case letters, digits and underscores (it is written into Athena SQL). Received: ${JSON.stringify(issue.input)}`,
});

/** What the runner needs to know about one migrated bucket. */
export const bucketOutputSchema = z
  .strictObject({
    bucket: z.string().min(1),
    /** Key prefix the migration is limited to; "" means the whole bucket. */
    prefix_filter: z.string(),
    /** Name of the S3 Inventory configuration on the source bucket. */
    inventory_config_id: z.string().min(1),
    inventory_format: z.enum(INVENTORY_FORMATS),
    inventory_frequency: z.enum(INVENTORY_FREQUENCIES),
    /** s3://<inventory bucket>/<prefix>/<source bucket>/<config id>/ : where manifest.json files land. */
    inventory_location: z.string().startsWith('s3://'),
    glue_table: glueName,
    versioning: z.boolean(),
    uses_acls: z.boolean(),
    object_lock: z.boolean(),
    /**
     * DSSE-KMS versions are copied in place under the stack's key. Defaults let outputs written by a
     * deployment older than the field parse, with the behaviour of that time.
     */
    migrate_dsse_kms: z.boolean().default(false),
    /** Encryption classes left in place as reported exceptions: counted apart by verify, not failing the bucket. */
    accepted_exceptions: z.array(z.enum(ACCEPTABLE_REMAINING)).default([]),
    /**
     * Principals (IAM ARNs) the key policy lets decrypt this bucket's objects through S3 only, besides
     * the key users: the bucket's own readers. Defaults let older outputs parse.
     */
    readers: z.array(z.string().startsWith('arn:')).default([]),
    /** CloudFront distributions (ARNs) whose Origin Access Control the key policy lets decrypt this bucket's objects. */
    cloudfront_distributions: z.array(z.string().startsWith('arn:')).default([]),
    /** Principals (ARNs, or service principals) the config accepts will lose access to re-encrypted objects: reported, not refused. */
    accept_losing_access: z.array(z.string().min(1)).default([]),
    /**
     * IAM roles that replicate this bucket (the Role of its replication configuration): the key policy
     * lets each decrypt this bucket's objects through S3 only. Defaults let older outputs parse.
     */
    replication_roles: z.array(z.string().startsWith('arn:')).default([]),
    /**
     * Event notification destinations (topic, queue or function ARNs, or "eventbridge") the config
     * accepts will receive the migration's events: reported, not refused.
     */
    accept_events: z.array(z.string().min(1)).default([]),
  })
  .refine((b) => !(b.migrate_dsse_kms && b.accepted_exceptions.includes('DSSE-KMS')), {
    error: 'migrate_dsse_kms is true while accepted_exceptions lists "DSSE-KMS": a class is either migrated or accepted, not both',
    path: ['accepted_exceptions'],
  });
export type BucketOutput = z.infer<typeof bucketOutputSchema>;

/** Every stack output the runner reads, keyed by Terraform output name. */
export const stackOutputsSchema = z.strictObject({
  stack: z.string().min(1),
  region: z.string().min(1),
  account_id: z.string().regex(/^\d{12}$/),
  kms_key_arn: z.string().startsWith('arn:'),
  kms_key_alias: z.string().startsWith('alias/'),
  inventory_bucket: z.string().min(1),
  glue_database: glueName,
  athena_workgroup: z.string().min(1),
  reports_bucket: z.string().min(1),
  /** Prefix in the reports bucket under which manifests, job reports and state live (ends with "/"). */
  reports_prefix: z.string().endsWith('/'),
  batch_operations_role_arn: z.string().startsWith('arn:'),
  noncurrent_days: z.number().int().positive(),
  /** 0 when not configured: expire every noncurrent version after noncurrent_days. */
  newer_noncurrent_versions: z.number().int().min(0),
  buckets: z.record(z.string(), bucketOutputSchema),
});
export type StackOutputs = z.infer<typeof stackOutputsSchema>;
export type OutputName = keyof StackOutputs;

/** The description of each output, as `terraform output` and the README show it. */
export const OUTPUT_DESCRIPTIONS: Readonly<Record<OutputName, string>> = {
  stack: 'Name of the stack (environment) these outputs belong to.',
  region: 'AWS Region of the buckets, the key, the inventory and the Batch Operations jobs.',
  account_id: 'AWS account id that owns the buckets; the runner refuses to run as another account.',
  kms_key_arn: 'ARN of the customer-managed KMS key every object version must end up under.',
  kms_key_alias: 'Alias of the KMS key (alias/...).',
  inventory_bucket: 'Bucket that receives the S3 Inventory reports of every migrated bucket.',
  glue_database: 'Glue database holding one inventory table per migrated bucket.',
  athena_workgroup: 'Athena workgroup (enforced, KMS-encrypted results) the runner queries the inventory in.',
  reports_bucket: 'Bucket for manifests, Batch Operations completion reports, Athena results and runner state.',
  reports_prefix: 'Prefix in the reports bucket for this stack\'s manifests, reports and state (ends with "/").',
  batch_operations_role_arn: 'IAM role that S3 Batch Operations assumes to copy or re-encrypt objects.',
  noncurrent_days: 'Days after which noncurrent versions expire once the migration is verified.',
  newer_noncurrent_versions: 'Noncurrent versions to keep regardless of age (0: keep none).',
  buckets:
    'Per migrated bucket: prefix filter, inventory configuration and location, Glue table, versioning, ACL and Object Lock use, whether DSSE-KMS versions are migrated, and the encryption classes accepted as remaining exceptions.',
};

export const OUTPUT_NAMES = Object.keys(OUTPUT_DESCRIPTIONS) as OutputName[];

/** Where the runner keeps its files in the reports bucket, relative to reports_prefix. */
export const REPORTS_LAYOUT = {
  manifests: 'manifests/',
  jobReports: 'job-reports/',
  state: 'state/',
  athenaResults: 'athena-results/',
} as const;

/** Prefix in the inventory bucket under which S3 delivers every bucket's reports. */
export const INVENTORY_DESTINATION_PREFIX = 'inventory';

/** Inventory configuration id on every migrated bucket. */
export const INVENTORY_CONFIG_ID = 'kms-migration';
