// Times loading the provider bindings the stacks import (the `@cdktf/provider-aws/lib/<resource>`
// submodules named in stacks/ and main.ts), in a fresh process, to compare with the whole synth.
// Run: node --import tsx bench/probe/provider-load.ts  (prints {"modules":N,"ms":M})
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Every provider submodule imported by a source file of the app. */
export function providerImports(files: readonly string[]): string[] {
  const found = new Set<string>();
  for (const file of files) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(/from '(@cdktf\/provider-aws[^']*)'/g)) found.add(match[1]!);
  }
  return [...found].sort();
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

if (require.main === module) {
  const modules = providerImports([path.join(ROOT, 'main.ts'), ...sources(path.join(ROOT, 'stacks'))]);
  // cdktf and constructs load first, as in the app, so only the bindings are timed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the module at this moment is what is timed
  require('cdktf');
  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  for (const m of modules) require(m);
  process.stdout.write(`${JSON.stringify({ modules: modules.length, ms: Math.round(performance.now() - started) })}\n`);
}
