// Who may read SSE-KMS objects: credentials from AssumeRole identify a role session, and GetObject
// of an SSE-KMS version needs kms:Decrypt from the key policy (and IAM where it delegates), as on AWS.
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { SandboxClients } from './clients';
import { clientsAssuming, failureOf, useSandbox } from './support/clients';

const ACCOUNT = '111122223333';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const fixture = useSandbox({ accountId: ACCOUNT });
const sessions: SandboxClients[] = [];

afterAll(() => sessions.forEach((c) => c.destroy()));

const TRUSTS_ACCOUNT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole' }],
});

/** A role of the account that its principals may assume, and clients acting as a session of it. */
async function roleSession(roleName: string, inlinePolicy?: Record<string, unknown>): Promise<{ arn: string; clients: SandboxClients }> {
  const iam = fixture.sandbox.world.iam;
  const role = iam.createRole({ roleName, assumeRolePolicyDocument: TRUSTS_ACCOUNT });
  if (inlinePolicy) iam.putRolePolicy(roleName, 'inline', JSON.stringify({ Version: '2012-10-17', Statement: [inlinePolicy] }));
  const clients = await clientsAssuming(fixture.clients, fixture.sandbox.endpoint, role.arn, `${roleName}-session`);
  sessions.push(clients);
  return { arn: role.arn, clients };
}

/** A key with `statements` (plus root administration, so the lockout check passes) and one object under it. */
async function objectUnderKey(bucket: string, statements: Record<string, unknown>[], bucketKey = false): Promise<string> {
  const rootAdministers = {
    Sid: 'RootAdministers',
    Effect: 'Allow',
    Principal: { AWS: ROOT },
    Action: ['kms:PutKeyPolicy', 'kms:GetKeyPolicy', 'kms:DescribeKey'],
    Resource: '*',
  };
  const key = await fixture.clients.kms.send(
    new CreateKeyCommand({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [rootAdministers, ...statements] }) }),
  );
  await fixture.clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await fixture.clients.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: 'data.csv',
      Body: 'secret',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: key.KeyMetadata!.Arn,
      BucketKeyEnabled: bucketKey,
    }),
  );
  return key.KeyMetadata!.Arn!;
}

