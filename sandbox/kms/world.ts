// The sandbox's KMS: keys and aliases, and the one resolver every service uses to turn a key id,
// key ARN, alias name or alias ARN into a key, failing the way KMS does.
import { randomUUID } from 'node:crypto';
import { ServiceError } from '../errors';
import { defaultKeyPolicy, s3ManagedKeyPolicy } from './default-policies';

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

export interface KmsKey {
  readonly keyId: string;
  readonly arn: string;
  readonly description: string;
  readonly keyState: KeyState;
  readonly creationDate: Date;
  readonly keyManager: 'CUSTOMER' | 'AWS';
  readonly keyUsage: 'ENCRYPT_DECRYPT';
  readonly keySpec: 'SYMMETRIC_DEFAULT';
  readonly multiRegion: boolean;
  readonly tags: readonly { readonly TagKey: string; readonly TagValue: string }[];
  /** When a key in PendingDeletion is deleted for good. */
  readonly deletionDate?: Date;
  /** The key policy (its one policy, named `default`), as JSON text. */
  readonly policy: string;
}

export interface KmsAlias {
  readonly aliasName: string;
  readonly aliasArn: string;
  readonly targetKeyId: string;
  readonly creationDate: Date;
}

export interface CreateKeyInput {
  readonly description?: string;
  readonly tags?: readonly { readonly TagKey: string; readonly TagValue: string }[];
  /** Fixes the key id (seeding, loaded state). @default a random UUID */
  readonly keyId?: string;
  readonly keyManager?: 'CUSTOMER' | 'AWS';
  /** @default the default key policy: the account root may do `kms:*` (IAM decides) */
  readonly policy?: string;
  /** Checks the key about to be created (its policy, for the lockout check); throwing creates nothing. */
  readonly check?: (key: KmsKey) => void;
}

/** The alias of the AWS managed key S3 uses for SSE-KMS without a key id. */
export const S3_MANAGED_KEY_ALIAS = 'alias/aws/s3';

export class KmsWorld {
  private readonly keys = new Map<string, KmsKey>();
  private readonly aliases = new Map<string, KmsAlias>();

  constructor(
    readonly accountId: string,
    readonly region: string,
  ) {}

  createKey(input: CreateKeyInput = {}): KmsKey {
    const keyId = input.keyId ?? randomUUID();
    const key: KmsKey = {
      keyId,
      arn: `arn:aws:kms:${this.region}:${this.accountId}:key/${keyId}`,
      description: input.description ?? '',
      keyState: 'Enabled',
      creationDate: new Date(),
      keyManager: input.keyManager ?? 'CUSTOMER',
      keyUsage: 'ENCRYPT_DECRYPT',
      keySpec: 'SYMMETRIC_DEFAULT',
      multiRegion: false,
      tags: input.tags ?? [],
      policy: input.policy ?? defaultKeyPolicy(this.accountId),
    };
    input.check?.(key);
    this.keys.set(keyId, key);
    return key;
  }

  /** PutKeyPolicy after its checks (key-policy.ts): replaces the key's one policy. */
  putKeyPolicy(keyRef: string, policy: string): KmsKey {
    const key = this.describeKey(keyRef);
    const updated: KmsKey = { ...key, policy };
    this.keys.set(key.keyId, updated);
    return updated;
  }

  createAlias(aliasName: string, targetKeyId: string): KmsAlias {
    if (!aliasName.startsWith('alias/') || aliasName.startsWith('alias/aws/')) {
      throw new ServiceError(
        'ValidationException',
        400,
        `Alias must start with the prefix "alias/" and must not begin with "alias/aws/". Received: ${aliasName}`,
      );
    }
    if (this.aliases.has(aliasName)) {
      throw new ServiceError(
        'AlreadyExistsException',
        400,
        `An alias with the name arn:aws:kms:${this.region}:${this.accountId}:${aliasName} already exists`,
      );
    }
    const key = this.describeKey(targetKeyId);
    return this.putAlias(aliasName, key.keyId);
  }

  listAliases(keyId?: string): KmsAlias[] {
    const all = [...this.aliases.values()].sort((a, b) => (a.aliasName < b.aliasName ? -1 : 1));
    if (keyId === undefined) return all;
    const key = this.describeKey(keyId);
    return all.filter((a) => a.targetKeyId === key.keyId);
  }

  listKeys(): KmsKey[] {
    return [...this.keys.values()];
  }

  /** Resolves id, key ARN, alias name or alias ARN; NotFoundException as KMS answers. */
  describeKey(keyRef: string): KmsKey {
    const key = this.findKey(keyRef);
    if (!key) throw new ServiceError('NotFoundException', 400, notFoundMessage(keyRef, this.region, this.accountId));
    return key;
  }

