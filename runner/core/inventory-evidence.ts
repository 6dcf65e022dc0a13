// Whether an inventory report is evidence of the whole bucket: its manifest.json parsed, its Hive
// symlink, each data file's MD5 and size, and the files Athena read, compared. Pure: texts and digests in, problems out.
import { z } from 'zod';

/**
 * manifest.json as AWS documents it in "Locating your inventory list"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-inventory-location.html): the
 * source bucket, the destination bucket's ARN, the format, and per data file its key in the
 * destination bucket, its size in bytes and the MD5 of its content. Fields the runner does not use
 * (version, creationTimestamp, fileSchema) are not required.
 */
const inventoryManifestSchema = z.object({
  sourceBucket: z.string().min(1),
  destinationBucket: z.string().min(1),
  fileFormat: z.enum(['CSV', 'ORC', 'Parquet']),
  files: z.array(
    z.object({
      key: z.string().min(1),
      size: z.number().int().min(0),
      MD5checksum: z.string().regex(/^[0-9a-fA-F]{32}$/, 'an MD5 of 32 hex digits'),
    }),
  ),
});
export type InventoryManifest = z.infer<typeof inventoryManifestSchema>;

/** A data file the report's manifest lists: where it is, and what it must be. */
export interface ListedDataFile {
  /** s3://destination-bucket/key, as the Hive symlink and Athena's "$path" name it. */
  readonly url: string;
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** Lower-case hex. */
  readonly md5: string;
}

/** What reading a data file found: its size and the MD5 of its content, or nothing (no such object). */
export interface DataFileDigest {
  readonly size: number;
  readonly md5: string;
}

export type ManifestParse = { readonly manifest: InventoryManifest } | { readonly problem: string };

/** manifest.json's text to a manifest, or why it is not one. */
export function parseInventoryManifest(text: string, url: string): ManifestParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problem: `the report's manifest ${url} is not JSON (${(error as Error).message})` };
  }
  const parsed = inventoryManifestSchema.safeParse(json);
  if (parsed.success) return { manifest: parsed.data };
  const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  return { problem: `the report's manifest ${url} is not an inventory manifest (${issues.join('; ')})` };
}

/** The manifest's data files, in the destination bucket its ARN names. */
export function listedDataFiles(manifest: InventoryManifest): ListedDataFile[] {
  const bucket = manifest.destinationBucket.replace(/^arn:aws[a-z-]*:s3:::/, '');
  return manifest.files.map((f) => ({
    url: `s3://${bucket}/${f.key}`,
    bucket,
    key: f.key,
    size: f.size,
    md5: f.MD5checksum.toLowerCase(),
  }));
}

/** What the manifest says against what the runner expects of it: the bucket it describes and the table's format. */
export function manifestProblems(
  manifest: InventoryManifest,
  expected: { readonly sourceBucket: string; readonly format: string },
): string[] {
  const problems: string[] = [];
  if (manifest.sourceBucket !== expected.sourceBucket)
    problems.push(`the report's manifest describes bucket ${manifest.sourceBucket}, not ${expected.sourceBucket}`);
  if (manifest.fileFormat !== expected.format)
    problems.push(`the report's data files are ${manifest.fileFormat}, the inventory table reads ${expected.format}`);
  return problems;
}

/** The data file URLs a Hive symlink.txt lists, one a line. */
export function symlinkedFiles(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** A listed data file against what reading it found: missing, another size, another MD5; none when it is the file S3 delivered. */
export function dataFileProblems(file: ListedDataFile, found: DataFileDigest | undefined): string[] {
  if (!found) return [`data file ${file.url}, listed in the report's manifest, is missing`];
  const problems: string[] = [];
  if (found.size !== file.size) problems.push(`data file ${file.url} is ${found.size} bytes, the report's manifest says ${file.size}`);
  if (found.md5.toLowerCase() !== file.md5)
    problems.push(`data file ${file.url} has MD5 ${found.md5.toLowerCase()}, the report's manifest says ${file.md5}`);
  return problems;
}

/**
 * Whether the Hive symlink (what Athena reads) names exactly the manifest's data files: an empty
 * or partial symlink hides versions from every query, and a file outside the manifest is unchecked.
 */
export function symlinkProblems(reportFiles: readonly string[], symlinked: readonly string[], symlinkUrl: string): string[] {
  if (symlinked.length === 0 && reportFiles.length > 0)
    return [`the Hive symlink ${symlinkUrl} lists no data file, the report's manifest lists ${reportFiles.length}`];
  const listed = new Set(reportFiles);
  const linked = new Set(symlinked);
  const problems: string[] = [];
  const unlinked = reportFiles.filter((f) => !linked.has(f));
  if (unlinked.length > 0)
    problems.push(
      `the Hive symlink ${symlinkUrl} leaves out ${unlinked.length} of the report's ${reportFiles.length} data files (e.g. ${unlinked[0]})`,
    );
  const outside = [...linked].filter((f) => !listed.has(f));
  if (outside.length > 0)
    problems.push(`the Hive symlink ${symlinkUrl} lists ${outside.length} data files the report's manifest does not (e.g. ${outside[0]})`);
  return problems;
}

/**
 * Whether the partition Athena read is the whole report: every data file the report's manifest lists
 * was read (an empty or missing one has no rows to show), and no file outside it. Problems, or none.
 */
export function coverageProblems(
  reportFiles: readonly string[],
  read: readonly { readonly file: string; readonly versions: number }[],
): string[] {
  const listed = new Set(reportFiles);
  const seen = new Set(read.filter((r) => r.versions > 0).map((r) => r.file));
  const problems: string[] = [];
  const missing = reportFiles.filter((f) => !seen.has(f));
  if (missing.length > 0)
    problems.push(`Athena read no row of ${missing.length} of the report's ${reportFiles.length} data files (e.g. ${missing[0]})`);
  const extra = [...seen].filter((f) => !listed.has(f));
  if (extra.length > 0) problems.push(`Athena read ${extra.length} data files the report does not list (e.g. ${extra[0]})`);
  return problems;
}

/**
 * A report dated after `now`: the inventory tables project `dt` up to NOW, so Athena cannot see it,
 * and it reads as empty, not as missing.
 */
export function datedAfterNow(report: { readonly dt: string; readonly createdAt: Date }, now: Date): string | undefined {
  return report.createdAt > now
    ? `the newest inventory (${report.dt}) is dated after now (${now.toISOString()}), so the table's partition projection hides it`
    : undefined;
}
