// Bench part 4: the direct engine against `aws s3 cp --recursive --sse aws:kms` on moto, an emulator
// nobody here wrote. Each row gets a fresh moto with the same world; both sides talk to it through
// one counting proxy (lib/counting-proxy.ts), so their requests are counted alike, on the wire.
import { spawnSync } from 'node:child_process';
import { createAwsClients, type AwsClients } from '../runner/aws/clients';
import { startMoto } from '../sandbox';
import { createMotoStack, type MotoStack } from '../test/runner/support/moto-stack';
import { runRunner } from './lib/child';
import { timedCliCopyInPlace } from './lib/aws-cli';
import { startCountingProxy, type CountingProxy } from './lib/counting-proxy';
import { checkSample, snapshotSample, type Preservation } from './lib/preservation';
import { processFigures } from './lib/time-output';
import {
  MOTO_BENCH_BUCKET,
  MOTO_BENCH_STACK,
  motoWorldObjects,
  noncurrentStillSseS3,
  seedMotoWorld,
  type SeededMotoWorld,
} from './moto-world';
import type { ProbeResult } from './probe/runner-child';

export interface MotoRun {
  readonly engine: 'direct' | 'aws-cli';
  readonly concurrency: number;
  /** Current objects in the world: what objects/s counts. */
  readonly currentObjects: number;
  /** Noncurrent SSE-S3 versions seeded under a quarter of the keys. */
  readonly noncurrentSeeded: number;
  readonly exitCode: number;
  readonly wallSeconds: number;
  readonly objectsPerSecond: number;
  readonly peakRssMiB: number;
  /** Requests that crossed the proxy during the run, per `service:Operation`. */
  readonly requests: Readonly<Record<string, number>>;
  /** All counted requests over current objects. */
  readonly requestsPerObject: number;
  readonly preserved: Preservation;
  /** The seeded noncurrent versions afterwards, read back one by one. */
  readonly noncurrentAfter: { readonly stillSseS3: number; readonly onKey: number; readonly gone: number };
  /** The runner's own tally of what it did per version (its last progress line). */
  readonly runnerOutcomes?: Readonly<Record<string, number>>;
  readonly command: string;
  readonly error?: string;
}

/** The write path the runner chose on moto, found by running it once without a choice. */
export interface MotoPath {
  readonly flags: readonly string[];
  readonly note: string;
}

const SAMPLE = 100;
const CREDENTIALS = { accessKeyId: 'AKIDSANDBOXBENCH', secretAccessKey: 'sandbox-bench-secret' } as const;

interface MotoWorld {
  readonly stack: MotoStack;
  readonly seeded: SeededMotoWorld;
  readonly proxy: CountingProxy;
  readonly clients: AwsClients;
}

/** moto's version, checked before the bench starts, so a machine without it fails at once, not after the other parts. */
export function requireMoto(): string {
  const check = spawnSync('python3', ['-c', 'import moto, moto.server; print(moto.__version__)'], { encoding: 'utf8', timeout: 60_000 });
  if (check.error || check.status !== 0) {
    throw new Error(
      `bench part 4 needs Python 3 with moto's server (pip install 'moto[server]==5.2.1'); skip it with --parts synth,batch,direct,sandbox. ${check.error?.message ?? check.stderr.trim().split('\n').pop()}`,
    );
  }
  return `moto ${check.stdout.trim()}`;
}

function clientsAt(endpoint: string): AwsClients {
  return createAwsClients({ region: 'us-east-1', endpoint, credentials: CREDENTIALS, maxAttempts: 3, env: {} });
}

async function withFreshMoto<T>(objects: number, work: (world: MotoWorld) => Promise<T>): Promise<T> {
  const moto = await startMoto({ timeoutMs: 60_000 });
  // Seeding and read-backs go to moto directly: only the measured run crosses the proxy.
  const clients = clientsAt(moto.endpoint);
  let stack: MotoStack | undefined;
  let proxy: CountingProxy | undefined;
  try {
    let seeded: SeededMotoWorld | undefined;
    stack = await createMotoStack(clients, { stack: MOTO_BENCH_STACK, bucket: MOTO_BENCH_BUCKET }, async () => {
      seeded = await seedMotoWorld(clients.s3, MOTO_BENCH_BUCKET, motoWorldObjects(objects));
    });
    proxy = await startCountingProxy(moto.endpoint);
    return await work({ stack, seeded: seeded!, proxy, clients });
  } finally {
    clients.destroy();
    await proxy?.stop();
    stack?.cleanup();
    await moto.stop();
  }
}

function runnerArgv(stack: MotoStack, concurrency: number, flags: readonly string[]): string[] {
  return [
    'run',
    '--engine',
    'direct',
    '--from-listing',
    ...flags,
    '--concurrency',
    String(concurrency),
    '--stack',
    stack.stack,
    '--outputs-file',
    stack.outputsFile,
  ];
}

