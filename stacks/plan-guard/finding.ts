// What the guard reports about one resource change: a refusal, or a change let through on a flag or with a notice.
import type { ChangeKind } from './change-kind';
import type { ResourceChange } from './plan-json';

/** One change the guard refused, or let through on an explicit flag or with a notice. */
export interface Finding {
  readonly verdict: 'refused' | 'allowed';
  readonly address: string;
  readonly resourceType: string;
  readonly change: ChangeKind;
  readonly actions: readonly string[];
  /** Terraform's `action_reason`, when it gave one. */
  readonly actionReason?: string;
  /** What the resource is to the migration, e.g. "the migration's KMS key". */
  readonly subject: string;
  /** What the change would do, and why that matters (or why it is let through). */
  readonly reason: string;
  /** What to do about it. */
  readonly fix: string;
  /** The attribute of an update in place the finding is about, e.g. `is_enabled`. */
  readonly attribute?: string;
  /** Key users the change takes out of the key policy. */
  readonly removedKeyUsers?: readonly string[];
  /** Readers and CloudFront distributions of a bucket the change takes out of the key policy. */
  readonly removedReaders?: readonly string[];
}

export function finding(
  change: ResourceChange,
  kind: ChangeKind,
  verdict: Finding['verdict'],
  subject: string,
  reason: string,
  fix: string,
): Finding {
  return {
    verdict,
    address: change.deposed ? `${change.address} (deposed ${change.deposed})` : change.address,
    resourceType: change.type,
    change: kind,
    actions: change.change.actions,
    ...(change.action_reason ? { actionReason: change.action_reason } : {}),
    subject,
    reason,
    fix,
  };
}
