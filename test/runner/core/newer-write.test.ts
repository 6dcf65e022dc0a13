// Reading a key's history after a copy in place: did the copy bury a write made between the runner's read and the copy?
import { newerWriteUnderCopy, type HistoryEntry, type KeyHistory } from '../../../runner/core/newer-write';

const at = (second: number) => new Date(Date.UTC(2026, 11, 5, 12, 0, second));
const version = (versionId: string, second: number, isLatest = false): HistoryEntry => ({ versionId, isLatest, lastModified: at(second) });
const history = (versions: HistoryEntry[], deleteMarkers: HistoryEntry[] = []): KeyHistory => ({ versions, deleteMarkers });

describe('newerWriteUnderCopy', () => {
  it('is clear when the copy lies directly on its source', () => {
    expect(newerWriteUnderCopy(history([version('copy', 30, true), version('source', 10), version('older', 5)]), 'source', 'copy')).toEqual(
      { kind: 'clear' },
    );
  });

  it('names the version written between the source and the copy', () => {
    const h = history([version('copy', 30, true), version('newer', 20), version('source', 10)]);
    expect(newerWriteUnderCopy(h, 'source', 'copy')).toEqual({ kind: 'buried-version', versionId: 'newer' });
  });

  it('names the newest of several versions written in between', () => {
    const h = history([version('copy', 30, true), version('newest', 25), version('newer', 20), version('source', 10)]);
    expect(newerWriteUnderCopy(h, 'source', 'copy')).toEqual({ kind: 'buried-version', versionId: 'newest' });
  });

  it('is clear when a write after the copy is current: the copy buries nothing readers see', () => {
    const h = history([version('later', 40, true), version('copy', 30), version('newer', 20), version('source', 10)]);
    expect(newerWriteUnderCopy(h, 'source', 'copy')).toEqual({ kind: 'clear' });
  });

  it('names a delete made between the source and the copy', () => {
    const h = history([version('copy', 30, true), version('source', 10)], [version('marker', 20)]);
    expect(newerWriteUnderCopy(h, 'source', 'copy')).toEqual({ kind: 'buried-delete', deleteMarkerId: 'marker' });
  });

  it('ignores delete markers older than the source', () => {
    const h = history([version('copy', 30, true), version('source', 10), version('older', 2)], [version('marker', 5)]);
    expect(newerWriteUnderCopy(h, 'source', 'copy')).toEqual({ kind: 'clear' });
  });

  it('is clear for an unversioned key, where the copy replaced its source', () => {
    expect(newerWriteUnderCopy(history([version('null', 30, true)]), 'null', 'null')).toEqual({ kind: 'clear' });
  });

  it('cannot tell when the copy is missing from the history', () => {
    expect(newerWriteUnderCopy(history([version('source', 10, true)]), 'source', 'copy').kind).toBe('cannot-tell');
  });

  it('cannot tell when the source is gone and other versions lie under the copy', () => {
    expect(newerWriteUnderCopy(history([version('copy', 30, true), version('something', 20)]), 'source', 'copy').kind).toBe('cannot-tell');
  });
});

describe('newerWriteUnderCopy after the runner restored a buried write', () => {
  it('does not take its own earlier copy for a write of others', () => {
    const h = history([version('restored', 40, true), version('first-copy', 30), version('newer', 20), version('source', 10)]);
    expect(newerWriteUnderCopy(h, 'newer', 'restored', ['first-copy'])).toEqual({ kind: 'clear' });
    expect(newerWriteUnderCopy(h, 'newer', 'restored')).toEqual({ kind: 'buried-version', versionId: 'first-copy' });
  });
});
