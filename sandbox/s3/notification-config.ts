// A bucket's event notification configuration in typed form, with the checks PutBucketNotificationConfiguration
// makes and the matching that decides which destinations an event reaches.
// Event names: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
// Key filters (overlap refused): https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
import { s3Errors } from './errors';

/** Every event type a configuration may name (the S3 API's `Event` enum, wildcards included). */
export const NOTIFICATION_EVENTS = [
  's3:ReducedRedundancyLostObject',
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationNotTracked',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:ObjectAcl:Put',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
] as const;

export type NotificationEventName = (typeof NOTIFICATION_EVENTS)[number];

/** The events the sandbox fires (a subset of the names above; the README says which are never fired and why). */
export type FiredEventName = Exclude<NotificationEventName, `${string}*`>;

/** Where S3 sends an event: SNS topic, SQS queue, Lambda function (the API's `CloudFunction`). */
export type DestinationKind = 'Topic' | 'Queue' | 'LambdaFunction';

export interface KeyFilter {
  readonly prefix?: string;
  readonly suffix?: string;
}

export interface NotificationDestination {
  readonly kind: DestinationKind;
  readonly id: string;
  readonly arn: string;
  readonly events: readonly NotificationEventName[];
  readonly filter: KeyFilter;
}

export interface NotificationConfiguration {
  readonly destinations: readonly NotificationDestination[];
  /** EventBridgeConfiguration present: every event also goes to the account's default event bus. */
  readonly eventBridge: boolean;
}

/** A bucket's configuration before any PutBucketNotificationConfiguration: no destinations. */
export const NO_NOTIFICATIONS: NotificationConfiguration = Object.freeze({ destinations: [], eventBridge: false });

const ARN_SERVICE: Record<DestinationKind, string> = { Topic: 'sns', Queue: 'sqs', LambdaFunction: 'lambda' };

/** Whether a configured event name (possibly `s3:ObjectCreated:*`) covers a fired event. */
export function eventMatches(configured: NotificationEventName, fired: FiredEventName): boolean {
  return configured.endsWith(':*') ? fired.startsWith(configured.slice(0, -1)) : configured === fired;
}

export function keyMatches(filter: KeyFilter, key: string): boolean {
  return key.startsWith(filter.prefix ?? '') && key.endsWith(filter.suffix ?? '');
}

/**
 * The checks S3 makes on PutBucketNotificationConfiguration that the sandbox can make: known event
 * names, well-formed ARNs of the right service, and no two configurations whose event types and key
 * filters overlap ("Configuration is ambiguously defined", whatever the destinations). S3 also sends
 * a test message to each destination; the sandbox has no SNS, SQS or Lambda to send it to.
 */
export function validateNotificationConfiguration(config: NotificationConfiguration): void {
  for (const destination of config.destinations) {
    const service = ARN_SERVICE[destination.kind];
    if (!new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:\\d{12}:\\S+$`).test(destination.arn)) {
      throw s3Errors.invalidArgument('The ARN is not well formed', destination.kind, destination.arn);
    }
    if (destination.id.length > 255) throw s3Errors.invalidArgument('ID length exceeded allowed limit of 255', 'Id', destination.id);
  }
  const all = config.destinations;
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      if (sharesEventType(all[i]!, all[j]!) && filtersOverlap(all[i]!.filter, all[j]!.filter)) {
        throw s3Errors.invalidArgument(
          'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.',
          'Event',
          all[j]!.events.join(','),
        );
      }
    }
  }
}

function sharesEventType(a: NotificationDestination, b: NotificationDestination): boolean {
  const covers = (x: NotificationEventName, y: NotificationEventName): boolean =>
    x === y || (x.endsWith(':*') && y.startsWith(x.slice(0, -1)));
  return a.events.some((x) => b.events.some((y) => covers(x, y) || covers(y, x)));
}

/** Two prefixes overlap when one starts the other (an absent one is empty); suffixes likewise from the end. */
function filtersOverlap(a: KeyFilter, b: KeyFilter): boolean {
  const pa = a.prefix ?? '';
  const pb = b.prefix ?? '';
  const sa = a.suffix ?? '';
  const sb = b.suffix ?? '';
  return (pa.startsWith(pb) || pb.startsWith(pa)) && (sa.endsWith(sb) || sb.endsWith(sa));
}

export function isNotificationEvent(name: string): name is NotificationEventName {
  return (NOTIFICATION_EVENTS as readonly string[]).includes(name);
}
