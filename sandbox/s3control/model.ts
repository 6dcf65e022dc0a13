// The Batch Operations job model in the shapes and names of the S3 Control API (CreateJob input,
// JobDescriptor), so the in-process API, the wire handler and tests all speak AWS's vocabulary.
import type { StorageClass } from '../s3/model';

export type JobStatus =
  | 'New'
  | 'Preparing'
  | 'Suspended'
  | 'Ready'
  | 'Active'
  | 'Pausing'
  | 'Paused'
  | 'Completing'
  | 'Complete'
  | 'Failing'
  | 'Failed'
  | 'Cancelling'
  | 'Cancelled';

export const JOB_STATUSES: readonly JobStatus[] = [
  'New',
  'Preparing',
  'Suspended',
  'Ready',
  'Active',
  'Pausing',
  'Paused',
  'Completing',
  'Complete',
  'Failing',
  'Failed',
  'Cancelling',
  'Cancelled',
];

export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['Complete', 'Failed', 'Cancelled']);

export interface S3Tag {
  readonly Key: string;
  readonly Value: string;
}

export type ManifestFormat = 'S3BatchOperations_CSV_20180820' | 'S3InventoryReport_CSV_20161130';
export type ManifestField = 'Ignore' | 'Bucket' | 'Key' | 'VersionId';

export interface JobManifest {
  readonly Spec: { readonly Format: ManifestFormat; readonly Fields?: readonly ManifestField[] };
  readonly Location: { readonly ObjectArn: string; readonly ObjectVersionId?: string; readonly ETag: string };
}

export interface JobReport {
  readonly Enabled: boolean;
  /** Bucket ARN `arn:aws:s3:::name`. */
  readonly Bucket?: string;
  readonly Format?: 'Report_CSV_20180820';
  readonly Prefix?: string;
  readonly ReportScope?: 'AllTasks' | 'FailedTasksOnly';
  readonly ExpectedBucketOwner?: string;
}

export interface S3ObjectMetadata {
  readonly CacheControl?: string;
  readonly ContentDisposition?: string;
  readonly ContentEncoding?: string;
  readonly ContentLanguage?: string;
  readonly ContentType?: string;
  readonly UserMetadata?: Readonly<Record<string, string>>;
}

/** S3PutObjectCopy, as the API documents it; fields the sandbox does not honour are refused at CreateJob. */
export interface S3CopyObjectOperation {
  /** Destination bucket ARN; the source bucket's ARN copies in place. */
  readonly TargetResource?: string;
  readonly TargetKeyPrefix?: string;
  readonly CannedAccessControlList?: string;
  readonly AccessControlGrants?: readonly unknown[];
  /** @default 'COPY' */
  readonly MetadataDirective?: 'COPY' | 'REPLACE';
  readonly NewObjectMetadata?: S3ObjectMetadata;
  /** Absent: the source's tags are copied. */
  readonly NewObjectTagging?: readonly S3Tag[];
  /** Absent: STANDARD (S3 does not keep the source's class). */
  readonly StorageClass?: StorageClass;
  readonly SSEAwsKmsKeyId?: string;
  readonly BucketKeyEnabled?: boolean;
  readonly ObjectLockMode?: 'GOVERNANCE' | 'COMPLIANCE';
  readonly ObjectLockRetainUntilDate?: Date;
  readonly ObjectLockLegalHoldStatus?: 'ON' | 'OFF';
  readonly ChecksumAlgorithm?: string;
}

export interface S3UpdateObjectEncryptionOperation {
  readonly ObjectEncryption: { readonly SSEKMS: { readonly KMSKeyArn: string; readonly BucketKeyEnabled?: boolean } };
}

export interface S3InitiateRestoreObjectOperation {
  readonly ExpirationInDays?: number;
  readonly GlacierJobTier?: 'BULK' | 'STANDARD';
}

