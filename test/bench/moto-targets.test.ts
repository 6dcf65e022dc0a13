// The moto targets: the lowest runner/CLI ratio decides, a miss states the request arithmetic of
// both sides, and noncurrent versions still SSE-S3 after the runner miss the target.
import { motoTargets, requestArithmetic } from '../../bench/lib/moto-targets';
import type { MotoRun } from '../../bench/moto';

function run(props: Partial<MotoRun> & Pick<MotoRun, 'engine' | 'concurrency' | 'objectsPerSecond' | 'requests'>): MotoRun {
  const currentObjects = props.currentObjects ?? 100;
  const total = Object.values(props.requests).reduce((a, n) => a + n, 0);
  return {
    currentObjects,
    noncurrentSeeded: 25,
    exitCode: 0,
    wallSeconds: currentObjects / props.objectsPerSecond,
    peakRssMiB: 100,
    requestsPerObject: Math.round((total / currentObjects) * 100) / 100,
    preserved: {
      sampled: 10,
      tags: { kept: 5, had: 5 },
      metadata: { kept: 4, had: 4 },
      storageClass: { kept: 3, had: 3 },
      onTargetKey: 10,
      bucketKey: 10,
    },
    noncurrentAfter: { stillSseS3: 0, onKey: 25, gone: 0 },
    command: 'x',
    ...props,
  };
}

const cli = (concurrency: number, objectsPerSecond: number) =>
  run({
    engine: 'aws-cli',
    concurrency,
    objectsPerSecond,
    requests: { 's3:ListObjectsV2': 1, 's3:CopyObject': 100 },
    noncurrentAfter: { stillSseS3: 25, onKey: 0, gone: 0 },
    preserved: {
      sampled: 10,
      tags: { kept: 5, had: 5 },
      metadata: { kept: 4, had: 4 },
      storageClass: { kept: 0, had: 3 },
      onTargetKey: 10,
      bucketKey: 10,
    },
  });
const runner = (concurrency: number, objectsPerSecond: number, props: Partial<MotoRun> = {}) =>
  run({
    engine: 'direct',
    concurrency,
    objectsPerSecond,
    requests: { 's3:ListObjectVersions': 1, 's3:HeadObject': 225, 's3:CopyObject': 100 },
    ...props,
  });

describe('requestArithmetic', () => {
  it('splits requests per current object by operation, largest first, the rest summed', () => {
    const r = runner(8, 10, {
      requests: {
        's3:HeadObject': 250,
        's3:CopyObject': 100,
        's3:ListObjectVersions': 1,
        'kms:DescribeKey': 1,
        'sts:GetCallerIdentity': 1,
      },
    });
    expect(requestArithmetic(r, 2)).toBe('3.53 req/object = HeadObject 2.50 + CopyObject 1.00 + other 0.03');
  });
});

describe('motoTargets', () => {
  it("takes the lowest ratio over the concurrencies and, on a miss, shows both sides' arithmetic at that concurrency", () => {
    const [speed] = motoTargets([runner(1, 30), cli(1, 20), runner(8, 40), cli(8, 80)]);
    expect(speed).toMatchObject({ id: 'moto-vs-cli', status: 'MISS', measured: 0.5 });
    expect(speed!.note).toContain('c=1: 1.5x, c=8: 0.5x');
    expect(speed!.note).toContain('at c=8 runner 3.26 req/object = HeadObject 2.25');
    expect(speed!.note).toContain('CLI 1.01 req/object = CopyObject 1.00');
  });

  it('passes speed at a ratio of 1 or more everywhere', () => {
    expect(motoTargets([runner(1, 20), cli(1, 20), runner(32, 90), cli(32, 60)])[0]).toMatchObject({ status: 'PASS', measured: 1 });
  });

  it('misses preservation when one sampled object lost its storage class, and noncurrent when versions stay SSE-S3', () => {
    const lost = runner(1, 30, {
      preserved: {
        sampled: 10,
        tags: { kept: 5, had: 5 },
        metadata: { kept: 4, had: 4 },
        storageClass: { kept: 2, had: 3 },
        onTargetKey: 10,
        bucketKey: 10,
      },
      noncurrentAfter: { stillSseS3: 25, onKey: 0, gone: 0 },
      runnerOutcomes: { copied: 100, 'noncurrent-left-to-expire': 25 },
    });
    const [, preserves, noncurrent] = motoTargets([lost, cli(1, 20)]);
    expect(preserves).toMatchObject({ id: 'moto-preserves', status: 'MISS', measured: 0 });
    expect(noncurrent).toMatchObject({ id: 'moto-noncurrent', status: 'MISS', measured: 25 });
    expect(noncurrent!.note).toContain('direct: 25/25 still SSE-S3 (the runner left 25 to the noncurrent-version expiration)');
  });

  it('says NOT RUN rather than PASS when the moto part did not run', () => {
    expect(motoTargets([]).map((t) => t.status)).toEqual(['NOT RUN', 'NOT RUN', 'NOT RUN']);
  });
});
