// S3 access points through the SDK's S3 Control client: create, list by bucket with pages, and the
// access point policy round trip (NoSuchAccessPointPolicy before one is put).
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import {
  CreateAccessPointCommand,
  GetAccessPointPolicyCommand,
  ListAccessPointsCommand,
  PutAccessPointPolicyCommand,
} from '@aws-sdk/client-s3-control';
import { failureOf, useSandbox } from '../support/clients';

const ACCOUNT = '111122223333';
const fixture = useSandbox({ accountId: ACCOUNT });

beforeAll(async () => {
  for (const bucket of ['ap-data', 'ap-other']) await fixture.clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const name of ['analytics', 'billing', 'cdn'])
    await fixture.clients.s3Control.send(new CreateAccessPointCommand({ AccountId: ACCOUNT, Name: name, Bucket: 'ap-data' }));
  await fixture.clients.s3Control.send(
    new CreateAccessPointCommand({
      AccountId: ACCOUNT,
      Name: 'elsewhere',
      Bucket: 'ap-other',
      VpcConfiguration: { VpcId: 'vpc-1a2b3c4d' },
    }),
  );
});

it('answers CreateAccessPoint with the access point ARN and an alias', async () => {
  const out = await fixture.clients.s3Control.send(
    new CreateAccessPointCommand({ AccountId: ACCOUNT, Name: 'created', Bucket: 'ap-other' }),
  );
  expect(out.AccessPointArn).toBe(`arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/created`);
  expect(out.Alias).toMatch(/^created-[a-z0-9]+-s3alias$/);
  const again = await failureOf(
    fixture.clients.s3Control.send(new CreateAccessPointCommand({ AccountId: ACCOUNT, Name: 'created', Bucket: 'ap-other' })),
  );
  expect(again).toMatchObject({ name: 'AccessPointAlreadyOwnedByYou', status: 409 });
});

it('lists the access points of one bucket, a page at a time', async () => {
  const first = await fixture.clients.s3Control.send(new ListAccessPointsCommand({ AccountId: ACCOUNT, Bucket: 'ap-data', MaxResults: 2 }));
  expect(first.AccessPointList?.map((ap) => ap.Name)).toEqual(['analytics', 'billing']);
  expect(first.AccessPointList?.[0]).toMatchObject({
    Bucket: 'ap-data',
    NetworkOrigin: 'Internet',
    AccessPointArn: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/analytics`,
  });
  expect(first.NextToken).toBeDefined();
  const second = await fixture.clients.s3Control.send(
    new ListAccessPointsCommand({ AccountId: ACCOUNT, Bucket: 'ap-data', MaxResults: 2, NextToken: first.NextToken }),
  );
  expect(second.AccessPointList?.map((ap) => ap.Name)).toEqual(['cdn']);
  expect(second.NextToken).toBeUndefined();
  const other = await fixture.clients.s3Control.send(new ListAccessPointsCommand({ AccountId: ACCOUNT, Bucket: 'ap-other' }));
  expect(other.AccessPointList?.find((ap) => ap.Name === 'elsewhere')).toMatchObject({
    NetworkOrigin: 'VPC',
    VpcConfiguration: { VpcId: 'vpc-1a2b3c4d' },
  });
});

it('answers NoSuchAccessPointPolicy until a policy is put, then returns it as put', async () => {
  const missing = await failureOf(
    fixture.clients.s3Control.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: 'analytics' })),
  );
  expect(missing).toMatchObject({ name: 'NoSuchAccessPointPolicy', status: 404 });
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/analytics` },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/analytics/object/*`,
      },
    ],
  });
  await fixture.clients.s3Control.send(new PutAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: 'analytics', Policy: policy }));
  expect((await fixture.clients.s3Control.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: 'analytics' }))).Policy).toBe(
    policy,
  );
});

it('refuses a policy that is not JSON, and a policy of an access point that does not exist', async () => {
  expect(
    (await failureOf(fixture.clients.s3Control.send(new PutAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: 'billing', Policy: '{' }))))
      .name,
  ).toBe('MalformedPolicy');
  expect(
    (await failureOf(fixture.clients.s3Control.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: 'nothing' })))).name,
  ).toBe('NoSuchAccessPoint');
});
