// Which AWS failures can succeed on a later try: one list for SDK errors and for the tasks of a Batch
// Operations completion report, so a call and a task are judged by the same rule.

/** Throttling: back off, then try again. */
export const THROTTLING_CODES: readonly string[] = [
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'KMS.ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
];

/** Transient service errors, beside throttling. */
export const TRANSIENT_CODES: readonly string[] = ['InternalError', 'ServiceUnavailable', 'RequestTimeout', 'KMS.KMSInternalException'];

export function isThrottlingFailure(code: string | undefined, status: number | undefined): boolean {
  return (code !== undefined && THROTTLING_CODES.includes(code)) || status === 503;
}

export function isRetryableFailure(code: string | undefined, status: number | undefined): boolean {
  return isThrottlingFailure(code, status) || (code !== undefined && TRANSIENT_CODES.includes(code)) || status === 500;
}
