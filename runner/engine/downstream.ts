// What the migration's writes set off downstream of each bucket, found before anything is written:
// replication rules that would stop replicating once the objects are under the key, and event
// notification destinations that would receive an event per copy. A run refuses while either stands,
// unless the config accepts the destinations.
import type { BucketOutput, StackOutputs } from '../../stacks/outputs';
import { readKeyPolicy } from '../aws/bucket-access';
import {
  readNotifications,
  readReplication,
  sampleReplicaStatus,
  type ConfigurationRead,
  type ReplicaSample,
} from '../aws/bucket-downstream';
import type { ActionTotals } from '../core/cost';
import { replicationCost, type CostLine } from '../core/cost';
import {
  EVENTBRIDGE_DESTINATION,
  UPDATE_ENCRYPTION_EVENTS_NOTE,
  destinationsPossiblyReached,
  destinationsReached,
  firedEvents,
  type MigrationWrites,
  type NotificationDestination,
} from '../core/notifications';
import type { BucketPlan } from '../core/plan';
import {
  blockingRuleChecks,
  replicatingRuleChecks,
  replicationChecks,
  type ReplicationConfiguration,
  type ReplicationRuleCheck,
} from '../core/replication';
import { NeedsHumanError } from '../errors';
import { formatBytes, formatCount, table, type Output } from '../output';
import type { RunContext } from '../context';
import type { DownstreamRecord, MigrationState } from '../state';

/** S3 replicates the objects created after a rule exists: every copy in place is one. */
const REPLICATED_DOC = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html';

/** Versions HEAD-ed per bucket to tell whether it is itself a replication destination. */
export const REPLICA_SAMPLE = 20;

/**
 * UpdateObjectEncryption does not replicate: "UpdateObjectEncryption requests on source buckets with
 * live replication enabled won't initiate replica events in the destination bucket. If you want to
 * change the encryption type of objects in both your source and destination buckets, you must
 * initiate separate UpdateObjectEncryption requests" (Updating server-side encryption for existing
 * data, https://docs.aws.amazon.com/AmazonS3/latest/userguide/update-sse-encryption.html). So the
 * replicas of versions re-encrypted in place keep their encryption in the destination.
 */
export const UPDATE_ENCRYPTION_DOC = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/update-sse-encryption.html';

/** The note for a bucket whose replication rules reach `destinations` and whose plan re-encrypts `updated` versions in place. */
export function updateEncryptionReplicationNote(updated: number, destinations: readonly string[]): string {
  return (
    `${formatCount(updated)} versions re-encrypted in place are not replicated: UpdateObjectEncryption "won't initiate replica events in the destination bucket" (${UPDATE_ENCRYPTION_DOC}); ` +
    `their replicas in ${destinations.join(', ')} keep their encryption until the destination is migrated too (its own stack and run)`
  );
}

/** Per bucket, the configurations as read in preflight, before the plan's counts are known. */
export interface DownstreamFound {
  readonly bucket: string;
  readonly replication: ConfigurationRead<ReplicationConfiguration>;
  readonly notifications: ConfigurationRead<NotificationDestination[]>;
  readonly replicaSample: ReplicaSample | { readonly cannotTell: string };
  /** The deployed key policy, to check the replication role against; undefined when it could not be read. */
  readonly keyPolicy?: string;
}

/** Reads every bucket's replication and notification configuration, and samples for replicas. Read-only. */
export async function discoverDownstream(ctx: RunContext, buckets: readonly BucketOutput[]): Promise<DownstreamFound[]> {
  const { clients, outputs } = ctx;
  const key = await readKeyPolicy(clients, outputs.kms_key_arn);
  const found: DownstreamFound[] = [];
  for (const bucket of buckets) {
    found.push({
      bucket: bucket.bucket,
      replication: await readReplication(clients, bucket.bucket),
      notifications: await readNotifications(clients, bucket.bucket),
      replicaSample: await sampleReplicaStatus(clients, bucket.bucket, bucket.prefix_filter, REPLICA_SAMPLE),
      ...('policy' in key ? { keyPolicy: key.policy } : {}),
    });
  }
  return found;
}

