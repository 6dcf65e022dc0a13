// Where a bucket stands, from the state alone, case by case.
import { bucketStatus } from '../../../runner/core/status';
import { emptyState, type DownstreamRecord, type JobRecord, type MigrationState } from '../../../runner/state';
import { accessCheck, accessRecord } from '../report-builders';

const B = 'acme-data';
const job = (over: Partial<JobRecord> = {}): JobRecord => ({
  token: 't1',
  bucket: B,
  operation: 'S3PutObjectCopy',
  storageClass: 'STANDARD',
  inventoryDate: '2026-11-29-00-00',
  attempt: 0,
  versions: 10,
  ...over,
});
const state = (over: Partial<MigrationState>): MigrationState => ({ ...emptyState('prod'), ...over });
const passed = {
  bucket: B,
  checkedAt: '2026-11-30T00:00:00.000Z',
  method: 'listing' as const,
  passed: true,
  keyCheck: { checked: 0, of: 0 },
  current: { versions: 5, nonCompliant: 0, byReason: {}, sample: [], accepted: {}, acceptedSample: [] },
  noncurrent: { versions: 5, nonCompliant: 0, byReason: {}, sample: [], accepted: {}, acceptedSample: [] },
};

describe('bucketStatus', () => {
  it.each<[string, Partial<MigrationState>, 'done' | 'running' | 'needs-human', RegExp]>([
    ['nothing recorded', {}, 'running', /nothing recorded in the state: run `migrate run`; it plans, and adopts/],
    ['a job planned but not created', { jobs: { t1: job() } }, 'running', /planned, not created yet/],
    ['a job still active', { jobs: { t1: job({ jobId: 'j1', status: 'Active' }) } }, 'running', /job j1 Active/],
    ['a failed job', { jobs: { t1: job({ jobId: 'j1', status: 'Failed' }) } }, 'needs-human', /job j1 Failed/],
    [
      'a complete job with failed tasks',
      { jobs: { t1: job({ jobId: 'j1', status: 'Complete', failed: 3 }) } },
      'needs-human',
      /3 failed tasks/,
    ],
    [
      'a complete job whose read-back disagrees',
      { jobs: { t1: job({ jobId: 'j1', status: 'Complete', readBack: { checked: 20, problems: ['x'] } }) } },
      'needs-human',
      /read back disagree/,
    ],
    [
      'copies the plan left to the runner, not made yet',
      {
        jobs: { t1: job({ jobId: 'j1', status: 'Complete' }) },
        outstanding: { [B]: { inventoryDate: '2026-11-29-00-00', overFiveGiB: 2, archived: 0, locked: 1, acl: 0 } },
      },
      'running',
      /3 versions to copy one by one/,
    ],
    [
      'a restore in progress',
      {
        jobs: { t1: job({ jobId: 'j1', status: 'Complete' }) },
        archived: { a: { bucket: B, key: 'k', versionId: 'v', storageClass: 'GLACIER', stage: 'restore-requested', updatedAt: 'x' } },
      },
      'running',
      /1 archived versions being restored/,
    ],
    [
      'a verification that could not verify',
      {
        jobs: { t1: job({ jobId: 'j1', status: 'Complete' }) },
        verifications: { [B]: { ...passed, passed: false, cannotVerify: ['zero rows'] } },
      },
      'needs-human',
      /could not verify: zero rows/,
    ],
  ])('%s: %s', (_name, over, stands, reason) => {
    const status = bucketStatus(state(over), B);
    expect(status.stands).toBe(stands);
    expect(status.reasons.join('\n')).toMatch(reason);
  });

  it('is done once the copies left to the runner were made by a finished pass over the same inventory, and shows verification and rule', () => {
    const status = bucketStatus(
      state({
        jobs: { t1: job({ jobId: 'j1', status: 'Complete', succeeded: 10, total: 10 }) },
        outstanding: { [B]: { inventoryDate: '2026-11-29-00-00', overFiveGiB: 2, archived: 0, locked: 0, acl: 0 } },
        direct: {
          [`outside-batch:${B}`]: {
            pass: 'outside-batch',
            bucket: B,
            source: 'inventory:2026-11-29-00-00',
            startedAt: 'x',
            finishedAt: 'y',
            checkpoint: { completed: 2, doneAhead: [] },
            outcomes: { copied: 2 },
            failures: [],
          },
        },
        verifications: { [B]: passed },
        expiration: {
          [B]: {
            ruleId: 'kms-migration-expire-noncurrent',
            action: 'added',
            at: 'z',
            noncurrentDays: 30,
            newerNoncurrentVersions: 0,
            prefix: '',
            forced: false,
          },
        },
      }),
      B,
    );
    expect(status).toMatchObject({
      stands: 'done',
      copiesPending: 0,
      verification: { passed: true, examined: 10 },
      expiration: { action: 'added' },
      jobs: [{ jobId: 'j1', status: 'Complete', succeeded: 10 }],
    });
    expect(status.reasons).toEqual([]);
  });

  it('shows a planned job that exists all the same (created by a run whose state was lost) as that job, never as planned', () => {
    const status = bucketStatus(
      state({ jobs: { t1: job() } }),
      B,
      new Map([['t1', { jobId: 'j9', status: 'Complete', succeeded: 10, failed: 0, total: 10 }]]),
    );
    expect(status.jobs).toEqual([expect.objectContaining({ jobId: 'j9', status: 'Complete', unrecorded: true, succeeded: 10, total: 10 })]);
    expect(status.stands).toBe('running');
    expect(status.reasons).toEqual(['job j9 Complete was created for the plan, but the state does not record it: `migrate run` adopts it']);
  });

  describe('the last downstream check', () => {
    const finishedJob = { t1: job({ jobId: 'j1', status: 'Complete', succeeded: 10, total: 10 }) };
    const FUNCTION = 'arn:aws:lambda:eu-west-1:123456789012:function:thumbnails';
    const record = (over: Partial<DownstreamRecord> = {}): DownstreamRecord => ({
      checkedAt: '2026-11-28T08:55:00.000Z',
      replication: [],
      events: [],
      cannotTell: [],
      ...over,
    });

    it('stands needs-human while a replication rule would stop replicating, naming it and what to do', () => {
      const status = bucketStatus(
        state({
          jobs: finishedJob,
          downstream: {
            [B]: record({
              replication: [
                { rule: 'to-dr', destination: 'arn:aws:s3:::dr', verdict: 'refuse' },
                { rule: 'old', destination: 'arn:aws:s3:::dr', verdict: 'disabled' },
              ],
            }),
          },
        }),
        B,
      );
      expect(status.stands).toBe('needs-human');
      expect(status.reasons).toEqual([
        'downstream check of 2026-11-28T08:55:00.000Z: replication would stop or cannot be told for rule(s) to-dr to arn:aws:s3:::dr (refuse): opt the rule in to SSE-KMS objects with a replica key and grant its role in replicationRoles, deploy, run again',
      ]);
      expect(status.downstream).toEqual({
        checkedAt: '2026-11-28T08:55:00.000Z',
        replicationFine: 0,
        replicationBlocking: 1,
        eventDestinations: 0,
        acceptedEvents: 0,
        cannotTell: 0,
      });
    });

    it('stands needs-human while an event destination the config does not accept would receive events, with how many', () => {
      const status = bucketStatus(
        state({
          jobs: finishedJob,
          downstream: { [B]: record({ events: [{ destination: FUNCTION, kind: 'lambda', events: 40, bound: 'upper', accepted: false }] }) },
        }),
        B,
      );
      expect(status.stands).toBe('needs-human');
      expect(status.reasons.join('\n')).toContain(
        `the migration's events would reach lambda ${FUNCTION} (at most 40): name each in acceptEvents`,
      );
    });

    it('does not stand needs-human for accepted destinations, fine rules, or configurations the endpoint does not implement', () => {
      const status = bucketStatus(
        state({
          jobs: finishedJob,
          downstream: {
            [B]: record({
              replication: [{ rule: 'to-dr', destination: 'arn:aws:s3:::dr', verdict: 'fine' }],
              events: [{ destination: 'eventbridge', kind: 'eventbridge', events: 40, bound: 'exact', accepted: true }],
              unsupported: ['GetBucketReplication on b: the endpoint does not implement it (NotImplemented)'],
            }),
          },
        }),
        B,
      );
      expect(status.stands).toBe('done');
      expect(status.downstream).toMatchObject({ replicationFine: 1, eventDestinations: 1, acceptedEvents: 1 });
    });

    it('stands needs-human while a configuration could not be read', () => {
      const status = bucketStatus(
        state({
          jobs: finishedJob,
          downstream: { [B]: record({ cannotTell: ['GetBucketNotificationConfiguration on b was refused (AccessDenied)'] }) },
        }),
        B,
      );
      expect(status.stands).toBe('needs-human');
      expect(status.reasons.join('\n')).toContain('cannot tell: GetBucketNotificationConfiguration on b was refused (AccessDenied)');
    });
  });

  describe('the last access check', () => {
    const finishedJob = { t1: job({ jobId: 'j1', status: 'Complete', succeeded: 10, total: 10 }) };
    const blocked = 'arn:aws:iam::123456789012:role/reporting';

    it('stands needs-human while a reader would lose access, naming it and what to do', () => {
      const access = accessRecord([accessCheck(), accessCheck({ principal: blocked, verdict: 'not-granted' })]);
      const status = bucketStatus(state({ jobs: finishedJob, access: { [B]: access } }), B);
      expect(status.stands).toBe('needs-human');
      expect(status.reasons).toEqual([
        `access check of 2026-11-28T08:55:00.000Z: would lose access to the objects once under the key: ${blocked} (reader, bucket policy: not-granted): grant them in readers/cloudfrontDistributions/logDelivery/key.users or accept them in acceptLosingAccess, deploy, run again`,
      ]);
      expect(status.access).toEqual({
        checkedAt: '2026-11-28T08:55:00.000Z',
        granted: 1,
        notGranted: 1,
        grantedByIam: 0,
        cannotTell: 0,
        refused: 0,
        accepted: 0,
      });
    });

    it('stands needs-human while who reads the bucket cannot be told', () => {
      const status = bucketStatus(
        state({ jobs: finishedJob, access: { [B]: accessRecord([], { cannotTell: ['the bucket policy of acme-data: AccessDenied'] }) } }),
        B,
      );
      expect(status.stands).toBe('needs-human');
      expect(status.reasons.join('\n')).toMatch(/who reads the bucket cannot be told: the bucket policy of acme-data: AccessDenied/);
      expect(status.access).toMatchObject({ cannotTell: 1 });
    });

    it('does not stand needs-human for losses the config accepts: it counts them', () => {
      const access = accessRecord([
        accessCheck(),
        accessCheck({ principal: blocked, verdict: 'not-granted', accepted: true }),
        accessCheck({ principal: 'delivery.logs.amazonaws.com', kind: 'log-delivery', verdict: 'refused', accepted: true }),
      ]);
      const status = bucketStatus(state({ jobs: finishedJob, access: { [B]: access } }), B);
      expect(status.stands).toBe('done');
      expect(status.reasons).toEqual([]);
      expect(status.access).toEqual({
        checkedAt: '2026-11-28T08:55:00.000Z',
        granted: 1,
        notGranted: 1,
        grantedByIam: 0,
        cannotTell: 0,
        refused: 1,
        accepted: 2,
      });
    });
  });
});
