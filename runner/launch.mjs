// `npm run migrate`: runs the runner compiled to JavaScript, so that a call (`--help` first) does not
// wait a second for tsx. The compiled copy lives in dist/migrate-<hash of the sources' paths, sizes
// and times>/ and is made again, with TypeScript's transpiler (about a second), whenever a source
// under runner/ or stacks/ changed; type-checking stays with `npm test` (tsc --noEmit).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');
const SOURCE_DIRS = ['runner', 'stacks'];
const PREFIX = 'migrate-';

/** Every TypeScript source the runner may load: runner/ and stacks/, tests and declarations aside. */
function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

/** The folder of the compiled copy of exactly these sources. */
function buildDir(files) {
  const hash = crypto.createHash('sha256');
  for (const file of files) {
    const stat = fs.statSync(file);
    hash.update(`${path.relative(ROOT, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return path.join(DIST, `${PREFIX}${hash.digest('hex').slice(0, 16)}`);
}

/** Compiles into a folder of its own, then renames it into place: a runner started meanwhile never reads half a copy. */
function build(files, target) {
  const ts = require('typescript');
  const { config } = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, ROOT);
  const staging = `${target}.${process.pid}.tmp`;
  for (const file of files) {
    const out = path.join(staging, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, outputText);
  }
  // stacks/config/loader.ts finds the stack configs beside its source (__dirname/../environments).
  fs.symlinkSync(path.join(ROOT, 'stacks/environments'), path.join(staging, 'stacks/environments'));
  try {
    fs.renameSync(staging, target);
  } catch (error) {
    // Another runner compiled the same sources first: its copy is as good.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(target)) throw error;
  }
  for (const old of fs.readdirSync(DIST)) {
    const folder = path.join(DIST, old);
    if (old.startsWith(PREFIX) && folder !== target && !old.endsWith('.tmp')) fs.rmSync(folder, { recursive: true, force: true });
  }
}

function compiledRunner() {
  const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(path.join(ROOT, dir))).sort();
  const target = buildDir(files);
  if (!fs.existsSync(target)) build(files, target);
  return path.join(target, 'runner/cli.js');
}

const { main } = require(compiledRunner());
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
