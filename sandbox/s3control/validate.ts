// CreateJob's checks, in the order S3 Control reports them: token, description, priority, role, operation,
// report location, then the manifest object and its ETag. Each failure names the field and value.
import type { IamWorld } from '../iam/world';
import type { S3World } from '../s3/world';
import { s3ControlErrors } from './errors';
import { bucketNameOf, objectOf } from './manifest';
import type { CreateJobInput, OperationName } from './model';

const MAX_TOKEN_LENGTH = 64;
const MAX_DESCRIPTION_LENGTH = 256;
const MAX_PRIORITY = 2_147_483_647;
const SUPPORTED_OPERATIONS: readonly OperationName[] = ['S3PutObjectCopy', 'S3UpdateObjectEncryption', 'S3InitiateRestoreObject'];
const MANIFEST_FORMATS = ['S3BatchOperations_CSV_20180820', 'S3InventoryReport_CSV_20161130'];

export interface ValidationDeps {
  readonly s3: S3World;
  readonly iam: IamWorld;
}

/** Throws the ServiceError CreateJob answers with; returns the operation's name when the input is acceptable. */
export function validateCreateJob(deps: ValidationDeps, input: CreateJobInput): OperationName {
  if (!input.ClientRequestToken || input.ClientRequestToken.length > MAX_TOKEN_LENGTH) {
    throw s3ControlErrors.badRequest(
      `'ClientRequestToken' must be 1 to ${MAX_TOKEN_LENGTH} characters. Received: ${input.ClientRequestToken?.length ?? 0} characters`,
    );
  }
  if (input.Description !== undefined && (input.Description.length < 1 || input.Description.length > MAX_DESCRIPTION_LENGTH)) {
    throw s3ControlErrors.badRequest(
      `'Description' must be 1 to ${MAX_DESCRIPTION_LENGTH} characters. Received: ${input.Description.length} characters`,
    );
  }
  if (!Number.isInteger(input.Priority) || input.Priority < 0 || input.Priority > MAX_PRIORITY) {
    throw s3ControlErrors.badRequest(`'Priority' must be an integer between 0 and ${MAX_PRIORITY}. Received: ${input.Priority}`);
  }
  if (!deps.iam.hasRole(input.RoleArn)) {
    throw s3ControlErrors.badRequest(
      `Unable to assume role ${input.RoleArn}: the role does not exist in this account or cannot be assumed by S3 Batch Operations.`,
    );
  }
  const operation = validateOperation(deps, input);
  validateReport(deps, input);
  validateManifest(deps, input);
  return operation;
}

function validateOperation(deps: ValidationDeps, input: CreateJobInput): OperationName {
  const named = Object.entries(input.Operation ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k);
  if (named.length !== 1)
    throw s3ControlErrors.badRequest(`'Operation' must name exactly one operation. Received: ${named.join(', ') || 'none'}`);
  const name = named[0] as OperationName;
  if (!SUPPORTED_OPERATIONS.includes(name)) {
    throw s3ControlErrors.notImplemented(`The sandbox performs ${SUPPORTED_OPERATIONS.join(', ')} only. Received: ${name}`);
  }
  const copy = input.Operation.S3PutObjectCopy;
  if (copy) {
    if (copy.AccessControlGrants !== undefined && copy.AccessControlGrants.length > 0) {
      throw s3ControlErrors.notImplemented(
        "The sandbox does not implement S3PutObjectCopy 'AccessControlGrants'; use CannedAccessControlList",
      );
    }
    if (copy.TargetResource !== undefined) {
      const target = bucketNameOf(copy.TargetResource);
      if (!target) throw s3ControlErrors.badRequest(`'TargetResource' must be a bucket ARN. Received: ${copy.TargetResource}`);
      if (!deps.s3.hasBucket(target)) throw s3ControlErrors.invalidRequest(`The target bucket ${copy.TargetResource} does not exist`);
    }
  }
  const update = input.Operation.S3UpdateObjectEncryption;
  if (update && !update.ObjectEncryption?.SSEKMS?.KMSKeyArn) {
    throw s3ControlErrors.badRequest("S3UpdateObjectEncryption needs 'ObjectEncryption.SSEKMS.KMSKeyArn'");
  }
  return name;
}

