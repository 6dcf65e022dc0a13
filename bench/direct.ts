// Bench part 3: the direct engine (`migrate run --engine direct --concurrency N`) against the AWS
// CLI's `aws s3 cp --recursive --sse aws:kms` at the same concurrency, each on a fresh identical
// world in its own sandbox process, with what each kept checked object by object on a sample.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clientsFor } from '../rehearsal/clients';
import { ROOT, runRunner, startWorld, worldHeapMiB, type WorldProcess } from './lib/child';
import { timedCliCopyInPlace } from './lib/aws-cli';
import { checkSample, snapshotSample, type Preservation } from './lib/preservation';
import { processFigures } from './lib/time-output';
import type { ProbeResult } from './probe/runner-child';
import type { WorldReady } from './world-server';

export interface EngineRun {
  /** direct: from the inventory; direct-listing: `--from-listing`. */
  readonly engine: 'direct' | 'direct-listing' | 'aws-cli';
  readonly concurrency: number;
  readonly objects: number;
  readonly exitCode: number;
  readonly wallSeconds: number;
  readonly objectsPerSecond: number;
  readonly peakRssMiB: number;
  readonly requests: Readonly<Record<string, number>>;
  readonly preserved: Preservation;
  readonly command: string;
  readonly error?: string;
}

const SAMPLE = 200;

interface WorldStats {
  readonly stats: { byOperation: Record<string, number> };
}

/** True when the direct engine is in this tree; on a checkout without it, only the AWS CLI baseline runs. */
export function directEngineAvailable(): boolean {
  return fs.existsSync(path.join(ROOT, 'runner/engine/direct.ts'));
}

async function onFreshWorld(
  objects: number,
  work: (world: WorldProcess<WorldReady>) => Promise<Omit<EngineRun, 'preserved' | 'requests' | 'objects'>>,
): Promise<EngineRun> {
  const world = await startWorld<WorldReady>(['--mode', 'direct', '--versions', String(objects)], 10 * 60_000, worldHeapMiB(objects));
  const clients = clientsFor(world.ready.endpoint, 3);
  try {
    const before = await snapshotSample(clients.s3, world.ready.bucket, SAMPLE, Math.max(1, Math.floor(objects / SAMPLE)));
    await world.ask('reset');
    const run = await work(world);
    const { stats } = await world.ask<WorldStats>('stats');
    const preserved = await checkSample(clients.s3, world.ready.bucket, before, world.ready.kmsKeyArn);
    return { ...run, objects: world.ready.versions, requests: stats.byOperation, preserved };
  } finally {
    clients.destroy();
    await world.stop();
  }
}

/** S3 requests per object, listing pages (ListObjectVersions) aside: what the request-count targets measure. */
export function s3RequestsPerObject(run: Pick<EngineRun, 'requests' | 'objects'>): number {
  const requests = Object.entries(run.requests)
    .filter(([op]) => op.startsWith('s3:') && op !== 's3:ListObjectVersions')
    .reduce((a, [, n]) => a + n, 0);
  return run.objects > 0 ? Math.round((requests / run.objects) * 1000) / 1000 : Number.NaN;
}

export async function benchDirectEngine(
  objects: number,
  concurrency: number,
  log: (line: string) => void,
  fromListing = false,
): Promise<EngineRun> {
  log(
    `direct: direct engine${fromListing ? ' --from-listing' : ''} at concurrency ${concurrency} on ${objects.toLocaleString('en-US')} objects...`,
  );
  return onFreshWorld(objects, async (world) => {
    const argv = [
      'run',
      '--engine',
      'direct',
      ...(fromListing ? ['--from-listing'] : []),
      '--concurrency',
      String(concurrency),
      '--stack',
      world.ready.stack,
      '--outputs-file',
      world.ready.outputsFile,
    ];
    const { time, probe } = await runRunner<ProbeResult>(argv, world.ready.endpoint, 30 * 60_000);
    return {
      engine: fromListing ? 'direct-listing' : 'direct',
      concurrency,
      ...processFigures(time, objects),
      command: `npm run bench -- --parts direct --concurrency ${concurrency} --direct-objects ${objects}${fromListing ? ' --direct-sources listing' : ''}`,
      ...(probe.exitCode !== 0 && probe.exitCode !== 20 ? { error: time.stderr.slice(-500) } : {}),
    };
  });
}

export async function benchAwsCli(objects: number, concurrency: number, log: (line: string) => void): Promise<EngineRun> {
  log(`direct: aws s3 cp --recursive at concurrency ${concurrency} on ${objects.toLocaleString('en-US')} objects...`);
  return onFreshWorld(objects, async (world) => {
    const { time, command } = await timedCliCopyInPlace({
      bucket: world.ready.bucket,
      keyArn: world.ready.kmsKeyArn,
      endpoint: world.ready.endpoint,
      endpointName: 'sandbox',
      credentials: { accessKeyId: 'AKIDSANDBOXBENCH', secretAccessKey: 'sandbox-bench-secret' },
      concurrency,
    });
    return {
      engine: 'aws-cli',
      concurrency,
      ...processFigures(time, objects),
      command,
      ...(time.exitCode !== 0 ? { error: time.stderr.slice(-500) } : {}),
    };
  });
}
