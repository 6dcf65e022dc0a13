// Table tests of compliance from inventory fields and from HeadObject, the tally and the verdict, and the verify SQL's shape.
import { isMigrationKey } from '../../../runner/core/migration-key';
import {
  acceptedReasons,
  emptyCount,
  failureRemedies,
  headCompliance,
  inventoryCompliance,
  reclassify,
  tally,
  verdict,
  type BucketVerification,
  type Compliance,
} from '../../../runner/core/verify';
import {
  complianceCountQuery,
  expirationImpactQuery,
  keyCheckSampleQuery,
  newVersionsQuery,
  nonCompliantSampleQuery,
} from '../../../runner/core/verify-query';
import { partitionTime } from '../../../runner/core/plan-query';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const OTHER = 'arn:aws:kms:us-east-1:123456789012:key/99999999-2222-3333-4444-555555555555';

describe('inventoryCompliance', () => {
  it.each([
    ['SSE-KMS', 'ENABLED', 'compliant'],
    ['SSE-KMS', 'DISABLED', 'no-bucket-key'],
    ['SSE-KMS', '', 'no-bucket-key'],
    ['SSE-S3', 'DISABLED', 'sse-s3'],
    ['NOT-SSE', '', 'not-encrypted'],
    ['SSE-C', '', 'sse-c'],
    ['DSSE-KMS', 'DISABLED', 'dsse-kms'],
    ['SOMETHING-NEW', '', 'unknown'],
  ])('%s with Bucket Key %j is %s', (status, bucketKey, expected) => {
    expect(inventoryCompliance(status, bucketKey)).toBe(expected);
  });
});

describe('headCompliance', () => {
  it.each([
    [{ encryptionStatus: 'SSE-KMS', kmsKeyId: KEY, bucketKeyEnabled: true }, 'compliant'],
    [{ encryptionStatus: 'SSE-KMS', kmsKeyId: '11111111-2222-3333-4444-555555555555', bucketKeyEnabled: true }, 'compliant'],
    [{ encryptionStatus: 'SSE-KMS', kmsKeyId: OTHER, bucketKeyEnabled: true }, 'other-kms-key'],
    [{ encryptionStatus: 'SSE-KMS', kmsKeyId: undefined, bucketKeyEnabled: true }, 'other-kms-key'],
    [{ encryptionStatus: 'SSE-KMS', kmsKeyId: KEY, bucketKeyEnabled: false }, 'no-bucket-key'],
    [{ encryptionStatus: 'SSE-S3', bucketKeyEnabled: false }, 'sse-s3'],
    [{ encryptionStatus: 'DSSE-KMS', kmsKeyId: KEY, bucketKeyEnabled: false }, 'dsse-kms'],
    [{ encryptionStatus: 'NOT-SSE', bucketKeyEnabled: false }, 'not-encrypted'],
    [{ encryptionStatus: 'SSE-C', bucketKeyEnabled: false }, 'sse-c'],
  ])('%j is %s', (head, expected) => {
    expect(headCompliance(head, KEY)).toBe(expected);
  });

  it('does not take an alias or another key id for the key', () => {
    expect(isMigrationKey('alias/s3-migration-prod', KEY)).toBe(false);
    expect(isMigrationKey(OTHER, KEY)).toBe(false);
  });
});

