// Byte ranges of a multipart copy (UploadPartCopy): parts of at least 5 MiB (except the last), at
// most 5 GiB each, at most 10,000 parts, objects up to 5 TiB, per the S3 multipart limits.

export const MIB = 1024 * 1024;
export const MIN_PART_BYTES = 5 * MIB;
export const MAX_PART_BYTES = 5 * 1024 * MIB;
export const MAX_PARTS = 10_000;
export const MAX_OBJECT_BYTES = 5 * 1024 * 1024 * MIB;
/** Large parts keep the request count (and bill) low; UploadPartCopy moves no bytes through the runner. */
export const DEFAULT_PART_BYTES = 512 * MIB;

export interface PartRange {
  /** 1-based, as UploadPartCopy numbers parts. */
  readonly partNumber: number;
  /** First byte, zero-based, inclusive. */
  readonly first: number;
  /** Last byte, inclusive: `x-amz-copy-source-range: bytes=first-last`. */
  readonly last: number;
}

/** The part size for an object: the preferred size, raised (in whole MiB) until the parts fit in 10,000. */
export function partSize(objectBytes: number, preferredPartBytes = DEFAULT_PART_BYTES): number {
  if (!Number.isSafeInteger(objectBytes) || objectBytes <= 0)
    throw new Error(`A multipart copy needs a positive object size. Received: ${objectBytes}`);
  if (objectBytes > MAX_OBJECT_BYTES) throw new Error(`S3 objects are at most 5 TiB (${MAX_OBJECT_BYTES} bytes). Received: ${objectBytes}`);
  if (preferredPartBytes < MIN_PART_BYTES || preferredPartBytes > MAX_PART_BYTES) {
    throw new Error(`'preferredPartBytes' must be between 5 MiB and 5 GiB. Received: ${preferredPartBytes}`);
  }
  const smallestFitting = Math.ceil(Math.ceil(objectBytes / MAX_PARTS) / MIB) * MIB;
  return Math.min(MAX_PART_BYTES, Math.max(preferredPartBytes, smallestFitting));
}

export function partRanges(objectBytes: number, preferredPartBytes = DEFAULT_PART_BYTES): PartRange[] {
  const size = partSize(objectBytes, preferredPartBytes);
  const ranges: PartRange[] = [];
  for (let first = 0, partNumber = 1; first < objectBytes; first += size, partNumber++) {
    ranges.push({ partNumber, first, last: Math.min(objectBytes, first + size) - 1 });
  }
  return ranges;
}

export function copySourceRange(range: PartRange): string {
  return `bytes=${range.first}-${range.last}`;
}
