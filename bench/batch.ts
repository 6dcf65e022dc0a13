// Bench part 2: the batch engine (`migrate run`) at growing object counts. The sandbox runs in a
// separate world-server process; the runner runs alone in a probed child, so its RSS is its own.
import * as os from 'node:os';
import { runRunner, startWorld, worldHeapMiB, worldOffHeapMiB } from './lib/child';
import type { BatchSize } from './lib/growth';
import { callsByOperation, runPhases, type RunPhases } from './lib/phases';
import { mib } from './lib/time-output';
import type { ProbeResult } from './probe/runner-child';
import type { WorldReady } from './world-server';

export interface BatchResult {
  readonly versions: number;
  /** Plan and manifests only: the jobs were created waiting for confirmation and never ran. */
  readonly planOnly?: boolean;
  readonly runnerExit: number;
  readonly runnerWallSeconds: number;
  readonly runnerPeakRssMiB: number;
  /** Bytes the runner's sockets read and wrote (HTTP headers and bodies). */
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** Phase wall times in seconds. */
  readonly phases: { readonly [K in keyof RunPhases]: number };
  /** SDK calls the runner made, per service:Operation (SDK retries are one call). */
  readonly apiCalls: Readonly<Record<string, number>>;
  /** Requests the sandbox served during the run, including Batch Operations' own KMS calls. */
  readonly sandboxRequests: Readonly<Record<string, number>>;
  readonly sandboxPeakRssMiB: number;
  /** The sandbox Athena's own engine time over the run's queries (plan and manifests), in seconds: what the runner waited for, without its poll intervals. */
  readonly sandboxAthenaSeconds: number;
  readonly sandboxAthenaQueries: number;
  /** CPU seconds the sandbox process used while those queries ran (DuckDB's threads included; a job running meanwhile too). */
  readonly sandboxAthenaCpuSeconds?: number;
  /** Data files the run's UNLOADs wrote (the runner reads each once for its MD5). */
  readonly sandboxUnloadFiles?: number;
  /** Data files of the inventory report the run planned from (the runner reads each once for its MD5). */
  readonly inventoryFiles?: number;
  readonly sandboxSetupSeconds: number;
  /** Seeding the world, the first part of setup. */
  readonly sandboxSeedSeconds: number;
  readonly command: string;
}

interface WorldStats {
  readonly stats: {
    byOperation: Record<string, number>;
    total: number;
    rssKiB: number;
    maxRssKiB: number;
    athena: { queries: number; engineMillis: number; processCpuMillis?: number; unloadFiles?: number };
  };
}

/** Polling operations: their count follows how long jobs and queries run, not the object count. */
export const POLLING_OPERATIONS: readonly string[] = ['s3control:DescribeJob', 'athena:GetQueryExecution'];

/** Why this machine cannot hold a world of this size, or undefined when it can. */
export function worldOutOfReach(versions: number, totalMemoryBytes = os.totalmem()): string | undefined {
  const heapMiB = worldHeapMiB(versions);
  const offHeapMiB = worldOffHeapMiB(versions);
  // The rest of the machine: the runner (about 200 MiB), DuckDB (512 MB a query), the OS and other work.
  const availableMiB = totalMemoryBytes / 1024 ** 2 - 2048;
  if (heapMiB + offHeapMiB <= availableMiB) return undefined;
  const mib = (n: number) => Math.round(n).toLocaleString('en-US');
  return (
    `not run: a world of ${versions.toLocaleString('en-US')} versions needs ${mib(heapMiB)} MiB of heap and ${mib(offHeapMiB)} MiB outside it ` +
    `(bench/lib/child.ts worldHeapMiB, worldOffHeapMiB); ` +
    `this machine has ${mib(totalMemoryBytes / 1024 ** 2)} MiB, of which the bench leaves 2,048 to the rest`
  );
}

export async function benchBatch(size: BatchSize, log: (line: string) => void): Promise<BatchResult> {
  const { versions, planOnly } = size;
  log(`batch: seeding ${versions.toLocaleString('en-US')} versions in the world server${planOnly ? ' (plan and manifests only)' : ''}...`);
  const world = await startWorld<WorldReady>(
    ['--mode', 'batch', '--versions', String(versions), '--versions-per-key', '2'],
    60 * 60_000,
    worldHeapMiB(versions),
  );
  try {
    // Plan only: the jobs are created waiting for confirmation, and the runner returns without
    // following them (exit 10), so nothing the jobs do is measured or held in memory.
    const argv = [
      'run',
      '--stack',
      world.ready.stack,
      '--outputs-file',
      world.ready.outputsFile,
      ...(planOnly ? ['--no-follow', '--confirmation-required'] : []),
    ];
    log(`batch: running the runner on ${world.ready.endpoint}...`);
    const { time, probe } = await runRunner<ProbeResult>(argv, world.ready.endpoint, 30 * 60_000);
    const { stats } = await world.ask<WorldStats>('stats');
    const phases = runPhases(probe.calls, probe.wallMs);
    const seconds = Object.fromEntries(Object.entries(phases).map(([k, ms]) => [k, Math.round(ms / 10) / 100])) as BatchResult['phases'];
    return {
      versions: world.ready.versions,
      ...(planOnly ? { planOnly } : {}),
      runnerExit: time.exitCode,
      runnerWallSeconds: time.wallSeconds,
      runnerPeakRssMiB: mib(time.maxRssKiB),
      bytesRead: probe.bytesRead,
      bytesWritten: probe.bytesWritten,
      phases: seconds,
      apiCalls: callsByOperation(probe.calls),
      sandboxRequests: stats.byOperation,
      sandboxPeakRssMiB: mib(stats.maxRssKiB),
      sandboxAthenaSeconds: Math.round(stats.athena.engineMillis / 10) / 100,
      sandboxAthenaQueries: stats.athena.queries,
      ...(stats.athena.processCpuMillis !== undefined
        ? { sandboxAthenaCpuSeconds: Math.round(stats.athena.processCpuMillis / 10) / 100 }
        : {}),
      ...(stats.athena.unloadFiles !== undefined ? { sandboxUnloadFiles: stats.athena.unloadFiles } : {}),
      sandboxSetupSeconds: world.ready.setupSeconds,
      sandboxSeedSeconds: world.ready.seedSeconds,
      inventoryFiles: world.ready.inventoryFiles,
      command: `npm run bench -- --parts batch --sizes ${versions}${planOnly ? ':plan' : ''}`,
    };
  } finally {
    await world.stop();
  }
}
