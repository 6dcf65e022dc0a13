// Members of an awsJson1.1 request (KMS, Glue, Athena), read and checked one way: a missing or
// mistyped member is refused with AWS's validation-layer message, under the service's own error code.
import type { ServiceError } from '../errors';

/** The service's error for input that fails validation (`ValidationException`, `InvalidInputException`, ...). */
export type InvalidInputError = (message: string) => ServiceError;

export type JsonInput = Record<string, unknown>;

/**
 * AWS's validation-layer text: `1 validation error detected: Value 'x' at 'member' failed to
 * satisfy constraint: <constraint>`; the member path is lower camel case, a missing value is `null`.
 */
export function validationMessage(member: string, value: string | number | null, constraint: string): string {
  const shown = value === null ? 'null' : `'${value}'`;
  return `1 validation error detected: Value ${shown} at '${memberPath(member)}' failed to satisfy constraint: ${constraint}`;
}

/** The reader of one service's request members. */
export class JsonInputReader {
  constructor(private readonly invalid: InvalidInputError) {}

  optionalString(input: JsonInput, name: string): string | undefined {
    const value = input[name];
    return typeof value === 'string' ? value : undefined;
  }

  requiredString(input: JsonInput, name: string): string {
    const value = this.optionalString(input, name);
    if (value === undefined) throw this.missing(name);
    return value;
  }

  /** A structure member; its fields are the SDK's input type, which the service reads as such. */
  requiredObject<T extends object>(input: JsonInput, name: string): T {
    const value = input[name];
    if (typeof value !== 'object' || value === null) throw this.missing(name);
    return value as T;
  }

  optionalNumber(input: JsonInput, name: string): number | undefined {
    const value = input[name];
    return typeof value === 'number' ? value : undefined;
  }

  /** An integer member between `min` and `max`, `fallback` when absent. */
  integerBetween(input: JsonInput, name: string, min: number, max: number, fallback: number): number {
    const value = this.optionalNumber(input, name) ?? fallback;
    if (!Number.isInteger(value) || value < min || value > max)
      throw this.invalid(validationMessage(name, value, `Member must have value between ${min} and ${max}`));
    return value;
  }

  private missing(name: string): ServiceError {
    return this.invalid(validationMessage(name, null, 'Member must not be null'));
  }
}

function memberPath(name: string): string {
  return name
    .split('.')
    .map((part) => `${part.charAt(0).toLowerCase()}${part.slice(1)}`)
    .join('.');
}
