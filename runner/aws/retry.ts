// Retries throttled and transient AWS calls with capped exponential backoff and full jitter, on top
// of the SDK's own retries, so a run survives sustained throttling instead of dying on it.
import { isRetryable } from './errors';

export interface RetryOptions {
  /** @default 8 */
  readonly attempts?: number;
  /** @default 100 */
  readonly baseDelayMs?: number;
  /** @default 5000 */
  readonly maxDelayMs?: number;
  /** @default Math.random */
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  const base = options.baseDelayMs ?? 100;
  const cap = options.maxDelayMs ?? 5000;
  const random = options.random ?? Math.random;
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await wait(Math.floor(random() * Math.min(cap, base * 2 ** attempt)));
    }
  }
}
