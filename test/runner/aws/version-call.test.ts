// How a version becomes a request's VersionId: the only place the runner translates version ids.
import {
  CURRENT_VERSION,
  currentVersionRef,
  describe as describeRef,
  versionIdFromAnswer,
  versionParam,
  type VersionSelector,
} from '../../../runner/aws/version-call';
import { copySource } from '../../../runner/aws/object-copies';

describe('versionParam', () => {
  it.each<[string, VersionSelector, object]>([
    ['a version by its id', '3HL4kqtJlcpXroDTDmjVBH40Nrjfkd', { VersionId: '3HL4kqtJlcpXroDTDmjVBH40Nrjfkd' }],
    ["the null version, by its id 'null'", 'null', { VersionId: 'null' }],
    ['the current version, by naming none', CURRENT_VERSION, {}],
  ])('names %s', (_, version, expected) => {
    expect(versionParam(version)).toEqual(expected);
  });
});

describe('copySource', () => {
  it.each<[VersionSelector, string]>([
    ['v1', 'b/a%20b/c?versionId=v1'],
    ['null', 'b/a%20b/c?versionId=null'],
    [CURRENT_VERSION, 'b/a%20b/c'],
  ])('names version %s the way versionParam does', (versionId, expected) => {
    expect(copySource({ bucket: 'b', key: 'a b/c', versionId })).toBe(expected);
  });
});

describe('currentVersionRef', () => {
  it('names a current version by its id', () => {
    expect(currentVersionRef('b', 'k', 'v1')).toEqual({ bucket: 'b', key: 'k', versionId: 'v1' });
  });

  it('names a current null version by naming none', () => {
    expect(currentVersionRef('b', 'k', 'null')).toEqual({ bucket: 'b', key: 'k', versionId: CURRENT_VERSION });
  });
});

describe('versionIdFromAnswer', () => {
  it('keeps the id an answer names', () => {
    expect(versionIdFromAnswer('v1')).toBe('v1');
  });

  it("reads an answer without a version id (a bucket never versioned) as the null version's", () => {
    expect(versionIdFromAnswer(undefined)).toBe('null');
  });
});

describe('describe', () => {
  it('says which version a message is about', () => {
    expect(describeRef({ bucket: 'b', key: 'k', versionId: 'null' })).toBe('s3://b/k version null');
    expect(describeRef({ bucket: 'b', key: 'k', versionId: CURRENT_VERSION })).toBe('s3://b/k current version');
  });
});
