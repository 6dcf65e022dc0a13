// KMS key policies through the SDK: the default policy, CreateKey/PutKeyPolicy/GetKeyPolicy round
// trips, and the checks KMS makes before it stores one (JSON, 32 KB, the lockout safety check).
import { CreateKeyCommand, GetKeyPolicyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { failureOf, useSandbox } from './support/clients';

const fixture = useSandbox({ accountId: '111122223333' });

function policy(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const ROOT_MANAGES = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };
const ONLY_SOMEONE_ELSE = {
  Sid: 'Other',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::111122223333:role/other-admin' },
  Action: 'kms:*',
  Resource: '*',
};

it('gives a key created without a policy the default key policy: the account root may do kms:*', async () => {
  const key = await fixture.clients.kms.send(new CreateKeyCommand({}));
  const out = await fixture.clients.kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyMetadata!.KeyId, PolicyName: 'default' }));
  expect(out.PolicyName).toBe('default');
  expect(JSON.parse(out.Policy!)).toEqual({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
});

it('stores the policy CreateKey is given and the one PutKeyPolicy replaces it with', async () => {
  const created = policy(ROOT_MANAGES, { ...ONLY_SOMEONE_ELSE, Action: 'kms:Decrypt' });
  const key = await fixture.clients.kms.send(new CreateKeyCommand({ Policy: created }));
  const keyId = key.KeyMetadata!.KeyId!;
  expect((await fixture.clients.kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy).toBe(created);
  const replaced = policy(ROOT_MANAGES);
  await fixture.clients.kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyMetadata!.Arn, PolicyName: 'default', Policy: replaced }));
  expect((await fixture.clients.kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy).toBe(replaced);
});

it('refuses a policy that would not let the caller put the policy again, unless the lockout safety check is bypassed', async () => {
  const lockout = policy(ONLY_SOMEONE_ELSE);
  const refused = await failureOf(fixture.clients.kms.send(new CreateKeyCommand({ Policy: lockout })));
  expect(refused).toMatchObject({
    name: 'MalformedPolicyDocumentException',
    message: 'The new key policy will not allow you to update the key policy in the future.',
  });

  const key = await fixture.clients.kms.send(new CreateKeyCommand({}));
  const put = await failureOf(
    fixture.clients.kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyMetadata!.KeyId, PolicyName: 'default', Policy: lockout })),
  );
  expect(put.name).toBe('MalformedPolicyDocumentException');

  await fixture.clients.kms.send(
    new PutKeyPolicyCommand({
      KeyId: key.KeyMetadata!.KeyId,
      PolicyName: 'default',
      Policy: lockout,
      BypassPolicyLockoutSafetyCheck: true,
    }),
  );
  // Now locked out, as KMS warns: the default identity may neither read nor replace the policy.
  expect((await failureOf(fixture.clients.kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyMetadata!.KeyId })))).name).toBe(
    'AccessDeniedException',
  );
  expect(
    (await failureOf(fixture.clients.kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyMetadata!.KeyId, Policy: policy(ROOT_MANAGES) }))))
      .name,
  ).toBe('AccessDeniedException');
});

it('refuses policies that are not JSON, have a statement without a principal, or exceed 32 KB', async () => {
  const notJson = await failureOf(fixture.clients.kms.send(new CreateKeyCommand({ Policy: '{"Statement": [' })));
  expect(notJson.name).toBe('MalformedPolicyDocumentException');
  const noPrincipal = await failureOf(
    fixture.clients.kms.send(new CreateKeyCommand({ Policy: policy(ROOT_MANAGES, { Effect: 'Allow', Action: 'kms:*', Resource: '*' }) })),
  );
  expect(noPrincipal.name).toBe('MalformedPolicyDocumentException');
  const padded = policy({ ...ROOT_MANAGES, Sid: 'x'.repeat(32_768) });
  const tooLarge = await failureOf(fixture.clients.kms.send(new CreateKeyCommand({ Policy: padded })));
  expect(tooLarge.name).toBe('ValidationException');
});

it('answers NotFoundException for a policy name other than default', async () => {
  const key = await fixture.clients.kms.send(new CreateKeyCommand({}));
  const failure = await failureOf(
    fixture.clients.kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyMetadata!.KeyId, PolicyName: 'other' })),
  );
  expect(failure).toMatchObject({ name: 'NotFoundException', message: 'No such policy exists' });
});
