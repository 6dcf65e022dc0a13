// Produces one S3 Inventory report on demand, in S3's layout: CSV gzip or Parquet data files (split
// by row count), manifest.json, manifest.checksum and the Hive symlink, written into the destination
// bucket through the S3 world and encrypted as the configuration says. CSV rows are streamed.
import { createHash, randomUUID } from 'node:crypto';
import { createGzip } from 'node:zlib';
import { SandboxConfigError } from '../errors';
import type { InventoryConfiguration } from '../s3/bucket-config';
import { bytesBody } from '../s3/body';
import type { VersionEntry } from '../s3/listing';
import type { EncryptionRequest } from '../s3/object-draft';
import type { SandboxWorld } from '../world';
import { encodeInventoryKey } from './key-encoding';
import { parquetFile, type ParquetCell } from './parquet-file';
import { REPORT_FIELDS, type ReportField } from './report-fields';

export interface ProduceInventoryInput {
  readonly bucket: string;
  readonly configId: string;
  /** When the report "starts scanning": names the manifest folder and the Hive `dt`. */
  readonly at: Date;
  /** Rows per data file before S3 starts another. @default 100000 */
  readonly maxRowsPerFile?: number;
}

export interface ProducedInventory {
  readonly sourceBucket: string;
  readonly destinationBucket: string;
  readonly manifestKey: string;
  readonly symlinkKey: string;
  readonly dataKeys: readonly string[];
  readonly rows: number;
}

/** The inventory configuration asks for something the sandbox cannot write. */
export class InventoryNotSupportedError extends SandboxConfigError {}

// Data file text is gzipped in chunks of this many characters, so no report exists as one string.
const CHUNK_CHARS = 256 * 1024;

export async function produceInventory(world: SandboxWorld, input: ProduceInventoryInput): Promise<ProducedInventory> {
  const maxRows = input.maxRowsPerFile ?? 100_000;
  if (!Number.isInteger(maxRows) || maxRows < 1)
    throw new RangeError(`'maxRowsPerFile' must be a whole number of at least 1. Received: ${maxRows}`);
  const source = world.s3.bucket(input.bucket);
  const config = source.inventory.get(input.configId);
  if (!config) throw new SandboxConfigError(`bucket '${input.bucket}' has no inventory configuration '${input.configId}'`);
  if (config.destination.format === 'ORC') {
    // No maintained ORC writer exists for Node; ORC's columns and queries are Parquet's.
    throw new InventoryNotSupportedError(
      `inventory '${input.configId}' of '${input.bucket}': format ORC is not supported by the sandbox (no maintained ORC writer for Node; use Parquet, whose columns and queries are the same)`,
    );
  }
  if (config.destination.format !== 'CSV' && config.destination.format !== 'Parquet') {
    throw new InventoryNotSupportedError(
      `inventory '${input.configId}' of '${input.bucket}': format ${String(config.destination.format)} is not supported by the sandbox (CSV, Parquet)`,
    );
  }
  const parquet = config.destination.format === 'Parquet';
  const destinationBucket = destinationName(config);
  const base = [trimSlashes(config.destination.prefix ?? ''), input.bucket, config.id].filter((p) => p !== '').join('/');
  const fields = reportFields(config);
  const encryption = reportEncryption(config);
  const put = (key: string, body: Buffer, contentType: string): void => {
    world.s3.putObject({ bucket: destinationBucket, key, body: bytesBody(body), contentType, ...(encryption ? { encryption } : {}) });
  };

  const files: { key: string; size: number; MD5checksum: string }[] = [];
  const store = (body: Buffer, extension: string, contentType: string): void => {
    const key = `${base}/data/${randomUUID()}.${extension}`;
    put(key, body, contentType);
    files.push({ key, size: body.length, MD5checksum: createHash('md5').update(body).digest('hex') });
  };
  let rows = 0;
  if (parquet) {
    const columns = fields.map(reportField);
    let batch: ParquetCell[][] = [];
    const finishParquet = async (): Promise<void> => {
      if (batch.length === 0) return;
      store(await parquetFile(columns, batch), 'parquet', 'application/octet-stream');
      batch = [];
    };
    for (const entry of world.s3.versions(input.bucket)) {
      if (!included(entry, config)) continue;
      batch.push(columns.map((f) => parquetValue(f, entry, input.bucket)));
      rows++;
      if (batch.length >= maxRows) await finishParquet();
    }
    await finishParquet();
  } else {
    let writer: DataFileWriter | undefined;
    const finish = async (): Promise<void> => {
      if (!writer) return;
      store(await writer.close(), 'csv.gz', 'application/gzip');
      writer = undefined;
    };
    for (const entry of world.s3.versions(input.bucket)) {
      if (!included(entry, config)) continue;
      writer ??= new DataFileWriter();
      await writer.write(csvRow(fields.map((f) => fieldValue(f, entry, input.bucket))));
      rows++;
      if (writer.rows >= maxRows) await finish();
    }
    await finish();
  }

  const timestamp = input.at.toISOString().slice(0, 16).replace(':', '-'); // YYYY-MM-DDTHH-MM
  const manifest = {
    sourceBucket: input.bucket,
    destinationBucket: config.destination.bucketArn,
    version: '2016-11-30',
    creationTimestamp: String(input.at.getTime()),
    fileFormat: parquet ? 'Parquet' : 'CSV',
    fileSchema: parquet ? parquetSchema(fields.map(reportField)) : fields.join(', '),
    files,
  };
  const manifestBody = Buffer.from(JSON.stringify(manifest, null, 2), 'utf8');
  const manifestKey = `${base}/${timestamp}Z/manifest.json`;
  put(manifestKey, manifestBody, 'application/json');
  put(`${base}/${timestamp}Z/manifest.checksum`, Buffer.from(createHash('md5').update(manifestBody).digest('hex'), 'utf8'), 'text/plain');
  const symlinkKey = `${base}/hive/dt=${timestamp.replace('T', '-')}/symlink.txt`;
  put(symlinkKey, Buffer.from(files.map((f) => `s3://${destinationBucket}/${f.key}\n`).join(''), 'utf8'), 'text/plain');
  return { sourceBucket: input.bucket, destinationBucket, manifestKey, symlinkKey, dataKeys: files.map((f) => f.key), rows };
}

