// The noncurrent-version expiration rule and its merge into (and removal from) a bucket's existing lifecycle rules. Pure.

/** The fixed id of the one rule the migration owns; every other rule is someone else's. */
export const EXPIRATION_RULE_ID = 'kms-migration-expire-noncurrent';

/** The flag a person must add to `expire --force`: it names what --force risks. */
export const FORCE_ACKNOWLEDGEMENT = '--i-understand-unverified-versions-will-be-deleted';

/** S3 accepts at most 1,000 rules in one lifecycle configuration (API reference, LifecycleConfiguration). */
export const MAX_LIFECYCLE_RULES = 1000;

/** NewerNoncurrentVersions: "You can specify up to 100 noncurrent versions to retain" (API reference). */
export const MAX_NEWER_NONCURRENT_VERSIONS = 100;

/**
 * The fields of a lifecycle rule this module reads. Rules are otherwise opaque: an existing rule is
 * handed back as the very object it was read as, so nothing of it can be lost or reshaped.
 */
export interface LifecycleRuleLike {
  readonly ID?: string;
  readonly Status?: string;
  /** Deprecated top-level prefix; older rules still carry it instead of Filter. */
  readonly Prefix?: string;
  readonly Filter?: {
    readonly Prefix?: string;
    readonly Tag?: unknown;
    readonly ObjectSizeGreaterThan?: number;
    readonly ObjectSizeLessThan?: number;
    readonly And?: { readonly Prefix?: string };
  };
  readonly NoncurrentVersionExpiration?: {
    readonly NoncurrentDays?: number;
    readonly NewerNoncurrentVersions?: number;
  };
}

export interface ExpirationRuleProps {
  /** Days a version stays noncurrent before S3 deletes it (outputs.noncurrent_days). */
  readonly noncurrentDays: number;
  /** Noncurrent versions kept per key whatever their age; 0 keeps none. @default 0 */
  readonly newerNoncurrentVersions?: number;
  /** Key prefix the rule is limited to (the bucket's prefix_filter); '' is the whole bucket. @default '' */
  readonly prefix?: string;
}

export interface ExpirationRule extends LifecycleRuleLike {
  readonly ID: string;
  readonly Status: 'Enabled';
  readonly Filter: { readonly Prefix: string };
  readonly NoncurrentVersionExpiration: { readonly NoncurrentDays: number; readonly NewerNoncurrentVersions?: number };
}

export function expirationRule(props: ExpirationRuleProps): ExpirationRule {
  const newer = props.newerNoncurrentVersions ?? 0;
  const prefix = props.prefix ?? '';
  if (!Number.isInteger(props.noncurrentDays) || props.noncurrentDays < 1) {
    throw new RangeError(`'noncurrentDays' must be a whole number of at least 1. Received: ${props.noncurrentDays}`);
  }
  if (!Number.isInteger(newer) || newer < 0 || newer > MAX_NEWER_NONCURRENT_VERSIONS) {
    throw new RangeError(`'newerNoncurrentVersions' must be a whole number from 0 to ${MAX_NEWER_NONCURRENT_VERSIONS}. Received: ${newer}`);
  }
  return {
    ID: EXPIRATION_RULE_ID,
    Status: 'Enabled',
    // Filter.Prefix '' is S3's way to say "every object"; one shape for both cases keeps comparisons simple.
    Filter: { Prefix: prefix },
    NoncurrentVersionExpiration: { NoncurrentDays: props.noncurrentDays, ...(newer > 0 ? { NewerNoncurrentVersions: newer } : {}) },
  };
}

/** The key prefix a rule applies to, whichever of its shapes names it; '' for the whole bucket (tag- or size-only filters too). */
export function rulePrefix(rule: LifecycleRuleLike): string {
  return rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix ?? '';
}

/** Two prefixes select a common key exactly when one starts with the other. */
export function prefixesOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** What our rule means, in a form that survives the XML round trip (absent and 0 are the same NewerNoncurrentVersions). */
function meaning(rule: LifecycleRuleLike): string {
  return JSON.stringify([
    rule.Status,
    rulePrefix(rule),
    rule.NoncurrentVersionExpiration?.NoncurrentDays,
    rule.NoncurrentVersionExpiration?.NewerNoncurrentVersions ?? 0,
  ]);
}

