// Renders the bench results as markdown tables: one formatter for the report file and the console.
import type { BatchResult } from '../batch';
import { s3RequestsPerObject, type EngineRun } from '../direct';
import type { MotoRun } from '../moto';
import type { SynthResult } from '../synth';
import type { CliResult } from '../cli';
import { batchGrowth } from './growth';
import type { TargetResult } from './targets';

export interface SandboxMemoryResult {
  readonly versions: number;
  readonly seedSeconds: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly bytesPerVersion: number;
  readonly command: string;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: {
    readonly nproc: number;
    readonly memory: string;
    readonly node: string;
    readonly awsCli?: string;
    readonly moto?: string;
    readonly os: string;
    readonly loadAverageAtStart: string;
  };
  readonly command: string;
  readonly synth: readonly SynthResult[];
  readonly batch: readonly BatchResult[];
  /** Batch sizes this machine could not hold, and why. */
  readonly batchSkipped?: readonly { readonly versions: number; readonly planOnly: boolean; readonly reason: string }[];
  readonly direct: readonly EngineRun[];
  readonly directNote?: string;
  /** Part 4; absent in results written before the bench had a moto part. */
  readonly moto?: readonly MotoRun[];
  readonly motoNote?: string;
  readonly sandbox?: SandboxMemoryResult;
  /** Part 6; absent in results written before it. */
  readonly cli?: CliResult;
  readonly targets: readonly TargetResult[];
}

