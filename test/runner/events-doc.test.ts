// docs/events.md is the contract of the JSON lines: every type the runner emits is listed there, and nothing else.
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** The types the runner writes: emit('x', ...), progress(..., { type: 'x' }) and the CLI's { type: 'x' } error lines. */
function emittedTypes(): Set<string> {
  const types = new Set<string>();
  for (const file of sourceFiles(path.join(ROOT, 'runner'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\.emit\(\s*'([a-z-]+)'/g)) types.add(m[1]!);
    for (const m of text.matchAll(/\btype: '([a-z-]+)'/g)) types.add(m[1]!);
  }
  return types;
}

function documentedTypes(): Set<string> {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/events.md'), 'utf8');
  return new Set([...doc.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!));
}

describe('docs/events.md', () => {
  it('finds the emitted types at all (the scan itself works)', () => {
    expect([...emittedTypes()]).toEqual(
      expect.arrayContaining(['error', 'bucket-plan', 'job-progress', 'direct-progress', 'job-adopted', 'bucket-verification']),
    );
  });

  it('documents every event type the runner emits', () => {
    const documented = documentedTypes();
    expect([...emittedTypes()].filter((t) => !documented.has(t)).sort()).toEqual([]);
  });

  it('documents no type the runner no longer emits', () => {
    const emitted = emittedTypes();
    expect([...documentedTypes()].filter((t) => !emitted.has(t)).sort()).toEqual([]);
  });
});
