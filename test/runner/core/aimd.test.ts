// The direct engine's adaptive concurrency: halves on throttling (once per burst), grows back by one per window of successes.
import { AimdController } from '../../../runner/core/aimd';

describe('AimdController', () => {
  it.each([
    // [max, throttles at ms, expected limit]
    [16, [0], 8],
    [16, [0, 10, 20], 8], // one burst of 503s from calls in flight together halves once
    [16, [0, 1000], 4],
    [16, [0, 1000, 2000, 3000, 4000], 1],
    [1, [0], 1],
  ])('max %i, throttles at %j ms: limit %i', (max, at, expected) => {
    const c = new AimdController({ max, cooldownMs: 1000 });
    for (const t of at) c.onThrottle(t);
    expect(c.limit).toBe(expected);
  });

  it('grows back by one after a full window of successes, never above max', () => {
    const c = new AimdController({ max: 8, initial: 4 });
    for (let i = 0; i < 3; i++) c.onSuccess();
    expect(c.limit).toBe(4);
    c.onSuccess();
    expect(c.limit).toBe(5);
    for (let i = 0; i < 100; i++) c.onSuccess();
    expect(c.limit).toBe(8);
  });

  it('refuses a max that is not a positive integer, naming the value', () => {
    expect(() => new AimdController({ max: 0 })).toThrow("'max' concurrency must be a positive integer. Received: 0");
  });
});
