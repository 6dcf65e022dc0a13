// The file --out names: refused before any work when it cannot be written, and written whole or not at all.
// The module itself (not a namespace copy), so a test can make one of its calls fail.
import fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../../runner/errors';
import { checkOutFile, writeOutFile } from '../../runner/out-file';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'out-file-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('checkOutFile', () => {
  it('accepts a new file in a folder that exists, and an existing file to replace', () => {
    fs.writeFileSync(path.join(dir, 'old.html'), 'old');
    expect(checkOutFile('--out', path.join(dir, 'new.html'))).toBe(path.join(dir, 'new.html'));
    expect(checkOutFile('--out', path.join(dir, 'old.html'))).toBe(path.join(dir, 'old.html'));
  });

  it.each([
    [
      'a folder that does not exist',
      (d: string) => path.join(d, 'missing-dir', 'x.html'),
      (d: string) => `the folder ${path.join(d, 'missing-dir')} does not exist. Create it first (mkdir -p ${path.join(d, 'missing-dir')})`,
    ],
    [
      'a file as its folder',
      (d: string) => (fs.writeFileSync(path.join(d, 'plain'), ''), path.join(d, 'plain', 'x.html')),
      (d: string) => `${path.join(d, 'plain')} is a file, not a folder`,
    ],
    ['a folder itself', (d: string) => d, (d: string) => `${d}: is a folder. Name a file in it`],
    ['nothing', () => '', () => '--out is empty: name the file to write'],
  ])('refuses %s as a usage error that says what to do', (_name, fileIn, message) => {
    const file = fileIn(dir);
    expect(() => checkOutFile('--out', file)).toThrow(UsageError);
    expect(() => checkOutFile('--out', file)).toThrow(message(dir));
  });
});

describe('writeOutFile', () => {
  const entries = () => fs.readdirSync(dir).sort();

  it('replaces an existing file whole, and leaves no temporary file', () => {
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, 'old report');
    writeOutFile('--out', file, 'new report');
    expect(fs.readFileSync(file, 'utf8')).toBe('new report');
    expect(entries()).toEqual(['report.html']);
  });

  it('leaves the old file as it was, and no temporary file, when the write fails halfway', () => {
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, 'old report');
    const failure = Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    jest.spyOn(fs, 'fsyncSync').mockImplementation(() => {
      throw failure;
    });
    expect(() => writeOutFile('--out', file, 'new report')).toThrow(failure);
    expect(fs.readFileSync(file, 'utf8')).toBe('old report');
    expect(entries()).toEqual(['report.html']);
  });

  it('turns a folder removed since the check into a usage error naming the file', () => {
    const file = path.join(dir, 'gone', 'report.html');
    expect(() => writeOutFile('--out', file, 'report')).toThrow(UsageError);
    expect(() => writeOutFile('--out', file, 'report')).toThrow(`--out ${file}: the file or its folder does not exist`);
  });
});