const viaS3 = { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:CallerAccount': ACCOUNT } };

it('answers GetCallerIdentity with the assumed-role session of the credentials AssumeRole issued', async () => {
  const { clients } = await roleSession('reader-identity');
  const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
  expect(identity.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/reader-identity/reader-identity-session`);
  expect(identity.Account).toBe(ACCOUNT);
  expect(identity.UserId).toMatch(/^AROA[0-9A-Z]{17}:reader-identity-session$/);
  // The default credentials stay the sandbox's admin user.
  expect((await fixture.clients.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/sandbox`);
});

it('refuses AssumeRole of a role whose trust policy does not admit the caller, and of a role that does not exist', async () => {
  const role = fixture.sandbox.world.iam.createRole({ roleName: 'batch-only' }); // trusts batchoperations.s3.amazonaws.com
  const refused = await failureOf(clientsAssuming(fixture.clients, fixture.sandbox.endpoint, role.arn));
  expect(refused).toMatchObject({ name: 'AccessDenied', status: 403 });
  expect(refused.message).toContain(
    `User: arn:aws:iam::${ACCOUNT}:user/sandbox is not authorized to perform: sts:AssumeRole on resource: ${role.arn}`,
  );
  const missing = await failureOf(clientsAssuming(fixture.clients, fixture.sandbox.endpoint, `arn:aws:iam::${ACCOUNT}:role/nobody`));
  expect(missing).toMatchObject({ name: 'AccessDenied', status: 403 });
});

it('refuses GetObject of an SSE-KMS object to a role the key policy does not name, with the KMS message S3 gives; HEAD needs no key', async () => {
  const { clients } = await roleSession('outsider', { Effect: 'Allow', Action: 's3:*', Resource: '*' });
  await objectUnderKey('outsider-bucket', []);
  const denied = await failureOf(clients.s3.send(new GetObjectCommand({ Bucket: 'outsider-bucket', Key: 'data.csv' })));
  expect(denied).toEqual({
    name: 'AccessDenied',
    status: 403,
    message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/outsider/outsider-session is not authorized to perform: kms:Decrypt on the resource associated with this ciphertext because no resource-based policy allows the kms:Decrypt action`,
  });
  expect((await clients.s3.send(new HeadObjectCommand({ Bucket: 'outsider-bucket', Key: 'data.csv' }))).ServerSideEncryption).toBe(
    'aws:kms',
  );
});

it('serves GetObject to a key user the key policy allows kms:Decrypt through S3', async () => {
  const { arn, clients } = await roleSession('key-user');
  await objectUnderKey('key-user-bucket', [
    {
      Sid: 'UseThroughS3',
      Effect: 'Allow',
      Principal: { AWS: arn },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: viaS3,
    },
  ]);
  const out = await clients.s3.send(new GetObjectCommand({ Bucket: 'key-user-bucket', Key: 'data.csv' }));
  expect(await out.Body!.transformToString()).toBe('secret');
});

it('holds the key policy conditions: another ViaService, or an encryption context for another object, does not admit the caller', async () => {
  const { arn, clients } = await roleSession('conditioned');
  await objectUnderKey('conditioned-bucket', [
    {
      Effect: 'Allow',
      Principal: { AWS: arn },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    },
    {
      Effect: 'Allow',
      Principal: { AWS: arn },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::other-bucket/*' } },
    },
  ]);
  expect((await failureOf(clients.s3.send(new GetObjectCommand({ Bucket: 'conditioned-bucket', Key: 'data.csv' })))).name).toBe(
    'AccessDenied',
  );
});

it('matches the encryption context against the bucket ARN when the object has a Bucket Key', async () => {
  const { arn, clients } = await roleSession('bucket-key-reader');
  await objectUnderKey(
    'bucket-key-bucket',
    [
      {
        Effect: 'Allow',
        Principal: { AWS: arn },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::bucket-key-bucket' } },
      },
    ],
    true,
  );
  expect((await clients.s3.send(new GetObjectCommand({ Bucket: 'bucket-key-bucket', Key: 'data.csv' }))).$metadata.httpStatusCode).toBe(
    200,
  );
});

it('lets the role inline policy decide where the key policy delegates to the account root', async () => {
  const delegates = { Sid: 'AccountUsesKeyThroughIam', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:Decrypt', Resource: '*' };
  const allowed = await roleSession('iam-reader', { Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:*' });
  const withoutPolicy = await roleSession('iam-nobody');
  await objectUnderKey('delegated-bucket', [delegates]);
  expect(
    (await allowed.clients.s3.send(new GetObjectCommand({ Bucket: 'delegated-bucket', Key: 'data.csv' }))).$metadata.httpStatusCode,
  ).toBe(200);
  const denied = await failureOf(withoutPolicy.clients.s3.send(new GetObjectCommand({ Bucket: 'delegated-bucket', Key: 'data.csv' })));
  expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
  expect(denied.message).toMatch(/because no identity-based policy allows the kms:Decrypt action$/);
});

it('lets a Deny statement of the key policy remove a grant, whatever allows it', async () => {
  const { arn, clients } = await roleSession('denied-reader');
  await objectUnderKey('deny-bucket', [
    { Effect: 'Allow', Principal: { AWS: arn }, Action: 'kms:*', Resource: '*' },
    {
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/someone-else` } },
    },
  ]);
  const denied = await failureOf(clients.s3.send(new GetObjectCommand({ Bucket: 'deny-bucket', Key: 'data.csv' })));
  expect(denied.message).toMatch(/with an explicit deny in a resource-based policy$/);
});

it('refuses the default identity too when the key policy gives it nothing to decrypt with', async () => {
  await objectUnderKey('admin-denied-bucket', []);
  const denied = await failureOf(fixture.clients.s3.send(new GetObjectCommand({ Bucket: 'admin-denied-bucket', Key: 'data.csv' })));
  expect(denied.message).toBe(
    `User: arn:aws:iam::${ACCOUNT}:user/sandbox is not authorized to perform: kms:Decrypt on the resource associated with this ciphertext because no resource-based policy allows the kms:Decrypt action`,
  );
});
