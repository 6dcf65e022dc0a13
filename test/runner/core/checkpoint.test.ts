// Checkpoint bookkeeping: the watermark advances only over a gap-free prefix; versions done beyond
// it are remembered, and a resumed tracker skips exactly those.
import { defined } from '../../support/defined';
import { CheckpointTracker, type VersionPosition } from '../../../runner/core/checkpoint';

const v = (key: string, versionId = '1'): VersionPosition => ({ key, versionId });

describe('CheckpointTracker', () => {
  it.each([
    ['in order', [0, 1, 2], 3, 'c', []],
    ['last first', [2, 1], 0, undefined, ['b', 'c']],
    ['first and last', [0, 2], 1, 'a', ['c']],
    ['nothing', [], 0, undefined, []],
  ])('finishing %s', (_name, finished, completed, after, ahead) => {
    const t = new CheckpointTracker();
    const seq = [v('a'), v('b'), v('c')].map((p) => t.begin(p));
    for (const i of finished) t.finish(defined(seq[i], `begun version ${i}`));
    const snap = t.snapshot();
    expect(snap.completed).toBe(completed);
    expect(snap.after?.key).toBe(after);
    expect(snap.doneAhead.map((p) => p.key).sort()).toEqual(ahead);
  });

  it('resumes: skips what was done ahead, counts it into the prefix, forgets it once passed', () => {
    const first = new CheckpointTracker();
    const [a, b, c] = [first.begin(v('a')), first.begin(v('b')), first.begin(v('c'))];
    first.finish(a);
    first.finish(c);
    void b;
    const saved = first.snapshot();
    const resumed = new CheckpointTracker(saved);
    expect(resumed.wasDone(v('b'))).toBe(false);
    expect(resumed.wasDone(v('c'))).toBe(true);
    resumed.finish(resumed.begin(v('b')));
    resumed.skip(v('c'));
    expect(resumed.snapshot()).toEqual({ completed: 3, after: v('c'), doneAhead: [] });
  });

  it('keeps an earlier run’s done-ahead versions until this run passes them', () => {
    const resumed = new CheckpointTracker({ completed: 5, after: v('e'), doneAhead: [v('h')] });
    resumed.begin(v('f'));
    expect(resumed.snapshot().doneAhead).toEqual([v('h')]);
  });

  it('reports the spread between the oldest unfinished and the newest started version', () => {
    const t = new CheckpointTracker();
    const first = t.begin(v('a'));
    for (const k of ['b', 'c', 'd']) t.finish(t.begin(v(k)));
    expect(t.spread).toBe(4);
    t.finish(first);
    expect(t.spread).toBe(0);
  });
});
