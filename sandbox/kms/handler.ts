// KMS on the wire (awsJson1.1, `TrentService.*`): the key, alias and key policy operations the
// stacks and the runner use, answering from the KMS world as the caller's credentials allow.
import { ServiceError } from '../errors';
import { JsonInputReader } from '../http/json-input';
import { JsonProtocolHandler, type JsonOperation } from '../http/json-protocol';
import type { SandboxRequest } from '../http/request';
import type { Identities } from '../iam/identities';
import type { Principal } from '../iam/principal';
import { authorizeKeyUse, checkKeyPolicy, KEY_POLICY_NAME, keyAccessDenied } from './key-policy';
import type { KmsAlias, KmsKey, KmsWorld } from './world';

const members = new JsonInputReader((message) => new ServiceError('ValidationException', 400, message));

export class KmsHandler extends JsonProtocolHandler {
  readonly name = 'kms';
  readonly signingName = 'kms';
  readonly targetPrefix = 'TrentService';
  protected readonly operations: Readonly<Record<string, JsonOperation>>;

  constructor(kms: KmsWorld, identities: Identities) {
    super();
    const callerOf = (req: SandboxRequest): Principal => identities.principalFor(req.scope?.accessKeyId);
    const identityPolicies = (principal: Principal) => identities.identityPolicies(principal);
    /** The key, once the caller is allowed `action` on it by its key policy (and IAM where it delegates). */
    const authorizedKey = (req: SandboxRequest, keyRef: string, action: string): KmsKey => {
      const key = kms.describeKey(keyRef);
      const use = { principal: callerOf(req), action };
      const decision = authorizeKeyUse(key, use, identityPolicies);
      if (!decision.allowed) throw keyAccessDenied(key, use, decision);
      return key;
    };
    this.operations = {
      CreateKey: (input, req) => {
        const spec = input.KeySpec ?? input.CustomerMasterKeySpec;
        if (spec !== undefined && spec !== 'SYMMETRIC_DEFAULT')
          throw new ServiceError(
            'UnsupportedOperationException',
            400,
            // eslint-disable-next-line @typescript-eslint/no-base-to-string -- KeySpec is a string in any request an SDK sends
            `The sandbox supports only SYMMETRIC_DEFAULT keys. Received: ${String(spec)}`,
          );
        const tags = Array.isArray(input.Tags) ? (input.Tags as { TagKey: string; TagValue: string }[]) : [];
        const policy = members.optionalString(input, 'Policy');
        const bypass = input.BypassPolicyLockoutSafetyCheck === true;
        const caller = callerOf(req);
        const key = kms.createKey({
          description: members.optionalString(input, 'Description') ?? '',
          tags,
          ...(policy !== undefined
            ? { policy, check: (created: KmsKey) => checkKeyPolicy(policy, created, caller, identityPolicies, bypass) }
            : {}),
        });
        return { KeyMetadata: keyMetadata(key) };
      },
      GetKeyPolicy: (input, req) => {
        policyName(input);
        return {
          PolicyName: KEY_POLICY_NAME,
          Policy: authorizedKey(req, members.requiredString(input, 'KeyId'), 'kms:GetKeyPolicy').policy,
        };
      },
      PutKeyPolicy: (input, req) => {
        policyName(input);
        const key = authorizedKey(req, members.requiredString(input, 'KeyId'), 'kms:PutKeyPolicy');
        const policy = members.requiredString(input, 'Policy');
        checkKeyPolicy(policy, key, callerOf(req), identityPolicies, input.BypassPolicyLockoutSafetyCheck === true);
        kms.putKeyPolicy(key.arn, policy);
        return {};
      },
      ListKeyPolicies: (input) => {
        kms.describeKey(members.requiredString(input, 'KeyId'));
        return { PolicyNames: [KEY_POLICY_NAME], Truncated: false };
      },
      DescribeKey: (input) => ({ KeyMetadata: keyMetadata(kms.describeKey(members.requiredString(input, 'KeyId'))) }),
      EnableKey: (input) => {
        kms.setEnabled(members.requiredString(input, 'KeyId'), true);
        return {};
      },
      DisableKey: (input) => {
        kms.setEnabled(members.requiredString(input, 'KeyId'), false);
        return {};
      },
      ScheduleKeyDeletion: (input) => {
        const days = input.PendingWindowInDays;
        const key = kms.scheduleDeletion(members.requiredString(input, 'KeyId'), typeof days === 'number' ? days : undefined);
        return {
          KeyId: key.arn,
          DeletionDate: key.deletionDate,
          KeyState: key.keyState,
          PendingWindowInDays: typeof days === 'number' ? days : 30,
        };
      },
      CancelKeyDeletion: (input) => ({ KeyId: kms.cancelDeletion(members.requiredString(input, 'KeyId')).arn }),
      CreateAlias: (input) => {
        kms.createAlias(members.requiredString(input, 'AliasName'), members.requiredString(input, 'TargetKeyId'));
        return {};
      },
      ListAliases: (input) => {
        const keyId = members.optionalString(input, 'KeyId');
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

/** PolicyName may be left out (KMS then uses `default`); any other name does not exist. */
function policyName(input: Record<string, unknown>): void {
  const name = members.optionalString(input, 'PolicyName') ?? KEY_POLICY_NAME;
  if (name !== KEY_POLICY_NAME) throw new ServiceError('NotFoundException', 400, 'No such policy exists');
}
