// AWS failures become messages that say what was being done and where the fix is.
import { explainAwsError, isRetryable } from '../../../runner/aws/errors';

function sdkError(name: string, message: string, status = 400) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

describe('explainAwsError', () => {
  it('points AccessDenied on KMS at the key policy, not just at IAM', () => {
    const error = explainAwsError(
      sdkError('AccessDenied', 'User is not authorized to perform: kms:GenerateDataKey on resource arn:aws:kms:...', 403),
      'Writing manifest s3://r/m.csv',
    );
    expect(error.message).toBe(
      'Writing manifest s3://r/m.csv failed: AccessDenied: User is not authorized to perform: kms:GenerateDataKey on resource arn:aws:kms:... — ' +
        'the key policy of the migration key must allow this principal (add it to key.users in the stack config and deploy), and IAM must allow the KMS action',
    );
    expect(error.awsCode).toBe('AccessDenied');
    expect(error.exitCode).toBe(1);
  });

  it("points other AccessDenied at the runner's IAM permissions", () => {
    expect(explainAwsError(sdkError('AccessDenied', 'Access Denied', 403), 'Listing').message).toMatch(
      /lack an IAM permission for this call/,
    );
  });

  it('says a throttled call can simply be rerun', () => {
    expect(explainAwsError(sdkError('SlowDown', 'Please reduce your request rate.', 503), 'Reading').message).toMatch(
      /rerun, the runner resumes where it stopped/,
    );
  });

  it("keeps a caller's own hint", () => {
    expect(explainAwsError(sdkError('ExpiredToken', 'expired'), 'Reading the caller identity', 'refresh the credentials').message).toMatch(
      /— refresh the credentials$/,
    );
  });
});

describe('isRetryable', () => {
  it.each<[string, number, boolean]>([
    ['SlowDown', 503, true],
    ['ThrottlingException', 400, true],
    ['InternalError', 500, true],
    ['AccessDenied', 403, false],
    ['NoSuchKey', 404, false],
  ])('%s (%i) → %p', (name, status, expected) => {
    expect(isRetryable(sdkError(name, 'x', status))).toBe(expected);
  });
});