function tableOf(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) =>
    `| ${cells.map((c) => (typeof c === 'number' ? c.toLocaleString('en-US') : c)).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const kept = (p: { kept: number; had: number }) => `${p.kept}/${p.had}`;

export function renderMarkdown(r: BenchResults): string {
  const parts: string[] = [];
  parts.push(`# Benchmark results\n`);
  parts.push(
    `Run ${r.startedAt} to ${r.finishedAt} with \`${r.command}\` on ${r.machine.nproc} CPU(s), ${r.machine.memory} RAM, Node ${r.machine.node}, ${r.machine.os}${r.machine.awsCli ? `, ${r.machine.awsCli}` : ''}${r.machine.moto ? `, ${r.machine.moto}` : ''}; load average at start ${r.machine.loadAverageAtStart} (other work on the machine slows every figure).\n`,
  );
  parts.push(`## Targets\n`);
  parts.push(
    tableOf(
      ['target', 'status', 'measured', 'limit', 'note'],
      r.targets.map((t) => [t.target, t.status, t.measured ?? '-', t.limit ?? '-', t.note]),
    ),
  );
  if (r.synth.length > 0) {
    parts.push(`\n## 1. Synth\n`);
    parts.push(
      tableOf(
        [
          'buckets',
          'resources',
          'cdktf synth wall s',
          'cdktf synth peak MiB',
          'app alone wall s',
          'app peak MiB',
          'provider bindings load s',
          'share of app',
          'reproduce',
        ],
        r.synth.map((s) => [
          s.buckets,
          s.resources,
          s.cliWallSeconds,
          s.cliPeakRssMiB,
          s.appWallSeconds,
          s.appPeakRssMiB,
          s.providerLoadSeconds,
          `${(s.providerShareOfApp * 100).toFixed(1)}%`,
          `\`${s.command}\``,
        ]),
      ),
    );
  }
  if (r.batch.length > 0 || r.batchSkipped) {
    parts.push(`\n## 2. Batch engine (\`migrate run\`)\n`);
    for (const skipped of r.batchSkipped ?? [])
      parts.push(`${skipped.versions.toLocaleString('en-US')} versions${skipped.planOnly ? ' (plan only)' : ''}: ${skipped.reason}.\n`);
    parts.push(
      "Phase wall times in seconds, seen from the runner. `follow` includes the sandbox job time and poll waits; `follow busy` is the runner's own calls in it; `athena wait` is the part of plan + manifests spent waiting for sandbox Athena (poll intervals included); `sandbox athena s` is the sandbox Athena's own engine time over those queries, with the CPU seconds the sandbox process used meanwhile (DuckDB's threads included), steadier than wall time on a busy machine.\n",
    );
    parts.push(
      tableOf(
        [
          'versions',
          'exit',
          'runner wall s',
          'startup',
          'preflight',
          'plan',
          'manifests',
          'CreateJob',
          'follow',
          'follow busy',
          'summarize',
          'athena wait',
          'sandbox athena s',
          'runner peak RSS MiB',
          'runner bytes read',
          'runner bytes written',
          'runner API calls',
          'UNLOAD files',
          'sandbox peak RSS MiB',
          'reproduce',
        ],
        r.batch.map((b) => [
          b.planOnly ? `${b.versions.toLocaleString('en-US')} (plan only)` : b.versions,
          b.runnerExit,
          b.runnerWallSeconds,
          b.phases.startup,
          b.phases.preflight,
          b.phases.plan,
          b.phases.manifests,
          b.phases.createJob,
          b.phases.follow,
          b.phases.followBusy,
          b.phases.summarize,
          b.phases.athenaWait,
          `${b.sandboxAthenaSeconds} (${b.sandboxAthenaQueries} queries${b.sandboxAthenaCpuSeconds !== undefined ? `, ${b.sandboxAthenaCpuSeconds} CPU s` : ''})`,
          b.runnerPeakRssMiB,
          kib(b.bytesRead),
          kib(b.bytesWritten),
          Object.values(b.apiCalls).reduce((a, n) => a + n, 0),
          b.sandboxUnloadFiles ?? '-',
          b.sandboxPeakRssMiB,
          `\`${b.command}\``,
        ]),
      ),
    );
    for (const pair of batchGrowth(r.batch)) {
      parts.push(
        `\nGrowth from ${pair.small.toLocaleString('en-US')} to ${pair.large.toLocaleString('en-US')} versions${pair.planOnly ? ' (plan only)' : ''}, in one run (MISS above ${pair.figures[0]?.limit ?? '-'}x):\n`,
      );
      parts.push(
        tableOf(
          ['figure', pair.small.toLocaleString('en-US'), pair.large.toLocaleString('en-US'), 'ratio', 'status'],
          pair.figures.map((f) => [f.name, f.small, f.large, Number.isFinite(f.ratio) ? `${f.ratio}x` : '-', f.status]),
        ),
      );
    }
    const operations = [...new Set(r.batch.flatMap((b) => Object.keys(b.apiCalls)))].sort();
    parts.push(`\nRunner API calls by operation (SDK calls; SDK retries count once):\n`);
    parts.push(
      tableOf(
        ['operation', ...r.batch.map((b) => `${b.versions.toLocaleString('en-US')} versions${b.planOnly ? ' (plan only)' : ''}`)],
        operations.map((op) => [op, ...r.batch.map((b) => b.apiCalls[op] ?? 0)]),
      ),
    );
  }
  if (r.direct.length > 0 || r.directNote) {
    parts.push(`\n## 3. Direct engine vs \`aws s3 cp --recursive --sse aws:kms\`\n`);
    if (r.directNote) parts.push(`${r.directNote}\n`);
    const sampled = r.direct[0]?.preserved.sampled ?? 0;
    parts.push(`Each row on a fresh identical world; preservation checked on ${sampled} sampled objects (kept/had).\n`);
    parts.push(
      tableOf(
        [
          'engine',
          'concurrency',
          'objects',
          'exit',
          'wall s',
          'objects/s',
          'peak RSS MiB',
          'S3 requests',
          'S3 requests/object (listing pages aside)',
          'tags kept',
          'metadata kept',
          'storage class kept',
          'on target key',
          'Bucket Key',
          'reproduce',
        ],
        r.direct.map((d) => [
          d.engine,
          d.concurrency,
          d.objects,
          d.exitCode,
          d.wallSeconds,
          d.objectsPerSecond,
          d.peakRssMiB,
          Object.entries(d.requests)
            .filter(([op]) => op.startsWith('s3:'))
            .reduce((a, [, n]) => a + n, 0),
          s3RequestsPerObject(d),
          kept(d.preserved.tags),
          kept(d.preserved.metadata),
          kept(d.preserved.storageClass),
          `${d.preserved.onTargetKey}/${d.preserved.sampled}`,
          `${d.preserved.bucketKey}/${d.preserved.sampled}`,
          `\`${d.command}\``,
        ]),
      ),
    );
  }
  if ((r.moto ?? []).length > 0) parts.push(renderMoto(r.moto!, r.motoNote));
  if (r.cli) {
    parts.push(`\n## 6. CLI start-up\n`);
    parts.push('Wall seconds of each run under GNU time, after one uncounted run (which compiles the runner when a source changed).\n');
    parts.push(
      tableOf(
        ['command', 'runs', 'median s', 'each run s'],
        [r.cli.help, r.cli.helpThroughTsx].map((c) => [`\`${c.command}\``, c.runs, c.medianSeconds, c.wallSeconds.join(', ')]),
      ),
    );
  }
  if (r.sandbox) {
    parts.push(`\n## Sandbox memory\n`);
    parts.push(
      tableOf(
        ['versions', 'seed s', 'RSS MiB', 'heap used MiB', 'bytes/version', 'reproduce'],
        [
          [
            r.sandbox.versions,
            r.sandbox.seedSeconds,
            r.sandbox.rssMiB,
            r.sandbox.heapUsedMiB,
            r.sandbox.bytesPerVersion,
            `\`${r.sandbox.command}\``,
          ],
        ],
      ),
    );
  }
  return `${parts.join('\n')}\n`;
}

