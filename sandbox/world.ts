// The whole simulated AWS account, HTTP-free: S3, KMS and IAM state, who the credentials stand for,
// plus account, region and clock. Handlers and engines (inventory, Batch Operations, Athena) act on it.
import { Identities } from './iam/identities';
import { IamWorld } from './iam/world';
import { KmsWorld } from './kms/world';
import type { EventLog } from './s3/event-log';
import type { Replication } from './s3/replication';
import { S3World } from './s3/world';

export interface SandboxWorldProps {
  /** @default '123456789012' */
  readonly accountId?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Milliseconds RestoreObject takes to complete. @default 0 (complete at once) */
  readonly restoreDelayMs?: number;
  /** The world's clock. @default () => new Date() */
  readonly now?: () => Date;
  /**
   * Who credentials that AssumeRole did not issue stand for (every dummy access key): an IAM root,
   * user or role ARN of this account, holding an AdministratorAccess identity policy. A role ARN
   * makes the caller that role's session `sandbox`, so key policies naming the role admit it.
   * @default `arn:aws:iam::<accountId>:user/sandbox`
   */
  readonly defaultPrincipalArn?: string;
}

/**
 * State beyond the world's own that saves and loads with it (SandboxServices registers Glue's).
 * `save` returns JSON-serialisable data; `load` receives it back.
 */
export interface StatePart {
  readonly name: string;
  save(): unknown;
  load(data: unknown): void;
}

export class SandboxWorld {
  readonly accountId: string;
  readonly region: string;
  readonly kms: KmsWorld;
  readonly s3: S3World;
  readonly iam: IamWorld;
  /** Credentials to principals: the default identity and AssumeRole sessions. */
  readonly identities: Identities;
  /** Changeable at runtime, e.g. to test a runner waiting for restores. */
  restoreDelayMs: number;
  readonly now: () => Date;
  private readonly extraStateParts: StatePart[] = [];

  constructor(props: SandboxWorldProps = {}) {
    this.accountId = props.accountId ?? '123456789012';
    if (!/^\d{12}$/.test(this.accountId)) throw new RangeError(`'accountId' must be 12 digits. Received: ${this.accountId}`);
    this.region = props.region ?? 'us-east-1';
    this.restoreDelayMs = props.restoreDelayMs ?? 0;
    this.now = props.now ?? (() => new Date());
    this.iam = new IamWorld(this.accountId);
    this.identities = new Identities(this.iam, this.accountId, this.now, props.defaultPrincipalArn);
    this.kms = new KmsWorld(this.accountId, this.region);
    this.s3 = new S3World({
      accountId: this.accountId,
      region: this.region,
      kms: this.kms,
      now: this.now,
      restoreDelayMs: () => this.restoreDelayMs,
      roleByArn: (arn) => this.iam.roleByArn(arn),
      identityPolicies: (principal) => this.identities.identityPolicies(principal),
    });
  }

  /** S3's replication queue: `await world.replication.drain()` replicates every queued version now. */
  get replication(): Replication {
    return this.s3.replication;
  }

  /** Every S3 event notification fired: `world.events.events({ bucket })`. */
  get events(): EventLog {
    return this.s3.events;
  }

  /** Registers another service's state for save/load. */
  addStatePart(part: StatePart): void {
    if (this.extraStateParts.some((p) => p.name === part.name)) throw new Error(`state part '${part.name}' is already registered`);
    this.extraStateParts.push(part);
  }

  stateParts(): readonly StatePart[] {
    return this.extraStateParts;
  }
}
