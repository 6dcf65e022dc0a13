// Turns a job's manifest into tasks: CSV manifests (S3BatchOperations_CSV_20180820, keys
// URL-encoded) and inventory-format manifests (manifest.json plus gzipped CSV data files).
// Parsing is pure; reading objects goes through the S3 world so a missing file fails as S3 does.
import { bodyBytes } from '../s3/body';
import type { ObjectBody } from '../s3/model';
import type { S3World } from '../s3/world';
import type { JobManifest, JobTask, ManifestField } from './model';
import { fileText, TaskFiles, taskArray, type TaskFile, type TaskList } from './task-list';

/** The manifest could not be turned into tasks: the job fails in Preparing with this reason. */
export class ManifestError extends Error {
  constructor(
    readonly failureCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'ManifestError';
  }
}

const BUCKET_ARN = /^arn:aws[a-zA-Z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;
const OBJECT_ARN = /^arn:aws[a-zA-Z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/;

/** `arn:aws:s3:::name` → `name`; undefined when not a bucket ARN. */
export function bucketNameOf(arn: string): string | undefined {
  return BUCKET_ARN.exec(arn)?.[1];
}

/** `arn:aws:s3:::bucket/key` → bucket and key (the key is not encoded in an object ARN). */
export function objectOf(arn: string): { bucket: string; key: string } | undefined {
  const match = OBJECT_ARN.exec(arn);
  return match ? { bucket: match[1]!, key: match[2]! } : undefined;
}

/** Manifest keys are URL-encoded the way S3 Inventory writes them: `+` stands for a space. */
export function decodeManifestKey(encoded: string): string {
  // Nothing to decode: the same string, not a copy of it (a job may hold millions of keys).
  if (encoded.indexOf('%') === -1 && encoded.indexOf('+') === -1) return encoded;
  try {
    return decodeURIComponent(encoded.replace(/\+/g, '%20'));
  } catch {
    throw new ManifestError('InvalidManifest', `Manifest key is not valid URL encoding: ${encoded}`);
  }
}

/** The inverse, for writing manifests in tests and tools: every byte outside [A-Za-z0-9-_.~/*] escaped. */
export function encodeManifestKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Splits CSV text into rows of fields, honouring double-quoted fields with "" escapes. A line
 * without a quote is split natively; only a line with one is read a character at a time, and its
 * fields are cut from the text as slices: a million-row manifest costs the text about once.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let nextCr = text.indexOf('\r');
  for (let i = 0; i < text.length;) {
    if (nextCr !== -1 && nextCr < i) nextCr = text.indexOf('\r', i);
    let end = text.indexOf('\n', i);
    if (end === -1) end = text.length;
    if (nextCr !== -1 && nextCr < end) end = nextCr;
    const line = text.slice(i, end);
    if (line.indexOf('"') === -1) {
      rows.push(line.split(','));
      i = afterLineEnd(text, end);
    } else {
      const quoted = quotedRow(text, i);
      rows.push(quoted.row);
      i = quoted.next;
    }
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Where the row after the line end at `end` starts (CRLF is one line end). */
function afterLineEnd(text: string, end: number): number {
  return text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
}

/** One row read a character at a time from `start`: quotes may hold commas and line ends. */
function quotedRow(text: string, start: number): { row: string[]; next: number } {
  const row: string[] = [];
  let field = '';
  let quoted = false;
  // Where the run of characters not yet added to `field` starts.
  let run = start;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c !== QUOTE) continue;
      field += text.slice(run, i);
      if (text.charCodeAt(i + 1) === QUOTE) {
        field += '"';
        i++;
      } else quoted = false;
      run = i + 1;
    } else if (c === QUOTE) {
      field += text.slice(run, i);
      quoted = true;
      run = i + 1;
    } else if (c === COMMA) {
      row.push(field + text.slice(run, i));
      field = '';
      run = i + 1;
    } else if (c === LF || c === CR) {
      row.push(field + text.slice(run, i));
      return { row, next: afterLineEnd(text, i) };
    }
  }
  row.push(field + text.slice(run));
  return { row, next: text.length };
}

/**
 * How many rows parseCsv finds in the text, without building them: the same line ends, quotes
 * and blank-row rule, at one character read per character. Preparing counts a job's tasks with
 * it; the rows are parsed when the job reaches them.
 */
export function countCsvRows(text: string): number {
  let rows = 0;
  for (let i = 0; i < text.length;) {
    let end = i;
    let quote = false;
    for (; end < text.length; end++) {
      const c = text.charCodeAt(end);
      if (c === LF || c === CR) break;
      if (c === QUOTE) quote = true;
    }
    if (!quote) {
      if (end > i) rows++;
      i = afterLineEnd(text, end);
      continue;
    }
    // As quotedRow reads it: the row is blank only if it holds one empty field.
    let quoted = false;
    let content = false;
    let at = i;
    for (; at < text.length; at++) {
      const c = text.charCodeAt(at);
      if (quoted) {
        if (c !== QUOTE) content = true;
        else if (text.charCodeAt(at + 1) === QUOTE) {
          content = true;
          at++;
        } else quoted = false;
      } else if (c === QUOTE) quoted = true;
      else if (c === LF || c === CR) break;
      else content = true;
    }
    if (content) rows++;
    i = at >= text.length ? text.length : afterLineEnd(text, at);
  }
  return rows;
}

