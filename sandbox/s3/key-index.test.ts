import { KeyIndex, NO_KEY } from './key-index';
import { SortedKeys, mergeRuns, sortKeys } from './sorted-keys';

/** A deterministic generator, so a failure reproduces. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const ODD_KEYS = ['', 'a', 'ä', 'ünïcødé/日本語/😀.bin', '\ud83d', 'a\u0000b', 'ÿ', 'Ā', 'k'.repeat(1024), 'x\uffffy', '\ue000'];

function keyFor(random: () => number, i: number): string {
  const r = random();
  if (r < 0.1) return `${ODD_KEYS[i % ODD_KEYS.length]}-${i}`;
  return `data/${2019 + (i % 6)}/object-${String(Math.floor(r * 5000)).padStart(8, '0')}.bin`;
}

describe('KeyIndex', () => {
  it('finds, names and removes keys as a Map does, through growth, tombstones and number reuse', () => {
    const index = new KeyIndex();
    const model = new Map<string, number>();
    const random = lcg(7);
    // Mismatches are collected, not asserted one by one: twenty thousand expect() calls are slow.
    const mismatches: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok && mismatches.length < 5) mismatches.push(what);
    };
    for (let step = 0; step < 20_000; step++) {
      const key = keyFor(random, step);
      const k = index.find(key);
      check((k === NO_KEY) === !model.has(key), `find(${JSON.stringify(key)}) at step ${step}`);
      if (k === NO_KEY) {
        const added = index.add(key, step);
        model.set(key, added);
        check(index.name(added) === key && index.value(added) === step, `add(${JSON.stringify(key)}) at step ${step}`);
      } else {
        check(k === model.get(key) && index.name(k) === key, `number of ${JSON.stringify(key)} at step ${step}`);
        if (random() < 0.5) {
          index.remove(k);
          model.delete(key);
          check(index.find(key) === NO_KEY, `remove(${JSON.stringify(key)}) at step ${step}`);
        } else index.setValue(k, -step);
      }
      check(index.size === model.size, `size at step ${step}`);
    }
    expect(mismatches).toEqual([]);
    for (const [key, k] of model) {
      expect(index.find(key)).toBe(k);
      expect(index.equals(k, key)).toBe(true);
    }
    expect(new Set([...index.liveNumbers()])).toEqual(new Set(model.values()));
  });

  it('tells keys apart that share their low bytes or differ only in width', () => {
    const index = new KeyIndex();
    const narrow = index.add('\u00ff', 1);
    const wide = index.add('\u01ff', 2);
    const surrogate = index.add('\ud83d\ude00', 3);
    expect(index.find('\u00ff')).toBe(narrow);
    expect(index.find('\u01ff')).toBe(wide);
    expect(index.find('\ud83d\ude00')).toBe(surrogate);
    expect(index.find('\ud83d')).toBe(NO_KEY);
    expect(index.equals(narrow, '\u01ff')).toBe(false);
    expect(index.name(surrogate)).toBe('\ud83d\ude00');
  });

  it('refuses a key too long to hold, naming its length', () => {
    expect(() => new KeyIndex().add('k'.repeat(70_000), 0)).toThrow(/70000 characters/);
  });
});

describe('SortedKeys', () => {
  it('keeps S3 listing order through inserts and removes, as sorting the model does', () => {
    const index = new KeyIndex();
    const names = {
      keyNumbers: () => index.liveNumbers(),
      keyName: (k: number) => index.name(k),
      keyNumber: (key: string) => index.find(key),
    };
    const random = lcg(11);
    const model = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const key = keyFor(random, i);
      if (index.find(key) === NO_KEY) index.add(key, i);
      model.add(key);
    }
    // Runs of 97 keys: the first sort merges about twenty runs.
    const sorted = SortedKeys.of(names, 97);
    expect([...sorted]).toEqual(sortKeys([...model]));
    expect([...SortedKeys.of(names)]).toEqual([...sorted]);
    for (let i = 2000; i < 3000; i++) {
      const key = keyFor(random, i);
      const k = index.find(key);
      if (k === NO_KEY) {
        sorted.insert(key, index.add(key, i));
        model.add(key);
      } else if (random() < 0.6) {
        index.remove(k);
        sorted.remove(key);
        model.delete(key);
      }
    }
    expect(sorted.length).toBe(model.size);
    expect([...sorted]).toEqual(sortKeys([...model]));
    expect(() => sorted.at(sorted.length)).toThrow(RangeError);
  });
});

describe('mergeRuns', () => {
  it('merges sorted runs, empty ones and keys that UTF-16 order would misplace, into S3 order', () => {
    const keys = ['a', 'b', '\ud83d\ude00', '\uffff', 'ab', '', 'z', 'y/1', 'y/0', '\ue000'];
    const runs = [[1, 6], [], [0, 4, 7, 9], [3, 2], [8, 5]].map((run) =>
      Int32Array.from(sortKeys(run.map((k) => keys[k]!)), (key) => keys.indexOf(key)),
    );
    const merged = [...mergeRuns(runs, { keyName: (k) => keys[k]! })].map((k) => keys[k]!);
    expect(merged).toEqual(sortKeys([...keys]));
    // UTF-8 order puts U+FFFF before the surrogate pair of U+1F600; UTF-16 order would not.
    expect(merged.indexOf('\uffff')).toBeLessThan(merged.indexOf('\ud83d\ude00'));
    expect([...mergeRuns([], { keyName: () => '' })]).toEqual([]);
  });
});
