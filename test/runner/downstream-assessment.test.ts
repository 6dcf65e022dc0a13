// What a bucket's replication and notification configurations, as read, make of a plan: counts, acceptance, and which findings stop a run.
import { assessDownstream, blockingDownstream, downstreamRecordOf, type DownstreamFound } from '../../runner/engine/downstream';
import { bucketPlan } from '../../runner/core/plan';
import type { NotificationDestination } from '../../runner/core/notifications';
import { stackOutputs } from './builders';

const BUCKET = 'acme-data';
const FUNCTION = 'arn:aws:lambda:eu-west-1:123456789012:function:thumbnails';
const LAMBDA: NotificationDestination = { kind: 'lambda', arn: FUNCTION, events: ['s3:ObjectCreated:*'], prefix: '', suffix: '' };
const UNSUPPORTED = {
  cannotTell: 'GetBucketReplication on acme-data: the endpoint does not implement it (NotImplemented)',
  unsupported: true as const,
};

/** 30 copies, 5 over 5 GiB, 100 re-encrypted in place. */
const PLAN = bucketPlan(BUCKET, '2026-11-29-00-00', [
  { action: 'copy', storage_class: 'STANDARD', versions: '30', bytes: '3000' },
  { action: 'copy-too-large', storage_class: 'STANDARD', versions: '5', bytes: '50000' },
  { action: 'update-encryption', storage_class: 'STANDARD', versions: '100', bytes: '1000' },
]);

function found(over: Partial<DownstreamFound> = {}): DownstreamFound {
  return {
    bucket: BUCKET,
    replication: { none: true },
    notifications: { value: [LAMBDA] },
    replicaSample: { sampled: 20, replicas: 0 },
    ...over,
  };
}

function outputs(bucket: { accept_events?: string[] } = {}) {
  const o = stackOutputs();
  return { ...o, buckets: { [BUCKET]: { ...o.buckets[BUCKET]!, ...bucket } } };
}

