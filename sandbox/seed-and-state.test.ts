// Seeded worlds and saved state through the SDK: the mix asked for, generated bodies that stream
// deterministically, and a world that survives save and load.
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  CreateBucketCommand,
} from '@aws-sdk/client-s3';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CreateDatabaseCommand, GetDatabaseCommand } from '@aws-sdk/client-glue';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from './sandbox';
import { DeflatedBodyWriter } from './s3/body';
import { FILE_BODY_BYTES } from './s3/body-files';
import { SandboxConfigError, SandboxStateError } from './errors';
import type { SeedSpec } from './seed';
import { clientsFor, failureOf } from './support/clients';
import { listAllVersions } from './support/seeded';

const MIXED: SeedSpec = {
  seed: 9,
  buckets: [
    {
      name: 'mixed',
      versions: 400,
      versionsPerKey: 2,
      encryption: { 'NOT-SSE': 1, 'SSE-S3': 1, 'SSE-KMS': 1, 'DSSE-KMS': 1, 'SSE-C': 1 },
      storageClasses: { STANDARD: 1, GLACIER: 1 },
      overFiveGbRate: 0.05,
      hardKeyRate: 0.5,
      tagRate: 0.5,
      metadataRate: 0.5,
    },
  ],
};

async function withSandbox<T>(
  options: Parameters<typeof startSandbox>[0],
  use: (clients: ReturnType<typeof clientsFor>) => Promise<T>,
): Promise<T> {
  const sandbox = await startSandbox(options);
  const clients = clientsFor(sandbox.endpoint);
  try {
    return await use(clients);
  } finally {
    clients.destroy();
    await sandbox.stop();
  }
}

async function encryptionMix(clients: ReturnType<typeof clientsFor>, bucket: string): Promise<Record<string, number>> {
  const mix: Record<string, number> = {};
  for (const v of await listAllVersions(clients.s3, bucket)) {
    // HEAD of an SSE-C object without its customer key is a bare 400, as on AWS.
    const state = await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: v.key, VersionId: v.versionId })).then(
      (head) => head.ServerSideEncryption ?? 'NOT-SSE',
      (error: { $metadata?: { httpStatusCode?: number } }) =>
        error.$metadata?.httpStatusCode === 400 ? 'SSE-C' : `error ${error.$metadata?.httpStatusCode}`,
    );
    mix[state] = (mix[state] ?? 0) + 1;
  }
  return mix;
}

it('builds the asked-for number of versions with every encryption state, storage class, hard keys and sizes over 5 GB', async () => {
  await withSandbox({ seed: MIXED }, async (clients) => {
    const versions = await listAllVersions(clients.s3, 'mixed');
    expect(versions).toHaveLength(400);
    expect(Object.keys(await encryptionMix(clients, 'mixed')).sort()).toEqual(['AES256', 'NOT-SSE', 'SSE-C', 'aws:kms', 'aws:kms:dsse']);
    expect(versions.some((v) => v.size > 5 * 1024 ** 3)).toBe(true);
    expect(versions.some((v) => v.key.includes(' ') || v.key.includes('+') || v.key.includes('%'))).toBe(true);
    expect(versions.some((v) => Buffer.byteLength(v.key) === 1024)).toBe(true);
    const listed = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: 'mixed' }));
    expect(new Set(listed.Versions?.map((v) => v.StorageClass))).toEqual(new Set(['STANDARD', 'GLACIER']));
  });
});

it('builds the same world from the same seed', async () => {
  const keysOf = (options: SeedSpec) =>
    withSandbox({ seed: options }, async (clients) => (await listAllVersions(clients.s3, 'mixed')).map((v) => `${v.key}:${v.size}`));
  expect(await keysOf(MIXED)).toEqual(await keysOf(MIXED));
  expect(await keysOf({ ...MIXED, seed: 10 })).not.toEqual(await keysOf(MIXED));
});

