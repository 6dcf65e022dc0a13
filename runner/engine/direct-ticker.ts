// The pace of a pass: the checkpoint saved, the lock proven alive and progress written, each on its own clock.
import type { CheckpointTracker } from '../core/checkpoint';
import { formatCount, progressBar } from '../output';
import type { DirectPassRecord } from '../state';
import { saveState, type PassContext } from './direct-context';
import { failureTotal } from '../core/pass-failures';
import { spillFailures } from './failure-log';

/** Saves the checkpoint, proves the lock alive and writes progress, each at its own pace. */
export class Ticker {
  private lastSave = Date.now();
  private lastProgress = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly pc: PassContext,
    private readonly record: DirectPassRecord,
    private readonly tracker: CheckpointTracker | undefined,
    private readonly total: number | undefined,
  ) {}

  done(): number {
    return Object.values(this.record.outcomes).reduce((a, b) => a + b, 0);
  }

  async tick(force = false): Promise<void> {
    const now = Date.now();
    // Failures past a chunk go to an object of their own, and the state that names it is saved at once.
    const spilled = await spillFailures(this.pc.ctx, this.record);
    if (spilled || force || now - this.lastSave >= this.pc.options.checkpointEveryMs) {
      if (this.tracker) this.record.checkpoint = this.tracker.snapshot();
      await saveState(this.pc);
      this.lastSave = now;
    }
    await this.pc.lock?.heartbeatIfDue();
    if (force || now - this.lastProgress >= this.pc.options.progressEveryMs) {
      this.lastProgress = now;
      this.progress(now);
    }
  }

  private progress(now: number): void {
    const r = this.record;
    const done = this.done();
    const elapsed = (now - this.startedAt) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const total = this.total;
    const bar = progressBar(done, total ?? 0, rate);
    this.pc.output.progress(
      `${bar.bar} ${r.bucket} ${r.pass}: ${formatCount(done)} done, ${formatCount(failureTotal(r))} failed` +
        `${total ? ` of ${formatCount(total)}` : ''}, ${formatCount(Math.round(rate))}/s, concurrency ${this.pc.controller.limit}${bar.eta}`,
      {
        type: 'direct-progress',
        data: {
          bucket: r.bucket,
          pass: r.pass,
          source: r.source,
          done,
          total,
          failed: failureTotal(r),
          outcomes: { ...r.outcomes },
          concurrency: this.pc.controller.limit,
          ratePerSecond: Math.round(rate),
        },
      },
    );
  }
}
