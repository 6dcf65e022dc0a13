// How a finding names a resource: the stack's own buckets by the prefixes it gives them, others by name.
import type { ResourceChange } from './plan-json';
import { stringAttribute } from './plan-values';

/**
 * The stack's own buckets, recognised by the prefixes resourceNames() in stacks/migration-stack.ts
 * gives them (`kmsmig-<stack>-inv-`, `kmsmig-<stack>-reports-`); a test holds the two together.
 */
const OWN_BUCKET_PREFIX = { inventory: /^kmsmig-[a-z0-9-]+-inv-$/, reports: /^kmsmig-[a-z0-9-]+-reports-$/ } as const;
/** Terraform appends a unique id to a bucket_prefix: an 18-digit UTC timestamp and an 8-hex-digit counter. */
const GENERATED_SUFFIX = /\d{18}[0-9a-f]{8}$/;

export function ownBucketRole(change: ResourceChange): 'inventory' | 'reports' | undefined {
  const prefix = stringAttribute(change, 'bucket_prefix') ?? stringAttribute(change, 'bucket')?.replace(GENERATED_SUFFIX, '');
  if (prefix === undefined) return undefined;
  if (OWN_BUCKET_PREFIX.reports.test(prefix)) return 'reports';
  if (OWN_BUCKET_PREFIX.inventory.test(prefix)) return 'inventory';
  return undefined;
}

export function ownBucketLabel(change: ResourceChange): string {
  const name = stringAttribute(change, 'bucket');
  const role = ownBucketRole(change);
  const label = role === 'inventory' ? 'the inventory bucket' : role === 'reports' ? 'the reports bucket' : 'a bucket';
  return name ? `${label} ${name}` : label;
}

/** A bucket's sub-resource names its bucket by `bucket`; the stack's own ones are recognised by name. */
export function bucketLabel(change: ResourceChange): string {
  const name = stringAttribute(change, 'bucket');
  if (name === undefined) return 'a bucket';
  const prefix = name.replace(GENERATED_SUFFIX, '');
  if (OWN_BUCKET_PREFIX.reports.test(prefix)) return `the reports bucket ${name}`;
  if (OWN_BUCKET_PREFIX.inventory.test(prefix)) return `the inventory bucket ${name}`;
  return `bucket ${name}`;
}

/** ` <name>` when the resource has one, to follow a label ("the key's alias alias/x"); '' otherwise. */
export function nameOf(change: ResourceChange, key: string): string {
  const name = stringAttribute(change, key);
  return name ? ` ${name}` : '';
}
