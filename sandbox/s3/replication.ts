// Live replication, asynchronous as on AWS: a write that a rule selects leaves its version PENDING
// and queues it; the queue drains on a timer (or at once through drain()), and each version ends
// COMPLETED, with a REPLICA of the same version id in the destination, or FAILED.
// Encrypted objects and the role's key permissions:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
// Failure reasons: https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-failure-codes.html
import type { PolicyDocument } from '../iam/policy';
import { sessionPrincipal, type Principal } from '../iam/principal';
import { authorizeKeyUse } from '../kms/key-policy';
import type { KmsKey, KmsWorld } from '../kms/world';
import type { Bucket } from './bucket';
import { internEncryption } from './encryption';
import type { EventLog } from './event-log';
import type { ObjectEncryption, ObjectVersion, StorageClass } from './model';
import { destinationBucketName, isKmsEncrypted, type ReplicationRule } from './replication-config';

/**
 * Why a version FAILED. All but the last two are AWS's documented failure reasons; AWS's list names
 * no reason for a refused kms:Decrypt or kms:Encrypt, so the sandbox names those itself.
 */
export type ReplicationFailureReason =
  | 'AssumeRoleNotPermitted'
  | 'DstBucketNotFound'
  | 'DstBucketUnversioned'
  | 'DstKmsKeyNotFound'
  | 'DstKmsKeyInvalidState'
  | 'SrcKmsKeyInvalidState'
  | 'KmsDecryptNotPermitted'
  | 'KmsEncryptNotPermitted';

export interface ReplicationOutcome {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly ruleId: string;
  readonly destinationBucket: string;
  readonly status: 'COMPLETED' | 'FAILED';
  readonly reason?: ReplicationFailureReason;
}

interface PendingReplication {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly rule: ReplicationRule;
  /** The configuration's role when the version was written. */
  readonly role: string;
}

export interface ReplicationDeps {
  readonly accountId: string;
  readonly region: string;
  readonly kms: KmsWorld;
  readonly events: EventLog;
  readonly bucketNamed: (name: string) => Bucket | undefined;
  /** The IAM role an ARN names, if it exists. */
  readonly roleByArn: (arn: string) => { readonly roleName: string; readonly arn: string } | undefined;
  /** The identity policies IAM holds for a principal (a role session: its role's inline policies). */
  readonly identityPolicies: (principal: Principal) => readonly PolicyDocument[];
}

/** The session name the sandbox gives S3's session of a replication role. */
export const REPLICATION_SESSION_NAME = 's3-replication';

