// Large bodies the sandbox writes itself (inventory reports, UNLOAD files) kept in files instead of
// memory: at ten million versions they were a gigabyte of the process's RSS. The bytes and what
// every read answers are the same; only where they live changes.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObjectBody } from './model';

/** Bodies of at least this many bytes go to a file; smaller ones stay in memory. */
export const FILE_BODY_BYTES = 1 << 20;

/** Folders of live worlds, removed when the process exits even if nobody stopped the sandbox. */
const liveFolders = new Set<string>();
let exitHookInstalled = false;

function removeOnExit(folder: string): void {
  liveFolders.add(folder);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const f of liveFolders) rmSync(f, { recursive: true, force: true });
  });
}

/** One world's folder of body files, made when the first large body arrives. */
export class BodyFiles {
  private folder: string | undefined;
  private written = 0;

  constructor(private readonly threshold = FILE_BODY_BYTES) {}

  /** The body as the world keeps it: large byte bodies moved to a file, every other body as it is. */
  keep(body: ObjectBody): ObjectBody {
    if (body.kind !== 'bytes' || body.data.length < this.threshold) return body;
    if (this.folder === undefined) {
      this.folder = mkdtempSync(join(tmpdir(), 'sandbox-bodies-'));
      removeOnExit(this.folder);
    }
    const path = join(this.folder, String(this.written++));
    writeFileSync(path, body.data);
    return { kind: 'file', path, size: body.data.length, md5: createHash('md5').update(body.data).digest('hex') };
  }

  /** Removes the files: the world's file bodies cannot be read after this. */
  dispose(): void {
    if (this.folder === undefined) return;
    rmSync(this.folder, { recursive: true, force: true });
    liveFolders.delete(this.folder);
    this.folder = undefined;
  }
}