it('streams generated bodies deterministically, ranges agreeing with the whole', async () => {
  const spec: SeedSpec = { seed: 4, buckets: [{ name: 'bodies', versions: 3, sizes: { min: 200_000, max: 300_000 }, hardKeyRate: 0 }] };
  await withSandbox({ seed: spec }, async (clients) => {
    const [v] = await listAllVersions(clients.s3, 'bodies');
    const whole = Buffer.from(
      await (await clients.s3.send(new GetObjectCommand({ Bucket: 'bodies', Key: v!.key }))).Body!.transformToByteArray(),
    );
    expect(whole.length).toBe(v!.size);
    const range = Buffer.from(
      await (
        await clients.s3.send(new GetObjectCommand({ Bucket: 'bodies', Key: v!.key, Range: 'bytes=65533-65543' }))
      ).Body!.transformToByteArray(),
    );
    expect(range).toEqual(whole.subarray(65533, 65544));
    expect(new Set(whole.subarray(0, 1000)).size).toBeGreaterThan(100);
    const again = Buffer.from(
      await (await clients.s3.send(new GetObjectCommand({ Bucket: 'bodies', Key: v!.key }))).Body!.transformToByteArray(),
    );
    expect(again.equals(whole)).toBe(true);
  });
});

it('refuses seed rates outside 0..1 naming the bucket, field and value', async () => {
  await expect(startSandbox({ seed: { buckets: [{ name: 'bad', versions: 1, tagRate: 2 }] } })).rejects.toThrow(SandboxConfigError);
  await expect(startSandbox({ seed: { buckets: [{ name: 'bad', versions: 1, tagRate: 2 }] } })).rejects.toThrow(
    "seed bucket 'bad': 'tagRate' must be between 0 and 1. Received: 2",
  );
});

it('applies fault rules given at start', async () => {
  await withSandbox({ faults: { rules: [{ service: 'sts', throttleRate: 1 }] } }, async (clients) => {
    expect((await failureOf(clients.sts.send(new GetCallerIdentityCommand({})))).name).toBe('Throttling');
  });
});

