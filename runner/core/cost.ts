// The bill and the clock before anyone presses the button: cost, KMS request rate and duration of a
// plan, from counts per action, with every assumption named so a reader can disagree with it.
import { formatCount } from '../output';
import type { Action } from './classify';

/** USD list prices (us-east-1, 2026). Override per Region; every figure is an input, not a truth. */
export interface PriceTable {
  readonly batchOperationsPerJob: number;
  readonly batchOperationsPerMillionObjects: number;
  /** PUT, COPY, POST, LIST class. */
  readonly s3WriteRequestsPer1000: number;
  /** GET, HEAD class. */
  readonly s3ReadRequestsPer1000: number;
  /** UpdateObjectEncryption, billed here as a write-class request (assumption). */
  readonly updateEncryptionRequestsPer1000: number;
  readonly kmsRequestsPer10000: number;
  readonly kmsKeyPerMonth: number;
  /** Standard-tier restore requests and retrieval for Glacier Flexible Retrieval. */
  readonly restoreRequestsPer1000: number;
  readonly restoreRetrievalPerGb: number;
  /** Storage per GB-month by storage class; unknown classes use STANDARD. */
  readonly storagePerGbMonth: Readonly<Record<string, number>>;
  /** Data transfer out to another Region, per GB: what Cross-Region Replication bills for each replicated byte. */
  readonly interRegionTransferPerGb: number;
}

export const DEFAULT_PRICES: PriceTable = {
  batchOperationsPerJob: 0.25,
  batchOperationsPerMillionObjects: 1.0,
  s3WriteRequestsPer1000: 0.005,
  s3ReadRequestsPer1000: 0.0004,
  updateEncryptionRequestsPer1000: 0.005,
  kmsRequestsPer10000: 0.03,
  kmsKeyPerMonth: 1.0,
  restoreRequestsPer1000: 0.05,
  restoreRetrievalPerGb: 0.01,
  storagePerGbMonth: {
    STANDARD: 0.023,
    INTELLIGENT_TIERING: 0.023,
    STANDARD_IA: 0.0125,
    ONEZONE_IA: 0.01,
    GLACIER_IR: 0.004,
    GLACIER: 0.0036,
    DEEP_ARCHIVE: 0.00099,
    REDUCED_REDUNDANCY: 0.024,
  },
  interRegionTransferPerGb: 0.02,
};

/** Throughput and quota assumptions behind the duration and rate ranges. */
export interface ThroughputAssumptions {
  /** Tasks per second one Batch Operations job sustains: low and high end of what to expect. */
  readonly tasksPerSecond: readonly [number, number];
  /** Bytes per second a copy job moves. */
  readonly copyBytesPerSecond: readonly [number, number];
  /** Minutes a job spends preparing (reading the manifest) before the first task. */
  readonly preparationMinutes: readonly [number, number];
  /** Share of KMS calls Bucket Keys remove: 0.99 means 1 call in 100 remains. */
  readonly bucketKeyReduction: readonly [number, number];
  /** The Region's KMS cryptographic request quota per second (5,500 to 30,000 depending on Region). */
  readonly kmsRequestQuotaPerSecond: number;
}

export const DEFAULT_THROUGHPUT: ThroughputAssumptions = {
  tasksPerSecond: [200, 2_000],
  copyBytesPerSecond: [200 * 1024 ** 2, 2 * 1024 ** 3],
  preparationMinutes: [2, 30],
  bucketKeyReduction: [0.9, 0.999],
  kmsRequestQuotaPerSecond: 5_500,
};

export interface ActionTotals {
  readonly versions: number;
  readonly bytes: number;
}

/** What a plan will do, per action and (for copies) per storage class. */
export interface PlanTotals {
  readonly byAction: Readonly<Partial<Record<Action, ActionTotals>>>;
  /** Bytes copied in place per storage class: they stay billed as noncurrent versions until expiry. */
  readonly copiedBytesByStorageClass: Readonly<Record<string, number>>;
  readonly jobs: number;
  readonly noncurrentDays: number;
  /** direct: the runner makes every call itself: no Batch Operations charges, no job preparation. @default 'batch' */
  readonly engine?: 'batch' | 'direct';
}

export interface CostLine {
  readonly item: string;
  readonly usd: number;
}

export interface Estimate {
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
  /** KMS calls the migration makes: without and with Bucket Keys. */
  readonly kmsRequests: { readonly withoutBucketKeys: number; readonly low: number; readonly high: number };
  /** Peak KMS requests per second, low and high, against the quota. */
  readonly kmsRequestsPerSecond: readonly [number, number];
  readonly kmsQuotaPerSecond: number;
  /** Wall-clock range in seconds. */
  readonly durationSeconds: readonly [number, number];
}

// KMS calls per task without Bucket Keys: a copy decrypts nothing (NOT-SSE source) and generates
// one data key; UpdateObjectEncryption decrypts the old data key and encrypts it under the new key.
const KMS_CALLS_PER_COPY = 1;
const KMS_CALLS_PER_UPDATE = 2;

function count(totals: PlanTotals, action: Action): ActionTotals {
  return totals.byAction[action] ?? { versions: 0, bytes: 0 };
}

const GIB = 1024 ** 3;

