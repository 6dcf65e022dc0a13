// The archived follow-up: versions whose restore was requested are copied once readable, re-checked
// otherwise; failures join the bucket's pass so the operator sees them with the rest.
import { entryOf } from '../core/required';
import type { BucketOutput } from '../../stacks/outputs';
import { EMPTY_CHECKPOINT } from '../core/checkpoint';
import { passId } from '../core/pass-id';
import type { ArchivedVersionRecord, DirectPassRecord } from '../state';
import { saveState, workEnv, type PassContext } from './direct-context';
import { archivedId } from './direct-outcomes';
import { Ticker } from './direct-ticker';
import { workAll } from './work-pool';
import type { WorkItem } from './version-work';

/** Restored archives are copied, others re-checked; the state remembers each one's stage. Returns the restores still running. */
export async function advanceArchived(pc: PassContext, bucket: BucketOutput): Promise<number> {
  const waiting = Object.values(pc.state.archived ?? {}).filter(
    (r): r is ArchivedVersionRecord => r.bucket === bucket.bucket && (r.stage === 'restore-requested' || r.stage === 'restored'),
  );
  if (waiting.length === 0 || pc.options.archived === 'report') return 0;
  const record: DirectPassRecord = {
    pass: 'direct',
    bucket: bucket.bucket,
    source: 'archived',
    startedAt: new Date().toISOString(),
    checkpoint: EMPTY_CHECKPOINT,
    outcomes: {},
    failures: [],
  };
  const env = workEnv(pc, bucket);
  async function* items(): AsyncGenerator<WorkItem> {
    for (const r of waiting) yield { key: r.key, versionId: r.versionId, action: 'needs-restore' };
  }
  const ticker = new Ticker(pc, record, undefined, waiting.length);
  await workAll(pc, { record, env, items: items(), ticker });
  await saveState(pc);
  for (const f of record.failures) {
    const r = entryOf(pc.state.archived, archivedId(bucket.bucket, f), 'the archived version of a failure');
    r.error = `${f.code}: ${f.message}`;
  }
  if (record.failures.length > 0) {
    const pass = pc.state.direct?.[passId('direct', bucket.bucket)] ?? pc.state.direct?.[passId('outside-batch', bucket.bucket)];
    pass?.failures.push(...record.failures);
  }
  await saveState(pc);
  return Object.values(pc.state.archived ?? {}).filter((r) => r.bucket === bucket.bucket && r.stage === 'restore-requested').length;
}