export function parseCsvManifest(text: string, fields: readonly ManifestField[]): JobTask[] {
  const bucketAt = fields.indexOf('Bucket');
  const keyAt = fields.indexOf('Key');
  const versionAt = fields.indexOf('VersionId');
  if (bucketAt < 0 || keyAt < 0)
    throw new ManifestError('InvalidManifest', `Manifest Fields must include Bucket and Key. Received: ${fields.join(',')}`);
  return parseCsv(text).map((row, line) => {
    if (row.length < fields.length && !(versionAt === fields.length - 1 && row.length === fields.length - 1)) {
      throw new ManifestError('InvalidManifest', `Manifest row ${line + 1} has ${row.length} fields, the spec declares ${fields.length}`);
    }
    const manifestKey = row[keyAt]!;
    const base = { bucket: row[bucketAt]!, key: decodeManifestKey(manifestKey), manifestKey };
    if (versionAt < 0) return base;
    const versionId = row[versionAt] ?? '';
    return versionId === '' ? { ...base, missingVersionId: true } : { ...base, versionId };
  });
}

/** The parts of an inventory manifest.json a job needs. */
export interface InventoryManifest {
  readonly sourceBucket: string;
  readonly destinationBucket: string;
  readonly fileFormat: string;
  readonly fileSchema: string;
  readonly files: readonly { readonly key: string }[];
}

export function parseInventoryManifest(text: string): InventoryManifest {
  let parsed: Partial<InventoryManifest>;
  try {
    parsed = JSON.parse(text) as Partial<InventoryManifest>;
  } catch (cause) {
    throw new ManifestError('InvalidManifest', `Inventory manifest.json is not JSON: ${String(cause)}`);
  }
  if (typeof parsed.fileSchema !== 'string' || !Array.isArray(parsed.files) || typeof parsed.destinationBucket !== 'string') {
    throw new ManifestError('InvalidManifest', 'Inventory manifest.json lacks fileSchema, files or destinationBucket');
  }
  if (parsed.fileFormat !== 'CSV') {
    throw new ManifestError(
      'InvalidManifest',
      `The sandbox reads CSV inventory reports only. Received fileFormat: ${String(parsed.fileFormat)}`,
    );
  }
  return parsed as InventoryManifest;
}

/** Tasks of one inventory data file (already decompressed) laid out by the manifest's fileSchema. */
export function parseInventoryRows(text: string, fileSchema: string): JobTask[] {
  const columns = fileSchema.split(',').map((c) => c.trim());
  const bucketAt = columns.indexOf('Bucket');
  const keyAt = columns.indexOf('Key');
  const versionAt = columns.indexOf('VersionId');
  return parseCsv(text).map((row) => {
    const manifestKey = row[keyAt]!;
    const versionId = versionAt >= 0 ? (row[versionAt] ?? '') : '';
    // An empty VersionId in an inventory is an object written before versioning: its id is `null`.
    const task = { bucket: row[bucketAt]!, key: decodeManifestKey(manifestKey), manifestKey };
    return versionAt >= 0 ? { ...task, versionId: versionId === '' ? 'null' : versionId } : task;
  });
}

/** Reads the manifest object (ETag already checked at CreateJob) and returns its tasks. */
export function readManifestTasks(s3: S3World, manifest: JobManifest): TaskList {
  const steps = manifestTaskSteps(s3, manifest);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Reads the manifest in steps, yielding after each data file, so a job with millions of tasks
 * prepares over many ticks. An inventory-format manifest's data files are read and parsed once
 * here, as AWS reads them while Preparing, then kept as the bodies read: the tasks are parsed
 * again a file at a time as the job runs, so no job holds an object per task.
 */
export function* manifestTaskSteps(s3: S3World, manifest: JobManifest): Generator<void, TaskList> {
  const location = objectOf(manifest.Location.ObjectArn)!;
  const object = bodyBytes(readBody(s3, location.bucket, location.key, manifest.Location.ObjectVersionId));
  if (manifest.Spec.Format === 'S3BatchOperations_CSV_20180820') {
    return taskArray(parseCsvManifest(object.toString('utf8'), manifest.Spec.Fields ?? ['Bucket', 'Key']));
  }
  const inventory = parseInventoryManifest(object.toString('utf8'));
  const dataBucket = bucketNameOf(inventory.destinationBucket) ?? inventory.destinationBucket;
  const parse = (text: string): JobTask[] => parseInventoryRows(text, inventory.fileSchema);
  const files: TaskFile[] = [];
  for (const file of inventory.files) {
    const body = readBody(s3, dataBucket, file.key);
    files.push({ body, rows: countCsvRows(fileText(body)) });
    yield;
  }
  return new TaskFiles(files, parse);
}

function readBody(s3: S3World, bucket: string, key: string, versionId?: string): ObjectBody {
  try {
    return s3.readableVersion({ bucket, key, ...(versionId !== undefined ? { versionId } : {}) }).body;
  } catch (cause) {
    throw new ManifestError('ManifestNotReadable', `Reading the manifest object s3://${bucket}/${key} failed: ${(cause as Error).message}`);
  }
}
