// The state document's schema, its version, and the explicit upgrade of older versions: a state is
// read through here, validated like the stack outputs, never cast; one that does not parse is left
// untouched and named.
import { z } from 'zod';

/** The version this runner writes. Versions 1 and 2 are upgraded on load; a newer one is refused. */
export const STATE_VERSION = 3;

const count = z.number().int().min(0);
const position = z.object({ key: z.string(), versionId: z.string() });

const jobRecord = z.object({
  token: z.string().min(1),
  bucket: z.string().min(1),
  operation: z.string().min(1),
  storageClass: z.string(),
  inventoryDate: z.string(),
  attempt: count,
  versions: count,
  manifestActions: z.array(z.string()).optional(),
  manifestKey: z.string().optional(),
  manifestETag: z.string().optional(),
  manifestRows: count.optional(),
  jobId: z.string().optional(),
  status: z.string().optional(),
  total: count.optional(),
  succeeded: count.optional(),
  failed: count.optional(),
  submittedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  reportPrefix: z.string().optional(),
  failureCodes: z.record(z.string(), count).optional(),
  retryOf: z.string().optional(),
  retriedBy: z.string().optional(),
  unretriedFailures: z.number().int().optional(),
  goneTasks: count.optional(),
  readBack: z.object({ checked: count, problems: z.array(z.string()) }).optional(),
});

const directFailure = z.object({ key: z.string(), versionId: z.string(), action: z.string(), code: z.string(), message: z.string() });

const directPass = z.object({
  pass: z.enum(['direct', 'outside-batch']),
  bucket: z.string().min(1),
  source: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  checkpoint: z.object({ completed: count, after: position.optional(), doneAhead: z.array(position) }),
  outcomes: z.record(z.string(), count),
  readBack: count.optional(),
  newerWritesRestored: count.optional(),
  failures: z.array(directFailure),
  failureChunks: z.array(z.string()).optional(),
  spilledFailures: count.optional(),
  spilledFailureCodes: z.record(z.string(), count).optional(),
});

const archivedVersion = z.object({
  bucket: z.string(),
  key: z.string(),
  versionId: z.string(),
  storageClass: z.string(),
  stage: z.enum(['restore-requested', 'restored', 'copied', 'superseded', 'failed']),
  updatedAt: z.string(),
  newVersionId: z.string().optional(),
  error: z.string().optional(),
});

const outstanding = z.object({ inventoryDate: z.string(), overFiveGiB: count, archived: count, locked: count, acl: count });

const expiration = z.object({
  ruleId: z.string(),
  action: z.enum(['added', 'updated', 'unchanged', 'removed', 'absent']),
  at: z.string(),
  noncurrentDays: count,
  newerNoncurrentVersions: count,
  prefix: z.string(),
  forced: z.boolean(),
});

const totals = z.object({ versions: count, bytes: count });

/** What a plan counted in a bucket before any work: the report's "before". */
const planRecord = z.object({
  inventoryDate: z.string(),
  madeAt: z.string(),
  engine: z.enum(['batch', 'direct']),
  byAction: z.record(z.string(), totals),
  byStorageClass: z.record(z.string(), z.record(z.string(), totals)),
  /** Versions under Object Lock per class; absent in plans of runners that did not record them. */
  locked: z
    .record(
      z.string(),
      z.object({
        versions: count,
        bytes: count,
        retainUntilEarliest: z.string().optional(),
        retainUntilLatest: z.string().optional(),
        legalHolds: count,
      }),
    )
    .optional(),
  /** Versions the plan left to the runner's own copies because the bucket uses ACLs (counted in `copy`); absent in older plans. */
  aclCopies: totals.optional(),
});

/** Who ran a command against the stack last, and with which build of the runner. */
const commandRun = z.object({
  command: z.string().min(1),
  at: z.string(),
  principal: z.string(),
  toolVersion: z.string(),
  commit: z.string(),
});

const complianceCount = z.looseObject({
  versions: count,
  nonCompliant: count,
  byReason: z.record(z.string(), count),
  sample: z.array(z.unknown()),
});

/** A verification keeps what it saw; its core fields are checked, the evidence it carries is kept as written. */
const verification = z.looseObject({
  bucket: z.string(),
  checkedAt: z.string(),
  method: z.enum(['inventory', 'listing']),
  passed: z.boolean(),
  current: complianceCount,
  noncurrent: complianceCount,
  keyCheck: z.object({ checked: count, of: count }),
});

