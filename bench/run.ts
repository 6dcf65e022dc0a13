// `npm run bench`: runs the chosen parts (synth, batch, direct, moto, sandbox, cli), evaluates the speed
// and request-count targets (bench/README.md), prints the markdown table and writes bench/results/latest.{md,json}. Not part of npm test.
// Run: npm run bench -- [--parts synth,batch,direct,moto,sandbox,cli] [--cli-runs 10] [--sizes 10000,100000,100000000:plan] [--synth-buckets 1,10,100]
//      [--concurrency 1,8,32,64] [--direct-objects 20000] [--direct-sources inventory,listing] [--moto-concurrency 1,8,32] [--moto-objects 600] [--out bench/results]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { POLLING_OPERATIONS, benchBatch, worldOutOfReach, type BatchResult } from './batch';
import { benchAwsCli, benchDirectEngine, directEngineAvailable, s3RequestsPerObject, type EngineRun } from './direct';
import { ROOT, requireGnuTime, timed } from './lib/child';
import { ensureAwsCli } from './lib/aws-cli';
import { LINEAR_GROWTH_LIMIT, batchGrowth, parseBatchSizes, unexplainedCalls, unexplainedDifferences, type BatchSize } from './lib/growth';
import { renderMarkdown, type BenchResults, type SandboxMemoryResult } from './lib/report';
import { motoTargets } from './lib/moto-targets';
import { evaluate, ratio, type TargetResult } from './lib/targets';
import { mib } from './lib/time-output';
import { benchMotoCli, benchMotoRunner, findMotoPath, requireMoto, type MotoRun } from './moto';
import { benchSynth, type SynthResult } from './synth';
import { CLI_HELP_TARGET_SECONDS, benchCli, type CliResult } from './cli';

const PARTS = ['synth', 'batch', 'direct', 'moto', 'sandbox', 'cli'] as const;
type Part = (typeof PARTS)[number];

export interface BenchFlags {
  readonly parts: readonly Part[];
  /** Batch sizes; `:plan` ones run plan and manifests only. */
  readonly sizes: readonly BatchSize[];
  readonly synthBuckets: readonly number[];
  readonly concurrency: readonly number[];
  readonly directObjects: number;
  readonly motoConcurrency: readonly number[];
  readonly motoObjects: number;
  /** Where the direct engine reads its work: the inventory (Athena), a listing (--from-listing), or both. */
  readonly directSources: readonly ('inventory' | 'listing')[];
  readonly out: string;
  /** Timed runs of `npm run migrate -- --help` (part cli). */
  readonly cliRuns: number;
}

function numbers(name: string, value: string, max: number): number[] {
  const list = value.split(',').map((v) => Number(v.trim()));
  for (const n of list)
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new RangeError(`--${name} takes whole numbers from 1 to ${max}, comma-separated. Received: ${value}`);
  return list;
}

export function parseFlags(argv: readonly string[]): BenchFlags {
  const get = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
  };
  const known = new Set([
    '--parts',
    '--sizes',
    '--synth-buckets',
    '--concurrency',
    '--direct-objects',
    '--direct-sources',
    '--moto-concurrency',
    '--moto-objects',
    '--out',
    '--cli-runs',
  ]);
  for (let i = 0; i < argv.length; i += 2)
    if (!known.has(argv[i]!)) throw new RangeError(`Unknown flag ${argv[i]}: use ${[...known].join(', ')}`);
  const parts = get('parts', PARTS.join(',')).split(',');
  for (const p of parts) if (!PARTS.includes(p as Part)) throw new RangeError(`--parts takes ${PARTS.join(', ')}. Received: ${p}`);
  return {
    parts: parts as Part[],
    sizes: parseBatchSizes(get('sizes', '10000,100000,1000000'), 100_000_000),
    synthBuckets: numbers('synth-buckets', get('synth-buckets', '1,10,100'), 1000),
    concurrency: numbers('concurrency', get('concurrency', '1,8,32,64'), 1000),
    directObjects: numbers('direct-objects', get('direct-objects', '20000'), 1_000_000)[0]!,
    motoConcurrency: numbers('moto-concurrency', get('moto-concurrency', '1,8,32'), 1000),
    motoObjects: numbers('moto-objects', get('moto-objects', '600'), 100_000)[0]!,
    directSources: directSources(get('direct-sources', 'inventory')),
    out: path.resolve(get('out', path.join(ROOT, 'bench/results'))),
    cliRuns: numbers('cli-runs', get('cli-runs', '10'), 1000)[0]!,
  };
}

