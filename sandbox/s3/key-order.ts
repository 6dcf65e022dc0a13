// S3 lists keys in UTF-8 byte order; JavaScript compares UTF-16 code units, which differs only
// when a surrogate pair meets a character in U+E000..U+FFFF. This comparator fixes exactly that.

export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) return rank(x) - rank(y);
    return x - y;
  }
  return a.length - b.length;
}

/** Surrogates (code points above U+FFFF in UTF-8) sort after U+E000..U+FFFF. */
function rank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit - 0x800;
}

/** Keys by position: an array of them, or a bucket's SortedKeys. */
export interface KeyList {
  readonly length: number;
  at(index: number): string | undefined;
}

/** Index of the first key in sorted `keys` that is greater than (or, with inclusive, equal to) `key`. */
export function lowerBound(keys: KeyList, key: string, inclusive: boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareKeys(keys.at(mid)!, key);
    if (c < 0 || (!inclusive && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
