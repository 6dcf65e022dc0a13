// Adaptive concurrency for the direct engine: additive increase, multiplicative decrease (AIMD), so
// the runner backs off as soon as S3 or KMS throttles and creeps back up while calls succeed.

export interface AimdProps {
  /** The ceiling the user asked for (`--concurrency`). */
  readonly max: number;
  /** @default 1 */
  readonly min?: number;
  /** @default max */
  readonly initial?: number;
  /**
   * Throttles within this long of a decrease count as the same congestion event: a burst of 503s
   * from calls that were all in flight together halves the limit once, not once per call.
   * @default 1000
   */
  readonly cooldownMs?: number;
}

export class AimdController {
  private current: number;
  private successesSinceChange = 0;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  private readonly max: number;
  private readonly min: number;
  private readonly cooldownMs: number;
  /** Number of halvings so far: for the progress line and tests. */
  decreases = 0;

  constructor(props: AimdProps) {
    const min = props.min ?? 1;
    if (!Number.isInteger(props.max) || props.max < 1)
      throw new Error(`'max' concurrency must be a positive integer. Received: ${props.max}`);
    if (!Number.isInteger(min) || min < 1 || min > props.max)
      throw new Error(`'min' concurrency must be an integer between 1 and max (${props.max}). Received: ${min}`);
    this.max = props.max;
    this.min = min;
    this.cooldownMs = props.cooldownMs ?? 1000;
    this.current = Math.min(this.max, Math.max(this.min, props.initial ?? props.max));
  }

  /** How many calls may be in flight now. */
  get limit(): number {
    return this.current;
  }

  /** A call succeeded: one more slot after a full window (limit calls) of successes. */
  onSuccess(): void {
    if (this.current >= this.max) return;
    this.successesSinceChange++;
    if (this.successesSinceChange >= this.current) {
      this.current++;
      this.successesSinceChange = 0;
    }
  }

  /** A call was throttled (503 SlowDown, ThrottlingException): halve, at most once per cooldown. */
  onThrottle(nowMs: number): void {
    if (nowMs - this.lastDecreaseAt < this.cooldownMs) return;
    this.current = Math.max(this.min, Math.floor(this.current / 2));
    this.successesSinceChange = 0;
    this.lastDecreaseAt = nowMs;
    this.decreases++;
  }
}
