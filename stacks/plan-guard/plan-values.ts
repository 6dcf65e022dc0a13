// Reading the values of a resource change: the object before it and as planned after it, as the JSON plan format renders them.
import type { ResourceChange } from './plan-json';

/** A property of a JSON object; undefined for anything that is not an object (null, arrays, scalars). */
export function attribute(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

/** An attribute of the object as it is now, or as planned when it does not exist yet. */
export function stringAttribute(change: ResourceChange, key: string): string | undefined {
  for (const value of [change.change.before, change.change.after]) {
    const found = attribute(value, key);
    if (typeof found === 'string' && found !== '') return found;
  }
  return undefined;
}

/**
 * One attribute of an update, before and after, named the way a reviewer reads it:
 * `rule[].apply_server_side_encryption_by_default[].sse_algorithm`, where `[]` marks a nested
 * block (the JSON plan renders every block as a list of objects, sets of blocks included).
 */
export interface AttributeChange {
  readonly attribute: string;
  /** Every value at the path before the change, one per nested block on the way. */
  readonly before: readonly unknown[];
  /** The same after the change; meaningless when `unknown`. */
  readonly after: readonly unknown[];
  /** Terraform will know the value only during apply (`after_unknown`). */
  readonly unknown: boolean;
  readonly changed: boolean;
}

export function attributeChange(change: ResourceChange, attributePath: string): AttributeChange {
  const steps = attributePath.replace(/\[\]/g, '').split('.');
  const before = valuesAt(change.change.before, steps);
  const after = valuesAt(change.change.after, steps);
  const unknown = unknownAt(change.change.after_unknown, steps);
  return { attribute: attributePath, before, after, unknown, changed: unknown || JSON.stringify(before) !== JSON.stringify(after) };
}

function valuesAt(value: unknown, steps: readonly string[]): unknown[] {
  const [step, ...rest] = steps;
  if (step === undefined) return value === undefined ? [] : [value];
  const next = attribute(value, step);
  if (rest.length > 0 && Array.isArray(next)) return next.flatMap((item) => valuesAt(item, rest));
  return valuesAt(next, rest);
}

/** `after_unknown` mirrors the value's shape with `true` where a value (or a whole block) is unknown. */
function unknownAt(value: unknown, steps: readonly string[]): boolean {
  if (value === true) return true;
  if (Array.isArray(value)) return value.some((item) => unknownAt(item, steps));
  const [step, ...rest] = steps;
  if (step === undefined) return false;
  return unknownAt(attribute(value, step), rest);
}
