// The value a test set up or read back must be there: when it is not, the test fails here, naming
// what was missing, instead of on a TypeError further down.
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Expected ${what}, found none`);
  return value;
}
