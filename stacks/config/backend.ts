// Where a stack keeps its Terraform state: the backend settings, the rules for an S3 state key,
// and the backend with every default resolved.
import { z } from 'zod';
import { BOOLEAN, expecting, wrongType } from './messages';
import { BUCKET_NAME, regionSchema, reservedBucketNameProblem } from './names';

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
    problems.push(
      `${JSON.stringify(key)} starts or ends with "/": Terraform's S3 backend refuses that; write e.g. "kms-migration/prod/terraform.tfstate"`,
    );
  }
  if (key.includes('//')) problems.push(`${JSON.stringify(key)} contains "//": Terraform's S3 backend refuses empty path segments`);
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
    problems.push(
      `${JSON.stringify(key)} has a "." or ".." segment: S3 keeps it literally, the console and most tools do not; name the folders`,
    );
  }
  if (!STATE_KEY_CHARACTERS.test(key)) {
    problems.push(
      `${JSON.stringify(key)} has characters outside letters, digits and ! - _ . * ' ( ) /: use only those, which need no encoding in S3 keys and IAM policies`,
    );
  }
  if (Buffer.byteLength(key, 'utf8') > MAX_STATE_KEY_BYTES) {
    problems.push(
      `is ${Buffer.byteLength(key, 'utf8')} bytes long: S3 keys are at most 1024 bytes, and the lock file adds ".tflock"; use at most ${MAX_STATE_KEY_BYTES}`,
    );
  }
  return problems;
}

/**
 * Remote state in S3, locked with Terraform's S3 lock file (use_lockfile, Terraform 1.10+): no
 * DynamoDB table. Always locked, so there is no setting to turn the lock off.
 */
const s3BackendSchema = z.strictObject(
  {
    type: z.literal('s3'),
    bucket: z
      .string({ error: expecting('the name string of the existing S3 bucket that holds Terraform state') })
      .regex(BUCKET_NAME, {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not a valid S3 bucket name: 3-63 lower-case letters, digits, dots, hyphens, starting and ending with a letter or digit`,
      })
      .refine((name) => reservedBucketNameProblem(name) === undefined, {
        error: (issue) => reservedBucketNameProblem(issue.input as string),
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
  },
  { error: expecting('a backend object') },
);

/**
 * State in a local file: fine on one workstation, lost on a fresh CI machine and never locked
 * between two pipelines, so synthesizing it in CI needs `allowInCi`.
 */
const localBackendSchema = z.strictObject(
  {
    type: z.literal('local'),
    allowInCi: z.boolean({ error: expecting(BOOLEAN) }).default(false),
  },
  { error: expecting('a backend object') },
);

const BACKEND_TYPES = '"s3" (remote, locked state: what a pipeline needs) or "local"';
export const backendSchema = z.discriminatedUnion('type', [s3BackendSchema, localBackendSchema], {
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

/** The backend a config names, every default resolved: local state when it names none. */
export function resolveBackend(backend: z.infer<typeof backendSchema> | undefined, stackName: string, region: string): StateBackend {
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
