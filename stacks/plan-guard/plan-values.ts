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
