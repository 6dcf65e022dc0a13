// Classification of inventory rows into actions, case by case as DOMAIN.md's table says.
import {
  ACTIONS,
  MAX_BATCH_COPY_BYTES,
  VersionFacts,
  actionSqlExpression,
  classifyVersion,
  isLocked,
  lockedSqlCondition,
} from '../../../runner/core/classify';

function facts(overrides: Partial<VersionFacts>): VersionFacts {
  return {
    isDeleteMarker: false,
    isLatest: true,
    encryptionStatus: 'SSE-S3',
    bucketKeyStatus: 'DISABLED',
    storageClass: 'STANDARD',
    size: 1024,
    ...overrides,
  };
}

describe('classifyVersion', () => {
  it.each<[string, Partial<VersionFacts>, string]>([
    ['SSE-KMS with Bucket Key', { encryptionStatus: 'SSE-KMS', bucketKeyStatus: 'ENABLED' }, 'compliant'],
    ['SSE-KMS without Bucket Key', { encryptionStatus: 'SSE-KMS', bucketKeyStatus: 'DISABLED' }, 'update-encryption'],
    ['SSE-S3', { encryptionStatus: 'SSE-S3' }, 'update-encryption'],
    ['SSE-S3 in Deep Archive (no restore needed)', { encryptionStatus: 'SSE-S3', storageClass: 'DEEP_ARCHIVE' }, 'update-encryption'],
    ['NOT-SSE', { encryptionStatus: 'NOT-SSE' }, 'copy'],
    ['NOT-SSE at exactly 5 GiB', { encryptionStatus: 'NOT-SSE', size: MAX_BATCH_COPY_BYTES }, 'copy'],
    ['NOT-SSE one byte over 5 GiB', { encryptionStatus: 'NOT-SSE', size: MAX_BATCH_COPY_BYTES + 1 }, 'copy-too-large'],
    ['NOT-SSE in Glacier', { encryptionStatus: 'NOT-SSE', storageClass: 'GLACIER' }, 'needs-restore'],
    ['NOT-SSE in Deep Archive over 5 GiB', { encryptionStatus: 'NOT-SSE', storageClass: 'DEEP_ARCHIVE', size: 6e9 }, 'needs-restore'],
    ['NOT-SSE in Glacier Instant Retrieval (readable)', { encryptionStatus: 'NOT-SSE', storageClass: 'GLACIER_IR' }, 'copy'],
    ['NOT-SSE under governance retention', { encryptionStatus: 'NOT-SSE', objectLockMode: 'GOVERNANCE' }, 'copy-locked'],
    ['NOT-SSE under a legal hold', { encryptionStatus: 'NOT-SSE', legalHoldStatus: 'ON' }, 'copy-locked'],
    ['NOT-SSE with legal hold OFF', { encryptionStatus: 'NOT-SSE', legalHoldStatus: 'OFF' }, 'copy'],
    ['SSE-C', { encryptionStatus: 'SSE-C' }, 'sse-c'],
    ['DSSE-KMS', { encryptionStatus: 'DSSE-KMS' }, 'dsse-kms'],
    [
      'a noncurrent NOT-SSE version (copying it would make it current again)',
      { encryptionStatus: 'NOT-SSE', isLatest: false },
      'noncurrent-unencrypted',
    ],
    [
      'a noncurrent NOT-SSE version in Glacier',
      { encryptionStatus: 'NOT-SSE', isLatest: false, storageClass: 'GLACIER' },
      'noncurrent-unencrypted',
    ],
    [
      'a noncurrent SSE-S3 version (re-wrapped in place, stays noncurrent)',
      { encryptionStatus: 'SSE-S3', isLatest: false },
      'update-encryption',
    ],
    ['a delete marker', { isDeleteMarker: true, encryptionStatus: 'NOT-SSE' }, 'delete-marker'],
  ])('%s → %s', (_name, overrides, expected) => {
    expect(classifyVersion(facts(overrides))).toBe(expected);
  });

  it.each<[string, Partial<VersionFacts>, string]>([
    ['a current DSSE-KMS version', { encryptionStatus: 'DSSE-KMS' }, 'copy'],
    ['a current DSSE-KMS version in Deep Archive', { encryptionStatus: 'DSSE-KMS', storageClass: 'DEEP_ARCHIVE' }, 'needs-restore'],
    ['a current DSSE-KMS version under legal hold', { encryptionStatus: 'DSSE-KMS', legalHoldStatus: 'ON' }, 'copy-locked'],
    ['a current DSSE-KMS version over 5 GiB', { encryptionStatus: 'DSSE-KMS', size: MAX_BATCH_COPY_BYTES + 1 }, 'copy-too-large'],
    ['a noncurrent DSSE-KMS version (the expiration removes it)', { encryptionStatus: 'DSSE-KMS', isLatest: false }, 'dsse-kms'],
    ['an SSE-C version, which opting in to DSSE-KMS does not touch', { encryptionStatus: 'SSE-C' }, 'sse-c'],
  ])('with migrateDsseKms, %s → %s', (_name, overrides, expected) => {
    expect(classifyVersion(facts(overrides), { migrateDsseKms: true })).toBe(expected);
    // Without the opt-in, every DSSE-KMS version is left alone.
    if (overrides.encryptionStatus === 'DSSE-KMS') expect(classifyVersion(facts(overrides))).toBe('dsse-kms');
  });

  const NOW = new Date('2026-06-01T00:00:00.000Z');
  const FUTURE = new Date('2027-01-01T00:00:00.000Z');
  const PAST = new Date('2026-01-01T00:00:00.000Z');
  it.each<[string, Partial<VersionFacts>, string]>([
    [
      'SSE-S3 under governance retention (UpdateObjectEncryption refuses it)',
      { objectLockMode: 'GOVERNANCE', retainUntil: FUTURE },
      'copy-locked',
    ],
    ['SSE-S3 under compliance retention', { objectLockMode: 'COMPLIANCE', retainUntil: FUTURE }, 'copy-locked'],
    ['SSE-S3 under a legal hold', { legalHoldStatus: 'ON' }, 'copy-locked'],
    ['SSE-KMS without Bucket Key under a legal hold', { encryptionStatus: 'SSE-KMS', legalHoldStatus: 'ON' }, 'copy-locked'],
    ['SSE-S3 whose retention ended (no longer locked)', { objectLockMode: 'COMPLIANCE', retainUntil: PAST }, 'update-encryption'],
    ['SSE-S3 whose retention ends exactly now (no longer locked)', { objectLockMode: 'GOVERNANCE', retainUntil: NOW }, 'update-encryption'],
    ['SSE-S3 with legal hold OFF', { legalHoldStatus: 'OFF' }, 'update-encryption'],
    [
      'SSE-S3 with ended retention but a legal hold',
      { objectLockMode: 'GOVERNANCE', retainUntil: PAST, legalHoldStatus: 'ON' },
      'copy-locked',
    ],
    [
      'a noncurrent SSE-S3 version under retention',
      { isLatest: false, objectLockMode: 'COMPLIANCE', retainUntil: FUTURE },
      'noncurrent-locked',
    ],
    [
      'a noncurrent NOT-SSE version under a legal hold',
      { encryptionStatus: 'NOT-SSE', isLatest: false, legalHoldStatus: 'ON' },
      'noncurrent-locked',
    ],
    [
      'a noncurrent NOT-SSE version whose retention ended',
      { encryptionStatus: 'NOT-SSE', isLatest: false, objectLockMode: 'GOVERNANCE', retainUntil: PAST },
      'noncurrent-unencrypted',
    ],
    [
      'SSE-S3 in Deep Archive under retention (no copy without restore)',
      { storageClass: 'DEEP_ARCHIVE', objectLockMode: 'GOVERNANCE', retainUntil: FUTURE },
      'locked-archived',
    ],
    [
      'SSE-KMS with Bucket Key under retention',
      { encryptionStatus: 'SSE-KMS', bucketKeyStatus: 'ENABLED', objectLockMode: 'COMPLIANCE', retainUntil: FUTURE },
      'compliant-locked',
    ],
    [
      'SSE-KMS with Bucket Key whose retention ended',
      { encryptionStatus: 'SSE-KMS', bucketKeyStatus: 'ENABLED', objectLockMode: 'COMPLIANCE', retainUntil: PAST },
      'compliant',
    ],
    [
      'NOT-SSE whose retention ended (a plain copy)',
      { encryptionStatus: 'NOT-SSE', objectLockMode: 'GOVERNANCE', retainUntil: PAST },
      'copy',
    ],
    ['SSE-C under a legal hold', { encryptionStatus: 'SSE-C', legalHoldStatus: 'ON' }, 'sse-c'],
  ])('under Object Lock at a given moment, %s → %s', (_name, overrides, expected) => {
    expect(classifyVersion(facts(overrides), { now: NOW })).toBe(expected);
  });

  it('counts retention with a mode as in force when the moment or the date is unknown: never a version AWS may refuse', () => {
    expect(classifyVersion(facts({ objectLockMode: 'GOVERNANCE', retainUntil: PAST }))).toBe('copy-locked');
    expect(classifyVersion(facts({ objectLockMode: 'GOVERNANCE' }), { now: NOW })).toBe('copy-locked');
    expect(isLocked({ objectLockMode: '', retainUntil: FUTURE }, { now: NOW })).toBe(false);
  });

  it('refuses an encryption status it does not know rather than guessing', () => {
    expect(() => classifyVersion(facts({ encryptionStatus: 'SSE-XYZ' }))).toThrow(/Unknown EncryptionStatus 'SSE-XYZ'/);
  });
});