/** One destination the migration's writes reach, with its counts and whether the config accepts it. */
export interface ReachedDestination {
  readonly kind: NotificationDestination['kind'];
  readonly arn: string;
  readonly id?: string;
  /** Per event type, events it receives; absent when there is no plan to count from. */
  readonly events?: Readonly<Record<string, number>>;
  readonly total?: number;
  /** exact, upper (filters pass some keys), or unknown (no counts). */
  readonly bound: 'exact' | 'upper' | 'unknown';
  readonly why: string;
  readonly accepted: boolean;
}

export interface BucketDownstream {
  readonly bucket: string;
  readonly replication: {
    /** The replication role, when the bucket has a configuration. */
    readonly role?: string;
    readonly rules: readonly ReplicationRuleCheck[];
    /** The configuration could not be read. */
    readonly cannotTell?: string;
    /** ... because the endpoint does not implement the call (not AWS S3): reported, not refused. */
    readonly unsupported?: boolean;
    /** What the migration's copies replicate: new versions, per destination of each covering rule. */
    readonly replicated?: ActionTotals & { readonly destinations: number; readonly cost: readonly CostLine[]; readonly upTo?: true };
    /** Whether the bucket is itself a replication destination, as far as a sample of its versions shows. */
    readonly asDestination: string;
  };
  readonly notifications: {
    readonly reached: readonly ReachedDestination[];
    readonly cannotTell?: string;
    readonly unsupported?: boolean;
  };
  readonly notes: readonly string[];
}

export interface DownstreamOptions {
  /**
   * The direct engine's --update-by-copy: versions UpdateObjectEncryption would re-wrap are copied
   * instead, the current ones only, so their copies are counted as at most that many. @default false
   */
  readonly updateByCopy?: boolean;
}

/** The writes a bucket's plan makes that fire events and replicate; `upTo` when some are counted as at most. */
export function migrationWrites(
  plan: BucketPlan,
  options: DownstreamOptions = {},
): MigrationWrites & { readonly copied: ActionTotals; readonly upTo: boolean } {
  const none = { versions: 0, bytes: 0 };
  const of = (a: keyof BucketPlan['byAction']) => plan.byAction[a] ?? none;
  const copy = of('copy');
  const locked = of('copy-locked');
  const large = of('copy-too-large');
  const restore = of('needs-restore');
  const updated = options.updateByCopy ? of('update-encryption') : none;
  return {
    copies: copy.versions + locked.versions + updated.versions,
    multipartCopies: large.versions,
    restores: restore.versions,
    copied: {
      versions: copy.versions + locked.versions + large.versions + restore.versions + updated.versions,
      bytes: copy.bytes + locked.bytes + large.bytes + restore.bytes + updated.bytes,
    },
    upTo: updated.versions > 0,
  };
}

/**
 * Each bucket's verdicts, counted from its plan where there is one (`plans` undefined: a run from a
 * version listing, which knows its writes only as it goes).
 */
