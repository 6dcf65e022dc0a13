// Cuts the rows text DuckDB wrote for an UNLOAD into data files of whole lines and compresses them,
// reading the text a block at a time and gzipping on libuv's thread pool: at ten million rows the
// text is over half a gigabyte, which as one buffer (and its gzip on the main thread) held the
// sandbox's event loop, and the runner's polls, for seconds.
import { closeSync, openSync, readSync } from 'node:fs';
import { promisify } from 'node:util';
import { constants as zlibConstants, gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);

// The text is read in blocks of this size; a file of 100,000 manifest rows is a few of them.
const BLOCK_BYTES = 4 * 1024 * 1024;
// Files compressing at once: one per core of a rehearsal machine keeps both busy while the next
// file is cut, and bounds the text held at once.
const COMPRESSING_AT_ONCE = 2;
// zlib's default output chunk; the least a file's output buffer starts at.
const MIN_CHUNK_BYTES = 16 * 1024;

export interface UnloadFilesOptions {
  /** At most this many lines per file. */
  readonly linesPerFile: number;
  readonly gzip: boolean;
}

/**
 * The text file at `path` as files of `linesPerFile` whole lines (the last holds the rest), gzipped
 * when asked, in order; each is passed to `keep` as soon as it is done, and what `keep` returns is
 * what the list holds (so a caller can move each file out of memory before the next).
 */
export async function unloadFiles<T>(path: string, options: UnloadFilesOptions, keep: (data: Buffer) => T): Promise<T[]> {
  const lines = Math.max(1, Math.floor(options.linesPerFile));
  const files: Promise<T>[] = [];
  const pending: Promise<T>[] = [];
  const add = async (text: Buffer): Promise<void> => {
    // The fastest level: Athena's readers take any gzip, and the runner reads every file back. One
    // output chunk the size of half the text holds a manifest file's gzip (about a third of it):
    // with zlib's default 16 KiB chunks, each file came back as hundreds of callbacks and buffer
    // allocations on the main thread, which at ten million versions (a 9 GB heap) spent most of its
    // time in the garbage collection those allocations set off.
    const file = (
      options.gzip
        ? gzip(text, { level: zlibConstants.Z_BEST_SPEED, chunkSize: Math.max(MIN_CHUNK_BYTES, Math.ceil(text.length / 2)) })
        : Promise.resolve(text)
    ).then(keep);
    // Awaited in order below; marked handled now, so a failure before then is not an unhandled rejection.
    file.catch(() => undefined);
    files.push(file);
    pending.push(file);
    if (pending.length >= COMPRESSING_AT_ONCE) await pending.shift();
  };
  const fd = openSync(path, 'r');
  try {
    // The current file's text so far: pieces of blocks, joined when its last line is read.
    let pieces: Buffer[] = [];
    let seen = 0;
    for (;;) {
      const block = Buffer.allocUnsafe(BLOCK_BYTES);
      const read = readSync(fd, block, 0, BLOCK_BYTES, null);
      if (read === 0) break;
      const data = block.subarray(0, read);
      let start = 0;
      for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) {
        if (++seen < lines) continue;
        pieces.push(data.subarray(start, at + 1));
        await add(Buffer.concat(pieces));
        pieces = [];
        start = at + 1;
        seen = 0;
      }
      if (start < data.length) pieces.push(data.subarray(start));
    }
    if (pieces.length > 0) await add(Buffer.concat(pieces));
  } finally {
    closeSync(fd);
  }
  return Promise.all(files);
}
