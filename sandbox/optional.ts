// Builds objects whose optional fields are absent rather than `undefined`, so saved state and
// deep-equality checks see only the fields that were set.

/** `{ [name]: value }` when value is defined, else `{}`; spread it into an object literal. */
export function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}
