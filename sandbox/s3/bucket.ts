// One bucket's state: settings, configuration documents, the versions of every key (oldest
// first) and the sorted key index that listings and inventory walk.
import { AWS_DEFAULT_ENCRYPTION, AWS_DEFAULT_PUBLIC_ACCESS_BLOCK } from './bucket-config';
import type {
  DefaultEncryption,
  InventoryConfiguration,
  ObjectOwnership,
  PublicAccessBlock,
  VersioningStatus,
  XmlTree,
} from './bucket-config';
import { compareKeys, lowerBound } from './key-order';
import type { ObjectVersion } from './model';
import type { MultipartUpload } from './multipart';
import { NO_NOTIFICATIONS, type NotificationConfiguration } from './notification-config';
import type { ReplicationConfiguration } from './replication-config';

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
  /** Versions per key, oldest first; a key is present only while it has at least one version. */
  private readonly objects = new Map<string, ObjectVersion[]>();
  private sortedKeys: string[] | undefined;
  private versionTotal = 0;

  constructor(settings: BucketSettings) {
    this.name = settings.name;
    this.region = settings.region;
    this.creationDate = settings.creationDate;
    this.objectLockEnabled = settings.objectLockEnabled;
    // Object Lock needs versioning, and S3 turns it on at creation.
    this.versioning = settings.objectLockEnabled ? 'Enabled' : 'Unversioned';
    this.ownership = settings.ownership;
  }

  get versionCount(): number {
    return this.versionTotal;
  }

  get isEmpty(): boolean {
    return this.objects.size === 0;
  }

  /** All versions of a key, oldest first; empty when the key has none. */
  versionsOf(key: string): readonly ObjectVersion[] {
    return this.objects.get(key) ?? [];
  }

  latest(key: string): ObjectVersion | undefined {
    const versions = this.objects.get(key);
    return versions?.[versions.length - 1];
  }

  /** Appends a new newest version, first removing any version with the same id (the `null` rule). */
  append(version: ObjectVersion): void {
    let versions = this.objects.get(version.key);
    if (!versions) {
      versions = [];
      this.objects.set(version.key, versions);
      this.indexKey(version.key);
    }
    const same = versions.findIndex((v) => v.versionId === version.versionId);
    if (same >= 0) {
      versions.splice(same, 1);
      this.versionTotal--;
    }
    versions.push(version);
    this.versionTotal++;
  }

  /** Replaces a version in place (same id, same position): tagging, retention, encryption update. */
  replace(version: ObjectVersion): void {
    const versions = this.objects.get(version.key);
    const at = versions?.findIndex((v) => v.versionId === version.versionId) ?? -1;
    if (!versions || at < 0) throw new Error(`no version ${version.versionId} of ${version.key} in ${this.name}`);
    versions[at] = version;
  }

  remove(key: string, versionId: string): ObjectVersion | undefined {
    const versions = this.objects.get(key);
    const at = versions?.findIndex((v) => v.versionId === versionId) ?? -1;
    if (!versions || at < 0) return undefined;
    const [removed] = versions.splice(at, 1);
    this.versionTotal--;
    if (versions.length === 0) {
      this.objects.delete(key);
      if (this.sortedKeys) this.sortedKeys.splice(lowerBound(this.sortedKeys, key, true), 1);
    }
    return removed;
  }

  /** Trims every key's version list to its length (arrays grow in steps of 16 slots). */
  compact(): void {
    for (const [key, versions] of this.objects) this.objects.set(key, versions.slice());
  }

  /** Keys in S3's listing order (UTF-8 bytes); sorted once, then kept sorted on insert. */
  keys(): readonly string[] {
    if (!this.sortedKeys) this.sortedKeys = [...this.objects.keys()].sort(compareKeys);
    return this.sortedKeys;
  }

  private indexKey(key: string): void {
    // While nobody has listed yet (seeding a million keys), sorting once later is cheaper.
    if (this.sortedKeys) this.sortedKeys.splice(lowerBound(this.sortedKeys, key, true), 0, key);
  }
}
