// CreateJob's ClientRequestToken, derived from what identifies the work so that a rerun, a resumed
// run or a second pipeline can never create a second job for the same work.
import { createHash } from 'node:crypto';

export interface JobIdentity {
  readonly stack: string;
  readonly bucket: string;
  /** The inventory partition (dt) the manifest was drawn from. */
  readonly inventoryDate: string;
  readonly operation: string;
  /** Storage class of a copy job; '' for other operations. */
  readonly storageClass: string;
  /** Bumped by retry-failed, so a retry of the same work is a new job. @default 0 */
  readonly attempt?: number;
}

/** At most 64 characters, as CreateJob allows; readable prefix, then a hash of every field. */
export function clientRequestToken(job: JobIdentity): string {
  const fields = [job.stack, job.bucket, job.inventoryDate, job.operation, job.storageClass, String(job.attempt ?? 0)];
  for (const field of fields) {
    if (field.includes('\n')) throw new Error(`Job identity fields cannot contain newlines: ${JSON.stringify(field)}`);
  }
  const digest = createHash('sha256').update(fields.join('\n')).digest('hex');
  return `kmsmig-${digest.slice(0, 57)}`;
}
