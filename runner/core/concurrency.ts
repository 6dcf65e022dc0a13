// Bounded concurrency over a list: at most N calls in flight, results in input order.

/**
 * The most calls the runner ever has in flight to one service (`--concurrency` is at most this). The
 * SDK's HTTP agent would otherwise queue every call past 50 per host, unseen by the runner's own
 * adaptive concurrency, and warn on stderr; the runner's limits are the only ones.
 */
export const MAX_CALLS_IN_FLIGHT = 1000;

/** Runs `work` over `items` with at most `concurrency` calls in flight, results in input order. */
export async function mapConcurrently<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  // One iterator shared by every worker: each item is taken exactly once, by whichever worker is free.
  const queue = items.entries();
  const worker = async () => {
    for (const [i, item] of queue) results[i] = await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