/** Report fields in S3's order: the fixed ones, then the configured optional ones in schema order. */
export function reportFields(config: InventoryConfiguration): string[] {
  const versionFields = new Set(['VersionId', 'IsLatest', 'IsDeleteMarker']);
  const requested = new Set(config.optionalFields);
  return REPORT_FIELDS.filter((f) =>
    !f.fixed ? requested.has(f.s3Name) : config.includedObjectVersions === 'All' || !versionFields.has(f.s3Name),
  ).map((f) => f.s3Name);
}

function reportField(s3Name: string): ReportField {
  const field = REPORT_FIELDS.find((f) => f.s3Name === s3Name);
  if (!field) throw new InventoryNotSupportedError(`inventory field '${s3Name}' is not supported by the sandbox`);
  return field;
}

/**
 * A field as a Parquet report types it: keys as stored (Parquet keys are not URL-encoded), sizes
 * bigint, dates timestamps, retain-until epoch milliseconds, flags boolean; NULL where the
 * CSV report has an empty field (delete markers carry no size, class or encryption).
 */
function parquetValue(field: ReportField, entry: VersionEntry, bucket: string): ParquetCell {
  const v = entry.version;
  switch (field.s3Name) {
    case 'Key':
      return v.key;
    case 'Size':
      return v.isDeleteMarker ? null : BigInt(v.size);
    case 'LastModifiedDate':
      return v.lastModified;
    case 'ObjectLockRetainUntilDate':
      return v.objectLock.retainUntil ? BigInt(v.objectLock.retainUntil.getTime()) : null;
  }
  const text = fieldValue(field.s3Name, entry, bucket);
  if (field.columnarType === 'boolean') return text === '' ? null : text === 'true';
  // VersionId stays '' for the null version, as in CSV reports; other absent values are NULL.
  return text === '' && field.s3Name !== 'VersionId' ? null : text;
}

/** The fileSchema S3 writes into a Parquet report's manifest: the Parquet message type. */
function parquetSchema(fields: readonly ReportField[]): string {
  const types: Readonly<Record<ReportField['columnarType'], string>> = {
    string: 'binary',
    boolean: 'boolean',
    bigint: 'int64',
    timestamp: 'int64',
  };
  const annotations: Readonly<Record<ReportField['columnarType'], string>> = {
    string: ' (STRING)',
    boolean: '',
    bigint: '',
    timestamp: ' (TIMESTAMP(MICROS,false))',
  };
  return `message s3.inventory { ${fields.map((f) => `${f.fixed ? 'required' : 'optional'} ${types[f.columnarType]} ${f.column}${annotations[f.columnarType]};`).join(' ')} }`;
}

function included(entry: VersionEntry, config: InventoryConfiguration): boolean {
  if (config.filterPrefix !== undefined && !entry.version.key.startsWith(config.filterPrefix)) return false;
  // A current-version report lists current objects: no older versions, no delete-marked keys.
  if (config.includedObjectVersions === 'Current') return entry.isLatest && !entry.version.isDeleteMarker;
  return true;
}

