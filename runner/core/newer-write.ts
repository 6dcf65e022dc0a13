// Whether a copy in place made old content current over a write that landed between the runner's
// read of the key and its copy, judged from the key's version history after the copy. Pure.

/** One entry of a key's history, as ListObjectVersions gives it. */
export interface HistoryEntry {
  readonly versionId: string;
  readonly isLatest: boolean;
  readonly lastModified?: Date;
}

/** Every version and delete marker of exactly one key; versions newest first, as S3 lists them. */
export interface KeyHistory {
  readonly versions: readonly HistoryEntry[];
  readonly deleteMarkers: readonly HistoryEntry[];
}

export type NewerWriteCheck =
  /** Nothing was written between the source and the copy, or something newer than the copy is current. */
  | { readonly kind: 'clear' }
  /** A version written between the source and the copy lies under the copy: its content must be made current again. */
  | { readonly kind: 'buried-version'; readonly versionId: string }
  /** The key was deleted between the runner's read and its copy: the copy brought it back. */
  | { readonly kind: 'buried-delete'; readonly deleteMarkerId: string }
  /** The copy is not in the history (deleted at once, or the listing lags): nothing can be told. */
  | { readonly kind: 'cannot-tell'; readonly why: string };

/**
 * Reads a key's history after a copy of `sourceVersionId` wrote `copyVersionId`. The source was the
 * current version when the runner read it, so every version or delete marker newer than the source
 * and older than the copy was written in between: the copy buried it. One newer than the copy
 * means a later write is current, which the copy did not bury. Versions in `ownCopies` (the
 * runner's earlier copies of this key, when it is restoring a write it buried) are not writes of others.
 */
export function newerWriteUnderCopy(
  history: KeyHistory,
  sourceVersionId: string,
  copyVersionId: string,
  ownCopies: readonly string[] = [],
): NewerWriteCheck {
  const { versions, deleteMarkers } = history;
  const copyAt = versions.findIndex((v) => v.versionId === copyVersionId);
  if (copyAt < 0) return { kind: 'cannot-tell', why: `the copy ${copyVersionId} is not among the key's ${versions.length} versions` };
  const copy = versions[copyAt]!;
  // Something written after the copy is current: whatever lies between, the copy is not what readers see.
  if (!copy.isLatest) return { kind: 'clear' };
  const sourceAt = versions.findIndex((v) => v.versionId === sourceVersionId);
  const source = sourceAt >= 0 ? versions[sourceAt] : undefined;
  // Versions are listed newest first: those between the copy and the source came in between.
  const between = sourceAt > copyAt ? versions.slice(copyAt + 1, sourceAt).filter((v) => !ownCopies.includes(v.versionId)) : [];
  const newestVersion = between[0];
  const deleted = deleteMarkers
    .filter(
      (m) =>
        m.lastModified &&
        source?.lastModified &&
        copy.lastModified &&
        m.lastModified > source.lastModified &&
        m.lastModified <= copy.lastModified,
    )
    .sort((a, b) => b.lastModified!.getTime() - a.lastModified!.getTime())[0];
  if (deleted && (!newestVersion?.lastModified || deleted.lastModified! >= newestVersion.lastModified)) {
    return { kind: 'buried-delete', deleteMarkerId: deleted.versionId };
  }
  if (newestVersion) return { kind: 'buried-version', versionId: newestVersion.versionId };
  if (sourceAt < 0 && versions.length > 1) {
    return {
      kind: 'cannot-tell',
      why: `the source version ${sourceVersionId} is gone from the key's history, so what lies under the copy cannot be placed`,
    };
  }
  return { kind: 'clear' };
}