export class Replication {
  /** Milliseconds between a write and the drain that replicates it. @default 0 (the next timer tick) */
  delayMs = 0;
  private readonly queue: PendingReplication[] = [];
  private readonly history: ReplicationOutcome[] = [];
  private paused = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: ReplicationDeps) {}

  /** Versions waiting to replicate. */
  get pendingCount(): number {
    return this.queue.length;
  }

  /** Queues a version whose status the caller set to PENDING. */
  enqueue(version: ObjectVersion, rule: ReplicationRule, role: string): void {
    this.queue.push({ bucket: version.bucket, key: version.key, versionId: version.versionId, rule, role });
    this.schedule();
  }

  /** Stops the timer: queued versions stay PENDING until resume() or drain(). */
  pause(): void {
    this.paused = true;
    this.cancelTimer();
  }

  resume(): void {
    this.paused = false;
    this.schedule();
  }

  /** Replicates everything queued now, in write order; resolves with what this drain did. */
  async drain(): Promise<readonly ReplicationOutcome[]> {
    this.cancelTimer();
    const outcomes: ReplicationOutcome[] = [];
    for (let item = this.queue.shift(); item !== undefined; item = this.queue.shift()) {
      const outcome = this.replicate(item);
      if (outcome) outcomes.push(outcome);
    }
    this.history.push(...outcomes);
    return Promise.resolve(outcomes);
  }

  /** Every outcome since the world started (not saved with the state; statuses are). */
  outcomes(): readonly ReplicationOutcome[] {
    return this.history;
  }

  private schedule(): void {
    if (this.paused || this.timer !== undefined || this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, this.delayMs);
    // A sandbox with nothing else to do may exit; pending versions stay PENDING, as saved state shows.
    this.timer.unref();
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private replicate(item: PendingReplication): ReplicationOutcome | undefined {
    const source = this.deps.bucketNamed(item.bucket);
    const version = source?.versionWithId(item.key, item.versionId);
    // Deleted before it replicated: nothing left to send.
    if (!source || !version) return undefined;
    const destinationName = destinationBucketName(item.rule);
    const base = {
      bucket: item.bucket,
      key: item.key,
      versionId: item.versionId,
      ruleId: item.rule.id,
      destinationBucket: destinationName,
    };
    const reason = this.failureOf(item, version, destinationName);
    if (typeof reason === 'string') {
      if (!version.isDeleteMarker) source.replace({ ...version, replicationStatus: 'FAILED' });
      // S3 publishes this event only for rules with S3 Replication metrics enabled.
      if (item.rule.destination.metrics === 'Enabled') this.deps.events.fire(source, 's3:Replication:OperationFailedReplication', version);
      return { ...base, status: 'FAILED', reason };
    }
    const { destination, encryption } = reason;
    const replica: ObjectVersion = {
      ...version,
      bucket: destinationName,
      encryption,
      ...(item.rule.destination.storageClass !== undefined ? { storageClass: item.rule.destination.storageClass as StorageClass } : {}),
      ...(version.isDeleteMarker ? {} : { replicationStatus: 'REPLICA' as const }),
    };
    destination.append(replica);
    if (!version.isDeleteMarker) source.replace({ ...version, replicationStatus: 'COMPLETED' });
    return { ...base, status: 'COMPLETED' };
  }

  /** The reason the version cannot replicate, or where it goes and how the replica is encrypted. */
  private failureOf(
    item: PendingReplication,
    version: ObjectVersion,
    destinationName: string,
  ): ReplicationFailureReason | { destination: Bucket; encryption: ObjectEncryption } {
    const { rule } = item;
    const destination = this.deps.bucketNamed(destinationName);
    if (!destination) return 'DstBucketNotFound';
    if (destination.versioning !== 'Enabled') return 'DstBucketUnversioned';
    const role = this.deps.roleByArn(item.role);
    if (!role) return 'AssumeRoleNotPermitted';
    if (version.isDeleteMarker || !isKmsEncrypted(version)) return { destination, encryption: version.encryption };
    const principal = sessionPrincipal(role.arn, role.roleName, REPLICATION_SESSION_NAME, this.deps.accountId);
    const sourceKey = this.deps.kms.findKey(version.encryption.kmsKeyArn!);
    if (!sourceKey || sourceKey.keyState !== 'Enabled') return 'SrcKmsKeyInvalidState';
    if (!this.mayUse(sourceKey, principal, 'kms:Decrypt', version.bucket, version.key, version.encryption.bucketKeyEnabled))
      return 'KmsDecryptNotPermitted';
    // A rule that opts in always names the replica key (PutBucketReplication refuses it otherwise).
    const replicaKey = this.deps.kms.findKey(rule.destination.replicaKmsKeyId!);
    if (!replicaKey) return 'DstKmsKeyNotFound';
    if (replicaKey.keyState !== 'Enabled') return 'DstKmsKeyInvalidState';
    const bucketKeyEnabled =
      destination.encryption.sseAlgorithm === 'aws:kms' &&
      destination.encryption.bucketKeyEnabled &&
      version.encryption.status === 'SSE-KMS';
    if (!this.mayUse(replicaKey, principal, 'kms:Encrypt', destinationName, version.key, bucketKeyEnabled)) return 'KmsEncryptNotPermitted';
    return {
      destination,
      encryption: internEncryption({ status: version.encryption.status, kmsKeyArn: replicaKey.arn, bucketKeyEnabled }),
    };
  }

  /** What S3 asks KMS as the role's session: via S3, with the object (or, under a Bucket Key, the bucket) as encryption context. */
  private mayUse(
    key: KmsKey,
    principal: Principal,
    action: 'kms:Decrypt' | 'kms:Encrypt',
    bucket: string,
    objectKey: string,
    bucketKey: boolean,
  ): boolean {
    const s3Arn = bucketKey ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${objectKey}`;
    return authorizeKeyUse(
      key,
      { principal, action, viaService: `s3.${this.deps.region}.amazonaws.com`, encryptionContext: { 'aws:s3:arn': s3Arn } },
      this.deps.identityPolicies,
    ).allowed;
  }
}
