// Imitations: switchable misbehaviours that make the sandbox answer like a faulty endpoint (moto,
// a broken proxy), so the runner's read-back checks can be shown to catch a 200 that lied.
import { SandboxConfigError } from './errors';

/**
 * - `update-encryption-writes-new-version`: UpdateObjectEncryption is served as moto 5.2.1 serves
 *   it, as a plain PutObject: the request's XML becomes a new current version (no tags, no
 *   metadata, STANDARD, bucket default encryption) and the 200 names that version in
 *   `x-amz-version-id`; the version asked for is left as it was.
 * - `copy-drops-attributes`: CopyObject writes its new version as usual, then loses the version's
 *   tags, user metadata and storage class (STANDARD) whatever the directives said.
 * - `copy-ignores-conditions`: CopyObject is served as moto 5.2.1 serves it: `If-Match`,
 *   `If-None-Match` and `x-amz-copy-source-if-match`/`-if-none-match` are ignored, so a copy whose
 *   condition fails is written anyway and answered 200.
 */
export const IMITATION_KINDS = ['update-encryption-writes-new-version', 'copy-drops-attributes', 'copy-ignores-conditions'] as const;

export type ImitationKind = (typeof IMITATION_KINDS)[number];

export interface Imitation {
  readonly kind: ImitationKind;
  /**
   * Only requests addressed to this bucket misbehave (for CopyObject, the destination bucket).
   * @default every bucket
   */
  readonly bucket?: string;
}

/** The active imitations of one sandbox; change them at runtime through `sb.imitations`. */
export class Imitations {
  private imitations: readonly Imitation[] = [];

  constructor(initial: readonly Imitation[] = []) {
    this.configure(initial);
  }

  /** Replaces the active imitations. */
  configure(imitations: readonly Imitation[]): void {
    for (const imitation of imitations) validateImitation(imitation);
    this.imitations = imitations.map((i) => ({ ...i }));
  }

  /** Adds one imitation; enabling one that is already active changes nothing. */
  enable(imitation: Imitation): void {
    validateImitation(imitation);
    if (this.imitations.some((i) => i.kind === imitation.kind && i.bucket === imitation.bucket)) return;
    this.imitations = [...this.imitations, { ...imitation }];
  }

  /** Switches a kind off, for every bucket it was scoped to. */
  disable(kind: ImitationKind): void {
    validateKind(kind);
    this.imitations = this.imitations.filter((i) => i.kind !== kind);
  }

  clear(): void {
    this.imitations = [];
  }

  active(): readonly Imitation[] {
    return this.imitations;
  }

  /** True when a request of this kind to this bucket should misbehave. */
  appliesTo(kind: ImitationKind, bucket: string): boolean {
    return this.imitations.some((i) => i.kind === kind && (i.bucket === undefined || i.bucket === bucket));
  }
}

/** `kind` or `kind:bucket`, the form the CLI's `--imitate` takes (bucket names never hold `:`). */
export function parseImitation(text: string): Imitation {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const bucket = colon < 0 ? undefined : text.slice(colon + 1);
  const imitation: Imitation = { kind: kind as ImitationKind, ...(bucket !== undefined ? { bucket } : {}) };
  validateImitation(imitation);
  return imitation;
}

function validateKind(kind: string): void {
  if (!(IMITATION_KINDS as readonly string[]).includes(kind)) {
    throw new SandboxConfigError(`imitation 'kind' must be one of ${IMITATION_KINDS.join(', ')}. Received: ${kind}`);
  }
}

function validateImitation(imitation: Imitation): void {
  validateKind(imitation.kind);
  if (imitation.bucket === '') {
    throw new SandboxConfigError(`imitation 'bucket' must name a bucket when given. Received: an empty string (kind ${imitation.kind})`);
  }
}
