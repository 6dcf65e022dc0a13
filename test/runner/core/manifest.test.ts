// Manifest rows: hard keys survive encoding, version ids are on every row, inventory keys decode right.
import { decodeInventoryKey, manifestRow, parseManifestRow } from '../../../runner/core/manifest';

const HARD_KEYS = [
  'plain/key.txt',
  'with space/and+plus.txt',
  'percent%20looks-escaped',
  'a%2Fb',
  'comma,in,key',
  'unicode/données/日本語/🙂.bin',
  'quotes"and\'apostrophes',
  'trailing-newline\n',
  'x'.repeat(1024),
  '/leading/slash',
  '?query#fragment&amp',
];

describe('manifestRow', () => {
  it.each(HARD_KEYS.map((k) => [JSON.stringify(k).slice(0, 40), k]))('round-trips %s', (_label, key) => {
    const row = manifestRow('my-bucket', key, 'v1');
    expect(row.endsWith('\n')).toBe(true);
    expect(row.slice(0, -1)).not.toMatch(/[\n ]/);
    expect(row.split(',')).toHaveLength(3);
    expect(parseManifestRow(row)).toEqual({ bucket: 'my-bucket', key, versionId: 'v1' });
  });

  it.each([[''], [null], [undefined]])('writes null for the unversioned version id %p', (versionId) => {
    expect(manifestRow('b', 'k', versionId)).toBe('b,k,null\n');
  });

  it('encodes a plus sign so form-style decoding cannot turn it into a space', () => {
    expect(manifestRow('b', 'a+b c', 'v')).toBe('b,a%2Bb%20c,v\n');
  });
});

describe('decodeInventoryKey', () => {
  it('decodes CSV inventory keys form-style', () => {
    expect(decodeInventoryKey('with+space%2Fand%2Bplus', true)).toBe('with space/and+plus');
    expect(decodeInventoryKey('%E6%97%A5%E6%9C%AC', true)).toBe('日本');
  });

  it('leaves Parquet and ORC keys as they are', () => {
    expect(decodeInventoryKey('a+b%20c', false)).toBe('a+b%20c');
  });
});
