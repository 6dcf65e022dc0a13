// How many versions a direct pass failed on, and with which codes, counting the ones spilled beside the state.
import type { DirectPassRecord } from '../state';

/** Versions a pass failed on, spilled ones included. */
export function failureTotal(record: DirectPassRecord): number {
  return (record.spilledFailures ?? 0) + record.failures.length;
}

/** Failures by error code, spilled ones included. */
export function failureCodes(record: DirectPassRecord): Map<string, number> {
  const codes = new Map<string, number>(Object.entries(record.spilledFailureCodes ?? {}));
  for (const f of record.failures) codes.set(f.code, (codes.get(f.code) ?? 0) + 1);
  return codes;
}