describe('actionSqlExpression', () => {
  it('names every action the TypeScript rule can return, and the 5 GiB limit', () => {
    const sql = actionSqlExpression();
    for (const action of ACTIONS) {
      expect(sql).toContain(`'${action}'`);
    }
    expect(sql).toContain(`> ${MAX_BATCH_COPY_BYTES}`);
  });

  it('judges retention by the column type of the inventory format, at the given moment', () => {
    const now = new Date('2026-06-01T00:00:00.000Z');
    expect(lockedSqlCondition({ now, inventoryFormat: 'CSV' })).toContain(
      "from_iso8601_timestamp(object_lock_retain_until_date) > from_iso8601_timestamp('2026-06-01T00:00:00.000Z')",
    );
    expect(lockedSqlCondition({ now, inventoryFormat: 'Parquet' })).toContain(`object_lock_retain_until_date > ${now.getTime()}`);
    expect(lockedSqlCondition({ now, inventoryFormat: 'ORC' })).not.toContain('from_iso8601_timestamp');
    expect(lockedSqlCondition()).not.toContain('object_lock_retain_until_date');
  });

  it('copies current DSSE-KMS versions only where the bucket opted in', () => {
    expect(actionSqlExpression()).not.toContain("IN ('NOT-SSE', 'DSSE-KMS')");
    expect(actionSqlExpression({ migrateDsseKms: true })).toContain(
      "WHEN encryption_status IN ('NOT-SSE', 'DSSE-KMS') AND is_latest THEN 'copy'",
    );
  });
});