function renderMoto(moto: readonly MotoRun[], note: string | undefined): string {
  const parts: string[] = [];
  parts.push(`\n## 4. Direct engine vs \`aws s3 cp --recursive --sse aws:kms\` on moto\n`);
  if (note) parts.push(`${note}\n`);
  const first = moto[0]!;
  parts.push(
    `Each row on a fresh moto with the same world: ${first.currentObjects.toLocaleString('en-US')} current objects and ${first.noncurrentSeeded.toLocaleString('en-US')} noncurrent SSE-S3 versions. ` +
      `Requests counted on the wire by the bench's proxy, over current objects; preservation checked on ${first.preserved.sampled} sampled current objects (kept/had); ` +
      'noncurrent: the seeded noncurrent versions still SSE-S3 afterwards, read back one by one.\n',
  );
  parts.push(
    tableOf(
      [
        'engine',
        'concurrency',
        'exit',
        'wall s',
        'objects/s',
        'peak RSS MiB',
        'requests',
        'requests/object',
        'tags kept',
        'metadata kept',
        'storage class kept',
        'on target key',
        'Bucket Key',
        'noncurrent still SSE-S3',
        'reproduce',
      ],
      moto.map((m) => [
        m.engine,
        m.concurrency,
        m.exitCode,
        m.wallSeconds,
        m.objectsPerSecond,
        m.peakRssMiB,
        Object.values(m.requests).reduce((a, n) => a + n, 0),
        m.requestsPerObject,
        kept(m.preserved.tags),
        kept(m.preserved.metadata),
        kept(m.preserved.storageClass),
        `${m.preserved.onTargetKey}/${m.preserved.sampled}`,
        `${m.preserved.bucketKey}/${m.preserved.sampled}`,
        `${m.noncurrentAfter.stillSseS3}/${m.noncurrentSeeded}`,
        `\`${m.command}\``,
      ]),
    ),
  );
  const operations = [...new Set(moto.flatMap((m) => Object.keys(m.requests)))].sort(
    (a, b) => (b.startsWith('s3:') ? 1 : 0) - (a.startsWith('s3:') ? 1 : 0) || a.localeCompare(b),
  );
  parts.push(`\nRequests per current object, by operation (the request arithmetic):\n`);
  parts.push(
    tableOf(
      ['operation', ...moto.map((m) => `${m.engine} c=${m.concurrency}`)],
      [
        ...operations.map((op) => [op, ...moto.map((m) => ((m.requests[op] ?? 0) / m.currentObjects).toFixed(3))]),
        ['total', ...moto.map((m) => m.requestsPerObject.toFixed(3))],
      ],
    ),
  );
  const outcomes = moto.filter((m) => m.runnerOutcomes);
  if (outcomes.length > 0) {
    parts.push(
      `\nWhat the runner says it did per version (its last progress line): ${outcomes
        .map(
          (m) =>
            `c=${m.concurrency}: ${Object.entries(m.runnerOutcomes!)
              .map(([k, n]) => `${k} ${n}`)
              .join(', ')}`,
        )
        .join('; ')}.\n`,
    );
  }
  return parts.join('\n');
}
