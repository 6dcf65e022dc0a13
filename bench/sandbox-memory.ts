// Benchmark (not a test): seeds 1,000,000 object versions into a sandbox world and prints heap
// and RSS, against the sandbox's target of one million versions in under 1 GiB.
// Run: npm run bench:sandbox  (or npx tsx bench/sandbox-memory.ts [versions])
import { seedWorld, SandboxWorld } from '../sandbox';

const TARGET_BYTES = 1024 ** 3;
const versions = Number(process.argv[2] ?? 1_000_000);

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

function settledMemory(): NodeJS.MemoryUsage {
  // Collect garbage first when node runs with --expose-gc, so the numbers are what stays alive.
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage();
}

const before = settledMemory();
const started = process.hrtime.bigint();
const world = new SandboxWorld();
const summary = seedWorld(world, {
  seed: 42,
  buckets: [
    {
      name: 'bench-bucket',
      versions,
      versionsPerKey: 3,
      encryption: { 'NOT-SSE': 2, 'SSE-S3': 5, 'SSE-KMS': 2, 'DSSE-KMS': 0.5, 'SSE-C': 0.5 },
      storageClasses: { STANDARD: 6, STANDARD_IA: 2, GLACIER: 1, DEEP_ARCHIVE: 1 },
      overFiveGbRate: 0.001,
      deleteMarkerRate: 0.05,
    },
  ],
});
// Listing builds the sorted key index: part of the steady state of a served world.
const firstPage = world.s3.listVersions('bench-bucket', { maxKeys: 1000 });
const seededMs = Number(process.hrtime.bigint() - started) / 1e6;
const after = settledMemory();
const heapUsed = after.heapUsed - before.heapUsed;

const report = {
  versions: summary.buckets[0]!.versions,
  keys: summary.buckets[0]!.keys,
  firstPageEntries: firstPage.entries.length,
  seedSeconds: +(seededMs / 1000).toFixed(2),
  heapUsed: mib(heapUsed),
  rss: mib(after.rss),
  bytesPerVersion: Math.round(heapUsed / summary.buckets[0]!.versions),
  gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  targetMet: after.rss < TARGET_BYTES,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
if (!report.targetMet) process.exitCode = 1;
