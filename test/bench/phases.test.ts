// Unit tests of the phase split of a runner's recorded SDK calls.
import { callsByOperation, runPhases, type TimedCall } from '../../bench/lib/phases';

const call = (service: string, operation: string, start: number, end: number): TimedCall => ({ service, operation, start, end });

describe('runPhases', () => {
  const timeline: TimedCall[] = [
    call('sts', 'GetCallerIdentity', 400, 410),
    call('athena', 'StartQueryExecution', 500, 505),
    call('athena', 'GetQueryExecution', 505, 700),
    call('athena', 'StartQueryExecution', 800, 805),
    call('athena', 'GetQueryExecution', 805, 900),
    call('s3', 'PutObject', 950, 960),
    call('s3control', 'CreateJob', 1000, 1020),
    call('s3control', 'DescribeJob', 3000, 3010),
    call('s3', 'GetObject', 3100, 3110),
  ];

  it('splits the run at its landmarks', () => {
    expect(runPhases(timeline, 3200)).toEqual({
      startup: 400,
      preflight: 100,
      plan: 300,
      manifests: 200,
      createJob: 20,
      follow: 1990,
      followBusy: 10,
      summarize: 190,
      athenaWait: 300,
    });
  });

  it('adds up to the wall time', () => {
    const p = runPhases(timeline, 3200);
    expect(p.startup + p.preflight + p.plan + p.manifests + p.createJob + p.follow + p.summarize).toBe(3200);
  });

  it('counts calls per service and operation', () => {
    expect(callsByOperation(timeline)).toMatchObject({
      'athena:StartQueryExecution': 2,
      's3control:CreateJob': 1,
      'sts:GetCallerIdentity': 1,
    });
  });
});
