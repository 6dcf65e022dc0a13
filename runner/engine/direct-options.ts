// The direct engine's options and their defaults, defined once: every pass resolves them here.

export interface DirectOptions {
  /** Most calls in flight; throttling halves it, successes grow it back. @default 16 */
  readonly concurrency?: number;
  /** Classify from ListObjectVersions + HeadObject instead of the inventory (no inventory, no Athena). @default false */
  readonly fromListing?: boolean;
  /** Unencrypted Glacier/Deep Archive versions: restore and copy them, or only report them. @default 'copy' */
  readonly archived?: 'copy' | 'report';
  /** Part size of multipart copies. @default 512 MiB */
  readonly partBytes?: number;
  /** How often the checkpoint is saved while working. @default 2000 */
  readonly checkpointEveryMs?: number;
  /** How often a progress line is written. @default 2000 */
  readonly progressEveryMs?: number;
  /** Days a restored copy stays readable. @default 7 */
  readonly restoreDays?: number;
  /** Copy in place what UpdateObjectEncryption would re-wrap (endpoints without it). @default false */
  readonly updateByCopy?: boolean;
}

/** The defaults of DirectOptions, for the options that have one. */
export const DIRECT_DEFAULTS = {
  concurrency: 16,
  archived: 'copy',
  checkpointEveryMs: 2000,
  progressEveryMs: 2000,
  updateByCopy: false,
} as const satisfies DirectOptions;

/** DirectOptions with every default filled in. */
export type ResolvedDirectOptions = DirectOptions & { -readonly [K in keyof typeof DIRECT_DEFAULTS]-?: NonNullable<DirectOptions[K]> };

export function resolveDirectOptions(options: DirectOptions): ResolvedDirectOptions {
  return {
    ...options,
    concurrency: options.concurrency ?? DIRECT_DEFAULTS.concurrency,
    archived: options.archived ?? DIRECT_DEFAULTS.archived,
    checkpointEveryMs: options.checkpointEveryMs ?? DIRECT_DEFAULTS.checkpointEveryMs,
    progressEveryMs: options.progressEveryMs ?? DIRECT_DEFAULTS.progressEveryMs,
    updateByCopy: options.updateByCopy ?? DIRECT_DEFAULTS.updateByCopy,
  };
}
