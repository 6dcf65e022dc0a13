// Where a planned job's manifest and completion report go, and what its description says: one
// definition for submitting a job and for recognising, later, a job an earlier run submitted.
import { REPORTS_LAYOUT, type StackOutputs } from '../../stacks/outputs';
import type { JobRecord } from '../state';
import { describeRecord } from './batch-follow';

/** The folder of a planned job's manifest: Athena's data files under `data/`, the runner's `manifest.json` beside them. */
export function manifestFolderOf(outputs: StackOutputs, record: JobRecord): string {
  return `${outputs.reports_prefix}${REPORTS_LAYOUT.manifests}${record.bucket}/${record.inventoryDate}/${record.operation}-${record.storageClass || 'all'}-${record.attempt}/`;
}

/** The key of a planned job's inventory-format manifest. */
export function manifestKeyOf(outputs: StackOutputs, record: JobRecord): string {
  return `${manifestFolderOf(outputs, record)}manifest.json`;
}

/** The prefix of a bucket's completion reports (Batch Operations adds `/job-<id>/`). */
export function reportPrefixOf(outputs: StackOutputs, bucket: string): string {
  return `${outputs.reports_prefix}${REPORTS_LAYOUT.jobReports}${bucket}`;
}

/** What a planned job does, as its description says after the stack and the token. */
export function plannedJobSummary(record: JobRecord): string {
  return `${describeRecord(record)} from inventory ${record.inventoryDate}`;
}
