// A multipart upload in progress: the object settings fixed at CreateMultipartUpload and the
// parts uploaded so far (bodies may be slices of other objects, from UploadPartCopy).
import type { ObjectBody } from './model';
import type { ObjectDraft } from './object-draft';

export interface UploadedPart {
  readonly partNumber: number;
  readonly body: ObjectBody;
  readonly size: number;
  readonly eTag: string;
  readonly lastModified: Date;
}

export interface MultipartUpload {
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly initiated: Date;
  readonly draft: ObjectDraft;
  readonly parts: Map<number, UploadedPart>;
}

/** S3's minimum size of every part but the last. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
