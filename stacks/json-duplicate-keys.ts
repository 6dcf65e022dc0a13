// Finds the object keys a JSON text repeats, which JSON.parse resolves silently to the last value.
// A config file that says `"versioning": false` and, further down the same object,
// `"versioning": true` was meant to say one of them; which one only its author knows, so both
// lines are reported instead of guessing. JSON.parse has no hook for this and no maintained npm
// parser reports every duplicate with its path, so this scanner walks the tokens itself.

/** One repeated key: where it repeats and which object it repeats in. */
export interface DuplicateKey {
  readonly key: string;
  /** Path of the object holding the key, as segments: ['buckets', 1] for buckets[1]; [] for the top level. */
  readonly path: readonly (string | number)[];
  /** 1-based line of the repetition. */
  readonly line: number;
  /** 1-based line where the object first had the key. */
  readonly firstLine: number;
}

/**
 * Where a container sits: its parent and its key or index there. Paths are built only for a
 * duplicate, so that a deep document costs memory in proportion to its depth, not its square.
 */
interface Place {
  readonly parent?: Place;
  readonly segment?: string | number;
}

interface OpenObject {
  readonly kind: 'object';
  readonly place: Place;
  readonly keys: Map<string, number>;
  /** The key whose value comes next, once its ':' has been read. */
  pendingKey?: string;
}

interface OpenArray {
  readonly kind: 'array';
  readonly place: Place;
  nextIndex: number;
}

function pathOf(place: Place): (string | number)[] {
  const segments: (string | number)[] = [];
  for (let at: Place | undefined = place; at?.segment !== undefined; at = at.parent) segments.push(at.segment);
  return segments.reverse();
}

/**
 * Every repeated key of every object in `text`, in document order. Expects text that JSON.parse
 * accepts (callers parse first and report syntax errors themselves); on anything else it returns
 * what it found up to the first surprise rather than throwing.
 */
export function duplicateKeys(text: string): DuplicateKey[] {
  const duplicates: DuplicateKey[] = [];
  // An explicit stack rather than recursion: a deeply nested file must not overflow the call stack.
  const open: (OpenObject | OpenArray)[] = [];
  let line = 1;
  let pos = 0;
  // In an object, a string is a key when no ':' has followed the previous key yet.
  let expectingKey = false;

  /** The place of the value about to start, in the innermost open container. */
  const nextValuePlace = (): Place => {
    const parent = open[open.length - 1];
    if (parent === undefined) return {};
    if (parent.kind === 'array') return { parent: parent.place, segment: parent.nextIndex++ };
    return { parent: parent.place, segment: parent.pendingKey ?? '' };
  };

  while (pos < text.length) {
    const char = text[pos]!;
    if (char === '\n') {
      line++;
      pos++;
    } else if (char === '"') {
      const end = stringEnd(text, pos);
      if (end < 0) break;
      const value = JSON.parse(text.slice(pos, end + 1)) as string;
      const parent = open[open.length - 1];
      if (expectingKey && parent?.kind === 'object') {
        const firstLine = parent.keys.get(value);
        if (firstLine === undefined) parent.keys.set(value, line);
        else duplicates.push({ key: value, path: pathOf(parent.place), line, firstLine });
        parent.pendingKey = value;
        expectingKey = false;
      } else {
        nextValuePlace();
      }
      // JSON strings hold no raw line breaks, so the line count stays right across them.
      pos = end + 1;
    } else if (char === '{') {
      open.push({ kind: 'object', place: nextValuePlace(), keys: new Map() });
      expectingKey = true;
      pos++;
    } else if (char === '[') {
      open.push({ kind: 'array', place: nextValuePlace(), nextIndex: 0 });
      expectingKey = false;
      pos++;
    } else if (char === '}' || char === ']') {
      open.pop();
      expectingKey = false;
      pos++;
    } else if (char === ',') {
      expectingKey = open[open.length - 1]?.kind === 'object';
      pos++;
    } else if (char === ':' || char === ' ' || char === '\t' || char === '\r') {
      pos++;
    } else {
      // A number, true, false or null: one value, which takes an array index.
      nextValuePlace();
      while (pos < text.length && !',]}\n \t\r'.includes(text[pos]!)) pos++;
    }
  }
  return duplicates;
}

/** Index of the quote closing the string that opens at `start`, or -1 when it never closes. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}
