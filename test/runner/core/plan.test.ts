// Plans from Athena's counts: jobs per operation and storage class, what is left alone and why, totals.
import { bucketPlan, isComplete, lockLines, planTotals } from '../../../runner/core/plan';
import { manifestQuery, planQuery } from '../../../runner/core/plan-query';

const row = (action: string, storage_class: string, versions: number, bytes: number) => ({
  action,
  storage_class,
  versions: String(versions),
  bytes: String(bytes),
});

describe('bucketPlan', () => {
  const plan = bucketPlan('acme', '2026-11-22-01-00', [
    row('update-encryption', 'STANDARD', 100, 1000),
    row('update-encryption', 'DEEP_ARCHIVE', 5, 50),
    row('copy', 'STANDARD', 10, 100),
    row('copy', 'STANDARD_IA', 3, 30),
    row('copy-too-large', 'STANDARD', 1, 6e9),
    row('needs-restore', 'GLACIER', 2, 20),
    row('sse-c', 'STANDARD', 4, 40),
    row('compliant', 'STANDARD', 50, 500),
    row('delete-marker', 'STANDARD', 7, 0),
  ]);

  it('makes one update-encryption job for every storage class, since it keeps the class', () => {
    expect(plan.jobs.filter((j) => j.operation === 'S3UpdateObjectEncryption')).toEqual([
      {
        operation: 'S3UpdateObjectEncryption',
        action: 'update-encryption',
        storageClass: '',
        manifestActions: ['update-encryption'],
        versions: 105,
        bytes: 1050,
      },
    ]);
  });

  it('re-wraps the versions inventory calls compliant when a sample of them is under another key', () => {
    const rows = [row('update-encryption', 'STANDARD', 100, 1000), row('compliant', 'STANDARD', 50, 500)];
    const checked = bucketPlan('acme', 'd', rows, { keyCheck: { sampled: 50, foreign: 3 } });
    expect(checked.jobs[0]).toMatchObject({ manifestActions: ['update-encryption', 'compliant'], versions: 150, bytes: 1500 });
    expect(checked.untouched.map((u) => u.action)).not.toContain('compliant');
    const clean = bucketPlan('acme', 'd', rows, { keyCheck: { sampled: 50, foreign: 0 } });
    expect(clean.jobs[0]).toMatchObject({ manifestActions: ['update-encryption'], versions: 100 });
    expect(clean.untouched.map((u) => u.action)).toContain('compliant');
  });

  it('never puts a locked version into the UpdateObjectEncryption job, not even when SSE-KMS is re-wrapped', () => {
    const rows = [
      row('update-encryption', 'STANDARD', 10, 100),
      row('compliant', 'STANDARD', 5, 50),
      {
        ...row('compliant-locked', 'STANDARD', 3, 30),
        retain_until_min: '2027-01-01T00:00:00.000Z',
        retain_until_max: '2027-03-01T00:00:00.000Z',
        legal_holds: '1',
      },
      { ...row('copy-locked', 'STANDARD', 4, 40), retain_until_min: '1798761600000', retain_until_max: '1798761600000', legal_holds: '2' },
      { ...row('noncurrent-locked', 'STANDARD', 2, 20), retain_until_min: '', retain_until_max: '', legal_holds: '2' },
    ];
    const rewrap = bucketPlan('acme', 'd', rows, { keyCheck: { sampled: 5, foreign: 1 } });
    expect(rewrap.jobs).toEqual([
      {
        operation: 'S3UpdateObjectEncryption',
        action: 'update-encryption',
        storageClass: '',
        manifestActions: ['update-encryption', 'compliant'],
        versions: 15,
        bytes: 150,
      },
    ]);
    expect(rewrap.untouched.map((u) => u.action)).toEqual(expect.arrayContaining(['compliant-locked', 'noncurrent-locked']));
    expect(rewrap.lockedCopies).toEqual({ versions: 4, bytes: 40 });
    expect(rewrap.locked).toEqual({
      'compliant-locked': {
        versions: 3,
        bytes: 30,
        retainUntilEarliest: '2027-01-01T00:00:00.000Z',
        retainUntilLatest: '2027-03-01T00:00:00.000Z',
        legalHolds: 1,
      },
      // Parquet and ORC hold epoch milliseconds; the plan speaks ISO 8601.
      'copy-locked': {
        versions: 4,
        bytes: 40,
        retainUntilEarliest: '2027-01-01T00:00:00.000Z',
        retainUntilLatest: '2027-01-01T00:00:00.000Z',
        legalHolds: 2,
      },
      'noncurrent-locked': { versions: 2, bytes: 20, legalHolds: 2 },
    });
    expect(lockLines(rewrap)).toEqual([
      '  4 versions under Object Lock (copy-locked; retain until 2027-01-01T00:00:00.000Z; 2 under legal hold): current, copied in place one by one, each new version carrying its retention and legal hold',
      '  2 versions under Object Lock (noncurrent-locked; no retention date; 2 under legal hold): noncurrent, left to the noncurrent-version expiration, which removes them once their lock ends',
      '  3 versions under Object Lock (compliant-locked; retain until 2027-01-01T00:00:00.000Z (earliest) to 2027-03-01T00:00:00.000Z (latest); 1 under legal hold): SSE-KMS with a Bucket Key: never re-wrapped by UpdateObjectEncryption; verify checks their key',
    ]);
  });

  it('makes one copy job per storage class, since a copy would otherwise land in STANDARD', () => {
    expect(plan.jobs.filter((j) => j.operation === 'S3PutObjectCopy').map((j) => [j.storageClass, j.versions])).toEqual([
      ['STANDARD', 10],
      ['STANDARD_IA', 3],
    ]);
  });

  it('restores archived unencrypted versions before copying them', () => {
    expect(plan.jobs.find((j) => j.operation === 'S3InitiateRestoreObject')).toMatchObject({ storageClass: 'GLACIER', versions: 2 });
  });

  it('leaves versions over 5 GiB to the runner, never silently', () => {
    expect(plan.directCopies).toEqual({ versions: 1, bytes: 6e9 });
  });

  it('lists what it leaves alone, with the reason', () => {
    expect(plan.untouched.map((u) => [u.action, u.versions])).toEqual([
      ['compliant', 50],
      ['sse-c', 4],
      ['delete-marker', 7],
    ]);
    expect(plan.untouched.find((u) => u.action === 'sse-c')!.reason).toMatch(/customer-provided key/);
  });

  it('is complete only when nothing actionable is left', () => {
    expect(isComplete(plan)).toBe(false);
    expect(isComplete(bucketPlan('b', '2026-11-22-01-00', [row('compliant', 'STANDARD', 5, 5), row('sse-c', 'STANDARD', 1, 1)]))).toBe(
      true,
    );
  });

  it('refuses a row it cannot classify', () => {
    expect(() => bucketPlan('b', 'x', [row('unknown', 'STANDARD', 1, 1)])).toThrow(/cannot classify \(action 'unknown'\)/);
  });
});

