// KMS on the wire (awsJson1.1, `TrentService.*`): the key and alias operations the stacks and
// the runner use, answering from the KMS world.
import { ServiceError } from '../errors';
import { JsonProtocolHandler, type JsonOperation } from '../http/json-protocol';
import type { KmsAlias, KmsKey, KmsWorld } from './world';

export class KmsHandler extends JsonProtocolHandler {
  readonly name = 'kms';
  readonly signingName = 'kms';
  readonly targetPrefix = 'TrentService';
  protected readonly operations: Readonly<Record<string, JsonOperation>>;

  constructor(kms: KmsWorld) {
    super();
    this.operations = {
      CreateKey: (input) => {
        const spec = input.KeySpec ?? input.CustomerMasterKeySpec;
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- KeySpec is a string in any request an SDK sends
        if (spec !== undefined && spec !== 'SYMMETRIC_DEFAULT') throw new ServiceError('UnsupportedOperationException', 400, `The sandbox supports only SYMMETRIC_DEFAULT keys. Received: ${String(spec)}`);
        const tags = Array.isArray(input.Tags) ? (input.Tags as { TagKey: string; TagValue: string }[]) : [];
        return { KeyMetadata: keyMetadata(kms.createKey({ description: stringField(input, 'Description') ?? '', tags })) };
      },
      DescribeKey: (input) => ({ KeyMetadata: keyMetadata(kms.describeKey(requiredString(input, 'KeyId'))) }),
      EnableKey: (input) => {
        kms.setEnabled(requiredString(input, 'KeyId'), true);
        return {};
      },
      DisableKey: (input) => {
        kms.setEnabled(requiredString(input, 'KeyId'), false);
        return {};
      },
      ScheduleKeyDeletion: (input) => {
        const days = input.PendingWindowInDays;
        const key = kms.scheduleDeletion(requiredString(input, 'KeyId'), typeof days === 'number' ? days : undefined);
        return { KeyId: key.arn, DeletionDate: key.deletionDate, KeyState: key.keyState, PendingWindowInDays: typeof days === 'number' ? days : 30 };
      },
      CancelKeyDeletion: (input) => ({ KeyId: kms.cancelDeletion(requiredString(input, 'KeyId')).arn }),
      CreateAlias: (input) => {
        kms.createAlias(requiredString(input, 'AliasName'), requiredString(input, 'TargetKeyId'));
        return {};
      },
      ListAliases: (input) => {
        const keyId = stringField(input, 'KeyId');
        return { Aliases: kms.listAliases(keyId).map(aliasEntry), Truncated: false };
      },
      ListKeys: () => ({ Keys: kms.listKeys().map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), Truncated: false }),
    };
  }
}

function keyMetadata(key: KmsKey): Record<string, unknown> {
  return {
    AWSAccountId: key.arn.split(':')[4],
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: key.creationDate,
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
    Origin: 'AWS_KMS',
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: key.multiRegion,
    ...(key.deletionDate ? { DeletionDate: key.deletionDate } : {}),
  };
}

function aliasEntry(alias: KmsAlias): Record<string, unknown> {
  return { AliasName: alias.aliasName, AliasArn: alias.aliasArn, TargetKeyId: alias.targetKeyId, CreationDate: alias.creationDate };
}

function stringField(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' ? value : undefined;
}

function requiredString(input: Record<string, unknown>, name: string): string {
  const value = stringField(input, name);
  if (value === undefined) throw new ServiceError('ValidationException', 400, `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return value;
}
