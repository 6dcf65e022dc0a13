// Reading an entry the surrounding code has already made sure exists: a missing one is a bug in
// the runner, and the error says which entry it was rather than failing later on `undefined`.

/** `record[key]`, which must exist. */
export function entryOf<T>(record: Readonly<Partial<Record<string, T>>> | undefined, key: string, what: string): T {
  const entry = record?.[key];
  if (entry === undefined) throw new Error(`Bug in the runner: ${what} ${JSON.stringify(key)} is missing`);
  return entry;
}