/** A bucket's access check: who reads and writes it, and what the key policy says of each. */
const accessRecord = z.object({
  checkedAt: z.string(),
  checks: z.array(
    z.object({
      principal: z.string(),
      kind: z.string(),
      source: z.string(),
      verdict: z.enum(['granted', 'not-granted', 'granted-by-iam-not-checked', 'cannot-tell', 'refused']),
      accepted: z.boolean(),
    }),
  ),
  cannotTell: z.array(z.string()),
});

/** A bucket's downstream check: its replication rules' verdicts and the event destinations the migration reaches. */
const downstreamRecord = z.object({
  checkedAt: z.string(),
  replication: z.array(
    z.object({ rule: z.string(), destination: z.string(), verdict: z.enum(['fine', 'refuse', 'cannot-tell', 'not-covered', 'disabled']) }),
  ),
  events: z.array(
    z.object({
      destination: z.string(),
      kind: z.string(),
      events: count.optional(),
      bound: z.enum(['exact', 'upper', 'unknown']),
      accepted: z.boolean(),
    }),
  ),
  cannotTell: z.array(z.string()),
  unsupported: z.array(z.string()).optional(),
});

export const stateDocumentSchema = z.object({
  version: z.literal(STATE_VERSION),
  stack: z.string().min(1),
  updatedAt: z.string(),
  jobs: z.record(z.string(), jobRecord),
  outstanding: z.record(z.string(), outstanding).optional(),
  direct: z.record(z.string(), directPass).optional(),
  archived: z.record(z.string(), archivedVersion).optional(),
  verifications: z.record(z.string(), verification).optional(),
  expiration: z.record(z.string(), expiration).optional(),
  plans: z.record(z.string(), planRecord).optional(),
  firstPlans: z.record(z.string(), planRecord).optional(),
  commands: z.record(z.string(), commandRun).optional(),
  access: z.record(z.string(), accessRecord).optional(),
  downstream: z.record(z.string(), downstreamRecord).optional(),
});

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Version 1 grew fields over time that older runners did not write: the outstanding work's `locked`
 * and `acl` counts, and a pass's failure list. Version 2 has them all.
 */
function upgradeFrom1(doc: Json): Json {
  const outstandingWork = isObject(doc.outstanding)
    ? Object.fromEntries(Object.entries(doc.outstanding).map(([bucket, w]) => [bucket, isObject(w) ? { locked: 0, acl: 0, ...w } : w]))
    : doc.outstanding;
  const passes = isObject(doc.direct)
    ? Object.fromEntries(Object.entries(doc.direct).map(([id, p]) => [id, isObject(p) ? { failures: [], outcomes: {}, ...p } : p]))
    : doc.direct;
  return {
    ...doc,
    version: 2,
    ...(outstandingWork !== undefined ? { outstanding: outstandingWork } : {}),
    ...(passes !== undefined ? { direct: passes } : {}),
  };
}

/**
 * Version 3 keeps each bucket's first plan beside its latest, and who ran each command. A version 2
 * state kept only the latest plan, which may be a rerun's: it is not taken for the first, so the
 * report says the first is unknown instead of showing a rerun as "before". Nothing else changes; the
 * version moves so that a version 2 runner refuses the state instead of dropping those fields on save.
 */
function upgradeFrom2(doc: Json): Json {
  return { ...doc, version: 3 };
}

export type StateProblem = { readonly problem: string };

/** The document upgraded to STATE_VERSION and validated, or what is wrong with it. */
export function parseStateDocument(text: string): { readonly value: z.infer<typeof stateDocumentSchema> } | StateProblem {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { problem: `it is not JSON (${(error as Error).message})` };
  }
  if (!isObject(doc)) return { problem: 'it is not a JSON object' };
  const version = doc.version;
  if (typeof version !== 'number') return { problem: 'it has no version number' };
  if (version > STATE_VERSION)
    return {
      problem: `it is version ${version}, written by a newer runner than this one (version ${STATE_VERSION}): run that runner, or upgrade this one`,
    };
  const upgraded = version === 1 ? upgradeFrom2(upgradeFrom1(doc)) : version === 2 ? upgradeFrom2(doc) : doc;
  const parsed = stateDocumentSchema.safeParse(upgraded);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`);
    return {
      problem: `it does not match the state schema (version ${version}): ${issues.join('; ')}${parsed.error.issues.length > 5 ? `; and ${parsed.error.issues.length - 5} more` : ''}`,
    };
  }
  return { value: parsed.data };
}