  findKey(keyRef: string): KmsKey | undefined {
    if (keyRef === S3_MANAGED_KEY_ALIAS || keyRef.endsWith(`:${S3_MANAGED_KEY_ALIAS}`)) return this.s3ManagedKey();
    const aliasName = keyRef.startsWith('alias/') ? keyRef : /^arn:aws[\w-]*:kms:[^:]+:\d{12}:(alias\/.+)$/.exec(keyRef)?.[1];
    if (aliasName !== undefined) {
      const alias = this.aliases.get(aliasName);
      return alias ? this.keys.get(alias.targetKeyId) : undefined;
    }
    const keyId = /^arn:aws[\w-]*:kms:[^:]+:\d{12}:key\/(.+)$/.exec(keyRef)?.[1] ?? keyRef;
    return this.keys.get(keyId);
  }

  /** The AWS managed key for S3, created on first use as AWS does. */
  s3ManagedKey(): KmsKey {
    const alias = this.aliases.get(S3_MANAGED_KEY_ALIAS);
    if (alias) return this.keys.get(alias.targetKeyId)!;
    const key = this.createKey({
      description: 'Default key that protects my S3 objects when no other key is defined',
      keyManager: 'AWS',
      policy: s3ManagedKeyPolicy(this.accountId, this.region),
    });
    this.putAlias(S3_MANAGED_KEY_ALIAS, key.keyId);
    return key;
  }

  setEnabled(keyRef: string, enabled: boolean): KmsKey {
    const key = this.describeKey(keyRef);
    if (key.keyState === 'PendingDeletion') {
      throw new ServiceError('KMSInvalidStateException', 400, `${key.arn} is pending deletion.`);
    }
    const updated: KmsKey = { ...key, keyState: enabled ? 'Enabled' : 'Disabled' };
    this.keys.set(key.keyId, updated);
    return updated;
  }

  /**
   * ScheduleKeyDeletion: the key is unusable at once (PendingDeletion) and deleted for good after the
   * waiting period, 7 to 30 days (30 by default), as KMS documents it; a key already pending is refused.
   */
  scheduleDeletion(keyRef: string, pendingWindowInDays = 30, now = new Date()): KmsKey {
    const key = this.describeKey(keyRef);
    if (!Number.isInteger(pendingWindowInDays) || pendingWindowInDays < 7 || pendingWindowInDays > 30) {
      throw new ServiceError(
        'ValidationException',
        400,
        `1 validation error detected: Value '${pendingWindowInDays}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30`,
      );
    }
    if (key.keyManager === 'AWS')
      throw new ServiceError(
        'UnsupportedOperationException',
        400,
        `${key.arn} is an AWS managed key: it cannot be scheduled for deletion.`,
      );
    if (key.keyState === 'PendingDeletion') throw new ServiceError('KMSInvalidStateException', 400, `${key.arn} is pending deletion.`);
    const updated: KmsKey = {
      ...key,
      keyState: 'PendingDeletion',
      deletionDate: new Date(now.getTime() + pendingWindowInDays * 86_400_000),
    };
    this.keys.set(key.keyId, updated);
    return updated;
  }

  /** CancelKeyDeletion: a key pending deletion comes back Disabled; any other state is refused. */
  cancelDeletion(keyRef: string): KmsKey {
    const key = this.describeKey(keyRef);
    if (key.keyState !== 'PendingDeletion') throw new ServiceError('KMSInvalidStateException', 400, `${key.arn} is not pending deletion.`);
    const { deletionDate: _cancelled, ...rest } = key;
    const updated: KmsKey = { ...rest, keyState: 'Disabled' };
    this.keys.set(key.keyId, updated);
    return updated;
  }

  /** Restores keys and aliases from saved state (keys saved before key policies existed get the default one). */
  restore(keys: readonly (Omit<KmsKey, 'policy'> & { readonly policy?: string })[], aliases: readonly KmsAlias[]): void {
    this.keys.clear();
    this.aliases.clear();
    for (const key of keys) {
      const policy =
        key.policy ?? (key.keyManager === 'AWS' ? s3ManagedKeyPolicy(this.accountId, this.region) : defaultKeyPolicy(this.accountId));
      this.keys.set(key.keyId, { ...key, policy });
    }
    for (const alias of aliases) this.aliases.set(alias.aliasName, alias);
  }

  listAllAliases(): KmsAlias[] {
    return [...this.aliases.values()];
  }

  private putAlias(aliasName: string, keyId: string): KmsAlias {
    const alias: KmsAlias = {
      aliasName,
      aliasArn: `arn:aws:kms:${this.region}:${this.accountId}:${aliasName}`,
      targetKeyId: keyId,
      creationDate: new Date(),
    };
    this.aliases.set(aliasName, alias);
    return alias;
  }
}

function notFoundMessage(keyRef: string, region: string, accountId: string): string {
  if (keyRef.startsWith('alias/')) return `Alias arn:aws:kms:${region}:${accountId}:${keyRef} is not found.`;
  if (keyRef.startsWith('arn:')) return `Key '${keyRef}' does not exist`;
  return `Invalid keyId '${keyRef}'`;
}