export function assessDownstream(
  outputs: StackOutputs,
  found: readonly DownstreamFound[],
  plans?: readonly BucketPlan[],
  options: DownstreamOptions = {},
): BucketDownstream[] {
  return found.map((f) => {
    const bucket = outputs.buckets[f.bucket]!;
    const plan = plans?.find((p) => p.bucket === f.bucket);
    const writes = plan ? migrationWrites(plan, options) : undefined;
    const ctx = { bucket: f.bucket, prefix: bucket.prefix_filter, account: outputs.account_id, region: outputs.region };
    const rules = 'value' in f.replication ? replicationChecks(f.replication.value, f.keyPolicy, ctx) : [];
    const replicating = replicatingRuleChecks(rules);
    const updated = options.updateByCopy
      ? 0
      : (plan?.jobs.find((j) => j.operation === 'S3UpdateObjectEncryption')?.versions ??
        plan?.byAction['update-encryption']?.versions ??
        0);
    const accepted = (arn: string) => bucket.accept_events.includes(arn);
    const destinations = 'value' in f.notifications ? f.notifications.value : [];
    const reached: ReachedDestination[] = writes
      ? destinationsReached(destinations, firedEvents(writes), bucket.prefix_filter).map((d) => ({
          kind: d.destination.kind,
          arn: d.destination.arn,
          ...(d.destination.id ? { id: d.destination.id } : {}),
          events: d.events,
          total: d.total,
          bound: writes.upTo ? ('upper' as const) : d.bound,
          why: writes.upTo
            ? `${d.why}; --update-by-copy copies only the current versions of those UpdateObjectEncryption would re-wrap`
            : d.why,
          accepted: accepted(d.destination.arn),
        }))
      : destinationsPossiblyReached(destinations, bucket.prefix_filter).map((d) => ({
          kind: d.kind,
          arn: d.arn,
          ...(d.id ? { id: d.id } : {}),
          bound: 'unknown' as const,
          why: 'no plan from the inventory to count from: every copy under its filters fires it',
          accepted: accepted(d.arn),
        }));
    const notes = [
      ...(updated > 0 && destinations.length > 0
        ? [`${formatCount(updated)} versions re-encrypted in place: ${UPDATE_ENCRYPTION_EVENTS_NOTE}`]
        : []),
      ...(updated > 0 && replicating.length > 0
        ? [updateEncryptionReplicationNote(updated, [...new Set(replicating.map((r) => r.destination))])]
        : []),
      ...bucket.accept_events
        .filter((a) => !reached.some((r) => r.arn === a))
        .map((a) => `acceptEvents names ${a}, which receives no event of the migration`),
    ];
    return {
      bucket: f.bucket,
      replication: {
        ...('value' in f.replication ? { role: f.replication.value.role } : {}),
        rules,
        ...readProblem(f.replication),
        ...(writes && replicating.length > 0
          ? {
              replicated: {
                ...writes.copied,
                destinations: replicating.length,
                cost: replicationCost(writes.copied, replicating.length),
                ...(writes.upTo ? { upTo: true as const } : {}),
              },
            }
          : {}),
        asDestination: asDestination(f.replicaSample),
      },
      notifications: { reached, ...readProblem(f.notifications) },
      notes,
    };
  });
}

function readProblem(read: ConfigurationRead<unknown>): { cannotTell?: string; unsupported?: boolean } {
  if (!('cannotTell' in read)) return {};
  return { cannotTell: read.cannotTell, ...(read.unsupported ? { unsupported: true } : {}) };
}

/**
 * S3 shows a bucket is a replication destination only on its replicas (x-amz-replication-status:
 * REPLICA); the source's rule lives in another bucket, perhaps another account. A sample without
 * replicas does not prove the bucket is none.
 */
function asDestination(sample: ReplicaSample | { readonly cannotTell: string }): string {
  if ('cannotTell' in sample) return `cannot tell: ${sample.cannotTell}`;
  if (sample.replicas > 0) {
    return (
      `${sample.replicas} of ${formatCount(sample.sampled)} sampled versions are replicas (x-amz-replication-status: REPLICA): the bucket is a replication destination. ` +
      "Replicas arriving after the migration are encrypted as the source's rule says (its ReplicaKmsKeyID), not under this bucket's default key: ask the source bucket's owner to name the migration key, or verify will find them"
    );
  }
  return `none of ${formatCount(sample.sampled)} sampled versions is a replica; S3 shows a destination only on its replicas, so a rule elsewhere may still replicate into it`;
}

/** Rule checks and destinations that stop a run, with the line that says what to do. */
export function blockingDownstream(d: BucketDownstream): string[] {
  const lines: string[] = [];
  for (const c of blockingRuleChecks(d.replication.rules))
    lines.push(
      `replication rule ${c.rule} (to ${c.destination}) ${c.verdict === 'refuse' ? 'would stop replicating' : 'cannot be told'}: ${c.why}${c.fix ? `; ${c.fix}` : ''}`,
    );
  if (d.replication.cannotTell && !d.replication.unsupported) lines.push(`replication cannot be told: ${d.replication.cannotTell}`);
  for (const r of d.notifications.reached.filter((r) => !r.accepted)) {
    lines.push(
      `${r.kind} ${r.arn} ${r.total === undefined ? 'receives an event per copy' : `receives ${r.bound === 'upper' ? 'at most ' : ''}${formatCount(r.total)} events`} (${r.why}); name it in the bucket's acceptEvents once its owner expects them`,
    );
  }
  if (d.notifications.cannotTell && !d.notifications.unsupported)
    lines.push(`event notifications cannot be told: ${d.notifications.cannotTell}`);
  return lines;
}

