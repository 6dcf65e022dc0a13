// The rules that decide whether a write did its work, as tables of cases.
import {
  ReadBackSample,
  copyReadBackProblems,
  updateAnswerProblem,
  updateReadBackProblems,
  type VersionFacts,
} from '../../../runner/core/write-evidence';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const sseS3: VersionFacts = {
  versionId: 'v1',
  size: 10,
  eTag: '"e1"',
  encryptionStatus: 'SSE-S3',
  bucketKeyEnabled: false,
  storageClass: 'GLACIER',
  metadata: { a: '1' },
  contentType: 'text/plain',
};
const rewrapped: VersionFacts = { ...sseS3, encryptionStatus: 'SSE-KMS', kmsKeyId: KEY, bucketKeyEnabled: true };

describe('updateAnswerProblem', () => {
  it.each([
    ['v1', undefined, false],
    ['v1', 'v1', false],
    ['null', 'null', false],
    ['v1', 'v2', true],
    ['null', 'v2', true],
  ])('asked %s, answered %s: problem %s', (asked, answered, problem) => {
    expect(updateAnswerProblem(asked, answered) !== undefined).toBe(problem);
  });
});

describe('updateReadBackProblems', () => {
  it('accepts the same version re-wrapped under the key with a Bucket Key', () => {
    expect(updateReadBackProblems(sseS3, rewrapped, KEY)).toEqual([]);
  });
  it('accepts the key named by its id', () => {
    expect(updateReadBackProblems(sseS3, { ...rewrapped, kmsKeyId: KEY.split('/').pop() }, KEY)).toEqual([]);
  });
  it.each<[string, VersionFacts | undefined, RegExp]>([
    ['gone', undefined, /version v1 is gone/],
    ['another version', { ...rewrapped, versionId: 'v2' }, /answered version v2, not v1/],
    ['resized', { ...rewrapped, size: 11 }, /size changed from 10 to 11/],
    ['new ETag', { ...rewrapped, eTag: '"e2"' }, /ETag changed/],
    ['moved class', { ...rewrapped, storageClass: 'STANDARD' }, /storage class changed from GLACIER to STANDARD/],
    ['still SSE-S3', sseS3, /it is SSE-S3, not SSE-KMS/],
    ['other key', { ...rewrapped, kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/other' }, /under KMS key .*other, not/],
    ['no Bucket Key', { ...rewrapped, bucketKeyEnabled: false }, /Bucket Key is off/],
  ])('names %s', (_, after, problem) => {
    expect(updateReadBackProblems(sseS3, after, KEY).join('; ')).toMatch(problem);
  });
});

describe('copyReadBackProblems', () => {
  const source: VersionFacts = { ...sseS3, encryptionStatus: 'NOT-SSE', storageClass: 'STANDARD_IA' };
  const copy: VersionFacts = {
    ...source,
    versionId: 'v2',
    eTag: '"kms-etag"',
    encryptionStatus: 'SSE-KMS',
    kmsKeyId: KEY,
    bucketKeyEnabled: true,
  };
  const tags = { source: { team: 'payments' }, copy: { team: 'payments' } };
  it('accepts a new version with the same size, class, metadata, content type and tags under the key', () => {
    expect(copyReadBackProblems(source, copy, KEY, tags)).toEqual([]);
  });
  it.each<[string, VersionFacts | undefined, RegExp]>([
    ['a missing copy', undefined, /new version is not there/],
    ['no new version', { ...copy, versionId: 'v1' }, /no new version was written/],
    ['another size', { ...copy, size: 3 }, /copy has 3 bytes, the source 10/],
    ['another class', { ...copy, storageClass: 'STANDARD' }, /copy is in STANDARD, the source in STANDARD_IA/],
    ['lost metadata', { ...copy, metadata: {} }, /metadata \{\} differs/],
    ['another content type', { ...copy, contentType: 'application/xml' }, /content type is application\/xml/],
    ['SSE-S3', { ...copy, encryptionStatus: 'SSE-S3' }, /SSE-S3, not SSE-KMS/],
  ])('names %s', (_, after, problem) => {
    expect(copyReadBackProblems(source, after, KEY, tags).join('; ')).toMatch(problem);
  });
  it('names lost tags', () => {
    expect(copyReadBackProblems(source, copy, KEY, { source: { team: 'payments' }, copy: {} }).join('; ')).toMatch(/tags \{\} differ/);
  });
});

describe('ReadBackSample', () => {
  it('reads back the first writes, then the same one-in-n share on every run', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `k${i}`);
    const pick = () => {
      const sample = new ReadBackSample({ first: 5, oneIn: 100 });
      return keys.filter((k) => sample.includes(k, 'v'));
    };
    const first = pick();
    expect(first.slice(0, 5)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
    expect(first.length).toBeGreaterThan(5 + 20);
    expect(first.length).toBeLessThan(5 + 100);
    expect(pick()).toEqual(first);
  });
});
