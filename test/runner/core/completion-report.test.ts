// Completion report rows: fields told apart by shape, and retryable failures told from final ones.
import { isRetryableTask, parseReportRow } from '../../../runner/core/completion-report';

describe('parseReportRow', () => {
  it('reads AWS example order: HTTPStatusCode before ErrorCode', () => {
    expect(parseReportRow(['b', 'k%20x', 'v1', 'failed', '503', 'SlowDown', 'Please reduce your request rate.'])).toEqual({
      bucket: 'b',
      encodedKey: 'k%20x',
      versionId: 'v1',
      taskStatus: 'failed',
      httpStatus: 503,
      errorCode: 'SlowDown',
      message: 'Please reduce your request rate.',
    });
  });

  it('reads schema order: ErrorCode before HTTPStatusCode, and keeps commas in the message', () => {
    expect(parseReportRow(['b', 'k', 'v', 'failed', 'InvalidRequest', '400', 'too large, sorry'])).toMatchObject({
      errorCode: 'InvalidRequest',
      httpStatus: 400,
      message: 'too large, sorry',
    });
  });

  it('reads a succeeded row without an error code', () => {
    expect(parseReportRow(['b', 'k', 'v', 'succeeded', '200', '', 'Successful'])).toMatchObject({
      taskStatus: 'succeeded',
      httpStatus: 200,
    });
    expect(parseReportRow(['b', 'k', 'v', 'succeeded', '200', '', 'Successful']).errorCode).toBeUndefined();
  });

  it('refuses a row too short to be a report row', () => {
    expect(() => parseReportRow(['b', 'k'])).toThrow(/expected at least 4/);
  });
});

describe('isRetryableTask', () => {
  it.each<[string[], boolean]>([
    [['b', 'k', 'v', 'failed', '503', 'SlowDown', ''], true],
    [['b', 'k', 'v', 'failed', '500', 'InternalError', ''], true],
    [['b', 'k', 'v', 'failed', '400', 'KMS.ThrottlingException', ''], true],
    [['b', 'k', 'v', 'failed', '400', 'InvalidRequest', 'over 5 GB'], false],
    [['b', 'k', 'v', 'failed', '403', 'InvalidObjectState', ''], false],
    [['b', 'k', 'v', 'failed', '404', 'NoSuchVersion', ''], false],
    [['b', 'k', 'v', 'succeeded', '503', 'SlowDown', ''], false],
  ])('%j → %p', (fields, expected) => {
    expect(isRetryableTask(parseReportRow(fields))).toBe(expected);
  });
});
