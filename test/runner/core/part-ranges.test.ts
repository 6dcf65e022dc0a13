// Multipart copy ranges: within S3's part size and part count limits, covering every byte once.
import { defined } from '../../support/defined';
import { MAX_PARTS, MIB, copySourceRange, partRanges, partSize } from '../../../runner/core/part-ranges';

const GIB = 1024 * MIB;

describe('partRanges', () => {
  it.each([
    ['6 GB', 6_000_000_000, 512 * MIB, 12],
    ['exactly 5 GiB + 1', 5 * GIB + 1, 512 * MIB, 11],
    ['5 TiB raises the part size to fit 10,000 parts', 5 * 1024 * GIB, 5 * MIB, 9987],
    ['small preferred part', 6 * GIB, 5 * MIB, 1229],
  ])('%s', (_name, size, preferred, parts) => {
    const ranges = partRanges(size, preferred);
    expect(ranges.length).toBeLessThanOrEqual(MAX_PARTS);
    expect(ranges.length).toBe(parts);
    expect(ranges[0]?.first).toBe(0);
    expect(ranges.at(-1)!.last).toBe(size - 1);
    for (let i = 1; i < ranges.length; i++) {
      expect(ranges[i]?.first).toBe(defined(ranges[i - 1], `range ${i - 1}`).last + 1);
      expect(ranges[i]?.partNumber).toBe(i + 1);
    }
    for (const r of ranges.slice(0, -1)) expect(r.last - r.first + 1).toBeGreaterThanOrEqual(5 * MIB);
  });

  it('raises the part size in whole MiB until 10,000 parts hold the object', () => {
    expect(partSize(100_000 * 5 * MIB, 5 * MIB)).toBe(50 * MIB);
  });

  it('writes the x-amz-copy-source-range of a part', () => {
    expect(copySourceRange({ partNumber: 2, first: 10, last: 19 })).toBe('bytes=10-19');
  });

  it.each([[0], [-1], [6 * 1024 * 1024 * GIB]])('refuses object size %d', (size) => {
    expect(() => partRanges(size)).toThrow(/Received/);
  });
});
