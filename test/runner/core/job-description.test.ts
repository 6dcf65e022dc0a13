// A migration job's description carries its token early enough that the 256-character cut never
// reaches it, and is read back only for the stack it names.
import { MAX_JOB_DESCRIPTION_LENGTH, jobDescription, legacyJobDescription, tokenOfDescription } from '../../../runner/core/job-description';
import { clientRequestToken } from '../../../runner/core/client-request-token';

const token = clientRequestToken({
  stack: 'prod',
  bucket: 'acme-data',
  inventoryDate: '2026-11-29-00-00',
  operation: 'S3PutObjectCopy',
  storageClass: 'STANDARD',
});

describe('jobDescription', () => {
  it('names the stack, then the token, then what the job does', () => {
    expect(jobDescription('prod', token, 'acme-data S3PutObjectCopy (STANDARD) from inventory 2026-11-29-00-00')).toBe(
      `kms-migration prod ${token}: acme-data S3PutObjectCopy (STANDARD) from inventory 2026-11-29-00-00`,
    );
  });

  it('cuts a long description to 256 characters in what the job does, never in the token', () => {
    const description = jobDescription(
      'a-twenty-char-stack1',
      token,
      `${'b'.repeat(63)} S3PutObjectCopy (GLACIER_IR) from inventory 2026-11-29-00-00 `.repeat(4),
    );
    expect(description).toHaveLength(MAX_JOB_DESCRIPTION_LENGTH);
    expect(tokenOfDescription(description, 'a-twenty-char-stack1')).toBe(token);
  });

  it('refuses a stack and token that leave no room within 256 characters', () => {
    expect(() => jobDescription('s'.repeat(200), token, 'x')).toThrow(/Received: 281 characters/);
  });
});

describe('tokenOfDescription', () => {
  it.each<[string, string | undefined, string | undefined]>([
    ['this stack, with its token', `kms-migration prod ${token}: acme-data S3UpdateObjectEncryption`, token],
    ['a retry of this stack', `kms-migration prod ${token}: retry 1 of acme-data S3UpdateObjectEncryption`, token],
    ['another stack with the same token', `kms-migration prod2 ${token}: acme-data S3UpdateObjectEncryption`, undefined],
    ['another stack whose name this one starts', `kms-migration pro ${token}: x`, undefined],
    [
      'a legacy description, without the token',
      'kms-migration prod: acme-data S3UpdateObjectEncryption from inventory 2026-11-29-00-00',
      undefined,
    ],
    ['a description of someone else', 'nightly restore', undefined],
    ['no description', undefined, undefined],
  ])('%s', (_name, description, expected) => {
    expect(tokenOfDescription(description, 'prod')).toBe(expected);
  });
});

describe('legacyJobDescription', () => {
  it('is the description older runners wrote, without the token', () => {
    expect(legacyJobDescription('prod', 'acme-data S3UpdateObjectEncryption from inventory 2026-11-29-00-00')).toBe(
      'kms-migration prod: acme-data S3UpdateObjectEncryption from inventory 2026-11-29-00-00',
    );
  });
});