describe('tally and verdict', () => {
  it('counts versions, non-compliant ones by reason, and samples up to the size', () => {
    const count = emptyCount();
    tally(count, 'compliant', 10, 2);
    tally(count, 'sse-s3', 1, 2, { key: 'a', versionId: '1' });
    tally(count, 'sse-s3', 1, 2, { key: 'b', versionId: '2' });
    tally(count, 'not-encrypted', 5, 2, { key: 'c', versionId: '3' });
    expect(count).toEqual({
      versions: 17,
      nonCompliant: 7,
      byReason: { 'sse-s3': 2, 'not-encrypted': 5 },
      sample: [
        { key: 'a', versionId: '1', reason: 'sse-s3' },
        { key: 'b', versionId: '2', reason: 'sse-s3' },
      ],
      accepted: {},
      acceptedSample: [],
    });
    expect(verdict(count)).toBe(false);
  });

  it('counts accepted exceptions apart: they neither fail the bucket nor disappear from the record', () => {
    const count = emptyCount();
    const accepted = acceptedReasons(['SSE-C']);
    tally(count, 'compliant', 4, 5, undefined, accepted);
    tally(count, 'sse-c', 1, 5, { key: 'c', versionId: '1' }, accepted);
    tally(count, 'sse-c', 2, 5, undefined, accepted);
    expect(count).toMatchObject({
      versions: 7,
      nonCompliant: 0,
      accepted: { 'sse-c': 3 },
      acceptedSample: [{ key: 'c', versionId: '1', reason: 'sse-c' }],
    });
    expect(verdict(count)).toBe(true);
    tally(count, 'dsse-kms', 1, 5, { key: 'd', versionId: '2' }, accepted);
    expect(count).toMatchObject({ nonCompliant: 1, byReason: { 'dsse-kms': 1 } });
    expect(verdict(count)).toBe(false);
  });

  it('moves a version the inventory called compliant to the reason HeadObject found', () => {
    const count = emptyCount();
    tally(count, 'compliant', 3, 5);
    expect(verdict(count)).toBe(true);
    reclassify(count, 'other-kms-key', 5, { key: 'k', versionId: 'v' });
    expect(count).toMatchObject({ versions: 3, nonCompliant: 1, byReason: { 'other-kms-key': 1 } });
    expect(verdict(count)).toBe(false);
  });
});

describe('verify SQL', () => {
  it.each([
    [
      'counts',
      () => complianceCountQuery('db', 'inventory_a', '2026-11-23-00-00'),
      ["WHERE dt = '2026-11-23-00-00' AND NOT is_delete_marker", 'GROUP BY is_latest, encryption_status, bucket_key_status'],
    ],
    [
      'current sample',
      () => nonCompliantSampleQuery('db', 't', '2026-11-23-00-00', true, 20),
      [" AND is_latest AND NOT (encryption_status = 'SSE-KMS'", 'LIMIT 20'],
    ],
    ['noncurrent sample', () => nonCompliantSampleQuery('db', 't', '2026-11-23-00-00', false, 5), ['NOT is_latest', 'LIMIT 5']],
    ['key check', () => keyCheckSampleQuery('db', 't', '2026-11-23-00-00', 1000), ['ORDER BY random()', 'LIMIT 1000']],
    [
      'new versions, copy-job keys from their inventory',
      () =>
        newVersionsQuery({
          database: 'db',
          table: 't',
          dt: '2026-11-24-00-00',
          planDates: ['2026-11-23-00-00'],
          since: '2026-11-23T10:00:00.000Z',
          copiedSince: '2026-11-23T00:00:00.000Z',
          format: 'CSV',
        }),
      [
        "bool_or(encryption_status = 'NOT-SSE') AS copied",
        "CASE WHEN m.copied THEN from_iso8601_timestamp('2026-11-23T00:00:00.000Z') ELSE from_iso8601_timestamp('2026-11-23T10:00:00.000Z') END",
      ],
    ],
  ])('%s', (_name, build, fragments) => {
    const sql = build();
    for (const fragment of fragments) expect(sql).toContain(fragment);
  });

  it.each([
    [
      { copyPlanDates: [], newerNoncurrentVersions: 0, prefix: '' },
      ['0 AS superseded', 'WHERE noncurrent_rank > 0'],
      ['LEFT JOIN', 'substr('],
    ],
    [
      { copyPlanDates: ['2026-11-22-00-00'], newerNoncurrentVersions: 3, prefix: "it's/" },
      ["dt IN ('2026-11-22-00-00')", 'LEFT JOIN', "substr(url_decode(n.key), 1, 5) = 'it''s/'", 'WHERE noncurrent_rank > 3'],
      [],
    ],
  ])('expiration impact %j', (props, present, absent) => {
    const sql = expirationImpactQuery({
      database: 'db',
      table: 't',
      dt: '2026-11-23-00-00',
      now: '2026-11-23T00:00:00.000Z',
      format: 'CSV',
      ...props,
    });
    for (const fragment of present) expect(sql).toContain(fragment);
    for (const fragment of absent) expect(sql).not.toContain(fragment);
  });

  it.each([
    // The string is parsed only where it is not empty: a CASE branch, which Trino never evaluates early.
    [
      'CSV',
      "CASE WHEN COALESCE(n.object_lock_retain_until_date, '') = '' THEN FALSE ELSE from_iso8601_timestamp(n.object_lock_retain_until_date) > from_iso8601_timestamp('2026-11-23T00:00:00.000Z') END",
      'n.key',
    ],
    ['Parquet', '(n.object_lock_retain_until_date IS NOT NULL AND n.object_lock_retain_until_date > 1795392000000)', "<> ''"],
    ['ORC', '(n.object_lock_retain_until_date IS NOT NULL AND n.object_lock_retain_until_date > 1795392000000)', "<> ''"],
  ] as const)('compares the retention date as %s types it, never a bigint with a string', (format, present, absent) => {
    const sql = expirationImpactQuery({
      database: 'db',
      table: 't',
      dt: '2026-11-23-00-00',
      now: '2026-11-23T00:00:00.000Z',
      format,
      copyPlanDates: [],
      newerNoncurrentVersions: 0,
      prefix: 'p/',
    });
    expect(sql).toContain(present);
    if (format !== 'CSV') expect(sql).not.toContain(absent);
  });

  it('refuses a malformed partition', () => {
    expect(() => complianceCountQuery('db', 't', "2026-11-23' OR 1=1")).toThrow('Inventory partition must be YYYY-MM-DD-HH-MM');
  });
});

