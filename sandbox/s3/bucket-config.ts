// Bucket-level configuration documents in typed form: what S3 stores per bucket besides objects.
// Inventory is typed field by field because inventory generation reads it; lifecycle rules are
// kept as the parsed XML tree because S3 returns them as written and nothing here evaluates them.

export type VersioningStatus = 'Unversioned' | 'Enabled' | 'Suspended';

export type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

export interface DefaultEncryption {
  readonly sseAlgorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  /** As configured (id, ARN or alias); resolved through KMS at write time, as S3 does. */
  readonly kmsMasterKeyId?: string;
  readonly bucketKeyEnabled: boolean;
}

/** Since January 2023 every bucket without a configuration encrypts new objects with SSE-S3. */
export const AWS_DEFAULT_ENCRYPTION: DefaultEncryption = { sseAlgorithm: 'AES256', bucketKeyEnabled: false };

export interface InventoryDestination {
  /** `arn:aws:s3:::bucket`. */
  readonly bucketArn: string;
  readonly format: 'CSV' | 'ORC' | 'Parquet';
  readonly accountId?: string;
  readonly prefix?: string;
  readonly encryption?: { readonly kind: 'SSE-S3' } | { readonly kind: 'SSE-KMS'; readonly keyId: string };
}

export interface InventoryConfiguration {
  readonly id: string;
  readonly isEnabled: boolean;
  readonly destination: InventoryDestination;
  readonly filterPrefix?: string;
  readonly includedObjectVersions: 'All' | 'Current';
  /** Optional fields in the order configured (Size, StorageClass, EncryptionStatus, ...). */
  readonly optionalFields: readonly string[];
  readonly schedule: 'Daily' | 'Weekly';
}

export interface PublicAccessBlock {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

/** New buckets have all four settings on since April 2023. */
export const AWS_DEFAULT_PUBLIC_ACCESS_BLOCK: PublicAccessBlock = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};

/** A parsed XML element tree: text, child elements (repeated ones as arrays). */
export type XmlTree = string | { readonly [name: string]: XmlTree | readonly XmlTree[] };