describe('assessDownstream', () => {
  it('counts what a function on s3:ObjectCreated:* receives from the plan: a Copy per copy, a CompleteMultipartUpload per copy over 5 GiB', () => {
    const [d] = assessDownstream(outputs(), [found()], [PLAN]);
    expect(d!.notifications.reached).toEqual([
      expect.objectContaining({
        arn: FUNCTION,
        events: { 's3:ObjectCreated:Copy': 30, 's3:ObjectCreated:CompleteMultipartUpload': 5 },
        total: 35,
        bound: 'exact',
        accepted: false,
      }),
    ]);
    expect(blockingDownstream(d!)).toEqual([expect.stringContaining(`lambda ${FUNCTION} receives 35 events`)]);
  });

  it('says UpdateObjectEncryption fires no documented event where a destination listens', () => {
    const [d] = assessDownstream(outputs(), [found()], [PLAN]);
    expect(d!.notes).toEqual([
      expect.stringMatching(/^100 versions re-encrypted in place: UpdateObjectEncryption: no event is documented for it/),
    ]);
  });

  it('says nothing of UpdateObjectEncryption for a bucket without destinations or replication', () => {
    const [d] = assessDownstream(outputs(), [found({ notifications: { none: true } })], [PLAN]);
    expect(d!.notes).toEqual([]);
  });

  it('says the versions re-encrypted in place are not replicated, as AWS documents, naming the destination whose replicas keep their encryption', () => {
    const replication = {
      value: {
        role: 'arn:aws:iam::123456789012:role/s3-replication',
        rules: [
          {
            id: 'to-dr',
            enabled: true,
            prefix: '',
            tags: [],
            deleteMarkerReplication: false,
            sseKmsOptIn: true,
            destinationBucket: 'arn:aws:s3:::acme-dr',
          },
        ],
      },
    };
    const [d] = assessDownstream(outputs(), [found({ replication, notifications: { none: true } })], [PLAN]);
    expect(d!.notes).toEqual([
      expect.stringMatching(
        /^100 versions re-encrypted in place are not replicated: UpdateObjectEncryption "won't initiate replica events in the destination bucket" \(https:\/\/docs\.aws\.amazon\.com\/AmazonS3\/latest\/userguide\/update-sse-encryption\.html\); their replicas in arn:aws:s3:::acme-dr keep their encryption/,
      ),
    ]);
  });

  it('does not stop a run for a destination acceptEvents names', () => {
    const [d] = assessDownstream(outputs({ accept_events: [FUNCTION] }), [found()], [PLAN]);
    expect(d!.notifications.reached[0]!.accepted).toBe(true);
    expect(blockingDownstream(d!)).toEqual([]);
  });

  it('notes an accepted destination that receives nothing', () => {
    const [d] = assessDownstream(outputs({ accept_events: ['eventbridge'] }), [found({ notifications: { none: true } })], [PLAN]);
    expect(d!.notes).toContain('acceptEvents names eventbridge, which receives no event of the migration');
  });

  it('counts --update-by-copy copies as at most the versions UpdateObjectEncryption would re-wrap', () => {
    const [d] = assessDownstream(outputs(), [found()], [PLAN], { updateByCopy: true });
    expect(d!.notifications.reached[0]).toMatchObject({ events: { 's3:ObjectCreated:Copy': 130 }, bound: 'upper' });
    expect(d!.notes).toEqual([]);
  });

  it('names every destination a copy could reach, uncounted, when there is no plan (a run from a listing), and stops the run for it', () => {
    const [d] = assessDownstream(outputs(), [found()]);
    expect(d!.notifications.reached).toEqual([expect.objectContaining({ arn: FUNCTION, bound: 'unknown', accepted: false })]);
    expect(d!.notifications.reached[0]!.total).toBeUndefined();
    expect(blockingDownstream(d!)).toEqual([expect.stringContaining(`lambda ${FUNCTION} receives an event per copy`)]);
  });

  it('stops a run when a configuration could not be read, never reading that as none', () => {
    const denied = {
      cannotTell:
        "GetBucketNotificationConfiguration on acme-data was refused (AccessDenied): give the runner's role s3:GetBucketNotification on the bucket",
    };
    const [d] = assessDownstream(outputs(), [found({ notifications: denied })], [PLAN]);
    expect(blockingDownstream(d!)).toEqual([`event notifications cannot be told: ${denied.cannotTell}`]);
    expect(downstreamRecordOf(d!, new Date(0)).cannotTell).toEqual([denied.cannotTell]);
  });

  it('reports, but does not stop a run for, a configuration the endpoint does not implement', () => {
    const [d] = assessDownstream(outputs(), [found({ replication: UNSUPPORTED, notifications: { none: true } })], [PLAN]);
    expect(blockingDownstream(d!)).toEqual([]);
    const record = downstreamRecordOf(d!, new Date(0));
    expect(record).toMatchObject({ cannotTell: [], unsupported: [UNSUPPORTED.cannotTell] });
  });

  it('counts the copies every covering rule replicates, with a cost line, and a refused rule stops the run', () => {
    const replication = {
      value: {
        role: 'arn:aws:iam::123456789012:role/s3-replication',
        rules: [
          {
            id: 'to-dr',
            enabled: true,
            prefix: '',
            tags: [],
            deleteMarkerReplication: false,
            sseKmsOptIn: false,
            destinationBucket: 'arn:aws:s3:::acme-dr',
          },
        ],
      },
    };
    const [d] = assessDownstream(outputs(), [found({ replication, notifications: { none: true } })], [PLAN]);
    expect(d!.replication.replicated).toMatchObject({ versions: 35, bytes: 53000, destinations: 1 });
    expect(d!.replication.replicated!.cost).toHaveLength(3);
    expect(blockingDownstream(d!)).toEqual([
      expect.stringMatching(/^replication rule to-dr \(to arn:aws:s3:::acme-dr\) would stop replicating: .*SseKmsEncryptedObjects/),
    ]);
  });

  it('says a bucket whose sampled versions are replicas is a replication destination, and that no replica proves nothing', () => {
    const [destination] = assessDownstream(outputs(), [found({ replicaSample: { sampled: 20, replicas: 3 } })], [PLAN]);
    expect(destination!.replication.asDestination).toMatch(
      /^3 of 20 sampled versions are replicas .*the bucket is a replication destination/,
    );
    const [none] = assessDownstream(outputs(), [found()], [PLAN]);
    expect(none!.replication.asDestination).toMatch(
      /^none of 20 sampled versions is a replica; .*a rule elsewhere may still replicate into it/,
    );
  });
});
