// The config schema: every field of an environment config, its type, default and message.
import { z } from 'zod';
import { INVENTORY_FORMATS } from '../inventory-schema';
import { backendSchema, type StateBackend } from './backend';
import { BOOLEAN, choosing, describeReceived, expecting, wrongType } from './messages';
import {
  ACCOUNT_ID,
  BUCKET_NAME,
  CLOUDFRONT_DISTRIBUTION_ARN,
  IAM_PRINCIPAL_ARN,
  IAM_ROLE_ARN,
  KEY_ALIAS,
  NOTIFICATION_DESTINATION_ARN,
  KMS_ALIAS_ARN,
  KMS_KEY_ARN,
  PRINCIPAL_ARN,
  RESERVED_TAG_KEY,
  SERVICE_PRINCIPAL,
  TAG_KEY,
  keyPrefixProblems,
  regionSchema,
  reservedBucketNameProblem,
} from './names';

// The formats are defined with the report schema they shape (so that file imports nothing from
// here); the config's users keep importing them from here.
export { INVENTORY_FORMATS, type InventoryFormat } from '../inventory-schema';
export const INVENTORY_FREQUENCIES = ['Daily', 'Weekly'] as const;
export type InventoryFrequency = (typeof INVENTORY_FREQUENCIES)[number];

/**
 * Inventory encryption classes a bucket may accept as reported exceptions: the only ones the
 * migration cannot rewrite unasked. SSE-C can be rewritten only by whoever holds its customer key;
 * DSSE-KMS is already dual-layer KMS (or migrated on request, `dsseKms.migrate`).
 */
export const ACCEPTABLE_REMAINING = ['SSE-C', 'DSSE-KMS'] as const;
export type AcceptedException = (typeof ACCEPTABLE_REMAINING)[number];

const principalArn = z
  .string({ error: expecting('an IAM ARN string such as "arn:aws:iam::123456789012:role/<name>"') })
  .regex(IAM_PRINCIPAL_ARN, {
    error: (issue) =>
      `malformed IAM ARN ${JSON.stringify(issue.input)}: use arn:aws:iam::<12-digit account>:role/<name>, :user/<name> or :root`,
  });

/** Wildcards grant whoever matches, now and later: the grants of a bucket name each principal. */
const wildcardProblem = (value: string, field: string) =>
  /[*?]/.test(value)
    ? `${JSON.stringify(value)} holds a wildcard: ${field} grants name each principal, so that a grant reaches only who it names; list them one by one`
    : undefined;

/**
 * A principal that reads a bucket through the key: a role or user, of this account or another, or
 * the root of another account (which then delegates to its own IAM policies).
 */
const readerArn = z
  .string({ error: expecting('an IAM ARN string such as "arn:aws:iam::123456789012:role/<name>"') })
  .superRefine((arn, ctx) => {
    const problem =
      wildcardProblem(arn, 'readers') ??
      (IAM_PRINCIPAL_ARN.test(arn)
        ? undefined
        : `malformed IAM ARN ${JSON.stringify(arn)}: use arn:aws:iam::<12-digit account>:role/<name>, :user/<name>, or :root of another account`);
    if (problem) ctx.addIssue({ code: 'custom', input: arn, message: problem });
  });

const distributionArn = z
  .string({
    error: expecting('a CloudFront distribution ARN string such as "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL"'),
  })
  .superRefine((arn, ctx) => {
    const problem =
      wildcardProblem(arn, 'cloudfrontDistributions') ??
      (CLOUDFRONT_DISTRIBUTION_ARN.test(arn)
        ? undefined
        : `malformed CloudFront distribution ARN ${JSON.stringify(arn)}: use arn:aws:cloudfront::<12-digit account>:distribution/<distribution id>`);
    if (problem) ctx.addIssue({ code: 'custom', input: arn, message: problem });
  });

const losingAccessPrincipal = z
  .string({ error: expecting('a principal ARN or a service principal string such as "logging.s3.amazonaws.com"') })
  .superRefine((principal, ctx) => {
    const problem =
      wildcardProblem(principal, 'acceptLosingAccess') ??
      (PRINCIPAL_ARN.test(principal) || SERVICE_PRINCIPAL.test(principal)
        ? undefined
        : `${JSON.stringify(principal)} is neither an ARN (arn:aws:iam::<account>:role/<name>, arn:aws:cloudfront::<account>:distribution/<id>, ...) nor a service principal (<service>.amazonaws.com): name the principal as the runner's report does`);
    if (problem) ctx.addIssue({ code: 'custom', input: principal, message: problem });
  });