/** Exactly one member is set. */
export interface JobOperation {
  readonly S3PutObjectCopy?: S3CopyObjectOperation;
  readonly S3UpdateObjectEncryption?: S3UpdateObjectEncryptionOperation;
  readonly S3InitiateRestoreObject?: S3InitiateRestoreObjectOperation;
}

export type OperationName = keyof JobOperation;

/** One member of MatchAnyObjectEncryption. */
export interface ObjectEncryptionFilter {
  readonly SSES3?: Record<string, never>;
  readonly SSEKMS?: { readonly KmsKeyArn?: string; readonly BucketKeyEnabled?: boolean };
  readonly DSSEKMS?: { readonly KmsKeyArn?: string };
  readonly SSEC?: Record<string, never>;
  readonly NOTSSE?: Record<string, never>;
}

export interface JobManifestGeneratorFilter {
  readonly CreatedAfter?: Date;
  readonly CreatedBefore?: Date;
  readonly MatchAnyStorageClass?: readonly StorageClass[];
  readonly MatchAnyObjectEncryption?: readonly ObjectEncryptionFilter[];
  readonly KeyNameConstraint?: {
    readonly MatchAnyPrefix?: readonly string[];
    readonly MatchAnySuffix?: readonly string[];
    readonly MatchAnySubstring?: readonly string[];
  };
  readonly ObjectSizeGreaterThanBytes?: number;
  readonly ObjectSizeLessThanBytes?: number;
}

export interface JobManifestGenerator {
  readonly S3JobManifestGenerator: {
    readonly SourceBucket: string;
    readonly ExpectedBucketOwner?: string;
    readonly EnableManifestOutput: boolean;
    readonly Filter?: JobManifestGeneratorFilter;
  };
}

export interface CreateJobInput {
  readonly Operation: JobOperation;
  readonly Report: JobReport;
  /** Max 64 characters; the same token returns the same job. */
  readonly ClientRequestToken: string;
  readonly Manifest?: JobManifest;
  readonly ManifestGenerator?: JobManifestGenerator;
  readonly Priority: number;
  readonly RoleArn: string;
  /** @default false */
  readonly ConfirmationRequired?: boolean;
  readonly Description?: string;
  readonly Tags?: readonly S3Tag[];
}

export interface JobFailure {
  readonly FailureCode: string;
  readonly FailureReason: string;
}

export interface JobProgressSummary {
  readonly TotalNumberOfTasks: number;
  readonly NumberOfTasksSucceeded: number;
  readonly NumberOfTasksFailed: number;
  readonly Timers: { readonly ElapsedTimeInActiveSeconds: number };
}

/** DescribeJob's Job: a snapshot, never the live record. */
export interface JobDescriptor {
  readonly JobId: string;
  readonly JobArn: string;
  readonly ConfirmationRequired: boolean;
  readonly Description?: string;
  readonly Status: JobStatus;
  readonly Manifest?: JobManifest;
  readonly ManifestGenerator?: JobManifestGenerator;
  readonly Operation: JobOperation;
  readonly Priority: number;
  readonly ProgressSummary: JobProgressSummary;
  readonly StatusUpdateReason?: string;
  readonly FailureReasons: readonly JobFailure[];
  readonly Report: JobReport;
  readonly CreationTime: Date;
  readonly TerminationDate?: Date;
  readonly RoleArn: string;
  readonly SuspendedDate?: Date;
  readonly SuspendedCause?: string;
}

/** One object version a job acts on, as the manifest names it (VersionId absent: the current version). */
export interface JobTask {
  readonly bucket: string;
  readonly key: string;
  /** The key exactly as the manifest wrote it (URL-encoded), echoed in the completion report. */
  readonly manifestKey: string;
  readonly versionId?: string;
  /** A row whose VersionId column is empty: the task fails without touching S3. */
  readonly missingVersionId?: boolean;
}

export interface TaskResult {
  readonly task: JobTask;
  readonly succeeded: boolean;
  readonly httpStatusCode: number;
  readonly errorCode?: string;
  readonly resultMessage: string;
}