function validateReport(deps: ValidationDeps, input: CreateJobInput): void {
  const report = input.Report;
  if (!report) throw s3ControlErrors.badRequest("'Report' is required");
  if (!report.Enabled) return;
  if (report.Format !== 'Report_CSV_20180820')
    throw s3ControlErrors.badRequest(`'Report.Format' must be Report_CSV_20180820. Received: ${report.Format}`);
  const bucket = report.Bucket !== undefined ? bucketNameOf(report.Bucket) : undefined;
  if (!bucket) throw s3ControlErrors.badRequest(`'Report.Bucket' must be a bucket ARN. Received: ${report.Bucket}`);
  if (!deps.s3.hasBucket(bucket)) throw s3ControlErrors.invalidRequest(`The report bucket ${report.Bucket} does not exist`);
  if (report.ReportScope !== undefined && report.ReportScope !== 'AllTasks' && report.ReportScope !== 'FailedTasksOnly') {
    throw s3ControlErrors.badRequest(`'Report.ReportScope' must be AllTasks or FailedTasksOnly. Received: ${String(report.ReportScope)}`);
  }
}

function validateManifest(deps: ValidationDeps, input: CreateJobInput): void {
  if ((input.Manifest === undefined) === (input.ManifestGenerator === undefined)) {
    throw s3ControlErrors.badRequest("Exactly one of 'Manifest' and 'ManifestGenerator' must be given");
  }
  if (input.ManifestGenerator) {
    const generator = input.ManifestGenerator.S3JobManifestGenerator;
    const source = bucketNameOf(generator?.SourceBucket ?? '');
    if (!source || !deps.s3.hasBucket(source))
      throw s3ControlErrors.invalidRequest(`The manifest generator's SourceBucket does not exist: ${generator?.SourceBucket}`);
    if (generator.EnableManifestOutput)
      throw s3ControlErrors.notImplemented('The sandbox does not write generated manifests (EnableManifestOutput must be false)');
    return;
  }
  const manifest = input.Manifest!;
  if (!MANIFEST_FORMATS.includes(manifest.Spec?.Format)) {
    throw s3ControlErrors.badRequest(
      `'Manifest.Spec.Format' must be one of ${MANIFEST_FORMATS.join(', ')}. Received: ${manifest.Spec?.Format}`,
    );
  }
  const fields = manifest.Spec.Fields;
  if (manifest.Spec.Format === 'S3BatchOperations_CSV_20180820' && (!fields || !fields.includes('Bucket') || !fields.includes('Key'))) {
    throw s3ControlErrors.badRequest(
      `'Manifest.Spec.Fields' must include Bucket and Key for CSV manifests. Received: ${fields?.join(',') ?? 'none'}`,
    );
  }
  const location = objectOf(manifest.Location?.ObjectArn ?? '');
  if (!location)
    throw s3ControlErrors.badRequest(`'Manifest.Location.ObjectArn' must be an object ARN. Received: ${manifest.Location?.ObjectArn}`);
  if (!manifest.Location.ETag) throw s3ControlErrors.badRequest("'Manifest.Location.ETag' is required");
  let eTag: string;
  try {
    const version = deps.s3.version({
      ...location,
      ...(manifest.Location.ObjectVersionId !== undefined ? { versionId: manifest.Location.ObjectVersionId } : {}),
    });
    eTag = version.eTag;
  } catch (cause) {
    throw s3ControlErrors.invalidRequest(`Reading the manifest object ${manifest.Location.ObjectArn} failed: ${(cause as Error).message}`);
  }
  if (stripQuotes(eTag) !== stripQuotes(manifest.Location.ETag)) {
    throw s3ControlErrors.invalidRequest(
      `The ETag ${manifest.Location.ETag} given for the manifest does not match the ETag ${eTag} of ${manifest.Location.ObjectArn}`,
    );
  }
}

function stripQuotes(eTag: string): string {
  return eTag.replace(/^"|"$/g, '');
}
