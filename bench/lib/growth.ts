// Growth of the batch bench's figures between two sizes of one run: pure, so it is unit-tested on
// hand-written results. Linear growth means each figure grows at most by a little more than the
// versions do (12x for 10x the versions).
import type { RunPhases } from './phases';

/** A batch size of the bench: `N` runs the whole migration, `N:plan` only plan and manifests (jobs created, never run). */
export interface BatchSize {
  readonly versions: number;
  readonly planOnly: boolean;
}

/** Parses `--sizes`: comma-separated whole numbers from 1 to `max`, each optionally `:plan`. */
export function parseBatchSizes(value: string, max: number): BatchSize[] {
  return value.split(',').map((entry) => {
    const match = /^\s*(\d+)(:plan)?\s*$/.exec(entry);
    const versions = match ? Number(match[1]) : Number.NaN;
    if (!match || !Number.isSafeInteger(versions) || versions < 1 || versions > max)
      throw new RangeError(`--sizes takes whole numbers from 1 to ${max}, each optionally :plan, comma-separated. Received: ${value}`);
    return { versions, planOnly: match[2] !== undefined };
  });
}

/** The growth one run may show for 10x the versions and still count as linear. */
export const LINEAR_GROWTH_LIMIT = 12;

export interface Figure {
  readonly name: string;
  readonly small: number;
  readonly large: number;
}

export interface Growth extends Figure {
  /** large / small, two decimals; NaN when small is zero. */
  readonly ratio: number;
  /** The ratio allowed for this pair of sizes: LINEAR_GROWTH_LIMIT scaled to their proportion. */
  readonly limit: number;
  readonly status: 'PASS' | 'MISS';
}

/**
 * Each figure's growth from `smallVersions` to `largeVersions`, held to 12x per 10x the versions
 * (scaled for other proportions). A figure at zero in the small run cannot grow linearly from it,
 * so it is a MISS unless it is zero in the large run too.
 */
export function growth(smallVersions: number, largeVersions: number, figures: readonly Figure[]): Growth[] {
  const limit = Math.round(((LINEAR_GROWTH_LIMIT * largeVersions) / (10 * smallVersions)) * 100) / 100;
  return figures.map((f) => {
    const ratio = f.small === 0 ? (f.large === 0 ? 1 : Number.NaN) : Math.round((f.large / f.small) * 100) / 100;
    return { ...f, ratio, limit, status: Number.isFinite(ratio) && ratio <= limit ? 'PASS' : 'MISS' };
  });
}

/**
 * Operations whose count differs between two runs beyond what is allowed to differ: polling
 * operations, whose count follows how long a job or query runs; exactly `allowed` extra calls of
 * others (one GetObject per UNLOAD or inventory data file, which follow the rows); and at most
 * `upTo` extra calls more (a progress save per polling round, which follows how long jobs run).
 */
export function unexplainedDifferences(
  small: Readonly<Record<string, number>>,
  large: Readonly<Record<string, number>>,
  polling: readonly string[],
  allowed: Readonly<Record<string, number>>,
  upTo: Readonly<Record<string, number>> = {},
): { operation: string; small: number; large: number; allowed: number; upTo: number }[] {
  const operations = [...new Set([...Object.keys(small), ...Object.keys(large)])].filter((op) => !polling.includes(op)).sort();
  return operations
    .map((operation) => ({
      operation,
      small: small[operation] ?? 0,
      large: large[operation] ?? 0,
      allowed: allowed[operation] ?? 0,
      upTo: upTo[operation] ?? 0,
    }))
    .filter((d) => {
      const beyond = d.large - d.small - d.allowed;
      return beyond < 0 || beyond > d.upTo;
    });
}

/**
 * How many calls the differences leave unexplained: those beyond an operation's allowance, and those
 * missing from an exact one. Zero only when every difference is one the allowances name.
 */
export function unexplainedCalls(differences: ReturnType<typeof unexplainedDifferences>): number {
  return differences.reduce((sum, d) => {
    const beyond = d.large - d.small - d.allowed;
    return sum + (beyond < 0 ? -beyond : beyond - d.upTo);
  }, 0);
}

/** What growth reads of a batch run (bench/batch.ts BatchResult). */
export interface GrowthRun {
  readonly versions: number;
  readonly planOnly?: boolean;
  readonly runnerWallSeconds: number;
  readonly runnerPeakRssMiB: number;
  readonly sandboxPeakRssMiB: number;
  readonly sandboxAthenaSeconds: number;
  readonly sandboxAthenaCpuSeconds?: number;
  readonly sandboxSetupSeconds: number;
  /** Seeding alone, the first part of setup (absent in results from before it was recorded). */
  readonly sandboxSeedSeconds?: number;
  /** Phase wall times in seconds (the run's RunPhases; followBusy is not a growth figure). */
  readonly phases: Omit<{ readonly [K in keyof RunPhases]: number }, 'followBusy'>;
}

/** The figures of one batch run that must grow linearly, by name (seconds, MiB). */
export function batchFigures(b: GrowthRun): Record<string, number> {
  const figures: Record<string, number> = {
    'setup s (seed, stack, inventory)': b.sandboxSetupSeconds,
    ...(b.sandboxSeedSeconds !== undefined ? { 'seed s': b.sandboxSeedSeconds } : {}),
    'runner wall s': b.runnerWallSeconds,
    'startup s': b.phases.startup,
    'preflight s': b.phases.preflight,
    'plan s': b.phases.plan,
    'manifests s': b.phases.manifests,
    'plan + manifests s': Math.round((b.phases.plan + b.phases.manifests) * 100) / 100,
    'athena wait s': b.phases.athenaWait,
    'sandbox athena s': b.sandboxAthenaSeconds,
    ...(b.sandboxAthenaCpuSeconds !== undefined ? { 'sandbox athena CPU s': b.sandboxAthenaCpuSeconds } : {}),
    'CreateJob s': b.phases.createJob,
    'runner peak RSS MiB': b.runnerPeakRssMiB,
    'sandbox peak RSS MiB': b.sandboxPeakRssMiB,
  };
  if (!b.planOnly) {
    figures['follow s'] = b.phases.follow;
    figures['summarize s'] = b.phases.summarize;
  }
  return figures;
}

export interface BatchGrowth {
  readonly small: number;
  readonly large: number;
  readonly planOnly: boolean;
  readonly figures: readonly Growth[];
}

/** Growth between every two runs of the same kind whose sizes differ tenfold, smaller first. */
export function batchGrowth(batch: readonly GrowthRun[]): BatchGrowth[] {
  const pairs: BatchGrowth[] = [];
  for (const small of batch) {
    for (const large of batch) {
      if (large.versions !== small.versions * 10 || Boolean(large.planOnly) !== Boolean(small.planOnly)) continue;
      const smallFigures = batchFigures(small);
      const largeFigures = batchFigures(large);
      const figures = Object.keys(smallFigures)
        .filter((name) => name in largeFigures)
        .map((name) => ({ name, small: smallFigures[name]!, large: largeFigures[name]! }));
      pairs.push({
        small: small.versions,
        large: large.versions,
        planOnly: Boolean(small.planOnly),
        figures: growth(small.versions, large.versions, figures),
      });
    }
  }
  return pairs;
}