describe('partitionTime', () => {
  it('reads a partition as the UTC time of its snapshot', () => {
    expect(partitionTime('2026-11-23-04-30')).toBe('2026-11-23T04:30:00.000Z');
  });

  it('refuses anything but YYYY-MM-DD-HH-MM', () => {
    expect(() => partitionTime('2026-11-23T04-30Z')).toThrow(/YYYY-MM-DD-HH-MM/);
  });
});

describe('failureRemedies', () => {
  const CONFIG = 'stacks/environments/prod.json';
  function failedWith(reasons: Partial<Record<Compliance, number>>): BucketVerification {
    const current = emptyCount();
    for (const [reason, n] of Object.entries(reasons) as [Compliance, number][]) {
      current.byReason[reason] = n;
      current.nonCompliant += n;
      current.versions += n;
    }
    return {
      bucket: 'acme-data',
      checkedAt: '2026-01-01T00:00:00Z',
      method: 'listing',
      passed: false,
      current,
      noncurrent: emptyCount(),
      keyCheck: { checked: 0, of: 0 },
    };
  }

  it('names acceptRemaining for SSE-C versions, never a rerun', () => {
    const remedies = failureRemedies(failedWith({ 'sse-c': 3 }), { stack: 'prod', migrateDsseKms: false, configFile: CONFIG });
    expect(remedies).toEqual([expect.stringContaining(`3 SSE-C: no rerun can re-encrypt them`)]);
    expect(remedies[0]).toContain(`add "acceptRemaining": ["SSE-C"] to bucket acme-data in ${CONFIG} (buckets[].acceptRemaining)`);
    expect(remedies.join('\n')).not.toContain('run the migration again');
  });

  it('names dsseKms.migrate and acceptRemaining for DSSE-KMS versions of a bucket that does not opt in', () => {
    const [remedy] = failureRemedies(failedWith({ 'dsse-kms': 2 }), { stack: 'prod', migrateDsseKms: false, configFile: CONFIG });
    expect(remedy).toContain(`set "dsseKms": { "migrate": true } on bucket acme-data in ${CONFIG}`);
    expect(remedy).toContain('add "DSSE-KMS" to its buckets[].acceptRemaining');
  });

  it('sends DSSE-KMS versions of a bucket that opts in, and what the runner re-encrypts, to a rerun', () => {
    const remedies = failureRemedies(failedWith({ 'dsse-kms': 2, 'sse-s3': 5 }), {
      stack: 'prod',
      migrateDsseKms: true,
      configFile: CONFIG,
    });
    expect(remedies).toEqual([
      '7 the runner re-encrypts: run the migration again (`npm run migrate -- run --stack prod`) until it exits 0',
    ]);
  });

  it('gives one step per kind of version left', () => {
    const remedies = failureRemedies(failedWith({ 'sse-c': 1, 'dsse-kms': 1, 'not-encrypted': 4 }), {
      stack: 'prod',
      migrateDsseKms: false,
      configFile: CONFIG,
    });
    expect(remedies.map((r) => r.split(':')[0])).toEqual(['1 SSE-C', '1 DSSE-KMS', '4 the runner re-encrypts']);
  });
});
