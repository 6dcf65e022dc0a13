// What a Batch Operations job sets off: copy tasks write through the same S3 world as CopyObject,
// so they fire s3:ObjectCreated:Copy and replicate; update-encryption tasks do neither.
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { useSandbox } from '../support/clients';
import { bytesBody } from '../s3/body';
import { jobInput, prepareJobs, runJob, uploadCsvManifest } from './job-fixtures';

const fixture = useSandbox();
const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:on-create';
const KEYS = ['a.csv', 'b.csv', 'c.csv'];

/** A versioned bucket with a Lambda notification on every created object, replicating to `<name>-replica`, and three objects. */
function watchedBucket(name: string): { rows: { bucket: string; key: string; versionId: string }[] } {
  const s3 = fixture.sandbox.world.s3;
  for (const bucket of [name, `${name}-replica`]) {
    s3.createBucket({ name: bucket });
    s3.setVersioning(bucket, 'Enabled');
  }
  fixture.sandbox.world.iam.createRole({ roleName: `${name}-replication` });
  s3.putReplication(name, {
    role: `arn:aws:iam::123456789012:role/${name}-replication`,
    rules: [
      {
        id: 'all',
        priority: 1,
        status: 'Enabled',
        filter: { prefix: '', tags: {} },
        deleteMarkerReplication: 'Disabled',
        destination: { bucketArn: `arn:aws:s3:::${name}-replica` },
      },
    ],
  });
  const rows = KEYS.map((key) => ({
    bucket: name,
    key,
    versionId: s3.putObject({ bucket: name, key, body: bytesBody(Buffer.from(key)) }).versionId,
  }));
  s3.putNotification(name, {
    destinations: [{ kind: 'LambdaFunction', id: 'on-create', arn: LAMBDA, events: ['s3:ObjectCreated:*'], filter: {} }],
    eventBridge: false,
  });
  return { rows };
}

// Paused, replication runs only at the drains below, so each drain's outcomes are exactly its versions'.
beforeEach(() => fixture.sandbox.world.replication.pause());
afterEach(() => fixture.sandbox.world.replication.resume());

it('fires one s3:ObjectCreated:Copy per copied object and replicates each new version', async () => {
  const { roleArn } = prepareJobs(fixture.sandbox);
  const { rows } = watchedBucket('copied-by-job');
  await fixture.sandbox.world.replication.drain();
  const manifest = await uploadCsvManifest(fixture.clients, 'events-copy.csv', rows);
  // SSE-S3 copies in place (naming the storage class makes a copy to itself legal): in scope of the rule.
  const job = await runJob(
    fixture.sandbox,
    fixture.clients,
    jobInput(roleArn, manifest, { S3PutObjectCopy: { TargetResource: 'arn:aws:s3:::copied-by-job', StorageClass: 'STANDARD' } }),
  );
  expect(job.Status).toBe('Complete');
  const events = fixture.sandbox.world.events.events({ bucket: 'copied-by-job' });
  expect(events.map((e) => [e.eventName, e.destinationArn]).sort()).toEqual(KEYS.map(() => ['s3:ObjectCreated:Copy', LAMBDA]));
  expect(events.map((e) => e.key).sort()).toEqual(KEYS);
  const outcomes = await fixture.sandbox.world.replication.drain();
  expect(
    outcomes
      .filter((o) => o.bucket === 'copied-by-job')
      .map((o) => [o.key, o.status, o.destinationBucket])
      .sort(),
  ).toEqual(KEYS.map((k) => [k, 'COMPLETED', 'copied-by-job-replica']));
});

it('fires nothing and replicates nothing for an S3UpdateObjectEncryption job', async () => {
  const { roleArn } = prepareJobs(fixture.sandbox);
  const keyArn = (await fixture.clients.kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  const { rows } = watchedBucket('updated-by-job');
  await fixture.sandbox.world.replication.drain();
  const manifest = await uploadCsvManifest(fixture.clients, 'events-update.csv', rows);
  const job = await runJob(
    fixture.sandbox,
    fixture.clients,
    jobInput(roleArn, manifest, { S3UpdateObjectEncryption: { ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn } } } }),
  );
  expect(job.Status).toBe('Complete');
  expect(fixture.sandbox.world.events.events({ bucket: 'updated-by-job' })).toEqual([]);
  expect(fixture.sandbox.world.replication.pendingCount).toBe(0);
});
