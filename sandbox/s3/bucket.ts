// One bucket's state: settings, configuration documents, the versions of every key (in a
// columnar store) and the sorted key index that listings and inventory walk.
import { AWS_DEFAULT_ENCRYPTION, AWS_DEFAULT_PUBLIC_ACCESS_BLOCK } from './bucket-config';
import type {
  DefaultEncryption,
  InventoryConfiguration,
  ObjectOwnership,
  PublicAccessBlock,
  VersioningStatus,
  XmlTree,
} from './bucket-config';
import type { ObjectVersion } from './model';
import type { MultipartUpload } from './multipart';
import { NO_NOTIFICATIONS, type NotificationConfiguration } from './notification-config';
import type { ReplicationConfiguration } from './replication-config';
import { SortedKeys } from './sorted-keys';
import { NO_ROW, VersionStore } from './version-store';

export interface BucketSettings {
  readonly name: string;
  readonly region: string;
  readonly creationDate: Date;
  readonly objectLockEnabled: boolean;
  readonly ownership?: ObjectOwnership;
}

export class Bucket {
  readonly name: string;
  readonly region: string;
  readonly creationDate: Date;
  readonly objectLockEnabled: boolean;
  versioning: VersioningStatus;
  /** Undefined when DeleteBucketOwnershipControls removed it. */
  ownership: ObjectOwnership | undefined;
  encryption: DefaultEncryption = AWS_DEFAULT_ENCRYPTION;
  publicAccessBlock: PublicAccessBlock | undefined = AWS_DEFAULT_PUBLIC_ACCESS_BLOCK;
  policy: string | undefined;
  lifecycleRules: readonly XmlTree[] | undefined;
  readonly inventory = new Map<string, InventoryConfiguration>();
  /** Undefined until PutBucketReplication, and again after DeleteBucketReplication. */
  replication: ReplicationConfiguration | undefined;
  notification: NotificationConfiguration = NO_NOTIFICATIONS;
  readonly uploads = new Map<string, MultipartUpload>();
  /** Every version, in compact rows (see version-store.ts). */
  private readonly store: VersionStore;
  private sortedKeys: SortedKeys | undefined;

  constructor(settings: BucketSettings) {
    this.name = settings.name;
    this.region = settings.region;
    this.creationDate = settings.creationDate;
    this.objectLockEnabled = settings.objectLockEnabled;
    // Object Lock needs versioning, and S3 turns it on at creation.
    this.versioning = settings.objectLockEnabled ? 'Enabled' : 'Unversioned';
    this.ownership = settings.ownership;
    this.store = new VersionStore(settings.name);
  }

  get versionCount(): number {
    return this.store.versionCount;
  }

  /** Keys holding at least one version, counted without sorting them. */
  get keyCount(): number {
    return this.store.keyCount;
  }

  get isEmpty(): boolean {
    return this.store.keyCount === 0;
  }

  /** All versions of a key, oldest first; empty when the key has none. */
  versionsOf(key: string): readonly ObjectVersion[] {
    const versions: ObjectVersion[] = [];
    for (let row = this.store.newestRow(key); row !== NO_ROW; row = this.store.olderRow(row)) versions.push(this.store.version(row));
    return versions.reverse();
  }

  latest(key: string): ObjectVersion | undefined {
    const row = this.store.newestRow(key);
    return row === NO_ROW ? undefined : this.store.version(row);
  }

  /** One version of a key by id, without building the others. */
  versionWithId(key: string, versionId: string): ObjectVersion | undefined {
    const row = this.store.findRow(key, versionId);
    return row === NO_ROW ? undefined : this.store.version(row);
  }

  /**
   * Every version of a key, newest first, with whether it is the latest: what listings and
   * inventories walk. Each version is built as it is reached.
   */
  *newestFirst(key: string): IterableIterator<{ version: ObjectVersion; isLatest: boolean }> {
    const newest = this.store.newestRow(key);
    for (let row = newest; row !== NO_ROW; row = this.store.olderRow(row))
      yield { version: this.store.version(row), isLatest: row === newest };
  }

  /** Appends a new newest version, first removing any version with the same id (the `null` rule). */
  append(version: ObjectVersion): void {
    if (this.store.append(version)) this.sortedKeys?.insert(version.key, this.store.keyNumber(version.key));
  }

  /** Replaces a version in place (same id, same position): tagging, retention, encryption update. */
  replace(version: ObjectVersion): void {
    const row = this.store.findRow(version.key, version.versionId);
    if (row === NO_ROW) throw new Error(`no version ${version.versionId} of ${version.key} in ${this.name}`);
    this.store.write(row, version);
  }

  remove(key: string, versionId: string): ObjectVersion | undefined {
    const row = this.store.findRow(key, versionId);
    if (row === NO_ROW) return undefined;
    const removed = this.store.version(row);
    this.store.delete(row);
    if (!this.store.hasKey(key)) this.sortedKeys?.remove(key);
    return removed;
  }

  /** Nothing to trim: rows live in fixed-size chunks. Kept for seeders that call it when done. */
  compact(): void {}

  /**
   * Keys in S3's listing order (UTF-8 bytes); sorted once, then kept sorted on insert. While
   * nobody has listed yet (seeding millions of keys), sorting once later is cheaper.
   */
  keys(): SortedKeys {
    this.sortedKeys ??= SortedKeys.of(this.store);
    return this.sortedKeys;
  }
}
