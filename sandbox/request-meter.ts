// Counts the requests a sandbox serves, per service and operation, for the benchmarks (bench/).
// It hooks the fault injector's decide(), which the HTTP front door calls exactly once for every
// request it routes (before any fault applies), so nothing in the server or the handlers changes.
import type { Sandbox } from './sandbox';

export interface RequestCounts {
  /** Requests per `service:Operation`, e.g. `s3:PutObject`, `athena:StartQueryExecution`. */
  readonly byOperation: Readonly<Record<string, number>>;
  readonly total: number;
}

export interface RequestMeter {
  counts(): RequestCounts;
  reset(): void;
}

/** Starts counting the sandbox's requests; counts include retries the client makes. */
export function meterRequests(sandbox: Pick<Sandbox, 'faults'>): RequestMeter {
  let byOperation = new Map<string, number>();
  const faults = sandbox.faults;
  const decide = faults.decide.bind(faults);
  faults.decide = (service, operation) => {
    const name = `${service}:${operation}`;
    byOperation.set(name, (byOperation.get(name) ?? 0) + 1);
    return decide(service, operation);
  };
  return {
    counts: () => {
      const sorted = [...byOperation.entries()].sort(([a], [b]) => a.localeCompare(b));
      return { byOperation: Object.fromEntries(sorted), total: sorted.reduce((sum, [, n]) => sum + n, 0) };
    },
    reset: () => {
      byOperation = new Map();
    },
  };
}
