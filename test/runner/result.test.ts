// An engine's end as one value: outcomes the runner can name are results, anything else is thrown.
import { AwsError, ConflictError, NeedsHumanError, PreflightError, UsageError } from '../../runner/errors';
import { IN_PROGRESS, settle, stoppedBy } from '../../runner/result';

describe('stoppedBy', () => {
  it.each([
    ['needsHuman', 20, new NeedsHumanError('2 jobs wait for confirmation')],
    ['conflict', 30, new ConflictError('another runner holds the lock')],
    ['preflight', 4, new PreflightError(['the role cannot use the key'])],
    ['usage', 2, new UsageError('--force needs its acknowledgement')],
  ] as const)('names the %s outcome, exit %i, carrying the error', (outcome, exitCode, error) => {
    expect(stoppedBy(error)).toEqual({ outcome, exitCode, error });
  });

  it('names no outcome for an AWS failure the runner cannot explain (exit 1)', () => {
    expect(stoppedBy(new AwsError('GetObject failed', 'InternalError'))).toBeUndefined();
  });
});

describe('settle', () => {
  it('passes a returned result through', async () => {
    expect(await settle(async () => IN_PROGRESS)).toBe(IN_PROGRESS);
  });

  it('turns a thrown outcome error into its result', async () => {
    const error = new ConflictError('the lock was taken over');
    expect(await settle(() => Promise.reject(error))).toEqual({ outcome: 'conflict', exitCode: 30, error });
  });

  it('rethrows what names no outcome: a bug, an unexplained AWS failure', async () => {
    const bug = new TypeError('undefined is not a function');
    await expect(settle(() => Promise.reject(bug))).rejects.toBe(bug);
    const aws = new AwsError('GetObject failed', 'InternalError');
    await expect(settle(() => Promise.reject(aws))).rejects.toBe(aws);
  });
});