/** The last `direct-progress` JSON line's outcomes: what the runner says it did. */
export function lastOutcomes(stdout: string): Record<string, number> | undefined {
  let outcomes: Record<string, number> | undefined;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const event = JSON.parse(line) as { type?: string; outcomes?: Record<string, number> };
      if (event.type === 'direct-progress' && event.outcomes) outcomes = event.outcomes;
    } catch {
      // Not a JSON line.
    }
  }
  return outcomes;
}

/**
 * Runs the runner once on a small fresh moto with no write-path flag. moto stores UpdateObjectEncryption
 * as a new version; today the write probe refuses with exit 4 and names `--update-by-copy`, which the
 * rows then pass. A runner that chooses a path by itself (exit 0) runs the rows without a flag.
 */
export async function findMotoPath(log: (line: string) => void): Promise<MotoPath> {
  log('moto: finding the write path the runner takes on moto (one run without --update-by-copy)...');
  return withFreshMoto(40, async (world) => {
    const { time } = await runRunner<ProbeResult>(runnerArgv(world.stack, 4, []), world.proxy.endpoint, 10 * 60_000);
    const said = `${time.stdout}\n${time.stderr}`;
    if (time.exitCode === 0)
      return { flags: [], note: 'Without a flag the runner migrated moto by itself (exit 0): the rows pass no write-path flag.' };
    if (time.exitCode === 4 && said.includes('--update-by-copy')) {
      const reason = /update-encryption on the canary[^\n"]*?answered success but ([^:\n"]+)/.exec(said)?.[1];
      return {
        flags: ['--update-by-copy'],
        note: `Without a flag the runner refused moto in preflight (exit 4, its write probe: UpdateObjectEncryption answered success but ${reason ?? 'did not do what AWS documents'}) and named \`--update-by-copy\`, which every runner row passes.`,
      };
    }
    throw new Error(
      `the runner on moto without a write-path flag exited ${time.exitCode}, neither migrating nor naming --update-by-copy: ${said.slice(-1500)}`,
    );
  });
}

async function measured(
  world: MotoWorld,
  concurrency: number,
  run: () => Promise<
    Omit<
      MotoRun,
      'currentObjects' | 'noncurrentSeeded' | 'requests' | 'requestsPerObject' | 'preserved' | 'noncurrentAfter' | 'concurrency'
    >
  >,
): Promise<MotoRun> {
  const { s3 } = world.clients;
  const current = world.seeded.currentObjects;
  const before = await snapshotSample(s3, MOTO_BENCH_BUCKET, SAMPLE, Math.max(1, Math.floor(current / SAMPLE)));
  world.proxy.reset();
  const result = await run();
  const requests = world.proxy.counts();
  const total = Object.values(requests).reduce((a, n) => a + n, 0);
  const preserved = await checkSample(s3, MOTO_BENCH_BUCKET, before, world.stack.keyArn);
  const noncurrentAfter = await noncurrentStillSseS3(s3, MOTO_BENCH_BUCKET, world.seeded.noncurrent);
  return {
    ...result,
    concurrency,
    currentObjects: current,
    noncurrentSeeded: world.seeded.noncurrent.length,
    requests,
    requestsPerObject: Math.round((total / current) * 100) / 100,
    preserved,
    noncurrentAfter,
  };
}

export async function benchMotoRunner(objects: number, concurrency: number, path: MotoPath, log: (line: string) => void): Promise<MotoRun> {
  log(
    `moto: direct engine (--from-listing ${path.flags.join(' ')}) at concurrency ${concurrency} on ${objects.toLocaleString('en-US')} current objects...`,
  );
  return withFreshMoto(objects, (world) =>
    measured(world, concurrency, async () => {
      const { time, probe } = await runRunner<ProbeResult>(
        runnerArgv(world.stack, concurrency, path.flags),
        world.proxy.endpoint,
        30 * 60_000,
      );
      const outcomes = lastOutcomes(time.stdout);
      return {
        engine: 'direct',
        ...processFigures(time, objects, 1),
        ...(outcomes ? { runnerOutcomes: outcomes } : {}),
        command: `npm run bench -- --parts moto --moto-concurrency ${concurrency} --moto-objects ${objects}`,
        ...(probe.exitCode !== 0 ? { error: time.stderr.slice(-500) } : {}),
      };
    }),
  );
}

export async function benchMotoCli(objects: number, concurrency: number, log: (line: string) => void): Promise<MotoRun> {
  log(`moto: aws s3 cp --recursive at concurrency ${concurrency} on ${objects.toLocaleString('en-US')} current objects...`);
  return withFreshMoto(objects, (world) =>
    measured(world, concurrency, async () => {
      const { time, command } = await timedCliCopyInPlace({
        bucket: MOTO_BENCH_BUCKET,
        keyArn: world.stack.keyArn,
        endpoint: world.proxy.endpoint,
        endpointName: 'moto',
        credentials: CREDENTIALS,
        concurrency,
      });
      return {
        engine: 'aws-cli',
        ...processFigures(time, objects, 1),
        command,
        ...(time.exitCode !== 0 ? { error: time.stderr.slice(-500) } : {}),
      };
    }),
  );
}
