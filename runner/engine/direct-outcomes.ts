// What a pass keeps of each version's outcome: counts, read-backs, newer writes restored, the stage of
// each archived version, and the listing path's tally of what it left alone.
import type { VersionPosition } from '../core/checkpoint';
import type { PlanRow } from '../core/plan';
import type { DirectPassRecord } from '../state';
import type { PassContext } from './direct-context';
import type { Outcome, WorkItem } from './version-work';

/** The key of an archived version in `state.archived`. */
export function archivedId(bucket: string, p: VersionPosition): string {
  return `${bucket}\u0000${p.key}\u0000${p.versionId}`;
}

export function recordOutcome(
  pc: PassContext,
  record: DirectPassRecord,
  item: WorkItem,
  outcome: Outcome,
  tally?: Map<string, PlanRow>,
): void {
  record.outcomes[outcome.kind] = (record.outcomes[outcome.kind] ?? 0) + 1;
  if ((outcome.kind === 'updated' || outcome.kind === 'copied') && outcome.readBack) record.readBack = (record.readBack ?? 0) + 1;
  if (outcome.kind === 'copied' && outcome.restoredNewer) {
    record.newerWritesRestored = (record.newerWritesRestored ?? 0) + outcome.restoredNewer;
    pc.output.emit(
      'newer-write-restored',
      { bucket: record.bucket, key: item.key, versionId: item.versionId, copy: outcome.newVersionId, restored: outcome.restoredNewer },
      () =>
        `${record.bucket}: ${item.key} was written again between the runner's read and its copy; the newer content is current again (copied in place under the key)`,
    );
  }
  const id = archivedId(record.bucket, item);
  const archived = (pc.state.archived ??= {});
  const now = () => new Date().toISOString();
  if (outcome.kind === 'restore-requested' || outcome.kind === 'restore-pending') {
    const existing = archived[id];
    if (existing) {
      existing.stage = 'restore-requested';
      existing.updatedAt = now();
    } else {
      archived[id] = {
        bucket: record.bucket,
        key: item.key,
        versionId: item.versionId,
        storageClass: outcome.storageClass,
        stage: 'restore-requested',
        updatedAt: now(),
      };
    }
  } else if (archived[id] && (outcome.kind === 'copied' || outcome.kind === 'superseded' || outcome.kind === 'gone')) {
    archived[id].stage = outcome.kind === 'copied' ? 'copied' : 'superseded';
    archived[id].updatedAt = now();
    if (outcome.kind === 'copied') archived[id].newVersionId = outcome.newVersionId;
  }
  // The listing path has no Athena plan: it tallies one as it goes, by action and storage class.
  if (tally && outcome.kind === 'left-alone') {
    const k = `${outcome.action}\u0000${outcome.storageClass}`;
    const row = tally.get(k) ?? { action: outcome.action, storage_class: outcome.storageClass, versions: '0', bytes: '0' };
    tally.set(k, { ...row, versions: String(Number(row.versions) + 1), bytes: String(Number(row.bytes) + outcome.size) });
  }
}
