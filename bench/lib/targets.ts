// Target evaluation: each speed target becomes PASS or MISS with the measured ratio, so the
// report states by how much a target holds or misses instead of a bare yes/no.

export type TargetStatus = 'PASS' | 'MISS' | 'NOT RUN';

export interface TargetResult {
  readonly id: string;
  readonly target: string;
  readonly status: TargetStatus;
  /** The measured figure the target is about, e.g. a ratio 1.12 or 612 (MiB). */
  readonly measured?: number;
  readonly limit?: number;
  readonly note: string;
}

export type Comparison = 'at-most' | 'below' | 'at-least';

/** True when `measured` satisfies `comparison` against `limit`. */
export function meets(measured: number, comparison: Comparison, limit: number): boolean {
  if (!Number.isFinite(measured)) return false;
  switch (comparison) {
    case 'at-most':
      return measured <= limit;
    case 'below':
      return measured < limit;
    case 'at-least':
      return measured >= limit;
  }
}

/** `a / b`, rounded to two decimals; NaN when `b` is zero or missing so it can never PASS. */
export function ratio(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined || b === 0) return Number.NaN;
  return Math.round((a / b) * 100) / 100;
}

export function evaluate(props: {
  readonly id: string;
  readonly target: string;
  readonly measured: number | undefined;
  readonly comparison: Comparison;
  readonly limit: number;
  readonly note: string;
}): TargetResult {
  if (props.measured === undefined) return { id: props.id, target: props.target, status: 'NOT RUN', limit: props.limit, note: props.note };
  return {
    id: props.id,
    target: props.target,
    status: meets(props.measured, props.comparison, props.limit) ? 'PASS' : 'MISS',
    measured: props.measured,
    limit: props.limit,
    note: props.note,
  };
}
