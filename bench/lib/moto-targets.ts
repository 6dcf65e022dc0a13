// The moto targets, from the rows of bench part 4: the runner at least as fast as the CLI
// on current objects at every concurrency, while keeping what the CLI drops and migrating the
// noncurrent versions the CLI never touches. A miss states the request arithmetic, from the proxy's counts.
import type { MotoRun } from '../moto';
import { evaluate, ratio, type TargetResult } from './targets';

/** Requests per current object by operation, largest first: `HeadObject 2.55 + CopyObject 1.01 + ...`. */
export function requestArithmetic(run: Pick<MotoRun, 'requests' | 'currentObjects' | 'requestsPerObject'>, top = 4): string {
  const per = Object.entries(run.requests)
    .map(([op, n]) => [op.replace(/^s3:/, ''), n / run.currentObjects] as const)
    .sort((a, b) => b[1] - a[1]);
  const shown = per.slice(0, top).map(([op, r]) => `${op} ${r.toFixed(2)}`);
  const rest = per.slice(top).reduce((a, [, r]) => a + r, 0);
  return `${run.requestsPerObject} req/object = ${[...shown, ...(rest > 0 ? [`other ${rest.toFixed(2)}`] : [])].join(' + ')}`;
}

export function motoTargets(moto: readonly MotoRun[]): TargetResult[] {
  const runner = moto.filter((m) => m.engine === 'direct');
  const pairs = [...new Set(moto.map((m) => m.concurrency))]
    .map((c) => ({
      c,
      runner: runner.find((m) => m.concurrency === c),
      cli: moto.find((m) => m.engine === 'aws-cli' && m.concurrency === c),
    }))
    .filter((p) => p.runner && p.cli)
    .map((p) => ({ ...p, ratio: ratio(p.runner!.objectsPerSecond, p.cli!.objectsPerSecond) }));
  const lowest = pairs.length > 0 ? Math.min(...pairs.map((p) => p.ratio)) : undefined;
  const worst = pairs.find((p) => p.ratio === lowest);
  const speed = evaluate({
    id: 'moto-vs-cli',
    target: 'moto: direct engine ≥ AWS CLI objects/s on current objects at equal concurrency (lowest ratio)',
    measured: lowest,
    comparison: 'at-least',
    limit: 1,
    note:
      pairs.length === 0
        ? 'not run (--parts moto)'
        : `${pairs.map((p) => `c=${p.c}: ${p.ratio}x`).join(', ')}` +
          (worst ? `; at c=${worst.c} runner ${requestArithmetic(worst.runner!)}; CLI ${requestArithmetic(worst.cli!)}` : ''),
  });
  const keeps =
    runner.length > 0 &&
    runner.every(
      (m) =>
        m.exitCode === 0 &&
        m.preserved.sampled > 0 &&
        m.preserved.tags.kept === m.preserved.tags.had &&
        m.preserved.metadata.kept === m.preserved.metadata.had &&
        m.preserved.storageClass.kept === m.preserved.storageClass.had &&
        m.preserved.onTargetKey === m.preserved.sampled &&
        m.preserved.bucketKey === m.preserved.sampled,
    );
  const preserves = evaluate({
    id: 'moto-preserves',
    target: 'moto: direct engine keeps tags, metadata, storage class, on the key with a Bucket Key, on every sampled object',
    measured: runner.length > 0 ? (keeps ? 1 : 0) : undefined,
    comparison: 'at-least',
    limit: 1,
    note:
      moto.length > 0
        ? moto
            .filter((m) => m.concurrency === moto[0]!.concurrency)
            .map(
              (m) =>
                `${m.engine}: storage class ${m.preserved.storageClass.kept}/${m.preserved.storageClass.had}, tags ${m.preserved.tags.kept}/${m.preserved.tags.had}, metadata ${m.preserved.metadata.kept}/${m.preserved.metadata.had}`,
            )
            .join('; ')
        : 'not run',
  });
  const left = runner.length > 0 ? Math.max(...runner.map((m) => m.noncurrentAfter.stillSseS3)) : undefined;
  const outcome = (m: MotoRun, kind: string) => m.runnerOutcomes?.[kind] ?? 0;
  const noncurrent = evaluate({
    id: 'moto-noncurrent',
    target: 'moto: noncurrent SSE-S3 versions the CLI leaves behind are migrated by the direct engine (most left SSE-S3 in a run)',
    measured: left,
    comparison: 'at-most',
    limit: 0,
    note:
      moto.length === 0
        ? 'not run'
        : moto
            .filter((m) => m.concurrency === moto[0]!.concurrency)
            .map(
              (m) =>
                `${m.engine}: ${m.noncurrentAfter.stillSseS3}/${m.noncurrentSeeded} still SSE-S3${m.engine === 'direct' && outcome(m, 'noncurrent-left-to-expire') > 0 ? ` (the runner left ${outcome(m, 'noncurrent-left-to-expire')} to the noncurrent-version expiration)` : ''}`,
            )
            .join('; '),
  });
  return [speed, preserves, noncurrent];
}
