// How a config's problems are told: values as received, wrong types, zod issues as field paths,
// and the one error that carries every problem of a config.
import type { z } from 'zod';

// Values longer than this are cut in messages, so that one problem stays one readable line.
const MAX_RECEIVED_CHARS = 80;

/**
 * A value as a message names it, with its JSON type: `the number 123456789012`,
 * `the string "yes"`, `the boolean true`, `null`, `the array ["a","b"]`; long ones shortened.
 */
export function describeReceived(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    const shown = value.length > MAX_RECEIVED_CHARS ? `${value.slice(0, MAX_RECEIVED_CHARS)}…` : value;
    return `the string ${JSON.stringify(shown)}${shown === value ? '' : ` (${value.length} characters)`}`;
  }
  const kind = Array.isArray(value) ? 'array' : typeof value;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a parsed config value: an object always has JSON, anything else here is a number or boolean
  const text = typeof value === 'object' ? (JSON.stringify(value) ?? String(value)) : String(value);
  return `the ${kind} ${text.length > MAX_RECEIVED_CHARS ? `${text.slice(0, MAX_RECEIVED_CHARS)}…` : text}`;
}

/** The one shape of every wrong-type message: what the field takes, then what it was given. */
export function wrongType(expected: string, input: unknown): string {
  return `expected ${expected}, received ${describeReceived(input)}`;
}

/**
 * The `error` option of a schema: an input of the wrong JSON type reads "expected <what>, received
 * <value>"; any other issue of that schema reads `otherwise`, or zod's own message without it.
 */
export function expecting(what: string, otherwise?: (issue: { readonly input?: unknown }) => string) {
  return (issue: { readonly code?: string; readonly input?: unknown }) =>
    issue.code === 'invalid_type' ? wrongType(what, issue.input) : otherwise?.(issue);
}

/**
 * The `error` option of an enum, for which zod reports a number like an unknown word: a string
 * that is not one of the choices reads `unknownValue`, anything else is a wrong type.
 */
export function choosing(what: string, unknownValue: (input: string) => string) {
  return (issue: { readonly input?: unknown }) =>
    typeof issue.input === 'string' ? unknownValue(issue.input) : wrongType(what, issue.input);
}

export const BOOLEAN = 'true or false';

/** Every problem found in one config, reported together so a user fixes them in one pass. */
export class ConfigError extends Error {
  constructor(
    readonly stackName: string,
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      `Configuration of stack '${stackName}' has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
      options,
    );
    this.name = 'ConfigError';
  }
}

export function fieldPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((acc, s) => {
    if (typeof s === 'number') return `${acc}[${s}]`;
    return acc ? `${acc}.${String(s)}` : String(s);
  }, '');
}

export function describeIssue(issue: z.core.$ZodIssue): string[] {
  const where = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const prefix = where ? `${where}: ` : '';
    return [
      `${prefix}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}: remove or correct the spelling`,
    ];
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [`${where}: is required`];
  }
  if (issue.code === 'invalid_union') {
    // A union (existingPolicy: "read", "none" or an object) reports one issue for all its options.
    // When exactly one option took the input's shape (its issues lie below the union or name
    // unknown fields), that option's issues say what to fix; otherwise the type itself was wrong.
    const shaped = issue.errors.filter((option) => option.some((i) => i.path.length > 0 || i.code === 'unrecognized_keys'));
    if (shaped.length === 1) return shaped[0]!.flatMap((i) => describeIssue({ ...i, path: [...issue.path, ...i.path] }));
  }
  return [`${where || '(config)'}: ${issue.message}`];
}