export type MergeOutcome<R> =
  /** Our rule is already there, as wanted: nothing to write. */
  | { readonly kind: 'unchanged'; readonly rules: readonly R[] }
  | { readonly kind: 'add'; readonly rules: readonly (R | ExpirationRule)[] }
  /** Our rule is there with other settings: only it changes, in its place. */
  | { readonly kind: 'update'; readonly rules: readonly (R | ExpirationRule)[]; readonly previous: R }
  /** Someone else's rule decides noncurrent expiration where ours would, or there is no room: nothing is written. */
  | { readonly kind: 'conflict'; readonly conflicts: readonly string[] };

/**
 * Merges our rule into the existing rules. Every other rule is returned as the same object in the
 * same place. Another enabled rule that already expires noncurrent versions under an overlapping
 * prefix is a conflict: S3 would apply whichever expires first, silently overriding that rule's
 * owner (or ours), so a person decides.
 */
export function mergeExpirationRule<R extends LifecycleRuleLike>(existing: readonly R[], ours: ExpirationRule): MergeOutcome<R> {
  const index = existing.findIndex((r) => r.ID === ours.ID);
  const conflicts = existing
    .filter(
      (r) =>
        r.ID !== ours.ID &&
        r.Status === 'Enabled' &&
        r.NoncurrentVersionExpiration !== undefined &&
        prefixesOverlap(rulePrefix(r), rulePrefix(ours)),
    )
    .map(
      (r) =>
        `rule '${r.ID ?? '(no id)'}' already expires noncurrent versions` +
        `${r.NoncurrentVersionExpiration?.NoncurrentDays !== undefined ? ` after ${r.NoncurrentVersionExpiration.NoncurrentDays} days` : ''}` +
        ` under prefix '${rulePrefix(r)}', which overlaps '${rulePrefix(ours)}'`,
    );
  if (index < 0 && existing.length >= MAX_LIFECYCLE_RULES) {
    conflicts.push(
      `the configuration already has ${existing.length} rules, the most S3 accepts (${MAX_LIFECYCLE_RULES}); there is no room for ours`,
    );
  }
  if (conflicts.length > 0) return { kind: 'conflict', conflicts };
  const current = existing[index];
  if (current === undefined) return { kind: 'add', rules: [...existing, ours] };
  if (meaning(current) === meaning(ours)) return { kind: 'unchanged', rules: existing };
  return { kind: 'update', rules: existing.map((r, i) => (i === index ? ours : r)), previous: current };
}

export type RemovalOutcome<R> =
  | { readonly kind: 'unchanged'; readonly rules: readonly R[] }
  /** Other rules remain: write them back without ours. */
  | { readonly kind: 'remove'; readonly rules: readonly R[] }
  /** Ours was the only rule: S3 needs at least one rule in a configuration, so delete the configuration. */
  | { readonly kind: 'delete-configuration'; readonly rules: readonly R[] };

export function removeExpirationRule<R extends LifecycleRuleLike>(
  existing: readonly R[],
  ruleId: string = EXPIRATION_RULE_ID,
): RemovalOutcome<R> {
  const rules = existing.filter((r) => r.ID !== ruleId);
  if (rules.length === existing.length) return { kind: 'unchanged', rules: existing };
  return rules.length === 0 ? { kind: 'delete-configuration', rules } : { kind: 'remove', rules };
}

export interface RuleChange {
  readonly id: string;
  readonly change: 'added' | 'removed' | 'changed' | 'kept';
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Rule by rule, what a write would change: the dry run's before/after. */
export function lifecycleDiff(before: readonly LifecycleRuleLike[], after: readonly LifecycleRuleLike[]): RuleChange[] {
  const id = (r: LifecycleRuleLike, i: number) => r.ID ?? `(rule ${i + 1} without id)`;
  const afterById = new Map(after.map((r, i) => [id(r, i), r]));
  const beforeIds = new Set(before.map(id));
  const changes: RuleChange[] = before.map((r, i) => {
    const next = afterById.get(id(r, i));
    if (next === undefined) return { id: id(r, i), change: 'removed', before: r };
    return JSON.stringify(next) === JSON.stringify(r)
      ? { id: id(r, i), change: 'kept' }
      : { id: id(r, i), change: 'changed', before: r, after: next };
  });
  after.forEach((r, i) => {
    if (!beforeIds.has(id(r, i))) changes.push({ id: id(r, i), change: 'added', after: r });
  });
  return changes;
}