function directSources(value: string): ('inventory' | 'listing')[] {
  const list = value.split(',').map((v) => v.trim());
  for (const v of list)
    if (v !== 'inventory' && v !== 'listing')
      throw new RangeError(`--direct-sources takes inventory, listing or both, comma-separated. Received: ${value}`);
  return list as ('inventory' | 'listing')[];
}

function log(line: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function benchSandboxMemory(): Promise<SandboxMemoryResult> {
  log('sandbox: seeding 1,000,000 versions (bench/sandbox-memory.ts)...');
  const run = await timed(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(ROOT, 'bench/sandbox-memory.ts')], {
    timeoutMs: 10 * 60_000,
  });
  const report = JSON.parse(run.stdout) as { versions: number; seedSeconds: number; heapUsed: string; bytesPerVersion: number };
  return {
    versions: report.versions,
    seedSeconds: report.seedSeconds,
    rssMiB: mib(run.maxRssKiB),
    heapUsedMiB: parseFloat(report.heapUsed),
    bytesPerVersion: report.bytesPerVersion,
    command: 'npm run bench -- --parts sandbox',
  };
}

function targets(
  synth: readonly SynthResult[],
  batch: readonly BatchResult[],
  direct: readonly EngineRun[],
  moto: readonly MotoRun[],
  sandbox: SandboxMemoryResult | undefined,
  cli?: CliResult,
): TargetResult[] {
  const results: TargetResult[] = [];
  results.push(
    evaluate({
      id: 'cli-help',
      target: `npm run migrate -- --help answers in < ${CLI_HELP_TARGET_SECONDS} s (median wall)`,
      measured: cli?.help.medianSeconds,
      comparison: 'below',
      limit: CLI_HELP_TARGET_SECONDS,
      note: cli
        ? `${cli.help.runs} runs: ${cli.help.wallSeconds.join(', ')} s; through tsx (as before runner/launch.mjs): median ${cli.helpThroughTsx.medianSeconds} s`
        : 'not run (--parts cli)',
    }),
  );
  // The runner's figures compare runs of one kind (whole runs, or plan-only ones): the largest run
  // with the smallest run of its kind.
  const largestRun = batch.reduce<BatchResult | undefined>((found, b) => (found && found.versions >= b.versions ? found : b), undefined);
  const smallestRun = batch
    .filter((b) => Boolean(b.planOnly) === Boolean(largestRun?.planOnly))
    .reduce<BatchResult | undefined>((found, b) => (found && found.versions <= b.versions ? found : b), undefined);
  const runs = largestRun && smallestRun && largestRun !== smallestRun ? { large: largestRun, small: smallestRun } : undefined;
  const count = (n: number) => n.toLocaleString('en-US');
  results.push(
    evaluate({
      id: 'runner-rss',
      target: 'runner peak RSS at the largest size ≤ 1.5x at the smallest (10,000 against 1,000,000 or 10,000,000)',
      measured: runs ? ratio(runs.large.runnerPeakRssMiB, runs.small.runnerPeakRssMiB) : undefined,
      comparison: 'at-most',
      limit: 1.5,
      note: runs
        ? `${runs.large.runnerPeakRssMiB} MiB at ${count(runs.large.versions)} / ${runs.small.runnerPeakRssMiB} MiB at ${count(runs.small.versions)}${runs.small.versions > 10_000 ? ' (10,000 not run: --sizes)' : ''}`
        : 'needs two --sizes of one kind',
    }),
  );
  // One GetObject per UNLOAD and per inventory data file may grow with the rows: the runner reads
  // each for its MD5. Each extra polling round of the follow loop may save progress (PutObject of
  // the state) and renew the lock (its heartbeat reads and rewrites it once a minute).
  const filesOf = (b: BatchResult) => (b.sandboxUnloadFiles ?? 0) + (b.inventoryFiles ?? 0);
  const extraFiles = runs ? filesOf(runs.large) - filesOf(runs.small) : 0;
  const extraRounds = runs
    ? Math.max(0, (runs.large.apiCalls['s3control:DescribeJob'] ?? 0) - (runs.small.apiCalls['s3control:DescribeJob'] ?? 0))
    : 0;
  const differences = runs
    ? unexplainedDifferences(
        runs.small.apiCalls,
        runs.large.apiCalls,
        POLLING_OPERATIONS,
        { 's3:GetObject': extraFiles },
        { 's3:GetObject': extraRounds, 's3:PutObject': 2 * extraRounds },
      )
    : undefined;
  const nonPolling = (b: BatchResult) =>
    Object.entries(b.apiCalls)
      .filter(([op]) => !POLLING_OPERATIONS.includes(op))
      .reduce((a, [, n]) => a + n, 0);
  // What the polling rounds account for, at most what they allow: the rest must be equal.
  const pollingExtra = (b: BatchResult, small: BatchResult, op: string, allowedExact: number, upTo: number) =>
    Math.min(upTo, Math.max(0, (b.apiCalls[op] ?? 0) - (small.apiCalls[op] ?? 0) - allowedExact));
  const extraSaves = runs
    ? pollingExtra(runs.large, runs.small, 's3:GetObject', extraFiles, extraRounds) +
      pollingExtra(runs.large, runs.small, 's3:PutObject', 0, 2 * extraRounds)
    : 0;
  const filesNote = (b: BatchResult) => `${b.sandboxUnloadFiles ?? '-'} UNLOAD + ${b.inventoryFiles ?? '-'} inventory files`;
  results.push(
    evaluate({
      id: 'batch-api-calls',
      target:
        'batch-mode API calls independent of object count (polling with its progress saves and lock heartbeats, and one GetObject per UNLOAD or inventory data file aside)',
      // 1 when every call at the larger size is explained; a net count could hide an extra call behind a missing one.
      measured: runs && differences ? ratio(nonPolling(runs.small) + unexplainedCalls(differences), nonPolling(runs.small)) : undefined,
      comparison: 'at-most',
      limit: 1,
      note:
        !runs || differences === undefined
          ? 'needs two --sizes of one kind'
          : differences.length === 0
            ? `same non-polling calls at ${count(runs.small.versions)} and ${count(runs.large.versions)} (${nonPolling(runs.small)}) but for one GetObject per data file (${filesNote(runs.small)} → ${filesNote(runs.large)}) and ${extraSaves} progress save and heartbeat call(s) in ${extraRounds} more polling round(s)`
            : `differs: ${differences.map((d) => `${d.operation} ${d.small}→${d.large}${d.allowed ? ` (${d.allowed} more allowed)` : ''}${d.upTo ? ` (up to ${d.upTo} more for polling)` : ''}`).join(', ')}`,
    }),
  );
  const figures = batchGrowth(batch).flatMap((pair) => pair.figures.map((f) => ({ ...f, pair })));
  const worst = [...figures].sort(
    (a, b) => (Number.isFinite(b.ratio) ? b.ratio : Infinity) - (Number.isFinite(a.ratio) ? a.ratio : Infinity),
  )[0];
  const misses = figures.filter((f) => f.status === 'MISS').map((f) => `${f.name} ${f.ratio}x`);
  results.push(
    evaluate({
      id: 'linear-growth',
      target: `every batch figure grows ≤ ${LINEAR_GROWTH_LIMIT}x for 10x the versions (worst ratio)`,
      measured: worst ? (Number.isFinite(worst.ratio) ? worst.ratio : Infinity) : undefined,
      comparison: 'at-most',
      limit: LINEAR_GROWTH_LIMIT,
      note: worst
        ? `worst: ${worst.name}, ${worst.small} at ${count(worst.pair.small)} → ${worst.large} at ${count(worst.pair.large)}; ${misses.length > 0 ? `MISS: ${misses.join(', ')}` : 'no MISS'}`
        : 'needs two --sizes of one kind, tenfold apart (e.g. 1000000,10000000)',
    }),
  );
  const byConcurrency = [...new Set(direct.map((d) => d.concurrency))].map((c) => ({
    c,
    ratio: ratio(
      direct.find((d) => d.engine === 'direct' && d.concurrency === c)?.objectsPerSecond,
      direct.find((d) => d.engine === 'aws-cli' && d.concurrency === c)?.objectsPerSecond,
    ),
  }));
  const paired = byConcurrency.filter((x) => Number.isFinite(x.ratio));
  const directRuns = direct.filter((d) => d.engine === 'direct');
  const keepsMore =
    directRuns.length > 0 &&
    directRuns.every(
      (d) =>
        d.exitCode === 0 &&
        d.preserved.tags.kept === d.preserved.tags.had &&
        d.preserved.metadata.kept === d.preserved.metadata.had &&
        d.preserved.storageClass.kept === d.preserved.storageClass.had,
    );
  results.push(
    evaluate({
      id: 'direct-vs-cli',
      target: 'direct engine ≥ 2x AWS CLI objects/s at equal concurrency (lowest ratio)',
      measured: paired.length > 0 ? Math.min(...paired.map((x) => x.ratio)) : undefined,
      comparison: 'at-least',
      limit: 2,
      note: paired.length > 0 ? paired.map((x) => `c=${x.c}: ${x.ratio}x`).join(', ') : 'direct engine or CLI baseline not run',
    }),
  );
  results.push(
    evaluate({
      id: 'direct-preserves',
      target: 'direct engine keeps tags, metadata and storage class on every sampled object',
      measured: directRuns.length > 0 ? (keepsMore ? 1 : 0) : undefined,
      comparison: 'at-least',
      limit: 1,
      note:
        direct.length > 0
          ? direct
              .filter((d) => d.concurrency === direct[0]!.concurrency)
              .map(
                (d) =>
                  `${d.engine}: tags ${d.preserved.tags.kept}/${d.preserved.tags.had}, metadata ${d.preserved.metadata.kept}/${d.preserved.metadata.had}, storage class ${d.preserved.storageClass.kept}/${d.preserved.storageClass.had}`,
              )
              .join('; ')
          : 'not run',
    }),
  );
  // Requests per version at the floor: each is an S3 bill and a share of the request rate. The worst run of each source counts.
  for (const [engine, limit, what] of [
    ['direct', 1.05, 'from an inventory'],
    ['direct-listing', 2.05, 'from a listing (--from-listing)'],
  ] as const) {
    const runs = direct.filter((d) => d.engine === engine);
    results.push(
      evaluate({
        id: `${engine}-requests`,
        target: `direct engine ${what} ≤ ${limit} S3 requests per version (listing pages aside)`,
        measured: runs.length > 0 ? Math.max(...runs.map(s3RequestsPerObject)) : undefined,
        comparison: 'at-most',
        limit,
        note:
          runs.length > 0
            ? runs.map((d) => `c=${d.concurrency}: ${s3RequestsPerObject(d)}`).join(', ')
            : `not run (--direct-sources ${engine === 'direct' ? 'inventory' : 'listing'})`,
      }),
    );
  }
  results.push(...motoTargets(moto));
  const one = synth.find((s) => s.buckets === 1);
  const hundred = synth.find((s) => s.buckets === 100);
  results.push(
    evaluate({
      id: 'synth-scaling',
      target: 'cdktf synth of 100 buckets < 3x synth of 1 bucket (wall)',
      measured: one && hundred ? ratio(hundred.cliWallSeconds, one.cliWallSeconds) : undefined,
      comparison: 'below',
      limit: 3,
      note:
        one && hundred
          ? `${hundred.cliWallSeconds} s / ${one.cliWallSeconds} s through the CLI; app alone ${ratio(hundred.appWallSeconds, one.appWallSeconds)}x`
          : 'needs --synth-buckets 1,100',
    }),
  );
  const million = batch.find((b) => b.versions === 1_000_000);
  results.push(
    evaluate({
      id: 'sandbox-athena-1m',
      target: 'sandbox Athena time in plan + manifests at 1,000,000 versions ≤ 9.4 s (1/5 of 47 s on 2026-11-23)',
      measured: million?.sandboxAthenaSeconds,
      comparison: 'at-most',
      limit: 9.4,
      note: million
        ? `${million.sandboxAthenaQueries} queries; the runner waited ${million.phases.athenaWait} s with its poll intervals`
        : 'needs --sizes 1000000',
    }),
  );
  results.push(
    evaluate({
      id: 'runner-plan-manifests-1m',
      target: 'plan + manifests at 1,000,000 versions as the runner sees them (poll waits included) ≤ 9.4 s',
      measured: million ? Math.round((million.phases.plan + million.phases.manifests) * 100) / 100 : undefined,
      comparison: 'at-most',
      limit: 9.4,
      note: million
        ? `plan ${million.phases.plan} s, manifests ${million.phases.manifests} s, of which athena wait ${million.phases.athenaWait} s`
        : 'needs --sizes 1000000',
    }),
  );
  results.push(
    evaluate({
      id: 'sandbox-rss-1m',
      target: 'sandbox peak RSS through a batch run at 1,000,000 versions ≤ 1.5 GiB (MiB)',
      measured: million?.sandboxPeakRssMiB,
      comparison: 'at-most',
      limit: 1536,
      note: million ? 'seeding, inventory, Athena and the Batch Operations jobs in one process' : 'needs --sizes 1000000',
    }),
  );
  // The 10,000,000-version figures the rehearsal's scale is held to (issue: the rehearsal scales).
  const tenMillion = batch.find((b) => b.versions === 10_000_000 && !b.planOnly);
  const tenMillionNote = 'needs --sizes 10000000 (about 7 minutes with its seeding)';
  results.push(
    evaluate({
      id: 'batch-10m-wall',
      target: 'whole runner run (plan, manifests, jobs followed, summary) at 10,000,000 versions ≤ 10 min (s)',
      measured: tenMillion?.runnerWallSeconds,
      comparison: 'at-most',
      limit: 600,
      note: tenMillion ? `exit ${tenMillion.runnerExit}; follow ${tenMillion.phases.follow} s` : tenMillionNote,
    }),
  );
  results.push(
    evaluate({
      id: 'batch-10m-seed',
      target: 'seeding 10,000,000 versions ≤ 90 s',
      measured: tenMillion?.sandboxSeedSeconds,
      comparison: 'at-most',
      limit: 90,
      note: tenMillion ? `setup with stack and inventory ${tenMillion.sandboxSetupSeconds} s` : tenMillionNote,
    }),
  );
  results.push(
    evaluate({
      id: 'batch-10m-sandbox-rss',
      target: 'sandbox peak RSS through a batch run at 10,000,000 versions ≤ 4 GiB (MiB)',
      measured: tenMillion?.sandboxPeakRssMiB,
      comparison: 'at-most',
      limit: 4096,
      note: tenMillion ? 'seeding, inventory, Athena and the Batch Operations jobs in one process' : tenMillionNote,
    }),
  );
  results.push(
    evaluate({
      id: 'sandbox-memory',
      target: 'sandbox: 1,000,000 versions in < 1 GiB (MiB)',
      measured: sandbox?.rssMiB,
      comparison: 'below',
      limit: 1024,
      note: sandbox ? `${sandbox.bytesPerVersion} heap bytes per version` : 'not run',
    }),
  );
  return results;
}

