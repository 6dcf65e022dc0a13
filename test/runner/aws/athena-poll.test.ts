// How often the runner asks Athena whether a query is done: fast at first, one a second at most.
import { FIRST_POLL_MS, MAX_POLL_MS, nextPollMs } from '../../../runner/aws/athena';

/** The moments (ms after the start) at which a query is polled, for `total` ms. */
function pollTimes(total: number): number[] {
  const times: number[] = [];
  for (let at = 0, delay = FIRST_POLL_MS; at <= total; at += delay, delay = nextPollMs(delay)) times.push(at);
  return times;
}

describe('Athena poll schedule', () => {
  it('grows by half from the first interval', () => {
    expect([FIRST_POLL_MS, nextPollMs(FIRST_POLL_MS), nextPollMs(nextPollMs(FIRST_POLL_MS))]).toEqual([100, 150, 225]);
  });

  it('never waits more than a second between polls', () => {
    let delay = FIRST_POLL_MS;
    for (let i = 0; i < 50; i++) delay = nextPollMs(delay);
    expect(delay).toBe(MAX_POLL_MS);
  });

  it.each([0.3, 1.4, 3.1, 6.2, 60])('sees a query that ends after %f s within a second of its end', (seconds) => {
    const end = seconds * 1000;
    const seen = pollTimes(end + 5_000).find((t) => t >= end)!;
    expect(seen - end).toBeLessThanOrEqual(MAX_POLL_MS);
  });

  it('polls a 5-minute query about once a second, far inside the 100 calls a second Athena allows an account', () => {
    const polls = pollTimes(300_000).length;
    expect(polls).toBeLessThan(310);
    expect(polls).toBeGreaterThan(290);
  });
});
