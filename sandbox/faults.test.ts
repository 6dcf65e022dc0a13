// Fault injection through the SDK: throttling per protocol, 500s, latency and dropped
// connections at configured rates, repeatable from a seed and changeable at runtime.
import { CreateBucketCommand, GetObjectCommand, HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ListAliasesCommand } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { FaultInjector } from './faults';
import { SandboxConfigError } from './errors';
import { failureOf, useSandbox } from './support/clients';

const fixture = useSandbox();
const s3 = () => fixture.clients.s3;

afterEach(() => fixture.sandbox.faults.clear());

beforeAll(async () => {
  await s3().send(new CreateBucketCommand({ Bucket: 'faults' }));
  await s3().send(new PutObjectCommand({ Bucket: 'faults', Key: 'k', Body: 'x' }));
});

it('throttles S3 with 503 SlowDown for the chosen operation only', async () => {
  fixture.sandbox.faults.configure({ rules: [{ service: 's3', operation: 'GetObject', throttleRate: 1 }] });
  expect(await failureOf(s3().send(new GetObjectCommand({ Bucket: 'faults', Key: 'k' })))).toMatchObject({ name: 'SlowDown', status: 503 });
  await expect(s3().send(new HeadBucketCommand({ Bucket: 'faults' }))).resolves.toBeDefined();
});

it('throttles KMS with ThrottlingException and STS with Throttling', async () => {
  fixture.sandbox.faults.configure({ rules: [{ throttleRate: 1 }] });
  expect((await failureOf(fixture.clients.kms.send(new ListAliasesCommand({})))).name).toBe('ThrottlingException');
  expect((await failureOf(fixture.clients.sts.send(new GetCallerIdentityCommand({})))).name).toBe('Throttling');
});

it('answers 500 InternalError at the error rate', async () => {
  fixture.sandbox.faults.configure({ rules: [{ operation: 'GetObject', errorRate: 1 }] });
  expect(await failureOf(s3().send(new GetObjectCommand({ Bucket: 'faults', Key: 'k' })))).toMatchObject({
    name: 'InternalError',
    status: 500,
  });
});

it('drops the connection without an answer', async () => {
  fixture.sandbox.faults.configure({ rules: [{ operation: 'GetObject', dropRate: 1 }] });
  const failure = await failureOf(s3().send(new GetObjectCommand({ Bucket: 'faults', Key: 'k' })));
  expect(failure.status).toBeUndefined();
  expect(failure.message).toMatch(/socket hang up|ECONNRESET/);
});

it('adds latency', async () => {
  fixture.sandbox.faults.configure({ rules: [{ operation: 'HeadBucket', latencyMs: 150 }] });
  const started = Date.now();
  await s3().send(new HeadBucketCommand({ Bucket: 'faults' }));
  expect(Date.now() - started).toBeGreaterThanOrEqual(140);
});

it('fails a share of requests at a partial rate, the same requests again after reconfiguring with the seed', async () => {
  const run = async () => {
    fixture.sandbox.faults.configure({ seed: 3, rules: [{ operation: 'GetObject', throttleRate: 0.5 }] });
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++)
      outcomes.push(
        await s3()
          .send(new GetObjectCommand({ Bucket: 'faults', Key: 'k' }))
          .then(
            () => 'ok',
            (e: Error) => e.name,
          ),
      );
    return outcomes;
  };
  const first = await run();
  expect(await run()).toEqual(first);
  const throttled = first.filter((o) => o === 'SlowDown').length;
  expect(throttled).toBeGreaterThan(3);
  expect(throttled).toBeLessThan(17);
  expect(first.filter((o) => o !== 'SlowDown' && o !== 'ok')).toEqual([]);
});

it('repeats the same fault sequence from the same seed', () => {
  const sequence = (seed: number) => {
    const faults = new FaultInjector({ seed, rules: [{ throttleRate: 0.3, errorRate: 0.2, dropRate: 0.1 }] });
    return Array.from({ length: 50 }, () => faults.decide('s3', 'PutObject').kind ?? 'ok');
  };
  expect(sequence(42)).toEqual(sequence(42));
  expect(sequence(42)).not.toEqual(sequence(43));
  const counts = sequence(42).reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {});
  expect(counts.ok).toBeGreaterThan(10);
  expect(counts.throttle).toBeGreaterThan(5);
});

it('refuses rates outside 0..1 naming the field and value', () => {
  expect(() => new FaultInjector({ rules: [{ throttleRate: 1.5 }] })).toThrow(SandboxConfigError);
  expect(() => new FaultInjector({ rules: [{ throttleRate: 1.5 }] })).toThrow("'throttleRate' must be between 0 and 1. Received: 1.5");
});
