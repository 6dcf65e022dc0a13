// What the direct engine tells the operator at the end: versions that failed or were only reported, and
// what --update-by-copy changes.
import type { BucketPlan } from '../core/plan';
import { formatBytes, type Output } from '../output';
import type { DirectPassRecord } from '../state';
import type { PassContext } from './direct-context';
import { failureCodes, failureTotal } from '../core/pass-failures';

/** One line per bucket with versions that failed or were only reported (--archived report). */
export function problemLines(pc: PassContext, records: readonly DirectPassRecord[]): string[] {
  const lines: string[] = [];
  for (const r of records) {
    if (failureTotal(r) > 0) {
      const codes = failureCodes(r);
      const first = r.failures[0];
      const where = r.failureChunks?.length
        ? `listed in the state (s3://${pc.ctx.outputs.reports_bucket}/${pc.store.key}) and ${r.failureChunks.length} objects beside it under state/failures/`
        : `listed in the state (s3://${pc.ctx.outputs.reports_bucket}/${pc.store.key})`;
      lines.push(
        `${r.bucket}: ${failureTotal(r).toLocaleString('en-US')} versions failed (${[...codes].map(([c, n]) => `${c} x${n}`).join(', ')})` +
          (first ? `, e.g. ${first.key} version ${first.versionId}: ${first.message}` : '') +
          `; ${where}, every one retried by the next run`,
      );
    }
    // Reported now, or earlier runs' restores that --archived report does not copy.
    const waiting =
      pc.options.archived === 'report'
        ? Object.values(pc.state.archived ?? {}).filter((a) => a.bucket === r.bucket && a.stage === 'restore-requested').length
        : 0;
    const reported = (r.outcomes['archived-reported'] ?? 0) + waiting;
    if (reported > 0) {
      lines.push(
        `${r.bucket}: ${reported} unencrypted current versions in Glacier/Deep Archive were only reported (--archived report): ` +
          `run \`npm run migrate -- --stack ${pc.ctx.outputs.stack} --engine direct --archived copy\` to restore (billed per GB, hours) and copy them`,
      );
    }
  }
  return lines;
}

/** What --update-by-copy changes: new versions where UpdateObjectEncryption would have written none. */
export function reportUpdateByCopy(plan: { readonly buckets: readonly BucketPlan[] } | undefined, output: Output): void {
  const versions = plan?.buckets.reduce((n, b) => n + (b.byAction['update-encryption']?.versions ?? 0), 0);
  const bytes = plan?.buckets.reduce((n, b) => n + (b.byAction['update-encryption']?.bytes ?? 0), 0);
  output.emit('update-by-copy', { versions, bytes }, () =>
    versions === undefined
      ? '--update-by-copy: every SSE-S3 or other-key current version found in the listing is copied in place: one new version, one COPY request and a second copy of its bytes billed until the noncurrent-version expiration removes the old one; noncurrent ones are left to that expiration.'
      : `--update-by-copy: up to ${versions.toLocaleString('en-US')} versions (${formatBytes(bytes ?? 0)}) that UpdateObjectEncryption would re-wrap in place are copied instead: the current ones get a new version each (one COPY request each, and their bytes billed twice until the noncurrent-version expiration); noncurrent ones are left to that expiration.`,
  );
}