async function bench(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv);
  requireGnuTime();
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const awsCli = flags.parts.includes('direct') || flags.parts.includes('moto') ? ensureAwsCli(log) : undefined;
  const motoVersion = flags.parts.includes('moto') ? requireMoto() : undefined;
  const synth: SynthResult[] = [];
  const batch: BatchResult[] = [];
  const direct: EngineRun[] = [];
  let directNote: string | undefined;
  const moto: MotoRun[] = [];
  let motoNote: string | undefined;
  let sandbox: SandboxMemoryResult | undefined;
  if (flags.parts.includes('synth')) for (const n of flags.synthBuckets) synth.push(await benchSynth(n, log));
  const batchSkipped: { versions: number; planOnly: boolean; reason: string }[] = [];
  if (flags.parts.includes('batch')) {
    for (const size of flags.sizes) {
      const reason = worldOutOfReach(size.versions);
      if (reason === undefined) batch.push(await benchBatch(size, log));
      else {
        log(`batch: ${size.versions.toLocaleString('en-US')} versions ${reason}`);
        batchSkipped.push({ ...size, reason });
      }
    }
  }
  if (flags.parts.includes('direct')) {
    const available = directEngineAvailable();
    if (!available) directNote = 'The direct engine (runner/engine/direct.ts) is not in this tree: only the AWS CLI baseline ran.';
    for (const c of flags.concurrency) {
      if (available && flags.directSources.includes('inventory')) direct.push(await benchDirectEngine(flags.directObjects, c, log));
      if (available && flags.directSources.includes('listing')) direct.push(await benchDirectEngine(flags.directObjects, c, log, true));
      direct.push(await benchAwsCli(flags.directObjects, c, log));
    }
  }
  if (flags.parts.includes('moto')) {
    const motoPath = await findMotoPath(log);
    motoNote = motoPath.note;
    for (const c of flags.motoConcurrency) {
      moto.push(await benchMotoRunner(flags.motoObjects, c, motoPath, log));
      moto.push(await benchMotoCli(flags.motoObjects, c, log));
    }
  }
  if (flags.parts.includes('sandbox')) sandbox = await benchSandboxMemory();
  const cli = flags.parts.includes('cli') ? await benchCli(flags.cliRuns, log) : undefined;
  const results: BenchResults = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: {
      nproc: os.availableParallelism(),
      memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
      node: process.version,
      os: `${os.type()} ${os.release()}`,
      loadAverageAtStart,
      ...(awsCli ? { awsCli } : {}),
      ...(motoVersion ? { moto: motoVersion } : {}),
    },
    command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
    synth,
    batch,
    ...(batchSkipped.length > 0 ? { batchSkipped } : {}),
    direct,
    ...(directNote ? { directNote } : {}),
    moto,
    ...(motoNote ? { motoNote } : {}),
    ...(sandbox ? { sandbox } : {}),
    ...(cli ? { cli } : {}),
    targets: targets(synth, batch, direct, moto, sandbox, cli),
  };
  const markdown = renderMarkdown(results);
  fs.mkdirSync(flags.out, { recursive: true });
  fs.writeFileSync(path.join(flags.out, 'latest.md'), markdown);
  fs.writeFileSync(path.join(flags.out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(markdown);
  log(`results in ${path.relative(ROOT, flags.out)}/latest.md and latest.json`);
  return 0;
}

if (require.main === module) {
  bench(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`Bench failed: ${error.message}\n`);
      process.exitCode = 1;
    },
  );
}
