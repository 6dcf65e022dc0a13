// The direct engine on a world nobody here built: moto 5.2.1, seeded with SSE-S3, other-key and
// unencrypted objects carrying tags, metadata and storage classes. moto has no UpdateObjectEncryption
// (it stores the request as a new version), so the runner must refuse before touching a customer
// object, or, with --update-by-copy, migrate every current version with all of it intact.
import { defined } from '../support/defined';
import { PassThrough } from 'node:stream';
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type StorageClass,
} from '@aws-sdk/client-s3';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import type { AwsClients } from '../../runner/aws/clients';
import { openContext } from '../../runner/context';
import { runMigration } from '../../runner/commands/run';
import { outcomeOf } from './support/runner-output';
import { createOutput } from '../../runner/output';
import { startMoto, type MotoServer } from '../../sandbox';
import { clientsFor } from '../../rehearsal/clients';
import { createMotoStack, type MotoStack } from './support/moto-stack';

const STACK = 'motoworld';
const BUCKET = 'customer-data';
const REPORTS = 'kmsmig-reports';

interface Seeded {
  readonly key: string;
  readonly body: string;
  readonly storageClass: StorageClass;
  readonly tags: Record<string, string>;
  readonly metadata: Record<string, string>;
  readonly contentType: string;
}

const NO_ENTRIES: Record<string, string> = {};

const SEEDS: readonly Seeded[] = Array.from({ length: 18 }, (_, i) => ({
  key: defined([`plain/${i}.csv`, `dir with space/${i} + plus.txt`, `unicode/é-${i}`][i % 3], 'a key'),
  body: `content of object ${i}\n`.repeat(i + 1),
  storageClass: defined((['STANDARD', 'STANDARD_IA', 'ONEZONE_IA'] as const)[i % 3], 'a storage class'),
  tags: i % 2 === 0 ? { team: `t${i}`, 'cost-center': 'cc 1' } : NO_ENTRIES,
  metadata: i % 3 === 0 ? { origin: `etl-${i}` } : NO_ENTRIES,
  contentType: i % 2 === 0 ? 'text/csv' : 'text/plain',
}));

async function seedWorld(c: AwsClients): Promise<MotoStack> {
  return createMotoStack(c, { stack: STACK, bucket: BUCKET, reportsBucket: REPORTS }, async () => {
    const otherKey = (await c.kms.send(new CreateKeyCommand({ Description: 'another team' }))).KeyMetadata!;
    for (const [i, seed] of SEEDS.entries()) {
      // A third unencrypted, a third SSE-S3, a third under another team's key.
      const encryption = [
        {},
        { ServerSideEncryption: 'AES256' as const },
        { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: otherKey.Arn, BucketKeyEnabled: true },
      ][Math.floor(i / 6)];
      await c.s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: seed.key,
          Body: seed.body,
          StorageClass: seed.storageClass,
          ContentType: seed.contentType,
          Metadata: seed.metadata,
          ...(Object.keys(seed.tags).length ? { Tagging: new URLSearchParams(seed.tags).toString() } : {}),
          ...encryption,
        }),
      );
    }
  });
}

async function versionsOf(c: AwsClients): Promise<string[]> {
  const out = await c.s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET }));
  return (out.Versions ?? []).map((v) => `${v.Key}@${v.VersionId}`).sort();
}

describe('the direct engine against moto 5.2.1', () => {
  let moto: MotoServer;
  let clients: AwsClients;
  let world: MotoStack;
  let lastOutput = '';
  const run = async (updateByCopy: boolean) => {
    const ctx = openContext({ stack: STACK, outputsFile: world.outputsFile, json: true }, clients);
    const stream = new PassThrough();
    lastOutput = '';
    stream.on('data', (chunk: Buffer) => (lastOutput += chunk.toString('utf8')));
    return outcomeOf(
      runMigration(
        ctx,
        { engine: 'direct', direct: { fromListing: true, updateByCopy, concurrency: 4 } },
        createOutput({ json: true, stream }),
      ),
    );
  };

  beforeAll(async () => {
    moto = await startMoto();
    clients = clientsFor(moto.endpoint, 3);
    world = await seedWorld(clients);
  });
  afterAll(async () => {
    clients?.destroy();
    await moto?.stop();
    world?.cleanup();
  });

  it('refuses in preflight (exit 4) before touching a customer object, saying what UpdateObjectEncryption did', async () => {
    const before = await versionsOf(clients);
    const result = await run(false);
    expect(result.code).toBe(4);
    expect(result.message).toMatch(/update-encryption on the canary .* answered success but the answer names version \S+, not the version/);
    expect(result.message).toContain('--update-by-copy');
    expect(await versionsOf(clients)).toEqual(before);
  });

  it('with --update-by-copy migrates every current version with its content, tags, metadata and storage class', async () => {
    expect(await run(true)).toEqual({ code: 0, message: '' });
    const keyId = world.keyArn.split('/').pop();
    for (const seed of SEEDS) {
      const head = await clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: seed.key }));
      const tags = await clients.s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: seed.key }));
      const body = await (await clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: seed.key }))).Body!.transformToString();
      expect({
        key: seed.key,
        sse: head.ServerSideEncryption,
        keyOk: head.SSEKMSKeyId === world.keyArn || head.SSEKMSKeyId === keyId,
        bucketKey: head.BucketKeyEnabled,
        body,
        storageClass: head.StorageClass ?? 'STANDARD',
        contentType: head.ContentType,
        metadata: head.Metadata,
        tags: Object.fromEntries((tags.TagSet ?? []).map((t) => [t.Key, t.Value])),
      }).toEqual({
        key: seed.key,
        sse: 'aws:kms',
        keyOk: true,
        bucketKey: true,
        body: seed.body,
        storageClass: seed.storageClass,
        contentType: seed.contentType,
        metadata: seed.metadata,
        tags: seed.tags,
      });
    }
  });

  it('finds that moto ignores copy conditions, says so, and copies nothing more when run again', async () => {
    const before = await versionsOf(clients);
    expect(await run(true)).toEqual({ code: 0, message: '' });
    const probe = lastOutput
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; kind?: string; conditions?: { honoured: boolean; problems: string[] } })
      .find((r) => r.type === 'write-probe' && r.kind === 'copy-in-place');
    expect(probe?.conditions?.honoured).toBe(false);
    expect(probe?.conditions?.problems.join('\n')).toMatch(/was written as version/);
    expect(await versionsOf(clients)).toEqual(before);
  });
});
