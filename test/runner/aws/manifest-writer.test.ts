// The manifest writer: what it writes is exactly the rows, in one PutObject when small and in
// multipart parts (rows split across part boundaries) when large.
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { ManifestWriter, PART_BYTES } from '../../../runner/aws/manifest-writer';
import { manifestRow } from '../../../runner/core/manifest';
import { useSandbox } from '../../../sandbox/support/clients';

describe('ManifestWriter', () => {
  const fixture = useSandbox();
  beforeAll(async () => {
    await fixture.clients.s3.send(new CreateBucketCommand({ Bucket: 'manifests' }));
  });

  async function read(key: string): Promise<{ text: string; eTag: string }> {
    const out = await fixture.clients.s3.send(new GetObjectCommand({ Bucket: 'manifests', Key: key }));
    return { text: await out.Body!.transformToString('utf8'), eTag: out.ETag! };
  }

  it('writes a small manifest in one object whose ETag it returns', async () => {
    const writer = new ManifestWriter(fixture.clients.s3, 'manifests', 'small.csv');
    const rows = ['a b', 'ü/日本', 'x'.repeat(1024)].map((k, i) => manifestRow('src', k, `v${i}`));
    for (const row of rows) await writer.write(row);
    const written = await writer.close();
    const stored = await read('small.csv');
    expect(stored.text).toBe(rows.join(''));
    expect(written).toEqual({ key: 'small.csv', eTag: stored.eTag, bytes: Buffer.byteLength(rows.join('')), rows: 3 });
  });

  it('writes a manifest larger than a part as a multipart upload, byte for byte', async () => {
    const writer = new ManifestWriter(fixture.clients.s3, 'manifests', 'large.csv');
    const rows: string[] = [];
    // Rows of varying length: one of them straddles the part boundary and is split across parts.
    for (let i = 0, size = 0; size < PART_BYTES * 1.3; i++) {
      const row = manifestRow('src', `dir/é-${i}-${'日'.repeat(i % 40)}`, `version-${i}`);
      rows.push(row);
      size += row.length;
    }
    for (const row of rows) await writer.write(row);
    const written = await writer.close();
    const stored = await read('large.csv');
    expect(stored.text.length).toBe(rows.join('').length);
    expect(stored.text === rows.join('')).toBe(true);
    expect(written.rows).toBe(rows.length);
    expect(stored.eTag).toMatch(/-2"$/);
  });
});