describe('a bucket that uses ACLs', () => {
  it('submits no copy job, since a job would give every object one ACL, and counts the copies for the runner', () => {
    const plan = bucketPlan('legacy', 'd', [row('copy', 'STANDARD', 10, 100), row('update-encryption', 'STANDARD', 5, 50)], {
      usesAcls: true,
    });
    expect(plan.jobs.map((j) => j.operation)).toEqual(['S3UpdateObjectEncryption']);
    expect(plan.aclCopies).toEqual({ versions: 10, bytes: 100 });
  });
});

describe('planTotals', () => {
  it("prices re-wrapped SSE-KMS versions as UpdateObjectEncryption and ACL-bucket copies as the runner's", () => {
    const rewrap = bucketPlan('a', 'd', [row('update-encryption', 'STANDARD', 10, 100), row('compliant', 'STANDARD', 5, 50)], {
      keyCheck: { sampled: 5, foreign: 1 },
    });
    const acl = bucketPlan('b', 'd', [row('copy', 'STANDARD', 7, 70)], { usesAcls: true });
    const totals = planTotals([rewrap, acl], 30);
    expect(totals.byAction['update-encryption']).toEqual({ versions: 15, bytes: 150 });
    expect(totals.byAction.compliant).toEqual({ versions: 0, bytes: 0 });
    expect(totals.byAction.copy).toEqual({ versions: 0, bytes: 0 });
    expect(totals.byAction['copy-locked']).toEqual({ versions: 7, bytes: 70 });
  });

  it('adds buckets up and counts copied bytes per storage class', () => {
    const a = bucketPlan('a', 'd', [row('copy', 'STANDARD', 10, 100), row('update-encryption', 'STANDARD', 5, 50)]);
    const b = bucketPlan('b', 'd', [row('copy', 'STANDARD', 1, 10), row('copy-too-large', 'STANDARD_IA', 1, 7e9)]);
    const totals = planTotals([a, b], 14);
    expect(totals.byAction.copy).toEqual({ versions: 11, bytes: 110 });
    expect(totals.copiedBytesByStorageClass).toEqual({ STANDARD: 110, STANDARD_IA: 7e9 });
    expect(totals.jobs).toBe(3);
    expect(totals.noncurrentDays).toBe(14);
  });
});

describe('queries', () => {
  it('reads one partition of one table', () => {
    const sql = planQuery('kms_migration_prod', 'inventory_acme', '2026-11-22-01-00');
    expect(sql).toContain('FROM "kms_migration_prod"."inventory_acme"');
    expect(sql).toContain("WHERE dt = '2026-11-22-01-00'");
    expect(sql).toContain('GROUP BY action, storage_class');
  });

  it('refuses names and partitions that could inject SQL', () => {
    expect(() => planQuery('db; DROP', 't', '2026-11-22-01-00')).toThrow(/Unexpected Glue name/);
    expect(() => planQuery('db', 't', "2026' OR '1'='1")).toThrow(/YYYY-MM-DD-HH-MM/);
    expect(() => manifestQuery('db', 't', '2026-11-22-01-00', 'copy', "STANDARD' OR 1=1 --")).toThrow(/Unexpected storage class/);
  });
});
