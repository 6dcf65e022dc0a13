// SDK error checks in one place, and the actionable message for each AWS failure the runner meets.
import { AwsError } from '../errors';
import { isRetryableFailure, isThrottlingFailure } from '../core/retryable';

interface SdkError {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The AWS error code of an SDK error (`NoSuchKey`, `AccessDenied`, ...), or undefined. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as SdkError;
  return e.Code ?? e.name;
}

export function httpStatus(error: unknown): number | undefined {
  return (error as SdkError | undefined)?.$metadata?.httpStatusCode;
}

export function isAwsError(error: unknown, ...codes: string[]): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && codes.includes(code);
}

/** Throttling (503 SlowDown, ThrottlingException, ...), by the one rule in core/retryable.ts. */
export function isThrottlingError(error: unknown): boolean {
  return isThrottlingFailure(awsErrorCode(error), httpStatus(error));
}

/** Throttling and transient server errors, and a connection reset: worth another try. */
export function isRetryable(error: unknown): boolean {
  return isRetryableFailure(awsErrorCode(error), httpStatus(error)) || (error as { code?: string } | undefined)?.code === 'ECONNRESET';
}

/**
 * Wraps an AWS failure with what was being done and what to do about it. AccessDenied naming KMS
 * points at the key policy, because that is where a missing grant usually is.
 */
export function explainAwsError(error: unknown, doing: string, hint?: string): AwsError {
  const code = awsErrorCode(error) ?? 'Error';
  const message = (error as SdkError | undefined)?.message ?? String(error);
  let advice = hint;
  if (!advice && code.includes('AccessDenied')) {
    advice = /kms/i.test(message)
      ? "the key policy of the migration key must allow this principal (add it to key.users in the stack config and deploy), and IAM must allow the KMS action"
      : 'the credentials lack an IAM permission for this call; check the role the runner uses';
  }
  if (!advice && isRetryable(error)) advice = 'AWS is throttling or failing transiently; rerun, the runner resumes where it stopped';
  return new AwsError(`${doing} failed: ${code}: ${message}${advice ? ` — ${advice}` : ''}`, code, { cause: error });
}
