// A job's tasks without an object per task for the life of the job: an inventory-format manifest's
// tasks stay in their data files (already held by the S3 world) and are parsed again a file at a
// time as the job reaches them. Ten million task objects, their strings and the manifest text they
// were sliced from cost gigabytes and most of a job's time in garbage collection.
import { gunzipSync } from 'node:zlib';
import { bodyBytes } from '../s3/body';
import type { ObjectBody } from '../s3/model';
import type { JobTask } from './model';

/** Tasks by index. Reading them in order is cheapest: that is how a job runs and reports. */
export interface TaskList {
  readonly length: number;
  at(index: number): JobTask;
}

/** Tasks already in memory (a CSV manifest, the manifest generator's output). */
export function taskArray(tasks: readonly JobTask[]): TaskList {
  return { length: tasks.length, at: (index) => tasks[index]! };
}

/** One data file of an inventory-format manifest: its body as read at Preparing, and its row count. */
export interface TaskFile {
  readonly body: ObjectBody;
  readonly rows: number;
}

/** The tasks of an inventory-format manifest's data files, parsed again one file at a time. */
export class TaskFiles implements TaskList {
  readonly length: number;
  /** The index of each file's first task. */
  private readonly firsts: number[] = [];
  private cachedFile = -1;
  private cached: readonly JobTask[] = [];

  constructor(
    private readonly files: readonly TaskFile[],
    private readonly parse: (text: string) => JobTask[],
  ) {
    let first = 0;
    for (const file of files) {
      this.firsts.push(first);
      first += file.rows;
    }
    this.length = first;
  }

  at(index: number): JobTask {
    const file = this.fileOf(index);
    if (file !== this.cachedFile) {
      this.cached = this.parse(fileText(this.files[file]!.body));
      this.cachedFile = file;
    }
    return this.cached[index - this.firsts[file]!]!;
  }

  private fileOf(index: number): number {
    const current = this.cachedFile;
    if (current >= 0 && index >= this.firsts[current]! && index < this.firsts[current]! + this.files[current]!.rows) return current;
    let lo = 0;
    let hi = this.files.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.firsts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    // The last file starting at or before the index: an empty file shares its first index with
    // the file after it, so it is never the one found.
    return lo;
  }
}

/** A data file's text: gzipped files (what inventories and UNLOAD write) are inflated first. */
export function fileText(body: ObjectBody): string {
  const data = bodyBytes(body);
  return (data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data) : data).toString('utf8');
}
