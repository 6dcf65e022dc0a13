import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { bodyBytes, bodyMd5Hex, bodySize, bodyStream, concatBodies, sliceBody } from './body';
import { BodyFiles, FILE_BODY_BYTES } from './body-files';
import { S3World } from './world';
import { KmsWorld } from '../kms/world';

/** Bytes that differ at every offset, so a range read from the wrong place shows. */
function pattern(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 7 + (i >> 8)) & 0xff;
  return out;
}

async function streamed(body: Parameters<typeof bodyStream>[0], start: number, end: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of bodyStream(body, start, end)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

describe('BodyFiles', () => {
  const files = new BodyFiles(1000);
  afterAll(() => files.dispose());

  it('keeps bodies under the threshold in memory and moves larger ones to a file', () => {
    const small = files.keep({ kind: 'bytes', data: pattern(999) });
    expect(small.kind).toBe('bytes');
    const large = files.keep({ kind: 'bytes', data: pattern(1000) });
    if (large.kind !== 'file') throw new Error(`expected a file body, got ${large.kind}`);
    expect(readFileSync(large.path).equals(pattern(1000))).toBe(true);
    expect(large.md5).toBe(createHash('md5').update(pattern(1000)).digest('hex'));
  });

  it('answers whole reads, ranges across stream chunks, slices, concatenations and MD5s as the bytes do', async () => {
    const data = pattern(200_000);
    const body = files.keep({ kind: 'bytes', data });
    expect(body.kind).toBe('file');
    expect(bodySize(body)).toBe(200_000);
    expect(bodyBytes(body).equals(data)).toBe(true);
    expect(bodyBytes(body, 65_530, 131_080).equals(data.subarray(65_530, 131_080))).toBe(true);
    expect((await streamed(body, 0, 200_000)).equals(data)).toBe(true);
    expect((await streamed(body, 65_000, 140_001)).equals(data.subarray(65_000, 140_001))).toBe(true);
    expect(bodyMd5Hex(body)).toBe(bodyMd5Hex({ kind: 'bytes', data }));
    const joined = concatBodies([sliceBody(body, 10, 100), { kind: 'bytes', data: Buffer.from('tail') }]);
    expect(bodyBytes(joined).equals(Buffer.concat([data.subarray(10, 110), Buffer.from('tail')]))).toBe(true);
    expect(bodyMd5Hex(joined)).toBe(
      bodyMd5Hex(
        concatBodies([
          { kind: 'bytes', data: data.subarray(10, 110) },
          { kind: 'bytes', data: Buffer.from('tail') },
        ]),
      ),
    );
  });

  it('removes its files on dispose', () => {
    const own = new BodyFiles(10);
    const body = own.keep({ kind: 'bytes', data: pattern(100) });
    if (body.kind !== 'file') throw new Error(`expected a file body, got ${body.kind}`);
    expect(existsSync(body.path)).toBe(true);
    own.dispose();
    expect(existsSync(body.path)).toBe(false);
  });
});

describe('S3World with large bodies', () => {
  it('keeps a body of FILE_BODY_BYTES or more in a file and reads it back exactly, ETag included', () => {
    const world = new S3World({
      accountId: '123456789012',
      region: 'us-east-1',
      kms: new KmsWorld('123456789012', 'us-east-1'),
      now: () => new Date(),
      restoreDelayMs: () => 0,
    });
    try {
      world.createBucket({ name: 'big' });
      const data = pattern(FILE_BODY_BYTES + 3);
      const written = world.putObject({ bucket: 'big', key: 'report.parquet', body: { kind: 'bytes', data } });
      expect(written.body.kind).toBe('file');
      expect(written.eTag).toBe(`"${createHash('md5').update(data).digest('hex')}"`);
      const read = world.version({ bucket: 'big', key: 'report.parquet' });
      expect(bodyBytes(read.body).equals(data)).toBe(true);
    } finally {
      world.dispose();
    }
  });
});
