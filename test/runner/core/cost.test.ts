// The cost model: line items computed from counts with the documented prices, and honest ranges.
import { DEFAULT_PRICES, DEFAULT_THROUGHPUT, PlanTotals, estimate } from '../../../runner/core/cost';

const GIB = 1024 ** 3;

function totals(overrides: Partial<PlanTotals> = {}): PlanTotals {
  return {
    byAction: {
      'update-encryption': { versions: 1_000_000, bytes: 100 * GIB },
      copy: { versions: 200_000, bytes: 50 * GIB },
    },
    copiedBytesByStorageClass: { STANDARD: 50 * GIB },
    jobs: 3,
    noncurrentDays: 30,
    ...overrides,
  };
}

function line(e: ReturnType<typeof estimate>, prefix: string): number {
  const found = e.lines.find((l) => l.item.startsWith(prefix));
  if (!found) throw new Error(`no line ${prefix}`);
  return found.usd;
}

describe('estimate', () => {
  const e = estimate(totals());

  it('charges Batch Operations per job and per million tasks', () => {
    expect(line(e, 'Batch Operations: 3 job')).toBeCloseTo(0.75, 6);
    expect(line(e, 'Batch Operations: 1,200,000 object')).toBeCloseTo(1.2, 6);
  });

  it('charges requests per thousand', () => {
    expect(line(e, 'UpdateObjectEncryption requests')).toBeCloseTo(5.0, 6);
    expect(line(e, 'COPY requests')).toBeCloseTo(1.0, 6);
    expect(line(e, 'GET/HEAD requests')).toBeCloseTo(0.08, 6);
  });

  it('bills the old versions of copied objects until they expire', () => {
    expect(line(e, 'Old versions of copied objects kept 30 days')).toBeCloseTo(50 * 0.023, 6);
    const week = estimate(totals({ noncurrentDays: 7 }));
    expect(line(week, 'Old versions')).toBeCloseTo((50 * 0.023 * 7) / 30, 6);
  });

  it('counts KMS calls with and without Bucket Keys', () => {
    expect(e.kmsRequests.withoutBucketKeys).toBe(200_000 * 1 + 1_000_000 * 2);
    expect(e.kmsRequests.high).toBe(220_000);
    expect(e.kmsRequests.low).toBe(2_200);
  });

  it('gives a duration range whose slow end is slower than its fast end', () => {
    const [fast, slow] = e.durationSeconds;
    expect(fast).toBeGreaterThan(0);
    expect(slow).toBeGreaterThan(fast);
    expect(fast).toBeCloseTo(2 * 60 + 1_200_000 / 2000, 6);
  });

  it('totals its lines', () => {
    expect(e.totalUsd).toBeCloseTo(
      e.lines.reduce((s, l) => s + l.usd, 0),
      9,
    );
  });

  it('costs only the key when nothing needs doing', () => {
    const none = estimate({ byAction: {}, copiedBytesByStorageClass: {}, jobs: 0, noncurrentDays: 30 });
    expect(none.totalUsd).toBeCloseTo(DEFAULT_PRICES.kmsKeyPerMonth, 9);
    expect(none.durationSeconds).toEqual([0, 0]);
  });

  it('compares the KMS rate against the quota it was given', () => {
    expect(estimate(totals(), DEFAULT_PRICES, { ...DEFAULT_THROUGHPUT, kmsRequestQuotaPerSecond: 30_000 }).kmsQuotaPerSecond).toBe(30_000);
  });
});