/**
 * AWS services that deliver logs into a bucket, as a bucket's `logDelivery` names them. The first two
 * keep delivering into an SSE-KMS bucket once the key policy lets their service principal use the key;
 * Elastic Load Balancing access logs support SSE-S3 destinations only, so naming them refuses the
 * bucket (README, "Who reads and writes a bucket").
 */
export const LOG_DELIVERY_SERVICES = ['s3-server-access-logs', 'vended-logs', 'elb-access-logs'] as const;
export type LogDeliveryService = (typeof LOG_DELIVERY_SERVICES)[number];
/** A role S3 assumes to replicate the bucket: it decrypts the bucket's objects through S3 to copy them. */
const replicationRoleArn = z
  .string({ error: expecting('an IAM role ARN string such as "arn:aws:iam::123456789012:role/s3-replication"') })
  .superRefine((arn, ctx) => {
    const problem =
      wildcardProblem(arn, 'replicationRoles') ??
      (IAM_ROLE_ARN.test(arn)
        ? undefined
        : `${JSON.stringify(arn)} is not an IAM role ARN: S3 replicates as the role named in the bucket's replication configuration (its Role), arn:aws:iam::<12-digit account>:role/<name>`);
    if (problem) ctx.addIssue({ code: 'custom', input: arn, message: problem });
  });

/** The literal that accepts a bucket's EventBridge delivery, which has no ARN of its own in the bucket's configuration. */
export const EVENTBRIDGE_DESTINATION = 'eventbridge';

/** An event notification destination that will receive the migration's events and is accepted to. */
const eventDestination = z
  .string({ error: expecting('a topic, queue or function ARN, or "eventbridge"') })
  .superRefine((destination, ctx) => {
    const problem =
      wildcardProblem(destination, 'acceptEvents') ??
      (destination === EVENTBRIDGE_DESTINATION || NOTIFICATION_DESTINATION_ARN.test(destination)
        ? undefined
        : destination.toLowerCase() === EVENTBRIDGE_DESTINATION
          ? `${JSON.stringify(destination)}: write "eventbridge" in lower case`
          : `${JSON.stringify(destination)} is not an event notification destination: use the ARN of an SNS topic (arn:aws:sns:<region>:<account>:<name>), an SQS queue (arn:aws:sqs:...) or a Lambda function (arn:aws:lambda:<region>:<account>:function:<name>), or "eventbridge", as the runner's plan names it`);
    if (problem) ctx.addIssue({ code: 'custom', input: destination, message: problem });
  });

export const ENCRYPTION_POLICY_MODES = ['enforce', 'audit'] as const;
export type EncryptionPolicyMode = (typeof ENCRYPTION_POLICY_MODES)[number];

const policyDocument = z.looseObject(
  {
    Version: z.string({ error: expecting('a policy language version string such as "2012-10-17"') }).optional(),
    Statement: z.array(
      z.looseObject(
        { Sid: z.string({ error: expecting('a statement id string') }).optional() },
        { error: expecting('a policy statement object') },
      ),
      { error: expecting('a list of policy statements') },
    ),
  },
  { error: expecting('a policy document object { "Version": "2012-10-17", "Statement": [...] }') },
);

/**
 * How the stack learns a bucket's existing policy, which aws_s3_bucket_policy would otherwise
 * replace: `read` reads it at plan time (the data source fails when a bucket has none), `none` says
 * there is none, an object supplies the document itself.
 */
const existingPolicy = z.union([z.literal('read'), z.literal('none'), z.strictObject({ document: policyDocument })], {
  // An object that fails reaches describeIssue with the object option's own issues, which say what to fix.
  error: (issue) => wrongType('"read" (the bucket has a policy: read it), "none" (it has none) or { "document": {...} }', issue.input),
});

const kmsKeyArn = z.string({ error: expecting('a KMS key ARN string') }).superRefine((arn, ctx) => {
  if (KMS_KEY_ARN.test(arn)) return;
  ctx.addIssue({
    code: 'custom',
    input: arn,
    message: KMS_ALIAS_ARN.test(arn)
      ? `${JSON.stringify(arn)} is an alias ARN: IAM grants kms:Decrypt on the key itself, never through an alias; use the key ARN (aws kms describe-key --key-id <alias> prints it)`
      : `malformed KMS key ARN ${JSON.stringify(arn)}: use arn:aws:kms:<region>:<12-digit account>:key/<key id>`,
  });
});

