// The data files Athena's queries read, as local files DuckDB opens. Each S3 object version is
// written to disk once and reused by every query that reads it until the object changes: a plan
// and its manifests read the same inventory several times, and copying a large report out of the
// S3 world for every query cost more than the queries' own work on it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3World } from '../s3/world';
import type { DataFile } from './table-source';

interface Entry {
  /** The S3 version the local copy was made from. */
  readonly identity: string;
  readonly dir: string;
  readonly size: number;
  readonly facts: unknown;
  lastUsed: number;
}

/** Removed when the process exits, should nobody call dispose(): a test's sandbox is often just dropped. */
const liveDirectories = new Set<string>();
let cleanupRegistered = false;

export interface DataFileCacheProps {
  readonly s3: S3World;
  /**
   * Local copies beyond this many bytes (their S3 sizes) are removed, least recently used first.
   * @default 8 GiB
   */
  readonly maxBytes?: number;
}

export class DataFileCache {
  readonly s3: S3World;
  private readonly maxBytes: number;
  private dir: string | undefined;
  private readonly entries = new Map<string, Entry>();
  private sequence = 0;

  constructor(props: DataFileCacheProps) {
    this.s3 = props.s3;
    this.maxBytes = props.maxBytes ?? 8 * 1024 ** 3;
    if (!(this.maxBytes > 0)) throw new RangeError(`'maxBytes' must be a positive number. Received: ${this.maxBytes}`);
  }

  /**
   * What `make` made of the current version of `file` for `purpose` (a local copy, and what was
   * learnt reading it), made now if this version has not been made before. `make` gets a directory
   * of its own to write in, which lives as long as the entry.
   */
  async local<T>(file: DataFile, purpose: string, make: (dir: string) => Promise<T> | T): Promise<T> {
    const name = `${purpose}\u0000${file.bucket}\u0000${file.key}`;
    const identity = this.identityOf(file);
    const found = this.entries.get(name);
    if (found && found.identity === identity) {
      found.lastUsed = ++this.sequence;
      return found.facts as T;
    }
    if (found) this.remove(name, found);
    const dir = join(this.root(), String(++this.sequence));
    mkdirSync(dir);
    let facts: T;
    try {
      facts = await make(dir);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    this.entries.set(name, { identity, dir, size: file.size, facts, lastUsed: this.sequence });
    this.evict();
    return facts;
  }

  /** Removes every local copy. The cache can be used again afterwards. */
  dispose(): void {
    if (this.dir === undefined) return;
    rmSync(this.dir, { recursive: true, force: true });
    liveDirectories.delete(this.dir);
    this.dir = undefined;
    this.entries.clear();
  }

  private identityOf(file: DataFile): string {
    const version = this.s3.version({ bucket: file.bucket, key: file.key });
    return `${version.versionId}\u0000${version.eTag}\u0000${version.lastModified.getTime()}\u0000${version.size}`;
  }

  private root(): string {
    if (this.dir === undefined) {
      this.dir = mkdtempSync(join(tmpdir(), 'sandbox-athena-files-'));
      liveDirectories.add(this.dir);
      if (!cleanupRegistered) {
        cleanupRegistered = true;
        process.once('exit', () => {
          for (const dir of liveDirectories) rmSync(dir, { recursive: true, force: true });
        });
      }
    }
    return this.dir;
  }

  private evict(): void {
    let total = [...this.entries.values()].reduce((sum, e) => sum + e.size, 0);
    if (total <= this.maxBytes) return;
    const oldestFirst = [...this.entries.entries()].sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    // The newest entry stays even when it alone is over the limit: its query is about to read it.
    for (const [name, entry] of oldestFirst.slice(0, -1)) {
      if (total <= this.maxBytes) break;
      this.remove(name, entry);
      total -= entry.size;
    }
  }

  private remove(name: string, entry: Entry): void {
    rmSync(entry.dir, { recursive: true, force: true });
    this.entries.delete(name);
  }
}
