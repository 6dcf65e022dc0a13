// The whole simulated AWS account, HTTP-free: S3 and KMS state plus account, region and clock.
// Handlers and issue-4 engines (inventory, Batch Operations, Athena) all act on this object.
import { KmsWorld } from './kms/world';
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
}

/**
 * A part of the world that saves and loads itself with the sandbox state (issue 4 adds Glue,
 * Athena, jobs). `save` returns JSON-serialisable data; `load` receives it back.
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
    this.kms = new KmsWorld(this.accountId, this.region);
    this.s3 = new S3World({ accountId: this.accountId, region: this.region, kms: this.kms, now: this.now, restoreDelayMs: () => this.restoreDelayMs });
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
