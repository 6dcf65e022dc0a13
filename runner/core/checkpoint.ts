// Checkpoint bookkeeping of the direct engine: versions are worked in a deterministic order, several
// at once; the checkpoint is the last position before which everything is done, plus the few
// versions done beyond it, so a killed run resumes there and repeats no completed version.

/** A version's place in the work order (key order, then the source's version order). */
export interface VersionPosition {
  readonly key: string;
  /** 'null' for the null version (see core/version-id.ts). */
  readonly versionId: string;
}

/** What the state stores per bucket and pass. */
export interface Checkpoint {
  /** Versions done from the start of the order without a gap. */
  readonly completed: number;
  /** Position of the last of them; the listing resumes after it. */
  readonly after?: VersionPosition;
  /** Versions done beyond `after` while earlier ones were still in flight. */
  readonly doneAhead: readonly VersionPosition[];
}

export const EMPTY_CHECKPOINT: Checkpoint = { completed: 0, doneAhead: [] };

export function positionId(p: VersionPosition): string {
  return `${p.key}\u0000${p.versionId}`;
}

interface Slot {
  readonly position: VersionPosition;
  done: boolean;
}

/**
 * Tracks one pass. `begin` is called in work order for every version not skipped; `finish` in any
 * order. Memory is bounded by the versions between the watermark and the newest started one, which
 * the engine caps (`spread`).
 */
export class CheckpointTracker {
  private completed: number;
  private after?: VersionPosition;
  private readonly doneBefore: Set<string>;
  /** Started versions from the watermark on, by sequence number. */
  private readonly slots = new Map<number, Slot>();
  private nextSequence = 0;
  private lowest = 0;

  constructor(saved: Checkpoint = EMPTY_CHECKPOINT) {
    this.completed = saved.completed;
    this.after = saved.after;
    this.doneBefore = new Set(saved.doneAhead.map(positionId));
  }

  /** True for a version the saved checkpoint records as done beyond its watermark. */
  wasDone(position: VersionPosition): boolean {
    return this.doneBefore.has(positionId(position));
  }

  /** A version was skipped as already done: it still counts toward the contiguous prefix. */
  skip(position: VersionPosition): void {
    const sequence = this.begin(position);
    this.finish(sequence);
  }

  /** Starts a version; returns its sequence number for `finish`. */
  begin(position: VersionPosition): number {
    const sequence = this.nextSequence++;
    this.slots.set(sequence, { position, done: false });
    return sequence;
  }

  finish(sequence: number): void {
    const slot = this.slots.get(sequence);
    if (!slot) throw new Error(`Checkpoint: version ${sequence} was never started or already passed the watermark`);
    slot.done = true;
    for (let s = this.slots.get(this.lowest); s?.done; s = this.slots.get(this.lowest)) {
      this.slots.delete(this.lowest);
      this.completed++;
      this.after = s.position;
      this.doneBefore.delete(positionId(s.position));
      this.lowest++;
    }
  }

  /** Started versions from the oldest unfinished one on: the engine stops starting more above a cap. */
  get spread(): number {
    return this.nextSequence - this.lowest;
  }

  snapshot(): Checkpoint {
    const ahead = [...this.slots.values()].filter((s) => s.done).map((s) => s.position);
    // Versions done in an earlier run beyond its watermark and not yet passed in this one stay recorded.
    const carried = [...this.doneBefore].map((id) => {
      // positionId joins exactly two parts, so both are there.
      const [key = '', versionId = ''] = id.split('\u0000');
      return { key, versionId };
    });
    const seen = new Set(ahead.map(positionId));
    return {
      completed: this.completed,
      ...(this.after ? { after: this.after } : {}),
      doneAhead: [...ahead, ...carried.filter((p) => !seen.has(positionId(p)))],
    };
  }
}
