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

/** S3's minimum part size is 5 MiB; 8 MiB keeps 10,000 parts above 78 GiB of manifest. */
export const PART_BYTES = 8 * 1024 * 1024;

export interface WrittenObject {
  readonly key: string;
  readonly eTag: string;
  readonly bytes: number;
  readonly rows: number;
}

export class ManifestWriter {
  // One part-sized buffer, filled in place and reused: rows are copied into it rather than kept as
  // many small buffers and concatenated, so memory stays flat however many rows pass through.
  private readonly part: Buffer;
  private filled = 0;
  private uploadId?: string;
  private readonly parts: { ETag: string; PartNumber: number }[] = [];
  private bytes = 0;
  private rows = 0;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    private readonly partBytes = PART_BYTES,
  ) {
    this.part = Buffer.allocUnsafe(partBytes);
  }

  async write(row: string): Promise<void> {
    const length = Buffer.byteLength(row, 'utf8');
    this.bytes += length;
    this.rows++;
    if (length <= this.partBytes - this.filled) {
      this.filled += this.part.write(row, this.filled, 'utf8');
      return;
    }
    // Rare: the row straddles the end of the part, so it is split across two parts.
    let rest = Buffer.from(row, 'utf8');
    while (rest.length > 0) {
      const take = Math.min(this.partBytes - this.filled, rest.length);
      rest.copy(this.part, this.filled, 0, take);
      this.filled += take;
      rest = rest.subarray(take);
      if (this.filled === this.partBytes) await this.flushPart();
    }
  }

  private async flushPart(): Promise<void> {
    // The SDK may read the body after send() resolves for retries: hand it a copy of the filled part.
    const body = Buffer.from(this.part.subarray(0, this.filled));
    this.filled = 0;
    try {
      if (!this.uploadId) {
        const created = await this.s3.send(
          new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, ContentType: 'text/csv' }),
        );
        this.uploadId = created.UploadId!;
      }
      const PartNumber = this.parts.length + 1;
      const out = await this.s3.send(
        new UploadPartCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, PartNumber, Body: body }),
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
        const out = await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.key,
            Body: Buffer.from(this.part.subarray(0, this.filled)),
            ContentType: 'text/csv',
          }),
        );
        return { key: this.key, eTag: out.ETag!, bytes: this.bytes, rows: this.rows };
      }
      if (this.filled > 0) await this.flushPart();
      const out = await this.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.key,
          UploadId: this.uploadId,
          MultipartUpload: { Parts: this.parts },
        }),
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
