// Bench world server: a sandbox in its own process (so the runner's RSS is measured alone), seeded,
// with the bench stack applied and inventory delivered. Prints one JSON line when ready, then
// answers `stats` and `reset` lines (one JSON line each) and `quit` on stdin; exits when stdin closes (its parent died).
// Run: npx tsx bench/world-server.ts --versions 10000 [--versions-per-key 2] [--mode batch|direct]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Testing } from 'cdktf';
import { parseConfig } from '../stacks/config';
import { MigrationStack } from '../stacks/migration-stack';
import { INVENTORY_CONFIG_ID } from '../stacks/outputs';
import { startSandbox, type SeedBucketSpec, produceInventory, meterRequests } from '../sandbox';
import { clientsFor } from '../rehearsal/clients';
import { applyToSandbox, writeOutputsFile } from '../rehearsal/terraform/apply';
import { runnerPrincipalArn } from '../rehearsal/identity';
import type { SynthesizedStack } from '../rehearsal/terraform/plan';

export const BENCH_STACK = 'bench';
export const BENCH_BUCKET = 'bench-data';

export type WorldMode = 'batch' | 'direct';

/** What the server prints once it is ready; the bench parent reads it. */
export interface WorldReady {
  readonly ready: true;
  readonly endpoint: string;
  readonly outputsFile: string;
  readonly stack: string;
  readonly bucket: string;
  readonly kmsKeyArn: string;
  readonly versions: number;
  readonly keys: number;
  readonly seedSeconds: number;
  readonly setupSeconds: number;
  /** Data files of the delivered inventory report (the runner reads each once for its MD5). */
  readonly inventoryFiles: number;
}

/**
 * Batch world: SSE-S3 and NOT-SSE versions in STANDARD, so the plan is always the same two jobs
 * (UpdateObjectEncryption, copy STANDARD) and only the object count changes between sizes.
 * Direct world: small current objects only (the CLI copies current versions), the demo's mix of
 * encryption states, storage classes the CLI can copy, and half of them with tags and metadata.
 */
export function worldSpec(mode: WorldMode, versions: number, versionsPerKey: number): SeedBucketSpec {
  if (mode === 'batch') {
    return {
      name: BENCH_BUCKET,
      versions,
      versionsPerKey,
      versioning: 'Enabled',
      encryption: { 'SSE-S3': 3, 'NOT-SSE': 1 },
      storageClasses: { STANDARD: 1 },
    };
  }
  return {
    name: BENCH_BUCKET,
    versions,
    versionsPerKey: 1,
    versioning: 'Enabled',
    encryption: { 'SSE-S3': 5, 'NOT-SSE': 3 },
    storageClasses: { STANDARD: 6, STANDARD_IA: 2, GLACIER_IR: 1 },
    sizes: { min: 64, max: 4096 },
    tagRate: 0.5,
    metadataRate: 0.5,
  };
}

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function rssKiB(): { rssKiB: number; maxRssKiB: number } {
  return { rssKiB: Math.round(process.memoryUsage().rss / 1024), maxRssKiB: process.resourceUsage().maxRSS };
}

/**
 * With `BENCH_TRACE=<dir>`, writes `world-trace.jsonl` there: the process's memory every second and
 * each request's method and path as it arrives, to see what the sandbox holds when and which reads
 * the runner makes. Off by default: the bench's figures are taken without it.
 */
function traceWorld(sandbox: Awaited<ReturnType<typeof startSandbox>>, started: number): void {
  const dir = process.env.BENCH_TRACE;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  const out = fs.createWriteStream(path.join(path.resolve(dir), 'world-trace.jsonl'));
  const t = () => Math.round(performance.now() - started);
  const mib = (n: number) => Math.round(n / 1_048_576);
  const sample = () => {
    const m = process.memoryUsage();
    out.write(
      `${JSON.stringify({ t: t(), rss: mib(m.rss), heapUsed: mib(m.heapUsed), external: mib(m.external), arrayBuffers: mib(m.arrayBuffers) })}\n`,
    );
  };
  sample();
  setInterval(sample, 1000).unref();
  const route = sandbox.registry.route.bind(sandbox.registry);
  sandbox.registry.route = (request) => {
    out.write(
      `${JSON.stringify({ t: t(), request: `${request.method} ${request.rawPath}${request.target ? ` ${request.target}` : ''}` })}\n`,
    );
    return route(request);
  };
}

async function serve(): Promise<void> {
  const mode = flag('mode', 'batch') as WorldMode;
  const versions = Number(flag('versions', '10000'));
  const versionsPerKey = Number(flag('versions-per-key', '2'));
  if (mode !== 'batch' && mode !== 'direct') throw new RangeError(`--mode must be batch or direct. Received: ${String(mode)}`);
  if (!Number.isInteger(versions) || versions < 1)
    throw new RangeError(`--versions must be a positive whole number. Received: ${versions}`);

  const started = performance.now();
  const raw = JSON.parse(fs.readFileSync(path.join(__dirname, '../stacks/environments/demo.json'), 'utf8')) as Record<string, unknown>;
  const config = parseConfig(BENCH_STACK, { ...raw, buckets: [{ name: BENCH_BUCKET }] });
  const sandbox = await startSandbox({
    seed: { seed: 8, buckets: [worldSpec(mode, versions, versionsPerKey)] },
    defaultPrincipalArn: runnerPrincipalArn(config.key.users),
  });
  const seedSeconds = (performance.now() - started) / 1000;
  traceWorld(sandbox, started);
  const meter = meterRequests(sandbox);
  // Tasks finish as fast as the sandbox can run them: the bench measures the runner, not S3's pace.
  sandbox.batchOperations.setTaskRate(10_000_000);
  const clients = clientsFor(sandbox.endpoint, 3);
  const synthesized = JSON.parse(Testing.synth(new MigrationStack(Testing.app(), config))) as SynthesizedStack;
  const applied = await applyToSandbox(synthesized, sandbox, clients);
  clients.destroy();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-world-'));
  const outputsFile = path.join(dir, 'outputs.json');
  writeOutputsFile(outputsFile, BENCH_STACK, applied.outputs);
  // S3 delivers at whole hours: the Glue tables project dt hourly.
  const inventory = await produceInventory(sandbox.world, {
    bucket: BENCH_BUCKET,
    configId: INVENTORY_CONFIG_ID,
    at: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000),
  });
  meter.reset();
  const summary = sandbox.seedSummary!.buckets[0]!;
  const ready: WorldReady = {
    ready: true,
    endpoint: sandbox.endpoint,
    outputsFile,
    stack: BENCH_STACK,
    bucket: BENCH_BUCKET,
    kmsKeyArn: String(applied.outputs.kms_key_arn),
    versions: summary.versions,
    keys: summary.keys,
    seedSeconds: Math.round(seedSeconds * 100) / 100,
    setupSeconds: Math.round(((performance.now() - started) / 1000) * 100) / 100,
    inventoryFiles: inventory.dataKeys.length,
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);

  const stop = async () => {
    await sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const command = line.trim();
    if (command === 'stats')
      process.stdout.write(`${JSON.stringify({ stats: { ...meter.counts(), ...rssKiB(), athena: sandbox.athena.engineStatistics() } })}\n`);
    else if (command === 'reset') {
      meter.reset();
      process.stdout.write(`${JSON.stringify({ reset: true })}\n`);
    } else if (command === 'quit') void stop();
  });
  lines.on('close', () => void stop());
  // Killed politely (Ctrl-C, a stopped bench): stop the sandbox too, so its body files go with it.
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (require.main === module) {
  serve().catch((error: Error) => {
    process.stderr.write(`bench world server failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