/**
 * Stops the run, before anything is written, while a replication rule would stop replicating (or
 * cannot be checked) or an event destination the config does not accept would receive the
 * migration's events.
 */
export function refuseDownstream(downstream: readonly BucketDownstream[], stack: string): void {
  const lines = downstream.flatMap((d) => blockingDownstream(d).map((l) => `bucket ${d.bucket}: ${l}`));
  if (lines.length === 0) return;
  throw new NeedsHumanError(
    `Nothing was written: the migration's writes would set these off:\n${lines.map((l) => `  - ${l}`).join('\n')}\n` +
      `Change the replication rules (or grant their roles in replicationRoles), accept the event destinations in acceptEvents, deploy (npx cdktf deploy ${stack}), then run again.`,
  );
}

/** A bucket's downstream check as the state keeps it. */
export function downstreamRecordOf(d: BucketDownstream, checkedAt: Date): DownstreamRecord {
  const reads = [d.replication, d.notifications];
  const unsupported = reads.filter((r) => r.cannotTell && r.unsupported).map((r) => r.cannotTell!);
  return {
    checkedAt: checkedAt.toISOString(),
    replication: d.replication.rules.map((r) => ({ rule: r.rule, destination: r.destination, verdict: r.verdict })),
    events: d.notifications.reached.map((r) => ({
      destination: r.arn,
      kind: r.kind,
      ...(r.total === undefined ? {} : { events: r.total }),
      bound: r.bound,
      accepted: r.accepted,
    })),
    cannotTell: reads.filter((r) => r.cannotTell && !r.unsupported).map((r) => r.cannotTell!),
    ...(unsupported.length > 0 ? { unsupported } : {}),
  };
}

/** Keeps each bucket's downstream check in the state, for status and report; the caller saves before refusing. */
export function recordDownstream(state: MigrationState, downstream: readonly BucketDownstream[], checkedAt: Date = new Date()): void {
  for (const d of downstream) (state.downstream ??= {})[d.bucket] = downstreamRecordOf(d, checkedAt);
}

/** Per bucket, replication and event destinations and what the migration sets off in each: human table, or one JSON line per bucket. */
export function reportDownstream(downstream: readonly BucketDownstream[], output: Output): void {
  for (const d of downstream) {
    output.emit('bucket-downstream', { ...d, blocking: blockingDownstream(d).length }, () => {
      const r = d.replication;
      const n = d.notifications;
      return [
        `\n${d.bucket}: what the migration's writes set off`,
        r.cannotTell
          ? `  replication: cannot tell: ${r.cannotTell}`
          : r.rules.length === 0
            ? '  replication: none configured'
            : table(
                ['replication rule', 'to', 'verdict', 'why / fix'],
                r.rules.map((c) => [c.rule, c.destination, c.verdict, [c.why, c.fix, ...c.notes].filter(Boolean).join('; ')]),
              ),
        ...(r.replicated
          ? [
              `  every copy in place is a new version that replicates: ${r.replicated.upTo ? 'up to ' : ''}${formatCount(r.replicated.versions)} versions, ${formatBytes(r.replicated.bytes)}, to ${r.replicated.destinations} destination(s) (${REPLICATED_DOC})`,
              ...r.replicated.cost.map((c) => `    ${c.item}: $${c.usd.toFixed(2)}`),
            ]
          : []),
        `  as a destination: ${r.asDestination}`,
        n.cannotTell
          ? `  event notifications: cannot tell: ${n.cannotTell}`
          : n.reached.length === 0
            ? "  event notifications: no destination receives the migration's events"
            : table(
                ['event destination', 'events', 'why', 'accepted'],
                n.reached.map((x) => [
                  x.arn === EVENTBRIDGE_DESTINATION ? 'EventBridge' : `${x.kind} ${x.arn}`,
                  x.total === undefined
                    ? 'one per copy'
                    : `${x.bound === 'upper' ? '<= ' : ''}${formatCount(x.total)}${
                        x.events
                          ? ` (${Object.entries(x.events)
                              .map(([e, c]) => `${e} ${formatCount(c)}`)
                              .join(', ')})`
                          : ''
                      }`,
                  x.why,
                  x.accepted ? 'yes (acceptEvents)' : 'no',
                ]),
              ),
        ...d.notes.map((note) => `  ${note}`),
      ].join('\n');
    });
  }
}
