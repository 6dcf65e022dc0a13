// A file the runner writes where the user asked (--out): its folder checked before any work, the file
// written whole or not at all.
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, fsyncSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './errors';

/** Errors that say the path itself is wrong for the user to fix, not that the machine failed. */
const PATH_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'is not a folder',
  EACCES: 'cannot be written (permission denied)',
  EPERM: 'cannot be written (operation not permitted)',
  EROFS: 'is on a read-only file system',
};

const codeOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/**
 * Refuses a file that cannot be written before anything is read: its folder must exist and be
 * writable, and the path must not be a folder itself. Returns the file as given.
 */
export function checkOutFile(flag: string, file: string): string {
  if (file.trim() === '') throw new UsageError(`${flag} is empty: name the file to write, e.g. ${flag} report.html`);
  const folder = path.dirname(path.resolve(file));
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch (error) {
    throw new UsageError(
      `${flag} ${file}: the folder ${folder} ${PATH_PROBLEMS[codeOf(error) ?? ''] ?? 'cannot be read'}. Create it first (mkdir -p ${folder}) or name a file in a folder that exists.`,
      { cause: error },
    );
  }
  if (!isFolder) throw new UsageError(`${flag} ${file}: ${folder} is a file, not a folder. Name a file in a folder that exists.`);
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw new UsageError(
      `${flag} ${file}: the folder ${folder} ${PATH_PROBLEMS[codeOf(error) ?? ''] ?? 'cannot be written'}. Choose a folder you can write to.`,
      { cause: error },
    );
  }
  let target: ReturnType<typeof statSync> | undefined;
  try {
    target = statSync(file);
  } catch {
    // No file there yet: the usual case.
  }
  if (target?.isDirectory()) throw new UsageError(`${flag} ${file}: is a folder. Name a file in it, e.g. ${path.join(file, 'report')}.`);
  return file;
}

/**
 * Writes `content` to a temporary file in the same folder, flushes it to disk, then renames it over
 * `file`: a reader sees the old file or the new one, never half of one, and a failure leaves no
 * temporary file behind. A path that became unwritable since it was checked is still a usage error.
 */
export function writeOutFile(flag: string, file: string, content: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(temporary, 'wx');
    try {
      writeFileSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    const problem = PATH_PROBLEMS[codeOf(error) ?? ''];
    if (problem)
      throw new UsageError(
        `${flag} ${file}: the file or its folder ${problem}. Check the path (mkdir -p ${path.dirname(file)}) and run again.`,
        { cause: error },
      );
    throw error;
  }
}
