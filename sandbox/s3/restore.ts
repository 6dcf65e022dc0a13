// Archive and restore rules: which storage classes need RestoreObject before their data can be
// read or copied, and the restore state as of now (restores complete after a configurable delay).
import type { ObjectVersion, RestoreState, StorageClass } from './model';

const ARCHIVED: ReadonlySet<StorageClass> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

export function isArchivedClass(storageClass: StorageClass): boolean {
  return ARCHIVED.has(storageClass);
}

/** The restore state at `now`: an ongoing restore whose completion time has passed is done. */
export function effectiveRestore(restore: RestoreState | undefined, now: Date): RestoreState | undefined {
  if (!restore?.ongoing || !restore.completesAt || restore.completesAt > now) return restore;
  const expiry = new Date(restore.completesAt.getTime() + (restore.days ?? 1) * 86_400_000);
  return { ongoing: false, expiry, completesAt: restore.completesAt, ...(restore.days !== undefined ? { days: restore.days } : {}) };
}

/** True when the version's data cannot be read or copied now (archived and not restored). */
export function isDataUnavailable(version: ObjectVersion, now: Date): boolean {
  if (!isArchivedClass(version.storageClass)) return false;
  const restore = effectiveRestore(version.restore, now);
  return !restore || restore.ongoing || (restore.expiry !== undefined && restore.expiry <= now);
}
