// The record of every event notification S3 would have sent: one entry per event and matching
// destination (an SNS topic, SQS queue, Lambda function or the EventBridge default bus), in the
// order they fired. Tests and the CLI read it; nothing is delivered anywhere.
import type { Bucket } from './bucket';
import type { ObjectVersion } from './model';
import { eventMatches, keyMatches, type DestinationKind, type FiredEventName } from './notification-config';

export interface FiredEvent {
  /** 1, 2, 3, ... in firing order; survives save and load. */
  readonly sequence: number;
  readonly eventName: FiredEventName;
  readonly destinationKind: DestinationKind | 'EventBridge';
  /** The topic, queue or function ARN; for EventBridge the account's default event bus. */
  readonly destinationArn: string;
  /** The configuration's Id; absent for EventBridge. */
  readonly configurationId?: string;
  readonly bucket: string;
  readonly key: string;
  /** Absent for events of an unversioned bucket's objects, as in S3's event message. */
  readonly versionId?: string;
  readonly size?: number;
  readonly eTag?: string;
  /** ISO 8601, the world's clock at the time of the event. */
  readonly eventTime: string;
}

export interface EventQuery {
  readonly bucket?: string;
  readonly eventName?: FiredEventName;
  readonly destinationArn?: string;
}

export interface EventLogDeps {
  readonly accountId: string;
  readonly region: string;
  readonly now: () => Date;
}

export class EventLog {
  private readonly fired: FiredEvent[] = [];

  constructor(private readonly deps: EventLogDeps) {}

  /** The default event bus EventBridge-enabled buckets send to. */
  get eventBridgeBusArn(): string {
    return `arn:aws:events:${this.deps.region}:${this.deps.accountId}:event-bus/default`;
  }

  /** Records the event once for every destination of the bucket's configuration that it matches. */
  fire(bucket: Bucket, eventName: FiredEventName, version: Pick<ObjectVersion, 'key' | 'versionId' | 'size' | 'eTag'>): void {
    const config = bucket.notification;
    if (config.destinations.length === 0 && !config.eventBridge) return;
    const base = {
      eventName,
      bucket: bucket.name,
      key: version.key,
      ...(bucket.versioning !== 'Unversioned' && version.versionId !== 'null' ? { versionId: version.versionId } : {}),
      ...(eventName.startsWith('s3:ObjectCreated:') ? { size: version.size, eTag: version.eTag.replace(/"/g, '') } : {}),
      eventTime: this.deps.now().toISOString(),
    };
    for (const d of config.destinations) {
      if (!d.events.some((e) => eventMatches(e, eventName)) || !keyMatches(d.filter, version.key)) continue;
      this.fired.push({ sequence: this.fired.length + 1, ...base, destinationKind: d.kind, destinationArn: d.arn, configurationId: d.id });
    }
    if (config.eventBridge)
      this.fired.push({ sequence: this.fired.length + 1, ...base, destinationKind: 'EventBridge', destinationArn: this.eventBridgeBusArn });
  }

  /** Fired events in order, optionally narrowed. */
  events(query: EventQuery = {}): FiredEvent[] {
    return this.fired.filter(
      (e) =>
        (query.bucket === undefined || e.bucket === query.bucket) &&
        (query.eventName === undefined || e.eventName === query.eventName) &&
        (query.destinationArn === undefined || e.destinationArn === query.destinationArn),
    );
  }

  clear(): void {
    this.fired.length = 0;
  }

  /** Replaces the log with saved events (state loading). */
  restore(events: readonly FiredEvent[]): void {
    this.fired.length = 0;
    this.fired.push(...events);
  }
}
