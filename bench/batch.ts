// Bench part 2: the batch engine (`migrate run`) at growing object counts. The sandbox runs in a
// separate world-server process; the runner runs alone in a probed child, so its RSS is its own.
import { runRunner, startWorld, worldHeapMiB } from './lib/child';
import { callsByOperation, runPhases, type RunPhases } from './lib/phases';
import { mib } from './lib/time-output';
import type { ProbeResult } from './probe/runner-child';
import type { WorldReady } from './world-server';

export interface BatchResult {
  readonly versions: number;
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
  readonly sandboxSetupSeconds: number;
  readonly command: string;
}

interface WorldStats {
  readonly stats: {
    byOperation: Record<string, number>;
    total: number;
    rssKiB: number;
    maxRssKiB: number;
    athena: { queries: number; engineMillis: number };
  };
}

/** Polling operations: their count follows how long jobs and queries run, not the object count. */
export const POLLING_OPERATIONS: readonly string[] = ['s3control:DescribeJob', 'athena:GetQueryExecution'];

export async function benchBatch(versions: number, log: (line: string) => void): Promise<BatchResult> {
  log(`batch: seeding ${versions.toLocaleString('en-US')} versions in the world server...`);
  const world = await startWorld<WorldReady>(
    ['--mode', 'batch', '--versions', String(versions), '--versions-per-key', '2'],
    60 * 60_000,
    worldHeapMiB(versions),
  );
  try {
    const argv = ['run', '--stack', world.ready.stack, '--outputs-file', world.ready.outputsFile];
    log(`batch: running the runner on ${world.ready.endpoint}...`);
    const { time, probe } = await runRunner<ProbeResult>(argv, world.ready.endpoint, 30 * 60_000);
    const { stats } = await world.ask<WorldStats>('stats');
    const phases = runPhases(probe.calls, probe.wallMs);
    const seconds = Object.fromEntries(Object.entries(phases).map(([k, ms]) => [k, Math.round(ms / 10) / 100])) as BatchResult['phases'];
    return {
      versions: world.ready.versions,
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
      sandboxSetupSeconds: world.ready.setupSeconds,
      command: `npm run bench -- --parts batch --sizes ${versions}`,
    };
  } finally {
    await world.stop();
  }
}
