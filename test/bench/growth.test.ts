// Growth between two sizes of one bench run: what counts as linear, and which calls may grow.
import { batchGrowth, growth, parseBatchSizes, unexplainedCalls, unexplainedDifferences, type GrowthRun } from '../../bench/lib/growth';

function run(versions: number, seconds: number, overrides: Partial<GrowthRun> = {}): GrowthRun {
  return {
    versions,
    runnerWallSeconds: seconds,
    runnerPeakRssMiB: 150,
    sandboxPeakRssMiB: seconds * 100,
    sandboxAthenaSeconds: seconds,
    sandboxSetupSeconds: seconds,
    phases: {
      startup: 1,
      preflight: 1,
      plan: seconds,
      manifests: seconds,
      createJob: 0.1,
      follow: seconds,
      summarize: 1,
      athenaWait: seconds,
    },
    ...overrides,
  };
}

describe('parseBatchSizes', () => {
  it('reads whole runs and plan-only runs', () => {
    expect(parseBatchSizes('1000000,100000000:plan', 100_000_000)).toEqual([
      { versions: 1_000_000, planOnly: false },
      { versions: 100_000_000, planOnly: true },
    ]);
  });

  it.each(['0', '10x', '1000:jobs', '200000000'])('refuses %p, naming the flag', (value) => {
    expect(() => parseBatchSizes(value, 100_000_000)).toThrow(/--sizes takes whole numbers from 1 to 100000000/);
  });
});

describe('growth', () => {
  it('passes 12x for 10x the versions and marks more MISS', () => {
    const [linear, steep] = growth(1_000_000, 10_000_000, [
      { name: 'plan s', small: 1, large: 12 },
      { name: 'manifests s', small: 9, large: 272 },
    ]);
    expect(linear).toMatchObject({ ratio: 12, limit: 12, status: 'PASS' });
    expect(steep).toMatchObject({ ratio: 30.22, status: 'MISS' });
  });

  it('marks MISS a figure that grows from zero', () => {
    expect(growth(10, 100, [{ name: 'x', small: 0, large: 1 }])[0]!.status).toBe('MISS');
  });
});

describe('batchGrowth', () => {
  it('pairs runs of one kind tenfold apart, leaving follow out of plan-only runs', () => {
    const pairs = batchGrowth([run(1_000_000, 10, { planOnly: true }), run(10_000_000, 100, { planOnly: true }), run(100_000_000, 1000)]);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]!.figures.map((f) => f.name)).not.toContain('follow s');
    expect(pairs[0]!.figures.find((f) => f.name === 'plan + manifests s')).toMatchObject({ small: 20, large: 200, ratio: 10 });
  });
});

describe('unexplainedDifferences', () => {
  it('lets GetObject grow by the allowed count, and polling as it will', () => {
    const small = { 's3:GetObject': 11, 'athena:GetQueryExecution': 9, 's3:PutObject': 13 };
    const large = { 's3:GetObject': 19, 'athena:GetQueryExecution': 40, 's3:PutObject': 13 };
    expect(unexplainedDifferences(small, large, ['athena:GetQueryExecution'], { 's3:GetObject': 8 })).toEqual([]);
    expect(unexplainedDifferences(small, large, ['athena:GetQueryExecution'], { 's3:GetObject': 7 })).toEqual([
      { operation: 's3:GetObject', small: 11, large: 19, allowed: 7, upTo: 0 },
    ]);
  });

  it('lets an operation grow by up to its upTo count beyond the exact allowance, and no further', () => {
    const small = { 's3:GetObject': 11, 's3:PutObject': 13 };
    const large = { 's3:GetObject': 19, 's3:PutObject': 17 };
    const allowed = { 's3:GetObject': 8 };
    expect(unexplainedDifferences(small, large, [], allowed, { 's3:PutObject': 4 })).toEqual([]);
    expect(unexplainedDifferences(small, large, [], allowed, { 's3:PutObject': 7 })).toEqual([]);
    expect(unexplainedDifferences(small, large, [], allowed, { 's3:PutObject': 3 })).toEqual([
      { operation: 's3:PutObject', small: 13, large: 17, allowed: 0, upTo: 3 },
    ]);
    // Fewer calls than the exact allowance is a difference too: the files were not all read.
    expect(unexplainedDifferences(small, large, [], { 's3:GetObject': 9 }, { 's3:PutObject': 4 })).toEqual([
      { operation: 's3:GetObject', small: 11, large: 19, allowed: 9, upTo: 0 },
    ]);
  });
});

describe('unexplainedCalls', () => {
  it('counts calls beyond an allowance and calls missing from an exact one, without letting one hide the other', () => {
    const small = { 's3:GetObject': 10, 's3:PutObject': 10, 's3:HeadObject': 5 };
    // Net, these add up to the allowance (GetObject +5 more than allowed, HeadObject 5 fewer): still 10 unexplained.
    const large = { 's3:GetObject': 25, 's3:PutObject': 12, 's3:HeadObject': 0 };
    const differences = unexplainedDifferences(small, large, [], { 's3:GetObject': 10 }, { 's3:PutObject': 2 });
    expect(unexplainedCalls(differences)).toBe(10);
    expect(unexplainedCalls(unexplainedDifferences(small, small, [], {}, {}))).toBe(0);
    expect(unexplainedCalls(unexplainedDifferences(small, { ...small, 's3:PutObject': 15 }, [], {}, { 's3:PutObject': 2 }))).toBe(3);
  });
});
