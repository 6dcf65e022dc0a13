// The runner's one retry layer, plugged into the SDK: every call is sent at most maxAttempts times,
// with jittered exponential backoff capped at 20 s, on throttling, transient and server errors.
// Unlike the SDK's standard mode it has no shared retry quota: under sustained throttling a quota
// empties and stops retrying every call at once, turning a slow-down into a run full of failures.

/** The SDK's retry-token contract (@smithy/types RetryToken), as far as the runner uses it. */
interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

/** What the SDK tells a strategy about a failed attempt (@smithy/types RetryErrorInfo). */
interface RetryErrorInfo {
  readonly errorType: 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';
}

/** Longest wait between two attempts, as the SDK's standard mode. */
export const MAX_BACKOFF_MS = 20_000;

function token(retries: number, delayMs: number): RetryToken {
  return { getRetryCount: () => retries, getRetryDelay: () => delayMs };
}

export class BoundedRetryStrategy {
  readonly mode = 'runner-bounded';

  constructor(
    private readonly maxAttempts: number,
    private readonly random: () => number = Math.random,
  ) {
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
      throw new Error(`maxAttempts must be a whole number of at least 1. Received: ${maxAttempts}`);
  }

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return token(0, 0);
  }

  /** Another attempt, after a delay; a rejection makes the SDK throw the attempt's own error. */
  async refreshRetryTokenForRetry(previous: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const retries = previous.getRetryCount() + 1;
    if (info.errorType === 'CLIENT_ERROR') throw new Error('not retryable');
    if (retries >= this.maxAttempts) throw new Error(`no attempts left after ${this.maxAttempts}`);
    // Throttling backs off from a longer base, as AWS's SDKs do.
    const base = info.errorType === 'THROTTLING' ? 500 : 100;
    return token(retries, Math.floor(this.random() * Math.min(MAX_BACKOFF_MS, base * 2 ** retries)));
  }

  recordSuccess(): void {
    // No quota to refill: each call is bounded on its own.
  }
}