/**
 * Copying DSSE-KMS versions in place under the migration key. Off by default: those versions are
 * already dual-layer KMS and are reported, not touched.
 */
const dsseKmsSchema = z.strictObject(
  {
    migrate: z.boolean({ error: expecting(BOOLEAN) }).default(false),
    /** Keys the DSSE-KMS versions are under; the copy must decrypt them. [] when only the migration key. */
    sourceKeyArns: z
      .array(kmsKeyArn, {
        error: expecting('a list of KMS key ARNs such as ["arn:aws:kms:eu-west-1:111122223333:key/<key id>"]'),
      })
      .default([]),
  },
  { error: expecting('{ "migrate": true, "sourceKeyArns": ["arn:aws:kms:..."] } or nothing') },
);

const acceptRemainingSchema = z
  .array(
    z.enum(ACCEPTABLE_REMAINING, {
      error: choosing(
        '"SSE-C" or "DSSE-KMS"',
        (input) =>
          `unknown encryption class ${JSON.stringify(input)}: use "SSE-C" or "DSSE-KMS", the only classes the migration does not rewrite by itself`,
      ),
    }),
    { error: expecting('a list of "SSE-C" and/or "DSSE-KMS"') },
  )
  .default([]);

const bucketSchema = z.strictObject(
  {
    name: z
      .string({ error: expecting('a bucket name string') })
      .regex(BUCKET_NAME, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a valid S3 bucket name: 3-63 lower-case letters, digits, dots, hyphens`,
      })
      .refine((name) => reservedBucketNameProblem(name) === undefined, {
        error: (issue) => reservedBucketNameProblem(issue.input as string),
      }),
    prefix: z
      .string({ error: expecting('a key prefix string such as "logs/"') })
      .min(1, { error: 'must not be empty: leave it out to migrate the whole bucket' })
      .refine((p) => !p.startsWith('/'), { error: 'must not start with "/": S3 keys have no leading slash' })
      .superRefine((prefix, ctx) => {
        for (const message of keyPrefixProblems(prefix)) ctx.addIssue({ code: 'custom', input: prefix, message });
      })
      .optional(),
    existingPolicy: existingPolicy.default('none'),
    versioning: z.boolean({ error: expecting(BOOLEAN) }).optional(),
    usesAcls: z.boolean({ error: expecting(BOOLEAN) }).default(false),
    objectLock: z.boolean({ error: expecting(BOOLEAN) }).default(false),
    dsseKms: dsseKmsSchema.prefault({}),
    /** Classes of current versions left in place as reported exceptions that do not fail verification. */
    acceptRemaining: acceptRemainingSchema,
    /**
     * Principals that read the bucket's objects and may decrypt them through S3, for this bucket
     * only: narrower than key.users, which may use the key for every bucket, and write.
     */
    readers: z
      .array(readerArn, { error: expecting('a list of IAM ARNs such as ["arn:aws:iam::123456789012:role/reporting"]') })
      .default([]),
    /** CloudFront distributions that read the bucket through an Origin Access Control. */
    cloudfrontDistributions: z
      .array(distributionArn, {
        error: expecting('a list of CloudFront distribution ARNs such as ["arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL"]'),
      })
      .default([]),
    /** Services that deliver logs into the bucket: each is granted kms:GenerateDataKey for this bucket's objects only. */
    logDelivery: z
      .array(
        z.enum(LOG_DELIVERY_SERVICES, {
          error: choosing(
            '"s3-server-access-logs", "vended-logs" or "elb-access-logs"',
            (input) =>
              `unknown log delivery ${JSON.stringify(input)}: use "s3-server-access-logs" (S3 server access logs), "vended-logs" (delivery.logs.amazonaws.com: VPC flow logs, CloudFront standard logs, ...) or "elb-access-logs"`,
          ),
        }),
        { error: expecting('a list of log delivery services such as ["s3-server-access-logs"]') },
      )
      .default([]),
    /** Principals that read the bucket today and are accepted to lose access: the runner reports them instead of refusing to run. */
    acceptLosingAccess: z.array(losingAccessPrincipal, { error: expecting('a list of principal ARNs or service principals') }).default([]),
    /**
     * Roles that replicate the bucket (its replication configuration's Role): the key policy lets each
     * decrypt this bucket's objects through S3, and nothing else, so that replication goes on once the
     * objects are under the key.
     */
    replicationRoles: z
      .array(replicationRoleArn, { error: expecting('a list of IAM role ARNs such as ["arn:aws:iam::123456789012:role/s3-replication"]') })
      .default([]),
    /**
     * Event notification destinations whose owners expect an event per migrated copy: the runner
     * reports them instead of refusing to run.
     */
    acceptEvents: z.array(eventDestination, { error: expecting('a list of topic, queue or function ARNs, or "eventbridge"') }).default([]),
  },
  { error: expecting('a bucket object such as { "name": "my-bucket" }') },
);

const nonNegativeDays = (what: string) =>
  z
    .number({ error: expecting(`a whole number of days, at least 1 (${what})`) })
    .int({ error: (issue) => `must be a whole number of days (${what}). Received: ${String(issue.input)}` })
    .min(1, { error: (issue) => `must be at least 1 day (${what}). Received: ${String(issue.input)}` });

export const configSchema = z.strictObject(
  {
    region: regionSchema,
    accountId: z.string({ error: expecting('a string of 12 digits') }).regex(ACCOUNT_ID, {
      error: (issue) => `must be a 12-digit AWS account id. Received: ${JSON.stringify(issue.input)}`,
    }),
    key: z.strictObject(
      {
        alias: z.string({ error: expecting('a string such as "alias/s3-migration-prod"') }).regex(KEY_ALIAS, {
          error: (issue) =>
            `bad alias ${JSON.stringify(issue.input)}: it must start with "alias/", not "alias/aws/", and use only letters, digits, "/", "_" and "-"`,
        }),
        administrators: z.array(principalArn, { error: expecting('a list of IAM ARNs') }).default([]),
        users: z.array(principalArn, { error: expecting('a list of IAM ARNs') }).default([]),
        deletionWindowDays: z
          .number({ error: expecting('a whole number of days between 7 and 30') })
          .int({ error: (issue) => `must be a whole number of days between 7 and 30. Received: ${String(issue.input)}` })
          .min(7, { error: (issue) => `must be between 7 and 30 days. Received: ${String(issue.input)}` })
          .max(30, { error: (issue) => `must be between 7 and 30 days. Received: ${String(issue.input)}` })
          .default(30),
      },
      { error: expecting('a key object such as { "alias": "alias/s3-migration-prod", "users": [...] }') },
    ),
    buckets: z
      .array(bucketSchema, { error: expecting('a list of buckets such as [{ "name": "my-bucket" }]') })
      .min(1, { error: 'is empty: list at least one existing bucket to migrate' }),
    versioning: z.boolean({ error: expecting(BOOLEAN) }).default(true),
    inventory: z
      .strictObject(
        {
          frequency: z
            .enum(INVENTORY_FREQUENCIES, {
              error: choosing('"Daily" or "Weekly"', (input) => `unknown frequency ${JSON.stringify(input)}: use "Daily" or "Weekly"`),
            })
            .default('Daily'),
          format: z
            .enum(INVENTORY_FORMATS, {
              error: choosing(
                '"CSV", "Parquet" or "ORC"',
                (input) => `unknown format ${JSON.stringify(input)}: use "CSV", "Parquet" or "ORC"`,
              ),
            })
            .default('Parquet'),
          retentionDays: nonNegativeDays('how long inventory reports are kept').default(14),
        },
        { error: expecting('an object with "frequency", "format" and/or "retentionDays"') },
      )
      .prefault({}),
    migration: z
      .strictObject(
        {
          noncurrentVersionExpirationDays: nonNegativeDays('how long old versions stay after the migration').default(30),
          newerNoncurrentVersions: z
            .number({ error: expecting('a whole number between 1 and 100') })
            .int({ error: (issue) => `must be a whole number between 1 and 100. Received: ${String(issue.input)}` })
            .min(1, { error: (issue) => `must be between 1 and 100. Received: ${String(issue.input)}` })
            .max(100, { error: (issue) => `must be between 1 and 100. Received: ${String(issue.input)}` })
            .optional(),
          denyUnencryptedUploads: z.boolean({ error: expecting(BOOLEAN) }).default(true),
        },
        { error: expecting('an object with "noncurrentVersionExpirationDays", "newerNoncurrentVersions" and/or "denyUnencryptedUploads"') },
      )
      .prefault({}),
    reports: z
      .strictObject(
        {
          retentionDays: nonNegativeDays('how long manifests and completion reports are kept').default(400),
          athenaResultsRetentionDays: nonNegativeDays('how long Athena query results are kept').default(7),
        },
        { error: expecting('an object with "retentionDays" and/or "athenaResultsRetentionDays"') },
      )
      .prefault({}),
    athena: z
      .strictObject(
        {
          bytesScannedCutoffPerQuery: z
            .number({ error: expecting('a whole number of bytes, at least 10485760 (10 MB)') })
            .int({ error: (issue) => `must be a whole number of bytes. Received: ${String(issue.input)}` })
            .min(10_485_760, { error: (issue) => `must be at least 10485760 (10 MB), Athena's minimum. Received: ${String(issue.input)}` })
            .default(107_374_182_400),
        },
        { error: expecting('an object with "bytesScannedCutoffPerQuery"') },
      )
      .prefault({}),
    alarm: z
      .strictObject(
        {
          enabled: z.boolean({ error: expecting(BOOLEAN) }).default(true),
          emails: z
            .array(
              z.email({ error: expecting('an email address string', (issue) => `not an email address: ${JSON.stringify(issue.input)}`) }),
              { error: expecting('a list of email addresses') },
            )
            .default([]),
        },
        { error: expecting('an object with "enabled" and/or "emails"') },
      )
      .prefault({}),
    /**
     * Continuous compliance after the migration. `awsConfigRule`: one AWS Config managed rule
     * S3_DEFAULT_ENCRYPTION_KMS per migrated bucket, allowing only the stack's key. Off by default:
     * a Config rule evaluates nothing (and Terraform cannot create it) without a configuration
     * recorder in the account and Region, which this stack does not manage.
     */
    compliance: z
      .strictObject(
        {
          awsConfigRule: z.boolean({ error: expecting(BOOLEAN) }).default(false),
        },
        { error: expecting('an object with "awsConfigRule" (true needs an AWS Config configuration recorder in the account)') },
      )
      .prefault({}),
    /**
     * How the migrated buckets' policies treat uploads that name an encryption other than SSE-KMS
     * under the key: `enforce` refuses them, `audit` leaves those denies out (TLS-only stays) for a
     * first deploy, while writers that send `x-amz-server-side-encryption: AES256` are found.
     */
    encryptionPolicy: z
      .strictObject(
        {
          mode: z
            .enum(ENCRYPTION_POLICY_MODES, {
              error: choosing(
                '"enforce" or "audit"',
                (input) =>
                  `unknown mode ${JSON.stringify(input)}: use "enforce" (refuse uploads naming another encryption) or "audit" (leave those denies out while you find such writers)`,
              ),
            })
            .default('enforce'),
        },
        { error: expecting('an object with "mode": "enforce" or "audit"') },
      )
      .prefault({}),
    /** Where Terraform keeps the stack's state; local when left out. */
    backend: backendSchema.optional(),
    tags: z
      .record(
        z
          .string()
          .regex(TAG_KEY, {
            error: (issue) => `bad tag key ${JSON.stringify(issue.input)}: use 1-128 letters, digits, spaces and _ . : / = + - @`,
          })
          .refine((key) => !RESERVED_TAG_KEY.test(key), {
            error: (issue) =>
              `bad tag key ${JSON.stringify(issue.input)}: AWS reserves keys starting with "aws:" (in any case) for its own tags and refuses to set one; choose another prefix, such as "team:"`,
          }),
        z.string({ error: expecting('a tag value string') }).max(256, {
          error: (issue) => `tag values are at most 256 characters. Received: ${describeReceived(issue.input)}`,
        }),
        {
          // A key the key schema refuses arrives as the record's own invalid_key issue, holding the key schema's issues.
          error: expecting('an object of tag names to string values', (issue) =>
            ((issue as { readonly issues?: readonly { readonly message: string }[] }).issues ?? []).map((i) => i.message).join('; '),
          ),
        },
      )
      .default({}),
  },
  { error: expecting('an object of stack settings such as { "region": ..., "accountId": ..., "key": {...}, "buckets": [...] }') },
);

export type ParsedConfig = z.infer<typeof configSchema>;
export type BucketConfig = ParsedConfig['buckets'][number] & { readonly versioning: boolean };

/** A validated environment configuration, with every default resolved. */
export interface MigrationConfig extends Omit<ParsedConfig, 'buckets' | 'backend'> {
  readonly stackName: string;
  readonly buckets: readonly BucketConfig[];
  readonly backend: StateBackend;
}
