// The shared page-token scheme: tokens continue only their own scope, and anything else is refused.
import { decodeKeyToken, decodeOffsetToken, encodePageToken, pageFrom } from './page-token';

describe('page tokens', () => {
  it('continues from the offset of the page before', () => {
    const first = pageFrom(['a', 'b', 'c'], 0, 2, 'ListJobs');
    expect(first.items).toEqual(['a', 'b']);
    expect(decodeOffsetToken(first.nextToken!, 'ListJobs')).toBe(2);
    expect(pageFrom(['a', 'b', 'c'], 2, 2, 'ListJobs')).toEqual({ items: ['c'] });
  });

  it('carries the last key of a keyed listing', () => {
    expect(decodeKeyToken(encodePageToken('ListAccessPoints', 'ap-2'), 'ListAccessPoints')).toBe('ap-2');
  });

  it('refuses a token of another scope', () => {
    expect(decodeOffsetToken(encodePageToken('query-1', 100), 'query-2')).toBeUndefined();
  });

  it('refuses text that is not a token', () => {
    expect(decodeOffsetToken('not a token', 'ListJobs')).toBeUndefined();
    expect(decodeOffsetToken(encodePageToken('ListJobs', -1), 'ListJobs')).toBeUndefined();
    expect(decodeKeyToken(encodePageToken('ListAccessPoints', 3), 'ListAccessPoints')).toBeUndefined();
  });
});
