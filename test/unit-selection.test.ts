// Holds `npm run test:unit` to its promise: every test it selects starts no server and no child process.
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');

interface UnitSelection {
  readonly UNIT_FOLDERS: readonly string[];
  readonly UNIT_FILES: readonly string[];
  readonly NOT_UNIT: readonly string[];
  isUnitTest(file: string): boolean;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the list is CommonJS so that jest.unit.config.js can read it too
const selection = require('./unit-tests') as UnitSelection;

/** What starts a server, a child process or a browser in a test file. */
const STARTS_SOMETHING =
  /\b(startMigrationWorld|startSandbox|useSandbox|createMotoStack|startMoto|runTerraform|launchChromium|createServer|spawn|spawnSync|execFile|execFileSync|execSync)\b|child_process/;

function testsUnder(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testsUnder(file);
    return entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

const unitTests = [...testsUnder('test'), ...testsUnder('sandbox')].filter((file) => selection.isUnitTest(file));
/** This file names what it looks for. */
const SELF = 'test/unit-selection.test.ts';

describe('the unit selection', () => {
  it('names only test files that exist', () => {
    const missing = [...selection.UNIT_FILES, ...selection.NOT_UNIT].filter((file) => !fs.existsSync(path.join(ROOT, file)));
    expect(missing).toEqual([]);
  });

  it('selects the core, config and renderer tests', () => {
    expect(unitTests).toEqual(
      expect.arrayContaining(['test/runner/core/classify.test.ts', 'test/stacks/config.test.ts', 'test/runner/output.test.ts']),
    );
    expect(unitTests.length).toBeGreaterThan(50);
  });

  it.each(unitTests.filter((file) => file !== SELF))('%s starts no server and no child process', (file) => {
    const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(source.match(STARTS_SOMETHING)?.[0]).toBeUndefined();
  });
});
