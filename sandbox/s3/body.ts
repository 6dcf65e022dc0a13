// Object bodies: sizes, slices, ETags and byte streams for real (in memory, deflated or in a file),
// seeded and composite bodies.
// Seeded bytes are a pure function of (seed, offset), so a 6 GB object costs three numbers.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { mix32 } from '../random';
import type { BodySlice, ObjectBody } from './model';

const STREAM_CHUNK = 64 * 1024;

export function bytesBody(data: Buffer): ObjectBody {
  return { kind: 'bytes', data };
}

export function seededBody(seed: number, size: number): ObjectBody {
  return { kind: 'seeded', seed, size };
}

/**
 * Builds a deflated body from bytes given in order, each piece deflated on its own: the whole
 * never exists uncompressed at once.
 */
export class DeflatedBodyWriter {
  private readonly chunks: Buffer[] = [];
  private readonly chunkSizes: number[] = [];
  private readonly md5 = createHash('md5');
  private size = 0;

  add(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.chunks.push(deflateRawSync(bytes, { level: 1 }));
    this.chunkSizes.push(bytes.length);
    this.md5.update(bytes);
    this.size += bytes.length;
  }

  finish(): ObjectBody & { kind: 'deflated' } {
    return { kind: 'deflated', chunks: this.chunks, chunkSizes: this.chunkSizes, size: this.size, md5: this.md5.digest('hex') };
  }
}

export function bodySize(body: ObjectBody): number {
  return body.kind === 'bytes' ? body.data.length : body.size;
}

/** The body's bytes in [start, start + length) as a body of its own, without copying seeded data. */
export function sliceBody(body: ObjectBody, start: number, length: number): ObjectBody {
  if (body.kind === 'bytes') return { kind: 'bytes', data: Buffer.from(body.data.subarray(start, start + length)) };
  return { kind: 'composite', parts: slicesOf(body, start, length), size: length };
}

/** Joins bodies end to end (multipart completion). */
export function concatBodies(bodies: readonly ObjectBody[]): ObjectBody {
  const parts = bodies.flatMap((b) => slicesOf(b, 0, bodySize(b)));
  return { kind: 'composite', parts, size: parts.reduce((sum, p) => sum + p.length, 0) };
}

function slicesOf(body: ObjectBody, start: number, length: number): BodySlice[] {
  if (body.kind !== 'composite') return length > 0 ? [{ body, start, length }] : [];
  const result: BodySlice[] = [];
  let offset = 0;
  const end = start + length;
  for (const part of body.parts) {
    const partEnd = offset + part.length;
    const from = Math.max(start, offset);
    const to = Math.min(end, partEnd);
    if (from < to) result.push({ body: part.body, start: part.start + (from - offset), length: to - from });
    offset = partEnd;
  }
  return result;
}

/** MD5 hex of the bytes for real bodies; of a descriptor for generated ones (their bytes are never hashed). */
export function bodyMd5Hex(body: ObjectBody): string {
  const hash = createHash('md5');
  if (body.kind === 'bytes') hash.update(body.data);
  else if (body.kind === 'deflated' || body.kind === 'file') return body.md5;
  else if (body.kind === 'seeded') hash.update(`seeded:${body.seed}:${body.size}`);
  else
    for (const p of body.parts)
      hash.update(
        p.body.kind === 'bytes' || p.body.kind === 'deflated' || p.body.kind === 'file'
          ? createHash('md5')
              .update(bodyBytes(p.body, p.start, p.start + p.length))
              .digest('hex')
          : `seeded:${p.body.seed}:${p.start}:${p.length};`,
      );
  return hash.digest('hex');
}

/** Writes the seeded bytes at [offset, offset + out.length) into out. */
function fillSeeded(seed: number, offset: number, out: Buffer): void {
  // Four bytes per 32-bit word; words are addressed by offset / 4 so any range starts anywhere.
  for (let i = 0; i < out.length;) {
    const position = offset + i;
    const word = mix32(seed, Math.floor(position / 4));
    for (let b = position % 4; b < 4 && i < out.length; b++, i++) out[i] = (word >>> (b * 8)) & 0xff;
  }
}

/** Bytes [start, end) of a body, as a stream (generated lazily for seeded parts). */
export function bodyStream(body: ObjectBody, start: number, end: number): Readable {
  const slices = slicesOf(body, start, end - start);
  function* chunks(): Generator<Buffer> {
    for (const slice of slices) {
      if (slice.body.kind === 'bytes') {
        yield slice.body.data.subarray(slice.start, slice.start + slice.length);
        continue;
      }
      if (slice.body.kind === 'deflated') {
        yield* inflatedRange(slice.body, slice.start, slice.length);
        continue;
      }
      if (slice.body.kind === 'file') {
        yield* fileRange(slice.body, slice.start, slice.length);
        continue;
      }
      for (let done = 0; done < slice.length; done += STREAM_CHUNK) {
        const chunk = Buffer.allocUnsafe(Math.min(STREAM_CHUNK, slice.length - done));
        fillSeeded(slice.body.seed, slice.start + done, chunk);
        yield chunk;
      }
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** The whole body in memory: for small bodies (tests, state files). */
export function bodyBytes(body: ObjectBody, start = 0, end = bodySize(body)): Buffer {
  const out = Buffer.alloc(end - start);
  let at = 0;
  for (const slice of slicesOf(body, start, end - start)) {
    if (slice.body.kind === 'bytes') slice.body.data.copy(out, at, slice.start, slice.start + slice.length);
    else if (slice.body.kind === 'deflated' || slice.body.kind === 'file') {
      const pieces =
        slice.body.kind === 'deflated'
          ? inflatedRange(slice.body, slice.start, slice.length)
          : fileRange(slice.body, slice.start, slice.length);
      for (const piece of pieces) at += piece.copy(out, at);
      continue;
    } else fillSeeded(slice.body.seed, slice.start, out.subarray(at, at + slice.length));
    at += slice.length;
  }
  return out;
}

/** Bytes [start, start + length) of a deflated body, inflating only the chunks they fall in. */
function* inflatedRange(body: ObjectBody & { kind: 'deflated' }, start: number, length: number): Generator<Buffer> {
  const end = start + length;
  let offset = 0;
  for (let i = 0; i < body.chunks.length && offset < end; i++) {
    const chunkEnd = offset + body.chunkSizes[i]!;
    if (chunkEnd > start) {
      const bytes = inflateRawSync(body.chunks[i]!);
      yield bytes.subarray(Math.max(start, offset) - offset, Math.min(end, chunkEnd) - offset);
    }
    offset = chunkEnd;
  }
}

/** Bytes [start, start + length) of a file body, read a chunk at a time as the stream asks. */
function* fileRange(body: ObjectBody & { kind: 'file' }, start: number, length: number): Generator<Buffer> {
  const fd = openSync(body.path, 'r');
  try {
    for (let done = 0; done < length;) {
      const chunk = Buffer.allocUnsafe(Math.min(STREAM_CHUNK, length - done));
      const read = readSync(fd, chunk, 0, chunk.length, start + done);
      if (read === 0) throw new Error(`sandbox body file ${body.path} ends at ${start + done} bytes; it should hold ${body.size}`);
      done += read;
      yield read === chunk.length ? chunk : chunk.subarray(0, read);
    }
  } finally {
    closeSync(fd);
  }
}
