// Which event notification destinations of a bucket the migration's own writes reach, and how many events each receives.

/**
 * Event types S3 publishes for the writes the migration makes, from "Event notification types and
 * destinations" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html):
 * - a copy in place (CopyObject, or Batch Operations S3PutObjectCopy, which calls it) fires
 *   `s3:ObjectCreated:Copy`;
 * - a version over 5 GiB is copied by multipart copy (CreateMultipartUpload, UploadPartCopy,
 *   CompleteMultipartUpload), which fires `s3:ObjectCreated:CompleteMultipartUpload`, not `:Copy`;
 * - restoring an archived version first fires `s3:ObjectRestore:Post` when the restore starts and
 *   `s3:ObjectRestore:Completed` when it ends, then its copy fires `s3:ObjectCreated:Copy`;
 * - UpdateObjectEncryption: neither the API reference
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_UpdateObjectEncryption.html) nor the user
 *   guide (https://docs.aws.amazon.com/AmazonS3/latest/userguide/update-sse-encryption.html)
 *   documents an event, and the notification event types (the `Event` enum of the S3 API model)
 *   have none for an encryption change: counted as firing nothing, and the plan says it is not documented.
 * EventBridge, once enabled on a bucket, receives every event S3 sends it, without a filter of the
 * bucket's own (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html): "Object
 * Created" for copies and multipart copies, "Object Restore Initiated"/"Object Restore Completed" for restores.
 */
export const NOTIFICATION_EVENT_TYPES_DOC =
  'https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html';
export const UPDATE_ENCRYPTION_EVENTS_NOTE =
  'UpdateObjectEncryption: no event is documented for it (API_UpdateObjectEncryption.html, update-sse-encryption.html, and the S3 event types list none for an encryption change); not counted';

export const COPY_EVENT = 's3:ObjectCreated:Copy';
export const MULTIPART_COPY_EVENT = 's3:ObjectCreated:CompleteMultipartUpload';
export const RESTORE_STARTED_EVENT = 's3:ObjectRestore:Post';
export const RESTORE_COMPLETED_EVENT = 's3:ObjectRestore:Completed';

/** The literal that names a bucket's EventBridge delivery in acceptEvents, where other destinations are named by ARN. */
export { EVENTBRIDGE_DESTINATION } from '../../stacks/outputs';

export type DestinationKind = 'topic' | 'queue' | 'lambda' | 'eventbridge';

/** One destination of a bucket's notification configuration, as the runner's AWS layer translates it. */
export interface NotificationDestination {
  readonly kind: DestinationKind;
  /** The topic, queue or function ARN; "eventbridge" for EventBridge. */
  readonly arn: string;
  /** The configuration's Id, when it has one. */
  readonly id?: string;
  /** Event types as configured, wildcards included (`s3:ObjectCreated:*`); every event for EventBridge. */
  readonly events: readonly string[];
  /** Filter rules: a key must start with prefix and end with suffix ('' when absent). */
  readonly prefix: string;
  readonly suffix: string;
}

/** How many of each event the migration's writes fire under the migrated prefix, from the plan's counts. */
export type FiredEvents = Readonly<Record<string, number>>;

/** Whether a configured event type (`s3:ObjectCreated:*` or exact) covers a fired one. */
export function eventMatches(configured: string, fired: string): boolean {
  if (configured.endsWith('*')) return fired.startsWith(configured.slice(0, -1));
  return configured === fired;
}

export interface DestinationEvents {
  readonly destination: NotificationDestination;
  /** Per event type fired, how many this destination receives (or at most receives, when bound is 'upper'). */
  readonly events: FiredEvents;
  readonly total: number;
  /** exact: every migrated key passes its filter; upper: some may not, the count is at most this. */
  readonly bound: 'exact' | 'upper';
  readonly why: string;
}

/**
 * What each destination receives from `fired`. Prefix and suffix filters apply to keys: a prefix
 * filter that every migrated key starts with passes them all, one that no migrated key can start
 * with passes none; anything else (a narrower prefix, a suffix) passes some, and the count is an
 * upper bound. Destinations that receive nothing are left out.
 */
export function destinationsReached(
  destinations: readonly NotificationDestination[],
  fired: FiredEvents,
  migrationPrefix: string,
): DestinationEvents[] {
  const reached: DestinationEvents[] = [];
  for (const destination of destinations) {
    const events: Record<string, number> = {};
    for (const [event, count] of Object.entries(fired)) {
      if (count > 0 && (destination.kind === 'eventbridge' || destination.events.some((e) => eventMatches(e, event))))
        events[event] = count;
    }
    if (Object.keys(events).length === 0) continue;
    const filter = filterReach(destination, migrationPrefix);
    if (filter.reach === 'none') continue;
    const total = Object.values(events).reduce((n, c) => n + c, 0);
    reached.push({ destination, events, total, bound: filter.reach === 'all' ? 'exact' : 'upper', why: filter.why });
  }
  return reached;
}

function filterReach(destination: NotificationDestination, migrationPrefix: string): { reach: 'all' | 'some' | 'none'; why: string } {
  const { prefix, suffix } = destination;
  if (prefix !== '' && !prefix.startsWith(migrationPrefix) && !migrationPrefix.startsWith(prefix)) {
    return { reach: 'none', why: `its prefix filter "${prefix}" matches no key under "${migrationPrefix}"` };
  }
  const narrower = prefix !== '' && !migrationPrefix.startsWith(prefix);
  if (!narrower && suffix === '')
    return { reach: 'all', why: prefix === '' ? 'no key filter: every migrated key' : `every migrated key starts with "${prefix}"` };
  const filters = [...(narrower ? [`prefix "${prefix}"`] : []), ...(suffix !== '' ? [`suffix "${suffix}"`] : [])].join(' and ');
  return { reach: 'some', why: `only keys with ${filters} fire it; the plan counts versions, not keys, so this is at most the count` };
}

/** What the plan's writes fire, from its counts per action. */
export interface MigrationWrites {
  /** Copies in place under 5 GiB (batch jobs, locked and ACL copies by the runner). */
  readonly copies: number;
  /** Copies over 5 GiB: multipart copy. */
  readonly multipartCopies: number;
  /** Archived versions restored, then copied. */
  readonly restores: number;
}

export function firedEvents(writes: MigrationWrites): FiredEvents {
  return {
    [COPY_EVENT]: writes.copies + writes.restores,
    [MULTIPART_COPY_EVENT]: writes.multipartCopies,
    [RESTORE_STARTED_EVENT]: writes.restores,
    [RESTORE_COMPLETED_EVENT]: writes.restores,
  };
}

/**
 * An event type the migration may fire, for a destination whose counts are unknown (no plan from the
 * inventory yet): every copy-in-place, multipart-copy and restore event.
 */
export const MIGRATION_EVENTS: readonly string[] = [COPY_EVENT, MULTIPART_COPY_EVENT, RESTORE_STARTED_EVENT, RESTORE_COMPLETED_EVENT];

/** Destinations the migration's writes may reach when the counts are unknown: by event types and filters alone. */
export function destinationsPossiblyReached(
  destinations: readonly NotificationDestination[],
  migrationPrefix: string,
): NotificationDestination[] {
  const some = Object.fromEntries(MIGRATION_EVENTS.map((e) => [e, 1]));
  return destinationsReached(destinations, some, migrationPrefix).map((d) => d.destination);
}
