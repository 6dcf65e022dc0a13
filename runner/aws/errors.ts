// SDK error checks in one place, and the actionable message for each AWS failure the runner meets.
import { AwsError, CredentialsError } from '../errors';
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
      ? 'the key policy of the migration key must allow this principal (add it to key.users in the stack config and deploy), and IAM must allow the KMS action'
      : 'the credentials lack an IAM permission for this call; check the role the runner uses';
  }
  if (!advice && isRetryable(error)) advice = 'AWS is throttling or failing transiently; rerun, the runner resumes where it stopped';
  return new AwsError(`${doing} failed: ${code}: ${message}${advice ? ` — ${advice}` : ''}`, code, { cause: error });
}

/** The ways to give the runner credentials, as the SDK's default provider chain looks for them. */
export const CREDENTIAL_SOURCES =
  'environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); a profile (AWS_PROFILE=<name>, from ~/.aws/config or ~/.aws/credentials); ' +
  "IAM Identity Center (`aws sso login --profile <name>`, then AWS_PROFILE=<name>); web identity (AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE, as a pipeline's OIDC role assumption sets them); " +
  'or the role of the EC2 instance, ECS task or Lambda function it runs in';

/**
 * The SDK's credential provider chain failed (its error is named CredentialsProviderError, from
 * @smithy/property-provider): no source had credentials, a profile does not exist, or an SSO session
 * or token expired. Found anywhere in the cause chain, since callers wrap AWS errors with what they were doing.
 */
export function credentialsFailure(error: unknown): CredentialsError | undefined {
  for (
    let e: unknown = error, depth = 0;
    typeof e === 'object' && e !== null && depth < 10;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if ((e as SdkError).name === 'CredentialsProviderError') {
      return new CredentialsError(
        `No usable AWS credentials: ${(e as SdkError).message ?? 'the SDK found none'}. Give the runner credentials of the stack's account in one of these ways: ${CREDENTIAL_SOURCES}. ` +
          "The identity needs the runner's IAM policy (`npm run migrate -- policy --stack <stack>`) and must be in the stack's key.users.",
        { cause: error },
      );
    }
  }
  return undefined;
}
