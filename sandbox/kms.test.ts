// KMS through the SDK: keys, aliases, enable/disable, and key references in every form.
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { failureOf, useSandbox } from './support/clients';

const fixture = useSandbox();

async function newKey(description = 'test key') {
  const created = await fixture.clients.kms.send(new CreateKeyCommand({ Description: description }));
  return created.KeyMetadata!;
}

it('creates an enabled symmetric customer key with an ARN in the sandbox account and region', async () => {
  const key = await newKey('orders');
  expect(key).toMatchObject({
    Enabled: true,
    KeyState: 'Enabled',
    KeyManager: 'CUSTOMER',
    KeySpec: 'SYMMETRIC_DEFAULT',
    Description: 'orders',
  });
  expect(key.Arn).toBe(`arn:aws:kms:us-east-1:123456789012:key/${key.KeyId}`);
});

it('resolves a key from its id, ARN, alias name and alias ARN', async () => {
  const key = await newKey();
  await fixture.clients.kms.send(new CreateAliasCommand({ AliasName: 'alias/resolve-me', TargetKeyId: key.KeyId }));
  for (const ref of [key.KeyId!, key.Arn!, 'alias/resolve-me', 'arn:aws:kms:us-east-1:123456789012:alias/resolve-me']) {
    const described = await fixture.clients.kms.send(new DescribeKeyCommand({ KeyId: ref }));
    expect(described.KeyMetadata?.KeyId).toBe(key.KeyId);
  }
});

it('lists aliases, filtered by key', async () => {
  const key = await newKey();
  await fixture.clients.kms.send(new CreateAliasCommand({ AliasName: 'alias/listed', TargetKeyId: key.Arn }));
  const forKey = await fixture.clients.kms.send(new ListAliasesCommand({ KeyId: key.KeyId }));
  expect(forKey.Aliases?.map((a) => [a.AliasName, a.TargetKeyId])).toEqual([['alias/listed', key.KeyId]]);
  const all = await fixture.clients.kms.send(new ListAliasesCommand({}));
  expect(all.Aliases?.map((a) => a.AliasName)).toContain('alias/listed');
});

it('refuses a second alias with the same name', async () => {
  const key = await newKey();
  await fixture.clients.kms.send(new CreateAliasCommand({ AliasName: 'alias/twice', TargetKeyId: key.KeyId }));
  const failure = await failureOf(fixture.clients.kms.send(new CreateAliasCommand({ AliasName: 'alias/twice', TargetKeyId: key.KeyId })));
  expect(failure.name).toBe('AlreadyExistsException');
});

it('disables and re-enables a key', async () => {
  const key = await newKey();
  await fixture.clients.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
  expect((await fixture.clients.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata).toMatchObject({
    Enabled: false,
    KeyState: 'Disabled',
  });
  await fixture.clients.kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
  expect((await fixture.clients.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata).toMatchObject({
    Enabled: true,
    KeyState: 'Enabled',
  });
});

it('answers NotFoundException for unknown keys and aliases', async () => {
  for (const ref of ['00000000-0000-0000-0000-000000000000', 'alias/nothing-here']) {
    const failure = await failureOf(fixture.clients.kms.send(new DescribeKeyCommand({ KeyId: ref })));
    expect(failure).toMatchObject({ name: 'NotFoundException', status: 400 });
  }
});

it('schedules a key for deletion (7 to 30 days, PendingDeletion, a deletion date) and cancels it back to Disabled', async () => {
  const key = (await fixture.clients.kms.send(new CreateKeyCommand({ Description: 'to be deleted' }))).KeyMetadata!;
  const tooSoon = await failureOf(fixture.clients.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 6 })));
  expect(tooSoon.name).toBe('ValidationException');
  const scheduled = await fixture.clients.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
  expect([scheduled.KeyId, scheduled.KeyState, scheduled.PendingWindowInDays]).toEqual([key.Arn, 'PendingDeletion', 7]);
  const described = (await fixture.clients.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!;
  expect([described.KeyState, described.Enabled]).toEqual(['PendingDeletion', false]);
  expect(described.DeletionDate!.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
  expect((await failureOf(fixture.clients.kms.send(new EnableKeyCommand({ KeyId: key.KeyId })))).name).toBe('KMSInvalidStateException');
  await fixture.clients.kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
  const cancelled = (await fixture.clients.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!;
  expect([cancelled.KeyState, cancelled.DeletionDate]).toEqual(['Disabled', undefined]);
  expect((await failureOf(fixture.clients.kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId })))).name).toBe(
    'KMSInvalidStateException',
  );
});
