// Applies S3 Control's field types to parsed request shapes: which members are numbers,
// booleans, timestamps, lists or empty structures, so `createJobInput` returns a typed CreateJobInput.
import { s3ControlErrors } from './errors';
import type { CreateJobInput, S3Tag } from './model';
import type { Shape } from './wire-xml';

const BOOLEANS = new Set([
  'ConfirmationRequired',
  'Enabled',
  'BucketKeyEnabled',
  'EnableManifestOutput',
  'EligibleForReplication',
  'RequesterPays',
]);
const NUMBERS = new Set(['Priority', 'ExpirationInDays', 'ObjectSizeGreaterThanBytes', 'ObjectSizeLessThanBytes']);
const DATES = new Set([
  'ObjectLockRetainUntilDate',
  'CreatedAfter',
  'CreatedBefore',
  'ModifiedSinceConstraint',
  'UnModifiedSinceConstraint',
]);
const LISTS = new Set([
  'Fields',
  'Tags',
  'NewObjectTagging',
  'AccessControlGrants',
  'MatchAnyStorageClass',
  'MatchAnyObjectEncryption',
  'MatchAnyPrefix',
  'MatchAnySuffix',
  'MatchAnySubstring',
  'ObjectReplicationStatuses',
]);
const EMPTY_STRUCTURES = new Set(['SSES3', 'SSEC', 'NOTSSE']);

/** Converts one member's value by its name; unknown members pass through as parsed. */
export function typed(name: string, value: Shape): unknown {
  if (BOOLEANS.has(name)) return value === 'true';
  if (NUMBERS.has(name)) {
    const n = Number(value);
    if (typeof value !== 'string' || value === '' || !Number.isFinite(n))
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- names what was sent, as received; a number is a leaf element
      throw s3ControlErrors.badRequest(`'${name}' must be a number. Received: ${String(value)}`);
    return n;
  }
  if (DATES.has(name)) {
    /* eslint-disable @typescript-eslint/no-base-to-string -- a timestamp is a leaf element; anything else makes an invalid date, refused and named as received */
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) throw s3ControlErrors.badRequest(`'${name}' must be a timestamp. Received: ${String(value)}`);
    /* eslint-enable @typescript-eslint/no-base-to-string */
    return date;
  }
  if (LISTS.has(name)) return value === '' ? [] : (Array.isArray(value) ? value : [value]).map((item) => typedObject(item));
  if (EMPTY_STRUCTURES.has(name)) return {};
  return typedObject(value);
}

function typedObject(value: Shape): unknown {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typed(k, v)]));
}

/** CreateJobRequest's body as a CreateJobInput (validation of values happens in the engine). */
export function createJobInput(body: Record<string, Shape>): CreateJobInput {
  const input = typedObject(body) as Partial<CreateJobInput>;
  if (input.Operation === undefined || input.Report === undefined || input.RoleArn === undefined || input.Priority === undefined) {
    throw s3ControlErrors.badRequest('CreateJob needs Operation, Report, Priority and RoleArn');
  }
  return { ...input, ClientRequestToken: input.ClientRequestToken ?? '' } as CreateJobInput;
}

export function tagsInput(body: Record<string, Shape>): S3Tag[] {
  return (typed('Tags', body['Tags'] ?? '') as S3Tag[]).map((t) => ({ Key: String(t.Key), Value: String(t.Value ?? '') }));
}
