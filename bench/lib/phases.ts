// Splits a runner's recorded SDK calls into the phases of `migrate run` (batch engine), from the
// order the runner makes its calls in; pure, so it is unit-tested on hand-written timelines.

export interface TimedCall {
  readonly service: string;
  readonly operation: string;
  readonly start: number;
  readonly end: number;
}

/** Milliseconds per phase; `followBusy` is the runner's own calls inside follow (no poll waits). */
export interface RunPhases {
  readonly startup: number;
  readonly preflight: number;
  readonly plan: number;
  readonly manifests: number;
  readonly createJob: number;
  readonly follow: number;
  readonly followBusy: number;
  readonly summarize: number;
  /** Time spent waiting for Athena queries (StartQueryExecution to the last status poll), in plan and manifests. */
  readonly athenaWait: number;
}

const is = (c: TimedCall, service: string, operation: string) => c.service === service && c.operation === operation;

/**
 * Phases, by landmarks: preflight ends at the first Athena query; the plan ends at the query that
 * feeds the first manifest (the last query before the first CreateJob); manifests and CreateJob run
 * until the last CreateJob; follow runs to the last DescribeJob; the rest is the summary.
 */
export function runPhases(calls: readonly TimedCall[], wallMs: number): RunPhases {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const index = (pred: (c: TimedCall) => boolean, from = 0) => sorted.findIndex((c, i) => i >= from && pred(c));
  const lastIndex = (pred: (c: TimedCall) => boolean) => sorted.reduce((found, c, i) => (pred(c) ? i : found), -1);

  const first = sorted[0]?.start ?? wallMs;
  const firstQuery = index((c) => is(c, 'athena', 'StartQueryExecution'));
  const firstCreate = index((c) => is(c, 's3control', 'CreateJob'));
  const lastCreate = lastIndex((c) => is(c, 's3control', 'CreateJob'));
  const lastDescribe = lastIndex((c) => is(c, 's3control', 'DescribeJob'));
  let manifestQuery = -1;
  for (let i = 0; i < firstCreate; i++) if (is(sorted[i]!, 'athena', 'StartQueryExecution')) manifestQuery = i;

  const at = (i: number, fallback: number) => (i >= 0 ? sorted[i]!.start : fallback);
  const endOf = (i: number, fallback: number) => (i >= 0 ? sorted[i]!.end : fallback);
  const planStart = at(firstQuery, wallMs);
  const submitStart = at(manifestQuery, endOf(lastCreate, wallMs));
  const submitEnd = endOf(lastCreate, submitStart);
  const followEnd = endOf(lastDescribe, submitEnd);
  const createJob = sorted.filter((c) => is(c, 's3control', 'CreateJob')).reduce((sum, c) => sum + (c.end - c.start), 0);
  const followBusy = sorted.filter((c) => c.start >= submitEnd && c.end <= followEnd).reduce((sum, c) => sum + (c.end - c.start), 0);

  let athenaWait = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (!is(sorted[i]!, 'athena', 'StartQueryExecution')) continue;
    let j = i + 1;
    while (j < sorted.length && is(sorted[j]!, 'athena', 'GetQueryExecution')) j++;
    athenaWait += sorted[j - 1]!.end - sorted[i]!.start;
  }

  return {
    startup: first,
    preflight: planStart - first,
    plan: submitStart - planStart,
    manifests: submitEnd - submitStart - createJob,
    createJob,
    follow: followEnd - submitEnd,
    followBusy,
    summarize: wallMs - followEnd,
    athenaWait,
  };
}

/** Calls per `service:Operation`, sorted by name. */
export function callsByOperation(calls: readonly TimedCall[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(`${c.service}:${c.operation}`, (counts.get(`${c.service}:${c.operation}`) ?? 0) + 1);
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
