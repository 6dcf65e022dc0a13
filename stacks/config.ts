// The environment config schema and loader: the only place a stack's configuration is validated.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { INVENTORY_FORMATS, inventoryTableName } from './inventory-schema';
import { duplicateKeys } from './json-duplicate-keys';

/** Regions where S3, KMS, Glue, Athena and S3 Batch Operations are all available. */
export const KNOWN_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'af-south-1',
  'ap-east-1', 'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
  'ap-southeast-4', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2',
  'eu-north-1',
  'il-central-1', 'me-south-1', 'me-central-1', 'sa-east-1',
];

// The formats are defined with the report schema they shape (so that file imports nothing from
// here); the config's users keep importing them from here.
export { INVENTORY_FORMATS, type InventoryFormat } from './inventory-schema';
export const INVENTORY_FREQUENCIES = ['Daily', 'Weekly'] as const;
export type InventoryFrequency = (typeof INVENTORY_FREQUENCIES)[number];

/**
 * Inventory encryption classes a bucket may accept as reported exceptions: the only ones the
 * migration cannot rewrite unasked. SSE-C can be rewritten only by whoever holds its customer key;
 * DSSE-KMS is already dual-layer KMS (or migrated on request, `dsseKms.migrate`).
 */
export const ACCEPTABLE_REMAINING = ['SSE-C', 'DSSE-KMS'] as const;
export type AcceptedException = (typeof ACCEPTABLE_REMAINING)[number];

