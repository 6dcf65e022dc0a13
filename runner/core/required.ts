// Reading an element the surrounding code has already made sure exists: a missing one is a bug in
// the runner, and the error says which element it was rather than failing later on `undefined`.

/** `items[index]`, which must exist. */
export function elementAt<T>(items: readonly T[], index: number, what: string): T {
  const item = items[index];
  if (item === undefined) throw new Error(`Bug in the runner: ${what} is missing (index ${index} of ${items.length})`);
  return item;
}

/** `record[key]`, which must exist. */
export function entryOf<T>(record: Readonly<Partial<Record<string, T>>> | undefined, key: string, what: string): T {
  const entry = record?.[key];
  if (entry === undefined) throw new Error(`Bug in the runner: ${what} ${JSON.stringify(key)} is missing`);
  return entry;
}