export function estimate(
  totals: PlanTotals,
  prices: PriceTable = DEFAULT_PRICES,
  throughput: ThroughputAssumptions = DEFAULT_THROUGHPUT,
): Estimate {
  const update = count(totals, 'update-encryption');
  const copy = count(totals, 'copy');
  const large = count(totals, 'copy-too-large');
  const locked = count(totals, 'copy-locked');
  const restore = count(totals, 'needs-restore');
  // Archived objects are restored, then copied: they count as copies too.
  const copies = copy.versions + large.versions + locked.versions + restore.versions;
  const batchTasks = update.versions + copy.versions + restore.versions * 2;

  const extraStorage = Object.entries(totals.copiedBytesByStorageClass).reduce((sum, [cls, bytes]) => {
    // A class the price table does not name is priced as STANDARD; a table without STANDARD prices nothing extra.
    const perGbMonth = prices.storagePerGbMonth[cls] ?? prices.storagePerGbMonth.STANDARD ?? 0;
    return sum + (bytes / GIB) * perGbMonth * (totals.noncurrentDays / 30);
  }, 0);

  const kmsWithout = copies * KMS_CALLS_PER_COPY + update.versions * KMS_CALLS_PER_UPDATE;
  const kmsLow = Math.round(kmsWithout * (1 - throughput.bucketKeyReduction[1]));
  const kmsHigh = Math.round(kmsWithout * (1 - throughput.bucketKeyReduction[0]));

  const batch = totals.engine !== 'direct';
  const lines: CostLine[] = [
    ...(batch
      ? [
          { item: `Batch Operations: ${formatCount(totals.jobs)} job(s)`, usd: totals.jobs * prices.batchOperationsPerJob },
          {
            item: `Batch Operations: ${formatCount(batchTasks)} object task(s)`,
            usd: (batchTasks / 1e6) * prices.batchOperationsPerMillionObjects,
          },
        ]
      : []),
    {
      item: `UpdateObjectEncryption requests: ${formatCount(update.versions)}`,
      usd: (update.versions / 1000) * prices.updateEncryptionRequestsPer1000,
    },
    { item: `COPY requests: ${formatCount(copies)}`, usd: (copies / 1000) * prices.s3WriteRequestsPer1000 },
    { item: `GET/HEAD requests (copy sources): ${formatCount(copies)}`, usd: (copies / 1000) * prices.s3ReadRequestsPer1000 },
    {
      item: `Restores (Standard tier): ${formatCount(restore.versions)}, ${(restore.bytes / GIB).toFixed(1)} GiB`,
      usd: (restore.versions / 1000) * prices.restoreRequestsPer1000 + (restore.bytes / GIB) * prices.restoreRetrievalPerGb,
    },
    {
      item: `KMS requests (with Bucket Keys, upper estimate): ${formatCount(kmsHigh)}`,
      usd: (kmsHigh / 10000) * prices.kmsRequestsPer10000,
    },
    { item: 'KMS key: one month', usd: prices.kmsKeyPerMonth },
    { item: `Old versions of copied objects kept ${totals.noncurrentDays} days`, usd: extraStorage },
  ];
  const totalUsd = lines.reduce((sum, l) => sum + l.usd, 0);

  const tasks = batchTasks + large.versions + locked.versions;
  const copiedBytes = copy.bytes + large.bytes + locked.bytes + restore.bytes;
  const [slowRate, fastRate] = throughput.tasksPerSecond;
  const [slowBandwidth, fastBandwidth] = throughput.copyBytesPerSecond;
  const [shortPrep, longPrep] = batch ? throughput.preparationMinutes : [0, 0];
  const fastest = tasks === 0 ? 0 : shortPrep * 60 + Math.max(tasks / fastRate, copiedBytes / fastBandwidth);
  const slowest = tasks === 0 ? 0 : longPrep * 60 + Math.max(tasks / slowRate, copiedBytes / slowBandwidth);
  const perTask = tasks === 0 ? 0 : kmsWithout / Math.max(tasks, 1);
  return {
    lines,
    totalUsd,
    kmsRequests: { withoutBucketKeys: kmsWithout, low: kmsLow, high: kmsHigh },
    kmsRequestsPerSecond: [
      Math.ceil(throughput.tasksPerSecond[0] * perTask * (1 - throughput.bucketKeyReduction[1])),
      Math.ceil(throughput.tasksPerSecond[1] * perTask * (1 - throughput.bucketKeyReduction[0])),
    ],
    kmsQuotaPerSecond: throughput.kmsRequestQuotaPerSecond,
    durationSeconds: [fastest, slowest],
  };
}

/**
 * What replicating the migration's copies costs: each copy in place is a new version every enabled
 * rule covering it replicates (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html,
 * "objects created after you add a replication configuration"). Per destination: a PUT request per
 * replica, the replica's storage (STANDARD unless the rule names a class), and, when the destination
 * is in another Region, inter-Region transfer; the destination's Region is not in the rule, so the
 * transfer line is an upper estimate.
 */
export function replicationCost(copies: ActionTotals, destinations: number, prices: PriceTable = DEFAULT_PRICES): CostLine[] {
  if (destinations === 0 || copies.versions === 0) return [];
  const gib = copies.bytes / GIB;
  return [
    {
      item: `Replication PUT requests: ${formatCount(copies.versions * destinations)} (${formatCount(copies.versions)} copies x ${formatCount(destinations)} destination(s))`,
      usd: ((copies.versions * destinations) / 1000) * prices.s3WriteRequestsPer1000,
    },
    {
      item: `Replica storage, one month: ${(gib * destinations).toFixed(1)} GiB (STANDARD)`,
      usd: gib * destinations * prices.storagePerGbMonth.STANDARD!,
    },
    {
      item: `Inter-Region transfer if the destinations are in other Regions (upper estimate): ${(gib * destinations).toFixed(1)} GiB`,
      usd: gib * destinations * prices.interRegionTransferPerGb,
    },
  ];
}