// S3 bucket naming rules (general purpose buckets): 3-63 chars, lower-case letters, digits, dots
// and hyphens, starting and ending with a letter or digit, not shaped like an IP address.
const BUCKET_NAME = /^(?!\d+\.\d+\.\d+\.\d+$)(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// KMS alias names: alias/ followed by 1-250 of [a-zA-Z0-9/_-]; alias/aws/ is reserved for AWS.
const KEY_ALIAS = /^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/;
const ACCOUNT_ID = /^\d{12}$/;
// IAM principals that may appear in a key policy: roles, users, the account root, assumed roles are
// not stable principals and are refused.
const IAM_PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;
// KMS key ARNs in the partition of KNOWN_REGIONS; a key id is a UUID, or mrk- and 32 hex digits for a
// multi-Region key. Alias ARNs are refused: IAM authorizes kms:Decrypt against the key, not an alias.
const KMS_KEY_ARN =
  /^arn:aws:kms:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:key\/(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const KMS_ALIAS_ARN = /^arn:aws[a-z-]*:kms:[^:]*:[^:]*:alias\//;
const STACK_NAME = /^[a-z][a-z0-9-]{0,19}$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

/**
 * Why `name` cannot name a stack, or undefined when it can: the rule for config file names, which
 * become Terraform working directories and resource names, and for the runner's --stack.
 */
export function stackNameProblem(name: string): string | undefined {
  if (STACK_NAME.test(name)) return undefined;
  return `stack name '${name}': use 1-20 lower-case letters, digits and hyphens, starting with a letter`;
}

// Values longer than this are cut in messages, so that one problem stays one readable line.
const MAX_RECEIVED_CHARS = 80;

/**
 * A value as a message names it, with its JSON type: `the number 123456789012`,
 * `the string "yes"`, `the boolean true`, `null`, `the array ["a","b"]`; long ones shortened.
 */
export function describeReceived(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    const shown = value.length > MAX_RECEIVED_CHARS ? `${value.slice(0, MAX_RECEIVED_CHARS)}…` : value;
    return `the string ${JSON.stringify(shown)}${shown === value ? '' : ` (${value.length} characters)`}`;
  }
  const kind = Array.isArray(value) ? 'array' : typeof value;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a parsed config value: an object always has JSON, anything else here is a number or boolean
  const text = typeof value === 'object' ? (JSON.stringify(value) ?? String(value)) : String(value);
  return `the ${kind} ${text.length > MAX_RECEIVED_CHARS ? `${text.slice(0, MAX_RECEIVED_CHARS)}…` : text}`;
}

/** The one shape of every wrong-type message: what the field takes, then what it was given. */
function wrongType(expected: string, input: unknown): string {
  return `expected ${expected}, received ${describeReceived(input)}`;
}

/**
 * The `error` option of a schema: an input of the wrong JSON type reads "expected <what>, received
 * <value>"; any other issue of that schema reads `otherwise`, or zod's own message without it.
 */
function expecting(what: string, otherwise?: (issue: { readonly input?: unknown }) => string) {
  return (issue: { readonly code?: string; readonly input?: unknown }) =>
    issue.code === 'invalid_type' ? wrongType(what, issue.input) : otherwise?.(issue);
}

/**
 * The `error` option of an enum, for which zod reports a number like an unknown word: a string
 * that is not one of the choices reads `unknownValue`, anything else is a wrong type.
 */
function choosing(what: string, unknownValue: (input: string) => string) {
  return (issue: { readonly input?: unknown }) =>
    typeof issue.input === 'string' ? unknownValue(issue.input) : wrongType(what, issue.input);
}

const BOOLEAN = 'true or false';

const principalArn = z
  .string({ error: expecting('an IAM ARN string such as "arn:aws:iam::123456789012:role/<name>"') })
  .regex(IAM_PRINCIPAL_ARN, {
    error: (issue) =>
      `malformed IAM ARN ${JSON.stringify(issue.input)}: use arn:aws:iam::<12-digit account>:role/<name>, :user/<name> or :root`,
  });

const policyDocument = z.looseObject(
  {
    Version: z.string({ error: expecting('a policy language version string such as "2012-10-17"') }).optional(),
    Statement: z.array(
      z.looseObject({ Sid: z.string({ error: expecting('a statement id string') }).optional() }, { error: expecting('a policy statement object') }),
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
const existingPolicy = z.union(
  [z.literal('read'), z.literal('none'), z.strictObject({ document: policyDocument })],
  {
    // An object that fails reaches describeIssue with the object option's own issues, which say what to fix.
    error: (issue) =>
      wrongType('"read" (the bucket has a policy: read it), "none" (it has none) or { "document": {...} }', issue.input),
  },
);

const kmsKeyArn = z
  .string({ error: expecting('a KMS key ARN string') })
  .superRefine((arn, ctx) => {
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

const bucketSchema = z.strictObject({
  name: z.string({ error: expecting('a bucket name string') }).regex(BUCKET_NAME, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a valid S3 bucket name: 3-63 lower-case letters, digits, dots, hyphens`,
  }),
  prefix: z
    .string({ error: expecting('a key prefix string such as "logs/"') })
    .min(1, { error: 'must not be empty: leave it out to migrate the whole bucket' })
    .refine((p) => !p.startsWith('/'), { error: 'must not start with "/": S3 keys have no leading slash' })
    .optional(),
  existingPolicy: existingPolicy.default('none'),
  versioning: z.boolean({ error: expecting(BOOLEAN) }).optional(),
  usesAcls: z.boolean({ error: expecting(BOOLEAN) }).default(false),
  objectLock: z.boolean({ error: expecting(BOOLEAN) }).default(false),
  dsseKms: dsseKmsSchema.prefault({}),
  /** Classes of current versions left in place as reported exceptions that do not fail verification. */
  acceptRemaining: acceptRemainingSchema,
}, { error: expecting('a bucket object such as { "name": "my-bucket" }') });

const regionSchema = z.string({ error: expecting('a region name string such as "eu-west-1"') }).refine((r) => KNOWN_REGIONS.includes(r), {
  error: (issue) => `unknown region ${JSON.stringify(issue.input)}: use one of ${KNOWN_REGIONS.join(', ')}`,
});

/** Where the S3 backend keeps a stack's state when the config does not say: one object per stack. */
export function defaultStateKey(stackName: string): string {
  return `kms-migration/${stackName}/terraform.tfstate`;
}

// The longest S3 object key, in UTF-8 bytes; the lock file adds ".tflock" to the state key.
const MAX_STATE_KEY_BYTES = 1024 - '.tflock'.length;
// The characters AWS lists as safe in object keys; anything else needs URL encoding somewhere along the
// way (IAM policy resources, the console, `aws s3` commands) and is refused rather than debugged later.
const STATE_KEY_CHARACTERS = /^[A-Za-z0-9!_.*'()/-]+$/;

/** Problems of an S3 state key: Terraform's own rules (no leading or trailing "/", no "//") and S3's. */
function stateKeyProblems(key: string): string[] {
  const problems: string[] = [];
  if (key.length === 0) return ['must not be empty: leave "key" out for kms-migration/<stack>/terraform.tfstate'];
  if (key.startsWith('/') || key.endsWith('/')) {
    problems.push(`${JSON.stringify(key)} starts or ends with "/": Terraform's S3 backend refuses that; write e.g. "kms-migration/prod/terraform.tfstate"`);
  }
  if (key.includes('//')) problems.push(`${JSON.stringify(key)} contains "//": Terraform's S3 backend refuses empty path segments`);
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
    problems.push(`${JSON.stringify(key)} has a "." or ".." segment: S3 keeps it literally, the console and most tools do not; name the folders`);
  }
  if (!STATE_KEY_CHARACTERS.test(key)) {
    problems.push(`${JSON.stringify(key)} has characters outside letters, digits and ! - _ . * ' ( ) /: use only those, which need no encoding in S3 keys and IAM policies`);
  }
  if (Buffer.byteLength(key, 'utf8') > MAX_STATE_KEY_BYTES) {
    problems.push(`is ${Buffer.byteLength(key, 'utf8')} bytes long: S3 keys are at most 1024 bytes, and the lock file adds ".tflock"; use at most ${MAX_STATE_KEY_BYTES}`);
  }
  return problems;
}

/**
 * Remote state in S3, locked with Terraform's S3 lock file (use_lockfile, Terraform 1.10+): no
 * DynamoDB table. Always locked, so there is no setting to turn the lock off.
 */
const s3BackendSchema = z.strictObject({
  type: z.literal('s3'),
  bucket: z.string({ error: expecting('the name string of the existing S3 bucket that holds Terraform state') }).regex(BUCKET_NAME, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a valid S3 bucket name: 3-63 lower-case letters, digits, dots, hyphens, starting and ending with a letter or digit`,
  }),
  key: z
    .string({ error: expecting('a string such as "kms-migration/prod/terraform.tfstate"') })
    .superRefine((key, ctx) => {
      for (const message of stateKeyProblems(key)) ctx.addIssue({ code: 'custom', input: key, message });
    })
    .optional(),
  /** Region of the state bucket; the stack's region when left out. */
  region: regionSchema.optional(),
  encrypt: z.boolean({ error: expecting(BOOLEAN) }).default(true),
}, { error: expecting('a backend object') });

/**
 * State in a local file: fine on one workstation, lost on a fresh CI machine and never locked
 * between two pipelines, so synthesizing it in CI needs `allowInCi`.
 */
const localBackendSchema = z.strictObject({
  type: z.literal('local'),
  allowInCi: z.boolean({ error: expecting(BOOLEAN) }).default(false),
}, { error: expecting('a backend object') });

const BACKEND_TYPES = '"s3" (remote, locked state: what a pipeline needs) or "local"';
const backendSchema = z.discriminatedUnion('type', [s3BackendSchema, localBackendSchema], {
  error: (issue) => {
    // zod reports a missing or unknown "type" at backend.type, with the whole backend as input.
    if (issue.code !== 'invalid_union') {
      return wrongType('{ "type": "s3", "bucket": "<state bucket>" } or { "type": "local" }, or nothing for local state', issue.input);
    }
    const type = (issue.input as { type?: unknown } | undefined)?.type;
    if (type === undefined) return `is required: ${BACKEND_TYPES}`;
    if (typeof type !== 'string') return wrongType(BACKEND_TYPES, type);
    return `unknown backend type ${JSON.stringify(type)}: use ${BACKEND_TYPES}`;
  },
});

const nonNegativeDays = (what: string) =>
  z
    .number({ error: expecting(`a whole number of days, at least 1 (${what})`) })
    .int({ error: (issue) => `must be a whole number of days (${what}). Received: ${String(issue.input)}` })
    .min(1, { error: (issue) => `must be at least 1 day (${what}). Received: ${String(issue.input)}` });

export const configSchema = z.strictObject({
  region: regionSchema,
  accountId: z.string({ error: expecting('a string of 12 digits') }).regex(ACCOUNT_ID, {
    error: (issue) => `must be a 12-digit AWS account id. Received: ${JSON.stringify(issue.input)}`,
  }),
  key: z.strictObject({
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
  }, { error: expecting('a key object such as { "alias": "alias/s3-migration-prod", "users": [...] }') }),
  buckets: z
    .array(bucketSchema, { error: expecting('a list of buckets such as [{ "name": "my-bucket" }]') })
    .min(1, { error: 'is empty: list at least one existing bucket to migrate' }),
  versioning: z.boolean({ error: expecting(BOOLEAN) }).default(true),
  inventory: z
    .strictObject({
      frequency: z
        .enum(INVENTORY_FREQUENCIES, {
          error: choosing('"Daily" or "Weekly"', (input) => `unknown frequency ${JSON.stringify(input)}: use "Daily" or "Weekly"`),
        })
        .default('Daily'),
      format: z
        .enum(INVENTORY_FORMATS, {
          error: choosing('"CSV", "Parquet" or "ORC"', (input) => `unknown format ${JSON.stringify(input)}: use "CSV", "Parquet" or "ORC"`),
        })
        .default('Parquet'),
      retentionDays: nonNegativeDays('how long inventory reports are kept').default(14),
    }, { error: expecting('an object with "frequency", "format" and/or "retentionDays"') })
    .prefault({}),
  migration: z
    .strictObject({
      noncurrentVersionExpirationDays: nonNegativeDays('how long old versions stay after the migration').default(30),
      newerNoncurrentVersions: z
        .number({ error: expecting('a whole number between 1 and 100') })
        .int({ error: (issue) => `must be a whole number between 1 and 100. Received: ${String(issue.input)}` })
        .min(1, { error: (issue) => `must be between 1 and 100. Received: ${String(issue.input)}` })
        .max(100, { error: (issue) => `must be between 1 and 100. Received: ${String(issue.input)}` })
        .optional(),
      denyUnencryptedUploads: z.boolean({ error: expecting(BOOLEAN) }).default(true),
    }, { error: expecting('an object with "noncurrentVersionExpirationDays", "newerNoncurrentVersions" and/or "denyUnencryptedUploads"') })
    .prefault({}),
  reports: z
    .strictObject({
      retentionDays: nonNegativeDays('how long manifests and completion reports are kept').default(400),
      athenaResultsRetentionDays: nonNegativeDays('how long Athena query results are kept').default(7),
    }, { error: expecting('an object with "retentionDays" and/or "athenaResultsRetentionDays"') })
    .prefault({}),
  athena: z
    .strictObject({
      bytesScannedCutoffPerQuery: z
        .number({ error: expecting('a whole number of bytes, at least 10485760 (10 MB)') })
        .int({ error: (issue) => `must be a whole number of bytes. Received: ${String(issue.input)}` })
        .min(10_485_760, { error: (issue) => `must be at least 10485760 (10 MB), Athena's minimum. Received: ${String(issue.input)}` })
        .default(107_374_182_400),
    }, { error: expecting('an object with "bytesScannedCutoffPerQuery"') })
    .prefault({}),
  alarm: z
    .strictObject({
      enabled: z.boolean({ error: expecting(BOOLEAN) }).default(true),
      emails: z
        .array(
          z.email({ error: expecting('an email address string', (issue) => `not an email address: ${JSON.stringify(issue.input)}`) }),
          { error: expecting('a list of email addresses') },
        )
        .default([]),
    }, { error: expecting('an object with "enabled" and/or "emails"') })
    .prefault({}),
  /**
   * Continuous compliance after the migration. `awsConfigRule`: one AWS Config managed rule
   * S3_DEFAULT_ENCRYPTION_KMS per migrated bucket, allowing only the stack's key. Off by default:
   * a Config rule evaluates nothing (and Terraform cannot create it) without a configuration
   * recorder in the account and Region, which this stack does not manage.
   */
  compliance: z
    .strictObject({
      awsConfigRule: z.boolean({ error: expecting(BOOLEAN) }).default(false),
    }, { error: expecting('an object with "awsConfigRule" (true needs an AWS Config configuration recorder in the account)') })
    .prefault({}),
  /** Where Terraform keeps the stack's state; local when left out. */
  backend: backendSchema.optional(),
  tags: z
    .record(
      z.string().regex(TAG_KEY, {
        error: (issue) =>
          `bad tag key ${JSON.stringify(issue.input)}: use 1-128 letters, digits, spaces and _ . : / = + - @`,
      }),
      z.string({ error: expecting('a tag value string') }).max(256, {
        error: (issue) => `tag values are at most 256 characters. Received: ${describeReceived(issue.input)}`,
      }),
      {
        // A key the key schema refuses arrives as the record's own invalid_key issue.
        error: expecting('an object of tag names to string values', (issue) =>
          `bad tag key ${JSON.stringify(issue.input)}: use 1-128 letters, digits, spaces and _ . : / = + - @`),
      },
    )
    .default({}),
}, { error: expecting('an object of stack settings such as { "region": ..., "accountId": ..., "key": {...}, "buckets": [...] }') });

type ParsedConfig = z.infer<typeof configSchema>;
export type BucketConfig = ParsedConfig['buckets'][number] & { readonly versioning: boolean };

/** Remote state in S3, every default resolved; the backend always sets use_lockfile. */
export interface S3StateBackend {
  readonly type: 's3';
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  readonly encrypt: boolean;
}

/** State in a local file; `allowInCi` says synthesizing it in CI is intended (tests, the demo). */
export interface LocalStateBackend {
  readonly type: 'local';
  readonly allowInCi: boolean;
}

export type StateBackend = S3StateBackend | LocalStateBackend;

/** A validated environment configuration, with every default resolved. */
export interface MigrationConfig extends Omit<ParsedConfig, 'buckets' | 'backend'> {
  readonly stackName: string;
  readonly buckets: readonly BucketConfig[];
  readonly backend: StateBackend;
}

/** Every problem found in one config, reported together so a user fixes them in one pass. */
export class ConfigError extends Error {
  constructor(
    readonly stackName: string,
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      `Configuration of stack '${stackName}' has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
      options,
    );
    this.name = 'ConfigError';
  }
}

function fieldPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((acc, s) => {
    if (typeof s === 'number') return `${acc}[${s}]`;
    return acc ? `${acc}.${String(s)}` : String(s);
  }, '');
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const where = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const prefix = where ? `${where}: ` : '';
    return [`${prefix}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}: remove or correct the spelling`];
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [`${where}: is required`];
  }
  if (issue.code === 'invalid_union') {
    // A union (existingPolicy: "read", "none" or an object) reports one issue for all its options.
    // When exactly one option took the input's shape (its issues lie below the union or name
    // unknown fields), that option's issues say what to fix; otherwise the type itself was wrong.
    const shaped = issue.errors.filter((option) => option.some((i) => i.path.length > 0 || i.code === 'unrecognized_keys'));
    if (shaped.length === 1) return shaped[0]!.flatMap((i) => describeIssue({ ...i, path: [...issue.path, ...i.path] }));
  }
  return [`${where || '(config)'}: ${issue.message}`];
}

// Rules that span fields, which the schema cannot express one field at a time.
function crossFieldProblems(config: ParsedConfig): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  config.buckets.forEach((bucket, index) => {
    const first = seen.get(bucket.name);
    if (first !== undefined) {
      problems.push(
        `buckets[${index}].name: duplicate bucket '${bucket.name}' (also buckets[${first}]): list each bucket once; use "prefix" to narrow it`,
      );
    } else {
      seen.set(bucket.name, index);
    }
  });
  config.buckets.forEach((bucket, index) => problems.push(...remainingClassProblems(bucket, index, config.region)));
  const tables = new Map<string, string>();
  for (const bucket of config.buckets) {
    const table = inventoryTableName(bucket.name);
    const other = tables.get(table);
    if (other !== undefined && other !== bucket.name) {
      problems.push(
        `buckets: '${other}' and '${bucket.name}' map to the same Glue table '${table}': migrate one of them in another stack`,
      );
    }
    tables.set(table, bucket.name);
  }
  const stateBucket = config.backend?.type === 's3' ? config.backend.bucket : undefined;
  const migrated = config.buckets.findIndex((b) => b.name === stateBucket);
  if (migrated >= 0) {
    problems.push(
      `backend.bucket: '${stateBucket}' is also buckets[${migrated}], a bucket this stack migrates: its policy would refuse Terraform's state writes and its state would depend on the key the stack manages; keep state in a bucket of its own`,
    );
  }
  const foreign = [...config.key.administrators, ...config.key.users].filter(
    (arn) => arn.split(':')[4] !== config.accountId,
  );
  for (const arn of foreign) {
    problems.push(
      `key: principal ${arn} is not in account ${config.accountId}: cross-account key use is out of scope; use a principal of the deploying account`,
    );
  }
  if (config.key.users.length === 0) {
    problems.push(
      'key.users: is empty: name at least the role that runs the migration runner, or nobody can read the encrypted objects',
    );
  }
  return problems;
}

/** The DSSE-KMS opt-in and the accepted exceptions of one bucket, against each other and the Region. */
function remainingClassProblems(bucket: ParsedConfig['buckets'][number], index: number, region: string): string[] {
  const at = `buckets[${index}]`;
  const problems: string[] = [];
  const { migrate, sourceKeyArns } = bucket.dsseKms;
  if (!migrate && sourceKeyArns.length > 0) {
    problems.push(
      `${at}.dsseKms.sourceKeyArns: lists ${sourceKeyArns.length} key${sourceKeyArns.length === 1 ? '' : 's'} while dsseKms.migrate is false, so nothing would use them: set "migrate": true to copy DSSE-KMS versions in place, or remove the keys`,
    );
  }
  const firstArn = new Map<string, number>();
  sourceKeyArns.forEach((arn, i) => {
    const keyRegion = arn.split(':')[3];
    if (keyRegion !== region) {
      problems.push(
        `${at}.dsseKms.sourceKeyArns[${i}]: key ${arn} is in ${keyRegion}, not in the stack's region ${region}: S3 encrypts a bucket's objects only with keys of the bucket's Region, so no version can be under it; list the key's ${region} ARN (for a multi-Region key, its ${region} replica)`,
      );
    }
    const first = firstArn.get(arn);
    if (first !== undefined) {
      problems.push(`${at}.dsseKms.sourceKeyArns[${i}]: ${arn} is listed twice (also sourceKeyArns[${first}]): list each key once`);
    } else {
      firstArn.set(arn, i);
    }
  });
  bucket.acceptRemaining.forEach((cls, i) => {
    const first = bucket.acceptRemaining.indexOf(cls);
    if (first !== i) {
      problems.push(`${at}.acceptRemaining[${i}]: "${cls}" is listed twice (also acceptRemaining[${first}]): list each class once`);
    }
  });
  if (migrate && bucket.acceptRemaining.includes('DSSE-KMS')) {
    problems.push(
      `${at}.acceptRemaining and ${at}.dsseKms.migrate: "DSSE-KMS" is accepted as remaining while dsseKms.migrate is true: remove "DSSE-KMS" from acceptRemaining to migrate those versions, or set dsseKms.migrate to false to leave them as reported exceptions`,
    );
  }
  return problems;
}

/** Validates raw config; throws ConfigError listing every problem at once. */
export function parseConfig(stackName: string, raw: unknown): MigrationConfig {
  const badName = stackNameProblem(stackName);
  if (badName !== undefined) throw new ConfigError(stackName, [badName]);
  // reportInput: without it zod leaves issue.input out, and every wrong type would read "is required".
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    throw new ConfigError(stackName, result.error.issues.flatMap(describeIssue), { cause: result.error });
  }
  const problems = crossFieldProblems(result.data);
  if (problems.length > 0) throw new ConfigError(stackName, problems);
  const parsed = result.data;
  return {
    ...parsed,
    stackName,
    buckets: parsed.buckets.map((b) => ({ ...b, versioning: b.versioning ?? parsed.versioning })),
    backend: resolveBackend(parsed.backend, stackName, parsed.region),
  };
}

function resolveBackend(backend: ParsedConfig['backend'], stackName: string, region: string): StateBackend {
  if (backend === undefined) return { type: 'local', allowInCi: false };
  if (backend.type === 'local') return backend;
  return {
    type: 's3',
    bucket: backend.bucket,
    key: backend.key ?? defaultStateKey(stackName),
    region: backend.region ?? region,
    encrypt: backend.encrypt,
  };
}

/**
 * Stacks whose S3 state is the same object: each would plan to destroy what only the other
 * declares. One ConfigError per stack after the first, as main.ts reports them.
 */
export function sharedStateProblems(configs: readonly MigrationConfig[]): ConfigError[] {
  const owners = new Map<string, string>();
  const errors: ConfigError[] = [];
  for (const config of configs) {
    if (config.backend.type !== 's3') continue;
    const location = `s3://${config.backend.bucket}/${config.backend.key}`;
    const owner = owners.get(location);
    if (owner === undefined) {
      owners.set(location, config.stackName);
      continue;
    }
    errors.push(
      new ConfigError(config.stackName, [
        `backend.key: state at ${location} is also the state of stack '${owner}': two stacks on one state object each plan to destroy what only the other declares; give each its own key (leave "key" out for ${defaultStateKey(config.stackName)})`,
      ]),
    );
  }
  return errors;
}

/** Whether the CI variable says this runs in a pipeline; unset, "", "0" and "false" say it does not. */
export function runsInCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && !['', '0', 'false'].includes(ci);
}

/**
 * Refuses to build a stack with local state in CI: that state does not exist on a fresh CI machine,
 * so a plan there would create every resource again (a second key among them), and two pipelines
 * cannot lock it. `"allowInCi": true` says that is intended (tests and the demo synthesize only).
 */
export function refuseLocalStateInCi(config: MigrationConfig, env: NodeJS.ProcessEnv): void {
  if (config.backend.type !== 'local' || config.backend.allowInCi || !runsInCi(env)) return;
  throw new ConfigError(config.stackName, [
    `backend: the state of stack '${config.stackName}' is a local file, and CI is set (CI=${JSON.stringify(env.CI)}): on a fresh CI machine that state does not exist, so a plan would create every resource again, and two pipelines cannot lock it. ` +
      `Give the stack remote state, "backend": { "type": "s3", "bucket": "<state bucket>" }, or, if building it in CI is intended (tests, the demo; never a plan or apply), set "backend": { "type": "local", "allowInCi": true } in ${config.stackName}.json`,
  ]);
}

/**
 * Keys a config file repeats in one object. JSON.parse keeps the last silently, so a setting
 * written twice would take whichever came last, unseen; each repetition is a problem instead.
 */
function duplicateKeyProblems(file: string, text: string): string[] {
  return duplicateKeys(text).map(
    (d) =>
      `${file}: duplicate key ${JSON.stringify(d.key)} at ${fieldPath(d.path) || 'the top level'}, line ${d.line} (first on line ${d.firstLine}): JSON keeps only the last value; keep one`,
  );
}

/** Reads and validates `<dir>/<stack>.json`; repeated keys are reported with the schema's problems. */
export function loadConfig(stackName: string, dir: string = defaultEnvironmentsDir()): MigrationConfig {
  const file = path.join(dir, `${stackName}.json`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    const known = listStacks(dir);
    throw new ConfigError(
      stackName,
      [`no config file ${file}: known stacks are ${known.join(', ') || '(none)'}; create ${stackName}.json there`],
      { cause },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(stackName, [`${file} is not valid JSON: ${(cause as Error).message}`], { cause });
  }
  const duplicates = duplicateKeyProblems(file, text);
  let config: MigrationConfig;
  try {
    config = parseConfig(stackName, raw);
  } catch (error) {
    if (error instanceof ConfigError && duplicates.length > 0) {
      throw new ConfigError(stackName, [...duplicates, ...error.problems], { cause: error });
    }
    throw error;
  }
  if (duplicates.length > 0) throw new ConfigError(stackName, duplicates);
  return config;
}

/** Stack names are the config file names in the environments folder. */
export function listStacks(dir: string = defaultEnvironmentsDir()): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function defaultEnvironmentsDir(): string {
  return path.join(__dirname, 'environments');
}
