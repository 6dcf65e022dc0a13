// Unit tests of the target evaluation: ratios, PASS/MISS at the limits, and call-count differences.
import { evaluate, meets, ratio } from '../../bench/lib/targets';

describe('ratio', () => {
  it.each([
    [150, 100, 1.5],
    [1, 3, 0.33],
  ])('%p / %p is %p', (a, b, expected) => {
    expect(ratio(a, b)).toBe(expected);
  });

  it('is NaN when the base is zero or missing, so it can never pass', () => {
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(undefined, 2)).toBeNaN();
    expect(meets(Number.NaN, 'at-least', 0)).toBe(false);
  });
});

describe('evaluate', () => {
  const base = { id: 't', target: 'x', note: '' };

  it.each([
    ['at-most', 1.5, 1.5, 'PASS'],
    ['at-most', 1.51, 1.5, 'MISS'],
    ['below', 3, 3, 'MISS'],
    ['below', 2.99, 3, 'PASS'],
    ['at-least', 2, 2, 'PASS'],
    ['at-least', 1.99, 2, 'MISS'],
  ] as const)('%s: %p against %p is %s', (comparison, measured, limit, status) => {
    expect(evaluate({ ...base, comparison, measured, limit }).status).toBe(status);
  });

  it('says NOT RUN when nothing was measured', () => {
    expect(evaluate({ ...base, comparison: 'at-most', measured: undefined, limit: 1 }).status).toBe('NOT RUN');
  });
});