describe('state directory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves and loads buckets, versions, bodies, configurations and KMS keys', async () => {
    const first = await startSandbox({ stateDir: dir, seed: MIXED });
    const clients = clientsFor(first.endpoint);
    let before: { versions: string[]; body: string; keyArn: string };
    try {
      await clients.s3.send(new CreateBucketCommand({ Bucket: 'written' }));
      await clients.s3.send(
        new PutObjectCommand({ Bucket: 'written', Key: 'a b', Body: 'real bytes', Metadata: { m: '1' }, Tagging: 't=1' }),
      );
      const seededKms = await clients.kms.send(new DescribeKeyCommand({ KeyId: 'alias/sandbox-seed' }));
      before = {
        versions: (await listAllVersions(clients.s3, 'mixed')).map((v) => `${v.key}:${v.versionId}:${v.size}`),
        body: await (await clients.s3.send(new GetObjectCommand({ Bucket: 'written', Key: 'a b' }))).Body!.transformToString(),
        keyArn: seededKms.KeyMetadata!.Arn!,
      };
      await first.save();
    } finally {
      clients.destroy();
      await first.stop();
    }
    await withSandbox({ stateDir: dir }, async (loaded) => {
      expect((await listAllVersions(loaded.s3, 'mixed')).map((v) => `${v.key}:${v.versionId}:${v.size}`)).toEqual(before.versions);
      const got = await loaded.s3.send(new GetObjectCommand({ Bucket: 'written', Key: 'a b' }));
      expect(await got.Body!.transformToString()).toBe(before.body);
      expect(got.Metadata).toEqual({ m: '1' });
      expect((await loaded.kms.send(new DescribeKeyCommand({ KeyId: 'alias/sandbox-seed' }))).KeyMetadata?.Arn).toBe(before.keyArn);
      expect((await loaded.s3.send(new ListObjectsV2Command({ Bucket: 'written' }))).KeyCount).toBe(1);
    });
  });

  it('saves and loads a deflated body (how completion reports are kept), whole and by range', async () => {
    const first = await startSandbox({ stateDir: dir });
    const clients = clientsFor(first.endpoint);
    const text = Array.from({ length: 3000 }, (_, i) => `bucket,key-${i},null,succeeded,200,,Successful\n`).join('');
    try {
      await clients.s3.send(new CreateBucketCommand({ Bucket: 'reports' }));
      const writer = new DeflatedBodyWriter();
      // Several chunks, so a range can start inside one and end inside another.
      for (let at = 0; at < text.length; at += 40_000) writer.add(Buffer.from(text.slice(at, at + 40_000)));
      const body = writer.finish();
      expect(body.chunks.length).toBeGreaterThan(1);
      first.world.s3.putObject({ bucket: 'reports', key: 'report.csv', body, contentType: 'text/csv' });
      await first.save();
    } finally {
      clients.destroy();
      await first.stop();
    }
    await withSandbox({ stateDir: dir }, async (loaded) => {
      const whole = await loaded.s3.send(new GetObjectCommand({ Bucket: 'reports', Key: 'report.csv' }));
      expect(await whole.Body!.transformToString()).toBe(text);
      const range = await loaded.s3.send(new GetObjectCommand({ Bucket: 'reports', Key: 'report.csv', Range: 'bytes=39990-40010' }));
      expect(await range.Body!.transformToString()).toBe(text.slice(39990, 40011));
    });
  });

  it('saves and loads a body kept in a file (large bodies), whole and by range, after the first sandbox removed its files', async () => {
    const first = await startSandbox({ stateDir: dir });
    const clients = clientsFor(first.endpoint);
    const data = Buffer.alloc(FILE_BODY_BYTES + 17);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 10)) & 0xff;
    try {
      await clients.s3.send(new CreateBucketCommand({ Bucket: 'inventory' }));
      await clients.s3.send(new PutObjectCommand({ Bucket: 'inventory', Key: 'data/part-0.parquet', Body: data }));
      expect(first.world.s3.version({ bucket: 'inventory', key: 'data/part-0.parquet' }).body.kind).toBe('file');
      await first.save();
    } finally {
      clients.destroy();
      await first.stop();
    }
    await withSandbox({ stateDir: dir }, async (loaded) => {
      const whole = await loaded.s3.send(new GetObjectCommand({ Bucket: 'inventory', Key: 'data/part-0.parquet' }));
      expect(Buffer.from(await whole.Body!.transformToByteArray()).equals(data)).toBe(true);
      const range = await loaded.s3.send(
        new GetObjectCommand({ Bucket: 'inventory', Key: 'data/part-0.parquet', Range: 'bytes=1048570-1048585' }),
      );
      expect(Buffer.from(await range.Body!.transformToByteArray()).equals(data.subarray(1048570, 1048586))).toBe(true);
    });
  });

  it('saves and loads the Glue catalog, which its service attaches to the world', async () => {
    const first = await startSandbox({ stateDir: dir });
    const clients = clientsFor(first.endpoint);
    try {
      await clients.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'kept_db', Description: 'survives a restart' } }));
      await first.save();
    } finally {
      clients.destroy();
      await first.stop();
    }
    await withSandbox({ stateDir: dir }, async (loaded) => {
      expect((await loaded.glue.send(new GetDatabaseCommand({ Name: 'kept_db' }))).Database?.Description).toBe('survives a restart');
    });
  });

  it('refuses state saved under another account id, saying which', async () => {
    const first = await startSandbox({ stateDir: dir, accountId: '111111111111' });
    await first.save();
    await first.stop();
    await expect(startSandbox({ stateDir: dir })).rejects.toThrow(SandboxStateError);
    await expect(startSandbox({ stateDir: dir })).rejects.toThrow('belongs to account 111111111111');
  });

  it('refuses a saved version with a bad field, naming the line and the field', async () => {
    const first = await startSandbox({ stateDir: dir });
    const clients = clientsFor(first.endpoint);
    try {
      await clients.s3.send(new CreateBucketCommand({ Bucket: 'written' }));
      await clients.s3.send(new PutObjectCommand({ Bucket: 'written', Key: 'k', Body: 'bytes' }));
      await first.save();
    } finally {
      clients.destroy();
      await first.stop();
    }
    const file = join(dir, 'versions.jsonl');
    const [line = ''] = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, JSON.stringify({ ...JSON.parse(line), storageClass: 'COLD' }) + '\n');
    await expect(startSandbox({ stateDir: dir })).rejects.toThrow(/version on line 1 of versions.jsonl \(storageClass: .*save it again/);
  });
});
