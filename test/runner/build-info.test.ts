// The runner's build as the state records it: package.json's version and the checkout's commit, read from .git without git.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildInfo, gitCommit } from '../../runner/build-info';
import { version } from '../../package.json';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

/** A folder holding `files` (path -> content). */
function checkout(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'build-info-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

describe('gitCommit', () => {
  it.each([
    ['a detached HEAD', { '.git/HEAD': `${A}\n` }, A],
    ['a branch with a loose ref', { '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': `${A}\n` }, A],
    [
      'a branch in packed-refs',
      {
        '.git/HEAD': 'ref: refs/heads/main\n',
        '.git/packed-refs': `# pack-refs with: peeled\n${B} refs/heads/other\n${A} refs/heads/main\n`,
      },
      A,
    ],
    [
      'a worktree whose branch lives in the common dir',
      {
        '.git': 'gitdir: main/.git/worktrees/wt\n',
        'main/.git/worktrees/wt/HEAD': 'ref: refs/heads/topic\n',
        'main/.git/worktrees/wt/commondir': '../..\n',
        'main/.git/refs/heads/topic': `${B}\n`,
      },
      B,
    ],
    ['no .git at all', {}, undefined],
    ['a branch with no commit yet', { '.git/HEAD': 'ref: refs/heads/main\n' }, undefined],
  ])('reads %s', (_name, files, expected) => {
    expect(gitCommit(checkout(files))).toBe(expected);
  });
});

describe('buildInfo', () => {
  it("says 'unknown' for the commit outside a checkout, and package.json's version", () => {
    expect(buildInfo(checkout({}))).toEqual({ toolVersion: version, commit: 'unknown' });
  });
});
