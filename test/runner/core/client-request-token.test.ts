// ClientRequestToken: stable for the same work, different for any different work, never over 64 characters.
import { JobIdentity, clientRequestToken } from '../../../runner/core/client-request-token';

const base: JobIdentity = {
  stack: 'prod',
  bucket: 'acme-data',
  inventoryDate: '2026-11-22-01-00',
  operation: 'S3PutObjectCopy',
  storageClass: 'STANDARD',
};

describe('clientRequestToken', () => {
  it('is the same for the same work, so a rerun reuses the job', () => {
    expect(clientRequestToken({ ...base })).toBe(clientRequestToken(base));
  });

  it.each<[keyof JobIdentity, string | number]>([
    ['stack', 'dev'],
    ['bucket', 'acme-data2'],
    ['inventoryDate', '2026-11-23-01-00'],
    ['operation', 'S3UpdateObjectEncryption'],
    ['storageClass', 'STANDARD_IA'],
    ['attempt', 1],
  ])('changes when %s changes', (field, value) => {
    expect(clientRequestToken({ ...base, [field]: value })).not.toBe(clientRequestToken(base));
  });

  it('does not let fields run into each other', () => {
    const a = clientRequestToken({ ...base, bucket: 'ab', operation: 'c' });
    const b = clientRequestToken({ ...base, bucket: 'a', operation: 'bc' });
    expect(a).not.toBe(b);
  });

  it("fits CreateJob's 64-character limit even for long names", () => {
    const token = clientRequestToken({ ...base, bucket: 'b'.repeat(63), stack: 's'.repeat(20) });
    expect(token.length).toBeLessThanOrEqual(64);
    expect(token).toMatch(/^kmsmig-[0-9a-f]+$/);
  });
});