function fieldValue(field: string, entry: VersionEntry, bucket: string): string {
  const v = entry.version;
  const object = !v.isDeleteMarker;
  const encrypted = v.encryption;
  switch (field) {
    case 'Bucket':
      return bucket;
    case 'Key':
      return encodeInventoryKey(v.key);
    case 'VersionId':
      // S3 Inventory writes an empty VersionId for the `null` version (see DOMAIN.md, Manifests).
      return v.versionId === 'null' ? '' : v.versionId;
    case 'IsLatest':
      return String(entry.isLatest);
    case 'IsDeleteMarker':
      return String(v.isDeleteMarker);
    case 'Size':
      return object ? String(v.size) : '';
    case 'LastModifiedDate':
      return v.lastModified.toISOString();
    case 'ETag':
      return object ? v.eTag.replace(/"/g, '') : '';
    case 'StorageClass':
      return object ? v.storageClass : '';
    case 'IsMultipartUploaded':
      return object ? String(v.isMultipartUploaded) : '';
    case 'ReplicationStatus':
      return v.replicationStatus ?? '';
    case 'EncryptionStatus':
      return object ? encrypted.status : '';
    case 'ObjectLockRetainUntilDate':
      return v.objectLock.retainUntil?.toISOString() ?? '';
    case 'ObjectLockMode':
      return v.objectLock.mode ?? '';
    case 'ObjectLockLegalHoldStatus':
      return v.objectLock.legalHold ?? '';
    case 'IntelligentTieringAccessTier':
      return v.storageClass === 'INTELLIGENT_TIERING' ? (v.intelligentTieringAccessTier ?? 'FREQUENT') : '';
    case 'BucketKeyStatus':
      return object ? (encrypted.status === 'SSE-KMS' && encrypted.bucketKeyEnabled ? 'ENABLED' : 'DISABLED') : '';
    case 'ChecksumAlgorithm':
      return v.checksumAlgorithm ?? '';
    case 'ObjectAccessControlList':
      return object ? objectAcl(v.owner) : '';
    case 'ObjectOwner':
      return v.owner;
    default:
      throw new InventoryNotSupportedError(`inventory field '${field}' is not supported by the sandbox`);
  }
}

/** S3 writes the ACL as base64 of a JSON document; the sandbox's objects are owner-only. */
function objectAcl(owner: string): string {
  const acl = {
    version: '2022-11-10',
    status: 'AVAILABLE',
    grants: [{ permission: 'FULL_CONTROL', type: 'CanonicalUser', canonicalId: owner }],
  };
  return Buffer.from(JSON.stringify(acl), 'utf8').toString('base64');
}

function csvRow(values: readonly string[]): string {
  return values.map((v) => `"${v.replace(/"/g, '""')}"`).join(',') + '\n';
}

function destinationName(config: InventoryConfiguration): string {
  const match = /^arn:aws[a-zA-Z-]*:s3:::([^/]+)$/.exec(config.destination.bucketArn);
  if (!match) throw new SandboxConfigError(`inventory '${config.id}': destination '${config.destination.bucketArn}' is not a bucket ARN`);
  return match[1]!;
}

function reportEncryption(config: InventoryConfiguration): EncryptionRequest | undefined {
  const encryption = config.destination.encryption;
  if (!encryption) return undefined;
  return encryption.kind === 'SSE-S3'
    ? { serverSideEncryption: 'AES256' }
    : { serverSideEncryption: 'aws:kms', kmsKeyId: encryption.keyId };
}

function trimSlashes(prefix: string): string {
  return prefix.replace(/^\/+|\/+$/g, '');
}

/** One gzip data file being written: text goes in chunks, compressed bytes are collected. */
class DataFileWriter {
  rows = 0;
  private readonly gzip = createGzip();
  private readonly output: Buffer[] = [];
  private pending = '';
  private readonly done: Promise<Buffer>;

  constructor() {
    this.gzip.on('data', (chunk: Buffer) => this.output.push(chunk));
    this.done = new Promise((resolve, reject) => {
      this.gzip.on('end', () => resolve(Buffer.concat(this.output)));
      this.gzip.on('error', reject);
    });
  }

  async write(line: string): Promise<void> {
    this.pending += line;
    this.rows++;
    if (this.pending.length >= CHUNK_CHARS) await this.flush();
  }

  async close(): Promise<Buffer> {
    await this.flush();
    this.gzip.end();
    return this.done;
  }

  private async flush(): Promise<void> {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    if (!this.gzip.write(text)) await new Promise((resolve) => this.gzip.once('drain', resolve));
  }
}
