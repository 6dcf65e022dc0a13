// The one rule for "this names the stack's key", as preflight, plan, verify and the engines use it.
import { isMigrationKey } from '../../../runner/core/migration-key';
import { classifyHead } from '../../../runner/engine/version-work';

const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY = { arn: ARN, alias: 'alias/s3-migration-prod' };

describe('isMigrationKey', () => {
  it.each<[string, string | undefined, boolean, boolean]>([
    ['the key ARN', ARN, true, true],
    ['the bare key id', '1234abcd-12ab-34cd-56ef-1234567890ab', true, true],
    ['the alias name', 'alias/s3-migration-prod', true, false],
    ['the alias ARN', 'arn:aws:kms:eu-west-1:111122223333:alias/s3-migration-prod', true, false],
    ['another key', 'arn:aws:kms:eu-west-1:111122223333:key/ffffffff-12ab-34cd-56ef-1234567890ab', false, false],
    ['another alias', 'alias/other', false, false],
    ['nothing at all', undefined, false, false],
    ['an empty reference', '', false, false],
  ])('%s: %s with the alias allowed, %s for an object', (_name, reference, withAlias, objectLevel) => {
    expect(isMigrationKey(reference, KEY)).toBe(withAlias);
    expect(isMigrationKey(reference, ARN)).toBe(objectLevel);
  });
});

describe('classifyHead', () => {
  const head = {
    versionId: 'v',
    encryptionStatus: 'SSE-KMS',
    bucketKeyEnabled: true,
    storageClass: 'STANDARD',
    size: 1,
    eTag: '"e"',
    restore: 'none' as const,
    lock: {},
    system: {},
    metadata: {},
  };
  it('re-wraps an SSE-KMS version whose HeadObject names no key: a missing id is never taken for ours', () => {
    expect(classifyHead({ ...head, kmsKeyId: undefined }, true, ARN)).toBe('update-encryption');
  });
  it('leaves a version under the key with a Bucket Key alone', () => {
    expect(classifyHead({ ...head, kmsKeyId: ARN }, true, ARN)).toBe('compliant');
  });
});
