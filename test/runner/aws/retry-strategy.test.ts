// The runner's one retry layer: bounded per call, no shared quota that a throttling storm empties.
import { BoundedRetryStrategy, MAX_BACKOFF_MS } from '../../../runner/aws/retry-strategy';

describe('BoundedRetryStrategy', () => {
  it('allows maxAttempts sends per call, then gives up', async () => {
    const strategy = new BoundedRetryStrategy(3, () => 0.5);
    let token = await strategy.acquireInitialRetryToken();
    token = await strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' });
    token = await strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' });
    expect(token.getRetryCount()).toBe(2);
    await expect(strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' })).rejects.toThrow('no attempts left after 3');
  });

  it('still retries the ten-thousandth throttled call: no quota runs dry under a storm', async () => {
    const strategy = new BoundedRetryStrategy(8, () => 0);
    for (let call = 0; call < 10_000; call++) {
      const token = await strategy.acquireInitialRetryToken();
      await expect(strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' })).resolves.toBeDefined();
    }
  });

  it('never retries a client error', async () => {
    const strategy = new BoundedRetryStrategy(8);
    await expect(
      strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(), { errorType: 'CLIENT_ERROR' }),
    ).rejects.toThrow('not retryable');
  });

  it.each([
    ['THROTTLING', 1, 1000],
    ['TRANSIENT', 1, 200],
    ['SERVER_ERROR', 3, 800],
    ['THROTTLING', 7, MAX_BACKOFF_MS],
  ] as const)('backs off %s retry %i by at most %i ms, jittered', async (errorType, retries, ceiling) => {
    const max = new BoundedRetryStrategy(10, () => 0.999999);
    const min = new BoundedRetryStrategy(10, () => 0);
    const at = { getRetryCount: () => retries - 1, getRetryDelay: () => 0 };
    expect((await max.refreshRetryTokenForRetry(at, { errorType })).getRetryDelay()).toBe(Math.floor(0.999999 * ceiling));
    expect((await min.refreshRetryTokenForRetry(at, { errorType })).getRetryDelay()).toBe(0);
  });
});
