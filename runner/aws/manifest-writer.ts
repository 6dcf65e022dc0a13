// Writes a manifest to S3 as it is produced, in multipart parts, so the runner never holds the whole
// list: memory stays at one part whatever the number of objects.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { explainAwsError } from './errors';
import { withRetry } from './retry';

/** S3's minimum part size is 5 MiB; 8 MiB keeps 10,000 parts above 78 GiB of manifest. */
export const PART_BYTES = 8 * 1024 * 1024;

export interface WrittenObject {
  readonly key: string;
  readonly eTag: string;
  readonly bytes: number;
  readonly rows: number;
}

export class ManifestWriter {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private uploadId?: string;
  private readonly parts: { ETag: string; PartNumber: number }[] = [];
  private bytes = 0;
  private rows = 0;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    private readonly partBytes = PART_BYTES,
  ) {}

  async write(row: string): Promise<void> {
    const chunk = Buffer.from(row, 'utf8');
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.bytes += chunk.length;
    this.rows++;
    if (this.buffered >= this.partBytes) await this.flushPart();
  }

  private async flushPart(): Promise<void> {
    const body = Buffer.concat(this.chunks);
    this.chunks = [];
    this.buffered = 0;
    try {
      if (!this.uploadId) {
        const created = await withRetry(() => this.s3.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, ContentType: 'text/csv' })));
        this.uploadId = created.UploadId!;
      }
      const PartNumber = this.parts.length + 1;
      const out = await withRetry(() =>
        this.s3.send(new UploadPartCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, PartNumber, Body: body })),
      );
      this.parts.push({ ETag: out.ETag!, PartNumber });
    } catch (error) {
      await this.abort();
      throw explainAwsError(error, `Writing manifest s3://${this.bucket}/${this.key}`);
    }
  }

  /** Finishes the object; a manifest that fits one part is a plain PutObject. */
  async close(): Promise<WrittenObject> {
    try {
      if (!this.uploadId) {
        const out = await withRetry(() =>
          this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key, Body: Buffer.concat(this.chunks), ContentType: 'text/csv' })),
        );
        return { key: this.key, eTag: out.ETag!, bytes: this.bytes, rows: this.rows };
      }
      if (this.buffered > 0) await this.flushPart();
      const out = await withRetry(() =>
        this.s3.send(
          new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, MultipartUpload: { Parts: this.parts } }),
        ),
      );
      return { key: this.key, eTag: out.ETag!, bytes: this.bytes, rows: this.rows };
    } catch (error) {
      await this.abort();
      throw explainAwsError(error, `Writing manifest s3://${this.bucket}/${this.key}`);
    }
  }

  /** Leaves nothing half-written behind. */
  async abort(): Promise<void> {
    if (!this.uploadId) return;
    const uploadId = this.uploadId;
    this.uploadId = undefined;
    await this.s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: uploadId })).catch(() => undefined);
  }
}
