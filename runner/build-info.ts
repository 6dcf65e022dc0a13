// Which build of the runner is running: package.json's version and the git commit of the checkout, read from .git without spawning git.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { version } from '../package.json';

export interface BuildInfo {
  readonly toolVersion: string;
  /** A full commit id, or 'unknown' (an npm package, a tarball, a checkout whose refs cannot be read). */
  readonly commit: string;
}

const COMMIT = /^[0-9a-f]{40}$/;

const readText = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    // Absent or unreadable: the caller falls back to 'unknown'.
    return undefined;
  }
};

/** The git directory of a checkout: `.git` itself, or the folder a worktree's `.git` file points at. */
function gitDirOf(root: string): string | undefined {
  const dotGit = path.join(root, '.git');
  const stat = fs.statSync(dotGit, { throwIfNoEntry: false });
  if (!stat) return undefined;
  if (stat.isDirectory()) return dotGit;
  const pointer = /^gitdir:\s*(.+)$/m.exec(readText(dotGit) ?? '')?.[1];
  return pointer ? path.resolve(root, pointer.trim()) : undefined;
}

/** HEAD's commit in a checkout at `root`: a detached HEAD, a loose ref (in the worktree or the common dir), or packed-refs. */
export function gitCommit(root: string): string | undefined {
  const gitDir = gitDirOf(root);
  if (!gitDir) return undefined;
  const head = readText(path.join(gitDir, 'HEAD'));
  if (!head) return undefined;
  if (COMMIT.test(head)) return head;
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  if (!ref) return undefined;
  const common = readText(path.join(gitDir, 'commondir'));
  const commonDir = common ? path.resolve(gitDir, common) : gitDir;
  for (const dir of [gitDir, commonDir]) {
    const loose = readText(path.join(dir, ref));
    if (loose && COMMIT.test(loose)) return loose;
  }
  const packed = readText(path.join(commonDir, 'packed-refs')) ?? '';
  for (const line of packed.split('\n')) {
    const [id, name] = line.split(' ');
    if (id !== undefined && name === ref && COMMIT.test(id)) return id;
  }
  return undefined;
}

/** The running build: the checkout is the folder above runner/. */
export function buildInfo(root: string = path.resolve(__dirname, '..')): BuildInfo {
  return { toolVersion: version, commit: gitCommit(root) ?? 'unknown' };
}
