// The evidence an inventory report gives of a bucket, for verify and plan alike: its manifest.json,
// its Hive symlink, every data file streamed once through MD5, the files Athena read, and a listing
// when Athena counts nothing. What does not hold is a problem: "cannot verify", "cannot plan".
import type { BucketOutput } from '../../stacks/outputs';
import { queryRows, runQuery } from '../aws/athena';
import type { S3Client } from '../aws/clients';
import { listVersions } from '../aws/objects';
import { objectDigest, parseS3Url, readDocument, type InventoryReport } from '../aws/s3';
import { mapConcurrently } from '../core/concurrency';
import {
  coverageProblems,
  dataFileProblems,
  listedDataFiles,
  manifestProblems,
  parseInventoryManifest,
  symlinkedFiles,
  symlinkProblems,
} from '../core/inventory-evidence';
import { partitionFileRow, partitionFilesQuery } from '../core/verify-query';
import type { RunContext } from '../context';
import { formatBytes, type Output } from '../output';

export interface InventoryEvidence {
  /** Why the report is not evidence of the whole bucket; none when it is. */
  readonly problems: readonly string[];
  /** Data files the report's manifest lists. */
  readonly reportFiles: number;
  /** Data files read whole whose size and MD5 match the manifest, and their bytes. */
  readonly filesChecked: number;
  readonly bytesChecked: number;
  /** Data files Athena read rows from, and its rows (delete markers included); absent when Athena was not asked. */
  readonly filesRead?: number;
  readonly rows?: number;
  /** Athena counted no row and a listing found no version under the prefix. */
  readonly emptyBucket?: boolean;
}

/** Data files read at once: a report has few, each up to hundreds of MB. */
const DATA_FILE_READS = 4;

/** Whether the bucket holds at least one object version (delete markers aside) under the prefix. */
export async function hasVersions(s3: S3Client, bucket: string, prefix: string): Promise<boolean> {
  for await (const version of listVersions(s3, bucket, prefix)) return version !== undefined;
  return false;
}

/**
 * Reads the report's evidence and names every gap. Each data file is read once (one GET, streamed);
 * Athena is asked which files it read only when every file it would open was found and matched,
 * so a missing file is named here instead of failing the query.
 */
export async function inventoryEvidence(ctx: RunContext, bucket: BucketOutput, report: InventoryReport): Promise<InventoryEvidence> {
  const { outputs, clients } = ctx;
  const location = parseS3Url(bucket.inventory_location);
  const manifestUrl = `s3://${location.bucket}/${report.manifestKey}`;
  const nothingRead = { reportFiles: 0, filesChecked: 0, bytesChecked: 0 };
  const manifestText = await readDocument(clients.s3, location.bucket, report.manifestKey);
  if (!manifestText) return { problems: [`the report's manifest ${manifestUrl} is missing`], ...nothingRead };
  const parsed = parseInventoryManifest(manifestText.value, manifestUrl);
  if ('problem' in parsed) return { problems: [parsed.problem], ...nothingRead };
  const foreign = manifestProblems(parsed.manifest, { sourceBucket: bucket.bucket, format: bucket.inventory_format });
  if (foreign.length > 0) return { problems: foreign, ...nothingRead };

  const files = listedDataFiles(parsed.manifest);
  const urls = files.map((f) => f.url);
  const symlinkKey = `${location.prefix}hive/dt=${report.dt}/symlink.txt`;
  const symlinkUrl = `s3://${location.bucket}/${symlinkKey}`;
  const symlink = await readDocument(clients.s3, location.bucket, symlinkKey);
  const symlinked = symlink ? symlinkedFiles(symlink.value) : [];
  const problems =
    !symlink && files.length > 0 ? [`the Hive symlink ${symlinkUrl} is missing`] : symlinkProblems(urls, symlinked, symlinkUrl);

  const digests = await mapConcurrently(files, DATA_FILE_READS, (f) => objectDigest(clients.s3, f.bucket, f.key));
  const perFile = files.map((f, i) => ({ file: f, problems: dataFileProblems(f, digests[i]) }));
  const fileProblems = perFile.flatMap((f) => f.problems);
  problems.push(...fileProblems);
  const matched = perFile.filter((f) => f.problems.length === 0).map((f) => f.file);
  const checked = { reportFiles: files.length, filesChecked: matched.length, bytesChecked: matched.reduce((n, f) => n + f.size, 0) };
  // A file Athena would open that is missing fails its query; one outside the manifest was never checked.
  const listed = new Set(urls);
  if (fileProblems.length > 0 || symlinked.some((f) => !listed.has(f))) return { problems, ...checked };

  const run = await runQuery(clients.athena, partitionFilesQuery(outputs.glue_database, bucket.glue_table, report.dt), {
    workgroup: outputs.athena_workgroup,
    database: outputs.glue_database,
  });
  const read = (await queryRows(clients.athena, run.queryExecutionId, partitionFileRow)).map((r) => ({
    file: r.file,
    versions: Number(r.versions),
  }));
  problems.push(...coverageProblems(urls, read));
  const rows = read.reduce((n, r) => n + r.versions, 0);
  // Zero rows is never evidence of compliance: only a listing that finds nothing makes it an empty bucket.
  const emptyBucket = rows === 0 && !(await hasVersions(clients.s3, bucket.bucket, bucket.prefix_filter));
  if (rows === 0 && !emptyBucket) problems.push(`the inventory ${report.dt} counts no version, but a listing of the bucket finds versions`);
  return { problems, ...checked, filesRead: read.filter((r) => r.versions > 0).length, rows, ...(emptyBucket ? { emptyBucket } : {}) };
}

/** What a plan rests on, per bucket: the report's files checked and the rows Athena reads from them. */
export function reportEvidence(bucket: string, inventoryDate: string, evidence: InventoryEvidence, output: Output): void {
  output.emit(
    'inventory-evidence',
    { bucket, inventoryDate, ...evidence },
    () =>
      `${bucket} (inventory ${inventoryDate}): ${evidence.filesChecked} of the report's ${evidence.reportFiles} data files match its manifest (size and MD5, ${formatBytes(evidence.bytesChecked)} read); ` +
      `Athena reads ${(evidence.rows ?? 0).toLocaleString('en-US')} rows from ${evidence.filesRead ?? 0} of them${evidence.emptyBucket ? ', and a listing finds the bucket empty' : ''}`,
  );
}
